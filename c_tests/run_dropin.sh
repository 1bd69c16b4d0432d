#!/bin/sh
# run_dropin.sh LIBDIR -- checks the symbol versions of rzlib's drop-in
# libz.so.1 in LIBDIR against zlib's, then builds c_tests/dropin.c and
# c_tests/gz.c as ordinary zlib programs (-lz) against it and runs them.
#
# LIBDIR is where `make dropin` leaves libz.so.1 (target/drop-in/release).
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 LIBDIR" >&2
    exit 2
fi
libdir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
lib="$libdir/libz.so.1"
[ -f "$lib" ] || { echo "run_dropin: $lib not found (make dropin)" >&2; exit 1; }

# Symbol versions: zlib's nodes, and each function in the node zlib gives it.
python3 "$root/c_tests/check_versions.py" "$lib"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
# The linker looks for libz.so; the program then asks for the soname, libz.so.1.
ln -s "$lib" "$work/libz.so"
ln -s "$lib" "$work/libz.so.1"

# build NAME: c_tests/NAME.c as an ordinary zlib program (-lz) against the
# drop-in. The loader must resolve its libz.so.1 to rzlib.
build() {
    ${CC:-gcc} -std=c99 -Wall -Wextra -Werror -pedantic -I "$root/include" \
        "$root/c_tests/$1.c" -L "$work" -lz -o "$work/$1"
    resolved=$(LD_LIBRARY_PATH="$work" ldd "$work/$1" | awk '/libz\.so\.1/ {print $3}')
    case "$resolved" in
        "$work/libz.so.1") ;;
        *) echo "run_dropin: $1: libz.so.1 resolves to '$resolved', not rzlib" >&2; exit 1 ;;
    esac
}

build dropin
# Built against zlib 1.3.2's interface, the program asks for its new nodes.
for wanted in deflateUsed@ZLIB_1.3.1.2 compress_z@ZLIB_1.3.2 uncompress2_z@ZLIB_1.3.2; do
    objdump -T "$work/dropin" | awk 'NF > 2 {print $NF "@" $(NF-1)}' | tr -d '()' | grep -qx "$wanted" ||
        { echo "run_dropin: dropin does not ask for $wanted" >&2; exit 1; }
done
LD_LIBRARY_PATH="$work" "$work/dropin" "$lib"

# The gz file functions; gz.c's temporary files go to $work.
build gz
LD_LIBRARY_PATH="$work" "$work/gz" "$work"

# zlib.h's whole surface (unistd.h's calls on a descriptor, gzdopen), as a
# program that includes only <zlib.h>; standard input is its scratch file.
build surface
: > "$work/surface.gz"
LD_LIBRARY_PATH="$work" "$work/surface" <> "$work/surface.gz"
echo "run_dropin: surface.c ran on the drop-in"

# ---------------------------------------------------------------------------
# The fast deflate profile (issue 16): RZLIB_DEFLATE_PROFILE through the
# drop-in. profile_env.c is an unmodified zlib program; with
# RZLIB_DEFLATE_PROFILE=fast its compress2, deflate and gzwrite output must
# differ from the default's (and still round-trip, which it checks itself),
# with an unknown value it must not.
build profile_env
# run_profile [VAR=VALUE]: profile_env with only that profile setting.
run_profile() {
    env -u RZLIB_DEFLATE_PROFILE "$@" LD_LIBRARY_PATH="$work" \
        "$work/profile_env" "$work/profile_env.gz"
}
default_out=$(run_profile)
fast_out=$(run_profile RZLIB_DEFLATE_PROFILE=fast)
unknown_out=$(run_profile RZLIB_DEFLATE_PROFILE=turbo)
zlib_out=$(run_profile RZLIB_DEFLATE_PROFILE=zlib)
[ "$default_out" = "$unknown_out" ] ||
    { echo "run_dropin: RZLIB_DEFLATE_PROFILE=turbo changed the output" >&2; exit 1; }
[ "$default_out" = "$zlib_out" ] ||
    { echo "run_dropin: RZLIB_DEFLATE_PROFILE=zlib changed the output" >&2; exit 1; }
# Each call's output must change at levels 1 and 6 in the fast profile (at
# level 9 it may find zlib's own parse of this regular data).
same=$(printf '%s\n%s\n' "$default_out" "$fast_out" | grep -v ' 9:' | sort | uniq -d | wc -l)
[ "$same" -eq 0 ] ||
    { echo "run_dropin: RZLIB_DEFLATE_PROFILE=fast left $same outputs as zlib's" >&2; exit 1; }
echo "run_dropin: RZLIB_DEFLATE_PROFILE=fast reaches compress2, deflate and gzwrite"

# ---------------------------------------------------------------------------
# Parallel streams (issue 19): RZLIB_DEFLATE_THREADS through the drop-in.
# threads_env.c is an unmodified zlib program; with RZLIB_DEFLATE_THREADS=2,
# 3 or 0 its compress2, deflate and gzwrite output must differ from the
# default's and be the same for each count (the bytes depend on where the
# 128 KiB jobs are cut, not on the threads), with 1 or junk it must not
# differ; the gzip files written on threads must pass the system's gzip.
build threads_env
# run_threads NAME [VAR=VALUE]: threads_env with only that threads setting,
# its files named $work/threads-NAME.*.
run_threads() {
    name=$1
    shift
    env -u RZLIB_DEFLATE_THREADS "$@" LD_LIBRARY_PATH="$work" \
        "$work/threads_env" "$work/threads-$name"
}
unset_out=$(run_threads unset)
one_out=$(run_threads one RZLIB_DEFLATE_THREADS=1)
junk_out=$(run_threads junk RZLIB_DEFLATE_THREADS=junk)
two_out=$(run_threads two RZLIB_DEFLATE_THREADS=2)
three_out=$(run_threads three RZLIB_DEFLATE_THREADS=3)
zero_out=$(run_threads zero RZLIB_DEFLATE_THREADS=0)
[ "$unset_out" = "$one_out" ] ||
    { echo "run_dropin: RZLIB_DEFLATE_THREADS=1 changed the output" >&2; exit 1; }
[ "$unset_out" = "$junk_out" ] ||
    { echo "run_dropin: RZLIB_DEFLATE_THREADS=junk changed the output" >&2; exit 1; }
[ "$two_out" = "$three_out" ] ||
    { printf 'run_dropin: 2 and 3 threads differ:\n%s\n%s\n' "$two_out" "$three_out" >&2; exit 1; }
# 0 is one thread per core: parallel where there is more than one.
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
if [ "$cores" -gt 1 ]; then
    [ "$two_out" = "$zero_out" ] ||
        { printf 'run_dropin: 2 and 0 threads differ:\n%s\n%s\n' "$two_out" "$zero_out" >&2; exit 1; }
fi
same=$(printf '%s\n%s\n' "$unset_out" "$two_out" | sort | uniq -d | wc -l)
[ "$same" -eq 0 ] ||
    { echo "run_dropin: RZLIB_DEFLATE_THREADS=2 left $same outputs as one thread's" >&2; exit 1; }
for file in "$work/threads-two.gz" "$work/threads-two.stream.gz"; do
    gzip -t "$file" || { echo "run_dropin: gzip -t rejects $file" >&2; exit 1; }
    gzip -dc "$file" | cmp -s - "$work/threads-two.data" ||
        { echo "run_dropin: gzip -d of $file is not the data" >&2; exit 1; }
done
echo "run_dropin: RZLIB_DEFLATE_THREADS=2/3/0 reach compress2, deflate and gzwrite (same bytes, gzip reads them)"
