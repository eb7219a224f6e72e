import { describe, it, expect } from 'vitest';
import { isSecretName, redact, redactDeep, type RedactionCounts } from '../src/redact.js';

function r(text: string): { out: string; counts: RedactionCounts } {
  const counts: RedactionCounts = {};
  return { out: redact(text, counts), counts };
}

describe('systemd Environment=', () => {
  it('redacts only the value of a secret-looking variable in a unit file', () => {
    const unit = [
      '[Service]',
      'User=basar',
      'WorkingDirectory=/home/basar/charger',
      'Environment=PYTHONUNBUFFERED=1',
      'Environment=API_KEY=abc123def456',
      'Environment="DB_PASSWORD=hunter2 with spaces" "OTHER=y"',
      "Environment='OCPP_AUTH_TOKEN=0f9e8d7c'",
      'Environment=CSMS_URL=wss://csms.example.com/ocpp/CP001 TOKEN_TTL=3600 TOKEN_URL=https://auth.example.com/token',
      'ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py',
      'KillSignal=SIGTERM',
      'PassEnvironment=TOKEN SECRET',
      '',
    ].join('\n');
    const { out, counts } = r(unit);
    expect(out).toBe(
      [
        '[Service]',
        'User=basar',
        'WorkingDirectory=/home/basar/charger',
        'Environment=PYTHONUNBUFFERED=1',
        'Environment=API_KEY=[redacted:secret-env]',
        'Environment="DB_PASSWORD=[redacted:secret-env]" "OTHER=y"',
        "Environment='OCPP_AUTH_TOKEN=[redacted:secret-env]'",
        'Environment=CSMS_URL=wss://csms.example.com/ocpp/CP001 TOKEN_TTL=3600 TOKEN_URL=https://auth.example.com/token',
        'ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py',
        'KillSignal=SIGTERM',
        'PassEnvironment=TOKEN SECRET',
        '',
      ].join('\n'),
    );
    expect(counts).toEqual({ 'secret-env': 3 });
  });

  it('redacts every secret in the space-separated list of `systemctl show`', () => {
    const show = [
      'Id=charger.service',
      'Environment=PYTHONUNBUFFERED=1 API_KEY=sk_live_51H8xYzAbC DB_PASSWORD=hunter2 LANG=C.UTF-8',
      'EnvironmentFiles=/etc/default/charger (ignore_errors=yes)',
      'SetCredential=ocpp-key:0123456789abcdef',
      'LoadCredential=tls-key:/etc/charger/tls.key',
      'Restart=no',
    ].join('\n');
    const { out, counts } = r(show);
    expect(out).toBe(
      [
        'Id=charger.service',
        'Environment=PYTHONUNBUFFERED=1 API_KEY=[redacted:secret-env] DB_PASSWORD=[redacted:secret-env] LANG=C.UTF-8',
        'EnvironmentFiles=/etc/default/charger (ignore_errors=yes)',
        'SetCredential=[redacted:secret-kv]',
        'LoadCredential=tls-key:/etc/charger/tls.key',
        'Restart=no',
      ].join('\n'),
    );
    expect(counts).toEqual({ 'secret-env': 2, 'secret-kv': 1 });
  });

  it('leaves references and switches alone', () => {
    const text = 'Environment=API_KEY=${API_KEY} AUTH_ENABLED=true PASSWORD= SECRET=$SECRET';
    expect(redact(text)).toBe(text);
  });
});

describe('command lines', () => {
  it('redacts KEY=value prefixes and -D properties as secret-kv', () => {
    const { out, counts } = r(
      'basar     165170  0.0  0.1  API_KEY=abc123 DEBUG=1 java -Dspring.datasource.password=s3cr3t -Dserver.port=8080 -jar app.jar',
    );
    expect(out).toBe(
      'basar     165170  0.0  0.1  API_KEY=[redacted:secret-kv] DEBUG=1 java -Dspring.datasource.password=[redacted:secret-kv] -Dserver.port=8080 -jar app.jar',
    );
    expect(counts).toEqual({ 'secret-kv': 2 });
  });

  it.each([
    ['--token X', '--token abc123xyz', '--token [redacted:secret-arg]'],
    ['--token=X', '--token=abc123xyz', '--token=[redacted:secret-arg]'],
    ['--password', '--password "p4ss word"', '--password "[redacted:secret-arg]"'],
    ['--passwd', '--passwd p4ss', '--passwd [redacted:secret-arg]'],
    ['--api-key', '--api-key=AbC123', '--api-key=[redacted:secret-arg]'],
    ['--apikey', '--apikey AbC123', '--apikey [redacted:secret-arg]'],
    ['--secret', '--secret s3cr3t', '--secret [redacted:secret-arg]'],
    ['--client-secret', "--client-secret 'x.y.z'", "--client-secret '[redacted:secret-arg]'"],
    ['--authtoken (ngrok)', '--authtoken 2Yx7abcDEF', '--authtoken [redacted:ngrok-authtoken]'],
  ])('%s', (_label, input, expected) => {
    expect(redact(`/usr/local/bin/app ${input} --port 8000`)).toBe(`/usr/local/bin/app ${expected} --port 8000`);
  });

  it('does not touch -p, --port, --host, a valueless flag or a file option', () => {
    const lines = [
      'mysql -u charger -p charger_db',
      '/home/basar/env/bin/python /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000',
      'docker login --password-stdin -u basar registry.example.com',
      'app --token-file /run/secrets/token --password-file=/etc/charger/pw --no-password --verbose',
      'gunicorn -w 4 -b 127.0.0.1:8000 --keyfile /etc/ssl/private/charger.key app:app',
    ];
    for (const l of lines) expect(redact(l)).toBe(l);
  });

  it('redacts a real ps -eo line of a hand-started ngrok', () => {
    const line =
      ' 165201       1 basar                            Wed Dec 10 01:02:30 2025      750 24576  0.4 0::/user.slice/user-1000.slice/session-3.scope /usr/local/bin/ngrok http 8000 --authtoken 2YxZ9aBcDeFgHiJkLmNoPqRsTuV_3wXyZaBcDeFgHiJkLm --log stdout';
    const { out, counts } = r(line);
    expect(out).toContain('--authtoken [redacted:ngrok-authtoken] --log stdout');
    expect(out).not.toContain('2YxZ9aBcDeFgHiJkLmNoPqRsTuV');
    expect(out.startsWith(' 165201       1 basar')).toBe(true);
    expect(counts).toEqual({ 'ngrok-authtoken': 1 });
  });
});

describe('ngrok', () => {
  it('redacts `ngrok config add-authtoken X` and the v2 `ngrok authtoken X`', () => {
    expect(redact('ngrok config add-authtoken 2YxZ9aBcDeFgHiJkLmNoPqRsTuV_3wXyZ')).toBe('ngrok config add-authtoken [redacted:ngrok-authtoken]');
    expect(redact('./ngrok authtoken 2YxZ9aBcDeFgHiJkLmNoPqRsTuV_3wXyZ')).toBe('./ngrok authtoken [redacted:ngrok-authtoken]');
    // prose is not a token
    expect(redact('ERROR:  authtoken is invalid or expired')).toBe('ERROR:  authtoken is invalid or expired');
  });

  it('redacts authtoken in ngrok.yml and NGROK_AUTHTOKEN in the environment', () => {
    const yml = [
      'version: "2"',
      'authtoken: 2YxZ9aBcDeFgHiJkLmNoPqRsTuV_3wXyZaBcDeFgHiJkLm',
      'api_key: "2ZaBcDeFgHiJkLmNoPq_4AbCdEf"',
      'tunnels:',
      '  charger-api:',
      '    proto: http',
      '    addr: 8000',
      '    basic_auth:',
      '      - "admin:changeme"',
      '',
    ].join('\n');
    const { out, counts } = r(yml);
    expect(out).toBe(
      [
        'version: "2"',
        'authtoken: [redacted:ngrok-authtoken]',
        'api_key: "[redacted:secret-kv]"',
        'tunnels:',
        '  charger-api:',
        '    proto: http',
        '    addr: 8000',
        '    basic_auth:',
        '      - "admin:changeme"',
        '',
      ].join('\n'),
    );
    expect(counts).toEqual({ 'ngrok-authtoken': 1, 'secret-kv': 1 });
    expect(redact('Environment=NGROK_AUTHTOKEN=2YxZ9aBcDeFg')).toBe('Environment=NGROK_AUTHTOKEN=[redacted:ngrok-authtoken]');
    expect(redact('export NGROK_AUTHTOKEN=2YxZ9aBcDeFg')).toBe('export NGROK_AUTHTOKEN=[redacted:ngrok-authtoken]');
  });

  it('keeps an ngrok agent log line intact', () => {
    const line =
      't=2025-12-10T01:10:02+0300 lvl=warn msg="failed to open private leg" id=3f2a privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"';
    expect(redact(line)).toBe(line);
  });
});

describe('URLs, headers and tokens', () => {
  it.each([
    ['https://basar:hunter2@csms.example.com/ocpp', 'https://basar:[redacted:url-credentials]@csms.example.com/ocpp'],
    ['DATABASE_URL=postgres://charger:s3cr3t@localhost:5432/charger', 'DATABASE_URL=postgres://charger:[redacted:url-credentials]@localhost:5432/charger'],
    ['mqtt://device01:p%40ss:w0rd@broker.local:1883', 'mqtt://device01:[redacted:url-credentials]@broker.local:1883'],
    ['ws://cp001:abc@10.0.0.5:9000/ocpp', 'ws://cp001:[redacted:url-credentials]@10.0.0.5:9000/ocpp'],
    ['redis://:authpass@127.0.0.1:6379/0', 'redis://:[redacted:url-credentials]@127.0.0.1:6379/0'],
  ])('%s', (input, expected) => {
    const counts: RedactionCounts = {};
    expect(redact(input, counts)).toBe(expected);
    expect(counts['url-credentials']).toBe(1);
  });

  it('leaves URLs without credentials alone', () => {
    for (const u of [
      'http://127.0.0.1:8000/health',
      'upstream: "http://127.0.0.1:8000/api/status?from=a@b.example"',
      'git@github.com:basar/charger.git',
      'ssh://basar@charger-01:22',
    ]) {
      expect(redact(u)).toBe(u);
    }
  });

  it('redacts query-string secrets', () => {
    const line =
      '192.168.1.20 - - [10/Dec/2025:01:10:02 +0300] "GET /api/status?token=abc123&page=2&api_key=zzz HTTP/1.1" 502 157 "-" "curl/7.88.1"';
    const { out, counts } = r(line);
    expect(out).toBe(
      '192.168.1.20 - - [10/Dec/2025:01:10:02 +0300] "GET /api/status?token=[redacted:secret-kv]&page=2&api_key=[redacted:secret-kv] HTTP/1.1" 502 157 "-" "curl/7.88.1"',
    );
    expect(counts).toEqual({ 'secret-kv': 2 });
  });

  it('redacts Authorization headers, keeping the scheme', () => {
    expect(redact('Authorization: Basic YWRtaW46Y2hhbmdlbWU=')).toBe('Authorization: Basic [redacted:authorization-header]');
    expect(redact('curl -sf -H "Authorization: Bearer abc.def-123" http://127.0.0.1:8000/health')).toBe(
      'curl -sf -H "Authorization: Bearer [redacted:authorization-header]" http://127.0.0.1:8000/health',
    );
    expect(redact('proxy-authorization: token ghp_abc123')).toBe('proxy-authorization: token [redacted:authorization-header]');
    expect(redact('{"headers": {"Authorization": "Bearer abc123xyz", "Accept": "*/*"}}')).toBe(
      '{"headers": {"Authorization": "Bearer [redacted:authorization-header]", "Accept": "*/*"}}',
    );
    // inside a journal JSON line the header is escaped
    expect(redact('{"MESSAGE":"request headers: {\\"Authorization\\": \\"Basic YWRtaW4=\\"}"}')).toBe(
      '{"MESSAGE":"request headers: {\\"Authorization\\": \\"Basic [redacted:authorization-header]\\"}"}',
    );
    expect(redact('X-Api-Key: 9f8e7d6c5b4a')).toBe('X-Api-Key: [redacted:secret-kv]');
  });

  it('redacts a bare bearer token but not the word in prose', () => {
    const { out, counts } = r('WARNING: rejected request with Bearer 8f14e45fceea167a5a36dedd4bea2543');
    expect(out).toBe('WARNING: rejected request with Bearer [redacted:bearer-token]');
    expect(counts).toEqual({ 'bearer-token': 1 });
    for (const prose of ['Bearer token required', 'WWW-Authenticate: Bearer realm="charger"', 'the bearer of this card', 'token_type=bearer']) {
      expect(redact(prose)).toBe(prose);
    }
  });

  it('redacts JWTs wherever they appear', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJDUDAwMSIsImlhdCI6MTc2NTMxODUwMH0.4pcPyMD09olPSyXnrXCjTwXyr4BsezdI1AVTmud2fU4';
    const { out, counts } = r(`INFO ocpp: connected, session=${jwt} cp=CP001`);
    expect(out).toBe('INFO ocpp: connected, session=[redacted:jwt] cp=CP001');
    expect(counts).toEqual({ jwt: 1 });
    expect(redact(`Authorization: Bearer ${jwt}`)).toBe('Authorization: Bearer [redacted:authorization-header]');
  });

  it('redacts AWS keys and the credentials file', () => {
    const creds = ['[default]', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'region = eu-central-1', ''].join(
      '\n',
    );
    const { out, counts } = r(creds);
    expect(out).toBe(
      ['[default]', 'aws_access_key_id = [redacted:cloud-key]', 'aws_secret_access_key = [redacted:cloud-key]', 'region = eu-central-1', ''].join('\n'),
    );
    expect(counts).toEqual({ 'cloud-key': 2 });
    expect(redact('Environment=AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG')).toBe('Environment=AWS_SECRET_ACCESS_KEY=[redacted:secret-env]');
    expect(redact('key id AKIAIOSFODNN7EXAMPLEX is not an access key id')).toBe('key id AKIAIOSFODNN7EXAMPLEX is not an access key id');
  });

  it('redacts private key blocks, multi-line, whatever the key type', () => {
    for (const type of ['OPENSSH PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']) {
      const text = [
        'deploy key follows:',
        `-----BEGIN ${type}-----`,
        'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
        'QyNTUxOQAAACDkd2l6YXJkIGtleSBmb3IgdGVzdHMgb25seSwgbm90IHJlYWwAAAAA',
        `-----END ${type}-----`,
        'done',
      ].join('\n');
      const { out, counts } = r(text);
      expect(out).toBe('deploy key follows:\n[redacted:private-key]\ndone');
      expect(counts).toEqual({ 'private-key': 1 });
    }
  });

  it('redacts an unterminated private key as far as its body goes, and leaves certificates', () => {
    expect(redact('x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n')).toBe('x\n[redacted:private-key]\n');
    // Cut short: the text after the body is not swallowed.
    expect(redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nINFO: started worker 3\nINFO: ready')).toBe(
      '[redacted:private-key]\nINFO: started worker 3\nINFO: ready',
    );
    const cert = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n';
    expect(redact(cert)).toBe(cert);
  });

  it('redacts JSON and Python-style secret keys', () => {
    expect(redact('{"password": "hunter2", "user": "basar", "token_ttl": 3600, "pin_code": 1234}')).toBe(
      '{"password": "[redacted:secret-kv]", "user": "basar", "token_ttl": 3600, "pin_code": 1234}',
    );
    expect(redact("config={'api_key': 'abc', 'port': 8000}")).toBe("config={'api_key': '[redacted:secret-kv]', 'port': 8000}");
    expect(redact('{"secret":12345,"a":1}')).toBe('{"secret":[redacted:secret-kv],"a":1}');
    expect(redact('{"credentials": {"user": "x"}}')).toBe('{"credentials": {"user": "x"}}');
  });
});

describe('normal device output stays as it is', () => {
  const untouched = [
    '    PID    PPID USER                             STARTED                   ELAPSED   RSS %CPU CGROUP COMMAND',
    '    512       1 root                             Wed Dec 10 00:58:04 2025     1016  6144  0.0 0::/system.slice/ssh.service sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
    'tcp   LISTEN 0      2048         0.0.0.0:8000       0.0.0.0:*    users:(("uvicorn",pid=165162,fd=7))',
    'Dec 10 01:10:02 charger-01 systemd[1]: charger.service: Main process exited, code=killed, status=9/KILL',
    "Dec 10 01:10:02 charger-01 systemd[1]: charger.service: Failed with result 'oom-kill'.",
    '2025-12-10T01:10:01,932412+03:00 Out of memory: Killed process 165162 (python) total-vm:912344kB, anon-rss:702112kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1520kB oom_score_adj:0',
    '2025-12-10T01:10:01,931002+03:00 oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/charger.service,task=python,pid=165162,uid=1000',
    'Dec 10 01:09:58 charger-01 sshd[2211]: Accepted password for basar from 192.168.1.5 port 51234 ssh2',
    'Dec 10 01:09:58 charger-01 sshd[2211]: Failed password for invalid user admin from 10.0.0.9 port 40022 ssh2',
    'Dec 10 01:09:58 charger-01 sudo: pam_unix(sudo:session): session opened for user root(uid=0) by basar(uid=1000)',
    'INFO:     127.0.0.1:51234 - "GET /health HTTP/1.1" 200 OK',
    '2025/12/10 01:10:05 [error] 812#812: *31 connect() failed (111: Connection refused) while connecting to upstream, client: 192.168.1.20, server: _, request: "GET /api/status HTTP/1.1", upstream: "http://127.0.0.1:8000/api/status", host: "charger-01"',
    'MemTotal:        3882672 kB',
    'some avg10=12.50 avg60=3.10 avg300=0.80 total=123456',
    'Filesystem     Type     1-blocks      Used Available Capacity Mounted on',
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
    'HOME=/home/basar PATH=/usr/local/bin:/usr/bin:/bin PWD=/home/basar/charger TOKENIZERS_PARALLELISM=false GPIO_PIN=17 KEYBOARD=us',
    'StartLimitBurst=5',
    'KeyringMode=private',
    'WatchdogSignal=6',
    'ExecStart={ path=/usr/bin/python3 ; argv[]=/usr/bin/python3 /opt/charger/main.py ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }',
    '*/5 * * * * root curl -fsS http://127.0.0.1:8000/health || systemctl restart charger.service',
    'if token == expected: return True',
    'Token validation failed: signature expired',
    '2025-12-10 01:10:02,118 WARNING auth: token refresh failed, retrying in 5s',
  ];
  it.each(untouched)('%s', (line) => {
    const counts: RedactionCounts = {};
    expect(redact(line, counts)).toBe(line);
    expect(counts).toEqual({});
  });
});

it('treats `name: value` at the start of a line as YAML and redacts it (a config file wins over a log line)', () => {
  expect(redact('token: expected a string')).toBe('token: [redacted:secret-kv]');
  expect(redact('  password: hunter2 # the old one')).toBe('  password: [redacted:secret-kv] # the old one');
  expect(redact('auth:\n  user: basar')).toBe('auth:\n  user: basar');
});

describe('names', () => {
  it.each(['API_KEY', 'apiKey', 'DB_PASSWORD', 'MYSQL_PWD', 'DB_PASS', 'OCPP_AUTH_TOKEN', 'AUTHTOKEN', 'CLIENT_SECRET', 'PRIVATE_KEY', 'AWS_ACCESS_KEY', 'SESSION_KEY', 'GOOGLE_APPLICATION_CREDENTIALS_JSON', 'BASIC_AUTH', 'psk', 'x-api-key', 'ENCRYPTION_KEY', 'secret'])(
    '%s is secret',
    (n) => expect(isSecretName(n)).toBe(true),
  );
  it.each(['PATH', 'PWD', 'OLDPWD', 'PYTHONUNBUFFERED', 'TOKEN_URL', 'TOKEN_TTL', 'PASSWORD_FILE', 'API_KEY_ID', 'AWS_ACCESS_KEY_ID', 'KillSignal', 'TOKENIZERS_PARALLELISM', 'PassEnvironment', 'PUBLIC_KEY', 'KEYBOARD', 'AUTH_ENABLED', 'port', 'host'])(
    '%s is not secret',
    (n) => expect(isSecretName(n)).toBe(false),
  );
});

describe('idempotence', () => {
  const samples = [
    'Environment="DB_PASSWORD=x y" "OTHER=y"',
    'Environment=PYTHONUNBUFFERED=1 API_KEY=abc DB_PASSWORD=hunter2',
    'postgres://u:p@h/db',
    'Authorization: Bearer abc123xyz',
    'ngrok config add-authtoken 2YxZ9aBcDeFgHiJkLmNoPqRsTuV',
    'authtoken: 2YxZ9aBcDeFgHiJkLmNoPqRsTuV',
    'x --token abc --password=def',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----',
    '{"password": "hunter2"}',
    'AKIAIOSFODNN7EXAMPLE eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
    '?token=abc&api_key=def',
    'Bearer 8f14e45fceea167a5a36dedd4bea2543',
  ];
  it.each(samples)('%s', (s) => {
    const once = redact(s);
    expect(once).not.toBe(s);
    const counts: RedactionCounts = {};
    expect(redact(once, counts)).toBe(once);
    expect(counts).toEqual({});
  });
});

describe('redactDeep', () => {
  it('redacts every string of an analysis-like value without changing its shape or the input', () => {
    const input = {
      formatVersion: 1,
      findings: [
        {
          rule: 'process.unmanaged',
          params: { command: '/usr/local/bin/ngrok http 8000 --authtoken 2YxZ9aBcDeFgHiJkLmNo' },
          evidence: [{ source: 'commands/ps.txt', line: 3, time: null, text: 'API_KEY=abc python main.py' }],
        },
      ],
      services: [{ ports: ['0.0.0.0:8000'], healthChecks: [] as string[], restart: null }],
      ok: true,
    };
    const snapshot = JSON.stringify(input);
    const counts: RedactionCounts = {};
    const out = redactDeep(input, counts);
    expect(out.findings[0]?.params.command).toBe('/usr/local/bin/ngrok http 8000 --authtoken [redacted:ngrok-authtoken]');
    expect(out.findings[0]?.evidence[0]?.text).toBe('API_KEY=[redacted:secret-kv] python main.py');
    expect(out.findings[0]?.evidence[0]?.line).toBe(3);
    expect(out.services).toEqual(input.services);
    expect(out.ok).toBe(true);
    expect(counts).toEqual({ 'ngrok-authtoken': 1, 'secret-kv': 1 });
    expect(JSON.stringify(input)).toBe(snapshot);
  });
});

describe('linear time on hostile input', () => {
  const MB = 1024 * 1024;
  const cases: [string, string][] = [
    ['letters', 'a'.repeat(MB)],
    ['dotted names', 'a.'.repeat(MB / 2)],
    ['dashed names', 'a-'.repeat(MB / 2)],
    ['assignments', 'a='.repeat(MB / 2)],
    ['secret assignments', 'TOKEN=TOKEN='.repeat(MB / 12)],
    ['unclosed quotes', 'PASSWORD="'.repeat(MB / 10)],
    ['JSON keys', '"token":'.repeat(MB / 8)],
    ['YAML-ish', 'token: '.repeat(MB / 7)],
    ['flags', '--token '.repeat(MB / 8)],
    ['schemes', 'a://'.repeat(MB / 4)],
    ['userinfo', 'a://:' + 'x'.repeat(MB)],
    ['jwt prefixes', 'eyJ'.repeat(MB / 3)],
    ['jwt dots', 'eyJa.'.repeat(MB / 5)],
    ['bearer', 'Bearer '.repeat(MB / 7)],
    ['authorization', 'Authorization: '.repeat(MB / 15)],
    ['begin markers', '-----BEGIN '.repeat(MB / 11)],
    ['key blocks', '-----BEGIN RSA PRIVATE KEY-----' + '-----END '.repeat(MB / 9)],
    ['spaces', ' '.repeat(MB)],
    ['blanks after a flag', '--password' + ' '.repeat(MB)],
    ['AKIA', 'AKIA'.repeat(MB / 4)],
    ['ghp_ prefixes', 'ghp_'.repeat(MB / 4)],
    ['slack prefixes', 'xoxb-'.repeat(MB / 5)],
    ['telegram-like', '123456789:AA'.repeat(MB / 12)],
    ['token user names', 'a://' + 'x1'.repeat(MB / 2)],
    ['webhook paths', 'hooks.slack.com/services/'.repeat(MB / 25)],
  ];
  it.each(cases)('%s (1 MB line)', (_label, line) => {
    const started = performance.now();
    const out = redact(line);
    const ms = performance.now() - started;
    expect(typeof out).toBe('string');
    expect(ms).toBeLessThan(1500);
  });

  it('keeps a 1 MB ordinary log intact and redacts the secret inside it', () => {
    const line = 'INFO:     127.0.0.1:51234 - "GET /health HTTP/1.1" 200 OK\n';
    const big = line.repeat(Math.ceil((1024 * 1024) / line.length));
    const text = `${big}Environment=API_KEY=abc\n${big}`;
    const counts: RedactionCounts = {};
    const out = redact(text, counts);
    expect(out).toBe(`${big}Environment=API_KEY=[redacted:secret-env]\n${big}`);
    expect(counts).toEqual({ 'secret-env': 1 });
  });
});

describe('tokens of well-known services, and a token as a URL user name', () => {
  it.each([
    ['git remote: https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/charger.git', 'git remote: https://[redacted:url-credentials]@github.com/acme/charger.git', 'url-credentials'],
    ['GITHUB_TOKEN ghp_16C7e42F292c6912E7710c838347Ae178B4a in use', 'GITHUB_TOKEN [redacted:service-token] in use', 'service-token'],
    ['pat=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX', 'pat=[redacted:service-token]', 'service-token'],
    ['slack: posting with xoxb-2048-4096-AbCdEfGhIjKlMnOpQrStUvWx failed', 'slack: posting with [redacted:service-token] failed', 'service-token'],
    ['POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX 200', 'POST https://hooks.slack.com/services/[redacted:service-token] 200', 'service-token'],
    ['webhook https://discord.com/api/webhooks/112233445566778899/aBcDeF-ghIjKl_mNoPqR', 'webhook https://discord.com/api/webhooks/112233445566778899/[redacted:service-token]', 'service-token'],
    ['stripe charge failed for sk_live_4eC39HqLyjWDarjtT1zdp7dc (card declined)', 'stripe charge failed for [redacted:service-token] (card declined)', 'service-token'],
    ['INFO alert sent: GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage?chat_id=42', 'INFO alert sent: GET https://api.telegram.org/bot[redacted:service-token]/sendMessage?chat_id=42', 'service-token'],
  ])('%s', (input, expected, kind) => {
    const counts: RedactionCounts = {};
    expect(redact(input, counts)).toBe(expected);
    expect(counts).toEqual({ [kind]: 1 });
    expect(redact(expected)).toBe(expected);
  });

  it('leaves look-alikes alone', () => {
    for (const s of [
      'ssh://basar@charger-01:22',
      'https://charger-api-service-account@example.com/status',
      'postgres://postgres@localhost:5432/charger',
      'ghp_short',
      'desk_live_view enabled',
      'INFO 12:34:56 AA battery level ok',
      'https://hooks.example.com/services/x',
    ]) {
      expect(redact(s)).toBe(s);
    }
  });
});

describe('cookies and user:password arguments', () => {
  it('redacts Cookie and Set-Cookie header values', () => {
    const c: Record<string, number> = {};
    expect(redact('curl -H "Cookie: session=8f2a9c1e77d04b6e" http://127.0.0.1:8000/api', c)).toBe('curl -H "Cookie: [redacted:cookie]" http://127.0.0.1:8000/api');
    expect(redact('Set-Cookie: sid=abc123def456; Path=/; HttpOnly', c)).toBe('Set-Cookie: [redacted:cookie]');
    expect(c.cookie).toBe(2);
  });

  it('redacts the password of curl -u user:password, keeps the user and plain -u USER', () => {
    expect(redact('curl -fsS -u admin:Hunter2secret http://127.0.0.1:8000/api/health')).toBe('curl -fsS -u admin:[redacted:secret-arg] http://127.0.0.1:8000/api/health');
    expect(redact('wget --user=basar:pa55word http://x/')).toBe('wget --user=basar:[redacted:secret-arg] http://x/');
    expect(redact('crontab -l -u basar')).toBe('crontab -l -u basar');
    expect(redact('sudo -u basar systemctl --user status')).toBe('sudo -u basar systemctl --user status');
  });

  it('is idempotent on them', () => {
    const once = redact('Cookie: a=b; c=d and curl -u u:p4ss');
    expect(redact(once)).toBe(once);
  });
});
