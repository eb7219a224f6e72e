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
# charger-diag collection script: the charger-diag source catalogue (see
# docs/bundle-format.md) for a device that has nothing installed but a POSIX shell and the
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

# Secrets are replaced before anything is written, by the same rules as charger-diag's own redaction, in awk
# (POSIX awk: Debian's mawk, busybox awk; no {n,m} intervals). Key blocks are followed across lines and
# across journal records (one state per logging process), as charger-diag does.
redact() {
  if [ "$CD_REDACT" != yes ]; then
    cat
    return
  fi
  awk -v counts="$T/counts.$SEQ" -f "$T/redact.awk"
}
# A command's error line for the manifest, redacted as its output is (counted apart, added up with the rest).
redact_err() {
  if [ "$CD_REDACT" != yes ] || [ -z "$1" ]; then
    printf '%s' "$1"
    return
  fi
  printf '%s\n' "$1" | awk -v counts="$T/counts.$SEQ.err" -f "$T/redact.awk"
}
if [ "$MODE" = tar ]; then
  cat >"$T/redact.awk" <<'AWK'
# charger-diag's redaction in POSIX awk (mawk, busybox awk): secrets become [redacted:<kind>], their names stay.
BEGIN {
  MK = "[redacted:"
  sets("PWD OLDPWD PASS_ENVIRONMENT UNSET_ENVIRONMENT LOAD_CREDENTIAL LOAD_CREDENTIAL_ENCRYPTED IMPORT_CREDENTIAL CONDITION_CREDENTIAL ASSERT_CREDENTIAL", HN)
  sets("URL URLS URI ENDPOINT HOST HOSTNAME PORT PATH FILE FILES DIR DIRECTORY TTL TIMEOUT EXPIRY EXPIRES EXPIRE EXPIRATION LIFETIME AGE LENGTH LEN SIZE TYPE NAME USER USERNAME ID ENABLED ENABLE DISABLED DISABLE REQUIRED MODE METHOD ALGORITHM ALG COUNT LIMIT INTERVAL VERSION FORMAT PREFIX ISSUER AUDIENCE SCOPE SCOPES REGION AUTHENTICATION STDIN PROMPT POLICY LOCATION RETRIES ATTEMPTS DELAY PERIOD SECONDS STORE HELPER COMMAND CMD SERVER STATUS STATE HEADER FIELD PROVIDER BACKEND SOURCE ERROR ERRORS MGMT MANAGEMENT EXCHANGE USAGE BITS STRENGTH ROTATION LOOKUP SERIAL FINGERPRINT PRESS IDENTIFIER ENCRYPTION ENCODING CIPHER", HL)
  sets("MAX MIN NUM COUNT", CNT)
  sets("PASS PWD PSK CREDS", STRONG)
  sets("AUTH KEY SIG", WEAK)
  sets("BYPASS COMPASS SURPASS OVERPASS UNDERPASS PASSPASS", NOTPASS)
  sets("token tokens auth authentication authorization scheme header realm error credentials credential required missing invalid expired null undefined none string type format only access the and for with not was is of or", BW)
  sets("realm error error_description error_uri scope charset nonce algorithm qop opaque domain stale", AP)
  sets("invalid expired missing required incorrect wrong empty unset not set ok failed failure denied accepted rejected changed updated refreshed reset rotated saved provided given undefined hidden masked redacted unknown valid received sent loaded error mismatch present absent none null", PROSE)
  sets("API AUTH AUTHORIZATION ACCESS SECRET PRIVATE CLIENT ENCRYPTION SIGNING MASTER SESSION LICENSE SHARED PRESHARED PRE-SHARED HMAC WEBHOOK", QUAL)
  sets("mailto sip sips tel xmpp im pres urn npm pkg news nntp acct cid mid jar", SCHEMES)
  # the tools whose short options carry a password: the option letter, "a" (attached or quoted only) or "b" (both), the separator of user and password
  tool("mysql mysqldump mysqladmin mysqlcheck mysqlimport mysqlshow mysqlsh mysqlbinlog mysqlpump mysqlslap mariadb mariadb-dump mariadb-admin mariadb-check mariadb-import mariadb-show mariadb-binlog mariadb-backup mariabackup xtrabackup", "p", "a", "")
  tool("sshpass", "p", "b", ""); WRAP["sshpass"] = 1
  tool("redis-cli valkey-cli keydb-cli", "a", "b", "")
  tool("mosquitto_pub mosquitto_sub mosquitto_rr ipmitool sqlcmd", "P", "b", "")
  tool("mongo mongosh mongodump mongorestore mongoexport mongoimport useradd usermod login", "p", "b", "")
  tool("ldapsearch ldapadd ldapmodify ldapdelete ldapwhoami ldappasswd ldapcompare ldapmodrdn", "w", "b", "")
  tool("smbclient rpcclient", "U", "b", "%")
  tool("lftp", "u", "b", ",")
  tool("openssl", "k", "b", "")
  # nmcli takes name value pairs (password X, wifi-sec.psk X); wpa_passphrase's second argument is the passphrase
  tool("nmcli", "", "b", ""); KW["nmcli"] = 1
  tool("aws", "", "b", ""); KW["aws"] = 1
  tool("wpa_passphrase", "", "b", ""); POS["wpa_passphrase"] = 2
  B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  WC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
  SEPS = "=:\"'\\ \t>"
  # Slashes inside brackets are written in strings: busybox awk reads [\/] in a regex literal as backslash or slash.
  B64C = "[A-Za-z0-9+/=]"
  SWLIST = "^(true|false|yes|no|on|off|enabled|disabled|required|optional)([|,/](true|false|yes|no|on|off|enabled|disabled|required|optional))*$"
  # a path to a key or password file is no secret
  PATHV1 = "^((~|[$][{]?[A-Za-z_][A-Za-z0-9_]*[}]?)/|/(etc|run|var|home|usr|opt|srv|root|tmp|mnt|media|data|certs?|ssl|keys?|secrets?|config|app|lib)/)[A-Za-z0-9._@+/-]*$"
  PATHV2 = "^/[A-Za-z0-9._@+/-]*[.](pem|key|crt|cer|der|p12|pfx|jks|keystore|pub|gpg|asc)$"
  P2[0] = 1; for (i = 1; i <= 8; i++) P2[i] = P2[i - 1] * 2
}
function sets(list, arr,   a, i, n) { n = split(list, a, " "); for (i = 1; i <= n; i++) arr[a[i]] = 1 }
function tool(list, letter, takes, after,   a, i, n) { n = split(list, a, " "); for (i = 1; i <= n; i++) { TL[a[i]] = letter; TT[a[i]] = takes; TA[a[i]] = after } }
function mark(kind) { n[kind]++; return MK kind "]" }
function blank(c) { return c == " " || c == "\t" }
function wordc(c) { return c != "" && index(WC, c) }

# ------------------------------------------------------------------ names
function normname(s,   out, i, c, p, x, len, raw) {
  if (s in NC) return NC[s]
  if (++NCN > 4096) { split("", NC); NCN = 1 }
  raw = s
  sub(/^-+/, "", s); out = ""; len = length(s)
  for (i = 1; i <= len; i++) {
    c = substr(s, i, 1)
    if (i > 1 && c ~ /[A-Z]/) {
      p = substr(s, i - 1, 1); x = substr(s, i + 1, 1)
      if (p ~ /[a-z0-9]/ || (p ~ /[A-Z]/ && x ~ /[a-z]/)) out = out "_"
    }
    out = out c
  }
  out = toupper(out); gsub(/[. -]/, "_", out)
  NC[raw] = out
  return out
}
function strength(raw,   r) {
  if (raw in SC) return SC[raw]
  if (++SCN > 4096) { split("", SC); SCN = 1 }
  r = classify(raw); SC[raw] = r
  return r
}
function classify(raw,   u, a, m, i, k, seg, last, weak) {
  if (length(raw) > 80) return 0
  u = normname(raw); gsub(/TOKENIZER/, "", u)
  if (u == "" || (u in HN)) return 0
  m = split(u, a, "_"); k = 0; last = ""
  for (i = 1; i <= m; i++) if (a[i] != "") { k++; last = a[i] }
  if (last == "" || (last in HL)) return 0
  for (i = 1; i <= m; i++) if (a[i] in CNT) return 0
  if (a[1] == "HANDLE") return 0
  if (u ~ /(PUBLIC_KEY|PUBKEY)$/) return 0
  if (u == "ID_TOKEN" || u ~ /_ID_TOKEN$/) return 0
  if (u ~ /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|APIKEY|API_KEY|PRIVATE_KEY|PRIVATEKEY|CREDENTIAL|AUTHTOKEN|ACCESS_KEY|ACCESSKEY|SESSION_KEY|SIGNATURE|AUTHKEY|BEARER/) return 2
  weak = 0
  for (i = 1; i <= m; i++) {
    seg = a[i]
    if (seg in STRONG) return 2
    if (seg ~ /(PASS|PWD)$/ && length(seg) > 4 && !(seg in NOTPASS)) return 2
    if (seg in WEAK) weak = 1
  }
  if (weak) return k == 1 ? 1 : ((last in WEAK) ? 2 : 0)
  return 0
}
# A value that is no secret: a switch, a reference, stars, an openssl source.
function notsecret(v) {
  if (substr(v, 1, 10) == MK) return 1
  if (length(v) > 200) return 0
  return tolower(v) ~ /^(none|null|nil|\*+)$/ || tolower(v) ~ SWLIST || v ~ /^\$[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)?$/ || v ~ /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/ || substr(v, 1, 2) == "$(" || v ~ /^(env|file|fd):[^ \t]*$/ || v ~ PATHV1 || v ~ PATHV2
}

# ------------------------------------------------------------------ private keys, by their shape
function looksbody(r,   k) {
  if (r == "" || r !~ ("^" B64C "+$")) return 0
  if (substr(r, length(r)) == "=") return 1
  if (length(r) < 16) return 0
  return substr(r, 2) ~ "[0-9+/A-Z]"
}
function seplen(t, p,   q, c, k) {
  q = p
  for (;;) {
    c = substr(t, q, 1)
    if (c == " " || c == "\t" || c == "\n" || c == "\r") { q++; continue }
    if (c == "\\") {
      k = q
      while (substr(t, k, 1) == "\\") k++
      if (substr(t, k, 1) ~ /[nrt]/) { q = k + 1; continue }
    }
    return q - p
  }
}
function runlen(t, p) { return match(substr(t, p), "^([A-Za-z0-9+/=]|\\\\/)+") ? RLENGTH : 0 }
function pem(t,   out, p, e, q, c, r, a, run, closed) {
  out = ""
  while (match(t, /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/)) {
    out = out substr(t, 1, RSTART - 1) mark("private-key")
    t = substr(t, RSTART + RLENGTH)
    p = 1; e = 1; closed = 0
    for (;;) {
      p += seplen(t, p)
      if (substr(t, p, 9) == "-----END ") {
        if (match(substr(t, p), /^-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/)) { e = p + RLENGTH; closed = 1 }
        break
      }
      if (substr(t, p, 10) == "Proc-Type:" || substr(t, p, 9) == "DEK-Info:") {
        q = p
        while (q <= length(t)) {
          c = substr(t, q, 1)
          if (c == "\n" || c == "\r" || c == "\"" || (c == "\\" && substr(t, q + 1, 1) ~ /[nr]/)) break
          q++
        }
        e = p = q
        continue
      }
      r = runlen(t, p)
      if (r == 0) break
      run = substr(t, p, r); gsub(/\\\//, "/", run)
      if (!looksbody(run)) { a = p + r; a += seplen(t, a); if (substr(t, a, 9) != "-----END ") break }
      e = p = p + r
    }
    keyopen = 0
    if (!closed) { a = e + seplen(t, e); keyopen = (a > length(t) || substr(t, a, 1) == "\"") }
    t = substr(t, e)
  }
  return out t
}
# A line of a key body: base64 alone, an encryption header, or base64 after a log line's prefix.
function bodyline(s,   k, i) {
  gsub(/^[ \t\r]+|[ \t\r]+$/, "", s)
  if (s == "" || substr(s, 1, 10) == "Proc-Type:" || substr(s, 1, 9) == "DEK-Info:") return 1
  if (s ~ ("^" B64C "+$")) return 1
  k = 0
  for (i = index(s, ": "); i > 0; i = index(substr(s, k + 1), ": ")) k += i
  if (k == 0) return 0
  return looksbody(substr(s, k + 2))
}

# ------------------------------------------------------------------ URLs, AWS, authorization, fixed-shape tokens
function urls(t,   out, m, k, u) {
  out = ""
  while (match(t, /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^] \t:@\/?#'"<>\\[]*:[^] \t@\/?#'"<>\\[]+@/)) {
    m = substr(t, RSTART, RLENGTH)
    if (RSTART > 1 && substr(t, RSTART - 1, 1) ~ /[A-Za-z0-9+.-]/) { out = out substr(t, 1, RSTART); t = substr(t, RSTART + 1); continue }
    k = index(m, "://"); u = substr(m, k + 3); k += 2 + index(u, ":")
    out = out substr(t, 1, RSTART - 1) substr(m, 1, k) mark("url-credentials") "@"
    t = substr(t, RSTART + RLENGTH)
  }
  t = out t; out = ""
  # scheme://TOKEN@host: a user name of 20 or more letters and digits mixed
  while (match(t, /[A-Za-z][A-Za-z0-9+.-]*:\/\/[A-Za-z0-9_-]+@/)) {
    m = substr(t, RSTART, RLENGTH); k = index(m, "://"); u = substr(m, k + 3, length(m) - k - 3)
    if ((RSTART > 1 && substr(t, RSTART - 1, 1) ~ /[A-Za-z0-9+.-]/) || length(u) < 20 || u !~ /[0-9]/ || u !~ /[A-Za-z]/) out = out substr(t, 1, RSTART + RLENGTH - 1)
    else out = out substr(t, 1, RSTART - 1) substr(m, 1, k + 2) mark("url-credentials") "@"
    t = substr(t, RSTART + RLENGTH)
  }
  return out t
}
# A maximal run of re's characters at each match; keep(run, before, after) decides. Replaced by kind's mark.
function awsids(t,   out, m, b, a) {
  out = ""
  while (match(t, /(AKIA|ASIA)[A-Z0-9]+/)) {
    m = substr(t, RSTART, RLENGTH); b = RSTART > 1 ? substr(t, RSTART - 1, 1) : ""; a = substr(t, RSTART + RLENGTH, 1)
    if (length(m) == 20 && b !~ /[A-Za-z0-9]/ && a !~ /[a-z]/) { out = out substr(t, 1, RSTART - 1) mark("cloud-key"); awsid = 1 }
    else out = out substr(t, 1, RSTART + RLENGTH - 1)
    t = substr(t, RSTART + RLENGTH)
  }
  return out t
}
function aws(t,   out, m, b, a) {
  awsid = 0
  t = awsids(t)
  if (!awsid) return t
  out = ""
  while (match(t, "[A-Za-z0-9+/]+")) {
    m = substr(t, RSTART, RLENGTH); b = RSTART > 1 ? substr(t, RSTART - 1, 1) : ""; a = substr(t, RSTART + RLENGTH, 1)
    if (length(m) >= 32 && length(m) <= 48 && b != "=" && a != "=" && m ~ /[A-Z]/ && m ~ /[a-z]/ && m ~ "[0-9+/]" && m !~ /^[0-9a-fA-F]+$/) out = out substr(t, 1, RSTART - 1) mark("cloud-key")
    else out = out substr(t, 1, RSTART + RLENGTH - 1)
    t = substr(t, RSTART + RLENGTH)
  }
  return out t
}
function authz(t,   out, l, p, q, e, sch, cred, hd, c, st, ln) {
  out = ""
  l = tolower(t)
  while (match(l, /(proxy-)?authorization\\?["']?[ \t]*(=>|[:=])[ \t]*(\\?["'])?/)) {
    if (RSTART > 1 && substr(l, RSTART - 1, 1) ~ /[a-z0-9_-]/) { out = out substr(t, 1, RSTART + RLENGTH - 1); t = substr(t, RSTART + RLENGTH); l = substr(l, RSTART + RLENGTH); continue }
    p = RSTART + RLENGTH; sch = ""
    if (match(substr(t, p), /^[A-Za-z][A-Za-z0-9_-]*[ \t]/)) {
      sch = substr(t, p, RLENGTH - 1); p += RLENGTH
      while (blank(substr(t, p, 1))) p++
    }
    q = p
    while (q <= length(t)) { c = substr(t, q, 1); if (c ~ /[ \t\r\n"'\\,;]/) break; q++ }
    cred = substr(t, p, q - p)
    if (tolower(sch) == "digest" || cred == "" || substr(cred, 1, 10) == MK || (sch == "" && (tolower(cred) in PROSE)) || (tolower(cred) in BW)) {
      out = out substr(t, 1, p - 1); t = substr(t, p); l = substr(l, p); continue
    }
    out = out substr(t, 1, p - 1) mark("authorization-header")
    t = substr(t, q); l = substr(l, q)
  }
  t = out t
  if (tolower(t) ~ /digest/ && index(t, "response=")) {
    out = ""
    while (match(t, /response=(\\*x22|\\*["'])?[0-9A-Fa-f]+/)) {
      st = RSTART; ln = RLENGTH
      hd = substr(t, st, ln); match(hd, /^response=(\\*x22|\\*["'])?/); e = RLENGTH
      if ((st == 1 || substr(t, st - 1, 1) !~ /[A-Za-z0-9_-]/) && ln - e >= 16) out = out substr(t, 1, st - 1 + e) mark("authorization-header")
      else out = out substr(t, 1, st - 1 + ln)
      t = substr(t, st + ln)
    }
    t = out t
  }
  return t
}
function bearer(t,   out, l, m, k, tok, w, b, a, st, ln) {
  out = ""; l = tolower(t)
  while (match(l, "bearer[ \t]+[a-z0-9._~+/-]+=*")) {
    st = RSTART; ln = RLENGTH
    m = substr(t, st, ln); b = st > 1 ? substr(t, st - 1, 1) : ""; a = substr(t, st + ln, 1)
    match(m, /^[Bb][Ee][Aa][Rr][Ee][Rr][ \t]+/); k = RLENGTH; tok = substr(m, k + 1); w = tok; sub(/=+$/, "", w)
    if (b ~ /[A-Za-z0-9_-]/ || b == "=" || length(w) < 4 || (tolower(w) in BW) || (tok ~ /=$/ && a ~ /[A-Za-z0-9]/) || (tok ~ /=$/ && (tolower(w) in AP) && a == "\"")) out = out substr(t, 1, st - 1) m
    else out = out substr(t, 1, st - 1) substr(m, 1, k) mark("bearer-token")
    t = substr(t, st + ln); l = substr(l, st + ln)
  }
  return out t
}
# user:password in base64 (decoded: printable, with a colon), or a run too mixed to be a word.
function basiccred(s,   i, c, v, bits, nb, colon, x) {
  if (length(s) % 4 == 0) {
    bits = 0; nb = 0; colon = 0; x = 1
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c == "=") break
      v = index(B64, c) - 1
      bits = bits * 64 + v; nb += 6
      if (nb >= 8) { nb -= 8; c = int(bits / P2[nb]); bits -= c * P2[nb]; if (c == 58) colon = 1; if (c < 32 || c > 126) x = 0 }
    }
    if (colon && x) return 1
  }
  return length(s) >= 12 && s ~ /[0-9]/ && s ~ /[a-z]/ && substr(s, 2) ~ /[A-Z]/
}
function basic(t,   out, l, m, k, tok, b, a, st, ln) {
  out = ""; l = tolower(t)
  while (match(l, "basic[ \t]+[a-z0-9+/]+=*")) {
    st = RSTART; ln = RLENGTH
    m = substr(t, st, ln); b = st > 1 ? substr(t, st - 1, 1) : ""; a = substr(t, st + ln, 1)
    match(m, /^[Bb][Aa][Ss][Ii][Cc][ \t]+/); k = RLENGTH; tok = substr(m, k + 1)
    if (b !~ /[A-Za-z0-9_-]/ && a !~ "[A-Za-z0-9+/=_-]" && length(tok) >= 6 && basiccred(tok)) out = out substr(t, 1, st - 1) substr(m, 1, k) mark("authorization-header")
    else out = out substr(t, 1, st - 1) m
    t = substr(t, st + ln); l = substr(l, st + ln)
  }
  return out t
}
function cookie(t,   out, l, m, p, b) {
  out = ""; l = tolower(t)
  while (match(l, /(set-)?cookie[ \t]*:[ \t]*/)) {
    b = RSTART > 1 ? substr(t, RSTART - 1, 1) : ""; p = RSTART + RLENGTH
    m = substr(t, p); match(m, /^[^\r\n"\\]*/)
    if (b ~ /[A-Za-z0-9_-]/ || RLENGTH == 0 || substr(m, 1, 10) == MK) { out = out substr(t, 1, p - 1); t = substr(t, p); l = substr(l, p); continue }
    out = out substr(t, 1, p - 1) mark("cookie")
    t = substr(t, p + RLENGTH); l = substr(l, p + RLENGTH)
  }
  return out t
}
function userarg(t,   out, m, k, b) {
  out = ""
  while (match(t, /(-u|--user)([ \t]+|=)["']?[^] \t:"'[]+:[^ \t"']+/)) {
    m = substr(t, RSTART, RLENGTH); b = RSTART > 1 ? substr(t, RSTART - 1, 1) : ""
    k = index(m, ":")
    if (b ~ /[A-Za-z0-9_-]/ || substr(m, k + 1, 10) == MK) out = out substr(t, 1, RSTART + RLENGTH - 1)
    else out = out substr(t, 1, RSTART - 1 + k) mark("secret-arg")
    t = substr(t, RSTART + RLENGTH)
  }
  return out t
}
# Fixed-shape tokens: each maximal run of the token's characters starting with its prefix, at least min long.
function shaped(t, re, min, kind, bre,   out, b) {
  out = ""
  if (bre == "") bre = "[A-Za-z0-9_-]"
  while (match(t, re)) {
    b = RSTART > 1 ? substr(t, RSTART - 1, 1) : ""
    if (b !~ bre && RLENGTH >= min) out = out substr(t, 1, RSTART - 1) mark(kind)
    else out = out substr(t, 1, RSTART + RLENGTH - 1)
    t = substr(t, RSTART + RLENGTH)
  }
  return out t
}
function tokens(t) {
  if (index(t, "AIza")) t = shaped(t, "AIza[0-9A-Za-z_-]+", 39, "cloud-key")
  if (index(t, "gh") && t ~ /gh[pousr]_/) t = shaped(t, "gh[pousr]_[A-Za-z0-9]+", 40, "service-token")
  if (index(t, "github_pat_")) t = shaped(t, "github_pat_[A-Za-z0-9_]+", 33, "service-token")
  if (t ~ /xox[abprs]-|xapp-/) t = shaped(t, "(xox[abprs]|xapp)-[A-Za-z0-9-]+", 15, "service-token")
  if (t ~ /[rs]k_(live|test)_/) t = shaped(t, "[rs]k_(live|test)_[A-Za-z0-9]+", 24, "service-token")
  if (index(t, "glpat-")) t = shaped(t, "glpat-[A-Za-z0-9_-]+", 26, "service-token")
  if (index(t, "npm_")) t = shaped(t, "npm_[A-Za-z0-9]+", 40, "service-token")
  if (index(t, "pypi-AgE")) t = shaped(t, "pypi-AgE[A-Za-z0-9_-]+", 58, "service-token")
  if (index(t, "hf_")) t = shaped(t, "hf_[A-Za-z0-9]+", 33, "service-token")
  if (index(t, "dop_v1_")) t = shaped(t, "dop_v1_[a-f0-9]+", 71, "service-token")
  if (t ~ /shp(at|ss)_/) t = shaped(t, "shp(at|ss)_[a-fA-F0-9]+", 38, "service-token")
  if (index(t, "SG.")) t = shaped(t, "SG\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+", 37, "service-token")
  if (index(t, "sk-")) t = skdash(t)
  if (index(t, "ya29.")) t = shaped(t, "ya29\\.[A-Za-z0-9_-]+", 25, "service-token")
  if (index(t, ":AA")) t = shaped(t, "[0-9]+:AA[A-Za-z0-9_-]+", 38, "service-token", "[0-9]")
  if (index(t, "hooks")) {
    t = hook(t, "hooks\\.slack\\.com/(services|workflows|triggers)/[A-Za-z0-9_/-]+", "^hooks\\.slack\\.com/[a-z]+/")
    t = hook(t, "discord(app)?\\.com/api/webhooks/[0-9]+/[A-Za-z0-9_/-]+", "^discord(app)?\\.com/api/webhooks/[0-9]+/")
  }
  return t
}
function skdash(t,   out, m, b) {
  out = ""
  while (match(t, /sk-[A-Za-z0-9_-]+/)) {
    m = substr(t, RSTART, RLENGTH); b = RSTART > 1 ? substr(t, RSTART - 1, 1) : ""
    if (b !~ /[A-Za-z0-9_-]/ && RLENGTH >= 35 && substr(m, 4) ~ /[0-9]/) out = out substr(t, 1, RSTART - 1) mark("service-token")
    else out = out substr(t, 1, RSTART + RLENGTH - 1)
    t = substr(t, RSTART + RLENGTH)
  }
  return out t
}
function hook(t, re, keep,   out, m, k, st, ln) {
  out = ""
  while (match(t, re)) {
    st = RSTART; ln = RLENGTH; m = substr(t, st, ln); match(m, keep); k = RLENGTH
    if (substr(m, k + 1, 10) == MK) out = out substr(t, 1, st - 1) m
    else out = out substr(t, 1, st - 1) substr(m, 1, k) mark("service-token")
    t = substr(t, st + ln)
  }
  return out t
}

# ------------------------------------------------------------------ values
function qat(t, p,   c, k) {
  k = p; while (substr(t, k, 1) == "\\" && k - p < 8) k++
  c = substr(t, k, 1)
  return c == "\"" || (c == "'" && k - p <= 1)
}
function qend(t, p, q, len,   k) { k = index(substr(t, p), q); return k ? p + k - 1 : len + 1 }
# The value at p: inside its quotes (escaped any number of times) when quoted, else up to a stop character. Sets VS, VE, VN.
function valspan(t, p, json,   c, k, q, len) {
  len = length(t); c = substr(t, p, 1); q = ""
  if (c == "\\") { k = p; while (substr(t, k, 1) == "\\" && k - p < 8) k++; if (substr(t, k, 1) == "\"") q = substr(t, p, k - p + 1); else if (substr(t, k, 1) == "'" && k == p + 1) q = "\\'" }
  else if (c == "\"" || c == "'") q = c
  if (q != "") { VS = p + length(q); VE = qend(t, VS, q, len); VN = VE <= len ? VE + length(q) : VE; return }
  VS = p; k = p
  if (json) { while (k <= len && substr(t, k, 1) !~ /[] \t\n\r\f\v"'\\&;<>,}]/) k++ }
  else { while (k <= len && substr(t, k, 1) !~ /[ \t\n\r\f\v"'\\&;<>]/) k++ }
  VE = VN = k
}
function worth(t) { return VE > VS && !notsecret(substr(t, VS, VE - VS)) }

# ------------------------------------------------------------------ tools' short password options
function tools(t,   len, p, st, ln, m, b, name, letter, takes, after, atword, words, ws, c, nx, vp, a0, vs, k, nsp, S, E, w, rw, npos, pw, isv) {
  len = length(t); p = 1; nsp = 0
  while (p <= len && match(substr(t, p), /(docker|podman|nerdctl|buildah|skopeo|oras|helm[ \t]+registry)[ \t]+login[ \t]|(mysql|mariadb|mariabackup|xtrabackup|sshpass|redis-cli|valkey-cli|keydb-cli|mosquitto_|mongo|ipmitool|sqlcmd|smbclient|rpcclient|lftp|openssl|useradd|usermod|nmcli|wpa_passphrase|aws|ldap)[A-Za-z_-]*[ \t]/)) {
    st = p + RSTART - 1; ln = RLENGTH; m = substr(t, st, ln - 1)
    b = st > 1 ? substr(t, st - 1, 1) : ""
    p = st + ln - 1
    if (b ~ /[A-Za-z0-9_.-]/) continue
    name = m; if (name ~ /login$/) name = "login"
    if (!(name in TL)) continue
    letter = TL[name]; takes = TT[name]; after = TA[name]; atword = 0; npos = 0; pw = ""
    for (words = 0; words < 64 && p <= len; words++) {
      ws = p
      while (blank(substr(t, p, 1))) p++
      if (p > len) break
      c = substr(t, p, 1)
      if (p == ws && !atword && words > 0) break
      atword = 0
      if (c == ";" || c == "|" || c == "&" || c == ")" || c == "\n") break
      if (c != "-") {
        if (name in WRAP) break
        valspan(t, p, 0); if (VN == p) break
        rw = substr(t, p, VE - p); w = rw; sub(/.*\//, "", w); if (w in TL) break
        npos++
        if (POS[name] == npos && VE > VS) { nsp++; S[nsp] = VS; E[nsp] = VE }
        p = VN
        # a word after an nmcli property (wifi-sec.key-mgmt wpa-psk) is its value, not a name
        isv = index(pw, ".") > 0; pw = rw
        if ((name in KW) && !isv && strength(rw) == 2 && blank(substr(t, p, 1))) {
          p = skipb(t, p); valspan(t, p, 0)
          if (VE > VS) { nsp++; S[nsp] = VS; E[nsp] = VE }
          p = VN; pw = ""
        }
        continue
      }
      if (substr(t, p + 1, 1) != letter) { valspan(t, p, 0); p = VN > p ? VN : p + 1; continue }
      vp = p + 2
      if (vp > len || blank(substr(t, vp, 1))) {
        a0 = vp
        while (blank(substr(t, vp, 1))) vp++
        if (vp > len || substr(t, vp, 1) == "-" || vp == a0 || (takes == "a" && !qat(t, vp))) { p = vp; atword = 1; continue }
      }
      valspan(t, vp, 0); vs = VS
      if (after != "") { k = index(substr(t, vs, VE - vs), after); if (k == 0) { p = VN; continue } vs += k }
      if (VE > vs) { nsp++; S[nsp] = vs; E[nsp] = VE }
      p = VN
    }
  }
  return spans(t, S, E, nsp, "secret-arg")
}
function spans(t, S, E, nsp,   kind, out, copied, i) {
  out = ""; copied = 1
  for (i = 1; i <= nsp; i++) {
    if (S[i] < copied || E[i] <= S[i] || notsecret(substr(t, S[i], E[i] - S[i]))) continue
    out = out substr(t, copied, S[i] - copied) mark(kind); copied = E[i]
  }
  return copied == 1 ? t : out substr(t, copied)
}

# ------------------------------------------------------------------ key/value pairs whose name is a separate field (OCPP)
function opener(t, p,   d, k, c, stop) {
  d = 0; stop = p - 2048; if (stop < 1) stop = 1
  for (k = p - 1; k >= stop; k--) {
    c = substr(t, k, 1)
    if (c == "}" || c == ")" || c == "]") d++
    else if (c == "{" || c == "(" || c == "[") { if (d == 0) return c == "[" ? 0 : k; d-- }
    else if (c == "\n") return 0
  }
  return 0
}
function closer(t, o,   d, k, c, stop) {
  d = 0; stop = o + 2048; if (stop > length(t) + 1) stop = length(t) + 1
  for (k = o; k < stop; k++) {
    c = substr(t, k, 1)
    if (c == "{" || c == "(" || c == "[") d++
    else if (c == "}" || c == ")" || c == "]") { d--; if (d == 0) return k }
    else if (c == "\n") return k
  }
  return stop
}
function pairs(t,   l, len, p, st, ln, q, e, nm, o, o2, pre, cl, seg, vp, vst, vln, pos, done, nsp, S, E, c, k, nh, i, H) {
  l = tolower(t); len = length(t); p = 1; done = 0; nsp = 0
  nh = namings(l, H)
  for (i = 1; i <= nh; i++) {
    st = H[i]
    if (st < p) continue
    match(substr(l, st, 256), /^(key|name)\\*["']?[ \t]*[:=][ \t]*\\*["']/); ln = RLENGTH; p = st + ln
    if (st > 1 && substr(t, st - 1, 1) ~ /[A-Za-z0-9_]/) continue
    k = p - 2; while (k > 0 && substr(t, k, 1) == "\\") k--
    q = substr(t, k + 1, p - 1 - k)
    e = index(substr(t, p, 84), q)
    if (e <= 1 || e - 1 > 80) continue
    nm = substr(t, p, e - 1)
    if (nm !~ /^[A-Za-z][A-Za-z0-9_. -]*$/ || strength(nm) == 0) continue
    o = opener(t, st)
    if (o == 0 || o < done) continue
    k = o - 28; if (k < 1) k = 1
    pre = tolower(substr(t, k, o - k))
    if (pre ~ /variable\\*["']?[ \t]*:[ \t]*$/) { o2 = opener(t, o); if (o2 == 0 || o2 < done) continue; o = o2 }
    cl = closer(t, o)
    seg = substr(l, o, cl - o); vp = 1
    while (match(substr(seg, vp), /(value|attributevalue|val)\\*["']?[ \t]*[:=][ \t]*/)) {
      vst = vp + RSTART - 1; vln = RLENGTH; vp = vst + vln
      if (vst > 1 && substr(seg, vst - 1, 1) ~ /[a-z0-9_]/) continue
      pos = o - 1 + vst + vln
      c = substr(t, pos, 1)
      if (c == "{" || c == "[") continue
      if (qat(t, pos)) { valspan(t, pos, 0); if (VE > cl) continue }
      else { VS = pos; VE = pos; while (VE < cl && substr(t, VE, 1) !~ /[ \t\n\r"'\\,}\]);]/) VE++ }
      if (VE > VS && VS >= done) { nsp++; S[nsp] = VS; E[nsp] = VE; done = VE }
    }
    if (cl > done) done = cl
    if (cl > p) p = cl
  }
  return spans(t, S, E, nsp, "secret-kv")
}
# - name: DB_PASSWORD on the line before, value: x on this one
function namedvalue(prev, line,   nm, k, q, e, vs, ve) {
  if (prev !~ /^[ \t]*(-[ \t]+)?name:[ \t]*["']?[A-Za-z_][A-Za-z0-9_.-]*["']?[ \t]*$/) return line
  nm = prev; sub(/^[ \t]*(-[ \t]+)?name:[ \t]*["']?/, "", nm); sub(/["']?[ \t]*$/, "", nm)
  if (strength(nm) == 0 || !match(line, /^[ \t]*value:[ \t]*["']?/)) return line
  k = RLENGTH; q = substr(line, k, 1); if (q != "\"" && q != "'") q = ""
  vs = k + 1
  if (q != "") { e = index(substr(line, vs), q); ve = e ? vs + e - 1 : length(line) + 1 }
  else { e = index(substr(line, vs), " #"); ve = e ? vs + e - 1 : length(line) + 1; while (ve > vs && substr(line, ve - 1, 1) ~ /[ \t\r]/) ve-- }
  if (ve > vs && !notsecret(substr(line, vs, ve - vs))) return substr(line, 1, vs - 1) mark("secret-kv") substr(line, ve)
  return line
}

# ------------------------------------------------------------------ NAME=value, --name value, "name": "value", name: value
function akind(u, env) {
  if (index(u, "AUTHTOKEN") || u ~ /^NGROK_/) return "ngrok-authtoken"
  if (env) return "secret-env"
  if (u ~ /^AWS_/) return "cloud-key"
  return "secret-kv"
}
function wordbefore(t, s,   k, e) {
  k = s - 1
  if (!blank(substr(t, k, 1))) return ""
  e = k
  while (k > 1 && substr(t, k - 1, 1) ~ /[A-Za-z-]/) k--
  return e - k > 24 ? "" : toupper(substr(t, k, e - k))
}
function skipb(t, p) { while (blank(substr(t, p, 1))) p++; return p }
function linevalue(t, p, len, injs,   c, k, ch, x) {
  c = substr(t, p, 1)
  if (!injs && (c == "\"" || c == "'")) { VS = p + 1; VE = qend(t, VS, c, len); return 1 }
  if (injs && substr(t, p, 2) == "\\\"") { VS = p + 2; VE = qend(t, VS, "\\\"", len); return 1 }
  if (c == "" || index("|>{[&*#", c)) return 0
  VE = len + 1
  for (k = p; k <= len; k++) {
    ch = substr(t, k, 1)
    if (ch == "#" && blank(substr(t, k - 1, 1))) { VE = k; break }
    if (injs && ch == "\"") { VE = k; break }
    if (injs && ch == "\\") { x = substr(t, k + 1, 1); if (x == "n" || x == "r" || x == "t" || x == "\"") { VE = k; break } k++ }
  }
  while (VE > p && substr(t, VE - 1, 1) ~ /[ \t\r\n]/) VE--
  VS = p
  return 1
}
# The secret value of the word w at [s, e) of t: sets VS, VE, VK and returns 1, or returns 0.
function examine(t, s, e, w, len,   after, d, name, st, u, p, c, env, op, bq, oq, k, q1, q2, sep, als, injs) {
  after = substr(t, e, 1)
  if (after == "" || index("=:\"'\\ \t>", after) == 0) return 0
  d = 0; while (substr(w, d + 1, 1) == "-") d++
  name = substr(w, d + 1)
  if (blank(after) && !(d == 2 || (d >= 1 && length(w) >= 5)) && w != "add-authtoken" && w != "authtoken" && substr(t, skipb(t, e), 1) != "=") return 0
  if (d == 0 && (name == "add-authtoken" || name == "authtoken") && blank(after)) {
    p = skipb(t, e); valspan(t, p, 0)
    if (substr(t, p, 1) != "-" && (name == "add-authtoken" || VE - VS >= 16) && worth(t)) { VK = "ngrok-authtoken"; return 1 }
    return 0
  }
  st = strength(name); u = normname(name)
  if (st == 0) {
    if (u == "PWD" && d == 0 && after == "=" && substr(t, e + 1, 2) !~ "^[\"']?[/~$]") { valspan(t, e + 1, 0); VK = "secret-kv"; return worth(t) }
    return 0
  }
  if (after == ">") {
    if (d != 0 || substr(t, s - 1, 1) != "<" || st != 2) return 0
    k = index(substr(t, e + 1, 1024), "</"); if (!k) return 0
    VS = e + 1; VE = e + k
    VK = "secret-kv"; return worth(t)
  }
  if (d == 2 && (after == "\"" || after == "\\") && substr(t, s - 1, 1) == "\"") {
    if (!match(substr(t, e, 12), /^\\?",[ \t]*\\?"/)) return 0
    k = RLENGTH; q1 = substr(t, e, 1) == "\\" ? "\\\"" : "\""; q2 = substr(t, e + k - 2, 1) == "\\" ? "\\\"" : "\""
    if (q1 != q2 || substr(t, e + k, 1) == "-") return 0
    VS = e + k; VE = qend(t, VS, q1, len); VK = "secret-arg"; return worth(t)
  }
  if (d == 2 || (d == 1 && length(name) >= 4 && st == 2 && blank(after))) {
    VK = index(u, "AUTHTOKEN") ? "ngrok-authtoken" : "secret-arg"
    if (after == "=") p = e + 1
    else if (blank(after)) p = skipb(t, e)
    else return 0
    if (substr(t, p, 1) == "-") return 0
    valspan(t, p, 0); return worth(t)
  }
  if (after == "=" && substr(t, e + 1, 1) != "=") {
    env = (t ~ /^[ \t]*Environment=/); op = substr(t, s - 1, 1)
    if (env && (op == "\"" || op == "'")) { VS = e + 1; VE = qend(t, VS, op, len) }
    else valspan(t, e + 1, 0)
    VK = akind(u, env); return worth(t)
  }
  bq = s > 1 ? substr(t, s - 1, 1) : ""; oq = ""
  if (bq == "'") oq = "'"
  if (bq == "\"") { k = s - 1; while (k > 1 && substr(t, k - 1, 1) == "\\" && s - k < 8) k--; oq = substr(t, k, s - k) }
  if (oq != "" && d == 0 && substr(t, e, length(oq)) == oq) {
    if (st == 1) return 0
    p = skipb(t, e + length(oq)); c = substr(t, p, 1)
    if (c != ":" && c != "=") return 0
    p = skipb(t, p + 1); c = substr(t, p, 1)
    if (c == "{" || c == "[") return 0
    valspan(t, p, 1); VK = akind(u, 0); return worth(t)
  }
  if (after == ":" && tolower(name) ~ /^x-/ && blank(substr(t, e + 1, 1))) { valspan(t, skipb(t, e + 1), 0); VK = "secret-kv"; return worth(t) }
  if (d != 0) return 0
  als = (!MIDLINE && s - 1 <= 200 && substr(t, 1, s - 1) ~ /^[ \t]*(- )?$/)
  injs = (bq == "\"" && substr(t, s - 2, 1) == ":" && !als)
  if (als || injs) {
    p = skipb(t, e); sep = substr(t, p, 1)
    if (sep == ":" && blank(substr(t, p + 1, 1))) p = skipb(t, p + 1)
    else if (sep == "=" && substr(t, p + 1, 1) != "=") p = skipb(t, p + 1)
    else return 0
    if (!linevalue(t, p, len, injs)) return 0
    if (injs && (tolower(substr(t, VS, VE - VS)) in PROSE)) return 0
    if (u == "PASSWD" && substr(t, VS, VE - VS) ~ /^((files|systemd|compat|db|nis|nisplus|ldap|sss|winbind|dns|mymachines|myhostname|resolve|extrausers|cache|\[[!A-Za-z=]+\])[ \t]*)+$/) return 0
    VK = akind(u, 0); return worth(t)
  }
  if (after == ":") { if (!blank(substr(t, e + 1, 1))) return 0; p = skipb(t, e + 1) }
  else { p = skipb(t, e); if (substr(t, p, 1) != "=" || substr(t, p + 1, 1) == "=") return 0; p = skipb(t, p + 1) }
  if (st == 1 && !(u == "KEY" && (wordbefore(t, s) in QUAL))) return 0
  if (name == "PASS") return 0
  c = substr(t, p, 1)
  if (c == "{" || c == "[") return 0
  valspan(t, p, 0)
  if (!qat(t, p)) { while (VE - VS > 1 && index(",;)}]", substr(t, VE - 1, 1))) VE-- }
  if (tolower(substr(t, VS, VE - VS)) in PROSE) return 0
  VK = akind(u, 0); return worth(t)
}
function assigns(t,   l, len, p, st, ws, we, w, out, copied, nh, i, H) {
  l = tolower(t); len = length(t); p = 1; copied = 1; out = ""
  nh = markers(l, H)
  for (i = 1; i <= nh; i++) {
    st = H[i]
    if (st < p) continue
    ws = st; while (ws > 1 && wordc(substr(t, ws - 1, 1))) ws--
    we = st; while (we <= len && wordc(substr(t, we, 1))) we++
    p = we
    if (ws < copied || index(SEPS, substr(t, we, 1)) == 0) continue
    w = substr(t, ws, we - ws)
    if (w !~ /^-?-?[A-Za-z_]/) continue
    if (examine(t, ws, we, w, len)) {
      out = out substr(t, copied, VS - copied) mark(VK); copied = VE
      if (VE > p) p = VE
    }
  }
  return copied == 1 ? t : out substr(t, copied)
}
# Where the words of secret names start in l, into H[1..]: one split of the line, not a copy of its rest for every word.
function markers(l, H,   parts, np, i, pos) {
  np = split(l, parts, /token|secret|pass|pwd|key|auth|cred|psk|sig|bearer/); pos = 1
  for (i = 1; i < np; i++) {
    pos += length(parts[i]); H[i] = pos
    match(substr(l, pos, 8), /^(token|secret|pass|pwd|key|auth|cred|psk|sig|bearer)/); pos += RLENGTH
  }
  return np - 1
}
# Where the key and name fields start in l (the same, for the key/value pairs).
function namings(l, H,   parts, np, i, pos) {
  np = split(l, parts, /(key|name)\\*["']?[ \t]*[:=][ \t]*\\*["']/); pos = 1
  for (i = 1; i < np; i++) {
    pos += length(parts[i]); H[i] = pos
    match(substr(l, pos, 256), /^(key|name)\\*["']?[ \t]*[:=][ \t]*\\*["']/); pos += RLENGTH
  }
  return np - 1
}

# ------------------------------------------------------------------ one line
function red(t,   l) {
  # Anything any rule below looks for (three scans: mawk is slower on one big alternation): most lines have none.
  l = tolower(t)
  if (l !~ /token|secret|pass|pwd|key|auth|cred|psk|sig|bearer|basic|cookie|digest/ && t !~ /-----BEGIN |:\/\/|AKIA|ASIA|eyJ|AIza|gh[pousr]_|github_pat_|xox|xapp-|k_live_|k_test_|glpat-|npm_|pypi-|hf_|dop_v1_|shp|SG\.|sk-|ya29\.|:AA|hooks|-u[ \t=]|--user/ && t !~ /mysql|maria|xtrabackup|sshpass|-cli|mosquitto_|mongo|ipmitool|sqlcmd|smbclient|rpcclient|lftp|openssl|user(add|mod)|ldap| login|nmcli|wpa_passphrase|aws /) return t
  if (index(t, "-----BEGIN ")) t = pem(t)
  if (index(t, "://")) t = urls(t)
  if (t ~ /AKIA|ASIA/) t = aws(t)
  l = tolower(t)
  if (l ~ /authorization|digest/) t = authz(t)
  if (index(t, "eyJ")) t = jwt(t)
  l = tolower(t)
  if (index(l, "bearer")) t = bearer(t)
  if (index(l, "basic")) t = basic(t)
  if (index(l, "cookie")) t = cookie(t)
  if (t ~ /(-u|--user)[ \t=]/) t = userarg(t)
  t = tokens(t)
  if (t ~ /mysql|maria|xtrabackup|sshpass|-cli|mosquitto_|mongo|ipmitool|sqlcmd|smbclient|rpcclient|lftp|openssl|user(add|mod)|ldap| login|nmcli|wpa_passphrase|aws /) t = tools(t)
  l = tolower(t)
  if (l ~ /token|secret|pass|pwd|key|auth|cred|psk|sig|bearer/) {
    if (index(l, "alue") && l ~ /(key|name)\\*["']?[ \t]*[:=]/) t = pairs(t)
    t = assigns(t)
  }
  return t
}
function jwt(t,   out, b) {
  out = ""
  while (match(t, /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/)) {
    b = RSTART > 1 ? substr(t, RSTART - 1, 1) : ""
    if (b ~ /[A-Za-z0-9_-]/) out = out substr(t, 1, RSTART + RLENGTH - 1)
    else out = out substr(t, 1, RSTART - 1) mark("jwt")
    t = substr(t, RSTART + RLENGTH)
  }
  return out t
}

# ------------------------------------------------------------------ user:password@host in names
# (autossh@pi:PASSWORD@relay.service, systemd's escaped pi:PASSWORD\x40relay, ocpp[CP01:PASSWORD@csms]), as charger-diag does
function userinfo(t,   out, st, ln, m, k, u, pw, b, rest) {
  if (!index(t, ":") || (!index(t, "@") && !index(t, "\\x40"))) return t
  out = ""
  while (match(t, /[A-Za-z0-9._~%+-]+:[^] \t@\/\\'"<>[]+(@|\\x40)[A-Za-z0-9[]/)) {
    st = RSTART; ln = RLENGTH; m = substr(t, st, ln)
    k = index(m, ":"); u = substr(m, 1, k - 1)
    pw = substr(m, k + 1); sub(/(@|\\x40).$/, "", pw)
    b = st > 1 ? substr(t, st - 1, 1) : ""
    rest = substr(t, st + ln - 1, 8)
    if (b ~ /[A-Za-z0-9._~%+:\\-]/ || b == "/" || length(u) > 64 || length(pw) > 256 || (tolower(u) in SCHEMES) || (u ~ /^[0-9]+$/ && pw ~ /^[0-9:.,]+$/) || tolower(rest) ~ /^sha(256|384|512):/) {
      out = out substr(t, 1, st + k - 1); t = substr(t, st + k); continue
    }
    out = out substr(t, 1, st + k - 1) mark("url-credentials")
    t = substr(t, st + k + length(pw))
  }
  return out t
}

# ------------------------------------------------------------------ key blocks over lines and journal records
function keystep(kind, msg) {
  KL[kind]++
  if (msg ~ /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/) return "end"
  if (bodyline(msg)) return KL[kind] > 400 ? "closed" : "body"
  KM[kind]++
  return (KM[kind] > 8 || KL[kind] > 400) ? "closed" : "other"
}
function tline(line,   w, r, rest) {
  if (TK) {
    w = keystep("", line)
    if (w == "body") { drop = 1; return "" }
    if (w == "end") {
      TK = 0; match(line, /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/); rest = substr(line, RSTART + RLENGTH); prev = rest
      if (rest ~ /^[ \t\r]*$/) { drop = 1; return "" }
      return red(rest)
    }
    if (w == "closed") TK = 0
  }
  keyopen = 0
  r = userinfo(red(line))
  if (keyopen) { TK = 1; KL[""] = 0; KM[""] = 0 }
  if (prev != "" && index(r, "value:")) r = namedvalue(prev, r)
  prev = line
  return r
}
# A JSON string field of a journal record: its raw (escaped) text, JS/JE its bounds; "\001" when there is none.
function jfield(line, name,   k, p, e, c, len) {
  k = index(line, "\"" name "\":\"")
  if (!k) return "\001"
  p = k + length(name) + 4; e = p; len = length(line)
  while (e <= len) { c = substr(line, e, 1); if (c == "\\") { e += 2; continue } if (c == "\"") break; e++ }
  JS = p; JE = e
  return substr(line, p, e - p)
}
# Not the pid: a script that logs a key with one logger call per line has a new pid for each. Not the
# unit: journald reads it from /proc as a line arrives, so a logger already gone has it on some lines only.
function emitter(line,   id) {
  id = jfield(line, "SYSLOG_IDENTIFIER"); if (id == "\001" || id == "") id = jfield(line, "_COMM")
  return jfield(line, "_BOOT_ID") "/" id
}
# Every other copy of a key's body line in the record (logger's _CMDLINE) becomes the mark too.
function allbody(line, body,   out, k) {
  if (length(body) < 8) return line
  out = ""
  while ((k = index(line, body)) > 0) { out = out substr(line, 1, k - 1) MK "private-key]"; line = substr(line, k + length(body)) }
  return out line
}
function jline(line,   msg, ms, me, who, w, r, bd) {
  if (JN > 0) {
    msg = jfield(line, "MESSAGE")
    if (msg != "\001") {
      ms = JS; me = JE; who = "j" emitter(line)
      if (who in JK) {
        w = keystep(who, msg)
        if (w == "body") { bd = msg; gsub(/^[ \t]+|[ \t]+$/, "", bd); return allbody(substr(line, 1, ms - 1) MK "private-key]" substr(line, me), bd) }
        if (w != "other") { delete JK[who]; JN-- }
      }
    }
  }
  keyopen = 0
  r = userinfo(red(line))
  if (keyopen && jfield(line, "MESSAGE") != "\001") {
    if (JN >= 64) { split("", JK); JN = 0 }
    who = "j" emitter(line)
    if (!(who in JK)) JN++
    JK[who] = 1; KL[who] = 0; KM[who] = 0
  }
  return r
}
{
  drop = 0
  line = $0
  if (length(line) > 8192) { long(line); next }
  if (substr(line, 1, 2) == "{\"" && index(line, "\"MESSAGE\":")) line = jline(line)
  else line = tline(line)
  if (!drop) print line
}
# A very long line in pieces cut at blanks, each printed as it is done, so the work stays linear.
function long(t,   len, pos, piece, cut) {
  len = length(t); pos = 1
  while (len - pos + 1 > 4096) {
    piece = substr(t, pos, 4096); cut = 4096
    # at the last blank of its second half, found with one match (busybox awk's substr walks from the start)
    if (match(piece, /[ \t][^ \t]*$/) && RSTART > 2048) cut = RSTART
    printf "%s", userinfo(red(substr(piece, 1, cut)))
    pos += cut
    MIDLINE = 1
  }
  print userinfo(red(substr(t, pos)))
  MIDLINE = 0
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
  _err=$(redact_err "$_err")
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
