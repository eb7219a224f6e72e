// The lab itself: systemd boots as PID 1 of its namespaces, a unit runs in its own cgroup, a
// login session gets its scope, and after poweroff the host has the mounts, cgroups, /tmp and
// /etc it had before.
import { expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostSnapshot, labDescribe, withLab } from './harness.js';

labDescribe('the lab', () => {
  it('boots systemd, runs units and logins, and leaves the host as it was', async () => {
    // Something of someone else's in the shared /tmp, which a lab must never clean.
    const sentinel = mkdtempSync(join('/tmp', 'lab-sentinel-'));
    writeFileSync(join(sentinel, 'keep'), 'x');
    const before = hostSnapshot();
    await withLab(
      {
        hostname: 'lab-smoke',
        users: ['pi'],
        files: {
          '/etc/systemd/system/sleeper.service': '[Service]\nExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n',
        },
        wants: [['multi-user.target', 'sleeper.service']],
      },
      async (lab) => {
        expect((await lab.run(['cat', '/proc/1/comm'])).stdout.trim()).toBe('systemd');
        expect((await lab.run(['hostname'])).stdout.trim()).toBe('lab-smoke');
        expect(await lab.prop('sleeper.service', 'ActiveState')).toBe('active');
        const pid = await lab.prop('sleeper.service', 'MainPID');
        const cgroup = (await lab.run(['cat', `/proc/${pid}/cgroup`])).stdout;
        expect(cgroup).toMatch(/name=systemd:\/system\.slice\/sleeper\.service$/m);
        // A login for real: pam_systemd puts it in a session scope of its own.
        const login = await lab.run(['runuser', '-l', 'pi', '-c', 'cat /proc/self/cgroup']);
        expect(login.stdout).toMatch(/name=systemd:\/user\.slice\/user-\d+\.slice\/session-[^/]+\.scope$/m);
      },
    );
    const after = hostSnapshot();
    expect(after.mounts).toEqual(before.mounts);
    expect(after.cgroups).toEqual(before.cgroups);
    expect(after.etc).toEqual(before.etc);
    // /tmp is shared with everything else running (other sessions add and remove their own
    // entries meanwhile): nothing of this lab stays, and what others had there is still there.
    expect(after.tmp.filter((n) => n.startsWith('charger-diag-lab') && !before.tmp.includes(n))).toEqual([]);
    expect(readFileSync(join(sentinel, 'keep'), 'utf8')).toBe('x');
    rmSync(sentinel, { recursive: true });
  });
});
