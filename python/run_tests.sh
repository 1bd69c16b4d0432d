#!/bin/sh
# Builds the rzlib Python package and tests it:
#   1. a venv (target/python/venv-X.Y) with maturin, cffi and pytest from PyPI;
#   2. the wheel, built by maturin from python/ and installed in the venv;
#   3. the package's pytest suite (python/tests), which compares rzlib with
#      CPython's zlib and gzip call by call;
#   4. CPython's own test_zlib and test_gzip, run with rzlib in place of
#      zlib (python/swap/sitecustomize.py, copied into a temporary directory
#      on PYTHONPATH, swaps sys.modules['zlib']), and a check that they
#      really ran against rzlib.
# Exits nonzero on any failure.
#
# Environment: PYTHON (default python3) picks the interpreter;
# CARGO_TARGET_DIR is honoured (default target/python/cargo).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=${PYTHON:-python3}
work=$root/target/python
# One venv per Python version: PYTHON=python3.12 run_tests.sh tests another.
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv=$work/venv-$version
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$work/cargo}"

start=$(date +%s)
mkdir -p "$work"

echo "== venv: $venv"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv" || {
        echo "error: '$python -m venv' failed (Debian/Ubuntu: apt install python3-venv)" >&2
        exit 1
    }
fi
vpython=$venv/bin/python
"$vpython" -m pip install --quiet --disable-pip-version-check \
    "maturin>=1.5,<2" "cffi>=1.15" pytest

echo "== build the wheel (maturin, release)"
rm -rf "$work/wheels-$version"
"$venv/bin/maturin" build --release --quiet \
    --manifest-path "$here/Cargo.toml" --interpreter "$vpython" \
    --out "$work/wheels-$version"
"$vpython" -m pip install --quiet --disable-pip-version-check \
    --force-reinstall --no-deps "$work/wheels-$version"/rzlib-*.whl

# Everything below runs outside python/, so that `import rzlib` finds the
# installed wheel and not the sources.
cd "$work"

echo "== pytest: rzlib against CPython's zlib and gzip"
"$vpython" -m pytest -q -p no:cacheprovider "$here/tests"

echo "== CPython's test_zlib and test_gzip with rzlib as zlib"
if ! "$vpython" -c "import test.test_zlib, test.test_gzip" 2>/dev/null; then
    # Debian and Ubuntu ship CPython's tests separately.
    echo "error: $python has no test.test_zlib (Debian/Ubuntu: apt install" \
         "libpython3.X-testsuite)" >&2
    exit 1
fi
swap=$(mktemp -d "${TMPDIR:-/tmp}/rzlib-swap.XXXXXX")
trap 'rm -rf "$swap"' EXIT
cp "$here/swap/sitecustomize.py" "$swap/"
# unittest rather than `python -m test`: regrtest unloads each test module
# once it has run, before sitecustomize's note could be taken.
PYTHONPATH="$swap" RZLIB_SWAP_NOTE="$swap/tested" \
    "$vpython" -m unittest -v test.test_zlib test.test_gzip > "$swap/log" 2>&1 || {
    cat "$swap/log"
    echo "error: CPython's test_zlib or test_gzip failed with rzlib in place" >&2
    exit 1
}
grep -E "^(Ran|OK|FAILED)" "$swap/log" || true
tested=$(cat "$swap/tested" 2>/dev/null || echo "no note")
if [ "$tested" != "test_zlib:rzlib test_gzip:rzlib" ]; then
    echo "error: CPython's tests did not run against rzlib ($tested)" >&2
    exit 1
fi
echo "tested against: $tested"

echo "== python: all passed in $(( $(date +%s) - start ))s"
