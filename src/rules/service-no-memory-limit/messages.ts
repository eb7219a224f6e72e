// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    recur: '{subjects}: no memory limit; the next time memory runs out, the kernel may kill any service, not the one that grew.',
    name: 'Service without a memory limit',
    title: '{unit} has no memory limit, and the device ran out of memory in the window',
    'state.limit': 'Effective {limit}: nothing caps its memory, so when it grows the kernel’s OOM killer picks a victim from the whole device.',
    'state.oom': 'The kernel ran out of memory for the whole system {n, plural, one {once} other {# times}} in the window, first at {first}{victim, select, yes {; one of its own processes was killed} other {}}.',
    'state.current': 'It used {current} at collection, of {total} on the device.',
    'state.currentUnknown': 'The bundle does not say how much memory it uses.',
    'state.above': 'It uses more than the proposed limit now. The limit applies as soon as systemd reloads, so the kernel would end it at once: apply it when a restart of {unit} is acceptable.',
    fix: 'Cap {unit} with {setting} in a drop-in {dropIn}, then `systemctl daemon-reload`: when it grows, the kernel then ends it alone and `Restart=` brings it back, instead of killing another service.',
    fixNoValue: 'Cap {unit} with `MemoryMax=` (about half the device’s memory, or what it needs at its peak) in a drop-in {dropIn}, then `systemctl daemon-reload`: when it grows, the kernel then ends it alone and `Restart=` brings it back, instead of killing another service.',
  },
  tr: {
    recur: '{subjects}: bellek sınırı yok; bellek bir daha tükendiğinde çekirdek büyüyen servisi değil, herhangi bir servisi sonlandırabilir.',
    name: 'Bellek sınırı olmayan servis',
    title: '{unit} için bellek sınırı yok ve aralıkta cihazın belleği tükendi',
    'state.limit': 'Geçerli ayar {limit}: belleğini hiçbir şey sınırlamıyor; büyüdüğünde çekirdeğin OOM killer’ı kurbanı tüm cihazdan seçiyor.',
    'state.oom': 'Aralıkta tüm sistemin belleği {n} kez tükendi, ilki {first}{victim, select, yes {; sonlandırılan süreçlerden biri bu servisindi} other {}}.',
    'state.current': 'Toplama anında {current} kullanıyordu; cihazda toplam {total} var.',
    'state.currentUnknown': 'Paket, servisin ne kadar bellek kullandığını göstermiyor.',
    'state.above': 'Şu anda önerilen sınırdan fazla kullanıyor. Sınır systemd yeniden yüklenir yüklenmez geçerli olur, yani çekirdek servisi hemen sonlandırır: {unit} servisinin yeniden başlaması kabul edilebilir olduğunda uygulayın.',
    fix: '{unit} servisini {dropIn} drop-in dosyasında {setting} ile sınırlayın, ardından `systemctl daemon-reload`: büyüdüğünde çekirdek başka bir servisi değil yalnızca onu sonlandırır ve `Restart=` onu geri getirir.',
    fixNoValue: '{unit} servisini {dropIn} drop-in dosyasında `MemoryMax=` ile (cihaz belleğinin yaklaşık yarısı ya da en yoğun anında gereken kadar) sınırlayın, ardından `systemctl daemon-reload`: büyüdüğünde çekirdek başka bir servisi değil yalnızca onu sonlandırır ve `Restart=` onu geri getirir.',
  },
};
