#!/bin/sh
# SPDX-License-Identifier: MIT
# make install / uninstall / the install test: the one list of what fwkit
# installs and where. Usage: mk/install.sh install|uninstall|list, with
# DESTDIR, PREFIX, BINDIR, LIBDIR, INCLUDEDIR, DATADIR, MANDIR, UDEVDIR,
# BASHCOMPDIR, ZSHCOMPDIR, CMAKEDIR, BUILD, VERSION and SOVERSION from make.
# An empty UDEVDIR leaves the udev rule out (Debian's dh_installudev puts it).
set -eu
mode=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TOOLS="fwinfo fwconv fwlint fwmerge fwcmp fwflash fwsim"
SONAME=libfwkit.so.$SOVERSION
SOFILE=libfwkit.so.$VERSION

# every installed path: KIND DEST [SOURCE]; KIND is file MODE, link TARGET or gen
entries() {
    for t in $TOOLS; do
        echo "file 755 $BINDIR/$t $BUILD/$t"
        echo "file 644 $MANDIR/man1/$t.1 man/$t.1"
        echo "link fwkit $BASHCOMPDIR/$t"
    done
    echo "file 644 $BASHCOMPDIR/fwkit completions/fwkit.bash"
    echo "file 644 $ZSHCOMPDIR/_fwkit completions/_fwkit"
    echo "file 644 $LIBDIR/libfwkit.a $BUILD/libfwkit.a"
    echo "file 644 $LIBDIR/$SOFILE $BUILD/$SOFILE"
    echo "link $SOFILE $LIBDIR/$SONAME"
    echo "link $SONAME $LIBDIR/libfwkit.so"
    for h in libimage/include/fwkit/*.h; do
        echo "file 644 $INCLUDEDIR/fwkit/$(basename "$h") $h"
    done
    echo "gen 644 $LIBDIR/pkgconfig/fwkit.pc mk/fwkit.pc.in"
    echo "gen 644 $CMAKEDIR/fwkitConfig.cmake cmake/fwkitConfig.cmake.in"
    echo "gen 644 $CMAKEDIR/fwkitConfigVersion.cmake cmake/fwkitConfigVersion.cmake.in"
    echo "file 644 $CMAKEDIR/fwkitLint.cmake cmake/fwkitLint.cmake"
    echo "file 644 $DATADIR/fwkit/fwlint.mk samples/fwlint.mk"
    if [ -n "$UDEVDIR" ]; then
        echo "file 644 $UDEVDIR/49-fwkit-stlink.rules tools/49-fwkit-stlink.rules"
    fi
}

# the .in files name @PREFIX@, @LIBDIR@, @INCLUDEDIR@, @BINDIR@, @VERSION@,
# @SONAME@ and @SOVERSION@
generate() {
    sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@LIBDIR@|$LIBDIR|g" -e "s|@INCLUDEDIR@|$INCLUDEDIR|g" \
        -e "s|@BINDIR@|$BINDIR|g" -e "s|@VERSION@|$VERSION|g" -e "s|@SONAME@|$SONAME|g" \
        -e "s|@SOVERSION@|$SOVERSION|g" "$1"
}

case $mode in
list)
    entries | while read -r kind arg dest src; do echo "$dest"; done
    ;;
install)
    entries | while read -r kind arg dest src; do
        install -d "$DESTDIR$(dirname "$dest")"
        case $kind in
        file) install -m "$arg" "$src" "$DESTDIR$dest" ;;
        link) ln -sf "$arg" "$DESTDIR$dest" ;;
        gen) generate "$src" > "$DESTDIR$dest.tmp" && chmod "$arg" "$DESTDIR$dest.tmp" &&
             mv "$DESTDIR$dest.tmp" "$DESTDIR$dest" ;;
        esac
        echo "  $DESTDIR$dest"
    done
    ;;
uninstall)
    entries | while read -r kind arg dest src; do
        if [ -e "$DESTDIR$dest" ] || [ -L "$DESTDIR$dest" ]; then
            rm -f "$DESTDIR$dest"
            echo "  removed $DESTDIR$dest"
        fi
    done
    # the folders that are fwkit's own go when empty; shared ones stay
    for d in "$INCLUDEDIR/fwkit" "$DATADIR/fwkit" "$CMAKEDIR"; do
        rmdir "$DESTDIR$d" 2>/dev/null || true
    done
    ;;
*)
    echo "usage: mk/install.sh install|uninstall|list" >&2
    exit 2
    ;;
esac
