"""The library's stream state is freed: by flush() at the end, by the
objects when they go away, and on every error path of the one-shot calls.

Leaks are measured as growth of the process's resident memory (Linux's
/proc/self/statm): a leaked deflate state is about 270 KiB and an inflate
state with its window about 40 KiB, so thousands of leaked streams would
show as hundreds of MiB while a correct run stays flat.
"""

import gc
import os
import zlib

import pytest

import rzlib
from conftest import DATA

STATM = "/proc/self/statm"
LIMIT = 40 << 20  # growth allowed for allocator noise


def resident_bytes():
    with open(STATM) as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def growth(work, rounds):
    work(rounds // 10)  # let the allocator reach its steady state
    gc.collect()
    before = resident_bytes()
    work(rounds)
    gc.collect()
    return resident_bytes() - before


pytestmark = pytest.mark.skipif(not os.path.exists(STATM),
                                reason="needs Linux's /proc/self/statm")

PACKED = zlib.compress(DATA["text"][:20000])


def test_objects_free_their_streams():
    def work(rounds):
        for _ in range(rounds):
            # Neither object ends its stream itself: only going away frees it.
            co = rzlib.compressobj(9)
            co.compress(b"some input")
            co.copy()
            do = rzlib.decompressobj()
            do.decompress(PACKED[:100])
            do.copy()

    assert growth(work, 3000) < LIMIT


def test_finished_objects_free_their_streams():
    def work(rounds):
        for _ in range(rounds):
            co = rzlib.compressobj(6)
            co.compress(b"some input")
            co.flush()
            do = rzlib.decompressobj()
            do.decompress(PACKED)
            do.flush()

    assert growth(work, 3000) < LIMIT


def test_error_paths_free_their_streams():
    broken = PACKED[:50] + b"\xff" * 50 + PACKED[100:]

    def work(rounds):
        for _ in range(rounds):
            for call in (lambda: rzlib.decompress(broken),
                         lambda: rzlib.decompress(PACKED[:-10]),
                         lambda: rzlib.decompress(PACKED, -15),
                         lambda: rzlib.compress(b"x", 6, 40)):
                with pytest.raises(rzlib.error):
                    call()

    assert growth(work, 5000) < LIMIT
