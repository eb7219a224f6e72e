#!/bin/bash
# One lab's whole life, from lock to cleanup, so that nothing depends on the test runner surviving:
#   1. take the machine's lab lock (an exclusive flock on /sys/fs/cgroup: there is no cgroup
#      namespace, so two systemds would share one tree) and record the cgroups that exist;
#   2. boot systemd in new namespaces (boot.sh), wait for it to settle, and print
#      `unshare <pid>` as it starts, then `lab <PID 1> <is-system-running>`;
#   3. wait for standard input to close: the harness closes it to stop the lab, and the kernel
#      closes it when the test runner dies, whatever killed it;
#   4. poweroff from inside (kill PID 1 only when it does not go within 30 s), remove the cgroups
#      the lab added, then release the lock by exiting.
#   $1  the case's stage directory   $2  the repository
set -u
trap "" PIPE
stage=$1
repo=$2
here=$(cd "$(dirname "$0")" && pwd)

exec 9</sys/fs/cgroup
flock -x 9

list_cgroups() { find /sys/fs/cgroup -mindepth 2 -type d 2>/dev/null | sort; }
list_cgroups >"$stage/cgroups.before"

# --kill-child: if unshare itself is killed, PID 1 of the namespace (and so all of it) goes too.
# The lock's descriptor is not passed on: a lab's processes must never hold it.
unshare --pid --fork --kill-child --mount --uts --net --mount-proc bash "$here/boot.sh" "$stage" "$repo" \
  >>"$stage/boot.log" 2>&1 9<&- &
ushare=$!
echo "unshare $ushare"

lab_pid() { cut -d' ' -f1 <"/proc/$ushare/task/$ushare/children" 2>/dev/null; }
alive() { kill -0 "$ushare" 2>/dev/null; }

# PID 1 of the namespace is unshare's only child; it becomes systemd when boot.sh execs. The
# manager answers once its private socket exists; then the boot settles. Within 60 s, or nothing.
pid=
for _ in $(seq 1200); do
  alive || break
  c=$(lab_pid)
  if [ -n "$c" ] && [ "$(cat "/proc/$c/comm" 2>/dev/null)" = systemd ]; then pid=$c; break; fi
  sleep 0.05
done
state=none
if [ -n "$pid" ]; then
  for _ in $(seq 600); do
    [ -S "/proc/$pid/root/run/systemd/private" ] && break
    alive || break
    sleep 0.1
  done
  state=$(timeout 60 nsenter -t "$pid" -m -p -n -u -- systemctl is-system-running --wait 2>>"$stage/boot.log")
fi
echo "lab ${pid:-0} ${state:-unknown}"

# Until the harness (or the end of the test runner) closes standard input.
cat >/dev/null

if alive; then
  pid=$(lab_pid)
  if [ -n "$pid" ]; then
    nsenter -t "$pid" -m -p -n -u -- systemctl poweroff --no-block >/dev/null 2>&1
  fi
  for _ in $(seq 300); do alive || break; sleep 0.1; done
  if alive; then
    echo "lab: PID 1 did not power off within 30 s: killed" >>"$stage/boot.log"
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    kill -KILL "$ushare" 2>/dev/null
  fi
fi
wait "$ushare" 2>/dev/null

# The cgroups this lab's systemd made in the host's hierarchies, deepest first; one whose last
# process is still exiting refuses for a moment.
for _ in $(seq 50); do
  added=$(list_cgroups | comm -13 "$stage/cgroups.before" - | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2-)
  [ -z "$added" ] && break
  while IFS= read -r d; do rmdir "$d" 2>/dev/null; done <<<"$added"
  sleep 0.1
done
# The stage is this lab's alone: it goes with it, even when the test runner died first.
rm -rf "$stage"
echo "stopped"
