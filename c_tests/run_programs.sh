#!/bin/sh
# run_programs.sh LIBDIR -- real programs that load zlib dynamically, run
# unmodified on rzlib's drop-in libz.so.1 (LIBDIR/libz.so.1, from `make
# dropin`) put in place of the system zlib with LD_LIBRARY_PATH:
#
#  - CPython: the process maps rzlib's file and no other zlib, loads it
#    without "no version information" warnings, and passes its own
#    test_zlib, test_gzip, test_zipfile and test_tarfile;
#  - git (when installed, and linked with libz.so.1): a repository written
#    with rzlib is read back by git on the system zlib and the other way
#    round, and both pass git fsck;
#  - dpkg-deb (when installed): its gz* calls build the same package bytes
#    on rzlib as on the system zlib, and each package extracts on the other;
#  - pigz (installed with apt-get when missing and possible): its
#    multithreaded deflate (dictionaries, sync flushes) writes the system
#    zlib's bytes at levels 1, 6 and 9, and its inflateBack reads the
#    system's files and refuses a damaged one as the system's does;
#  - the fast deflate profile (RZLIB_DEFLATE_PROFILE=fast): CPython's
#    test_zlib and test_gzip, and pigz's output, read back by the system
#    zlib;
#  - parallel streams (RZLIB_DEFLATE_THREADS=2): CPython's four suites.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 LIBDIR" >&2
    exit 2
fi
lib="$(cd "$1" && pwd)/libz.so.1"
[ -f "$lib" ] || { echo "run_programs: $lib not found (make dropin)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/lib"
ln -s "$lib" "$work/lib/libz.so.1"
on_rzlib() { LD_LIBRARY_PATH="$work/lib" "$@"; }

echo "== CPython $(python3 -c 'import sys; print(sys.version.split()[0])') on rzlib"
status=0
on_rzlib python3 - "$lib" <<'EOF' 2>"$work/stderr" || status=$?
import os, sys, zlib
want = os.path.realpath(sys.argv[1])
mapped = {l.split(maxsplit=5)[5].strip() for l in open("/proc/self/maps") if len(l.split()) == 6}
zlibs = {p for p in mapped if os.path.basename(p).startswith(("libz", "librzlib"))}
if zlibs != {want}:
    sys.exit(f"run_programs: python maps {sorted(zlibs)}, not only {want}")
data = os.urandom(1000) + b"rzlib " * 10000
if zlib.decompress(zlib.compress(data, 9)) != data:
    sys.exit("run_programs: round trip failed")
print(f"python maps {want}; zlib.ZLIB_RUNTIME_VERSION {zlib.ZLIB_RUNTIME_VERSION}")
EOF
cat "$work/stderr" >&2
[ $status -eq 0 ] || exit 1
if grep -q "version information" "$work/stderr"; then
    echo "run_programs: the loader warned about symbol versions" >&2
    exit 1
fi
if python3 -c "import test.support" 2>/dev/null; then
    on_rzlib python3 -m test test_zlib test_gzip test_zipfile test_tarfile >"$work/suites" 2>&1 || {
        cat "$work/suites"
        echo "run_programs: CPython's suites failed on rzlib" >&2
        exit 1
    }
    grep -E "^(Total tests|Total test files|Result):" "$work/suites"
    echo "== CPython's test_zlib and test_gzip in the fast deflate profile"
    RZLIB_DEFLATE_PROFILE=fast on_rzlib python3 -m test test_zlib test_gzip >"$work/suites" 2>&1 || {
        cat "$work/suites"
        echo "run_programs: CPython's suites failed on rzlib's fast profile" >&2
        exit 1
    }
    grep -E "^(Total tests|Result):" "$work/suites"
    echo "== CPython's suites on parallel streams (RZLIB_DEFLATE_THREADS=2)"
    RZLIB_DEFLATE_THREADS=2 on_rzlib python3 -m test test_zlib test_gzip test_zipfile test_tarfile \
        >"$work/suites" 2>&1 || {
        cat "$work/suites"
        echo "run_programs: CPython's suites failed on rzlib's parallel streams" >&2
        exit 1
    }
    grep -E "^(Total tests|Result):" "$work/suites"
else
    echo "run_programs: this python3 has no test package; CPython's suites skipped"
fi

if command -v git >/dev/null && ldd "$(command -v git)" | grep -q 'libz\.so\.1'; then
    echo "== git $(git --version | cut -d' ' -f3) on rzlib"
    # Loose objects and packs are zlib streams. Write with one zlib, read
    # and verify with the other, both ways.
    for writer in rzlib system; do
        repo="$work/repo-$writer"
        git init -q "$repo"
        write() { if [ $writer = rzlib ]; then on_rzlib "$@"; else "$@"; fi; }
        read_() { if [ $writer = rzlib ]; then "$@"; else on_rzlib "$@"; fi; }
        python3 -c "import sys; sys.stdout.write(''.join(f'line {i} of {sys.argv[1]}\n' for i in range(20000)))" \
            "$writer" >"$repo/file.txt"
        write git -C "$repo" add file.txt
        write git -C "$repo" -c user.name=rz -c user.email=rz@example.org commit -q -m "written with $writer"
        write git -C "$repo" gc -q
        read_ git -C "$repo" fsck --strict --no-progress
        read_ git -C "$repo" show HEAD:file.txt | cmp - "$repo/file.txt"
        echo "written with $writer zlib, read back and fsck'd with the other"
    done
else
    echo "run_programs: no git linked with libz.so.1; its round trip skipped"
fi

# dpkg-deb compresses and extracts gzip members through zlib's gz* file
# functions (gzdopen, gzwrite, gzread). The same package built on rzlib and
# on the system zlib must be the same bytes, and each must extract on the
# other.
if command -v dpkg-deb >/dev/null && ldd "$(command -v dpkg-deb)" | grep -q 'libz\.so\.1'; then
    echo "== dpkg-deb $(dpkg-deb --version | head -n 1 | sed 's/.*version \([^ ]*\).*/\1/') on rzlib"
    pkg="$work/pkg"
    mkdir -p "$pkg/DEBIAN" "$pkg/usr/share/rzlib"
    printf 'Package: rzlib-check\nVersion: 1.0\nArchitecture: all\nMaintainer: rzlib <rz@example.org>\nDescription: gz* round trip\n' \
        >"$pkg/DEBIAN/control"
    head -c 300000 /dev/urandom >"$pkg/usr/share/rzlib/random"
    python3 -c "import sys; sys.stdout.write(''.join(f'line {i}\n' for i in range(100000)))" \
        >"$pkg/usr/share/rzlib/text"
    build() { SOURCE_DATE_EPOCH=1700000000 "$@" dpkg-deb -Zgzip --root-owner-group -b "$pkg" "$out" >/dev/null; }
    out="$work/rzlib.deb" build env LD_LIBRARY_PATH="$work/lib" LD_DEBUG=bindings 2>"$work/bindings"
    # The gz* calls really went to rzlib's file.
    grep -q "to $work/lib/libz.so.1 .*symbol .gzwrite'" "$work/bindings" || {
        echo "run_programs: dpkg-deb did not bind gzwrite to rzlib" >&2
        exit 1
    }
    out="$work/system.deb" build env
    cmp "$work/rzlib.deb" "$work/system.deb"
    for deb in rzlib system; do
        extract="$work/extract-$deb"
        if [ $deb = rzlib ]; then dpkg-deb -x "$work/$deb.deb" "$extract"; else on_rzlib dpkg-deb -x "$work/$deb.deb" "$extract"; fi
        diff -r "$pkg/usr" "$extract/usr"
    done
    echo "the package built on rzlib is the system zlib's bytes; each extracts on the other"
else
    echo "run_programs: no dpkg-deb linked with libz.so.1; its round trip skipped"
fi

# pigz compresses blocks on threads, each primed with the previous block's
# last 32 KiB as a dictionary and ended with a sync flush, and decompresses
# through inflateBack. Levels 1, 6 and 9 on text, random bytes and runs.
if ! command -v pigz >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "run_programs: apt-get install pigz"
    apt-get install -y pigz >/dev/null 2>&1 ||
        { apt-get update >/dev/null 2>&1 && apt-get install -y pigz >/dev/null 2>&1; } || true
fi
if command -v pigz >/dev/null && ldd "$(command -v pigz)" | grep -q 'libz\.so\.1'; then
    echo "== pigz $(pigz --version 2>&1 | cut -d' ' -f2) on rzlib"
    data="$work/pigz-data"
    python3 - "$data" <<'EOF'
import os, sys
text = "".join(f"line {i}: the quick brown fox {i * 7919 % 1000}\n" for i in range(60000))
runs = b"".join(bytes([i % 7]) * (i % 300) for i in range(3000))
open(sys.argv[1], "wb").write(text.encode() + os.urandom(200000) + runs + text.encode()[:500000])
EOF
    LD_DEBUG=bindings on_rzlib pigz -c "$data" 2>"$work/bindings" >/dev/null
    grep -q "to $work/lib/libz.so.1 .*symbol .deflate'" "$work/bindings" || {
        echo "run_programs: pigz did not bind deflate to rzlib" >&2
        exit 1
    }
    for level in 1 6 9; do
        pigz -$level -b 128 -c "$data" >"$work/system.gz"
        on_rzlib pigz -$level -b 128 -c "$data" >"$work/rzlib.gz"
        cmp "$work/system.gz" "$work/rzlib.gz"
        on_rzlib pigz -dc "$work/system.gz" | cmp - "$data"
        RZLIB_DEFLATE_PROFILE=fast on_rzlib pigz -$level -b 128 -c "$data" >"$work/fast.gz"
        pigz -dc "$work/fast.gz" | cmp - "$data"
        # The variable took effect: the fast profile writes other bytes.
        if cmp -s "$work/fast.gz" "$work/rzlib.gz"; then
            echo "run_programs: RZLIB_DEFLATE_PROFILE=fast gave zlib's bytes at level $level" >&2
            exit 1
        fi
    done
    # A damaged member: both zlibs refuse it.
    python3 -c "import sys; d = bytearray(open(sys.argv[1], 'rb').read()); d[len(d) // 2] ^= 0x55; open(sys.argv[1], 'wb').write(d)" \
        "$work/system.gz"
    if pigz -t "$work/system.gz" 2>/dev/null || on_rzlib pigz -t "$work/system.gz" 2>/dev/null; then
        echo "run_programs: pigz -t took a damaged file" >&2
        exit 1
    fi
    echo "pigz writes the system zlib's bytes at levels 1, 6 and 9 and reads its files; the fast profile's read back"
else
    echo "run_programs: no pigz linked with libz.so.1; its round trip skipped"
fi
