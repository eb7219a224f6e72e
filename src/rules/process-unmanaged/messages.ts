// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    recur: "{subjects} still {n, plural, one {runs} other {run}} by hand outside systemd: when it dies, nothing restarts it.",
    name: "Server not managed by systemd",
    title: "{subject} runs outside any service ({category, select, session {in a login session} tmux {in tmux} transient {in a transient scope} other {with no service cgroup}}){hasPorts, select, yes { and listens on {ports}} other {}}",
    'state.started': "{hasStart, select, yes {Started at {startedAt} by user {user}, } other {Run by user {user}, }}in {scope}{category, select, session {: a login session, so it was started by hand} tmux {: inside tmux, started by hand} other {}}. Nothing restarts it when it exits, and it does not come back after a reboot.",
    'state.command': "Command line: {command}",
    'state.cwd': "Working directory: {cwd}",
    'state.cwdUnknown': "Working directory: unknown (no procinfo for this process in the bundle).",
    'state.stdout': "Its output goes to {stdout} (nohup).",
    'state.workers': "Its workers: {pids}.",
    fix: "Run it as {unit}; stop the hand-started process (pid {pid}) first, then `systemctl daemon-reload` and `systemctl enable --now`.",
    remediation: "Run it as a systemd service: write {path} with ExecStart={command}, User={user}, {hasCwd, select, yes {WorkingDirectory={cwd}} other {WorkingDirectory= (unknown: set the directory it was started from)}}, Restart=always and RestartSec=5; stop the hand-started process first ({kill}), otherwise the unit fails with “address already in use”; then {enable}.",
  },
  tr: {
    recur: "{subjects} hâlâ elle, systemd dışında çalışıyor: çökerse yeniden başlatan bir şey yok.",
    name: "systemd tarafından yönetilmeyen sunucu",
    title: "{subject} hiçbir servisin altında çalışmıyor ({category, select, session {bir oturum kapsamında} tmux {tmux içinde} transient {geçici bir kapsamda} other {servis cgroup’u olmadan}}){hasPorts, select, yes { ve {ports} adresini dinliyor} other {}}",
    'state.started': "{hasStart, select, yes {{startedAt} tarihinde {user} kullanıcısı tarafından başlatılmış, } other {{user} kullanıcısıyla çalışıyor, }}{scope} içinde{category, select, session {: bu bir oturum kapsamı, yani süreç elle başlatılmış} tmux {: tmux içinde elle başlatılmış} other {}}. Sonlandığında onu yeniden başlatan bir şey yok ve yeniden başlatmadan (reboot) sonra geri gelmiyor.",
    'state.command': "Komut satırı: {command}",
    'state.cwd': "Çalışma dizini: {cwd}",
    'state.cwdUnknown': "Çalışma dizini: bilinmiyor (pakette bu süreç için procinfo yok).",
    'state.stdout': "Çıktısı {stdout} dosyasına gidiyor (nohup).",
    'state.workers': "Worker süreçleri: {pids}.",
    fix: "{unit} olarak çalıştırın; önce elle başlatılmış süreci (pid {pid}) durdurun, ardından `systemctl daemon-reload` ve `systemctl enable --now`.",
    remediation: "Bir systemd servisi olarak çalıştırın: {path} dosyasını ExecStart={command}, User={user}, {hasCwd, select, yes {WorkingDirectory={cwd}} other {WorkingDirectory= (bilinmiyor: başlatıldığı dizini yazın)}}, Restart=always ve RestartSec=5 ile yazın; önce elle başlatılan süreci durdurun ({kill}), yoksa birim “address already in use” hatasıyla başarısız olur; ardından {enable}.",
  },
};
