"""rzlib.gzip against the standard library's gzip: same files, same data,
same errors; and it really compresses through rzlib."""

import gzip
import io
import os
import zlib

import pytest

import rzlib
import rzlib.gzip as rgzip
from conftest import DATA, outcome


def test_names():
    for name in gzip.__all__:
        assert hasattr(rgzip, name), name
    assert rgzip.BadGzipFile is gzip.BadGzipFile
    assert rzlib.gzip is rgzip


def test_routes_through_rzlib():
    out = io.BytesIO()
    with rgzip.GzipFile(fileobj=out, mode="wb") as f:
        assert type(f.compress) is rzlib.Compress
        f.write(b"data")
    with rgzip.GzipFile(fileobj=io.BytesIO(out.getvalue())) as f:
        assert f.read() == b"data"
        decompressor = f._buffer.raw._decompressor
        assert type(decompressor).__module__ == "rzlib"
    # The standard module itself is left alone.
    assert gzip.zlib is zlib


@pytest.mark.parametrize("level", range(10))
def test_compress(level, data):
    for mtime in [0, 1, 1_700_000_000]:
        assert (rgzip.compress(data, level, mtime=mtime)
                == gzip.compress(data, level, mtime=mtime))
    assert rgzip.decompress(rgzip.compress(data, level)) == data


def test_decompress_members_padding_and_errors(rng):
    parts = [DATA["text"][:5000], b"", DATA["random"][:3000], DATA["runs"]]
    stream = b"".join(gzip.compress(p, rng.randint(0, 9), mtime=7) for p in parts)
    assert rgzip.decompress(stream) == gzip.decompress(stream) == b"".join(parts)
    padded = stream + b"\0" * 10
    assert rgzip.decompress(padded) == gzip.decompress(padded)
    bad_cases = [stream[:-1], stream[:15], b"\x1f\x8b\x09" + stream[3:],
                 b"not gzip", stream + b"\x1f"]
    crc = bytearray(gzip.compress(b"payload", mtime=0))
    crc[-6] ^= 1
    size = bytearray(gzip.compress(b"payload", mtime=0))
    size[-1] ^= 1
    bad_cases += [bytes(crc), bytes(size)]
    for _ in range(30):
        broken = bytearray(stream)
        broken[rng.randrange(10, len(broken))] ^= 1 << rng.randrange(8)
        bad_cases.append(bytes(broken))
    for case in bad_cases:
        assert outcome(rgzip.decompress, case) == outcome(gzip.decompress, case)


def write_file(module, data, rng_state, **kwargs):
    """Writes data through module.GzipFile in random pieces with random
    flushes, as recorded in rng_state (a list of (size, flush) steps)."""
    out = io.BytesIO()
    with module.GzipFile(fileobj=out, mode="wb", mtime=12345, **kwargs) as f:
        pos = 0
        for size, flush in rng_state:
            f.write(data[pos:pos + size])
            pos += size
            if flush:
                f.flush()
        f.write(memoryview(data[pos:]))
    return out.getvalue()


@pytest.mark.parametrize("level", [0, 1, 6, 9])
def test_gzipfile_write(level, data, rng):
    steps = [(rng.choice([1, 100, 5000, 70000]), rng.random() < 0.2)
             for _ in range(10)]
    for name in ["", "name.txt", "packed.gz"]:
        expected = write_file(gzip, data, steps, compresslevel=level, filename=name)
        actual = write_file(rgzip, data, steps, compresslevel=level, filename=name)
        assert actual == expected


def test_gzipfile_read(rng):
    data = DATA["mixed"]
    packed = gzip.compress(data[:100000], mtime=3) + gzip.compress(data[100000:], mtime=4)
    with gzip.GzipFile(fileobj=io.BytesIO(packed)) as a, \
            rgzip.GzipFile(fileobj=io.BytesIO(packed)) as b:
        while True:
            kind = rng.randrange(4)
            if kind == 0:
                size = rng.choice([0, 1, 100, 10000, 100000])
                chunk = b.read(size)
                assert chunk == a.read(size)
            elif kind == 1:
                chunk = b.readline()
                assert chunk == a.readline()
            elif kind == 2:
                chunk = b.read1(500)
                assert chunk == a.read1(500)
            else:
                target = rng.randrange(len(data) + 10)
                assert b.seek(target) == a.seek(target)
                chunk = b"x"
            assert b.tell() == a.tell()
            assert b.mtime == a.mtime
            if not chunk and a.tell() >= len(data):
                break


def test_gzipfile_read_errors():
    good = gzip.compress(DATA["text"][:20000], mtime=0)
    cases = [good[:-3], good[:-9], good[:30], b"\x1f\x8b" + b"\0" * 20,
             good[:20] + bytes([good[20] ^ 0x40]) + good[21:]]
    for case in cases:
        def read_all(module):
            with module.GzipFile(fileobj=io.BytesIO(case)) as f:
                return f.read()
        assert outcome(read_all, rgzip) == outcome(read_all, gzip)


def test_open_modes(tmp_path):
    data = DATA["text"][:50000]
    text = data.decode("ascii")
    path = tmp_path / "file.txt.gz"
    with rgzip.open(path, "wb") as f:
        f.write(data)
    with gzip.open(path, "rb") as f:
        assert f.read() == data
    with rgzip.open(path, "ab", compresslevel=1) as f:
        f.write(data)
    with gzip.open(path, "rb") as f:
        assert f.read() == data + data
    with rgzip.open(os.fspath(path), "rt", encoding="ascii") as f:
        assert f.read() == text + text
    with rgzip.open(path, "wt", encoding="ascii", newline="") as f:
        f.write(text)
    with gzip.open(path, "rt", encoding="ascii", newline="") as f:
        assert f.read() == text
    with pytest.raises(FileExistsError):
        rgzip.open(path, "xb")
    with pytest.raises(ValueError):
        rgzip.open(path, "rbt")
    with pytest.raises(TypeError):
        rgzip.open(42.0)
    # The same file from both modules, with the file name in the header.
    written = []
    for module in (gzip, rgzip):
        directory = tmp_path / module.__name__
        directory.mkdir()
        with module.GzipFile(directory / "same.txt.gz", "wb", mtime=99) as f:
            f.write(data)
        written.append((directory / "same.txt.gz").read_bytes())
    assert written[1] == written[0]
    assert b"same.txt\0" in written[1]
