// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No unit hit its start limit",
    name: "Start limit hit",
    title: "systemd gave up restarting {unit} (start limit hit at {at})",
    'state.limit': "`StartLimitBurst={burst}` in `StartLimitIntervalSec={interval}`.",
    'state.active': "State at collection: {state}",
    fix: "Fix the cause of the repeated exits, then `systemctl reset-failed` and `systemctl start` {unit}.",
  },
  tr: {
    ruledOut: "Başlatma sınırına takılan birim yok",
    name: "Başlatma sınırına takılma",
    title: "systemd, {unit} servisini yeniden başlatmaktan vazgeçti (başlatma sınırı, {at})",
    'state.limit': "`StartLimitIntervalSec={interval}` içinde `StartLimitBurst={burst}`.",
    'state.active': "Toplama anındaki durum: {state}",
    fix: "Tekrarlanan sonlanmaların nedenini düzeltin, ardından {unit} için `systemctl reset-failed` ve `systemctl start`.",
  },
};
