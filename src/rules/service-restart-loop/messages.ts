// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No unit in a restart loop",
    name: "Restart loop",
    title: "{unit} was restarted automatically {n, plural, one {# time} other {# times}} between {first} and {last}",
    'state.statuses': "Exit statuses: {statuses}",
    'state.counter': "Highest restart counter: {n}",
    fix: "Find why {unit} exits (its journal lines around {first}); a loop hides a crash: fix the cause and keep `Restart=` with a start limit.",
  },
  tr: {
    ruledOut: "Restart döngüsündeki birim yok",
    name: "Yeniden başlatma döngüsü",
    title: "{unit}, {first} ile {last} arasında {n} kez otomatik olarak yeniden başlatıldı",
    'state.statuses': "Çıkış durumları: {statuses}",
    'state.counter': "En yüksek yeniden başlatma sayacı: {n}",
    fix: "{unit} servisinin neden sonlandığını bulun ({first} civarındaki journal satırları); döngü bir çökmeyi gizler: nedeni düzeltin, `Restart=` ayarını başlatma sınırıyla koruyun.",
  },
};
