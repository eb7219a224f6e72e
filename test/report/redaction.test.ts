// A secret on a hand-started server's command line (a bundle collected with
// --no-redact) never reaches the report, and the proposed unit says where
// the removed value has to go.
import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { LOGIN_SHELL, SYSTEM_PROCS, ps, ss } from '../helpers/raw.js';
import { render } from './render.js';

const SECRET = 'sk_live_4f9a8b7c6d5e4f3a2b1c';

describe('secrets in the report', () => {
  it('are redacted everywhere and the unit file asks for an EnvironmentFile=', async () => {
    const a = await analyzeSpec({
      manifest: { redaction: { enabled: false, replacements: {} } },
      files: {
        'commands/ps.txt': ps([
          ...SYSTEM_PROCS,
          LOGIN_SHELL,
          { pid: 4242, ppid: 2311, user: 'basar', start: '2025-12-10 00:41:02', cgroup: '0::/user.slice/user-1000.slice/session-3.scope', args: `/usr/bin/node /srv/pay/server.js --port 9000 --api-key ${SECRET}` },
        ]),
        'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:9000', users: [['node', 4242, 21]] }]),
      },
    });
    for (const lang of ['en', 'tr'] as const) {
      for (const format of ['md', 'html', 'json'] as const) {
        const out = render(a, { lang, format });
        expect(out, `${lang} ${format}`).not.toContain(SECRET);
        expect(out, `${lang} ${format}`).toContain('[redacted:');
      }
      expect(render(a, { lang })).toContain(lang === 'en' ? 'Put the value in an `EnvironmentFile=` readable only by root' : 'yalnızca root’un okuyabildiği bir `EnvironmentFile=`');
    }
  });
});
