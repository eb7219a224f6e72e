// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    basis: "errors of the proxy or tunnel in front of the application",
    name: "Proxy or tunnel could not reach the application",
    title: "{proxy} could not reach {upstreams} {n, plural, one {# time} other {# times}}, from {first} to {last}",
    titleNoUpstream: "{proxy} answered gateway errors {n, plural, one {# time} other {# times}}, from {first} to {last}",
    'state.kinds': "Kinds: {kinds}",
    'state.statuses': "HTTP statuses: {statuses}",
    'state.sources': "Sources: {sources}",
    'state.counted': "{from, select, answers {Counted once per request: {n, plural, one {# request} other {# requests}} answered with 502/503/504 (the error-log lines about the same requests are not counted again)} other {Counted as distinct upstream failures: {n} (no 502/503/504 answers were logged to count requests by; several lines about one connection and request in the same second count once)}}; {lines, plural, one {# log line} other {# log lines}} in all.",
    fix: "The proxy is only the messenger: the application on {upstreams} was not answering. Fix why it was down (the other findings) and add a health check that restarts it.",
  },
  tr: {
    basis: "uygulamanın önündeki proxy ya da tünelin hataları",
    name: "Proxy ya da tünel uygulamaya ulaşamadı",
    title: "{proxy}, {first} ile {last} arasında {n} kez {upstreams} adresine ulaşamadı",
    titleNoUpstream: "{proxy}, {first} ile {last} arasında {n} kez gateway hatası döndürdü",
    'state.kinds': "Türler: {kinds}",
    'state.statuses': "HTTP durumları: {statuses}",
    'state.sources': "Kaynaklar: {sources}",
    'state.counted': "{from, select, answers {Her istek bir kez sayıldı: {n} istek 502/503/504 ile yanıtlandı (aynı isteklerle ilgili error-log satırları ayrıca sayılmadı)} other {Ayrı arka uç hataları olarak sayıldı: {n} (istekleri saymak için kaydedilmiş 502/503/504 yanıtı yok; aynı bağlantı ve istekle ilgili aynı saniyedeki birden çok satır bir kez sayıldı)}}; toplam {lines} log satırı.",
    fix: "Proxy yalnızca haberci: {upstreams} üzerindeki uygulama yanıt vermiyordu. Neden kapalı olduğunu düzeltin (diğer bulgular) ve onu yeniden başlatan bir sağlık kontrolü ekleyin.",
  },
};
