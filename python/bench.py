#!/usr/bin/env python3
"""rzlib's Python package against CPython's zlib module, in the same run.

    python bench.py [--limit BYTES] [--repeat N]

Measures compress() at levels 1, 6 and 9 and decompress(), plus crc32() and
adler32() and a small-input case (where the per-call cost of the binding
shows), on the same inputs with both modules, and prints each speed and the
ratio rzlib/zlib (above 1: rzlib is faster). Every rzlib result is checked
against zlib's: compressed bytes must be identical.

Inputs: files of the shared corpus (../shared/corpus beside the project, or
the directory in RZLIB_CORPUS), each cut to --limit bytes; generated data
when there is no corpus or RZLIB_CORPUS=none. The first line says which.
"""

import argparse
import math
import os
import pathlib
import random
import sys
import time
import zlib

import rzlib

CORPUS_FILES = ["silesia/dickens", "silesia/xml", "silesia/ooffice",
                "silesia/mr", "canterbury/kennedy.xls"]


def corpus_root():
    """(directory, label) of the corpus, or (None, why there is none)."""
    value = os.environ.get("RZLIB_CORPUS", "")
    if value == "none":
        return None, "RZLIB_CORPUS=none"
    if value:
        root = pathlib.Path(value)
        if not root.is_dir():
            sys.exit("RZLIB_CORPUS=%s is not a directory "
                     "(RZLIB_CORPUS=none for generated data)" % value)
        return root, "%s (RZLIB_CORPUS)" % value
    root = pathlib.Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if root.is_dir():
        return root, str(root)
    return None, "%s not found" % root


def generated_inputs(limit):
    rng = random.Random(1)
    words = [bytes(rng.choice(b"etaoinshrdlucmfwyp") for _ in range(rng.randint(1, 10)))
             for _ in range(2000)]
    text = bytearray()
    while len(text) < limit:
        text += rng.choice(words) + rng.choice([b" ", b" ", b"\n", b". "])
    binary = bytearray()
    while len(binary) < limit:
        # Structured records with noise: numbers, repeats and random bytes.
        binary += rng.randint(0, 1000).to_bytes(4, "little")
        binary += bytes([rng.randrange(8)]) * rng.randint(1, 20)
        binary += rng.randbytes(rng.randint(0, 12))
    return [("generated-text", bytes(text[:limit])),
            ("generated-binary", bytes(binary[:limit]))]


def inputs(limit):
    root, label = corpus_root()
    if root is not None:
        found = []
        for name in CORPUS_FILES:
            path = root / name
            if path.is_file():
                with open(path, "rb") as f:
                    found.append((path.name, f.read(limit)))
        if len(found) == len(CORPUS_FILES):
            return found, "corpus %s (%d files, up to %d bytes each)" % (
                label, len(found), limit)
        label = "%s lacks some of %s" % (label, CORPUS_FILES)
    return generated_inputs(limit), "generated data (%s)" % label


def run_time(call):
    """Seconds per call, over at least 0.05 s of calls (short calls are
    timed over many iterations)."""
    count = 0
    start = time.perf_counter()
    while True:
        call()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 0.05:
            return elapsed / count


def best_times(zlib_call, rzlib_call, repeat):
    """The fastest of `repeat` runs of each, alternating between the two so
    that a change in the machine's load hits both alike."""
    zlib_best = rzlib_best = math.inf
    for _ in range(repeat):
        zlib_best = min(zlib_best, run_time(zlib_call))
        rzlib_best = min(rzlib_best, run_time(rzlib_call))
    return zlib_best, rzlib_best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=2 << 20,
                        help="bytes of each corpus file (default 2 MiB)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per measurement, the best counts (default 3)")
    args = parser.parse_args()

    data, label = inputs(args.limit)
    print("bench data: %s" % label)
    print("zlib: CPython's zlib module over zlib %s; rzlib: %s over rzlib %s"
          % (zlib.ZLIB_RUNTIME_VERSION, rzlib.__file__, rzlib.ZLIB_RUNTIME_VERSION))
    print()
    print("%-18s %-14s %10s %10s %7s" % ("operation", "input", "zlib MB/s",
                                         "rzlib MB/s", "ratio"))
    ratios = {}

    def measure(operation, name, size, zlib_call, rzlib_call):
        zlib_time, rzlib_time = best_times(zlib_call, rzlib_call, args.repeat)
        ratio = zlib_time / rzlib_time
        ratios.setdefault(operation, []).append(ratio)
        print("%-18s %-14s %10.1f %10.1f %7.2f" % (
            operation, name, size / zlib_time / 1e6, size / rzlib_time / 1e6,
            ratio))

    for name, buf in data:
        for level in (1, 6, 9):
            packed = zlib.compress(buf, level)
            if rzlib.compress(buf, level) != packed:
                sys.exit("rzlib.compress(%s, %d) differs from zlib's" % (name, level))
            measure("compress -%d" % level, name, len(buf),
                    lambda: zlib.compress(buf, level),
                    lambda: rzlib.compress(buf, level))
        packed = zlib.compress(buf, 6)
        assert rzlib.decompress(packed) == buf
        measure("decompress", name, len(buf),
                lambda: zlib.decompress(packed), lambda: rzlib.decompress(packed))
        measure("crc32", name, len(buf),
                lambda: zlib.crc32(buf), lambda: rzlib.crc32(buf))
        measure("adler32", name, len(buf),
                lambda: zlib.adler32(buf), lambda: rzlib.adler32(buf))

    # Many small calls: what the binding costs per call.
    small = data[0][1][:1024]
    small_packed = zlib.compress(small, 6)
    measure("compress 1 KiB", data[0][0], len(small),
            lambda: zlib.compress(small, 6), lambda: rzlib.compress(small, 6))
    measure("decompress 1 KiB", data[0][0], len(small),
            lambda: zlib.decompress(small_packed),
            lambda: rzlib.decompress(small_packed))

    print()
    print("geometric mean of the ratios (rzlib speed / zlib speed):")
    for operation, values in ratios.items():
        mean = math.exp(sum(math.log(v) for v in values) / len(values))
        print("  %-18s %5.2f  (%d inputs)" % (operation, mean, len(values)))


if __name__ == "__main__":
    main()
