// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "Memory not short at collection",
    recur: "{subjects}: available memory is low.",
    name: "Memory short",
    title: "Available memory was low at collection: {percent} % ({available} of {total}) at {at}",
    'state.pressure': "Memory pressure (PSI some avg10): {avg10}",
    'state.largest': "Largest process: {process}, {rss}",
    fix: "Find what holds the memory (ps by RSS), limit it with `MemoryMax=`, or add memory or swap.",
  },
  tr: {
    ruledOut: "Toplama anında bellek yeterli",
    recur: "{subjects}: kullanılabilir bellek az.",
    name: "Bellek yetersiz",
    title: "Toplama anında kullanılabilir bellek azdı: %{percent} ({total} içinde {available}), {at}",
    'state.pressure': "Bellek baskısı (PSI some avg10): {avg10}",
    'state.largest': "En büyük süreç: {process}, {rss}",
    fix: "Belleği neyin tuttuğunu bulun (RSS’e göre ps), `MemoryMax=` ile sınırlayın ya da bellek veya swap ekleyin.",
  },
};
