// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No reboot inside the window",
    name: "Reboot in the window",
    title: "The host booted at {at}, inside the window",
    'state.boot': "Boot id {bootId}{current, select, yes { (the current boot)} other {}}",
    'state.decided': "Boot time from {by, select, uptime {`/proc/uptime` (when the running kernel started)} journal {the journal's own clock for that boot (an entry's time minus its monotonic time)} kernel {the kernel's boot lines at their true time} other {the first entry in `journalctl --list-boots` (the oldest line the journal still holds)}}; sources that place this boot: {sources}.",
    fix: "Find why it rebooted (power, watchdog, kernel panic: `journalctl -b -1 -e`) and whether every service came back by itself.",
  },
  tr: {
    ruledOut: "Aralık içinde yeniden başlatma (reboot) yok",
    name: "Aralık içinde yeniden başlatma",
    title: "Cihaz aralık içinde, {at} tarihinde açıldı",
    'state.boot': "Boot kimliği {bootId}{current, select, yes { (şu anki açılış)} other {}}",
    'state.decided': "Açılış zamanı {by, select, uptime {`/proc/uptime` değerinden (çalışan kernel’in başladığı an)} journal {journal’ın bu açılış için kendi saatinden (bir kaydın zamanı eksi monotonic zamanı)} kernel {kernel’in açılış satırlarının gerçek zamanından} other {`journalctl --list-boots` çıktısındaki ilk kayıttan (journal’ın hâlâ tuttuğu en eski satır)}} alındı; bu açılışı gösteren kaynaklar: {sources}.",
    fix: "Neden yeniden başladığını bulun (güç, watchdog, kernel panic: `journalctl -b -1 -e`) ve her servisin kendiliğinden geri gelip gelmediğine bakın.",
  },
};
