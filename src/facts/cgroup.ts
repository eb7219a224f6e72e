// Which kind of owner a process's cgroup names. This is how we tell a server
// started by hand (session scope) from one that systemd supervises.
import type { ProcessCategory } from './types.js';

const CONTAINER = /(^|\/)(docker-[0-9a-f]+\.scope|libpod-[0-9a-f]+\.scope|crio-[0-9a-f]+\.scope|cri-containerd-[0-9a-f]+\.scope|docker\/|lxc\/|lxc\.payload|machine\.slice|machine-)/;

export function classifyCgroup(paths: string[]): { category: ProcessCategory; unit: string | null } {
  const path = paths[0];
  if (path === undefined || path === '') return { category: 'unknown', unit: null };
  if (path === '/') return { category: 'root-cgroup', unit: null };
  const segs = path.split('/').filter(Boolean);
  const last = segs[segs.length - 1] ?? '';
  if (CONTAINER.test(path)) return { category: 'container', unit: segs.find((s) => CONTAINER.test(s)) ?? last };
  if (path === '/init.scope' || /\/user@\d+\.service\/init\.scope$/.test(path)) return { category: 'init', unit: 'init.scope' };
  const userMgr = segs.findIndex((s) => /^user@\d+\.service$/.test(s));
  if (userMgr >= 0) {
    const inner = segs.slice(userMgr + 1);
    const tmux = inner.find((s) => /^tmux-spawn-.*\.scope$/.test(s));
    if (tmux) return { category: 'tmux', unit: tmux };
    const svc = [...inner].reverse().find((s) => s.endsWith('.service'));
    if (svc) return { category: 'user-service', unit: svc };
    const scope = inner.find((s) => s.endsWith('.scope'));
    if (scope) return { category: 'transient-scope', unit: scope };
    return { category: 'user-service', unit: segs[userMgr]! };
  }
  const session = segs.find((s) => /^session-[^/]+\.scope$/.test(s));
  if (session) return { category: 'session', unit: session };
  const tmux = segs.find((s) => /^tmux-spawn-.*\.scope$/.test(s));
  if (tmux) return { category: 'tmux', unit: tmux };
  // The outermost .service owns its sub-cgroups (a service may delegate).
  const svc = segs.find((s) => s.endsWith('.service'));
  if (svc) return { category: 'system-service', unit: svc };
  const scope = segs.find((s) => s.endsWith('.scope'));
  if (scope) return { category: 'transient-scope', unit: scope };
  if (last.endsWith('.slice')) return { category: 'slice', unit: last };
  return { category: 'unknown', unit: null };
}

/** A cgroup that only exists when systemd manages the host. */
export function isSystemdCgroup(category: ProcessCategory): boolean {
  return category === 'system-service' || category === 'user-service' || category === 'init' || category === 'session' || category === 'tmux' || category === 'transient-scope' || category === 'slice';
}
