#!/bin/bash
# PID 1 of a new pid, mount, uts and net namespace (started by test/lab/harness.ts through
# `unshare --pid --fork --mount --uts --net --mount-proc`): lays out a throwaway device over the
# host's own /usr and boots the host's systemd on it. Everything written lands in tmpfs inside
# this namespace; the host's files, mounts and services are never touched.
#   $1  the case's private stage directory on the host (files/ to copy in, hostname, mask, wants)
#   $2  the repository, bind-mounted read-only at /run/lab/repo so the lab runs the built CLI
set -euo pipefail
stage=$1
repo=$2

# Nothing mounted here may propagate back to the host.
mount --make-rprivate /

# /run first: it holds the overlays' upper layers and the repository, and stays reachable
# after /tmp (where the stage lives on the host) is covered.
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lab/ov /run/lab/repo
mount --bind "$repo" /run/lab/repo
mount -o remount,bind,ro /run/lab/repo

# The device's configuration and state: the host's as the lower layer, writes in memory.
for d in etc usr/local var/lib root; do
  [ -d "/$d" ] || continue
  key=${d//\//_}
  mkdir -p "/run/lab/ov/$key/upper" "/run/lab/ov/$key/work"
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=/run/lab/ov/$key/upper,workdir=/run/lab/ov/$key/work" "/$d"
done
for d in var/tmp var/log home; do
  mount -t tmpfs -o mode=755 tmpfs "/$d"
done
chmod 1777 /var/tmp
mkdir -p /var/log/journal

# A minimal device: nothing the host's image enables starts here unless the case enables it.
for w in multi-user.target.wants timers.target.wants getty.target.wants sysinit.target.wants \
         sockets.target.wants default.target.wants; do
  rm -rf "/etc/systemd/system/$w"
done
# Units that would reach outside the namespace (the shared /tmp, kernel settings, devices,
# the clock) or wait for a terminal.
while read -r u; do
  if [ -n "$u" ]; then ln -sfn /dev/null "/etc/systemd/system/$u"; fi
done <<'UNITS'
systemd-tmpfiles-setup.service
systemd-tmpfiles-setup-dev.service
systemd-tmpfiles-clean.service
systemd-tmpfiles-clean.timer
systemd-sysctl.service
systemd-modules-load.service
systemd-binfmt.service
proc-sys-fs-binfmt_misc.automount
proc-sys-fs-binfmt_misc.mount
systemd-timesyncd.service
systemd-udevd.service
systemd-udev-trigger.service
systemd-udev-settle.service
systemd-udevd-control.socket
systemd-udevd-kernel.socket
getty@tty1.service
serial-getty@console.service
console-getty.service
getty.target
systemd-firstboot.service
systemd-random-seed.service
systemd-remount-fs.service
systemd-pstore.service
sys-kernel-debug.mount
sys-kernel-tracing.mount
sys-kernel-config.mount
sys-fs-fuse-connections.mount
dev-hugepages.mount
dev-mqueue.mount
e2scrub_reap.service
apt-daily.timer
apt-daily-upgrade.timer
man-db.timer
UNITS
while read -r u; do
  if [ -n "$u" ]; then ln -sfn /dev/null "/etc/systemd/system/$u"; fi
done <"$stage/mask"

# The case's own files (units, scripts, configuration), then the users it needs.
if [ -d "$stage/files" ]; then
  cp -a "$stage/files/." /
fi
while read -r user; do
  if [ -n "$user" ]; then useradd -m -s /bin/bash "$user"; fi
done <"$stage/users"
while read -r target unit; do
  if [ -z "$unit" ]; then continue; fi
  mkdir -p "/etc/systemd/system/$target.wants"
  for dir in /etc/systemd/system /lib/systemd/system; do
    if [ -e "$dir/$unit" ]; then ln -sfn "$dir/$unit" "/etc/systemd/system/$target.wants/$unit"; break; fi
  done
done <"$stage/wants"
host=$(cat "$stage/hostname")
echo "$host" >/etc/hostname
hostname "$host"
# A machine id of its own, so the journal of this boot is this lab's alone.
rm -f /etc/machine-id
systemd-machine-id-setup >/dev/null 2>&1 || true

# Last: cover the host's /tmp (the stage lives there; nothing of it is needed any more).
mount -t tmpfs -o mode=1777 tmpfs /tmp

# container= tells systemd it is not the host's init: it neither writes the kernel's
# core_pattern nor remounts the (shared) root read-only at poweroff.
exec env -i container=charger-diag-lab PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  /lib/systemd/systemd --system --unit=multi-user.target
