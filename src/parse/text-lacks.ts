// What the journal fast path proved, from a record's raw bytes, that its
// text does not hold (a bit set per list of words): LogScanner then skips
// the search for them. Zero promises nothing (the full parse, other logs).

/** none of PORT_CONFLICT_WORDS (any case) */
export const LACKS_PORT_WORDS = 1;
/** none of NOISE_TEXT_WORDS (any case) */
export const LACKS_NOISE_WORDS = 2;
