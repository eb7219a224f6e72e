// The words of this rule's findings in every report language (ICU MessageFormat), merged into the
// report catalogue under its rule.<id>. namespace. Plain string params arrive as code spans.
import type { RuleMessages } from '../define.js';

export const messages: RuleMessages = {
  en: {
    ruledOut: "No file system nearly full at collection",
    recur: "{subjects}: nearly full.",
    name: "File system nearly full",
    title: "{mount} was {percent} % full ({kind, select, inodes {inodes} other {space}}) at {at}",
    'state.fs': "File system {fs}, type {type}",
    fix: "Free {kind, select, inodes {inodes (many small files)} other {space}} on {mount}: old logs (`journalctl --vacuum-size=`), caches, core dumps.",
  },
  tr: {
    ruledOut: "Toplama anında dolmak üzere olan dosya sistemi yok",
    recur: "{subjects}: neredeyse dolu.",
    name: "Dosya sistemi dolmak üzere",
    title: "{mount} {at} itibarıyla %{percent} doluydu ({kind, select, inodes {inode} other {alan}})",
    'state.fs': "Dosya sistemi {fs}, tür {type}",
    fix: "{mount} üzerinde {kind, select, inodes {inode (çok sayıda küçük dosya)} other {alan}} açın: eski loglar (`journalctl --vacuum-size=`), önbellekler, çekirdek dökümleri.",
  },
};
