// The shell programs `capture install` writes: the ExecStopPost= hook, the capture runner the
// template unit starts, and the hang capture the proposed health checks call. Plain POSIX sh
// (dash, busybox ash) and shellcheck-clean: a device without Node runs them too.
//
// Each is a parameter block written from the install settings followed by a String.raw body
// (no "${" and no backtick in it), so what is written here is what the device runs.
import { quoteWord } from '../collect/status.js';
import type { CaptureSettings } from './settings.js';
import { COLLECT_SCRIPT, HANG_DIR, RUN_DIR, STATE_SUBDIR, TRIGGER_DIR } from './layout.js';

/** How the runner collects: the Node CLI by absolute paths, or the POSIX collection script. */
export interface Collector {
  node: string | null;
  cli: string | null;
}

const HOOK_BODY = String.raw`
# ExecStopPost=+ of every watched unit (charger-diag capture install). It runs inside the unit's
# stop sequence, so it returns at once: it writes a trigger record and asks systemd, without
# waiting, to start the capture unit. A stop the operator asked for (SERVICE_RESULT=success) is
# no failure and starts nothing.
unit=$1
result=$SERVICE_RESULT
case "$result" in
  '' | success) exit 0 ;;
esac
umask 022
mkdir -p "$TRIGGERS" 2>/dev/null || exit 0
now=$(date +%s)
key=$(printf '%s' "$unit" | tr -c 'A-Za-z0-9:_.@-' '_')
f="$TRIGGERS/$key.$now.$$"
{
  printf 'unit=%s\n' "$unit"
  printf 'result=%s\n' "$result"
  printf 'exit_code=%s\n' "$EXIT_CODE"
  printf 'exit_status=%s\n' "$EXIT_STATUS"
  printf 'time=%s\n' "$now"
  printf 'hook=ExecStopPost\n'
} >"$f.tmp" 2>/dev/null && mv "$f.tmp" "$f"
systemctl start --no-block "charger-diag-capture@$unit.service" >/dev/null 2>&1
exit 0
`;

export function hookScript(): string {
  return `#!/bin/sh\n# charger-diag capture hook (written by charger-diag capture install; removed by capture remove).\nTRIGGERS=${TRIGGER_DIR}\nEXIT_CODE=\${EXIT_CODE:-}\nEXIT_STATUS=\${EXIT_STATUS:-}\nSERVICE_RESULT=\${SERVICE_RESULT:-}\n${HOOK_BODY}`;
}

const RUNNER_BODY = String.raw`
# The capture of one stop of a watched unit, run by charger-diag-capture@<unit>.service (Nice=19,
# idle I/O, under a time limit). One stop gives one capture whichever hooks fired: the trigger
# records of the ExecStopPost= hook are consumed here, and a start by OnFailure= with no record
# is a new event only when the unit's last exit was not handled yet (start-limit-hit runs no
# ExecStopPost=). At most one capture per unit per MIN_INTERVAL (later failures are counted),
# at most KEEP bundles and MAX_BYTES in DIR (oldest removed first), none when DIR's file system
# has less than MIN_FREE % free. The collection itself is read-only, like charger-diag collect.
umask 077
LC_ALL=C
export LC_ALL
export PATH
unit=$1
[ -n "$unit" ] || { echo "charger-diag capture: no unit given" >&2; exit 2; }
key=$(printf '%s' "$unit" | tr -c 'A-Za-z0-9:_.@-' '_')
STATE=$DIR/$STATE_SUBDIR
mkdir -p "$TRIGGERS" "$STATE" || exit 1
sf=$STATE/$key

# One capture at a time on the device: a burst of failures never runs collections side by side.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$RUN/capture.lock"
  # Its trigger records stay: the next capture of this unit takes them.
  flock -w 120 9 || { echo "charger-diag capture: another capture held the lock for 120 s; $unit not captured now" >&2; exit 1; }
  # Under the lock no other capture runs: a working directory left here was cut off (a power loss).
  rm -rf "$DIR"/.capture.*
fi

get() { sed -n "s/^$1=//p" "$sf" 2>/dev/null | tail -n 1; }
num() { case "$1" in '' | *[!0-9]*) echo 0 ;; *) echo "$1" ;; esac; }
last_capture=$(num "$(get last_capture)")
last_event=$(num "$(get last_event)")
captures=$(num "$(get captures)")
limited=$(num "$(get limited)")
skipped_disk=$(num "$(get skipped_disk)")
last_bundle=$(get last_bundle)
last_result=$(get last_result)
save() {
  {
    printf 'unit=%s\n' "$unit"
    printf 'last_capture=%s\n' "$last_capture"
    printf 'last_event=%s\n' "$last_event"
    printf 'last_bundle=%s\n' "$last_bundle"
    printf 'last_result=%s\n' "$last_result"
    printf 'captures=%s\n' "$captures"
    printf 'limited=%s\n' "$limited"
    printf 'skipped_disk=%s\n' "$skipped_disk"
  } >"$sf.tmp" && mv "$sf.tmp" "$sf"
}
field() { sed -n "s/^$2=//p" "$1" | tail -n 1; }
# A trigger record done with, and the hang state it points to (kept in the bundle, if captured).
drop() {
  d=$(field "$1" detail)
  case "$d" in "$HANG"/*) rm -f "$d" ;; esac
  rm -f "$1"
}

# This unit's trigger records, oldest first (the name holds the time after the key).
pending() {
  for f in "$TRIGGERS/$key".*; do
    [ -f "$f" ] || continue
    case "$f" in *.tmp) continue ;; esac
    [ "$(field "$f" unit)" = "$unit" ] || continue
    printf '%s %s\n' "$(field "$f" time)" "$f"
  done | sort -n | cut -d' ' -f2-
}

trigger=
seen=0
take_pending() {
  for f in $(pending); do
    seen=$((seen + 1))
    t=$(num "$(field "$f" time)")
    [ "$t" -gt "$last_event" ] && last_event=$t
    if [ -z "$trigger" ] && [ $((t - last_capture)) -ge "$MIN_INTERVAL" ]; then
      trigger=$RUN/capture-$key.trigger
      mv "$f" "$trigger"
    else
      limited=$((limited + 1))
      drop "$f"
    fi
  done
}
take_pending

if [ "$seen" = 0 ]; then
  # Started without a record: by OnFailure= (start-limit-hit runs no ExecStopPost=) or by hand.
  # The unit's last exit was handled already when a record as late as it was seen.
  exit_at=$(systemctl show -P ExecMainExitTimestamp --timestamp=unix "$unit" 2>/dev/null | tr -d '@')
  exit_at=$(num "$exit_at")
  if [ "$exit_at" -gt 0 ] && [ "$last_event" -ge "$exit_at" ]; then
    exit 0
  fi
  now=$(date +%s)
  if journalctl -u "$unit" -n 30 --no-pager -o cat 2>/dev/null | grep -q -e 'Start request repeated too quickly' -e 'start-limit-hit'; then
    result=start-limit-hit
  else
    result=$(systemctl show -P Result "$unit" 2>/dev/null)
  fi
  # Started by hand, with nothing to go by.
  [ -n "$result" ] || result=unknown
  case "$(systemctl show -P ExecMainCode "$unit" 2>/dev/null)" in
    1) code=exited ;;
    2) code=killed ;;
    3) code=dumped ;;
    *) code= ;;
  esac
  status=$(systemctl show -P ExecMainStatus "$unit" 2>/dev/null)
  at=$(num "$(systemctl show -P StateChangeTimestamp --timestamp=unix "$unit" 2>/dev/null | tr -d '@')")
  [ "$at" -gt 0 ] || at=$now
  [ "$at" -gt "$last_event" ] && last_event=$at
  if [ $((at - last_capture)) -ge "$MIN_INTERVAL" ]; then
    trigger=$RUN/capture-$key.trigger
    printf 'unit=%s\nresult=%s\nexit_code=%s\nexit_status=%s\ntime=%s\nhook=OnFailure\n' "$unit" "$result" "$code" "$status" "$at" >"$trigger"
  else
    limited=$((limited + 1))
  fi
fi
if [ -z "$trigger" ]; then
  save
  exit 0
fi

# A full disk is worse than a missing capture.
free_ok() {
  # df -P: available blocks of the file system holding DIR, in percent of its size.
  pct=$(df -P "$DIR" 2>/dev/null | awk 'NR == 2 && $2 > 0 { print int($4 * 100 / $2) }')
  [ -z "$pct" ] || [ "$pct" -ge "$MIN_FREE" ]
}

# Oldest first, until at most KEEP bundles of at most MAX_BYTES (reports counted) remain;
# $1 more bundles and $2 more bytes are about to be added.
prune() {
  n=0
  total=0
  # Newest first by modification time; the names are the runner's own (no blank, no newline).
  # shellcheck disable=SC2010,SC2012
  ls -1t "$DIR" 2>/dev/null | grep '\.tar\.gz$' | while read -r name; do
    b=$DIR/$name
    r=$(printf '%s' "$b" | sed 's/\.tar\.gz$/.report.md/')
    size=$(($(wc -c <"$b") + $( [ -f "$r" ] && wc -c <"$r" || echo 0)))
    n=$((n + 1))
    total=$((total + size))
    if [ $((n + $1)) -gt "$KEEP" ] || [ $((total + $2)) -gt "$MAX_BYTES" ]; then
      rm -f "$b" "$r"
      echo "charger-diag capture: removed $b (over --keep $KEEP or --max-bytes $MAX_BYTES)"
    fi
  done
}

if ! free_ok; then
  skipped_disk=$((skipped_disk + 1))
  echo "charger-diag capture: $unit: not captured, the file system of $DIR has less than $MIN_FREE % free" >&2
  drop "$trigger"
  save
  exit 0
fi
prune 1 0

last_capture=$(num "$(field "$trigger" time)")
last_result=$(field "$trigger" result)
# systemd reports an OOM kill as oom-kill only where it reads the cgroup's memory.events (cgroup
# v2); elsewhere (cgroup v1) the unit sees a plain SIGKILL. The kernel's own line settles it.
if [ "$last_result" = signal ] && [ "$(field "$trigger" exit_status)" = KILL ]; then
  if journalctl -k --since "@$((last_capture - 10))" --no-pager -o cat 2>/dev/null | grep -F 'task_memcg=' | grep -q -F "/$unit,"; then
    printf 'systemd_result=signal\nresult=oom-kill\n' >>"$trigger"
    last_result=oom-kill
  fi
fi
host=$(printf '%s' "$(uname -n 2>/dev/null)" | tr -c 'A-Za-z0-9.-' '-')
name=$host-$key-$(date +%Y%m%d-%H%M%S)
mkdir -p "$DIR"
if [ -n "$NODE" ] && [ -x "$NODE" ] && [ -f "$CLI" ]; then
  "$NODE" "$CLI" capture collect --trigger "$trigger" --out "$DIR/$name.tar.gz" --window "$WINDOW" --cap "$CAP"
  rc=$?
else
  # No Node: the POSIX collection script, then the trigger added to the bundle's manifest.
  tmp=$(mktemp -d "$DIR/.capture.XXXXXX") || exit 1
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 143' INT TERM HUP
  sed "s/^CD_JOURNAL_CAP=[0-9]*$/CD_JOURNAL_CAP=$CAP/" "$COLLECT" >"$tmp/collect.sh"
  # Its per-source progress would fill the journal: kept only when the collection fails.
  sh "$tmp/collect.sh" --tar >"$tmp/bundle.tar.gz" 2>"$tmp/progress"
  rc=$?
  [ "$rc" = 0 ] || tail -n 20 "$tmp/progress" >&2
  if [ "$rc" = 0 ]; then
    mkdir "$tmp/x"
    tar -xzf "$tmp/bundle.tar.gz" -C "$tmp/x"
    root=
    for d in "$tmp/x"/*; do root=$(basename "$d"); done
    m=$tmp/x/$root/manifest.json
    js() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
    t=$(num "$(field "$trigger" time)")
    entry=$(printf '"trigger": { "unit": "%s", "result": "%s", "exitCode": "%s", "exitStatus": "%s", "time": "%s", "hook": "%s" }' \
      "$(js "$unit")" "$(js "$last_result")" "$(js "$(field "$trigger" exit_code)")" "$(js "$(field "$trigger" exit_status)")" \
      "$(date -d "@$t" +%Y-%m-%dT%H:%M:%S%z 2>/dev/null | sed 's/\([+-][0-9][0-9]\)\([0-9][0-9]\)$/\1:\2/')" "$(js "$(field "$trigger" hook)")")
    # The manifest ends with its last field's line and "}": the trigger goes before that brace.
    if [ "$(tail -n 1 "$m")" = "}" ]; then
      sed '$d' "$m" | sed '$s/$/,/' >"$m.new" && printf '  %s\n}\n' "$entry" >>"$m.new" && mv "$m.new" "$m"
    fi
    hang=$(field "$trigger" detail)
    if [ -n "$hang" ] && [ -f "$hang" ]; then cp "$hang" "$tmp/x/$root/capture-hang.txt"; fi
    tar -czf "$tmp/out.tar.gz" -C "$tmp/x" "$root" && mv "$tmp/out.tar.gz" "$DIR/$name.tar.gz"
    rc=$?
  fi
fi
drop "$trigger"
trigger=
if [ "$rc" = 0 ] && [ -f "$DIR/$name.tar.gz" ]; then
  captures=$((captures + 1))
  last_bundle=$DIR/$name.tar.gz
  echo "charger-diag capture: $unit ($last_result): $last_bundle"
else
  echo "charger-diag capture: $unit: the collection failed (exit $rc)" >&2
fi
prune 0 0
# Failures that came while this capture ran fall in its interval: counted, not captured.
take_pending
[ -z "$trigger" ] || { limited=$((limited + 1)); drop "$trigger"; }
save
# CPU time of this runner and of the collection it ran (user, system), for the journal.
echo "charger-diag capture: CPU time (runner, then its children):"
times
exit 0
`;

export function runnerScript(s: CaptureSettings, c: Collector): string {
  const vars = [
    `DIR=${quoteWord(s.dir)}`,
    `KEEP=${s.keep}`,
    `MAX_BYTES=${s.maxBytes}`,
    `MIN_INTERVAL=${s.minIntervalSec}`,
    `MIN_FREE=${s.minFreePercent}`,
    `WINDOW=${s.windowSec}s`,
    `CAP=${s.captureCapBytes}`,
    `NODE=${quoteWord(c.node ?? '')}`,
    `CLI=${quoteWord(c.cli ?? '')}`,
    `COLLECT=${COLLECT_SCRIPT}`,
    `RUN=${RUN_DIR}`,
    `TRIGGERS=${TRIGGER_DIR}`,
    `HANG=${HANG_DIR}`,
    `STATE_SUBDIR=${STATE_SUBDIR}`,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  ];
  return `#!/bin/sh\n# charger-diag capture runner (written by charger-diag capture install; removed by capture remove).\n${vars.join('\n')}\n${RUNNER_BODY}`;
}

const HANG_BODY = String.raw`
# Called by a charger-diag health check when its probe failed, before it restarts the unit:
# saves what a hung process shows only while it hangs (state, threads, wait channels, open
# sockets and files), then asks for a capture. The health check calls it under "timeout 10",
# so the restart is never held up; everything here reads /proc and starts nothing itself but
# the capture unit, without waiting for it.
umask 077
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
unit=$1
[ -n "$unit" ] || exit 0
key=$(printf '%s' "$unit" | tr -c 'A-Za-z0-9:_.@-' '_')
now=$(date +%s)
mkdir -p "$TRIGGERS" "$HANG" || exit 0
out=$HANG/$key.$now.txt
pid=$(systemctl show -P MainPID "$unit" 2>/dev/null)
{
  echo "# charger-diag capture-hang: $unit, main pid $pid, $(date -Iseconds 2>/dev/null || date)"
  # Every process of the unit: its cgroup on cgroup v2, or on the v1 systemd hierarchy, and the main pid.
  cg=$(systemctl show -P ControlGroup "$unit" 2>/dev/null)
  pids=$( { [ -n "$cg" ] && cat "/sys/fs/cgroup$cg/cgroup.procs" "/sys/fs/cgroup/systemd$cg/cgroup.procs" "/sys/fs/cgroup/unified$cg/cgroup.procs" 2>/dev/null; echo "$pid"; } | sort -un | head -n 50)
  for p in $pids; do
    [ -d "/proc/$p" ] || continue
    echo "## pid $p"
    echo "### status"
    grep -E '^(Name|State|Tgid|PPid|Threads|VmRSS|VmSize|voluntary_ctxt_switches|nonvoluntary_ctxt_switches|SigPnd|ShdPnd|SigBlk):' "/proc/$p/status"
    echo "### cmdline"
    tr '\0' ' ' <"/proc/$p/cmdline"; echo
    echo "### wchan"
    cat "/proc/$p/wchan" 2>/dev/null; echo
    echo "### threads (tid state wchan)"
    for t in /proc/"$p"/task/*; do
      printf '%s %s %s\n' "$(basename "$t")" "$(sed -n 's/^State:[[:space:]]*//p' "$t/status")" "$(cat "$t/wchan" 2>/dev/null)"
    done
    echo "### stack"
    cat "/proc/$p/stack" 2>/dev/null
    echo "### open files"
    for fd in /proc/"$p"/fd/*; do printf '%s -> %s\n' "$(basename "$fd")" "$(readlink "$fd")"; done | head -n 200
  done
  echo "## sockets"
  ss -tanp 2>/dev/null | head -n 300
} >"$out.tmp" 2>&1 && mv "$out.tmp" "$out"
f="$TRIGGERS/$key.$now.$$"
printf 'unit=%s\nresult=hang\nexit_code=\nexit_status=\ntime=%s\nhook=health-check\ndetail=%s\n' "$unit" "$now" "$out" >"$f.tmp" && mv "$f.tmp" "$f"
systemctl start --no-block "charger-diag-capture@$unit.service" >/dev/null 2>&1
exit 0
`;

export function hangScript(): string {
  return `#!/bin/sh\n# charger-diag hang capture (written by charger-diag capture install; removed by capture remove).\nTRIGGERS=${TRIGGER_DIR}\nHANG=${HANG_DIR}\n${HANG_BODY}`;
}
