import { describe, it, expect } from 'vitest';
import { classifyKernel, unitFromCgroup } from '../../src/classify/kernel-events.js';

describe('classifyKernel: OOM killer', () => {
  it('reads "invoked oom-killer" (5.x/6.x and 4.19 forms)', () => {
    expect(classifyKernel('python3 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0')).toEqual({
      kind: 'oom-invoked',
      comm: 'python3',
      detail: 'gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
    });
    expect(classifyKernel('kworker/u8:2 invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0')).toMatchObject({
      kind: 'oom-invoked',
      comm: 'kworker/u8:2',
    });
  });

  it('reads the global oom-kill:constraint line and derives the unit from task_memcg', () => {
    expect(
      classifyKernel(
        'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/charger.service,task=python3,pid=812,uid=1000',
      ),
    ).toEqual({
      kind: 'oom-constraint',
      comm: 'python3',
      pid: 812,
      memcg: '/system.slice/charger.service',
      unit: 'charger.service',
      detail: 'CONSTRAINT_NONE',
    });
  });

  it('marks CONSTRAINT_MEMCG as a cgroup OOM', () => {
    expect(
      classifyKernel(
        'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/charger.service,task_memcg=/system.slice/charger.service,task=python3,pid=812,uid=1000',
      ),
    ).toMatchObject({ kind: 'oom-constraint', cgroupOom: true, unit: 'charger.service', pid: 812, limitMemcg: '/system.slice/charger.service' });
    // A limit on a parent slice: the killed task's unit is not the one whose limit was hit.
    expect(
      classifyKernel(
        'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/charger.slice,task_memcg=/charger.slice/charger-api.service,task=python3,pid=812,uid=1000',
      ),
    ).toMatchObject({ unit: 'charger-api.service', limitMemcg: '/charger.slice' });
    // The global form has no oom_memcg.
    expect(classifyKernel('oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/charger.service,task=python3,pid=812,uid=1000')).not.toHaveProperty('limitMemcg');
  });

  it('finds the unit in a user session or user service cgroup, and none for the root cgroup', () => {
    expect(
      classifyKernel(
        'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0-3,global_oom,task_memcg=/user.slice/user-1000.slice/session-3.scope,task=uvicorn,pid=165162,uid=1000',
      ),
    ).toMatchObject({ unit: 'session-3.scope', comm: 'uvicorn', pid: 165162 });
    const root = classifyKernel('oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=stress,pid=9,uid=0');
    expect(root).toEqual({ kind: 'oom-constraint', comm: 'stress', pid: 9, detail: 'CONSTRAINT_NONE' });
    expect(unitFromCgroup('/user.slice/user-1000.slice/user@1000.service/app.slice/ngrok.service')).toBe('ngrok.service');
    expect(unitFromCgroup('/system.slice/charger.service/worker')).toBe('charger.service');
    expect(unitFromCgroup('/user.slice')).toBeUndefined();
  });

  it('reads the 4.19 pair: "Kill process … or sacrifice child" then "Killed process"', () => {
    expect(classifyKernel('Out of memory: Kill process 812 (python3) score 912 or sacrifice child')).toEqual({
      kind: 'oom-select',
      pid: 812,
      comm: 'python3',
      detail: 'score 912',
    });
    expect(classifyKernel('Memory cgroup out of memory: Kill process 812 (python3) score 1000 or sacrifice child')).toMatchObject({
      kind: 'oom-select',
      cgroupOom: true,
    });
    expect(classifyKernel('Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB')).toEqual({
      kind: 'oom-killed',
      pid: 812,
      comm: 'python3',
      signal: 'SIGKILL',
      detail: 'anon-rss 912340kB',
    });
    expect(classifyKernel('Task in /system.slice/charger.service killed as a result of limit of /system.slice/charger.service')).toEqual({
      kind: 'oom-constraint',
      cgroupOom: true,
      memcg: '/system.slice/charger.service',
      unit: 'charger.service',
      detail: 'limit of /system.slice/charger.service',
      limitMemcg: '/system.slice/charger.service',
    });
  });

  it('reads the 5.1+ "Out of memory: Killed process" and the cgroup form', () => {
    expect(
      classifyKernel(
        'Out of memory: Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:0',
      ),
    ).toEqual({ kind: 'oom-killed', pid: 812, comm: 'python3', signal: 'SIGKILL', detail: 'anon-rss 912340kB' });
    const cg = classifyKernel(
      'Memory cgroup out of memory: Killed process 812 (python3) total-vm:1843200kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:0kB, UID:1000 pgtables:1100kB oom_score_adj:0',
    );
    expect(cg).toMatchObject({ kind: 'oom-killed', pid: 812, comm: 'python3', cgroupOom: true });
  });

  it('keeps a comm with spaces and parentheses', () => {
    expect(classifyKernel('Out of memory: Killed process 4021 (Web Content (x)) total-vm:2843200kB, anon-rss:1012340kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:3048kB oom_score_adj:100')).toMatchObject({
      pid: 4021,
      comm: 'Web Content (x)',
    });
  });
});

describe('classifyKernel: crashes', () => {
  it('reads the x86 segfault line', () => {
    expect(
      classifyKernel('python3[812]: segfault at 0 ip 00007f3a2b1c4d10 sp 00007ffd5e8a1b70 error 4 in libc.so.6[7f3a2b0a0000+155000] likely on CPU 1 (core 1, socket 0)'),
    ).toEqual({ kind: 'segfault', comm: 'python3', pid: 812, signal: 'SIGSEGV', detail: 'at 0 error 4 in libc.so.6' });
    expect(classifyKernel('uvicorn[165162]: segfault at 7ffd5e8a0ff8 ip 000055d0c1a2b3c4 sp 00007ffd5e8a1000 error 6')).toMatchObject({
      kind: 'segfault',
      pid: 165162,
      detail: 'at 7ffd5e8a0ff8 error 6',
    });
  });

  it('reads arm64 unhandled exceptions (5.x ESR 0x%08x, 6.x ESR 0x%016lx)', () => {
    expect(
      classifyKernel('ocpp[812]: unhandled exception: DABT (lower EL), ESR 0x0000000092000006, level 2 translation fault in libc.so.6[ffff8f2a0000+17e000]'),
    ).toEqual({
      kind: 'unhandled-fault',
      comm: 'ocpp',
      pid: 812,
      detail: 'DABT (lower EL), ESR 0x0000000092000006, level 2 translation fault in libc.so.6[ffff8f2a0000+17e000]',
    });
    expect(classifyKernel('python3[1290]: unhandled exception: DABT (lower EL), ESR 0x92000007, level 3 translation fault')).toMatchObject({
      kind: 'unhandled-fault',
      pid: 1290,
    });
  });

  it('reads the arm64 4.x "unhandled level N translation fault (11)" line', () => {
    expect(classifyKernel('ocpp[812]: unhandled level 2 translation fault (11) at 0x00000000, esr 0x92000006, in libfoo.so[7f8a2b0000+2000]')).toEqual({
      kind: 'unhandled-fault',
      comm: 'ocpp',
      pid: 812,
      signal: 'SIGSEGV',
      detail: 'level 2 translation fault at 0x00000000, esr 0x92000006',
    });
    expect(classifyKernel('ocpp[812]: unhandled alignment fault (7) at 0x0000ffffb2a1c003, esr 0x92000021')).toMatchObject({ signal: 'SIGBUS' });
  });

  it('reads x86 general protection faults and traps', () => {
    expect(classifyKernel('traps: python3[812] general protection fault ip:7f3a2b1c4d10 sp:7ffd5e8a1b70 error:0 in libc.so.6[7f3a2b0a0000+155000]')).toEqual({
      kind: 'general-protection',
      comm: 'python3',
      pid: 812,
      signal: 'SIGSEGV',
      detail: 'ip 7f3a2b1c4d10 error 0',
    });
    expect(classifyKernel('traps: app[812] trap divide error ip:55d0c1a2b3c4 sp:7ffd5e8a1b70 error:0 in app[55d0c1a00000+3000]')).toEqual({
      kind: 'trap',
      comm: 'app',
      pid: 812,
      signal: 'SIGFPE',
      detail: 'divide error',
    });
    expect(classifyKernel('traps: node[900] trap invalid opcode ip:55d0c1a2b3c4 sp:7ffd5e8a1b70 error:0 in node[55d0c1000000+2000000]')).toMatchObject({
      kind: 'trap',
      signal: 'SIGILL',
    });
  });

  it("reads systemd-coredump's message (first line of a multi-line text)", () => {
    expect(
      classifyKernel('Process 1290 (python3) of user 1000 dumped core.\n\nModule libc.so.6 from deb glibc-2.36-9+rpt2+deb12u9.arm64\nStack trace of thread 1290:\n#0  0x0000ffff8f31d0d0 n/a (libc.so.6 + 0x7d0d0)'),
    ).toEqual({ kind: 'coredump', pid: 1290, comm: 'python3', detail: 'user 1000' });
  });
});

describe('classifyKernel: look-alikes that must not fire', () => {
  it.each([
    'segfault handler installed',
    'faulthandler: segfault handler installed for worker 3',
    'python3[812]: installing segfault at startup hook',
    'Setting oom_score_adj=-900 for pid 812',
    'oom_reaper: reaped process 812 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
    '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    'Tasks state (memory values in pages):',
    'Killed process group for worker',
    'Out of memory and no killable processes...',
    'systemd[1]: charger.service: A process of this unit has been killed by the OOM killer.',
    'Process 1290 (python3) of user 1000 terminated abnormally with signal 11/SEGV, processing...',
    'Booting Linux on physical CPU 0x0000000000 [0x410fd083]',
    'ocpp[812]: unhandled rejection: Error: connect ECONNREFUSED 127.0.0.1:8000',
    'traps: see https://example.com/general protection fault docs',
    '',
  ])('%s', (line) => {
    expect(classifyKernel(line)).toBeNull();
  });
});
