// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    recur: "{subjects}: no `Restart=`; after an exit the service stays down.",
    name: "Service without Restart=",
    title: "{unit} is not restarted when it exits ({restart})",
    'state.explicit': "Effective {restart}, set in its unit file.",
    'state.default': "Effective {restart}: systemd’s default, nothing sets it in the unit file or its drop-ins.",
    'state.exited': "It exited {n, plural, one {# time} other {# times}} in the window, last at {last}.",
    'state.notExited': "It did not exit in the window: a standing risk, not what happened this time.",
    'state.command': "Command: {command}",
    'state.dropins': "Drop-ins: {dropins}",
    fix: "Add a drop-in with `Restart=always`, `RestartSec=5` and a start limit to {unit}.",
    remediation: "Add a drop-in {dropIn} with [Unit] `StartLimitIntervalSec=300`, `StartLimitBurst=5` and [Service] `Restart=always`, `RestartSec=5` (or run {edit}), then `systemctl daemon-reload`. The running process is not affected until the next restart of the unit.",
  },
  tr: {
    recur: "{subjects}: `Restart=` yok; sonlandıktan sonra servis kapalı kalıyor.",
    name: "Restart= olmayan servis",
    title: "{unit} sonlandığında yeniden başlatılmıyor ({restart})",
    'state.explicit': "Geçerli ayar {restart}; birim dosyasında açıkça yazılmış.",
    'state.default': "Geçerli ayar {restart}: systemd’nin varsayılanı; birim dosyası da drop-in’leri de bunu ayarlamıyor.",
    'state.exited': "Aralıkta {n} kez sonlandı, sonuncusu {last}.",
    'state.notExited': "Aralıkta sonlanmadı: bu sefer olan değil, süregelen bir risk.",
    'state.command': "Komut: {command}",
    'state.dropins': "Drop-in’ler: {dropins}",
    fix: "{unit} için `Restart=always`, `RestartSec=5` ve bir başlatma sınırı içeren bir drop-in ekleyin.",
    remediation: "{dropIn} drop-in dosyasını ekleyin: [Birim] altında `StartLimitIntervalSec=300`, `StartLimitBurst=5`, [Service] altında `Restart=always`, `RestartSec=5` (ya da {edit} çalıştırın), ardından `systemctl daemon-reload`. Çalışan süreç, birimin bir sonraki yeniden başlatılmasına kadar etkilenmez.",
  },
};
