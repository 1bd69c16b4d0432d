"""rzlib against CPython's zlib, call by call: same bytes, same attributes,
same exceptions with the same messages."""

import copy
import pathlib
import pickle
import re
import threading
import zlib

import pytest

import rzlib
from conftest import (COMPRESS_HAS_WBITS, DATA, outcome, reference_compress, same,
                      zlib_stream)

LEVELS = list(range(-1, 10))
ZLIB_WBITS = list(range(9, 16))
RAW_WBITS = [-w for w in range(9, 16)]
GZIP_WBITS = [16 + w for w in range(9, 16)]
ALL_WBITS = ZLIB_WBITS + RAW_WBITS + GZIP_WBITS
STRATEGIES = [zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY,
              zlib.Z_RLE, zlib.Z_FIXED]
FLUSH_MODES = [zlib.Z_NO_FLUSH, zlib.Z_PARTIAL_FLUSH, zlib.Z_SYNC_FLUSH,
               zlib.Z_FULL_FLUSH, zlib.Z_BLOCK]


# --- the module's surface -------------------------------------------------

def public_names(module):
    return {name for name in dir(module) if not name.startswith("_")}


def test_every_public_name_of_zlib_exists():
    missing = public_names(zlib) - public_names(rzlib)
    assert not missing


def test_constants_have_zlibs_values():
    for name in public_names(zlib):
        value = getattr(zlib, name)
        if isinstance(value, int) and not isinstance(value, bool):
            assert getattr(rzlib, name) == value, name
    assert rzlib.__version__ == zlib.__version__


def header_version():
    # The header this package was built from sits in the repository.
    header = pathlib.Path(__file__).resolve().parents[2] / "include" / "zlib.h"
    if not header.is_file():
        pytest.skip("include/zlib.h is not beside the tests")
    match = re.search(r'#define ZLIB_VERSION "([^"]+)"', header.read_text())
    return match.group(1)


def test_versions():
    assert rzlib.ZLIB_VERSION == header_version()
    assert rzlib.ZLIB_RUNTIME_VERSION == rzlib.ZLIB_VERSION
    # CPython's test_zlib parses the runtime version as dotted integers.
    assert all(part.isdigit() for part in rzlib.ZLIB_RUNTIME_VERSION.split("."))


def test_error_is_an_exception_of_its_own():
    assert issubclass(rzlib.error, Exception)
    assert rzlib.error is not zlib.error
    assert rzlib.error.__name__ == "error"


def test_types_cannot_be_instantiated_or_pickled():
    for obj in (rzlib.compressobj(), rzlib.decompressobj()):
        with pytest.raises(TypeError, match="cannot create 'rzlib.%s' instances"
                           % type(obj).__name__):
            type(obj)()
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            with pytest.raises(TypeError):
                pickle.dumps(obj, protocol)


# --- checksums -------------------------------------------------------------

@pytest.mark.parametrize("name", ["crc32", "adler32"])
def test_checksums(name, data, rng):
    same(name, data)
    for start in [0, 1, 0xFFFFFFFF, rng.getrandbits(32), -1, -12345, 2**40 + 7]:
        same(name, data, start)
    # Running checksums over random pieces.
    expected = actual = getattr(zlib, name)(b"")
    pos = 0
    while pos < len(data):
        piece = data[pos:pos + rng.randint(1, 5000)]
        pos += len(piece)
        expected = getattr(zlib, name)(piece, expected)
        actual = getattr(rzlib, name)(piece, actual)
        assert actual == expected
    same(name, bytearray(data))
    same(name, memoryview(data))


# --- one-shot compress / decompress ---------------------------------------

@pytest.mark.parametrize("level", LEVELS)
def test_compress_levels_and_wbits(level, data):
    for wbits in ALL_WBITS:
        packed = rzlib.compress(data, level, wbits)
        expected = reference_compress(data, level, wbits)
        if expected is not None:
            assert packed == expected, wbits
        assert zlib.decompress(packed, wbits) == data
        if COMPRESS_HAS_WBITS:
            assert same("compress", data, level, wbits)[0] == "ok"
    assert same("compress", data, level=level) == same("compress", data, level)


def test_compress_defaults_and_buffer_types(data):
    same("compress", data)
    same("compress", bytearray(data))
    same("compress", memoryview(data))
    assert rzlib.compress(data, wbits=-15) == reference_compress(data, wbits=-15)


@pytest.mark.parametrize("wbits", ALL_WBITS)
def test_decompress_every_format(wbits, data):
    packed = zlib_stream(data, 6, wbits)
    same("decompress", packed, wbits)
    if wbits > 0:
        # 32+: detect zlib or gzip; 0: the window size from the header.
        same("decompress", packed, 32 + (wbits & 15))
        if wbits < 16:
            same("decompress", packed, 0)
            same("decompress", packed, 15)
    for bufsize in [0, 1, 7, 100, zlib.DEF_BUF_SIZE, len(data) + 1, 1 << 20]:
        same("decompress", packed, wbits, bufsize)
    same("decompress", packed, wbits=wbits, bufsize=1)


def test_decompress_errors(data, rng):
    packed = zlib.compress(data, 9)
    # Truncations and flipped bytes all over the stream.
    for cut in sorted({0, 1, 2, len(packed) // 2, len(packed) - 4,
                       len(packed) - 1}):
        same("decompress", packed[:cut])
    for _ in range(40):
        broken = bytearray(packed)
        broken[rng.randrange(len(broken))] ^= 1 << rng.randrange(8)
        same("decompress", bytes(broken))
    same("decompress", packed + b"trailing garbage")
    same("decompress", b"not zlib at all")
    same("decompress", packed, 9)  # window too small: "invalid window size"
    same("decompress", packed, -15)
    same("decompress", packed, 31)


def test_argument_errors():
    for bad in [42, None, "", "abc", (), [], 1.5]:
        for name in ["compress", "decompress", "crc32", "adler32"]:
            same(name, bad)
    for args in [(b"x", 10), (b"x", -2), (b"x", 2**31), (b"x", 1.0)]:
        same("compress", *args)
    if COMPRESS_HAS_WBITS:
        for wbits in [8, 16, -8, 32, 0, 40]:
            same("compress", b"x", 6, wbits)
    packed = zlib.compress(b"abc")
    for args in [(packed, 15, -1), (packed, 15, 0), (packed, 8), (packed, 48),
                 (packed, 15, 2**63), (packed, 15, "1")]:
        same("decompress", *args)
    # data is positional-only (the messages come from each one's argument
    # parser, so only the type is compared).
    for module in (zlib, rzlib):
        with pytest.raises(TypeError):
            module.compress(data=b"x")
        with pytest.raises(TypeError):
            module.decompress(data=packed)
    same("crc32", b"abc", "x")


# --- compression objects ---------------------------------------------------

def stream_compress(module, data, rng, args, chunks, flushes):
    """Feeds data in the given chunk sizes with the given flushes between
    them; returns every piece of output."""
    co = module.compressobj(*args)
    pieces = []
    pos = 0
    for size, mode in zip(chunks, flushes):
        pieces.append(co.compress(data[pos:pos + size]))
        pos += size
        pieces.append(co.flush(mode))
    pieces.append(co.compress(data[pos:]))
    pieces.append(co.flush())
    return pieces


def random_plan(rng, data, flush_modes):
    chunks = []
    left = len(data)
    while left > 0 and len(chunks) < 30:
        size = min(left, rng.choice([1, 7, 100, 1000, 4096, 20000, 70000]))
        chunks.append(size)
        left -= size
    flushes = [rng.choice(flush_modes) for _ in chunks]
    return chunks, flushes


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("level", LEVELS)
def test_compressobj_streaming(level, strategy, rng):
    for name in ["text", "mixed", "short", "empty"]:
        data = DATA[name]
        mem_level = rng.randint(1, 9)
        wbits = rng.choice(ALL_WBITS)
        args = (level, zlib.DEFLATED, wbits, mem_level, strategy)
        chunks, flushes = random_plan(rng, data, FLUSH_MODES + [zlib.Z_NO_FLUSH] * 3)
        expected = stream_compress(zlib, data, rng, args, chunks, flushes)
        actual = stream_compress(rzlib, data, rng, args, chunks, flushes)
        assert actual == expected, args
        assert zlib.decompress(b"".join(actual), wbits) == data


@pytest.mark.parametrize("mem_level", range(1, 10))
def test_compressobj_mem_levels(mem_level):
    data = DATA["mixed"]
    for level in [1, 4, 6, 9]:
        for wbits in [9, 12, 15, -10, 31]:
            args = (level, zlib.DEFLATED, wbits, mem_level)
            a = zlib.compressobj(*args)
            b = rzlib.compressobj(*args)
            assert b.compress(data) + b.flush() == a.compress(data) + a.flush()


def test_compressobj_keywords_and_defaults(data):
    kwargs = dict(level=2, method=zlib.DEFLATED, wbits=-12, memLevel=9,
                  strategy=zlib.Z_FILTERED)
    a = zlib.compressobj(**kwargs)
    b = rzlib.compressobj(**kwargs)
    assert b.compress(data) + b.flush() == a.compress(data) + a.flush()
    a, b = zlib.compressobj(), rzlib.compressobj()
    assert b.compress(data) + b.flush() == a.compress(data) + a.flush()
    # The one-shot and the streaming interface agree.
    b = rzlib.compressobj()
    assert b.compress(data) + b.flush() == rzlib.compress(data)


def test_compressobj_bad_parameters():
    for args in [(10,), (-2,), (6, 9), (6, 8, 8), (6, 8, 16), (6, 8, 24),
                 (6, 8, 32), (6, 8, -8), (6, 8, 15, 0), (6, 8, 15, 10),
                 (6, 8, 15, 8, 5), (6, 8, 15, 8, -1), (2**31,), ("6",)]:
        same("compressobj", *args)


def test_compressobj_after_finish():
    for module in (zlib, rzlib):
        co = module.compressobj()
        co.compress(b"data")
        co.flush()
    # Both the second flush and more input are errors, with one message.
    for call in [lambda m: m.flush(), lambda m: m.compress(b"more"),
                 lambda m: m.flush(zlib.Z_SYNC_FLUSH), lambda m: m.copy()]:
        a = zlib.compressobj()
        a.flush()
        b = rzlib.compressobj()
        b.flush()
        assert outcome(call, b) == outcome(call, a)
    # Z_NO_FLUSH returns nothing, even after the end.
    b = rzlib.compressobj()
    b.flush()
    assert b.flush(zlib.Z_NO_FLUSH) == b""


def test_compress_copy(rng):
    data = DATA["text"]
    first, second, third = data[:30000], data[30000:60000], data[60000:]
    for level in [1, 6, 9]:
        a = zlib.compressobj(level)
        b = rzlib.compressobj(level)
        assert b.compress(first) == a.compress(first)
        for make_copy in [lambda c: c.copy(), copy.copy, copy.deepcopy]:
            a2, b2 = make_copy(a), make_copy(b)
            assert type(b2) is rzlib.Compress
            assert b2.compress(third) + b2.flush() == a2.compress(third) + a2.flush()
        assert b.compress(second) + b.flush() == a.compress(second) + a.flush()


# --- decompression objects -------------------------------------------------

def state(dco):
    return (dco.unused_data, dco.unconsumed_tail, dco.eof)


def drive_decompress(module, packed, plan, flush_length):
    """Feeds packed in the planned pieces with the planned max_length each
    (feeding unconsumed_tail back first), and returns every output and every
    attribute after every call."""
    dco = module.decompressobj(*plan["args"])
    record = []
    pos = 0
    for size, max_length in plan["steps"]:
        piece = dco.unconsumed_tail + packed[pos:pos + size]
        pos += size
        result = outcome(dco.decompress, piece, max_length)
        record.append((result, state(dco)))
        if result[0] == "raise":
            return record
    while dco.unconsumed_tail:
        result = outcome(dco.decompress, dco.unconsumed_tail, plan["drain"])
        record.append((result, state(dco)))
        if result[0] == "raise" or result[1] == b"":
            break
    record.append((outcome(dco.flush, flush_length), state(dco)))
    record.append((outcome(dco.flush), state(dco)))
    return record


def decompress_plan(rng, packed, args):
    steps = []
    left = len(packed) + 20
    while left > 0:
        size = rng.choice([1, 3, 50, 500, 5000, 40000])
        max_length = rng.choice([0, 0, 1, 10, 1000, 32768, 100000])
        steps.append((size, max_length))
        left -= size
    return {"args": args, "steps": steps, "drain": rng.choice([0, 5000])}


@pytest.mark.parametrize("wbits", [15, 9, -15, -9, 31, 47, 0])
def test_decompressobj_streaming(wbits, data, rng):
    compress_wbits = {0: 15, 47: 31}.get(wbits, wbits)
    packed = zlib_stream(data, rng.choice(LEVELS), compress_wbits)
    tail = rng.choice([b"", b"unused", rng.randbytes(100)])
    for _ in range(3):
        plan = decompress_plan(rng, packed + tail, (wbits,))
        flush_length = rng.choice([1, 100, zlib.DEF_BUF_SIZE])
        expected = drive_decompress(zlib, packed + tail, plan, flush_length)
        actual = drive_decompress(rzlib, packed + tail, plan, flush_length)
        assert actual == expected


def test_decompressobj_corrupt_streams(rng):
    packed = zlib.compress(DATA["mixed"], 6)
    for _ in range(60):
        broken = bytearray(packed)
        for _ in range(rng.randint(1, 3)):
            broken[rng.randrange(len(broken))] = rng.randrange(256)
        plan = decompress_plan(rng, bytes(broken), (15,))
        assert (drive_decompress(rzlib, bytes(broken), plan, 100)
                == drive_decompress(zlib, bytes(broken), plan, 100))


def test_decompressobj_truncated_then_flush():
    packed = zlib.compress(DATA["text"])
    for cut in [1, 2, 10, len(packed) // 3, len(packed) - 4, len(packed) - 1]:
        a, b = zlib.decompressobj(), rzlib.decompressobj()
        assert b.decompress(packed[:cut]) == a.decompress(packed[:cut])
        assert b.flush() == a.flush()
        assert state(b) == state(a)


def test_decompressobj_unused_data_accumulates():
    packed = zlib.compress(b"abcdefghijklmnopqrstuvwxyz")
    remainder = b"0123456789"
    stream = packed + remainder
    for step in [1, 2, 5, len(packed), len(stream)]:
        a, b = zlib.decompressobj(), rzlib.decompressobj()
        for i in range(0, len(stream), step):
            assert b.decompress(stream[i:i + step]) == a.decompress(stream[i:i + step])
            assert state(b) == state(a)
        assert b.flush() == a.flush()
        assert state(b) == state(a)
        assert b.unused_data == remainder


def test_decompressobj_argument_errors():
    same("decompressobj", -1)
    same("decompressobj", 8)
    same("decompressobj", 100)
    same("decompressobj", zdict=42)
    same("decompressobj", 15, "text")
    for call in [lambda d: d.decompress(b"", -1),
                 lambda d: d.decompress(b"", 2**63),
                 lambda d: d.flush(0), lambda d: d.flush(-1),
                 lambda d: d.flush(2**63), lambda d: d.decompress("x")]:
        assert outcome(call, rzlib.decompressobj()) == outcome(call, zlib.decompressobj())


def test_decompress_after_end():
    packed = zlib.compress(b"some data")
    a, b = zlib.decompressobj(), rzlib.decompressobj()
    assert b.decompress(packed) == a.decompress(packed)
    assert b.flush() == a.flush()  # ends the stream
    for call in [lambda d: d.decompress(b"more"), lambda d: d.flush(),
                 lambda d: d.copy()]:
        assert outcome(call, b) == outcome(call, a)
        assert state(b) == state(a)


def test_decompress_copy(rng):
    packed = zlib.compress(DATA["mixed"], 6)
    for split in [1, 32, len(packed) // 2, len(packed) - 1]:
        a, b = zlib.decompressobj(), rzlib.decompressobj()
        assert b.decompress(packed[:split], 1000) == a.decompress(packed[:split], 1000)
        for make_copy in [lambda d: d.copy(), copy.copy, copy.deepcopy]:
            a2, b2 = make_copy(a), make_copy(b)
            assert type(b2) is rzlib.Decompress
            assert state(b2) == state(a2)
            rest = b2.unconsumed_tail + packed[split:]
            assert b2.decompress(rest) + b2.flush() == a2.decompress(rest) + a2.flush()
            assert state(b2) == state(a2)


# --- preset dictionaries ------------------------------------------------------

@pytest.mark.parametrize("wbits", [15, 10, -15, -9])
def test_zdict(wbits, rng):
    zdict = DATA["text"][:rng.choice([1, 100, 32768, 40000])]
    data = DATA["text"][50000:90000]
    a = zlib.compressobj(6, zlib.DEFLATED, wbits, zdict=zdict)
    b = rzlib.compressobj(6, zlib.DEFLATED, wbits, zdict=zdict)
    packed = a.compress(data) + a.flush()
    assert b.compress(data) + b.flush() == packed
    for dict_ in [zdict, bytearray(zdict), b"wrong dictionary", None]:
        args = (wbits,) if dict_ is None else (wbits, dict_)
        plan = decompress_plan(rng, packed, args)
        assert (drive_decompress(rzlib, packed, plan, 100)
                == drive_decompress(zlib, packed, plan, 100))


def test_zdict_streaming_reuse():
    zdict = DATA["text"][:5000]
    piece = DATA["text"][10000:10500]
    co_a = zlib.compressobj(zdict=zdict)
    co_b = rzlib.compressobj(zdict=zdict)
    do_b = rzlib.decompressobj(zdict=zdict)
    for chunk in [piece, piece[100:], piece[:-100]]:
        out_a = co_a.compress(chunk) + co_a.flush(zlib.Z_SYNC_FLUSH)
        out_b = co_b.compress(chunk) + co_b.flush(zlib.Z_SYNC_FLUSH)
        assert out_b == out_a
        assert do_b.decompress(out_b) == chunk


def test_zdict_errors():
    same("compressobj", zdict="text")
    same("compressobj", zdict=42)
    # A dictionary for a stream that has none, and none for one that has.
    packed = zlib.compress(b"plain")
    for module in (zlib, rzlib):
        assert module.decompressobj(zdict=b"dict").decompress(packed) == b"plain"
    co = zlib.compressobj(zdict=b"dict")
    with_dict = co.compress(b"plain") + co.flush()
    assert (outcome(rzlib.decompressobj().decompress, with_dict)
            == outcome(zlib.decompressobj().decompress, with_dict))
    assert (outcome(rzlib.decompress, with_dict)
            == outcome(zlib.decompress, with_dict))


# --- threads and big buffers ---------------------------------------------------

def test_threads_share_nothing_but_the_library():
    data = DATA["mixed"]
    expected = zlib.compress(data, 6)
    results = []

    def work():
        for _ in range(3):
            co = rzlib.compressobj(6)
            results.append(co.compress(data) + co.flush())
            results.append(rzlib.decompress(results[-1]) == data)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(expected) == 12
    assert results.count(True) == 12


def test_output_spanning_many_blocks():
    # More than 32 KiB + 64 KiB + 256 KiB of output: several output blocks.
    data = (DATA["text"] * 20)[:2_500_000]
    packed = rzlib.compress(data, 1)
    assert packed == zlib.compress(data, 1)
    assert rzlib.decompress(packed) == data
    a, b = zlib.decompressobj(), rzlib.decompressobj()
    assert b.decompress(packed, 1_000_003) == a.decompress(packed, 1_000_003)
    assert state(b) == state(a)
    assert b.flush() == a.flush()


@pytest.mark.skipif(not hasattr(zlib, "_ZlibDecompressor"),
                    reason="this CPython has no zlib._ZlibDecompressor")
def test_zlib_decompressor_against_cpython(rng):
    packed = zlib_stream(DATA["mixed"], 6, 31) + b"tail"
    for _ in range(40):
        a, b = zlib._ZlibDecompressor(31), rzlib._ZlibDecompressor(31)
        pos = 0
        while not a.eof:
            piece = packed[pos:pos + rng.choice([0, 1, 5, 100, 3000, 70000])]
            pos += len(piece)
            limit = rng.choice([-1, 0, 1, 7, 100, 16384, 70000])
            assert b.decompress(piece, limit) == a.decompress(piece, limit)
            assert ((b.eof, b.needs_input, b.unused_data)
                    == (a.eof, a.needs_input, a.unused_data))


def test_zlib_decompressor(rng):
    # Python 3.12's gzip reads through _ZlibDecompressor; its contract:
    # at most max_length bytes, needs_input, unused_data, EOFError at the end.
    data = DATA["mixed"]
    packed = zlib_stream(data, 6, 31) + b"tail"
    d = rzlib._ZlibDecompressor(31)
    out = []
    pos = 0
    while not d.eof:
        piece = b""
        if d.needs_input:
            piece = packed[pos:pos + rng.randint(1, 3000)]
            pos += len(piece)
        limit = rng.choice([-1, 1, 100, 70000])
        chunk = d.decompress(piece, limit)
        assert limit < 0 or len(chunk) <= limit
        out.append(chunk)
    assert b"".join(out) == data
    # What was fed past the end of the stream (the stream is all but "tail").
    assert d.unused_data == packed[len(packed) - 4:pos]
    assert d.needs_input is False
    with pytest.raises(EOFError, match="End of stream already reached"):
        d.decompress(b"x")
    with pytest.raises(rzlib.error, match="incorrect header check"):
        rzlib._ZlibDecompressor().decompress(b"not zlib")
