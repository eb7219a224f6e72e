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
    fix: "Her portun tek sahibi olsun: servis başlamadan önce fazladan süreci durdurun ve sunucuyu yalnızca unit’i üzerinden başlatın.",
    titleHeld: "{port} zaten {holderUnit} tarafından kullanılıyordu: {n} başarısız bind",
    'state.holderUnit': "Toplama anında portu tutan: {unit} içindeki {holder}.",
    'state.portFromUnit': "Hata satırı port belirtmiyor; port, başarısız unit’in komut satırında geçen ve başka bir sürecin dinlediği (ss) porttur.",
    fixUnits: "{failed} {port} portunu dinleyemedi, çünkü {holderUnit} zaten bu portu dinliyor. Birini tutun: gerekmeyen unit’i durdurup devre dışı bırakın ({failed} ya da {holderUnit} için `sudo systemctl disable --now`) veya {failed} için `ExecStart=` içinde başka bir port verip yeniden başlatın.",
    fixProcess: "{port} portunu kendi systemd unit’i olmayan {holder} tutuyor: onu durdurun ({pid}), sonra {failed} unit’ini yeniden başlatın (`sudo systemctl restart`) ve sunucuyu yalnızca unit’i üzerinden başlatın.",
  },
};
