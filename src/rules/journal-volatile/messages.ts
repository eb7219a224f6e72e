// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    name: "Journal not persistent",
    title: "The journal is not persistent (storage {storage}): its evidence is lost at reboot",
    'state.configured': "Configured: {configured}",
    fix: "Set `Storage=persistent` in /etc/systemd/journald.conf (or a drop-in under journald.conf.d), then `systemctl restart systemd-journald`.",
  },
  tr: {
    name: "Kalıcı olmayan journal",
    title: "Journal kalıcı değil (depolama {storage}): kanıtlar yeniden başlatmada kayboluyor",
    'state.configured': "Yapılandırılan: {configured}",
    fix: "/etc/systemd/journald.conf içinde (ya da journald.conf.d altındaki bir drop-in’de) `Storage=persistent` ayarlayın, ardından `systemctl restart systemd-journald`.",
  },
};
