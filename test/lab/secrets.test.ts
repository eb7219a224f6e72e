// Secrets planted on a real device, in every place collect reads (live processes, unit files and
// systemctl's views, the journal, logs, crontabs, names of units, processes and directories), must
// reach neither the bundle nor any output made from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { labDescribe, withLab } from './harness.js';

// Each secret is unique, so finding it anywhere is a leak of exactly that class.
const SECRETS = {
  mysqlShortFlag: 'Mq7pQ2wZ9xKc',
  mysqldumpQuoted: 'Dq4vN8rT2bLs',
  sshpassArg: 'Sp4ssW0rdXq',
  redisCliArg: 'Rd5cL1S3crt',
  envPassword: 'EnvPw9Vb3Nq',
  bearerQuoted: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  basicQuoted: 'Y3AwMTpodW50ZXIyMjI=',
  digestResponse: '6629fae49393a05397450978507c4ef1',
  colonPassword: 'Pw0rdCol0nX',
  postgresYaml: 'PgS3cretValZ',
  ocppAuthKey: '0A1B2C3D4E5F60718293',
  ocpp201BasicAuth: 'BasicAuthS3cretQ',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYZZSECRET12',
  unitNamePassword: 'Relay0PassW',
  processTitlePassword: 'Proc0PassWd',
  cwdToken: 'WdT0kenS3cr3t',
  nohupPassword: 'Nohup0S3cret',
} as const;

// A throwaway RSA key made for this test: only its body lines matter (each is logged alone).
const PEM_BODY = [
  'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu',
  'KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm',
  'o3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2k',
];

const API = `import http.server, sys
print("starting with password=${SECRETS.nohupPassword}", flush=True)
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", 8000), H).serve_forever()
`;

let dir = '';
let bundle = '';
let extracted = '';

function everyFile(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out;
}

function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [kind, secret] of Object.entries(SECRETS)) if (text.includes(secret)) found.push(kind);
  for (const line of PEM_BODY) if (text.includes(line.slice(8, 40))) found.push('pem-body');
  return found;
}

labDescribe('secrets planted on a real device', () => {
  beforeAll(async () => {
    await withLab(
      {
        hostname: 'lab-secrets',
        users: ['pi'],
        files: {
          '/etc/systemd/system/relay-sync.service': [
            '[Unit]',
            'Description=Relay sync',
            '[Service]',
            `Environment=OCPP_PASSWORD=${SECRETS.envPassword}`,
            `ExecStart=/bin/bash -c 'exec -a "sshpass -p ${SECRETS.sshpassArg} ssh relay" sleep infinity'`,
            '[Install]',
            'WantedBy=multi-user.target',
            '',
          ].join('\n'),
          '/etc/systemd/system/autossh@.service': [
            '[Unit]',
            'Description=Tunnel to %i',
            '[Service]',
            'ExecStart=/bin/sleep infinity',
            '',
          ].join('\n'),
          '/etc/cron.d/backup': [
            'SHELL=/bin/sh',
            `*/5 * * * * root mysql -u root -p${SECRETS.mysqlShortFlag} -e 'select 1' >/dev/null 2>&1`,
            `0 3 * * * root mysqldump -u backup -p'${SECRETS.mysqldumpQuoted}' charger > /var/backups/charger.sql`,
            `*/10 * * * * root redis-cli -a ${SECRETS.redisCliArg} ping >/dev/null`,
            '',
          ].join('\n'),
          '/var/log/nginx/access.log': [
            `127.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "GET /api/status HTTP/1.1" 200 2 "-" "curl/7.88.1" "Bearer ${SECRETS.bearerQuoted}"`,
            `127.0.0.1 - - [06/Dec/2026:10:00:01 +0000] "GET /api/status HTTP/1.1" 401 2 "-" "curl/7.88.1" "Basic ${SECRETS.basicQuoted}"`,
            '',
          ].join('\n'),
          '/home/pi/api.py': API,
        },
        wants: [['multi-user.target', 'relay-sync.service']],
      },
      async (lab) => {
        // A template instance whose name carries a credential, as autossh users write them.
        await lab.sh(`systemctl start 'autossh@pi:${SECRETS.unitNamePassword}@relay.service'`);
        // A hand-started server: its title carries a credential, its working directory a token.
        await lab.sh(`install -d -o pi /srv/token=${SECRETS.cwdToken}/app && cp /home/pi/api.py /srv/token=${SECRETS.cwdToken}/app/`);
        await lab.run([
          'runuser', '-l', 'pi', '-c',
          `cd '/srv/token=${SECRETS.cwdToken}/app' || exit 1; nohup bash -c 'exec -a "ocpp[CP01:${SECRETS.processTitlePassword}@csms]" python3 api.py' </dev/null >nohup.out 2>&1 &`,
        ]);
        await lab.waitFor('ss -ltn | grep -q 127.0.0.1:8000', 'the hand-started server to listen');
        // Hand-started processes whose command lines carry passwords.
        await lab.sh(`nohup bash -c 'exec -a "mysql -u root -p${SECRETS.mysqlShortFlag} charger" sleep infinity' </dev/null >/dev/null 2>&1 &`);
        // The journal: application lines that quote secrets the way real programs log them.
        const log = async (tag: string, line: string): Promise<void> => {
          await lab.run(['logger', '-t', tag, '--', line]);
        };
        await log('ocpp', `Authorization: Digest username="cp01", realm="csms", nonce="dcd98b7102dd2f0e", uri="/ocpp", response="${SECRETS.digestResponse}"`);
        await log('ocpp', `connecting to csms user: cp01 password: ${SECRETS.colonPassword}`);
        await log('compose', `db  | environment loaded, POSTGRES_PASSWORD: ${SECRETS.postgresYaml}`);
        await log('ocpp', `[2,"19223201","ChangeConfiguration",{"key":"AuthorizationKey","value":"${SECRETS.ocppAuthKey}"}]`);
        await log('ocpp', `[2,"1","SetVariables",{"setVariableData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"attributeValue":"${SECRETS.ocpp201BasicAuth}"}]}]`);
        await log('deploy', `aws configure: key AKIAIOSFODNN7EXAMPLE secret ${SECRETS.awsSecret}`);
        await log('deploy', '-----BEGIN RSA PRIVATE KEY-----');
        for (const line of PEM_BODY) await log('deploy', line);
        await log('deploy', '-----END RSA PRIVATE KEY-----');
        const collected = await lab.collect(['--log', `/srv/token=${SECRETS.cwdToken}/app/nohup.out`]);
        dir = collected.dir;
        bundle = collected.bundle;
        expect(collected.stderr).not.toMatch(/Error:|\n\s+at /);
      },
    );
    extracted = join(dir, 'x');
    execFileSync('mkdir', ['-p', extracted]);
    execFileSync('tar', ['-xzf', bundle, '-C', extracted]);
  });

  afterAll(() => {
    // CHARGER_DIAG_KEEP_LAB=1 keeps the bundle to look at (its path is printed).
    if (dir && process.env.CHARGER_DIAG_KEEP_LAB === '1') console.log(`lab bundle kept: ${dir}`);
    else if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the planted secrets were really collected (the test can fail)', () => {
    // The same bundle without redaction would hold them: prove the places were read at all.
    const names = everyFile(extracted).map((p) => p.slice(extracted.length));
    expect(names.some((n) => n.endsWith('commands/journal.jsonl'))).toBe(true);
    expect(names.some((n) => n.includes('/etc/cron.d/backup'))).toBe(true);
    expect(names.some((n) => n.includes('/var/log/nginx/access.log'))).toBe(true);
    expect(names.some((n) => n.endsWith('nohup.out'))).toBe(true);
    const journal = readFileSync(everyFile(extracted).find((p) => p.endsWith('commands/journal.jsonl'))!, 'utf8');
    expect(journal).toContain('ChangeConfiguration');
    // Every line of the key block was logged, one journal entry each.
    expect(journal.split('"SYSLOG_IDENTIFIER":"deploy"').length - 1).toBeGreaterThanOrEqual(PEM_BODY.length + 3);
    const ps = readFileSync(everyFile(extracted).find((p) => p.endsWith('commands/ps.txt'))!, 'utf8');
    expect(ps).toContain('ocpp[CP01:');
    expect(ps).toContain('mysql -u root -p');
  });

  it('leaves no secret in any file of the bundle, nor in any file name', () => {
    const found: Record<string, string[]> = {};
    for (const file of everyFile(extracted)) {
      const rel = file.slice(extracted.length);
      const hits = [...leaks(rel), ...(statSync(file).size < 64 << 20 ? leaks(readFileSync(file, 'latin1')) : [])];
      if (hits.length) found[rel] = hits;
    }
    expect(found).toEqual({});
  });

  describe('and in every output made from it', () => {
    const outputs: Array<[string, string[]]> = [
      ['analyze', ['analyze']],
      ['analyze --json', ['analyze', '--json']],
      ['report md en', ['report', '--lang', 'en']],
      ['report md tr', ['report', '--lang', 'tr']],
      ['report html', ['report', '--format', 'html']],
      ['report json', ['report', '--format', 'json']],
      ['check text', ['check', '--format', 'text']],
      ['check junit', ['check', '--format', 'junit']],
      ['check sarif', ['check', '--format', 'sarif']],
      ['analyze --summary', ['analyze', '--summary']],
      ['report --summary', ['report', '--summary']],
    ];
    for (const [name, args] of outputs) {
      it(name, () => {
        const [command, ...rest] = args;
        const r = runCli([command!, bundle, ...rest]);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(leaks(r.stdout + r.stderr)).toEqual([]);
      });
    }
    it('the report collect wrote beside the bundle', () => {
      const report = readdirSync(dir).find((n) => n.endsWith('.report.md'));
      expect(report).toBeDefined();
      expect(leaks(readFileSync(join(dir, report!), 'utf8'))).toEqual([]);
    });
  });
});
