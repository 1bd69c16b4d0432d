"""Puts rzlib in place of zlib for a whole interpreter (run_tests.sh copies
this file into a temporary directory on PYTHONPATH to run CPython's own
test_zlib and test_gzip against rzlib).

At exit it writes, to the file named by RZLIB_SWAP_NOTE, which zlib module
CPython's test modules actually tested: test_zlib's own, and the one that
test_gzip's gzip module compressed with.
"""

import atexit
import os
import sys

import rzlib

sys.modules["zlib"] = rzlib


def _note_tested_modules():
    tested = []
    test_zlib = sys.modules.get("test.test_zlib")
    if test_zlib is not None:
        tested.append("test_zlib:%s" % test_zlib.zlib.__name__)
    test_gzip = sys.modules.get("test.test_gzip")
    if test_gzip is not None:
        tested.append("test_gzip:%s" % test_gzip.gzip.zlib.__name__)
    with open(os.environ["RZLIB_SWAP_NOTE"], "w") as note:
        note.write(" ".join(tested) + "\n")


if os.environ.get("RZLIB_SWAP_NOTE"):
    atexit.register(_note_tested_modules)
