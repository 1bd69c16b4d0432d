"""rzlib through ctypes against CPython's own zlib module (the system zlib).

    python3 -m unittest examples/python/test_rzlib_ctypes.py -v
    RZLIB_SO=target/drop-in/release/libz.so.1 RZLIB_PREFIX= python3 -m unittest examples/python/test_rzlib_ctypes.py -v

RZLIB_SO is the library to load (default ROOT/target/release/librzlib.so),
RZLIB_PREFIX the prefix of its names (default "rz_"; empty for the drop-in).
"""

import os
import random
import sys
import unittest
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))  # so that the import works however the file is run

import rzlib_ctypes  # noqa: E402
from rzlib_ctypes import ZlibError  # noqa: E402

LIB_PATH = os.environ.get("RZLIB_SO") or str(ROOT / "target" / "release" / "librzlib.so")
PREFIX = os.environ.get("RZLIB_PREFIX", "rz_")
LEVELS = (0, 1, 6, 9)

WORDS = b"the quick brown fox jumps over lazy dog zlib deflate inflate window match literal".split()


def mixed_data(size=1 << 20, seed=1234):
    """About `size` bytes of text lines interleaved with random runs, the same every run."""
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        if rng.random() < 0.7:
            line = b" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30)))
            out += line + b" %d\n" % rng.randint(0, 99999)
        else:
            out += rng.randbytes(rng.randint(1, 4096))
    return bytes(out[:size])


SAMPLES = {
    "empty": b"",
    "one byte": b"x",
    "text": b"Hello, rzlib! " * 1000,
    "mixed 1 MiB": mixed_data(),
}


class RzlibCtypesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        print(f"test data: generated in this file ({', '.join(SAMPLES)}); no corpus needed", file=sys.stderr)
        cls.lib = rzlib_ctypes.RZlib(LIB_PATH, PREFIX)
        # The zlib behind CPython's zlib module, driven by the same ctypes code: a symbol
        # looked up on the extension module's handle is found in its dependency, libz.
        cls.ref = rzlib_ctypes.RZlib(zlib.__file__, prefix="")

    def test_reference_is_another_library(self):
        # Otherwise (CPython's zlib on rzlib through LD_LIBRARY_PATH) every comparison is moot.
        address = lambda f: rzlib_ctypes.ctypes.cast(f, rzlib_ctypes.ctypes.c_void_p).value
        self.assertNotEqual(address(self.lib._deflate), address(self.ref._deflate))

    def test_version(self):
        self.assertEqual(self.lib.version(), "1.3.2")

    def test_struct_size(self):
        # 64-bit Linux: 7 pointers, 4 uLongs, 2 uInts and an int, with padding (sizeof in C).
        self.assertEqual(rzlib_ctypes.ctypes.sizeof(rzlib_ctypes.z_stream), 112)

    def test_compress_is_byte_identical_to_cpython(self):
        for name, data in SAMPLES.items():
            for level in LEVELS:
                with self.subTest(sample=name, level=level):
                    got = self.lib.compress(data, level)
                    # Same calls on CPython's zlib library: same bytes, always.
                    self.assertEqual(got, self.ref.compress(data, level))
                    expected = zlib.compress(data, level)
                    # Except at level 0 past one buffer: zlib itself cuts stored blocks where
                    # the caller's output buffer ends, and CPython's buffers are not 16 KiB.
                    if level != 0 or len(expected) <= rzlib_ctypes.CHUNK:
                        self.assertEqual(got, expected)

    def test_cpython_decompresses_rzlib_output(self):
        for name, data in SAMPLES.items():
            for level in LEVELS:
                with self.subTest(sample=name, level=level):
                    self.assertEqual(zlib.decompress(self.lib.compress(data, level)), data)

    def test_rzlib_decompresses_cpython_output(self):
        for name, data in SAMPLES.items():
            for level in LEVELS:
                with self.subTest(sample=name, level=level):
                    self.assertEqual(self.lib.decompress(zlib.compress(data, level)), data)

    def test_large_input_takes_many_calls(self):
        # The point of the 16 KiB buffer: both directions loop over several calls.
        data = SAMPLES["mixed 1 MiB"]
        packed = self.lib.compress(data, 6)
        self.assertGreater(len(packed), 2 * rzlib_ctypes.CHUNK)
        self.assertEqual(self.lib.decompress(packed), data)

    def test_checksums(self):
        for name, data in SAMPLES.items():
            with self.subTest(sample=name):
                self.assertEqual(self.lib.crc32(data), zlib.crc32(data))
                self.assertEqual(self.lib.adler32(data), zlib.adler32(data))

    def test_running_checksums(self):
        # Feeding the pieces one by one with the running value equals one call on the whole.
        data = SAMPLES["mixed 1 MiB"]
        cuts = [0, 1, 1000, 65536, 300001, len(data)]
        crc, adler = 0, 1
        for a, b in zip(cuts, cuts[1:]):
            crc = self.lib.crc32(data[a:b], crc)
            adler = self.lib.adler32(data[a:b], adler)
            self.assertEqual(crc, zlib.crc32(data[:b]))
            self.assertEqual(adler, zlib.adler32(data[:b]))
        # A running value that did not start at the default.
        self.assertEqual(self.lib.crc32(b"abc", 12345), zlib.crc32(b"abc", 12345))
        self.assertEqual(self.lib.adler32(b"abc", 12345), zlib.adler32(b"abc", 12345))

    def assertSameError(self, bad):
        """rzlib raises with the msg that CPython puts after "Error N while ...: "."""
        with self.assertRaises(zlib.error) as ref:
            zlib.decompress(bad)
        with self.assertRaises(ZlibError) as got:
            self.lib.decompress(bad)
        self.assertEqual(str(ref.exception), f"Error {got.exception.code} while decompressing data: {got.exception.msg}")
        return got.exception

    def test_corrupt_header(self):
        err = self.assertSameError(b"this is not a zlib stream")
        self.assertEqual(err.msg, "incorrect header check")

    def test_corrupt_trailer(self):
        packed = bytearray(zlib.compress(SAMPLES["text"]))
        packed[-1] ^= 0xFF  # last byte of the Adler-32
        err = self.assertSameError(bytes(packed))
        self.assertEqual(err.msg, "incorrect data check")

    def test_truncated_and_empty_input(self):
        packed = zlib.compress(SAMPLES["mixed 1 MiB"])
        for bad in (packed[: len(packed) // 2], b""):
            with self.subTest(length=len(bad)):
                err = self.assertSameError(bad)
                self.assertEqual(err.code, rzlib_ctypes.Z_BUF_ERROR)


if __name__ == "__main__":
    unittest.main()
