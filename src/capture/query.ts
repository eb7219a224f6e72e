// What the capture commands read from a device before acting, in one read-only sh script: the
// install record, the services that could be watched, where Node and charger-diag are, and for
// `status` the per-unit counters, the bundles and the free space of the capture directory.
import { randomBytes } from 'node:crypto';
import { isSiteLocalPath } from '../parse/unit-file.js';
import { isLongRunning } from '../rules/helpers.js';
import type { ServiceFact } from '../facts/types.js';
import { quoteWord } from '../collect/status.js';
import { DEFAULT_DIR } from './settings.js';
import { RECORD, STATE_SUBDIR, TEMPLATE_NAME, UNIT_DIR } from './layout.js';
import { parseRecord, type InstallRecord } from './plan.js';
import { parseKeyValues } from './trigger.js';

export interface Candidate {
  unit: string;
  fragmentPath: string;
  type: string;
}

export interface DeviceState {
  record: InstallRecord | null;
  /** the record's text was there but is not one this version reads */
  recordUnreadable: boolean;
  /** site-local long-running services, as the facts decide them */
  candidates: Candidate[];
  /** loaded service names (to tell an unknown --unit) */
  known: Set<string>;
  node: string | null;
  cli: string | null;
  dir: string;
  states: Record<string, string>[];
  bundles: { path: string; bytes: number; mtime: number }[];
  reports: { path: string; bytes: number }[];
  df: { size: number; avail: number } | null;
  hostname: string;
}

/** The query script; `dir` is --dir, else the record's, else the default. */
export function queryScript(boundary: string, dir: string | null): string {
  const b = quoteWord(boundary);
  return `BD=${b}
DIR=${quoteWord(dir ?? '')}
RECORD=${RECORD}
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
echo "$BD host"
uname -n
echo "$BD record"
cat "$RECORD" 2>/dev/null
[ -n "$DIR" ] || DIR=$(sed -n 's/^ *"dir": "\\(.*\\)",\\{0,1\\}$/\\1/p' "$RECORD" 2>/dev/null | head -n 1)
[ -n "$DIR" ] || DIR=${DEFAULT_DIR}
echo "$BD dir"
echo "$DIR"
echo "$BD units"
{
  systemctl list-unit-files --type=service --no-legend --no-pager --plain 2>/dev/null | awk '$1 !~ /@\\.service$/ { print $1 }'
  systemctl list-units --type=service --all --no-legend --no-pager --plain 2>/dev/null | awk '$1 ~ /\\.service$/ { print $1 }'
} | sort -u | xargs systemctl show -p Id,Type,FragmentPath,LoadState -- 2>/dev/null
echo "$BD node"
command -v node 2>/dev/null
echo "$BD cli"
c=$(command -v charger-diag 2>/dev/null) && readlink -f "$c"
echo "$BD states"
for f in "$DIR/${STATE_SUBDIR}"/*; do
  [ -f "$f" ] || continue
  case "$f" in *.tmp) continue ;; esac
  cat "$f"
  echo "$BD next"
done
echo "$BD bundles"
for f in "$DIR"/*.tar.gz "$DIR"/*.report.md; do
  [ -f "$f" ] || continue
  printf '%s %s %s\\n' "$(wc -c <"$f" | tr -d ' ')" "$(date -r "$f" +%s 2>/dev/null || echo 0)" "$f"
done
echo "$BD df"
df -P "$DIR" 2>/dev/null | awk 'NR == 2 { print $2 * 1024, $4 * 1024 }'
echo "$BD end"
`;
}

// The facts' own decision (src/rules/helpers.ts isLongRunning) reads only these three fields of a service.
function longRunning(name: string, type: string, masked: boolean): boolean {
  return isLongRunning({ name, type, masked } as Pick<ServiceFact, 'name' | 'type' | 'masked'> as ServiceFact);
}

/** Site-local (src/parse/unit-file.ts isSiteLocalPath) and long-running, and not charger-diag's own or transient. */
export function selectCandidates(showText: string): { candidates: Candidate[]; known: Set<string> } {
  const candidates: Candidate[] = [];
  const known = new Set<string>();
  for (const block of showText.split(/\n\s*\n/)) {
    const kv = parseKeyValues(block);
    const unit = kv.Id;
    if (!unit || !unit.endsWith('.service')) continue;
    const load = kv.LoadState ?? '';
    if (load === 'loaded') known.add(unit);
    const path = kv.FragmentPath ?? '';
    if (load !== 'loaded' || path === '') continue;
    if (unit.startsWith('charger-diag-capture@') || path === `${UNIT_DIR}/${TEMPLATE_NAME}`) continue;
    // systemd-run's units live under /run/systemd/transient: not the device's services.
    if (path.startsWith('/run/systemd/transient/') || !isSiteLocalPath(path)) continue;
    const type = kv.Type ?? 'simple';
    if (!longRunning(unit, type, false)) continue;
    candidates.push({ unit, fragmentPath: path, type });
  }
  candidates.sort((a, b) => (a.unit < b.unit ? -1 : 1));
  return { candidates, known };
}

export function newBoundary(): string {
  return `@@charger-diag-${randomBytes(12).toString('hex')}`;
}

/** The query script's output, section by section. */
export function parseQuery(out: string, boundary: string): DeviceState {
  const sections = new Map<string, string>();
  let name: string | null = null;
  let buf: string[] = [];
  for (const line of out.split('\n')) {
    if (line.startsWith(`${boundary} `) && !line.endsWith(' next')) {
      if (name) sections.set(name, buf.join('\n'));
      name = line.slice(boundary.length + 1);
      buf = [];
    } else buf.push(line);
  }
  if (name) sections.set(name, buf.join('\n'));
  const recordText = (sections.get('record') ?? '').trim();
  const record = recordText ? parseRecord(recordText) : null;
  const { candidates, known } = selectCandidates(sections.get('units') ?? '');
  const first = (k: string) => (sections.get(k) ?? '').split('\n').map((l) => l.trim()).find(Boolean) ?? null;
  const states = (sections.get('states') ?? '')
    .split(new RegExp(`^${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} next$`, 'm'))
    .map((t) => parseKeyValues(t))
    .filter((kv) => kv.unit);
  const bundles: DeviceState['bundles'] = [];
  const reports: DeviceState['reports'] = [];
  for (const l of (sections.get('bundles') ?? '').split('\n')) {
    const m = /^(\d+) (\d+) (.+)$/.exec(l.trim());
    if (!m) continue;
    if (m[3]!.endsWith('.tar.gz')) bundles.push({ path: m[3]!, bytes: Number(m[1]), mtime: Number(m[2]) });
    else reports.push({ path: m[3]!, bytes: Number(m[1]) });
  }
  const dfm = /^(\d+) (\d+)/.exec(first('df') ?? '');
  return {
    record,
    recordUnreadable: recordText !== '' && record === null,
    candidates,
    known,
    node: first('node'),
    cli: first('cli'),
    dir: first('dir') ?? DEFAULT_DIR,
    states,
    bundles: bundles.sort((a, b) => a.mtime - b.mtime),
    reports,
    df: dfm ? { size: Number(dfm[1]), avail: Number(dfm[2]) } : null,
    hostname: first('host') ?? 'device',
  };
}
