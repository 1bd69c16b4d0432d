#!/bin/sh
# run_cpp.sh ROOT_DIR -- builds examples/cpp/roundtrip.cpp (the C++ RAII
# wrapper examples/cpp/zstream.hpp) twice and runs both builds:
#   rz      -DZSTREAM_RZ, rz_ names, against the default target/release/librzlib.a
#   drop-in zlib's names, against target/drop-in/release/librzlib.a
# Neither links -lz, so every zlib call must resolve to rzlib's archive.
#
# Needs `cargo build --release` and `make dropin` to have run in ROOT_DIR.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 ROOT_DIR" >&2
    exit 2
fi
root=$(cd "$1" && pwd)
src="$root/examples/cpp/roundtrip.cpp"
rz_lib="$root/target/release/librzlib.a"
dropin_lib="$root/target/drop-in/release/librzlib.a"
[ -f "$rz_lib" ] || { echo "run_cpp: $rz_lib not found (cargo build --release)" >&2; exit 1; }
[ -f "$dropin_lib" ] || { echo "run_cpp: $dropin_lib not found (make dropin)" >&2; exit 1; }

# The machines this project targets have gcc but not always g++.
if ! command -v "${CXX:-g++}" >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq g++ >/dev/null || { echo "run_cpp: apt-get install g++ failed" >&2; exit 1; }
    else
        echo "run_cpp: ${CXX:-g++} not found (apt-get install g++)" >&2
        exit 1
    fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

failed=0
# build NAME LIB [CXXFLAGS...]: compile, run, print one summary line; the
# program's full output is shown only when it fails.
build() {
    name=$1 lib=$2
    shift 2
    if ! ${CXX:-g++} -std=c++17 -Wall -Wextra -Werror -pedantic -I "$root/include" "$@" \
        "$src" "$lib" -lpthread -ldl -lm -o "$work/$name"; then
        echo "run_cpp: $name: FAILED to build"
        failed=1
        return 0
    fi
    if "$work/$name" >"$work/$name.log" 2>&1; then
        echo "run_cpp: $name: passed ($(tail -n 1 "$work/$name.log"))"
    else
        cat "$work/$name.log"
        echo "run_cpp: $name: FAILED ($(tail -n 1 "$work/$name.log"))"
        failed=1
    fi
}

build rz "$rz_lib" -DZSTREAM_RZ
build drop-in "$dropin_lib"
exit "$failed"
