#!/bin/sh
# SPDX-License-Identifier: MIT
# make install / uninstall into a DESTDIR, the exported symbols of
# libfwkit.so, and programs outside the tree built against the installed
# library through pkg-config (C, C++, static) and CMake (find_package,
# fwkit_lint on the CubeMX-style sample).
. "$(dirname "$0")/lib.sh"
touch "$TMP/out" "$TMP/err"
RELEASE=${RELEASE_BUILD:-build/release}
# a make of our own, not a part of the one running the suite
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$ROOT" BUILD="$RELEASE" "$@"; }
rc=0

# --- install into a DESTDIR: exactly these files, and uninstall removes them all
DEST=$TMP/dest
mk install DESTDIR="$DEST" PREFIX=/usr/local > "$TMP/out" 2> "$TMP/err" || rc=$?
V=$(sed -n 's/^#define FWKIT_VERSION_STRING "\(.*\)"/\1/p' "$ROOT/libimage/include/fwkit/version.h")
{
    for t in fwinfo fwconv fwlint fwmerge fwcmp fwflash fwsim; do
        echo "usr/local/bin/$t"
        echo "usr/local/share/man/man1/$t.1"
        echo "usr/local/share/bash-completion/completions/$t"
    done
    echo usr/local/share/bash-completion/completions/fwkit
    echo usr/local/share/zsh/site-functions/_fwkit
    echo usr/local/lib/libfwkit.a
    echo "usr/local/lib/libfwkit.so.$V"
    echo usr/local/lib/libfwkit.so.0
    echo usr/local/lib/libfwkit.so
    for h in "$ROOT"/libimage/include/fwkit/*.h; do echo "usr/local/include/fwkit/$(basename "$h")"; done
    echo usr/local/lib/pkgconfig/fwkit.pc
    echo usr/local/lib/cmake/fwkit/fwkitConfig.cmake
    echo usr/local/lib/cmake/fwkit/fwkitConfigVersion.cmake
    echo usr/local/lib/cmake/fwkit/fwkitLint.cmake
    echo usr/local/share/fwkit/fwlint.mk
    echo etc/udev/rules.d/49-fwkit-stlink.rules
} | sort > "$TMP/want"
(cd "$DEST" 2>/dev/null && find . -type f -o -type l) | sed 's|^\./||' | sort > "$TMP/got"
if [ "$rc" -eq 0 ] && cmp -s "$TMP/want" "$TMP/got"; then
    pass "make install DESTDIR= puts exactly the $(wc -l < "$TMP/want") expected files"
else
    fail "make install DESTDIR= puts exactly the expected files" \
        "missing: $(comm -23 "$TMP/want" "$TMP/got" | tr '\n' ' ') extra: $(comm -13 "$TMP/want" "$TMP/got" | tr '\n' ' ')"
fi
if [ "$(readlink "$DEST/usr/local/lib/libfwkit.so.0")" = "libfwkit.so.$V" ] &&
    [ "$(readlink "$DEST/usr/local/share/bash-completion/completions/fwflash")" = fwkit ] &&
    grep -qx 'prefix=/usr/local' "$DEST/usr/local/lib/pkgconfig/fwkit.pc" &&
    grep -qx "Version: $V" "$DEST/usr/local/lib/pkgconfig/fwkit.pc" && [ -x "$DEST/usr/local/bin/fwflash" ]; then
    pass "installed links, modes and fwkit.pc name the prefix and version $V, not DESTDIR"
else
    fail "installed links, modes and fwkit.pc name the prefix and version $V, not DESTDIR"
fi
mkdir -p "$DEST/usr/local/bin" && echo keep > "$DEST/usr/local/bin/someone-elses-tool"
rc=0
mk uninstall DESTDIR="$DEST" PREFIX=/usr/local > "$TMP/out" 2> "$TMP/err" || rc=$?
(cd "$DEST" && find . -type f -o -type l) | sed 's|^\./||' > "$TMP/left"
if [ "$rc" -eq 0 ] && [ "$(cat "$TMP/left")" = "usr/local/bin/someone-elses-tool" ] &&
    [ ! -d "$DEST/usr/local/include/fwkit" ] && [ ! -d "$DEST/usr/local/lib/cmake/fwkit" ]; then
    pass "make uninstall removes exactly what install put (and fwkit's own folders)"
else
    fail "make uninstall removes exactly what install put" "left: $(tr '\n' ' ' < "$TMP/left")"
fi

# --- libfwkit.so exports the FW_API functions of the public headers, nothing else
SO="$ROOT/$RELEASE/libfwkit.so.$V"
if have nm; then
    nm -D --defined-only "$SO" | awk '$2 ~ /^[TDRB]$/ {print $3}' | sort > "$TMP/exported"
    # the name of each FW_API declaration: its first fw_ identifier before a '('
    grep -h '^FW_API ' "$ROOT"/libimage/include/fwkit/*.h |
        sed -E 's/^FW_API [^(]*[^a-z0-9_](fw_[a-z0-9_]*)[[:space:]]*\(.*/\1/' | sort -u > "$TMP/declared"
    if cmp -s "$TMP/exported" "$TMP/declared" && [ "$(wc -l < "$TMP/declared")" -gt 100 ]; then
        pass "libfwkit.so exports the $(wc -l < "$TMP/declared") FW_API functions and nothing else"
    else
        fail "libfwkit.so exports the FW_API functions and nothing else" \
            "exported only: $(comm -23 "$TMP/exported" "$TMP/declared" | head -5 | tr '\n' ' ')" \
            "declared only: $(comm -13 "$TMP/exported" "$TMP/declared" | head -5 | tr '\n' ' ')"
    fi
    if readelf -d "$SO" | grep -q "SONAME.*\[libfwkit.so.0\]"; then pass "soname libfwkit.so.0"
    else fail "soname libfwkit.so.0"; fi
fi

# --- programs outside the tree, against an installed prefix found by pkg-config
PREFIX=$TMP/prefix
rc=0
mk install PREFIX="$PREFIX" UDEVDIR= > "$TMP/out" 2> "$TMP/err" || rc=$?
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
C=$ROOT/tests/fixtures/consumer
IMG=$ROOT/samples/stm32l100rb-blinky/blinky.elf
WANT="fwkit $V ($(echo "$V" | tr . ' ' | awk '{print $1 "." $2 "." $3}')): 460 bytes, CRC-32 0x2CEFE47C"
if [ "$rc" -ne 0 ] || ! have pkg-config; then
    fail "install into a prefix for the consumers"
else
    run sh -c "cc -std=c11 -Wall -Werror \$(pkg-config --cflags fwkit) -o '$TMP/consumer' '$C/consumer.c' \$(pkg-config --libs fwkit)"
    if [ "$rc" -eq 0 ] && LD_LIBRARY_PATH="$PREFIX/lib" "$TMP/consumer" "$IMG" > "$TMP/c.out" &&
        [ "$(cat "$TMP/c.out")" = "$WANT" ] && LD_LIBRARY_PATH="$PREFIX/lib" ldd "$TMP/consumer" | grep -q "$PREFIX/lib/libfwkit.so.0"; then
        pass "a C program built with pkg-config --cflags --libs fwkit runs against libfwkit.so.0"
    else
        fail "a C program built with pkg-config --cflags --libs fwkit runs against libfwkit.so.0" "$(cat "$TMP/c.out" 2>/dev/null)"
    fi
    # libfwkit.a, with the libraries fwkit.pc names as its private requirements
    run sh -c "cc -std=c11 \$(pkg-config --cflags fwkit) -o '$TMP/consumer-static' '$C/consumer.c' $PREFIX/lib/libfwkit.a \
               \$(pkg-config --libs \$(sed -n 's/^Requires.private: //p' '$PREFIX/lib/pkgconfig/fwkit.pc' | tr -d ,))"
    if [ "$rc" -eq 0 ] && ! ldd "$TMP/consumer-static" | grep -q libfwkit && [ "$("$TMP/consumer-static" "$IMG")" = "$WANT" ]; then
        pass "the same program linked with libfwkit.a and the Requires.private of fwkit.pc"
    else
        fail "the same program linked with libfwkit.a and the Requires.private of fwkit.pc"
    fi
    if have c++; then
        for h in "$PREFIX"/include/fwkit/*.h; do echo "#include <fwkit/$(basename "$h")>"; done > "$TMP/all.cpp"
        run sh -c "c++ -std=c++11 -Wall -Wextra -Werror -pedantic -fsyntax-only \$(pkg-config --cflags fwkit) -x c++ '$TMP/all.cpp' &&
                   c++ -Wall -Werror \$(pkg-config --cflags fwkit) -o '$TMP/consumer-cxx' '$C/consumer.cpp' \$(pkg-config --libs fwkit)"
        if [ "$rc" -eq 0 ] && [ "$(LD_LIBRARY_PATH="$PREFIX/lib" "$TMP/consumer-cxx")" = "$V 1" ]; then
            pass "every public header compiles as C++, and a C++ program links the C library"
        else
            fail "every public header compiles as C++, and a C++ program links the C library"
        fi
    else
        skip "the headers as C++" "no C++ compiler"
    fi
fi

# --- CMake: find_package(fwkit) and fwkit_lint on the CubeMX-style sample
if have cmake && have arm-none-eabi-gcc; then
    S=$ROOT/samples/cmake-stm32l476rg
    run sh -c "cmake -S '$S' -B '$TMP/cm' -DCMAKE_TOOLCHAIN_FILE='$S/cmake/gcc-arm-none-eabi.cmake' -DCMAKE_BUILD_TYPE=Release \
               -DCMAKE_PREFIX_PATH='$PREFIX' && cmake --build '$TMP/cm'"
    if [ "$rc" -eq 0 ] && [ -f "$TMP/cm/blinky.elf" ] && grep -q '"ruleId"\|"results"' "$TMP/cm/fwlint.sarif" &&
        grep -q "fwlint STM32L476RG" "$TMP/out"; then
        pass "CMake: find_package(fwkit) and fwkit_lint lint the CubeMX-style sample after the link (and write SARIF)"
    else
        fail "CMake: find_package(fwkit) and fwkit_lint lint the CubeMX-style sample after the link" "$(tail -5 "$TMP/out")"
    fi
    # the same ELF for a part it does not fit: the build fails and the ELF is gone
    run sh -c "cmake -S '$S' -B '$TMP/cm2' -DCMAKE_TOOLCHAIN_FILE='$S/cmake/gcc-arm-none-eabi.cmake' \
               -DCMAKE_PREFIX_PATH='$PREFIX' -DFWKIT_PART=STM32F030F4 && cmake --build '$TMP/cm2'"
    cat "$TMP/out" "$TMP/err" > "$TMP/both"
    if [ "$rc" -ne 0 ] && [ ! -f "$TMP/cm2/blinky.elf" ] && grep -q "error: .*\[" "$TMP/both" &&
        grep -q "fwlint found errors" "$TMP/both"; then
        pass "CMake: a lint error fails the build and removes the ELF, so the next build lints again"
    else
        fail "CMake: a lint error fails the build and removes the ELF" "$(tail -8 "$TMP/out")"
    fi
else
    skip "CMake: find_package(fwkit) and fwkit_lint" "cmake or arm-none-eabi-gcc is not installed"
fi
