// Where journald keeps the journal: Storage= from journald.conf and its
// drop-ins, and for Storage=auto whether /var/log/journal exists
// (commands/journal-dirs.txt = `ls -ld /var/log/journal /run/log/journal`).
//
// Precedence as systemd reads it: the main file is the first of
// /etc, /run, /usr/local/lib, /usr/lib (/lib) systemd/journald.conf (systemd
// 256 moved the defaults to /usr/lib; 252 reads only /etc); then every
// journald.conf.d/*.conf from those directories, a file name in a
// higher-priority directory hiding the same name below, applied in byte
// order of file names. The last valid Storage= in [Journal] wins; an invalid
// or empty value is ignored by journald.

export interface JournaldConfigInput {
  devicePath: string;
  bundlePath: string;
  text: string;
}

export interface JournalStorageVerdict {
  storage: 'persistent' | 'volatile' | 'none' | 'unknown';
  /** Storage= value, default 'auto' */
  configured: string;
  evidence: { source: string; line: number; text: string }[];
  /** one sentence in English */
  reason: string;
}

const CONFIG_DIRS = ['/etc/systemd', '/run/systemd', '/usr/local/lib/systemd', '/usr/lib/systemd'];
const STORAGE_VALUES = new Set(['volatile', 'persistent', 'auto', 'none']);

function normalize(p: string): string {
  let out = p.replace(/\/{2,}/g, '/');
  if (!out.startsWith('/')) out = '/' + out;
  return out.replace(/^\/lib\//, '/usr/lib/');
}

interface StorageLine {
  source: string;
  line: number;
  text: string;
  value: string;
}

/** Storage= assignments in [Journal], with continuation lines joined as systemd does. */
function storageLines(input: JournaldConfigInput): StorageLine[] {
  const out: StorageLine[] = [];
  const lines = input.text.split('\n');
  let section: string | null = null;
  let cont: { text: string; start: number; raw: string[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const lead = raw.trimStart();
    if (lead.startsWith('#') || lead.startsWith(';')) continue;
    const logical: string = cont ? cont.text + raw : raw;
    const rawLines: string[] = cont ? [...cont.raw, raw] : [raw];
    const start: number = cont ? cont.start : i + 1;
    const trailing = /\\+$/.exec(logical)?.[0].length ?? 0;
    if (trailing % 2 === 1 && i < lines.length - 1) {
      cont = { text: logical.slice(0, -1) + ' ', start, raw: rawLines };
      continue;
    }
    cont = null;
    const l = logical.trim();
    if (l.startsWith('[')) {
      section = l.endsWith(']') ? l.slice(1, -1) : null;
      continue;
    }
    const eq = l.indexOf('=');
    if (section !== 'Journal' || eq <= 0) continue;
    if (l.slice(0, eq).trim() !== 'Storage') continue;
    out.push({ source: input.bundlePath, line: start, text: rawLines.join('\n'), value: l.slice(eq + 1).trim() });
  }
  return out;
}

function orderedConfigs(configs: JournaldConfigInput[]): JournaldConfigInput[] {
  const rank = (dir: string) => {
    const r = CONFIG_DIRS.indexOf(dir);
    return r === -1 ? CONFIG_DIRS.length : r;
  };
  let main: { cfg: JournaldConfigInput; rank: number } | null = null;
  const dropins = new Map<string, { cfg: JournaldConfigInput; rank: number }>();
  for (const cfg of configs) {
    const p = normalize(cfg.devicePath);
    const mainMatch = /^(.*)\/journald\.conf$/.exec(p);
    if (mainMatch) {
      const r = rank(mainMatch[1]!);
      if (!main || r < main.rank) main = { cfg, rank: r };
      continue;
    }
    const dropMatch = /^(.*)\/journald\.conf\.d\/([^/]+\.conf)$/.exec(p);
    if (dropMatch) {
      const r = rank(dropMatch[1]!);
      const name = dropMatch[2]!;
      const prev = dropins.get(name);
      if (!prev || r < prev.rank) dropins.set(name, { cfg, rank: r });
    }
  }
  const names = [...dropins.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...(main ? [main.cfg] : []), ...names.map((n) => dropins.get(n)!.cfg)];
}

interface DirState {
  exists: boolean | null;
  evidence: { source: string; line: number; text: string } | null;
}

/** What `ls -ld` said about one directory: listed, "No such file or directory", or not mentioned. */
function dirState(journalDirs: { source: string; text: string }, dir: string): DirState {
  const lines = journalDirs.text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    const evidence = { source: journalDirs.source, line: i + 1, text: line };
    if (line.includes(`'${dir}'`) || line.includes(`${dir}:`)) {
      if (/No such file or directory/.test(line)) return { exists: false, evidence };
      // Permission denied and the like: we cannot tell.
      return { exists: null, evidence };
    }
    // "drwxr-sr-x+ 3 root systemd-journal 4096 Dec  1 10:00 /var/log/journal" (a symlink ends "-> target").
    const m = /^([dl])[-rwxsStTl]{9}[.+@]?\s.*\s(\S+?)(?: -> \S+)?$/.exec(line);
    if (m && m[2]!.replace(/\/$/, '') === dir) return { exists: true, evidence };
  }
  return { exists: null, evidence: null };
}

export function journalStorage(
  configs: JournaldConfigInput[],
  journalDirs: { source: string; text: string } | null,
): JournalStorageVerdict {
  let effective: StorageLine | null = null;
  for (const cfg of orderedConfigs(configs)) {
    for (const s of storageLines(cfg)) if (STORAGE_VALUES.has(s.value)) effective = s;
  }
  const configured = effective?.value ?? 'auto';
  const evidence: JournalStorageVerdict['evidence'] = effective
    ? [{ source: effective.source, line: effective.line, text: effective.text }]
    : [];
  const setBy = effective ? `Storage=${configured}` : configs.length ? 'Storage=auto (default, not set)' : 'Storage=auto (default; no journald.conf in the bundle)';

  if (configured === 'volatile') return { storage: 'volatile', configured, evidence, reason: `${setBy}: the journal is kept in memory under /run/log/journal and lost at reboot.` };
  if (configured === 'persistent') return { storage: 'persistent', configured, evidence, reason: `${setBy}: the journal is written to /var/log/journal.` };
  if (configured === 'none') return { storage: 'none', configured, evidence, reason: `${setBy}: journald keeps no journal at all.` };

  if (!journalDirs) {
    return { storage: 'unknown', configured, evidence, reason: `${setBy} and the bundle does not show whether /var/log/journal exists.` };
  }
  const state = dirState(journalDirs, '/var/log/journal');
  if (state.evidence) evidence.push(state.evidence);
  if (state.exists === true) return { storage: 'persistent', configured, evidence, reason: `${setBy} and /var/log/journal exists, so the journal is persistent.` };
  if (state.exists === false) return { storage: 'volatile', configured, evidence, reason: `${setBy} and /var/log/journal does not exist, so the journal is kept in memory and lost at reboot.` };
  return { storage: 'unknown', configured, evidence, reason: `${setBy} and ${journalDirs.source} does not say whether /var/log/journal exists.` };
}
