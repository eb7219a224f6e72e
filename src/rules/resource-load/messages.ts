// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "Load not excessive at collection",
    recur: "{subjects}: the load is too high for the CPUs.",
    name: "Load too high",
    title: "5-minute load {load5} over the limit {limit} ({cpus} CPUs) at {at}",
    'state.io': "Pressure avg10: I/O {io}, CPU {cpu}",
    fix: "Find the processes that load the CPU or wait for I/O (top, PSI) and reduce or schedule them.",
  },
  tr: {
    ruledOut: "Toplama anında yük aşırı değil",
    recur: "{subjects}: yük CPU sayısına göre fazla.",
    name: "Yük çok yüksek",
    title: "5 dakikalık yük {load5}, sınır {limit} ({cpus} CPU) üzerinde, {at}",
    'state.io': "Baskı avg10: G/Ç {io}, CPU {cpu}",
    fix: "CPU’yu yükleyen ya da G/Ç bekleyen süreçleri bulun (top, PSI) ve azaltın ya da zamanlayın.",
  },
};
