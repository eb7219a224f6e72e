// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No segfault, crash or core dump",
    name: "Crash (segfault, fault, core dump)",
    title: "{who} crashed {n, plural, one {once} other {# times}}, first at {first}",
    'state.kinds': "Kinds: {kinds}",
    fix: "Keep a core dump of {who} (install systemd-coredump), check its version and its native libraries. {comeBack, select, yes {{restart} brings {who} back, but the crash will recur until the faulting code is fixed.} no {With {restart} nothing brings {who} back after a crash: add `Restart=on-failure`; the crash will recur until the faulting code is fixed.} other {The crash will recur until the faulting code is fixed.}}",
    fixStartLimit: "Keep a core dump of {who} (install systemd-coredump), check its version and its native libraries. systemd stopped restarting it after these crashes (start limit hit): once the crash is fixed, `systemctl reset-failed` and `systemctl start` it.",
  },
  tr: {
    ruledOut: "Segfault, çökme ya da çekirdek dökümü yok",
    name: "Çökme (segfault, hata, çekirdek dökümü)",
    title: "{who} {n} kez çöktü, ilki {first}",
    'state.kinds': "Türler: {kinds}",
    fix: "{who} için bir çekirdek dökümü saklayın (systemd-coredump kurun), sürümünü ve native kütüphanelerini kontrol edin. {comeBack, select, yes {{restart} {who} servisini geri getirir, ama hatalı kod düzeltilene kadar çökme tekrarlar.} no {{restart} ile bir çökmeden sonra {who} servisini hiçbir şey geri getirmez: `Restart=on-failure` ekleyin; hatalı kod düzeltilene kadar çökme tekrarlar.} other {Hatalı kod düzeltilene kadar çökme tekrarlar.}}",
    fixStartLimit: "{who} için bir çekirdek dökümü saklayın (systemd-coredump kurun), sürümünü ve native kütüphanelerini kontrol edin. systemd bu çökmelerden sonra yeniden başlatmayı bıraktı (start limit aşıldı): çökme giderildikten sonra `systemctl reset-failed` ve `systemctl start` ile başlatın.",
  },
};
