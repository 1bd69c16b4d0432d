#!/bin/sh
# run_install.sh -- installs rzlib (make install) and the drop-in (make
# install-dropin) into temporary prefixes, then builds C programs the way a
# user would, with `pkg-config --cflags --libs rzlib` and `... zlib`, and
# runs them on the installed shared libraries.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
command -v pkg-config >/dev/null || { echo "run_install: pkg-config is not installed" >&2; exit 1; }

make -s -C "$root" install PREFIX="$work/rzlib" >/dev/null
make -s -C "$root" install-dropin PREFIX="$work/zlib" >/dev/null
for f in include/rzlib/rzlib.h include/rzlib/zlib.h lib/librzlib.a lib/librzlib.so.0.1 \
         lib/librzlib.so lib/pkgconfig/rzlib.pc; do
    [ -e "$work/rzlib/$f" ] || { echo "run_install: $f not installed" >&2; exit 1; }
done
soname=$(objdump -p "$work/rzlib/lib/librzlib.so" | awk '/SONAME/ {print $2}')
[ "$soname" = librzlib.so.0.1 ] || { echo "run_install: soname $soname" >&2; exit 1; }

# rz_ names, through rzlib.pc.
export PKG_CONFIG_PATH="$work/rzlib/lib/pkgconfig"
${CC:-gcc} -std=c99 -Wall -Wextra -Werror -pedantic "$root/c_tests/installed.c" \
    $(pkg-config --cflags --libs rzlib) -o "$work/installed"
LD_LIBRARY_PATH="$work/rzlib/lib" "$work/installed" "$work/rzlib/lib/librzlib.so.0.1"

# zlib's names, through zlib.pc: the drop-in test program, unchanged.
export PKG_CONFIG_PATH="$work/zlib/lib/pkgconfig"
[ "$(pkg-config --modversion zlib)" = 1.3.2 ] || { echo "run_install: zlib.pc version" >&2; exit 1; }
${CC:-gcc} -std=c99 -Wall -Wextra -Werror -pedantic "$root/c_tests/dropin.c" \
    $(pkg-config --cflags --libs zlib) -o "$work/dropin"
LD_LIBRARY_PATH="$work/zlib/lib" "$work/dropin" "$work/zlib/lib/libz.so.1"
# Static programs, linked with what `pkg-config --static` says.
for flavour in zlib rzlib; do
    export PKG_CONFIG_PATH="$work/$flavour/lib/pkgconfig"
    names=""
    [ $flavour = rzlib ] && names=-DRZ_NAMES
    ${CC:-gcc} -static -std=c99 -Wall -Wextra -Werror -pedantic $names "$root/c_tests/static.c" \
        $(pkg-config --static --cflags --libs $flavour) -o "$work/static-$flavour" 2>"$work/link.log" ||
        { cat "$work/link.log" >&2; echo "run_install: gcc -static with $flavour.pc failed" >&2; exit 1; }
    if ldd "$work/static-$flavour" >/dev/null 2>&1; then
        echo "run_install: static-$flavour is not static" >&2; exit 1
    fi
    "$work/static-$flavour" "$work"
done
echo "run_install: make install and make install-dropin work with pkg-config, dynamic and static"
