#!/bin/sh
# Builds the rzlib Python package and tests it:
#   1. a venv (target/python/venv) with maturin, cffi and pytest from PyPI;
#   2. the wheel, built by maturin from python/ and installed in the venv;
#   3. the package's pytest suite (python/tests), which compares rzlib with
#      CPython's zlib and gzip call by call;
#   4. CPython's own test_zlib, run with rzlib in place of zlib (a
#      sitecustomize.py in a temporary directory swaps sys.modules['zlib']),
#      and a check that the tests really ran against rzlib.
# Exits nonzero on any failure.
#
# Environment: PYTHON (default python3) picks the interpreter;
# CARGO_TARGET_DIR is honoured (default target/python/cargo).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=${PYTHON:-python3}
work=$root/target/python
venv=$work/venv
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
rm -rf "$work/wheels"
"$venv/bin/maturin" build --release --quiet \
    --manifest-path "$here/Cargo.toml" --interpreter "$vpython" \
    --out "$work/wheels"
"$vpython" -m pip install --quiet --disable-pip-version-check \
    --force-reinstall --no-deps "$work"/wheels/rzlib-*.whl

# Everything below runs outside python/, so that `import rzlib` finds the
# installed wheel and not the sources.
cd "$work"

echo "== pytest: rzlib against CPython's zlib and gzip"
"$vpython" -m pytest -q -p no:cacheprovider "$here/tests"

echo "== CPython's test_zlib with rzlib as zlib"
if ! "$vpython" -c "import test.test_zlib" 2>/dev/null; then
    # Debian and Ubuntu ship CPython's tests separately.
    echo "error: $python has no test.test_zlib (Debian/Ubuntu: apt install" \
         "libpython3.X-testsuite)" >&2
    exit 1
fi
swap=$(mktemp -d "${TMPDIR:-/tmp}/rzlib-swap.XXXXXX")
trap 'rm -rf "$swap"' EXIT
cat > "$swap/sitecustomize.py" <<'EOF'
# Put rzlib in place of zlib for the whole interpreter, and on exit leave a
# note of which module test.test_zlib actually tested.
import atexit
import os
import sys

import rzlib

sys.modules["zlib"] = rzlib


def _note_tested_module():
    tested = sys.modules.get("test.test_zlib")
    if tested is not None:
        with open(os.environ["RZLIB_SWAP_NOTE"], "w") as note:
            note.write("%s %s\n" % (tested.zlib.__name__, tested.zlib.__file__))


atexit.register(_note_tested_module)
EOF
# unittest rather than `python -m test`: regrtest unloads the test module
# once it has run, before the note could be taken.
PYTHONPATH="$swap" RZLIB_SWAP_NOTE="$swap/tested" \
    "$vpython" -m unittest -v test.test_zlib > "$swap/log" 2>&1 || {
    cat "$swap/log"
    echo "error: CPython's test_zlib failed with rzlib in place" >&2
    exit 1
}
grep -E "^(Ran|OK|FAILED)" "$swap/log" || true
if ! grep -q "^rzlib " "$swap/tested" 2>/dev/null; then
    echo "error: test_zlib did not run against rzlib ($(cat "$swap/tested" 2>/dev/null || echo 'no note'))" >&2
    exit 1
fi
echo "test_zlib tested: $(cat "$swap/tested")"

echo "== python: all passed in $(( $(date +%s) - start ))s"
