// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No kernel OOM kill",
    name: "Kernel OOM kill",
    title: "The kernel OOM killer killed {who}{hasUnit, select, yes { of {unit}} other {}} ({n, plural, one {# time} other {# times}}, first at {first})",
    'state.scope': "{scope, select, cgroup {A cgroup memory limit was reached} other {The whole system ran out of memory}}; memory cgroup {memcg}.",
    'state.pids': "Killed processes: {pids}",
    fix: "Find what used the memory (the largest processes at collection, the OOM lines); limit it (`MemoryMax=` on {unit}) or reduce the load. {comeBack, select, yes {{restart} brings it back, but not the memory.} no {With {restart} it stays down after the kill: add `Restart=on-failure`.} other {`Restart=` brings a service back, but not the memory.}}",
    fixOwnLimit: "{unit} reached its own memory limit ({limit}): find out whether it leaks or really needs more (its memory use before the kill) before raising the limit. {comeBack, select, yes {{restart} brings it back, but not the memory.} no {With {restart} it stays down after the kill: add `Restart=on-failure`.} other {`Restart=` brings a service back, but not the memory.}}",
  },
  tr: {
    ruledOut: "Çekirdek OOM sonlandırması yok",
    name: "Çekirdek OOM sonlandırması",
    title: "Çekirdeğin OOM sonlandırıcısı {who} sürecini öldürdü{hasUnit, select, yes { ({unit})} other {}} ({n} kez, ilki {first})",
    'state.scope': "{scope, select, cgroup {Bir cgroup bellek sınırına ulaşıldı} other {Sistemin tamamında bellek tükendi}}; bellek cgroup’u {memcg}.",
    'state.pids': "Öldürülen süreçler: {pids}",
    fix: "Belleği neyin kullandığını bulun (toplama anındaki en büyük süreçler, OOM satırları); sınırlayın ({unit} için `MemoryMax=`) ya da yükü azaltın. {comeBack, select, yes {{restart} servisi geri getirir ama belleği getirmez.} no {{restart} ile servis öldürüldükten sonra kapalı kalır: `Restart=on-failure` ekleyin.} other {`Restart=` bir servisi geri getirir ama belleği getirmez.}}",
    fixOwnLimit: "{unit} kendi bellek sınırına ulaştı ({limit}): sınırı yükseltmeden önce bellek mi sızdırıyor yoksa gerçekten daha fazlasına mı ihtiyaç duyuyor, bulun (öldürülmeden önceki bellek kullanımı). {comeBack, select, yes {{restart} servisi geri getirir ama belleği getirmez.} no {{restart} ile servis öldürüldükten sonra kapalı kalır: `Restart=on-failure` ekleyin.} other {`Restart=` bir servisi geri getirir ama belleği getirmez.}}",
  },
};
