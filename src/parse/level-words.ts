// Level words that logging libraries print, mapped to syslog priorities so
// app logs and the journal can be judged by the same threshold.

const LEVEL_PRIORITY: Record<string, number> = {
  EMERG: 0,
  EMERGENCY: 0,
  PANIC: 0,
  ALERT: 1,
  CRIT: 2,
  CRITICAL: 2,
  FATAL: 2,
  ERROR: 3,
  ERR: 3,
  // ngrok (log15) spells error with four letters.
  EROR: 3,
  WARNING: 4,
  WARN: 4,
  NOTICE: 5,
  INFO: 6,
  DEBUG: 7,
  DBUG: 7,
  TRACE: 7,
};

/** The level words of priority <= 3 (error and worse). */
export const ERROR_LEVEL_WORDS: readonly string[] = Object.keys(LEVEL_PRIORITY).filter((w) => LEVEL_PRIORITY[w]! <= 3);

/** Priority 0..7 for a level word in any case ("warn", "ERROR", "eror"), else undefined. */
export function levelPriority(word: string): number | undefined {
  return LEVEL_PRIORITY[word.toUpperCase()];
}

const WORDS = Object.keys(LEVEL_PRIORITY).sort((a, b) => b.length - a.length).join('|');
// Upper-case level word standing alone near the start ("ERROR api.main:", "- ERROR -").
const BARE_UPPER = new RegExp(`(?:^|[\\s|(<\\-])(${WORDS})(?=$|[\\s:|)>\\-\\]])`);
// Any case when the library marks it as a level: "[error]", "<warn>", "level=error", "error:" first.
const BRACKETED = new RegExp(`[\\[<](${WORDS})[\\]>]`, 'i');
const KEYED = new RegExp(`\\b(?:level|lvl|severity)=["']?(${WORDS})\\b`, 'i');
const LEADING_COLON = new RegExp(`^\\s*(${WORDS}):`, 'i');

/**
 * The level a log line states about itself, looked for only where logging
 * formats put it (the first few tokens after any timestamp; `level=` anywhere)
 * so that a word inside the message does not count: "ERROR api.main: ...",
 * "- api.main - ERROR - ...", "[ERROR]", "level=warn", "error: ...".
 */
export function findLevel(text: string, tokens = 5): { word: string; priority: number } | null {
  // split's limit stops the split there: the same tokens as splitting the whole text, which for a
  // traceback of kilobytes cost fifty times as much.
  const head = text.trimStart().split(/\s+/, tokens).join(' ');
  const tries: [RegExp, string][] = [
    [LEADING_COLON, head],
    [BRACKETED, head],
    [KEYED, text],
    [BARE_UPPER, head],
  ];
  for (const [re, where] of tries) {
    const m = re.exec(where);
    if (m) {
      const priority = levelPriority(m[1]!);
      if (priority !== undefined) return { word: m[1]!, priority };
    }
  }
  return null;
}
