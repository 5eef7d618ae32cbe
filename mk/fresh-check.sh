#!/bin/sh
# SPDX-License-Identifier: MIT
# make fresh-check: what a new user meets. A Debian 12 system made with
# mmdebstrap from Debian's own packages (nothing in it but apt, git and make),
# a clone of this repository's HEAD in it with nothing beside it, and exactly
# the README's two commands, `make demo` and `make check`, run there as root.
# Fails if either fails. With FRESH_DEB=1 it then also builds the Debian
# packages there, installs them with apt and runs the installed tools and man.
# Needs root (chroot, mounts) and Debian's package mirror.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
WORK=${FRESH_DIR:-$(mktemp -d /tmp/fwkit-fresh.XXXXXX)}
LOG=$WORK/fresh-check.log
SYS=$WORK/bookworm
if [ "$(id -u)" -ne 0 ]; then
    echo "fresh-check: needs root (mmdebstrap, chroot and mounts)" >&2
    exit 2
fi
command -v mmdebstrap > /dev/null || { echo "fresh-check: mmdebstrap is missing (make deps)" >&2; exit 2; }

cleanup() {
    for m in dev/pts dev proc sys; do umount "$SYS/$m" 2> /dev/null || true; done
}
trap cleanup EXIT INT TERM
start=$(date +%s)
step() { echo "fresh-check: $* ($(($(date +%s) - start)) s)" | tee -a "$LOG"; }

: > "$LOG"
step "making a Debian 12 system in $SYS from $MIRROR"
mmdebstrap --variant=apt --include=git,make,ca-certificates bookworm "$SYS" "$MIRROR" >> "$LOG" 2>&1
step "cloning $(git -C "$ROOT" rev-parse --short HEAD) into it (uncommitted changes are not part of a clone)"
git clone -q --no-local "$ROOT" "$SYS/root/fwkit"
mount -t proc proc "$SYS/proc"
mount --bind /sys "$SYS/sys"
mount --bind /dev "$SYS/dev"
mount --bind /dev/pts "$SYS/dev/pts"
inside() {
    chroot "$SYS" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c "cd /root/fwkit && $1"
}
before=$(chroot "$SYS" dpkg-query -W -f='${Package}\n' | wc -l)

status=0
step "make demo"
inside "make demo" >> "$LOG" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    step "make demo FAILED (exit $status); the log is $LOG"
    tail -30 "$LOG"
    exit 1
fi
after=$(chroot "$SYS" dpkg-query -W -f='${Package}\n' | wc -l)
step "make demo passed; make deps had installed $((after - before)) packages"
step "make check"
inside "make check" >> "$LOG" 2>&1 || status=$?
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOG" | tail -1)
skips=$(grep -E '^[0-9]+ skipped' "$LOG" | tail -1)
if [ "$status" -ne 0 ]; then
    step "make check FAILED (exit $status): $summary; the log is $LOG"
    grep -E '^(\[[^]]*\] )?not ok' "$LOG" | head -20
    exit 1
fi
step "make check passed: $summary${skips:+ ($skips)}"

if [ "${FRESH_DEB:-0}" = 1 ]; then
    step "make deb, then apt-get install of the four packages"
    inside "make deb && apt-get install -y -q ./build/deb/fwkit_*.deb ./build/deb/fwsim_*.deb \
            ./build/deb/libfwkit0_*.deb ./build/deb/libfwkit-dev_*.deb" >> "$LOG" 2>&1 || status=$?
    inside "cd / && fwlint --version && man -w fwflash && pkg-config --modversion fwkit &&
            fwsim -- fwflash -q info | head -3" >> "$LOG" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        step "the Debian packages FAILED (exit $status); the log is $LOG"
        tail -30 "$LOG"
        exit 1
    fi
    step "the Debian packages install and their tools and man pages work"
fi
step "done"
