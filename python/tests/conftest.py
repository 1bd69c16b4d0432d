"""Shared pieces of the suite: the two modules under comparison, test data,
and a way to compare what a call does in each (result or exception)."""

import random
import sys
import zlib

import pytest

import rzlib

# Deterministic data: a failure reproduces on every run.
SEED = 20261207


def _words(rng, size):
    vocabulary = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz")
                        for _ in range(rng.randint(1, 9)))
                  for _ in range(300)]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(vocabulary)
        out += rng.choice([b" ", b" ", b" ", b"\n", b", "])
    return bytes(out[:size])


def _runs(rng, size):
    out = bytearray()
    while len(out) < size:
        out += bytes([rng.randrange(4)]) * rng.randint(1, 300)
    return bytes(out[:size])


def _mixed(rng, size):
    out = bytearray()
    while len(out) < size:
        kind = rng.randrange(3)
        piece = rng.randint(1, 5000)
        if kind == 0:
            out += rng.randbytes(piece)
        elif kind == 1:
            out += _words(rng, piece)
        else:
            out += _runs(rng, piece)
    return bytes(out[:size])


def make_data():
    rng = random.Random(SEED)
    return {
        "empty": b"",
        "one": b"x",
        "short": b"hello, hello, hello world",
        "random": rng.randbytes(40_000),
        "text": _words(rng, 120_000),
        "runs": _runs(rng, 60_000),
        "mixed": _mixed(rng, 200_000),
    }


DATA = make_data()


@pytest.fixture(params=sorted(DATA))
def data(request):
    return DATA[request.param]


@pytest.fixture
def rng(request):
    # One generator per test, seeded by its name: independent and repeatable.
    return random.Random("%d %s" % (SEED, request.node.name))


def outcome(call, *args, **kwargs):
    """What a call does: ("ok", value) or ("raise", type name, message).
    rzlib.error and zlib.error both count as "error"."""
    try:
        value = call(*args, **kwargs)
        if not isinstance(value, (bytes, int)):
            # Compress and Decompress objects: compared by their type's name.
            value = type(value).__name__
        return ("ok", value)
    except (zlib.error, rzlib.error) as exc:
        return ("raise", "error", str(exc))
    except Exception as exc:  # the exception itself is what is compared
        return ("raise", type(exc).__name__, str(exc))


def same(call_name, *args, **kwargs):
    """Calls zlib.<call_name> and rzlib.<call_name> with the same arguments
    and asserts that they do the same; returns the outcome."""
    expected = outcome(getattr(zlib, call_name), *args, **kwargs)
    actual = outcome(getattr(rzlib, call_name), *args, **kwargs)
    assert actual == expected, (call_name, args, kwargs)
    return actual


# zlib.compress() takes wbits from Python 3.11 on; rzlib has the 3.11
# interface on every version.
COMPRESS_HAS_WBITS = sys.version_info >= (3, 11)


def reference_compress(data, level=-1, wbits=15):
    """CPython's zlib.compress(data, level, wbits), also on Pythons whose
    compress() has no wbits: there through a compression object. That
    gives the same bytes at every level but 0, whose stored blocks end
    where each deflate() call ends; so there is no reference (None) for
    level 0 with a wbits that only compressobj() takes."""
    if COMPRESS_HAS_WBITS:
        return zlib.compress(data, level, wbits)
    if wbits == zlib.MAX_WBITS:
        return zlib.compress(data, level)
    if level == 0:
        return None
    return zlib_stream(data, level, wbits)


def zlib_stream(data, level=-1, wbits=15):
    """A stream that CPython's zlib compressed (input for decompression
    tests), on every Python version."""
    co = zlib.compressobj(level, zlib.DEFLATED, wbits)
    return co.compress(data) + co.flush()
