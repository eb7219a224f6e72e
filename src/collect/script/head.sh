#!/bin/sh
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
