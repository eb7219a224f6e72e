// The collection as one POSIX sh script, for --ssh (sent over `ssh -T`, its
// framed output read by ssh.ts) and --print-script (run by hand on a device
// without Node; `--tar` makes it write a bundle itself). It runs the same
// catalogue as the local runner (catalogue.ts): each command under `timeout`,
// through `sudo -n` when the user is not root and sudo allows it, with
// LC_ALL=C. It must stay plain POSIX sh (dash, busybox ash): no bash-isms.
//
// The body is a String.raw literal: it holds no "${" and no backtick, so what
// is written here is byte for byte what the device runs.
import { TOOL } from '../version.js';
import { LIMITS } from './catalogue.js';
import { quoteWord } from './status.js';
import type { TimeSpec, WindowSpec } from './window.js';

export interface ScriptParams {
  /** line prefix of the frames; random per run so no output can forge one */
  boundary: string;
  timeoutMs: number;
  window: WindowSpec;
  units: string[];
  logs: string[];
  healthUrls: string[];
  redact: boolean;
}

function timeVars(name: string, t: TimeSpec): string[] {
  const b = t.base;
  const [kind, value] =
    b.kind === 'absolute' ? ['abs', String(Math.floor(b.epochMs / 1000))] : b.kind === 'relative' ? ['rel', String(Math.round(b.deltaMs / 1000))] : ['local', b.text];
  return [`CD_${name}_KIND=${kind}`, `CD_${name}_VALUE=${quoteWord(value)}`, `CD_${name}_SHIFT=${Math.round(t.shiftMs / 1000)}`];
}

export function renderScript(p: ScriptParams): string {
  const seconds = Math.max(1, Math.round(p.timeoutMs / 1000));
  const vars = [
    `BD=${quoteWord(p.boundary)}`,
    `CD_VERSION=${quoteWord(TOOL.version)}`,
    `CD_TIMEOUT=${seconds}`,
    `CD_LONG_TIMEOUT=${seconds * LIMITS.longTimeoutFactor}`,
    `CD_JOURNAL_CAP=${LIMITS.journalBytes}`,
    `CD_LOG_CAP=${LIMITS.remoteLogBytes}`,
    `CD_FILE_CAP=${LIMITS.configFileBytes}`,
    `CD_UNIT_FILES=${LIMITS.unitFiles}`,
    `CD_SCRIPT_CAP=${LIMITS.scriptBytes}`,
    `CD_SCRIPTS=${LIMITS.healthScripts}`,
    ...timeVars('SINCE', p.window.since),
    ...timeVars('UNTIL', p.window.until),
    `CD_UNITS=${quoteWord(p.units.join(' '))}`,
    `CD_LOGS=${quoteWord(p.logs.join('\n'))}`,
    `CD_URLS=${quoteWord(p.healthUrls.join('\n'))}`,
    `CD_REDACT=${p.redact ? 'yes' : 'no'}`,
  ];
  return `${SCRIPT_HEAD}# Parameters of this run (charger-diag ${TOOL.version}).\n${vars.join('\n')}\n${SCRIPT_BODY}`;
}

const SCRIPT_HEAD = String.raw`#!/bin/sh
# charger-diag collection script: the charger-diag source catalogue (DESIGN.md
# section 4) for a device that has nothing installed but a POSIX shell and the
# usual system tools (coreutils or busybox). "charger-diag collect --ssh" sends
# this script over ssh and reads its framed output; "charger-diag collect
# --print-script" prints it for devices you cannot reach that way:
#
#   sh charger-diag-collect.sh --tar > bundle.tar.gz
#   charger-diag analyze bundle.tar.gz      (on any machine with charger-diag)
#
# Read-only: it starts, stops and changes nothing on the device. It writes
# only a private temporary directory, removed when it exits. Run it as root
# (or as a user with passwordless sudo) to see every process and log.
`;

const SCRIPT_BODY = String.raw`umask 077
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH
MODE=stream
if [ $# -gt 0 ]; then
  case "$1" in
    --tar) MODE=tar ;;
    *) echo "usage: sh $0 [--tar] > output" >&2; exit 2 ;;
  esac
fi
TAB=$(printf '\t')
NL='
'
[ -n "$TMPDIR" ] || TMPDIR=/tmp
set -u
T=$(mktemp -d "$TMPDIR/charger-diag.XXXXXX") || { echo "charger-diag: cannot create a temporary directory" >&2; exit 1; }
trap 'rm -rf "$T"' EXIT
trap 'rm -rf "$T"; exit 130' HUP INT TERM PIPE

have() { command -v "$1" >/dev/null 2>&1; }

# Output encoding of the framed stream: base64, or hex from od where busybox lacks base64.
if have base64; then ENC=b64; else ENC=hex; fi
enc() { if [ "$ENC" = b64 ]; then base64; else od -An -v -tx1; fi; }

# Every command runs under a time limit; coreutils timeout ends the whole process group.
if have timeout; then
  if timeout -k 1 5 true >/dev/null 2>&1; then TO='timeout -k 2'; else TO=timeout; fi
else
  TO=
fi
tmo() {
  _t=$1
  shift
  if [ -n "$TO" ]; then $TO "$_t" "$@"; return; fi
  "$@" &
  _c=$!
  ( sleep "$_t"; kill -TERM "$_c"; sleep 2; kill -KILL "$_c" ) >/dev/null 2>&1 &
  _k=$!
  wait "$_c"
  _r=$?
  kill "$_k" >/dev/null 2>&1
  return $_r
}

# sudo -n when not root and sudo allows it without a password; else what this user can read.
SUDO=
if [ "$(id -u)" != 0 ] && have sudo && sudo -n true >/dev/null 2>&1; then SUDO=yes; fi
run() {
  _t=$1
  shift
  if [ -n "$SUDO" ]; then tmo "$_t" sudo -n env LC_ALL=C "$@"; else tmo "$_t" "$@"; fi
}

# ---------------------------------------------------------------- window
NOW=$(date +%s)
when() { # KIND VALUE SHIFT -> epoch seconds
  case "$1" in
    abs) _v=$2 ;;
    rel) _v=$((NOW + $2)) ;;
    local) _v=$(date -d "$2" +%s 2>/dev/null) || return 1 ;;
    *) return 1 ;;
  esac
  echo $((_v + $3))
}
fatal() {
  if [ "$MODE" = stream ]; then printf '%s\tF\t%s\n' "$BD" "$1"; fi
  echo "charger-diag: $1" >&2
  exit 2
}
S=$(when "$CD_SINCE_KIND" "$CD_SINCE_VALUE" "$CD_SINCE_SHIFT") || fatal "this device's date cannot read the time $CD_SINCE_VALUE; give it with its offset"
U=$(when "$CD_UNTIL_KIND" "$CD_UNTIL_VALUE" "$CD_UNTIL_SHIFT") || fatal "this device's date cannot read the time $CD_UNTIL_VALUE; give it with its offset"
[ "$S" -lt "$U" ] || fatal "the window is empty: since @$S is not before until @$U"

# ---------------------------------------------------------------- output: frames or a bundle
# A section: sec KIND ID PATH COMMAND, its data through put, then fin RC ERRFILE [SIZE].
# Frames: "BD<tab>B<tab>kind<tab>id<tab>path<tab>command<tab>encoding", encoded data lines,
# "BD<tab>E<tab>rc<tab>size", encoded stderr lines, "BD<tab>Z".
SEQ=0
if [ "$MODE" = tar ]; then
  HOSTNAME_=$(uname -n 2>/dev/null || echo device)
  NAME=charger-diag-$(printf '%s' "$HOSTNAME_" | tr -c 'A-Za-z0-9.-' '-')-$(date +%Y%m%d-%H%M%S)
  B=$T/bundle/$NAME
  mkdir -p "$B"
  : >"$T/sources"
fi

sec() {
  SEQ=$((SEQ + 1))
  CUR_KIND=$1 CUR_ID=$2 CUR_PATH=$3 CUR_CMD=$4
  if [ "$MODE" = stream ]; then
    printf '%s\tB\t%s\t%s\t%s\t%s\t%s\n' "$BD" "$1" "$2" "$3" "$4" "$ENC"
    return
  fi
  case "$CUR_KIND" in
    file | log) CUR_OUT=files$CUR_PATH ;;
    *) CUR_OUT=$CUR_PATH ;;
  esac
  [ -n "$CUR_OUT" ] || CUR_OUT=scratch.$SEQ
  mkdir -p "$B/$(dirname "$CUR_OUT")"
  # Seconds are all a shell clock gives; small files are not timed at all (a fork each adds up).
  CUR_START=
  [ "$CUR_KIND" = file ] || CUR_START=$(date +%s)
}
put() {
  if [ "$MODE" = stream ]; then enc; else redact >"$B/$CUR_OUT"; fi
}
fin() { # RC ERRFILE [SIZE]
  if [ "$MODE" = stream ]; then
    _size=
    [ $# -lt 3 ] || _size=$3
    printf '%s\tE\t%s\t%s\n' "$BD" "$1" "$_size"
    if [ -s "$2" ]; then head -c 2048 "$2" | enc; fi
    printf '%s\tZ\n' "$BD"
    return
  fi
  tar_fin "$@"
}
note() { # ID STATUS COMMAND ERROR: a source that could not be read at all
  if [ "$MODE" = stream ]; then
    printf '%s\tN\t%s\t%s\t%s\t%s\n' "$BD" "$1" "$2" "$3" "$4"
  else
    printf '{"id":"%s","command":"%s","status":"%s","error":"%s"}\n' "$1" "$(js "$3")" "$2" "$(js "$4")" >>"$T/sources"
    echo "  $1: $2 ($4)" >&2
  fi
}

# ---------------------------------------------------------------- sources
# cmd ID PATH ARGV...: a small output, also kept in $T/o for later steps.
cmd() {
  _id=$1 _p=$2
  shift 2
  run "$CD_TIMEOUT" "$@" >"$T/o" 2>"$T/e"
  _rc=$?
  sec cmd "$_id" "$_p" "$*"
  put <"$T/o"
  fin "$_rc" "$T/e"
}
# jcmd ID PATH ARGV...: the journal export, streamed and capped.
jcmd() {
  _id=$1 _p=$2
  shift 2
  sec cmd "$_id" "$_p" "$*"
  rm -f "$T/rc"
  { run "$CD_LONG_TIMEOUT" "$@" 2>"$T/e"; echo $? >"$T/rc"; } | head -c "$CD_JOURNAL_CAP" | put
  _rc=$(cat "$T/rc" 2>/dev/null) || _rc=141
  fin "$_rc" "$T/e"
}
# fcp ID DEVICE-PATH: a small file.
fcp() {
  run "$CD_TIMEOUT" head -c "$((CD_FILE_CAP + 1))" "$2" >"$T/o" 2>"$T/e"
  _rc=$?
  sec file "$1" "$2" "copy of $2"
  put <"$T/o"
  fin "$_rc" "$T/e"
}
# lcp ID DEVICE-PATH: a log; the window is applied by line times where it is read.
lcp() {
  _size=$(run "$CD_TIMEOUT" ls -Lln "$2" 2>/dev/null | awk '{print $5; exit}')
  sec log "$1" "$2" "copy of $2"
  rm -f "$T/rc"
  { run "$CD_LONG_TIMEOUT" tail -c "$CD_LOG_CAP" "$2" 2>"$T/e"; echo $? >"$T/rc"; } | put
  _rc=$(cat "$T/rc" 2>/dev/null) || _rc=141
  fin "$_rc" "$T/e" "$_size"
}
exists() { [ -e "$1" ] || { [ -n "$SUDO" ] && sudo -n test -e "$1"; }; }
lsdir() { run "$CD_TIMEOUT" ls -1A "$1" 2>/dev/null; }

host_info() {
  if [ "$MODE" = tar ]; then return; fi
  h() { printf '%s\tH\t%s\t%s\n' "$BD" "$1" "$(printf '%s' "$2" | tr -d '\t\r' | tr '\n' ' ')"; }
  h hostname "$(uname -n 2>/dev/null)"
  h kernel "$(uname -r 2>/dev/null)"
  h arch "$(uname -m 2>/dev/null)"
  h now "$NOW"
  h since "$S"
  h until "$U"
  h offset "$(date +%z)"
  h timedatectl "$(timedatectl show -p Timezone --value 2>/dev/null)"
  h localtime "$(readlink /etc/localtime 2>/dev/null)"
  h timezone "$(head -n 1 /etc/timezone 2>/dev/null)"
  h cpus "$(nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null)"
  h bootid "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
  h user "$(id -un 2>/dev/null)"
  h uid "$(id -u)"
  if [ -n "$SUDO" ]; then h sudo yes; else h sudo no; fi
  h pid "$$"
  h ready yes
}

ps_src() {
  run "$CD_TIMEOUT" ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args >"$T/o" 2>"$T/e"
  _rc=$?
  _c='ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args'
  if [ "$_rc" != 0 ] && [ ! -s "$T/o" ]; then
    # busybox ps has no -o cgroup; the parsers accept the BSD form too.
    run "$CD_TIMEOUT" ps auxww >"$T/o" 2>"$T/e"
    _rc=$?
    _c='ps auxww'
  fi
  cp "$T/o" "$T/ps"
  sec cmd ps commands/ps.txt "$_c"
  put <"$T/o"
  fin "$_rc" "$T/e"
}

# Listening processes and processes outside any service: their links (exe, cwd, stdout, stderr).
proc_links() {
  run "$CD_TIMEOUT" sh -c 'ls -ld /proc/[0-9]*/exe /proc/[0-9]*/cwd /proc/[0-9]*/fd/1 /proc/[0-9]*/fd/2 2>&1; grep -H "" /proc/[0-9]*/cgroup 2>/dev/null | sed "s/^/cgroup /"; grep -H "^PPid:" /proc/[0-9]*/status 2>/dev/null | sed "s/^/ppid /"' >"$T/links" 2>/dev/null
  sed -n 's/.*users:(\(.*\))[[:space:]]*$/\1/p' "$T/ss" 2>/dev/null | tr ',' '\n' | sed -n 's/^pid=\([0-9][0-9]*\).*/\1/p' | sort -u >"$T/listening"
  # Selected pids, then "pid<tab>field<tab>target" for each of their links.
  awk -v self="$$" -v listen="$T/listening" '
    BEGIN { while ((getline l < listen) > 0) sel[l] = 1 }
    $1 == "cgroup" {
      split($2, a, "/"); pid = a[3]; line = substr($0, length($1 " /proc/" pid "/cgroup:") + 1)
      if (line ~ /\.service|init\.scope|docker-|libpod-|lxc|machine\.slice/) managed[pid] = 1
      seen[pid] = 1; next
    }
    $1 == "ppid" { split($2, a, "/"); pid = a[3]; if ($3 == 2 || pid == 2) kernel[pid] = 1; parent[pid] = $3; next }
    {
      i = index($0, " /proc/"); if (i == 0) next
      rest = substr($0, i + 7); j = index(rest, "/"); pid = substr(rest, 1, j - 1); rest = substr(rest, j + 1)
      k = index(rest, " -> "); if (k == 0) next
      field = substr(rest, 1, k - 1); target = substr(rest, k + 4)
      links[pid, field] = target; pids[pid] = 1
    }
    END {
      for (p in seen) if (!managed[p] && !kernel[p]) sel[p] = 1
      # The collection itself is not evidence.
      for (n = 0; n < 8; n++) for (p in parent) if (p == self || mine[parent[p]]) mine[p] = 1
      # Its callers (the shell that ran it) write where the operator pointed them: no app logs from them.
      for (p = parent[self]; p > 1 && !(p in caller); p = parent[p]) caller[p] = 1
      for (p in sel) {
        if (mine[p] || p == self) continue
        printf "%s\t%s\t%s\t%s\t%s\t%s\n", p, links[p, "exe"], links[p, "cwd"], links[p, "fd/1"], links[p, "fd/2"], (p in caller) ? "caller" : ""
      }
    }' "$T/links" | sort -n >"$T/procsel"
}

unit_props() { # RC of list-units, its stderr file
  if [ ! -s "$T/units" ] && [ -z "$CD_UNITS" ]; then
    _why=$(grep -v '^[[:space:]]*$' "$2" 2>/dev/null | head -n 1)
    _st=failed
    if [ "$1" = 127 ]; then _st=missing _why='systemctl: command not found'; fi
    note unit-props "$_st" 'systemctl show --no-pager UNIT...' "not run: systemctl list-units gave no unit list$([ -n "$_why" ] && printf ': %s' "$_why")"
    return
  fi
  _units=$(awk '$1 ~ /\.(service|timer)$/ { print $1 }' "$T/units" 2>/dev/null | tr '\n' ' ')
  _units="$_units $CD_UNITS"
  if [ -z "$(printf '%s' "$_units" | tr -d ' ')" ]; then
    note unit-props missing 'systemctl show --no-pager UNIT...' 'no service or timer units listed'
    return
  fi
  # shellcheck disable=SC2086
  cmd unit-props commands/systemctl-show.txt systemctl show --no-pager $_units
}

unit_dirs='/etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system'
realdir() { (cd -P "$1" 2>/dev/null && pwd); }
unit_files() {
  _real=
  for d in $unit_dirs; do _r=$(realdir "$d") && _real="$_real $_r"; done
  _done=
  _n=0
  for d in $unit_dirs; do
    _r=$(realdir "$d") || continue
    case " $_done " in *" $_r "*) continue ;; esac
    _done="$_done $_r"
    for f in "$d"/*.service "$d"/*.timer "$d"/*.socket "$d"/*.service.d/*.conf "$d"/*.timer.d/*.conf "$d"/*.socket.d/*.conf; do
      [ -e "$f" ] || [ -L "$f" ] || continue
      case "$f" in *"$TAB"* | *"$NL"*) continue ;; esac
      _n=$((_n + 1))
      [ "$_n" -le "$CD_UNIT_FILES" ] || break
      if [ -L "$f" ]; then
        _t=$(readlink "$f")
        if [ "$_t" = /dev/null ]; then
          # A masked unit: an empty file says so to the parser.
          sec file unit-files "$f" "copy of $f (masked: link to /dev/null)"
          put </dev/null
          fin 0 /dev/null
          continue
        fi
        case "$_t" in /*) _td=$(dirname "$_t") ;; *) _td=$(dirname "$f")/$(dirname "$_t") ;; esac
        _tr=$(realdir "$_td") || _tr=
        # An alias of a unit in another unit directory: that file is copied where it lives.
        case " $_real " in *" $_tr "*) continue ;; esac
      fi
      fcp unit-files "$f"
      printf '%s\n' "$f" >>"$T/unitlist"
    done
  done
}

journald_confs() {
  for d in /etc/systemd /run/systemd /usr/local/lib/systemd /usr/lib/systemd; do
    [ -e "$d/journald.conf" ] && fcp journald "$d/journald.conf"
    for f in "$d"/journald.conf.d/*.conf; do
      [ -e "$f" ] && fcp journald "$f"
    done
  done
}

syslogs() {
  _any=
  for f in /var/log/syslog /var/log/syslog.1 /var/log/kern.log /var/log/kern.log.1 /var/log/messages /var/log/messages.1 /var/log/daemon.log /var/log/daemon.log.1; do
    exists "$f" || continue
    _any=yes
    lcp syslog "$f"
  done
  [ -n "$_any" ] || note syslog missing '' 'none of /var/log/syslog, /var/log/kern.log, /var/log/messages, /var/log/daemon.log exists (no syslog daemon such as rsyslog writes them)'
}

cron_src() {
  fcp cron /etc/crontab
  for f in /etc/cron.d/*; do
    [ -f "$f" ] || continue
    case "$(basename "$f")" in *.*) continue ;; esac
    fcp cron "$f"
  done
  for u in root $(awk -F: '$3 >= 1000 && $3 < 60000 && $7 !~ /(nologin|false)$/ && $1 ~ /^[A-Za-z0-9._-]+$/ { print $1 }' /etc/passwd 2>/dev/null); do
    cmd cron "commands/crontab-$u.txt" crontab -l -u "$u"
    [ "$_rc" = 0 ] && cat "$T/o" >>"$T/crontabs"
  done
}

# ---------------------------------------------------------------- health-check scripts
# What timers' services, ExecStartPost= and cron jobs run (source health-script): text files up to
# CD_SCRIPT_CAP bytes are copied, programs recorded and not copied, and a script a script runs by
# absolute path is followed one level deeper. paths.awk picks the paths exactly as charger-diag's
# own collector does (src/parse/script-refs.ts): quotes dropped, shell operators as separators,
# only words in command position, a shell's or an interpreter's script argument, sh -c's commands.
cat >"$T/paths.awk" <<'AWK'
BEGIN {
  BQ = sprintf("%c", 96)
  n = split("exec nohup nice sudo command time if then else elif do while until ! setsid env timeout ionice chrt", a, " ")
  for (i = 1; i <= n; i++) PRE[a[i]] = 1
  n = split("sh bash dash ash ksh mksh zsh busybox", a, " ")
  for (i = 1; i <= n; i++) SH[a[i]] = 1
  n = split("@reboot @yearly @annually @monthly @weekly @daily @midnight @hourly", a, " ")
  for (i = 1; i <= n; i++) NICK[a[i]] = 1
}
function base(w) { sub(/.*\//, "", w); return w }
function emit(w) { if (w ~ /^\/[A-Za-z0-9._+@\/-]*[A-Za-z0-9._+@-]$/ && w !~ /^\/(dev|proc|sys)\//) print w }
function paths(s,   n, i, w, st, words, b) {
  gsub(/["']/, "", s)
  gsub(/\$\{[^}]*\}/, "$V", s)
  gsub(/\$\(/, " ; ", s)
  gsub(/[;&|(){}]/, " ; ", s)
  gsub(BQ, " ; ", s)
  gsub(/\r/, " ; ", s)
  n = split(s, words, /[ \t]+/)
  st = "cmd"
  for (i = 1; i <= n; i++) {
    w = words[i]
    if (w == "") continue
    if (w == ";") { st = "cmd"; continue }
    if (st == "args") continue
    if (st == "cmd") {
      if (w ~ /^[A-Za-z_][A-Za-z0-9_]*=/ || (w in PRE) || w ~ /^-/ || w ~ /^[0-9]+(\.[0-9]+)?[smhd]?$/) continue
      b = base(w)
      if ((b in SH) || w == "." || w == "source") st = "shell"
      else if (b ~ /^(python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|lua[0-9.]*|tclsh[0-9.]*)$/) st = "interp"
      else if (b == "env") st = "cmd"
      else { emit(w); st = "args" }
      continue
    }
    if (st == "shell") {
      if (w ~ /^-[A-Za-z]*c[A-Za-z]*$/) st = "cmd"
      else if (w ~ /^[-+]/ || (w in SH)) continue
      else { emit(w); st = "args" }
      continue
    }
    if (w == "-c" || w == "-e" || w == "-E" || w == "-m") st = "args"
    else if (w ~ /^-/) continue
    else { emit(w); st = "args" }
  }
}
function value(line, key,   v) {
  sub(/\r$/, "", line)
  if (line !~ ("^[ \t]*" key "[ \t]*=")) return ""
  v = line
  sub(/^[ \t]*[A-Za-z]+[ \t]*=[ \t]*/, "", v)
  sub(/^[-@:+!]+/, "", v)
  sub(/^[ \t]+/, "", v)
  sub(/[ \t]+$/, "", v)
  return v
}
function unitname(f,   n, parts, name) {
  n = split(f, parts, "/")
  name = parts[n]
  if (name ~ /\.conf$/ && n >= 2) { name = parts[n - 1]; sub(/\.d$/, "", name) }
  return name
}
# mode=units: stdin lists unit files; what timers' services run, and every ExecStartPost=.
mode == "units" { files[++nf] = $0; next }
# mode=cron: a cron table (user=1: with a user field).
mode == "cron" {
  l = $0
  sub(/\r$/, "", l)
  t = l
  sub(/^[ \t]+/, "", t)
  sub(/[ \t]+$/, "", t)
  if (t == "" || t ~ /^#/ || t ~ /^no crontab for [^ \t]+$/) next
  if (t !~ /^@/ && t ~ /^[ \t]*([A-Za-z_][A-Za-z0-9_]*|"[^"]*"|'[^']*')[ \t]*=/) next
  k = (t ~ /^@/) ? 1 : 5
  nw = split(t, w, /[ \t]+/)
  if (nw < k + user + 1) next
  if (k == 1 && !(w[1] in NICK)) next
  if (k == 5) { bad = 0; for (j = 1; j <= 5; j++) if (w[j] !~ /^[*0-9A-Za-z,\/-]+$/) bad = 1; if (bad) next }
  r = t
  for (j = 0; j < k + user; j++) sub(/^[^ \t]+[ \t]*/, "", r)
  sub(/%.*$/, "", r)
  paths(r)
  next
}
# mode=script: a shell script's own lines, comments dropped; one in another language (#!perl) is not read.
mode == "script" && FNR == 1 && /^#!/ {
  nw = split(substr($0, 3), w, /[ \t]+/)
  j = 1
  while (j <= nw && w[j] == "") j++
  if (j <= nw && base(w[j]) == "env") { j++; while (j <= nw && (w[j] == "" || w[j] ~ /^-/)) j++ }
  if (!(j <= nw && (base(w[j]) in SH))) exit
  next
}
mode == "script" {
  l = $0
  if (l ~ /^#/) next
  sub(/[ \t]#.*$/, "", l)
  paths(l)
  next
}
END {
  if (mode != "units") exit
  for (i = 1; i <= nf; i++) {
    f = files[i]
    if (f !~ /\.timer$/) continue
    tgt = ""
    while ((getline line < f) > 0) { v = value(line, "Unit"); if (v != "") tgt = v }
    close(f)
    if (tgt == "") { tgt = unitname(f); sub(/\.timer$/, ".service", tgt) }
    timed[tgt] = 1
  }
  for (i = 1; i <= nf; i++) {
    f = files[i]
    name = unitname(f)
    if (name !~ /\.service$/) continue
    while ((getline line < f) > 0) {
      if (name in timed) { v = value(line, "ExecStart"); if (v != "") paths(v) }
      v = value(line, "ExecStartPost"); if (v != "") paths(v)
    }
    close(f)
  }
}
AWK

HS_DONE=
HS_N=0
# hs_copy PATH: copy one script (or record why not); a copied text is left in $T/hs.
hs_copy() {
  _f=$1
  case "$HS_DONE$NL" in *"$NL$_f$NL"*) return 1 ;; esac
  HS_DONE="$HS_DONE$NL$_f"
  if ! exists "$_f"; then
    note health-script missing "copy of $_f" "$_f: no such file"
    return 1
  fi
  [ -f "$_f" ] || { [ -n "$SUDO" ] && sudo -n test -f "$_f"; } || return 1
  # Already sent as a unit file: that copy stands.
  [ -s "$T/unitlist" ] && grep -qxF "$_f" "$T/unitlist" && return 1
  run "$CD_TIMEOUT" head -c "$((CD_SCRIPT_CAP + 1))" "$_f" >"$T/hs" 2>"$T/e"
  _rc=$?
  if [ "$_rc" != 0 ]; then
    sec file health-script "$_f" "copy of $_f"
    put </dev/null
    fin "$_rc" "$T/e"
    return 1
  fi
  if [ "$(tr -d '\000' <"$T/hs" | wc -c)" != "$(wc -c <"$T/hs")" ]; then
    if [ "$(head -c 4 "$T/hs" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then _what='ELF executable'; else _what='binary data (NUL bytes)'; fi
    case "$_f" in
      /bin/* | /sbin/* | /usr/bin/* | /usr/sbin/* | /lib/* | /lib64/* | /usr/lib/* | /usr/lib64/* | /usr/libexec/*) ;;
      *) note health-script unavailable "copy of $_f" "$_f: $_what, recorded and not copied" ;;
    esac
    return 1
  fi
  HS_N=$((HS_N + 1))
  if [ "$HS_N" -gt "$CD_SCRIPTS" ]; then
    note health-script failed "copy of $_f" "$_f: not copied, more than $CD_SCRIPTS scripts"
    return 1
  fi
  sec file health-script "$_f" "copy of $_f"
  put <"$T/hs"
  fin 0 /dev/null
  return 0
}

health_scripts() {
  : >"$T/hs1"
  [ -s "$T/unitlist" ] && awk -v mode=units -f "$T/paths.awk" <"$T/unitlist" >>"$T/hs1"
  for f in /etc/crontab /etc/cron.d/*; do
    [ -f "$f" ] || continue
    case "$f" in /etc/cron.d/*.*) continue ;; esac
    run "$CD_TIMEOUT" cat "$f" 2>/dev/null | awk -v mode=cron -v user=1 -f "$T/paths.awk" >>"$T/hs1"
  done
  [ -s "$T/crontabs" ] && awk -v mode=cron -v user=0 -f "$T/paths.awk" <"$T/crontabs" >>"$T/hs1"
  : >"$T/hs2"
  for f in $(LC_ALL=C sort -u "$T/hs1"); do
    hs_copy "$f" && awk -v mode=script -f "$T/paths.awk" <"$T/hs" >>"$T/hs2"
  done
  for f in $(LC_ALL=C sort -u "$T/hs2"); do
    hs_copy "$f"
  done
}

app_logs() {
  : >"$T/applogs"
  printf '%s\n' "$CD_LOGS" | while IFS= read -r f; do [ -n "$f" ] && printf 'x\t%s\n' "$f"; done >>"$T/applogs"
  for f in $(lsdir /var/log/nginx); do
    case "$f" in *.log | *.log.1) printf 'a\t/var/log/nginx/%s\n' "$f" ;; esac
  done >>"$T/applogs"
  if [ -s "$T/unitlist" ]; then
    while IFS= read -r u; do
      # StandardOutput=/StandardError= file:, append: or truncate: (POSIX sed: no \| alternation).
      sed -n 's/^[[:space:]]*Standard[OE][a-z]*[[:space:]]*=[[:space:]]*[a-z]*:\(\/.*\)$/\1/p' "$u" 2>/dev/null
    done <"$T/unitlist" | sed "s/[[:space:]]*\$//; s/^/a$TAB/" >>"$T/applogs"
  fi
  # stdout and stderr files of processes outside services (nohup.out).
  awk -F '\t' '$6 != "caller" { print $4; print $5 }' "$T/procsel" 2>/dev/null | while IFS= read -r f; do
    case "$f" in /dev/* | /proc/* | /sys/* | *' (deleted)' | '') continue ;; esac
    case "$f" in /*) [ -f "$f" ] || { [ -n "$SUDO" ] && sudo -n test -f "$f"; } || continue; printf 'a\t%s\n' "$f" ;; esac
  done >>"$T/applogs"
  awk -F '\t' '!seen[$2]++' "$T/applogs" >"$T/applogs.u"
  while IFS="$TAB" read -r how f; do
    if exists "$f"; then
      lcp app-log "$f"
    elif [ "$how" = x ]; then
      note app-log missing "copy of $f" "$f: no such file"
    fi
  done <"$T/applogs.u"
}

probe() {
  _u=$1
  _at=$(date +%s)
  if have curl; then
    _r=$(curl -s -o /dev/null -m "$CD_TIMEOUT" -w '%{http_code} %{time_total}' "$_u" 2>/dev/null)
    _rc=$?
    _code=$(echo "$_r" | cut -d ' ' -f 1)
    _secs=$(echo "$_r" | cut -d ' ' -f 2)
    case "$_rc" in
      0) _err= ;;
      6) _err='could not resolve the host' ;;
      7) _err='connection refused' ;;
      28) _err="no answer within $CD_TIMEOUT s" ;;
      *) _err="curl exit status $_rc" ;;
    esac
    [ "$_code" = 000 ] && _code=
  elif have wget; then
    _code=$(wget -q -S -O /dev/null -T "$CD_TIMEOUT" -t 1 "$_u" 2>&1 | awk '$1 ~ /^HTTP\// { c = $2 } END { print c }')
    _secs=
    if [ -n "$_code" ]; then _err=; else _err='no answer (wget)'; fi
  else
    _code= _secs= _err='neither curl nor wget is installed'
  fi
  if [ "$MODE" = stream ]; then
    printf '%s\tP\t%s\t%s\t%s\t%s\t%s\n' "$BD" "$_u" "$_code" "$_secs" "$_at" "$_err"
  else
    printf '%s\t%s\t%s\t%s\t%s\n' "$_u" "$_code" "$_secs" "$_at" "$_err" >>"$T/probes"
  fi
}

# ---------------------------------------------------------------- the bundle (--tar), without charger-diag
js() {
  case "$1" in
    *[\\\"]* | *[![:print:]]*) printf '%s' "$1" | tr -d '\000-\010\013-\037' | tr '\t\n\r' '   ' | sed 's/\\/\\\\/g; s/"/\\"/g' ;;
    *) printf '%s' "$1" ;;
  esac
}

# Secrets are replaced before anything is written: the kinds charger-diag's own redaction knows, in awk.
redact() {
  if [ "$CD_REDACT" != yes ]; then
    cat
    return
  fi
  awk -v counts="$T/counts.$SEQ" -f "$T/redact.awk"
}
if [ "$MODE" = tar ]; then
  cat >"$T/redact.awk" <<'AWK'
function secretname(n,   u) {
  u = toupper(n); gsub(/[.-]/, "_", u); sub(/^_+/, "", u)
  if (u ~ /(_URL|_URI|_FILE|_PATH|_DIR|_TTL|_TIMEOUT|_EXPIRY|_HOST|_PORT|_USER|_USERNAME|_NAME|_ID|_TYPE|_LENGTH)$/) return 0
  return (u ~ /(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|APIKEY|API_KEY|PRIVATE_KEY|CREDENTIAL|ACCESS_KEY)/)
}
function mark(kind) { n[kind]++; return "[redacted:" kind "]" }
function kindof(name, u) {
  u = toupper(name)
  if (u ~ /AUTHTOKEN|^NGROK_/) return "ngrok-authtoken"
  if (name ~ /^--/) return "secret-arg"
  if (env) return "secret-env"
  return "secret-kv"
}
# Each match of re: the part matching keep (anchored) stays, then the value, then tail characters stay.
function repl(s, re, keep, tail, kind, minlen,   out, st, ln, m, k, v) {
  out = ""
  while (match(s, re)) {
    st = RSTART; ln = RLENGTH; m = substr(s, st, ln)
    k = 0
    if (keep != "" && match(m, keep)) k = RLENGTH
    v = substr(m, k + 1, ln - k - tail)
    if (length(v) >= minlen && substr(v, 1, 10) != "[redacted:") out = out substr(s, 1, st - 1) substr(m, 1, k) mark(kind) substr(m, ln - tail + 1, tail)
    else out = out substr(s, 1, st + ln - 1)
    s = substr(s, st + ln)
  }
  return out s
}
# NAME=value (the value of a harmless name is looked at again: Environment=API_TOKEN=x).
function assignments(s,   out, st, ln, m, p, name) {
  out = ""
  while (match(s, /[A-Za-z_][A-Za-z0-9_.-]*=[^ \t"'&;<>,}]+/)) {
    st = RSTART; ln = RLENGTH; m = substr(s, st, ln)
    p = index(m, "="); name = substr(m, 1, p - 1)
    if (st > 1 && substr(s, st - 1, 1) ~ /[A-Za-z0-9_.-]/) { out = out substr(s, 1, st + p - 1); s = substr(s, st + p); continue }
    if (secretname(name) && substr(m, p + 1, 10) != "[redacted:") { out = out substr(s, 1, st + p - 1) mark(kindof(name)); s = substr(s, st + ln); continue }
    out = out substr(s, 1, st + p - 1); s = substr(s, st + p)
  }
  return out s
}
# --name value and --name=value
function options(s,   out, st, ln, m, p, name) {
  out = ""
  while (match(s, /--[A-Za-z][A-Za-z0-9_.-]*(=|[ \t]+)[^- \t"'&;<>][^ \t"'&;<>]*/)) {
    st = RSTART; ln = RLENGTH; m = substr(s, st, ln)
    match(m, /=|[ \t]+/); p = RSTART + RLENGTH - 1; name = substr(m, 1, RSTART - 1)
    if (secretname(name) && substr(m, p + 1, 10) != "[redacted:") out = out substr(s, 1, st + p - 1) mark(kindof(name))
    else out = out substr(s, 1, st + ln - 1)
    s = substr(s, st + ln)
  }
  return out s
}
# "password": "x" in JSON
function jsonkeys(s,   out, st, ln, m, q, name) {
  out = ""
  while (match(s, /"[A-Za-z_][A-Za-z0-9_.-]*"[ \t]*:[ \t]*"[^"]*"/)) {
    st = RSTART; ln = RLENGTH; m = substr(s, st, ln)
    name = substr(m, 2, index(substr(m, 2), "\"") - 1)
    q = index(substr(m, length(name) + 3), "\"") + length(name) + 2
    if (secretname(name) && ln - q - 1 > 0 && substr(m, q + 1, 10) != "[redacted:") out = out substr(s, 1, st - 1) substr(m, 1, q) mark("secret-kv") "\""
    else out = out substr(s, 1, st + ln - 1)
    s = substr(s, st + ln)
  }
  return out s
}
function red(s) {
  env = (s ~ /^[ \t]*Environment=/ || s ~ /^Environment=/)
  if (index(s, "://")) s = repl(s, "[A-Za-z][A-Za-z0-9+.-]*://[^ \t:@/]*:[^ \t@/]+@", "^[A-Za-z][A-Za-z0-9+.-]*://[^ \t:@/]*:", 1, "url-credentials", 1)
  if (s ~ /[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn]/) {
    s = repl(s, "[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn][\"']?[ \t]*[:=][ \t]*[\"']?[A-Za-z]+[ \t]+[^ \t\"',;]+", "^[^:=]*[:=][ \t]*[\"']?[A-Za-z]+[ \t]+", 0, "authorization-header", 1)
  }
  if (s ~ /[Bb][Ee][Aa][Rr][Ee][Rr]/) s = repl(s, "[Bb][Ee][Aa][Rr][Ee][Rr][ \t]+[A-Za-z0-9._~+/=-]+", "^[Bb][Ee][Aa][Rr][Ee][Rr][ \t]+", 0, "bearer-token", 16)
  if (index(s, "eyJ")) s = repl(s, "eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*", "", 0, "jwt", 1)
  if (s ~ /AKIA|ASIA/) s = repl(s, "(AKIA|ASIA)[A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9]", "", 0, "cloud-key", 1)
  # A token as the user name of a URL (https://TOKEN@host), before the token shapes, as charger-diag does.
  if (index(s, "://")) s = repl(s, "[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9_-]+@", "^[A-Za-z][A-Za-z0-9+.-]*://", 1, "url-credentials", 20)
  if (s ~ /gh[pousr]_|github_pat_|xox[abprs]-|xapp-|[rs]k_(live|test)_/) s = repl(s, "(gh[pousr]_[A-Za-z0-9]+|github_pat_[A-Za-z0-9_]+|xox[abprs]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|[rs]k_(live|test)_[A-Za-z0-9]+)", "", 0, "service-token", 15)
  if (index(s, ":AA")) s = repl(s, "[0-9]+:AA[A-Za-z0-9_-]+", "", 0, "service-token", 36)
  if (index(s, "hooks")) {
    s = repl(s, "hooks\\.slack\\.com/(services|workflows|triggers)/[A-Za-z0-9_/-]+", "^hooks\\.slack\\.com/[a-z]+/", 0, "service-token", 1)
    s = repl(s, "discord(app)?\\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]+", "^discord(app)?\\.com/api/webhooks/[0-9]+/", 0, "service-token", 1)
  }
  if (s ~ /[Aa][Uu][Tt][Hh][Tt][Oo][Kk][Ee][Nn]/) {
    s = repl(s, "(add-)?authtoken[ \t]+[A-Za-z0-9_]+", "^(add-)?authtoken[ \t]+", 0, "ngrok-authtoken", 16)
    s = repl(s, "^[ \t]*authtoken:[ \t]*[^ \t#]+", "^[ \t]*authtoken:[ \t]*", 0, "ngrok-authtoken", 1)
  }
  if (s ~ /[Tt][Oo][Kk][Ee][Nn]|[Ss][Ee][Cc][Rr][Ee][Tt]|[Pp][Aa][Ss][Ss]|[Kk][Ee][Yy]|[Cc][Rr][Ee][Dd]/) {
    if (index(s, "--")) s = options(s)
    if (index(s, "=")) s = assignments(s)
    if (index(s, "\"")) s = jsonkeys(s)
  }
  return s
}
{
  line = $0
  if (inkey) {
    if (!match(line, /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/)) next
    inkey = 0
    line = substr(line, RSTART + RLENGTH)
    if (line == "") next
    print red(line)
    next
  }
  if (match(line, /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/)) {
    pre = substr(line, 1, RSTART - 1); rest = substr(line, RSTART + RLENGTH)
    if (match(rest, /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/)) line = pre mark("private-key") substr(rest, RSTART + RLENGTH)
    else { print red(pre) mark("private-key"); inkey = 1; next }
  }
  print red(line)
}
END { for (k in n) print k, n[k] > counts }
AWK
fi

tar_fin() { # RC ERRFILE [SIZE]
  _rc=$1
  _err=
  [ -s "$2" ] && _err=$(grep -v '^[[:space:]]*$' "$2" 2>/dev/null | grep -v '^-- No entries --$' | head -n 1)
  _st=ok
  case "$_rc" in
    0) case "$_err" in *'No journal files were found'*) [ -s "$B/$CUR_OUT" ] || _st=failed ;; *) _err= ;; esac ;;
    124 | 137) if [ -n "$TO" ]; then _st=timeout; _err="timed out (partial output kept)"; else _st=failed; fi ;;
    127) _st=missing; _err="$(echo "$CUR_CMD" | cut -d ' ' -f 1): command not found" ;;
    *)
      case "$_err" in
        *'ermission denied'* | *'not permitted'* | *'must be privileged'*) _st=denied ;;
        *'No such file'* | 'no crontab for'*) _st=missing ;;
        *'No coredumps found'*) _st=ok _err= ;;
        *) _st=failed ;;
      esac
      if [ "$CUR_ID" = journald ] && [ -s "$B/$CUR_OUT" ]; then _st=ok _err=; fi
      ;;
  esac
  [ "$CUR_ID" = journald ] && [ "$CUR_KIND" = cmd ] && cat "$2" >>"$B/$CUR_OUT"
  _bytes=$(wc -c <"$B/$CUR_OUT" 2>/dev/null)
  [ -n "$_bytes" ] || _bytes=0
  _bytes=$((_bytes))
  _cap=$CD_FILE_CAP
  [ "$CUR_ID" = health-script ] && _cap=$CD_SCRIPT_CAP
  if [ "$CUR_KIND" = file ] && [ "$_bytes" -gt "$_cap" ]; then
    head -c "$_cap" "$B/$CUR_OUT" >"$T/cut" && cat "$T/cut" >"$B/$CUR_OUT"
    _st=truncated _err="only the first $_cap bytes were copied"
    _bytes=$_cap
  fi
  if [ "$CUR_KIND" = log ] && [ $# -ge 3 ] && [ -n "$3" ] && [ "$3" -gt "$CD_LOG_CAP" ]; then _st=truncated _err="only the last $CD_LOG_CAP bytes were copied"; fi
  if [ "$CUR_ID" = journal ] && [ "$_bytes" -ge "$CD_JOURNAL_CAP" ]; then _st=truncated _err="cut at $CD_JOURNAL_CAP bytes"; fi
  jsv _pj "$CUR_OUT"
  _path=',"path":"'$_pj'"'
  if [ "$_st" != ok ] && [ "$_st" != truncated ] && [ "$_st" != timeout ] && [ "$_bytes" = 0 ]; then
    rm -f "$B/$CUR_OUT"
    _path=
  fi
  case "$CUR_OUT" in scratch.*) rm -f "$B/$CUR_OUT"; _path= ;; esac
  _ms=null
  [ -z "$CUR_START" ] || _ms=$((($(date +%s) - CUR_START) * 1000))
  jsv _cj "$CUR_CMD"
  {
    printf '{"id":"%s"%s,"command":"%s","status":"%s","exitCode":%s,"durationMs":%s' "$CUR_ID" "$_path" "$_cj" "$_st" "$_rc" "$_ms"
    [ -n "$_path" ] && printf ',"bytes":%s' "$_bytes"
    [ -n "$_err" ] && printf ',"error":"%s"' "$(js "$_err")"
    printf '}\n'
  } >>"$T/sources"
  if [ -n "$_path" ]; then _shown=" $CUR_OUT"; else _shown=; fi
  if [ -n "$_err" ]; then echo "  $CUR_ID$_shown: $_st ($_err)" >&2; else echo "  $CUR_ID$_shown: $_st" >&2; fi
}

iso() { # epoch -> 2025-12-10T01:10:00+03:00 in device time
  date -d "@$1" +%Y-%m-%dT%H:%M:%S%z 2>/dev/null | sed 's/\([+-][0-9][0-9]\)\([0-9][0-9]\)$/\1:\2/'
}

procinfo_json() {
  {
    printf '{\n  "processes": ['
    _first=yes
    while IFS="$TAB" read -r p exe cwd o e _caller; do
      [ -n "$_first" ] || printf ','
      _first=
      printf '\n    { "pid": %s, "exe": %s, "cwd": %s, "stdout": %s, "stderr": %s }' "$p" "$(jsnull "$exe")" "$(jsnull "$cwd")" "$(jsnull "$o")" "$(jsnull "$e")"
    done <"$T/procsel"
    printf '\n  ]\n}\n'
  } | redact >"$B/commands/procinfo.json"
  printf '{"id":"procinfo","path":"commands/procinfo.json","command":"readlink /proc/PID/{exe,cwd,fd/1,fd/2}","status":"ok","bytes":%s}\n' "$(wc -c <"$B/commands/procinfo.json" | tr -d ' ')" >>"$T/sources"
}
jsnull() { if [ -z "$1" ]; then printf null; else printf '"%s"' "$(js "$1")"; fi; }
# jsv VAR TEXT: VAR=TEXT as a JSON string body, without a subshell when nothing needs escaping.
jsv() {
  case "$2" in
    *[\\\"]* | *[![:print:]]*) eval "$1=\$(js \"\$2\")" ;;
    *) eval "$1=\$2" ;;
  esac
}
orz() { if [ -z "$1" ]; then printf null; else printf '%s' "$1"; fi; }

health_json() {
  [ -s "$T/probes" ] || return 0
  {
    printf '{\n  "probes": ['
    _first=yes
    while IFS="$TAB" read -r u code secs at err; do
      [ -n "$_first" ] || printf ','
      _first=
      _ms=null
      [ -n "$secs" ] && _ms=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')
      printf '\n    { "url": "%s", "status": %s, "ms": %s, "error": %s, "at": "%s" }' "$(js "$u")" "$(orz "$code")" "$_ms" "$(jsnull "$err")" "$(iso "$at")"
    done <"$T/probes"
    printf '\n  ]\n}\n'
  } | redact >"$B/commands/health-probes.json"
  printf '{"id":"health","path":"commands/health-probes.json","command":"GET","status":"ok","bytes":%s}\n' "$(wc -c <"$B/commands/health-probes.json" | tr -d ' ')" >>"$T/sources"
}

manifest() {
  _os=$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2>/dev/null | head -n 1 | sed 's/^"\(.*\)"$/\1/')
  _tz=$(timedatectl show -p Timezone --value 2>/dev/null)
  [ -n "$_tz" ] || _tz=$(readlink /etc/localtime 2>/dev/null | sed -n 's|.*zoneinfo/||p' | sed 's|^posix/||; s|^right/||')
  [ -n "$_tz" ] || _tz=$(head -n 1 /etc/timezone 2>/dev/null)
  _off=$(date +%z | sed 's/\([+-][0-9][0-9]\)\([0-9][0-9]\)$/\1:\2/')
  _cpus=$(nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null)
  _boot=$(tr -d '-' </proc/sys/kernel/random/boot_id 2>/dev/null)
  _red=false
  [ "$CD_REDACT" = yes ] && _red=true
  _counts=$(cat "$T"/counts.* 2>/dev/null | awk '{ n[$1] += $2 } END { s = ""; for (k in n) { s = s (s == "" ? "" : ", ") "\"" k "\": " n[k] }; print s }')
  {
    printf '{\n  "format": "charger-diag-bundle",\n  "formatVersion": 1,\n'
    printf '  "tool": { "name": "charger-diag", "version": "%s" },\n' "$CD_VERSION"
    printf '  "host": { "hostname": "%s", "os": %s, "kernel": "%s", "arch": "%s", "timezone": %s, "utcOffset": "%s", "cpus": %s, "bootId": %s, "journalStorage": "unknown" },\n' \
      "$(js "$(uname -n)")" "$(jsnull "$_os")" "$(js "$(uname -r)")" "$(js "$(uname -m)")" "$(jsnull "$_tz")" "$_off" "$(orz "$_cpus")" "$(jsnull "$_boot")"
    printf '  "collectedAt": "%s",\n  "window": { "since": "%s", "until": "%s" },\n' "$(iso "$NOW")" "$(iso "$S")" "$(iso "$U")"
    printf '  "sources": [\n'
    sed '$!s/$/,/; s/^/    /' "$T/sources"
    printf '  ],\n  "redaction": { "enabled": %s, "replacements": { %s } },\n' "$_red" "$_counts"
    printf '  "collector": { "command": "sh charger-diag-collect.sh --tar", "mode": "script", "user": "%s", "privileged": %s }\n}\n' "$(js "$(id -un)")" "$([ "$(id -u)" = 0 ] || [ -n "$SUDO" ] && echo true || echo false)"
  } >"$B/manifest.json"
}

# ---------------------------------------------------------------- the catalogue, in order
host_info
ps_src
cmd listeners commands/ss-ltnup.txt ss -ltnup
cp "$T/o" "$T/ss"
proc_links
if [ "$MODE" = stream ]; then
  sec raw proclinks '' 'ls -ld /proc/PID/{exe,cwd,fd/1,fd/2}'
  put <"$T/links"
  fin 0 /dev/null
else
  procinfo_json
fi
cmd units commands/systemctl-list-units.txt systemctl list-units --all --no-pager --plain --full
[ "$_rc" = 0 ] && cp "$T/o" "$T/units"
unit_props "$_rc" "$T/e"
cmd unit-files-state commands/systemctl-list-unit-files.txt systemctl list-unit-files --no-pager --plain
cmd timers commands/systemctl-list-timers.txt systemctl list-timers --all --no-pager
unit_files
jcmd journal commands/journal.jsonl journalctl -o json --all --no-pager --since "@$S" --until "@$U"
cmd boots commands/journal-boots.txt journalctl --list-boots --no-pager
cmd dmesg commands/dmesg.txt dmesg --time-format=iso
cmd coredumps commands/coredumpctl.txt coredumpctl list --no-pager --since "@$S" --until "@$U"
syslogs
for f in /proc/meminfo /proc/loadavg /proc/uptime /proc/pressure/cpu /proc/pressure/memory /proc/pressure/io; do
  case "$f" in /proc/meminfo) fcp memory "$f" ;; *) fcp load "$f" ;; esac
done
cmd disk commands/df.txt df -P -T -B1
cmd disk commands/df-inodes.txt df -P -T -i
cmd os commands/uname.txt uname -a
if [ -e /etc/os-release ]; then fcp os /etc/os-release; else fcp os /usr/lib/os-release; fi
journald_confs
run "$CD_TIMEOUT" ls -ld /var/log/journal /run/log/journal >"$T/o" 2>&1
_rc=$?
sec cmd journald commands/journal-dirs.txt 'ls -ld /var/log/journal /run/log/journal'
put <"$T/o"
fin "$_rc" /dev/null
cron_src
health_scripts
app_logs
printf '%s\n' "$CD_URLS" | while IFS= read -r u; do [ -n "$u" ] && probe "$u"; done

if [ "$MODE" = stream ]; then
  printf '%s\tD\n' "$BD"
else
  health_json
  manifest
  tar -cf - -C "$T/bundle" "$NAME" | gzip -c
fi
`;
