"""A small ctypes binding to rzlib (or any zlib with the same C ABI).

    lib = RZlib("target/release/librzlib.so")                   # rz_ names
    lib = RZlib("target/drop-in/release/libz.so.1", prefix="")  # zlib's names
    packed = lib.compress(b"hello" * 100, 6)
    assert lib.decompress(packed) == b"hello" * 100

compress() and decompress() drive the streaming API (deflateInit2_/deflate/
deflateEnd and inflateInit2_/inflate/inflateEnd) with a small output buffer,
so that a large input takes many calls, as it does in a real C program.
"""

import ctypes
from ctypes import POINTER, byref, c_char_p, c_int, c_size_t, c_ubyte, c_uint, c_ulong, c_void_p

# Constants from include/zlib.h and include/zconf.h.
ZLIB_VERSION = b"1.3.2"
Z_NO_FLUSH = 0
Z_FINISH = 4
Z_OK = 0
Z_STREAM_END = 1
Z_NEED_DICT = 2
Z_BUF_ERROR = -5
Z_DEFLATED = 8
Z_DEFAULT_STRATEGY = 0
MAX_WBITS = 15     # zlib wrapper, 32 KiB window
DEF_MEM_LEVEL = 8  # zlib's default (zutil.h); CPython's zlib.compress uses it too

CHUNK = 16 * 1024  # output buffer per call: small on purpose
_MAX_IN = 1 << 30  # avail_in is a 32-bit uInt: hand over input in slices below 4 GiB

alloc_func = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_uint, c_uint)
free_func = ctypes.CFUNCTYPE(None, c_void_p, c_void_p)


class z_stream(ctypes.Structure):
    """struct z_stream_s of include/zlib.h, field for field (uInt = unsigned int,
    uLong = unsigned long)."""

    _fields_ = [
        ("next_in", POINTER(c_ubyte)),
        ("avail_in", c_uint),
        ("total_in", c_ulong),
        ("next_out", POINTER(c_ubyte)),
        ("avail_out", c_uint),
        ("total_out", c_ulong),
        ("msg", c_char_p),
        ("state", c_void_p),
        ("zalloc", alloc_func),  # left NULL: the library's own allocator
        ("zfree", free_func),
        ("opaque", c_void_p),
        ("data_type", c_int),
        ("adler", c_ulong),
        ("reserved", c_ulong),
    ]


class ZlibError(Exception):
    """A zlib call failed; `code` is its return value, `msg` the stream's msg
    (or zError(code) when the library left msg NULL)."""

    def __init__(self, func, code, msg):
        super().__init__(f"{func} returned {code}: {msg}")
        self.func = func
        self.code = code
        self.msg = msg


class RZlib:
    def __init__(self, path, prefix="rz_"):
        self._dll = ctypes.CDLL(str(path))
        self._prefix = prefix
        zs = POINTER(z_stream)
        self._deflateInit2_ = self._fn("deflateInit2_", c_int, zs, c_int, c_int, c_int, c_int, c_int, c_char_p, c_int)
        self._deflate = self._fn("deflate", c_int, zs, c_int)
        self._deflateEnd = self._fn("deflateEnd", c_int, zs)
        self._inflateInit2_ = self._fn("inflateInit2_", c_int, zs, c_int, c_char_p, c_int)
        self._inflate = self._fn("inflate", c_int, zs, c_int)
        self._inflateEnd = self._fn("inflateEnd", c_int, zs)
        # The _z variants take a size_t length, so any bytes object fits in one call.
        # c_char_p accepts a bytes object as is (no copy; embedded NULs are fine).
        self._crc32_z = self._fn("crc32_z", c_ulong, c_ulong, c_char_p, c_size_t)
        self._adler32_z = self._fn("adler32_z", c_ulong, c_ulong, c_char_p, c_size_t)
        self._zlibVersion = self._fn("zlibVersion", c_char_p)
        self._zError = self._fn("zError", c_char_p, c_int)

    def _fn(self, name, restype, *argtypes):
        f = getattr(self._dll, self._prefix + name)
        f.restype = restype
        f.argtypes = argtypes
        return f

    def _error(self, func, code, strm):
        msg = strm.msg if strm.msg is not None else self._zError(code)
        return ZlibError(func, code, msg.decode(errors="replace"))

    def version(self):
        return self._zlibVersion().decode()

    def crc32(self, data, value=0):
        data = bytes(data)
        return self._crc32_z(value, data, len(data))

    def adler32(self, data, value=1):
        data = bytes(data)
        return self._adler32_z(value, data, len(data))

    def compress(self, data, level=-1):
        """The zlib stream of `data`, as CPython's zlib.compress(data, level)."""
        strm = z_stream()
        ret = self._deflateInit2_(byref(strm), level, Z_DEFLATED, MAX_WBITS, DEF_MEM_LEVEL,
                                  Z_DEFAULT_STRATEGY, ZLIB_VERSION, ctypes.sizeof(z_stream))
        if ret != Z_OK:
            raise self._error("deflateInit2_", ret, strm)
        try:
            feed = _Feeder(strm, data)
            out = (c_ubyte * CHUNK)()
            pieces = []
            while True:
                feed.refill()
                flush = Z_FINISH if feed.done() else Z_NO_FLUSH
                strm.next_out, strm.avail_out = out, CHUNK
                ret = self._deflate(byref(strm), flush)
                # Z_BUF_ERROR only means "no progress"; the loop refills and retries.
                if ret not in (Z_OK, Z_STREAM_END, Z_BUF_ERROR):
                    raise self._error("deflate", ret, strm)
                pieces.append(ctypes.string_at(out, CHUNK - strm.avail_out))
                if ret == Z_STREAM_END:
                    return b"".join(pieces)
        finally:
            self._deflateEnd(byref(strm))

    def decompress(self, data):
        """The data of the zlib stream `data`; bytes after the stream are ignored."""
        strm = z_stream()
        ret = self._inflateInit2_(byref(strm), MAX_WBITS, ZLIB_VERSION, ctypes.sizeof(z_stream))
        if ret != Z_OK:
            raise self._error("inflateInit2_", ret, strm)
        try:
            feed = _Feeder(strm, data)
            out = (c_ubyte * CHUNK)()
            pieces = []
            while True:
                feed.refill()
                strm.next_out, strm.avail_out = out, CHUNK
                ret = self._inflate(byref(strm), Z_NO_FLUSH)
                pieces.append(ctypes.string_at(out, CHUNK - strm.avail_out))
                if ret == Z_STREAM_END:
                    return b"".join(pieces)
                if ret == Z_NEED_DICT:  # zlib leaves msg NULL here
                    raise ZlibError("inflate", ret, "stream needs a preset dictionary")
                if ret == Z_BUF_ERROR and feed.done() and strm.avail_in == 0:
                    # All input used, output space left, and no end of stream.
                    raise ZlibError("inflate", ret, "incomplete or truncated stream")
                if ret not in (Z_OK, Z_BUF_ERROR):
                    raise self._error("inflate", ret, strm)
        finally:
            self._inflateEnd(byref(strm))


class _Feeder:
    """Hands `data` to strm.next_in/avail_in in slices that fit a uInt."""

    def __init__(self, strm, data):
        self._strm = strm
        self._buf = (c_ubyte * len(data)).from_buffer_copy(data)  # stays alive with self
        self._pos = 0

    def refill(self):
        if self._strm.avail_in == 0 and self._pos < len(self._buf):
            n = min(len(self._buf) - self._pos, _MAX_IN)
            self._strm.next_in = ctypes.cast(byref(self._buf, self._pos), POINTER(c_ubyte))
            self._strm.avail_in = n
            self._pos += n

    def done(self):
        """True once the last slice has been handed over."""
        return self._pos == len(self._buf)
