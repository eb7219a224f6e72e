// Credentials inside names: a unit whose instance is an ssh target with its
// password, a process title with one, a working directory that holds a token
// and becomes the proposed unit's name. None of them may reach any output
// (analysis JSON, terminal summary, reports in both languages, check's text,
// JUnit and SARIF, the fleet views), and a ready-to-apply file or command
// carries a placeholder to fill in, never the secret nor a redaction mark.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openBundle } from '../src/bundle/reader.js';
import { analyzeBundle } from '../src/analysis/analyze.js';
import type { Analysis } from '../src/analysis/schema.js';
import { defaultConfig } from '../src/config.js';
import { renderSummary } from '../src/render/summary.js';
import { renderReport } from '../src/report/index.js';
import { checkTarget } from '../src/check/run.js';
import { renderText } from '../src/check/text.js';
import { renderJunit } from '../src/check/junit.js';
import { renderSarif } from '../src/check/sarif.js';
import { summarizeFleet } from '../src/fleet/run.js';
import { FleetProgress } from '../src/fleet/progress.js';
import { renderFleetSummary } from '../src/render/fleet-summary.js';
import { renderFleetReport } from '../src/report/fleet/render.js';
import { redact } from '../src/redact.js';
import { redactPath } from '../src/redact-names.js';
import { redactUserinfo } from '../src/redact/userinfo.js';
import { suggestUnitName } from '../src/facts/naming.js';
import { writeBundle } from './helpers/bundle.js';
import { LOGIN_SHELL, SYSTEM_PROCS, at, jsonl, ps, sd, serviceUnit, ss } from './helpers/raw.js';

// Distinct enough that a lower-cased copy is caught as well.
const TUNNEL_PW = 'Hx7tunnelPw9';
const TITLE_PW = 'Qz4titlePw8';
const DIR_TOKEN = 'Tk5dirToken7';
const SECRETS = [TUNNEL_PW, TITLE_PW, DIR_TOKEN];
// As systemd names it: systemd-escape --template=autossh@.service pi:PASSWORD@relay
const TUNNEL = `autossh@pi:${TUNNEL_PW}\\x40relay.service`;
const TITLE = `ocpp[CP01:${TITLE_PW}@csms]`;
const CWD = `/srv/token=${DIR_TOKEN}`;

function leaks(text: string): string[] {
  const lower = text.toLowerCase();
  return SECRETS.filter((s) => lower.includes(s.toLowerCase()));
}

describe('user:password@host without a scheme', () => {
  it('is redacted in unit instances (plain and systemd-escaped), process titles and command lines, keeping user and host', () => {
    const counts = {};
    expect(redactUserinfo(`autossh@pi:${TUNNEL_PW}@relay.service`, counts)).toBe('autossh@pi:[redacted:url-credentials]@relay.service');
    expect(redactUserinfo(`autossh@pi:${TUNNEL_PW}\\x40relay.service`)).toBe('autossh@pi:[redacted:url-credentials]\\x40relay.service');
    expect(redactUserinfo(TITLE)).toBe('ocpp[CP01:[redacted:url-credentials]@csms]');
    expect(redactUserinfo(`/usr/bin/ssh -N -o ProxyJump=pi:${TUNNEL_PW}@relay charger`)).toBe('/usr/bin/ssh -N -o ProxyJump=pi:[redacted:url-credentials]@relay charger');
    expect(redactUserinfo(`Dec 10 01:02:03 charger-01 systemd[1]: Started autossh@pi:${TUNNEL_PW}@relay.service - reverse tunnel.`)).toBe(
      'Dec 10 01:02:03 charger-01 systemd[1]: Started autossh@pi:[redacted:url-credentials]@relay.service - reverse tunnel.',
    );
    expect(counts).toEqual({ 'url-credentials': 1 });
  });

  it('leaves what only looks like it alone', () => {
    for (const text of [
      'Started getty@tty1.service',
      'git@github.com:charger/ocpp.git',
      'mailto:ops@example.com',
      'sip:cp01@pbx.example.com',
      'npm:left-pad@1.3.0',
      'docker.io/library/nginx:1.25@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
      'nginx:1.25@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
      'java.lang.Object@1b6d3586',
      'user@host:2222',
      'at 12:30:45@worker',
      'ssh basar@charger-01',
    ]) {
      expect(redactUserinfo(text), text).toBe(text);
    }
  });

  it('is idempotent, over the general redactor too', () => {
    for (const text of [TUNNEL, TITLE, `https://pi:${TUNNEL_PW}@relay/x`, `${CWD}/app`]) {
      const once = redact(text);
      expect(redact(once), text).toBe(once);
    }
  });

  it('a path is redacted a segment at a time, so the rest of it stays', () => {
    expect(redactPath(`files${CWD}/app/server.log`)).toBe('files/srv/token=[redacted:secret-kv]/app/server.log');
    expect(redactPath(`/var/log/${TUNNEL}/x`)).toBe('/var/log/autossh@pi:[redacted:url-credentials]\\x40relay.service/x');
  });

  it('a proposed unit name is redacted before it is lower-cased, its mark kept', () => {
    const name = suggestUnitName('node', CWD, 'node server.js');
    expect(name).toBe('token-[redacted:secret-kv]-node');
    expect(suggestUnitName(TITLE, '/', TITLE)).toBe('ocpp-cp01-[redacted:url-credentials]-csms');
    expect(suggestUnitName('uvicorn', '/home/basar/charger', 'uvicorn api.main:app')).toBe('charger-api');
  });
});

describe('every output of a bundle whose names carry credentials', () => {
  let dir: string;
  let cleanup: () => void;
  let a: Analysis;

  beforeAll(async () => {
    const session = '0::/user.slice/user-1000.slice/session-3.scope';
    ({ dir, cleanup } = writeBundle({
      // collected with --no-redact: the bundle holds everything as it was
      manifest: { redaction: { enabled: false, replacements: {} } },
      files: {
        [`files/etc/systemd/system/${TUNNEL}`]: serviceUnit({ description: 'reverse tunnel', execStart: '/usr/bin/autossh -M 0 -N relay' }),
        'commands/journal.jsonl': jsonl([
          sd.started(TUNNEL, 'reverse tunnel', at('01:02:03')),
          sd.mainExited(TUNNEL, at('01:05:00'), 'exited', '1/FAILURE'),
        ]),
        'commands/ps.txt': ps([
          ...SYSTEM_PROCS,
          LOGIN_SHELL,
          { pid: 4242, ppid: 2311, user: 'basar', start: '2025-12-10 00:41:02', rss: 40960, cgroup: session, args: TITLE },
          { pid: 4343, ppid: 2311, user: 'basar', start: '2025-12-10 00:42:02', rss: 40960, cgroup: session, args: `/usr/bin/node server.js --port 9100` },
        ]),
        'commands/ss-ltnup.txt': ss([
          { local: '0.0.0.0:9000', users: [['ocpp', 4242, 6]] },
          { local: '0.0.0.0:9100', users: [['node', 4343, 6]] },
        ]),
        'commands/procinfo.json': JSON.stringify(
          {
            processes: [
              { pid: 4242, exe: '/usr/bin/ocpp', cwd: '/srv/ocpp', stdout: null, stderr: null },
              { pid: 4343, exe: '/usr/bin/node', cwd: CWD, stdout: `${CWD}/nohup.out`, stderr: `${CWD}/nohup.out` },
            ],
          },
          null,
          2,
        ),
      },
    }));
    const b = await openBundle(dir);
    try {
      a = await analyzeBundle(b, defaultConfig());
    } finally {
      await b.close();
    }
  });
  afterAll(() => cleanup());

  it('finds what it should, about the names as redacted', () => {
    const subjects = a.findings.map((f) => `${f.rule} ${f.subject}`);
    expect(subjects).toContain('service.no-restart autossh@pi:[redacted:url-credentials]\\x40relay.service');
    expect(subjects.filter((s) => s.startsWith('process.unmanaged'))).toHaveLength(2);
    expect(JSON.stringify(a)).toContain('ocpp[CP01:[redacted:url-credentials]@csms]');
  });

  it('the analysis JSON, the terminal summary and the reports in both languages carry none of them', () => {
    expect(leaks(JSON.stringify(a))).toEqual([]);
    expect(leaks(renderSummary(a))).toEqual([]);
    for (const lang of ['en', 'tr'] as const) {
      for (const format of ['md', 'html', 'json'] as const) {
        expect(leaks(renderReport(a, { lang, format, now: new Date('2025-12-10T02:00:00+03:00') })), `${lang} ${format}`).toEqual([]);
      }
    }
    expect(a.redaction?.output['url-credentials']).toBeGreaterThan(0);
    expect(a.redaction?.output['secret-kv']).toBeGreaterThan(0);
  });

  it('files and commands to apply use <unit-name> and <secret>, never the secret or a redaction mark', () => {
    const applied = (x: Analysis['artifacts'][number]) => [x.path, x.content, ...(x.steps ?? []).map((s) => s.command)].join('\n');
    expect(a.artifacts.length).toBeGreaterThan(0);
    for (const x of a.artifacts) {
      expect(applied(x), x.path).not.toContain('[redacted:');
      expect(leaks(applied(x)), x.path).toEqual([]);
    }
    const dropIn = a.artifacts.find((x) => x.for === 'service.no-restart')!;
    expect(dropIn.path).toBe('/etc/systemd/system/<unit-name>.service.d/10-restart.conf');
    expect(dropIn.params?.unit).toBe('autossh@pi:[redacted:url-credentials]\\x40relay.service');
    expect(dropIn.placeholders).toEqual([{ placeholder: '<unit-name>', kind: 'unit-name' }]);
    // Unquoted: pasted unfilled, the shell refuses the redirection instead of creating a file called "<unit-name>...".
    expect(dropIn.steps![0]!.command).toContain('sudo mkdir -p /etc/systemd/system/<unit-name>.service.d\n');
    expect(dropIn.steps!.at(-1)!.command).toMatch(/^systemctl show <unit-name>\.service -p Restart /);

    const units = a.artifacts.filter((x) => x.kind === 'unit-file');
    const byTitle = units.find((x) => x.params?.pid === 4242)!;
    const byDir = units.find((x) => x.params?.pid === 4343)!;
    for (const u of [byTitle, byDir]) {
      expect(u.path).toBe('/etc/systemd/system/<unit-name>.service');
      expect(u.steps!.map((s) => s.command)).toContain('sudo systemctl enable --now <unit-name>.service');
    }
    expect(byTitle.placeholders).toEqual([
      { placeholder: '<unit-name>', kind: 'unit-name' },
      { placeholder: '<secret>', kind: 'secret' },
    ]);
    // A process title is no program path: ExecStart= keeps it as ps shows it, its secret a placeholder.
    expect(byTitle.content).toContain('ExecStart=ocpp[CP01:<secret>@csms]\n');
    expect(byDir.content).toContain('WorkingDirectory=/srv/token=<secret>\n');
    expect(byDir.params?.unit).toBe('token-[redacted:secret-kv]-server.service');
  });

  it('the report tells the reader to fill the placeholders in, in both languages', () => {
    const en = renderReport(a, { lang: 'en' });
    const tr = renderReport(a, { lang: 'tr' });
    expect(en).toContain('Replace every `<unit-name>` with the unit’s real name');
    expect(tr).toContain('her `<unit-name>` yerine birimin gerçek adını yazın');
    expect(en).toContain('`<secret>` marks where a secret was removed');
    expect(tr).toContain('`<secret>`, aşağıdaki dosya ve komutlarda');
    expect(en).toContain('journalctl -u <unit-name>.service');
    expect(en).not.toMatch(/journalctl -u [^\n`]*\[redacted:/);
    // Nor in a configuration snippet to paste.
    expect(en).not.toMatch(/"unit": "[^"]*\[redacted:/);
    expect(en).toContain('"unit": "<unit-name>.service"');
    // The html shows the placeholders as text, not as tags.
    const html = renderReport(a, { lang: 'en', format: 'html' });
    expect(html).not.toMatch(/<unit-name>|<secret>/);
    expect(html).toContain('&lt;unit-name&gt;');
  });

  it("check's text, JUnit and SARIF carry none of them", async () => {
    const r = await checkTarget({ path: dir, kind: 'bundle', expectFile: null }, defaultConfig(), { failOn: 'info', cwd: process.cwd() });
    expect(r.findings.length).toBeGreaterThan(0);
    for (const out of [renderText([r]), renderJunit([r]), renderSarif([r], `/srv/ci/token=${DIR_TOKEN}/repo`)]) expect(leaks(out)).toEqual([]);
    expect(renderSarif([r], `/srv/ci/token=${DIR_TOKEN}/repo`)).toContain('file:///srv/ci/token=%5Bredacted:secret-kv%5D/repo/');
  });

  it('the fleet summary and report carry none of them', async () => {
    const s = await summarizeFleet([dir], { progress: new FleetProgress(null) });
    for (const out of [JSON.stringify(s), renderFleetSummary(s), renderFleetReport(s, { format: 'md', lang: 'en' }), renderFleetReport(s, { format: 'md', lang: 'tr' })]) {
      expect(leaks(out)).toEqual([]);
    }
    expect(s.rules.flatMap((r) => r.subjects.map((x) => x.subject))).toContain('autossh@pi:[redacted:url-credentials]\\x40relay.service');
  });
});
