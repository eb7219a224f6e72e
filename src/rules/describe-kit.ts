// What a rule's describe() uses to put bundle values into its messages: code
// spans, times and sizes in the reader's convention, and ICU select words.
import { md, type Md } from '../report/i18n.js';

export { md, type Md } from '../report/i18n.js';
export { codes } from '../report/context.js';
export { time, bytes } from '../report/format.js';
export { code } from '../report/markdown.js';

/** A boolean for an ICU `select` (yes/no). */
export const yes = (b: boolean): Md => md(b ? 'yes' : 'no');
