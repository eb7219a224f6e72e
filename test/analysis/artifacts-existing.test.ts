// A proposed file is never one the device already has: the bundle's unit files (and every other
// copied file) are checked before /etc/systemd/system/NAME or a drop-in is proposed; an existing
// unit gets a drop-in, an existing drop-in or health-check name a free one, and the plan says why.
import { describe, it, expect } from 'vitest';
import type { Analysis } from '../../src/analysis/schema.js';
import { renderReport } from '../../src/report/index.js';
import { analyzeSpec } from '../helpers/bundle.js';
import { LOGIN_SHELL, SYSTEM_PROCS, ps, serviceUnit, ss, type Proc } from '../helpers/raw.js';

const SESSION = '0::/user.slice/user-1000.slice/session-3.scope';
const HAND: Proc = { pid: 4242, ppid: 2311, user: 'basar', start: '2025-12-10 00:41:02', rss: 40960, cgroup: SESSION, args: '/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000' };
const handStarted = {
  'commands/ps.txt': ps([...SYSTEM_PROCS, LOGIN_SHELL, HAND]),
  'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['uvicorn', 4242, 6]] }]),
  'commands/procinfo.json': JSON.stringify({ processes: [{ pid: 4242, exe: '/usr/bin/python3.11', cwd: '/home/basar/charger', stdout: null, stderr: null }] }),
};
const paths = (a: Analysis) => a.artifacts.map((x) => x.path);
const writes = (a: Analysis) => a.artifacts.flatMap((x) => x.steps ?? []).filter((s) => s.id === 'write-file').map((s) => s.command.split('\n').find((l) => l.startsWith('sudo tee'))!);

describe('artifacts never overwrite a file of the device', () => {
  it('a hand-started server whose unit file exists gets a drop-in for that unit, not a new file over it', async () => {
    const base = await analyzeSpec({ files: handStarted });
    const name = base.artifacts.find((x) => x.kind === 'unit-file')!.path;
    expect(name).toBe('/etc/systemd/system/charger-api.service');

    const unit = serviceUnit({ description: 'old API', user: 'basar', workingDirectory: '/home/basar/charger', execStart: '/home/basar/env/bin/uvicorn api.main:app --port 8000', service: [] });
    const a = await analyzeSpec({ files: { ...handStarted, [`files${name}`]: unit } });
    const u = a.artifacts.find((x) => x.kind === 'unit-file')!;
    expect(u.path).toBe('/etc/systemd/system/charger-api.service.d/charger-diag.conf');
    expect(u.params?.exists).toEqual({ path: name, instead: 'drop-in', dropIn: u.path });
    expect(u.content).toContain('ExecStart=\nExecStart=/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn');
    expect(writes(a)).not.toContain(`sudo tee ${name} >/dev/null <<'EOF'`);
    expect(writes(a)).toContain("sudo tee /etc/systemd/system/charger-api.service.d/charger-diag.conf >/dev/null <<'EOF'");
    expect(renderReport(a, { format: 'md', lang: 'en' })).toContain(`\`${name}\` exists on the device already (its copy is in the bundle)`);
    expect(renderReport(a, { format: 'md', lang: 'tr' })).toContain(`\`${name}\` cihazda zaten var`);
  });

  it('a Restart= drop-in whose usual name is taken is written as charger-diag.conf', async () => {
    const unit = serviceUnit({ description: 'charger', user: 'pi', workingDirectory: '/home/pi', execStart: '/usr/bin/python3 /home/pi/ocpp/main.py', service: [] });
    const quiet = await analyzeSpec({ files: { 'files/etc/systemd/system/charger.service': unit } });
    expect(paths(quiet)).toContain('/etc/systemd/system/charger.service.d/10-restart.conf');
    const a = await analyzeSpec({
      files: { 'files/etc/systemd/system/charger.service': unit, 'files/etc/systemd/system/charger.service.d/10-restart.conf': '[Service]\nRestartSec=9\n' },
    });
    const d = a.artifacts.find((x) => x.for === 'service.no-restart')!;
    expect(d.path).toBe('/etc/systemd/system/charger.service.d/charger-diag.conf');
    expect(d.params?.exists).toEqual({ path: '/etc/systemd/system/charger.service.d/10-restart.conf', instead: 'renamed' });
  });

  it('a health check whose usual unit name is taken by a unit of the device gets a free name', async () => {
    const cfg = { healthUrls: [{ url: 'http://127.0.0.1:8000/api/health', unit: 'charger-api.service' }] };
    const fresh = await analyzeSpec({ files: handStarted }, cfg);
    expect(paths(fresh)).toContain('/etc/systemd/system/charger-api-health.service');
    const a = await analyzeSpec(
      { files: { ...handStarted, 'files/usr/lib/systemd/system/charger-api-health.timer': '[Timer]\nOnCalendar=daily\n' } },
      cfg,
    );
    expect(paths(a)).toEqual(['/etc/systemd/system/charger-api.service', '/etc/systemd/system/charger-api-health-check.service', '/etc/systemd/system/charger-api-health-check.timer']);
    expect(a.artifacts[1]!.params?.exists).toEqual({ path: '/etc/systemd/system/charger-api-health.timer', instead: 'renamed' });
    expect(renderReport(a, { format: 'md', lang: 'en' })).toContain('`/etc/systemd/system/charger-api-health.timer` exists on the device already: writing it would replace a file the device uses');
  });
});
