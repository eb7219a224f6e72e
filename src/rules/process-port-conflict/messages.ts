// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No port conflict (no failed bind, no server running twice)",
    name: "Port conflict",
    title: "Port {port} was already taken: {n, plural, one {# failed bind} other {# failed binds}}",
    titleDuplicate: "The same server runs more than once: {duplicates}",
    'state.loggedBy': "Logged by: {programs}",
    'state.holder': "Held by {holder} at collection.",
    'state.holderUnknown': "Who held it is not known.",
    'state.command': "Command: {command}",
    fix: "One owner per port: stop the extra process before the service starts, and start the server only through its unit.",
    titleHeld: "Port {port} was already taken by {holderUnit}: {n, plural, one {# failed bind} other {# failed binds}}",
    'state.holderUnit': "Held by {holder} of {unit} at collection.",
    'state.portFromUnit': "The error line names no port; the port is the one in the failing unit's command line that another process listens on (ss).",
    fixUnits: "{failed} could not listen on port {port} because {holderUnit} already listens on it. Keep one of them: stop and disable the unit you do not need (`sudo systemctl disable --now` with {failed} or {holderUnit}), or give {failed} another port in its `ExecStart=` and restart it.",
    fixProcess: "Port {port} is held by {holder}, which no systemd unit of its own runs: stop it ({pid}), then start {failed} again (`sudo systemctl restart`) and start the server only through its unit.",
    remediation: "{case, select, self {{holderUnit} could not bind port {port} while another process held it, and holds it itself at collection ({holder} is its process): an earlier instance was probably still running when it started again. Make sure the old process is gone before a restart (KillMode=control-group, a TimeoutStopSec= it can meet) and that nothing else is started on port {port}.} units {{who} could not listen on port {port} because {holderUnit}, {holder}, already listens on it. Keep one of them: stop and disable the unit you do not need ({disableFailed} or {disableHolder}), or {hasFailed, select, yes {give {failedOne} another port in its ExecStart=} other {give the other server another port}} and restart it.} process {{who} could not listen on port {port} because {holder}, which no systemd unit of its own runs, holds it. Stop that process ({kill}), then {hasFailed, select, yes {start {failed} again ({restart}) and start the server only through its unit.} other {start the server again, and only through one systemd unit.}}} free {{who} could not listen on port {port} because another process held it; nothing listened there at collection. When it happens again, {ss} names the holder: stop it, or move one of the two servers to another port.} other {{who} could not bind because the address was already in use, and neither the line nor its command line names the port. Run {ss} to see which process holds the port it wants, then stop that process or move one of them to another port.}}",
    remediationDuplicate: "Keep one copy: stop the extra ones ({kill}) and run the server under one systemd unit so a second copy cannot be started by hand unnoticed.",
  },
  tr: {
    ruledOut: "Port çakışması yok (başarısız bind yok, iki kez çalışan sunucu yok)",
    name: "Port çakışması",
    title: "{port} zaten kullanımdaydı: {n} başarısız bind",
    titleDuplicate: "Aynı sunucu birden fazla kez çalışıyor: {duplicates}",
    'state.loggedBy': "Loglayan: {programs}",
    'state.holder': "Toplama anında portu tutan: {holder}.",
    'state.holderUnknown': "Portu kimin tuttuğu bilinmiyor.",
    'state.command': "Komut: {command}",
    fix: "Her portun tek sahibi olsun: servis başlamadan önce fazladan süreci durdurun ve sunucuyu yalnızca birimi üzerinden başlatın.",
    titleHeld: "{port} zaten {holderUnit} tarafından kullanılıyordu: {n} başarısız bind",
    'state.holderUnit': "Toplama anında portu tutan: {unit} içindeki {holder}.",
    'state.portFromUnit': "Hata satırı port belirtmiyor; port, başarısız birimin komut satırında geçen ve başka bir sürecin dinlediği (ss) porttur.",
    fixUnits: "{failed} {port} portunu dinleyemedi, çünkü {holderUnit} zaten bu portu dinliyor. Birini tutun: gerekmeyen birimi durdurup devre dışı bırakın ({failed} ya da {holderUnit} için `sudo systemctl disable --now`) veya {failed} için `ExecStart=` içinde başka bir port verip yeniden başlatın.",
    fixProcess: "{port} portunu kendi systemd birimi olmayan {holder} tutuyor: onu durdurun ({pid}), sonra {failed} birimini yeniden başlatın (`sudo systemctl restart`) ve sunucuyu yalnızca birimi üzerinden başlatın.",
    remediation: "{case, select, self {{holderUnit}, {port} portunu başka bir süreç tutarken bağlayamadı ve toplama anında portu kendisi tutuyor ({holder} onun süreci): yeniden başladığında büyük olasılıkla önceki bir kopyası hâlâ çalışıyordu. Yeniden başlatmadan önce eski sürecin bittiğinden (KillMode=control-group, karşılayabileceği bir TimeoutStopSec=) ve {port} portunda başka bir şeyin başlatılmadığından emin olun.} units {{who}, {port} portunu dinleyemedi çünkü {holderUnit} ({holder}) zaten o portu dinliyor. Birini tutun: gerekmeyen birimi durdurup devre dışı bırakın ({disableFailed} ya da {disableHolder}) veya {hasFailed, select, yes {{failedOne} birimine ExecStart= içinde başka bir port verin} other {diğer sunucuya başka bir port verin}} ve yeniden başlatın.} process {{who}, {port} portunu dinleyemedi çünkü kendine ait bir systemd birimi olmadan çalışan {holder} portu tutuyor. O süreci durdurun ({kill}), ardından {hasFailed, select, yes {{failed} birimini yeniden başlatın ({restart}) ve sunucuyu yalnızca birimi üzerinden başlatın.} other {sunucuyu yeniden ve yalnızca tek bir systemd birimi üzerinden başlatın.}}} free {{who}, {port} portunu dinleyemedi çünkü portu başka bir süreç tutuyordu; toplama anında orada dinleyen yoktu. Yeniden olduğunda {ss} portu tutanı gösterir: onu durdurun ya da iki sunucudan birini başka bir porta taşıyın.} other {{who} adres zaten kullanımda olduğu için bağlanamadı; ne satır ne de komut satırı portu söylüyor. İstediği portu hangi sürecin tuttuğunu görmek için {ss} çalıştırın, sonra o süreci durdurun ya da birini başka bir porta taşıyın.}}",
    remediationDuplicate: "Tek bir kopya bırakın: fazla olanları durdurun ({kill}) ve sunucuyu tek bir systemd birimi altında çalıştırın; böylece ikinci bir kopya fark edilmeden elle başlatılamaz.",
  },
};
