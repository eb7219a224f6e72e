// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No watchdog timeout",
    name: "Watchdog timeout",
    title: "The watchdog of {unit} fired {n, plural, one {once} other {# times}} ({watchdog})",
    fix: "{unit} stopped sending `WATCHDOG=1` in time: it hung or was blocked; look at what it did before {first}.",
  },
  tr: {
    ruledOut: "Watchdog zaman aşımı yok",
    name: "Watchdog zaman aşımı",
    title: "{unit} watchdog’u {n} kez tetiklendi ({watchdog})",
    fix: "{unit}, `WATCHDOG=1` bildirimini zamanında göndermeyi bıraktı: takıldı ya da bloke oldu; {first} öncesinde ne yaptığına bakın.",
  },
};
