#!/bin/sh
# run_dropin.sh LIBDIR -- builds c_tests/dropin.c as an ordinary zlib program
# (-lz) against rzlib's drop-in shared library in LIBDIR and runs it.
#
# LIBDIR holds librzlib.so built with the drop-in feature, e.g.
#   cargo build --release --features drop-in --target-dir target/drop-in
#   c_tests/run_dropin.sh target/drop-in/release
# (a separate target dir keeps the default rz_ build intact).
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 LIBDIR" >&2
    exit 2
fi
libdir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
lib="$libdir/librzlib.so"
[ -f "$lib" ] || { echo "run_dropin: $lib not found" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
# The linker looks for libz.so; the program then asks for the soname, libz.so.1.
ln -s "$lib" "$work/libz.so"
ln -s "$lib" "$work/libz.so.1"

${CC:-gcc} -std=c99 -Wall -Wextra -Werror -pedantic -I "$root/include" \
    "$root/c_tests/dropin.c" -L "$work" -lz -o "$work/dropin"

# The loader must resolve libz.so.1 to rzlib.
resolved=$(LD_LIBRARY_PATH="$work" ldd "$work/dropin" | awk '/libz\.so\.1/ {print $3}')
case "$resolved" in
    "$work/libz.so.1") ;;
    *) echo "run_dropin: libz.so.1 resolves to '$resolved', not rzlib" >&2; exit 1 ;;
esac
LD_LIBRARY_PATH="$work" "$work/dropin"
