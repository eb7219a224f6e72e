// The words classifiers export for the journal's quiet-line filter, as one
// case-insensitive search.

/** A case-insensitive search for any of these texts (taken literally). */
export function anyOfWords(words: readonly string[]): RegExp {
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i');
}
