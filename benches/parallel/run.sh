#!/usr/bin/env bash
# run.sh -- the parallel benchmark (issue 19), `make bench-parallel`.
#
# Compresses two 64 MiB inputs to gzip, a text one (the corpus's texts,
# repeated) and a binary one (the machine's own executables and shared
# libraries, else the corpus's binary files), with:
#   rz T=1   rzlib's fast profile on one thread (pgzip.c)
#   rz T=N   the same on N threads (rz_deflateSetThreads)
#   pigz     `pigz -p N` on the machine's zlib, the anchor
# at levels 1, 6 and 9, each the best of ROUNDS runs, the programs
# interleaved. Every output is checked with `gzip -t`. Prints wall times,
# sizes, and the ratios the issue names: T=N against T=1 (speed, size)
# and against pigz -p N (speed). Results depend on the machine: the
# script names its CPU and core count.
#
#   benches/parallel/run.sh PGZIP [THREADS] [ROUNDS] [LEVELS]
set -euo pipefail

pgzip=$1
threads=${2:-2}
rounds=${3:-3}
levels=${4:-"1 6 9"}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${RZLIB_CORPUS_DIR:-$root/../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
size=$((64 << 20))

command -v pigz >/dev/null || { echo "run.sh: pigz is not installed (apt-get install pigz)" >&2; exit 1; }

# fill OUT FILE...: the files concatenated, repeated to exactly 64 MiB.
fill() {
    local out=$1
    shift
    cat "$@" >"$work/once"
    [ -s "$work/once" ] || { echo "run.sh: no input for $out" >&2; exit 1; }
    while [ "$(stat -c %s "$work/once")" -lt "$size" ]; do
        cat "$work/once" "$work/once" >"$work/twice" && mv "$work/twice" "$work/once"
    done
    head -c "$size" "$work/once" >"$out"
    rm -f "$work/once"
}

texts=$(ls "$corpus"/canterbury/*.txt "$corpus"/silesia/dickens "$corpus"/silesia/reymont \
    "$corpus"/silesia/xml 2>/dev/null || true)
if [ -n "$texts" ]; then
    text_from="the corpus's texts"
else
    texts=$(ls /usr/share/doc/*/copyright 2>/dev/null | head -2000)
    text_from="/usr/share/doc's copyright files (no corpus)"
fi
fill "$work/text" $texts
binaries=$(find /usr/bin /usr/lib/x86_64-linux-gnu -maxdepth 1 -type f -size +100k 2>/dev/null |
    sort | head -400)
if [ -n "$binaries" ]; then
    binary_from="the machine's executables and libraries"
else
    binaries=$(ls "$corpus"/silesia/ooffice "$corpus"/silesia/mr "$corpus"/canterbury/kennedy.xls)
    binary_from="the corpus's binary files"
fi
fill "$work/binary" $binaries

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
flags=$(grep -m1 '^flags' /proc/cpuinfo)
simd=$(case "$flags" in *avx512bw*) echo AVX-512 ;; *avx2*) echo AVX2 ;; *) echo "no AVX2" ;; esac)
echo "CPU: $cpu ($simd), $(nproc) cores; pigz $(pigz --version 2>&1 | awk '{print $2}') on the system zlib"
echo "text: $text_from; binary: $binary_from; 64 MiB each; best of $rounds; threads N=$threads"
echo

# best SECONDS of: run the command, input on stdin, output to $work/out.
time_it() {
    local input=$1
    shift
    local start end
    start=$(date +%s.%N)
    "$@" <"$input" >"$work/out"
    end=$(date +%s.%N)
    awk "BEGIN { print $end - $start }"
}

printf '%-7s %-5s %10s %10s %10s %12s %12s %12s %9s %9s %9s\n' data level \
    "T=1 s" "T=$threads s" "pigz s" "T=1 bytes" "T=$threads bytes" "pigz bytes" \
    "N/1 speed" "N/1 size" "vs pigz"
for data in text binary; do
    for level in $levels; do
        best1=999 bestn=999 bestp=999
        for _ in $(seq "$rounds"); do
            t=$(time_it "$work/$data" "$pgzip" "$level" 1)
            gzip -t <"$work/out"
            size1=$(stat -c %s "$work/out")
            best1=$(awk "BEGIN { print ($t < $best1) ? $t : $best1 }")
            t=$(time_it "$work/$data" "$pgzip" "$level" "$threads")
            gzip -t <"$work/out"
            sizen=$(stat -c %s "$work/out")
            bestn=$(awk "BEGIN { print ($t < $bestn) ? $t : $bestn }")
            t=$(time_it "$work/$data" pigz -p "$threads" "-$level" -c)
            gzip -t <"$work/out"
            sizep=$(stat -c %s "$work/out")
            bestp=$(awk "BEGIN { print ($t < $bestp) ? $t : $bestp }")
        done
        printf '%-7s %-5s %10.3f %10.3f %10.3f %12d %12d %12d %8.2fx %9.4f %8.2fx\n' "$data" "$level" \
            "$best1" "$bestn" "$bestp" "$size1" "$sizen" "$sizep" \
            "$(awk "BEGIN { print $best1 / $bestn }")" "$(awk "BEGIN { print $sizen / $size1 }")" \
            "$(awk "BEGIN { print $bestp / $bestn }")"
    done
done
