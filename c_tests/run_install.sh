#!/bin/sh
# run_install.sh [make|cargo-c] -- installs rzlib as a packager would, into
# temporary prefixes with a multiarch LIBDIR, then builds and runs programs
# against what was installed, and uninstalls again.
#
#   make     `make install` and `make install-dropin` (the default)
#   cargo-c  `make cinstall` (cargo cinstall, then the debug-info split);
#            cargo-c 0.10.24 is installed with `cargo install` first when
#            `cargo cinstall --version` does not answer 0.10 or later
#
# For rzlib's own flavour it checks the layout, soname, exports (rz_ names
# only), the stripped library and its split debug info, then builds
# installed.c and the README's C example with `pkg-config --cflags --libs
# rzlib`, static.c with `gcc -static` and `pkg-config --static`, and
# c_tests/cmake_rzlib with CMake's find_package(rzlib). For the drop-in (make mode) the same with
# zlib.pc, and c_tests/cmake_zlib with CMake's own find_package(ZLIB).
# cmake and pkg-config come from apt-get when they are missing.
set -eu
mode=${1:-make}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cc=${CC:-gcc}
fail() { echo "run_install ($mode): $*" >&2; exit 1; }

# apt_install PACKAGE: installs a Debian package that is missing, reading
# the package lists first when a fresh machine has none.
apt_install() {
    dpkg -s "$1" >/dev/null 2>&1 && return
    echo "run_install: apt-get install $1"
    apt-get install -y "$1" >/dev/null 2>&1 ||
        { apt-get update >/dev/null 2>&1 && apt-get install -y "$1" >/dev/null 2>&1; } ||
        fail "$1 is missing and apt-get could not install it"
}
command -v pkg-config >/dev/null || apt_install pkg-config
command -v cmake >/dev/null || apt_install cmake

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
soversion=$(echo "$version" | cut -d. -f1-2)
zversion=$(sed -n 's/^pub const ZLIB_VERSION: &str = "\(.*\)";/\1/p' "$root/src/version.rs")
# Debian's multiarch library directory, as a packager would pass it.
multiarch=$($cc -print-multiarch 2>/dev/null || true)
libsub=lib${multiarch:+/$multiarch}

# check_rzlib PREFIX: rzlib's own flavour installed in PREFIX.
check_rzlib() {
    prefix=$1 libdir=$1/$libsub
    for f in include/rzlib/rzlib.h include/rzlib/zlib.h include/rzlib/zconf.h \
             "$libsub/librzlib.a" "$libsub/librzlib.so.$version" "$libsub/librzlib.so.$soversion" \
             "$libsub/librzlib.so" "$libsub/.debug/librzlib.so.$version.debug" "$libsub/pkgconfig/rzlib.pc" \
             share/cmake/rzlib/rzlibConfig.cmake share/cmake/rzlib/rzlibConfigVersion.cmake; do
        [ -e "$prefix/$f" ] || fail "$f not installed"
    done
    [ "$(readlink "$libdir/librzlib.so")" = "librzlib.so.$version" ] || fail "librzlib.so link"
    [ "$(readlink "$libdir/librzlib.so.$soversion")" = "librzlib.so.$version" ] || fail "librzlib.so.$soversion link"
    check_shared "$libdir/librzlib.so.$version" "librzlib.so.$soversion"
    # Only the rz_ names, gzprintf's (C, behind a Rust jump) among them.
    others=$(nm -D --defined-only "$libdir/librzlib.so.$version" | awk '$3 !~ /^rz_/ {print $3}')
    [ -z "$others" ] || fail "librzlib.so exports more than rz_ names: $others"
    for name in rz_gzprintf rz_gzvprintf rz_inflate rz_deflateSetProfile rz_deflateSetThreads; do
        nm -D --defined-only "$libdir/librzlib.so.$version" | grep -q " $name\$" || fail "$name not exported"
    done

    export PKG_CONFIG_PATH="$libdir/pkgconfig"
    $cc -std=c99 -Wall -Wextra -Werror -pedantic "$root/c_tests/installed.c" \
        $(pkg-config --cflags --libs rzlib) -o "$work/installed"
    LD_LIBRARY_PATH="$libdir" "$work/installed" "$libdir/librzlib.so.$version"
    check_static rzlib -DRZ_NAMES
    # The README's C example, as it stands there.
    sed -n '/^```c$/,/^```$/p' "$root/README.md" | sed '1d;$d' >"$work/readme.c"
    $cc -std=c99 -Wall -Wextra -Werror "$work/readme.c" $(pkg-config --cflags --libs rzlib) -o "$work/readme" ||
        fail "the README's C example does not build"
    LD_LIBRARY_PATH="$libdir" "$work/readme" || fail "the README's C example fails"
    # C++ compiles the installed header too.
    if command -v g++ >/dev/null; then
        echo '#include <rzlib.h>
int main() { return rz_zlibVersion()[0] == 0; }' > "$work/cxx.cpp"
        g++ -std=c++11 -Wall -Wextra -Werror -pedantic "$work/cxx.cpp" $(pkg-config --cflags --libs rzlib) \
            -o "$work/cxx" || fail "rzlib.h does not compile as C++"
        LD_LIBRARY_PATH="$libdir" "$work/cxx" || fail "C++ program failed"
    fi

    cmake_build rzlib "$prefix" "$libdir/librzlib.so.$version"
}

# check_dropin PREFIX: the drop-in installed in PREFIX as zlib installs.
check_dropin() {
    prefix=$1 libdir=$1/$libsub
    for f in include/zlib.h include/zconf.h "$libsub/libz.so.$zversion" "$libsub/libz.so.1" "$libsub/libz.so" \
             "$libsub/libz.a" "$libsub/.debug/libz.so.$zversion.debug" "$libsub/pkgconfig/zlib.pc"; do
        [ -e "$prefix/$f" ] || fail "$f not installed"
    done
    [ -f "$libdir/libz.so.$zversion" ] && [ ! -L "$libdir/libz.so.$zversion" ] || fail "libz.so.$zversion is not a file"
    [ "$(readlink "$libdir/libz.so.1")" = "libz.so.$zversion" ] || fail "libz.so.1 link"
    [ "$(readlink "$libdir/libz.so")" = "libz.so.1" ] || fail "libz.so link"
    check_shared "$libdir/libz.so.$zversion" libz.so.1
    python3 "$root/c_tests/check_versions.py" "$libdir/libz.so.$zversion"

    export PKG_CONFIG_PATH="$libdir/pkgconfig"
    [ "$(pkg-config --modversion zlib)" = "$zversion" ] || fail "zlib.pc version"
    [ "$(pkg-config --variable=libdir zlib)" = "$libdir" ] || fail "zlib.pc libdir"
    [ "$(pkg-config --variable=includedir zlib)" = "$prefix/include" ] || fail "zlib.pc includedir"
    $cc -std=c99 -Wall -Wextra -Werror -pedantic "$root/c_tests/dropin.c" \
        $(pkg-config --cflags --libs zlib) -o "$work/dropin"
    LD_LIBRARY_PATH="$libdir" "$work/dropin" "$libdir/libz.so.1"
    check_static zlib ""

    cmake_build zlib "$prefix" "$libdir/libz.so.$zversion"
}

# check_shared FILE SONAME: the soname, no debug info left in FILE, and its
# split-off debug info where the .gnu_debuglink says.
check_shared() {
    soname=$(objdump -p "$1" | awk '/SONAME/ {print $2}')
    [ "$soname" = "$2" ] || fail "soname of $1 is $soname, not $2"
    sections=$(objdump -h "$1")
    echo "$sections" | grep -q '\.debug_' && fail "$1 is not stripped"
    echo "$sections" | grep -q '\.gnu_debuglink' || fail "$1 names no debug file"
    debug="$(dirname "$1")/.debug/$(basename "$1").debug"
    objdump -h "$debug" | grep -q '\.debug_line' || fail "$debug holds no debug info"
    size=$(wc -c <"$1")
    echo "run_install: $(basename "$1"): $size bytes installed, debug info in .debug/"
    # The size target (docs/INSTALL.md): a drop-in no heavier than it must be.
    # 600 KB until parallel compression (issue 19) added its threads, pool
    # and jobs (33 KB, after std's thread machinery was left out).
    [ "$size" -lt 640000 ] || fail "$(basename "$1") is $size bytes, over the 640 KB target"
}

# check_static FLAVOUR DEFINES: static.c linked with `gcc -static` and the
# flags of `pkg-config --static --libs FLAVOUR`.
check_static() {
    $cc -static -std=c99 -Wall -Wextra -Werror -pedantic $2 "$root/c_tests/static.c" \
        $(pkg-config --static --cflags --libs "$1") -o "$work/static-$1" 2>"$work/link.log" ||
        { cat "$work/link.log" >&2; fail "gcc -static with $1.pc failed"; }
    if ldd "$work/static-$1" >/dev/null 2>&1; then fail "static-$1 is not static"; fi
    "$work/static-$1" "$work"
}

# cmake_build FLAVOUR PREFIX LIBRARY: c_tests/cmake_FLAVOUR configured with
# the prefix on CMAKE_PREFIX_PATH, built, and run on the installed LIBRARY.
cmake_build() {
    build="$work/cmake-$1"
    cmake -S "$root/c_tests/cmake_$1" -B "$build" -DCMAKE_PREFIX_PATH="$2" -DCMAKE_BUILD_TYPE=Release \
        >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; fail "cmake could not configure cmake_$1"; }
    cmake --build "$build" >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; fail "cmake_$1 did not build"; }
    # The build tree's RPATH points at the prefix; LD_LIBRARY_PATH cannot
    # send it elsewhere then, and mapped.h checks the file it ran on.
    "$build/$1_consumer" "$3"
}

# check_uninstalled PREFIX: `make uninstall` left no file behind.
check_uninstalled() {
    left=$(find "$1" -type f -o -type l)
    [ -z "$left" ] || fail "make uninstall left: $left"
}

install_cargo_c() {
    if cargo cinstall --version 2>/dev/null | grep -Eq ' (0\.(1[0-9]|[2-9][0-9])|[1-9][0-9]*)\.[0-9]'; then
        return
    fi
    # 0.10.24 is the newest that builds with Rust 1.95 (0.10.26 wants 1.97).
    echo "run_install: installing cargo-c (cargo install cargo-c, several minutes)"
    apt_install libssl-dev # cargo-c's openssl-sys
    cargo install cargo-c --version 0.10.24 --locked >"$work/cargo-c.log" 2>&1 ||
        { tail -20 "$work/cargo-c.log" >&2; fail "cargo install cargo-c failed"; }
}

rz="$work/rzlib" z="$work/zlib"
case $mode in
make)
    make -s -C "$root" install PREFIX="$rz" LIBDIR="$rz/$libsub" >/dev/null
    check_rzlib "$rz"
    make -s -C "$root" install-dropin PREFIX="$z" LIBDIR="$z/$libsub" >/dev/null
    check_dropin "$z"
    # DESTDIR stages the files; the .pc files still name the final place.
    make -s -C "$root" install install-dropin DESTDIR="$work/stage" PREFIX=/opt/rz >/dev/null
    grep -q '^libdir=/opt/rz/lib$' "$work/stage/opt/rz/lib/pkgconfig/rzlib.pc" || fail "DESTDIR: rzlib.pc"
    grep -q '^includedir=/opt/rz/include$' "$work/stage/opt/rz/lib/pkgconfig/zlib.pc" || fail "DESTDIR: zlib.pc"
    [ -f "$work/stage/opt/rz/lib/libz.so.$zversion" ] || fail "DESTDIR: libz.so.$zversion"
    for prefix in "$rz" "$z"; do
        make -s -C "$root" uninstall PREFIX="$prefix" LIBDIR="$prefix/$libsub" >/dev/null
        check_uninstalled "$prefix"
    done
    make -s -C "$root" uninstall DESTDIR="$work/stage" PREFIX=/opt/rz >/dev/null
    check_uninstalled "$work/stage"
    echo "run_install: make install, install-dropin and uninstall work with pkg-config (dynamic and static) and CMake"
    ;;
cargo-c)
    install_cargo_c
    make -s -C "$root" cinstall PREFIX="$rz" LIBDIR="$rz/$libsub" >"$work/cinstall.log" 2>&1 ||
        { cat "$work/cinstall.log" >&2; fail "make cinstall failed"; }
    check_rzlib "$rz"
    # The same files as `make install` lays out.
    make -s -C "$root" install PREFIX="$work/by-make" LIBDIR="$work/by-make/$libsub" >/dev/null
    (cd "$rz" && find . | sort) >"$work/by-cargo-c.txt"
    (cd "$work/by-make" && find . | sort) >"$work/by-make.txt"
    diff "$work/by-make.txt" "$work/by-cargo-c.txt" >&2 || fail "cargo cinstall and make install lay out different files"
    make -s -C "$root" uninstall PREFIX="$rz" LIBDIR="$rz/$libsub" >/dev/null
    check_uninstalled "$rz"
    echo "run_install: cargo cinstall gives make install's layout, works with pkg-config (dynamic and static) and CMake, and uninstalls"
    ;;
*)
    echo "usage: $0 [make|cargo-c]" >&2
    exit 2
    ;;
esac
