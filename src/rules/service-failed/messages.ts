// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No unit failed",
    name: "Unit failed",
    title: "{unit} failed{n, plural, =0 {} one { once in the window} other { # times in the window}}{atCollection, select, yes { and is in failed state at collection} other {}}",
    'state.results': "Results: {results}",
    'state.when': "First at {first}, last at {last}.",
    fix: "Read the journal of {unit} (`journalctl -u`) around the failure and fix the cause; add `Restart=` if it has none.",
  },
  tr: {
    ruledOut: "Başarısız olan (failed) birim yok",
    name: "Başarısız birim",
    title: "{unit} başarısız oldu{n, plural, =0 {} other { (aralıkta # kez)}}{atCollection, select, yes {; toplama anında failed durumunda} other {}}",
    'state.results': "Sonuçlar: {results}",
    'state.when': "İlki {first}, sonuncusu {last}.",
    fix: "{unit} journal’ını (`journalctl -u`) hata anının çevresinde okuyun ve nedeni düzeltin; yoksa `Restart=` ekleyin.",
  },
};
