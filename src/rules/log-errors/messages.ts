// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    name: "Error lines in the logs",
    title: "{n, plural, one {# error line} other {# error lines}} from {source}{noise, select, all { (all test/mock noise)} some { ({noiseCount} of them test/mock noise)} other {}}",
    'state.when': "First at {first}, last at {last}.",
    'state.noise': "{n, plural, one {# line comes} other {# lines come}} from tests or mocks: {reasons}.",
    'state.undated': "{n, plural, one {# line has} other {# lines have}} no time of its own.",
    fix: "Read them in context in {source}.",
    fixNoise: "These lines come from tests or mocks left running on the device: remove the test job or its mock configuration so that real errors stand out.",
    titleLeftOut: "{n, plural, one {# more error line} other {# more error lines}} from {atLeast, select, yes {at least } other {}}{sources} more sources (only the first {limit} sources are grouped one by one)",
    fixLeftOut: "Their lines are in the bundle: read the sources with the most errors first (`journalctl -p err` on the device, the logs under `files/`).",
  },
  tr: {
    name: "Loglardaki hata satırları",
    title: "{source} kaynağından {n} hata satırı{noise, select, all { (tamamı test/mock gürültüsü)} some { (bunlardan {noiseCount} tanesi test/mock gürültüsü)} other {}}",
    'state.when': "İlki {first}, sonuncusu {last}.",
    'state.noise': "{n} satır testlerden ya da mock’lardan geliyor: {reasons}.",
    'state.undated': "{n} satırın kendi zamanı yok.",
    fix: "Bunları {source} içinde bağlamıyla okuyun.",
    fixNoise: "Bu satırlar cihazda çalışır hâlde bırakılmış testlerden ya da mock’lardan geliyor: gerçek hataların öne çıkması için test işini ya da mock yapılandırmasını kaldırın.",
    titleLeftOut: "{atLeast, select, yes {en az } other {}}{sources} kaynaktan daha {n} hata satırı (yalnızca ilk {limit} kaynak tek tek gruplanır)",
    fixLeftOut: "Bu satırlar pakette duruyor: en çok hata veren kaynaklardan başlayarak okuyun (cihazda `journalctl -p err`, `files/` altındaki loglar).",
  },
};
