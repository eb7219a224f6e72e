// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    recur: "{subjects}: no health check; a hang goes unnoticed.",
    name: "Service without health check",
    title: "{unit} has no health check: nothing restarts it if it hangs",
    'state.searched': "{watchdog}; no timer ({timers} searched), cron job ({cron} searched) or `ExecStartPost=` probes it.",
    'state.restart': "{restart} acts only when the process exits, not when it hangs.",
    'state.ports': "Listens on {ports}.",
    'state.noPorts': "Listens on no TCP port.",
    'state.scriptRead': "Read {script} (run by {via}): it probes neither the port, the health URL nor the unit name of {unit}, so it is not a check of {unit}.",
    'state.scriptUnread': "{script} (run by {via}) could not be read, so what it checks is unknown: {why}.",
    fix: "Add a health-check service and timer that probe {unit} and restart it on failure.",
    remediation: "Add a health check: a service (`Type=oneshot`) that probes {hasPorts, select, yes {its port {port}} other {its health URL}} and runs {restart} on failure, started every 30 s by a timer; or `WatchdogSec=` if the program sends `WATCHDOG=1` via sd_notify.",
  },
  tr: {
    recur: "{subjects}: sağlık kontrolü yok; takılma fark edilmiyor.",
    name: "Sağlık kontrolü olmayan servis",
    title: "{unit} için sağlık kontrolü yok: takılırsa onu yeniden başlatan bir şey yok",
    'state.searched': "{watchdog}; onu yoklayan bir zamanlayıcı ({timers} tane arandı), cron işi ({cron} tane arandı) ya da `ExecStartPost=` yok.",
    'state.restart': "{restart} yalnızca süreç sonlandığında devreye girer, takıldığında değil.",
    'state.ports': "Dinlediği adres: {ports}.",
    'state.noPorts': "Hiçbir TCP portunu dinlemiyor.",
    'state.scriptRead': "{script} okundu ({via} çalıştırıyor): {unit} servisinin portunu, health URL'sini ya da birim adını yoklamıyor; bu yüzden {unit} için bir kontrol değil.",
    'state.scriptUnread': "{script} ({via} çalıştırıyor) okunamadı, neyi kontrol ettiği bilinmiyor: {why}.",
    fix: "{unit} servisini yoklayan ve başarısızlıkta yeniden başlatan bir sağlık kontrolü servisi ve zamanlayıcısı ekleyin.",
    remediation: "Bir sağlık kontrolü ekleyin: {hasPorts, select, yes {{port} portunu} other {sağlık adresini}} yoklayan ve başarısız olursa {restart} çalıştıran bir servis (`Type=oneshot`) ve onu 30 saniyede bir başlatan bir timer; ya da program sd_notify ile `WATCHDOG=1` gönderiyorsa `WatchdogSec=`.",
  },
};
