"""CPython's ``zlib`` module, over rzlib (zlib 1.3.2 rewritten in Rust).

``import rzlib as zlib`` gives the same functions, objects, constants,
exceptions and messages as the standard library's ``zlib``, and the same
bytes: rzlib's default profile writes zlib's exact output, and every call
here drives the library the way CPython's zlibmodule.c drives zlib (same
parameters, same output buffer sizes, same error paths).

The library is the bundled ``_rzlib/lib_rzlib.so``, called through cffi with
declarations generated from rzlib's C header (``include/rzlib.h``).
"""

import operator as _operator
import sys as _sys
import threading as _threading

from ._rzlib import ffi as _ffi, lib as _lib

__all__ = [
    "adler32", "compress", "compressobj", "crc32", "decompress",
    "decompressobj", "error", "Compress", "Decompress",
    "DEFLATED", "DEF_BUF_SIZE", "DEF_MEM_LEVEL", "MAX_WBITS",
    "ZLIB_RUNTIME_VERSION", "ZLIB_VERSION",
    "Z_BEST_COMPRESSION", "Z_BEST_SPEED", "Z_BLOCK", "Z_DEFAULT_COMPRESSION",
    "Z_DEFAULT_STRATEGY", "Z_FILTERED", "Z_FINISH", "Z_FIXED", "Z_FULL_FLUSH",
    "Z_HUFFMAN_ONLY", "Z_NO_COMPRESSION", "Z_NO_FLUSH", "Z_PARTIAL_FLUSH",
    "Z_RLE", "Z_SYNC_FLUSH", "Z_TREES",
]

# The constants CPython's zlib exports, with the values of rzlib's header.
MAX_WBITS = _lib.MAX_WBITS
DEFLATED = _lib.Z_DEFLATED
# zutil.h's default, which CPython's compress() and compressobj() use.
DEF_MEM_LEVEL = min(8, _lib.MAX_MEM_LEVEL)
# CPython's initial output buffer for decompress() and Decompress.flush().
DEF_BUF_SIZE = 16 * 1024
Z_NO_COMPRESSION = _lib.Z_NO_COMPRESSION
Z_BEST_SPEED = _lib.Z_BEST_SPEED
Z_BEST_COMPRESSION = _lib.Z_BEST_COMPRESSION
Z_DEFAULT_COMPRESSION = _lib.Z_DEFAULT_COMPRESSION
Z_FILTERED = _lib.Z_FILTERED
Z_HUFFMAN_ONLY = _lib.Z_HUFFMAN_ONLY
Z_RLE = _lib.Z_RLE
Z_FIXED = _lib.Z_FIXED
Z_DEFAULT_STRATEGY = _lib.Z_DEFAULT_STRATEGY
Z_NO_FLUSH = _lib.Z_NO_FLUSH
Z_PARTIAL_FLUSH = _lib.Z_PARTIAL_FLUSH
Z_SYNC_FLUSH = _lib.Z_SYNC_FLUSH
Z_FULL_FLUSH = _lib.Z_FULL_FLUSH
Z_FINISH = _lib.Z_FINISH
Z_BLOCK = _lib.Z_BLOCK
Z_TREES = _lib.Z_TREES


def _header_version():
    # zlib.h's ZLIB_VERSION string is a macro cffi cannot carry; its parts
    # are integer macros.
    version = "%d.%d.%d" % (_lib.ZLIB_VER_MAJOR, _lib.ZLIB_VER_MINOR,
                            _lib.ZLIB_VER_REVISION)
    if _lib.ZLIB_VER_SUBREVISION:
        version += ".%d" % _lib.ZLIB_VER_SUBREVISION
    return version


ZLIB_VERSION = _header_version()
ZLIB_RUNTIME_VERSION = _ffi.string(_lib.rz_zlibVersion()).decode("ascii")
__version__ = "1.0"  # what CPython's zlib reports


class error(Exception):
    """Raised on compression and decompression errors."""


error.__module__ = __name__

# The other return codes, which CPython's zlib does not export.
_Z_OK = _lib.Z_OK
_Z_STREAM_END = _lib.Z_STREAM_END
_Z_NEED_DICT = _lib.Z_NEED_DICT
_Z_STREAM_ERROR = _lib.Z_STREAM_ERROR
_Z_DATA_ERROR = _lib.Z_DATA_ERROR
_Z_MEM_ERROR = _lib.Z_MEM_ERROR
_Z_BUF_ERROR = _lib.Z_BUF_ERROR
_Z_VERSION_ERROR = _lib.Z_VERSION_ERROR

# What the *Init_ functions check against the library.
_VERSION_ARG = ZLIB_VERSION.encode("ascii")
_STREAM_SIZE = _ffi.sizeof("z_stream")
_UINT_MAX = 0xFFFFFFFF
_SSIZE_MAX = _sys.maxsize
_INT_MAX = 2**31 - 1
_INT_MIN = -(2**31)

# Output blocks: CPython's zlib (pycore_blocks_output_buffer.h) grows its
# output in blocks of these sizes. rzlib uses the same ones, so inflate and
# deflate see the same output space on every call and stop at the same
# points (which decides unconsumed_tail after a max_length stop).
_KB = 1024
_MB = 1024 * 1024
_BLOCK_SIZES = (32 * _KB, 64 * _KB, 256 * _KB, 1 * _MB, 4 * _MB, 8 * _MB,
                16 * _MB, 16 * _MB, 32 * _MB, 32 * _MB, 32 * _MB, 32 * _MB,
                64 * _MB, 64 * _MB, 128 * _MB, 128 * _MB, 256 * _MB)

# Output blocks are written by the library before they are read: no need
# to clear them.
_new_block = _ffi.new_allocator(should_clear_after_alloc=False)


def _c_int(value):
    """An argument that CPython converts to a C int."""
    if type(value) is int and _INT_MIN <= value <= _INT_MAX:
        return value  # the common case, without a call
    value = _operator.index(value)
    if not _INT_MIN <= value <= _INT_MAX:
        raise OverflowError("Python int too large to convert to C int")
    return value


def _ssize_t(value):
    """An argument that CPython converts to a Py_ssize_t."""
    value = _operator.index(value)
    if not -_SSIZE_MAX - 1 <= value <= _SSIZE_MAX:
        raise OverflowError("Python int too large to convert to C ssize_t")
    return value


def _input(data):
    """A view of a bytes-like object for the library to read."""
    try:
        return _from_buffer("unsigned char[]", data)
    except TypeError:
        if isinstance(data, str):
            # cffi's own message for str is about addresses; CPython's is
            # this one.
            raise TypeError("a bytes-like object is required, not 'str'") \
                from None
        raise


_from_buffer = _ffi.from_buffer


def _error(strm, err, what):
    """zlib.error for a failed call, worded as CPython's zlib words it."""
    if err == _Z_VERSION_ERROR:
        zmsg = "library version mismatch"
    elif strm.msg != _ffi.NULL:
        zmsg = _ffi.string(strm.msg).decode("utf-8", "replace")[:200]
    else:
        zmsg = {
            _Z_BUF_ERROR: "incomplete or truncated stream",
            _Z_STREAM_ERROR: "inconsistent stream state",
            _Z_DATA_ERROR: "invalid input data",
        }.get(err)
    if zmsg is None:
        return error("Error %d %s" % (err, what))
    return error("Error %d %s: %s" % (err, what, zmsg))


class _Output:
    """The output of one call, collected in blocks as CPython's zlib does.

    ``max_length`` (or -1) caps the total. A block may be larger than what
    zlib's unsigned avail_out can describe; it is then handed over in
    windows of at most UINT_MAX bytes.
    """

    __slots__ = ("strm", "full", "block", "block_size", "exposed",
                 "allocated", "max_length")

    def __init__(self, strm, first_size, max_length=-1):
        self.strm = strm
        self.full = []  # the blocks before the current one, all written
        self.allocated = 0
        self.max_length = max_length
        self._start_block(first_size)

    def _start_block(self, size):
        self.block = block = _new_block("unsigned char[]", size)
        self.block_size = size
        self.allocated += size
        if size <= _UINT_MAX:
            self.exposed = size
            strm = self.strm
            strm.next_out = block
            strm.avail_out = size
        else:
            self.exposed = 0
            self._expose_window()

    def _expose_window(self):
        exposed = self.exposed
        window = min(self.block_size - exposed, _UINT_MAX)
        self.strm.next_out = self.block + exposed
        self.strm.avail_out = window
        self.exposed = exposed + window

    def size(self):
        """The bytes written so far."""
        return (self.allocated - (self.block_size - self.exposed)
                - self.strm.avail_out)

    def grow(self):
        """More room, once the library has filled what it had."""
        if self.exposed < self.block_size:
            self._expose_window()
            return
        self.full.append(self.block)
        count = len(self.full)
        size = _BLOCK_SIZES[min(count, len(_BLOCK_SIZES) - 1)]
        if self.max_length >= 0:
            size = min(size, self.max_length - self.allocated)
        self._start_block(size)

    def finish(self):
        """The bytes written, as one bytes object."""
        used = self.exposed - self.strm.avail_out
        last = _ffi.buffer(self.block, used)
        if not self.full:
            return last[:]
        return b"".join([_ffi.buffer(block) for block in self.full] + [last])


def _first_block(max_length):
    """The first block of a call whose output is capped at max_length."""
    if 0 <= max_length < _BLOCK_SIZES[0]:
        return max_length
    return _BLOCK_SIZES[0]


def _new_stream():
    # zalloc, zfree and opaque are NULL: the library's own allocator.
    return _ffi.new("z_stream *")


def adler32(data, value=1, /):
    """Compute an Adler-32 checksum of data, starting from value."""
    buf = _input(data)
    if type(value) is not int:
        value = _operator.index(value)
    return _adler32_z(value & _UINT_MAX, buf, len(buf))


def crc32(data, value=0, /):
    """Compute a CRC-32 checksum of data, starting from value."""
    buf = _input(data)
    if type(value) is not int:
        value = _operator.index(value)
    return _crc32_z(value & _UINT_MAX, buf, len(buf))


# Looked up once: these are called for every piece of data.
_adler32_z = _lib.rz_adler32_z
_crc32_z = _lib.rz_crc32_z


def compress(data, /, level=Z_DEFAULT_COMPRESSION, wbits=MAX_WBITS):
    """Return a bytes object containing the compressed data."""
    src = _input(data)
    level = _c_int(level)
    wbits = _c_int(wbits)
    strm = _new_stream()
    out = _Output(strm, _first_block(-1))
    strm.next_in = src
    err = _lib.rz_deflateInit2_(strm, level, DEFLATED, wbits, DEF_MEM_LEVEL,
                                Z_DEFAULT_STRATEGY, _VERSION_ARG, _STREAM_SIZE)
    if err == _Z_MEM_ERROR:
        raise MemoryError("Out of memory while compressing data")
    if err == _Z_STREAM_ERROR:
        raise error("Bad compression level")
    if err != _Z_OK:
        _lib.rz_deflateEnd(strm)
        raise _error(strm, err, "while compressing data")
    try:
        remaining = len(src)
        while True:
            # avail_in is an unsigned int: hand the input over in slices.
            strm.avail_in = chunk = min(remaining, _UINT_MAX)
            remaining -= chunk
            flush = Z_FINISH if remaining == 0 else Z_NO_FLUSH
            while True:
                if strm.avail_out == 0:
                    out.grow()
                err = _lib.rz_deflate(strm, flush)
                if err == _Z_STREAM_ERROR:
                    raise _error(strm, err, "while compressing data")
                if strm.avail_out != 0:
                    break
            if flush == Z_FINISH:
                break
    except BaseException:
        _lib.rz_deflateEnd(strm)
        raise
    err = _lib.rz_deflateEnd(strm)
    if err != _Z_OK:
        raise _error(strm, err, "while finishing compression")
    return out.finish()


def decompress(data, /, wbits=MAX_WBITS, bufsize=DEF_BUF_SIZE):
    """Return a bytes object containing the uncompressed data."""
    src = _input(data)
    wbits = _c_int(wbits)
    bufsize = _ssize_t(bufsize)
    if bufsize < 0:
        raise ValueError("bufsize must be non-negative")
    if bufsize == 0:
        bufsize = 1
    strm = _new_stream()
    out = _Output(strm, bufsize)
    strm.next_in = src
    strm.avail_in = 0
    err = _lib.rz_inflateInit2_(strm, wbits, _VERSION_ARG, _STREAM_SIZE)
    if err == _Z_MEM_ERROR:
        raise MemoryError("Out of memory while decompressing data")
    if err != _Z_OK:
        _lib.rz_inflateEnd(strm)
        raise _error(strm, err, "while preparing to decompress data")
    try:
        remaining = len(src)
        while True:
            strm.avail_in = chunk = min(remaining, _UINT_MAX)
            remaining -= chunk
            flush = Z_FINISH if remaining == 0 else Z_NO_FLUSH
            while True:
                if strm.avail_out == 0:
                    out.grow()
                err = _lib.rz_inflate(strm, flush)
                if err == _Z_MEM_ERROR:
                    raise MemoryError("Out of memory while decompressing data")
                if err not in (_Z_OK, _Z_BUF_ERROR, _Z_STREAM_END):
                    raise _error(strm, err, "while decompressing data")
                if strm.avail_out != 0:
                    break
            if err == _Z_STREAM_END or remaining == 0:
                break
        if err != _Z_STREAM_END:
            raise _error(strm, err, "while decompressing data")
    except BaseException:
        _lib.rz_inflateEnd(strm)
        raise
    err = _lib.rz_inflateEnd(strm)
    if err != _Z_OK:
        raise _error(strm, err, "while finishing decompression")
    return out.finish()


def _no_instances(cls):
    raise TypeError("cannot create '%s.%s' instances"
                    % (cls.__module__, cls.__qualname__))


class _Stream:
    """What compression and decompression objects share: a z_stream that
    does not move (the library checks that its state points back to it),
    a lock (the library runs without the GIL), and the end call."""

    __slots__ = ("_strm", "_lock", "_initialised")

    def __new__(cls, *args, **kwargs):
        _no_instances(cls)

    @classmethod
    def _create(cls):
        self = object.__new__(cls)
        self._strm = _new_stream()
        self._lock = _threading.Lock()
        self._initialised = False
        return self

    def _end(self, strm):
        raise NotImplementedError

    def __del__(self):
        # Objects whose init failed or whose stream has ended hold nothing.
        if getattr(self, "_initialised", False):
            self._initialised = False
            try:
                self._end(self._strm)
            except Exception:  # at interpreter exit the library may be gone
                pass

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle '%s' object" % type(self).__qualname__)

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()


class Compress(_Stream):
    """A compression object, from compressobj()."""

    __slots__ = ()

    def _end(self, strm):
        return _lib.rz_deflateEnd(strm)

    def compress(self, data, /):
        """Return a bytes object with compressed data for some of the input;
        the rest stays in the object until flush()."""
        src = _input(data)
        strm = self._strm
        with self._lock:
            strm.next_in = src
            remaining = len(src)
            out = _Output(strm, _first_block(-1))
            while True:
                strm.avail_in = chunk = min(remaining, _UINT_MAX)
                remaining -= chunk
                while True:
                    if strm.avail_out == 0:
                        out.grow()
                    err = _lib.rz_deflate(strm, Z_NO_FLUSH)
                    if err == _Z_STREAM_ERROR:
                        raise _error(strm, err, "while compressing data")
                    if strm.avail_out != 0:
                        break
                if remaining == 0:
                    break
            return out.finish()

    def flush(self, mode=Z_FINISH, /):
        """Return the compressed data that is still pending. With Z_FINISH
        (the default) the stream ends and the object cannot be used again;
        Z_SYNC_FLUSH, Z_FULL_FLUSH and the other modes let it go on."""
        mode = _c_int(mode)
        # Z_NO_FLUSH would not make deflate write anything.
        if mode == Z_NO_FLUSH:
            return b""
        strm = self._strm
        with self._lock:
            strm.avail_in = 0
            out = _Output(strm, _first_block(-1))
            while True:
                if strm.avail_out == 0:
                    out.grow()
                err = _lib.rz_deflate(strm, mode)
                if err == _Z_STREAM_ERROR:
                    raise _error(strm, err, "while flushing")
                if strm.avail_out != 0:
                    break
            if err == _Z_STREAM_END and mode == Z_FINISH:
                err = _lib.rz_deflateEnd(strm)
                if err != _Z_OK:
                    raise _error(strm, err, "while finishing compression")
                self._initialised = False
            elif err not in (_Z_OK, _Z_BUF_ERROR):
                raise _error(strm, err, "while flushing")
            return out.finish()

    def copy(self):
        """Return a copy of the compression object."""
        other = Compress._create()
        with self._lock:
            err = _lib.rz_deflateCopy(other._strm, self._strm)
            if err == _Z_STREAM_ERROR:
                raise ValueError("Inconsistent stream state")
            if err == _Z_MEM_ERROR:
                raise MemoryError("Can't allocate memory for compression object")
            if err != _Z_OK:
                raise _error(self._strm, err, "while copying compression object")
            other._initialised = True
        return other


class Decompress(_Stream):
    """A decompression object, from decompressobj()."""

    __slots__ = ("_unused_data", "_unconsumed_tail", "_eof", "_zdict")

    def _end(self, strm):
        return _lib.rz_inflateEnd(strm)

    @property
    def unused_data(self):
        """Bytes past the end of the compressed stream."""
        return self._unused_data

    @property
    def unconsumed_tail(self):
        """Input that a max_length limit left unprocessed; pass it back to
        decompress()."""
        return self._unconsumed_tail

    @property
    def eof(self):
        """True once the end of the compressed stream has been reached."""
        return self._eof

    def _set_zdict(self):
        zdict = _input(self._zdict)
        if len(zdict) > _UINT_MAX:
            raise OverflowError("zdict length does not fit in an unsigned int")
        err = _lib.rz_inflateSetDictionary(self._strm, zdict, len(zdict))
        if err != _Z_OK:
            raise _error(self._strm, err, "while setting zdict")

    def _save_unconsumed_input(self, src, left, err):
        # left: the bytes of src from next_in on, read or not by inflate.
        strm = self._strm
        if err == _Z_STREAM_END and strm.avail_in > 0:
            self._unused_data += _ffi.buffer(src)[len(src) - left:]
            strm.avail_in = 0
        # Keeps what a max_length stop left unread, or clears an old tail
        # once everything was read. (As in CPython, this also runs after the
        # end of the stream when a tail was pending.)
        if strm.avail_in > 0 or self._unconsumed_tail:
            self._unconsumed_tail = _ffi.buffer(src)[len(src) - left:]

    def decompress(self, data, /, max_length=0):
        """Return the decompressed data for some of the input, at most
        max_length bytes if max_length is not 0; input left over by the
        limit goes to unconsumed_tail."""
        src = _input(data)
        max_length = _ssize_t(max_length)
        if max_length < 0:
            raise ValueError("max_length must be non-negative")
        if max_length == 0:
            max_length = -1
        strm = self._strm
        with self._lock:
            strm.next_in = src
            remaining = len(src)
            out = _Output(strm, _first_block(max_length), max_length)
            err = _Z_OK
            stop = False
            while not stop:
                strm.avail_in = chunk = min(remaining, _UINT_MAX)
                remaining -= chunk
                while True:
                    if strm.avail_out == 0:
                        if out.size() == max_length:
                            stop = True
                            break
                        out.grow()
                    err = _lib.rz_inflate(strm, Z_SYNC_FLUSH)
                    if err == _Z_NEED_DICT and self._zdict is not None:
                        self._set_zdict()
                    elif err not in (_Z_OK, _Z_BUF_ERROR, _Z_STREAM_END):
                        stop = True
                        break
                    if strm.avail_out != 0 and err != _Z_NEED_DICT:
                        break
                if err == _Z_STREAM_END or remaining == 0:
                    break
            self._save_unconsumed_input(src, remaining + strm.avail_in, err)
            if err == _Z_STREAM_END:
                # CPython ends the stream only in flush(); so does this.
                self._eof = True
            elif err not in (_Z_OK, _Z_BUF_ERROR):
                raise _error(strm, err, "while decompressing data")
            return out.finish()

    def flush(self, length=DEF_BUF_SIZE, /):
        """Return the remaining decompressed data (of unconsumed_tail too);
        length is the initial output buffer size."""
        length = _ssize_t(length)
        if length <= 0:
            raise ValueError("length must be greater than zero")
        strm = self._strm
        with self._lock:
            src = _input(self._unconsumed_tail)
            strm.next_in = src
            remaining = len(src)
            out = _Output(strm, length)
            stop = False
            while not stop:
                strm.avail_in = chunk = min(remaining, _UINT_MAX)
                remaining -= chunk
                flush = Z_FINISH if remaining == 0 else Z_NO_FLUSH
                while True:
                    if strm.avail_out == 0:
                        out.grow()
                    err = _lib.rz_inflate(strm, flush)
                    if err not in (_Z_OK, _Z_BUF_ERROR, _Z_STREAM_END):
                        # flush() reports no decompression error: it returns
                        # what was decompressed.
                        stop = True
                        break
                    if strm.avail_out != 0 and err != _Z_NEED_DICT:
                        break
                if err == _Z_STREAM_END or remaining == 0:
                    break
            self._save_unconsumed_input(src, remaining + strm.avail_in, err)
            if err == _Z_STREAM_END:
                self._eof = True
                self._initialised = False
                err = _lib.rz_inflateEnd(strm)
                if err != _Z_OK:
                    raise _error(strm, err, "while finishing decompression")
            return out.finish()

    def copy(self):
        """Return a copy of the decompression object."""
        other = Decompress._create()
        with self._lock:
            err = _lib.rz_inflateCopy(other._strm, self._strm)
            if err == _Z_STREAM_ERROR:
                raise ValueError("Inconsistent stream state")
            if err == _Z_MEM_ERROR:
                raise MemoryError(
                    "Can't allocate memory for decompression object")
            if err != _Z_OK:
                raise _error(self._strm, err,
                             "while copying decompression object")
            other._unused_data = self._unused_data
            other._unconsumed_tail = self._unconsumed_tail
            other._zdict = self._zdict
            other._eof = self._eof
            other._initialised = True
        return other


def compressobj(level=Z_DEFAULT_COMPRESSION, method=DEFLATED, wbits=MAX_WBITS,
                memLevel=DEF_MEM_LEVEL, strategy=Z_DEFAULT_STRATEGY,
                zdict=None):
    """Return a compression object.

    level: 0-9 or -1; method: DEFLATED; wbits: 9 to 15 (zlib container),
    -9 to -15 (raw deflate) or 25 to 31 (gzip container); memLevel: 1-9;
    strategy: Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE or
    Z_FIXED; zdict: a preset dictionary.
    """
    level = _c_int(level)
    method = _c_int(method)
    wbits = _c_int(wbits)
    memLevel = _c_int(memLevel)
    strategy = _c_int(strategy)
    if zdict is not None:
        zdict = _input(zdict)
        if len(zdict) > _UINT_MAX:
            raise OverflowError("zdict length does not fit in an unsigned int")
    self = Compress._create()
    strm = self._strm
    err = _lib.rz_deflateInit2_(strm, level, method, wbits, memLevel,
                                strategy, _VERSION_ARG, _STREAM_SIZE)
    if err == _Z_OK:
        self._initialised = True
        if zdict is not None:
            err = _lib.rz_deflateSetDictionary(strm, zdict, len(zdict))
            if err == _Z_STREAM_ERROR:
                raise ValueError("Invalid dictionary")
            if err != _Z_OK:
                raise ValueError("deflateSetDictionary()")
        return self
    if err == _Z_MEM_ERROR:
        raise MemoryError("Can't allocate memory for compression object")
    if err == _Z_STREAM_ERROR:
        raise ValueError("Invalid initialization option")
    raise _error(strm, err, "while creating compression object")


_NO_ZDICT = object()


def _check_zdict(zdict):
    if zdict is _NO_ZDICT:
        return None
    try:
        memoryview(zdict)
    except TypeError:
        raise TypeError("zdict argument must support the buffer protocol") \
            from None
    return zdict


def decompressobj(wbits=MAX_WBITS, zdict=_NO_ZDICT):
    """Return a decompression object.

    wbits: as for decompress(); zdict: the preset dictionary the data was
    compressed with.
    """
    wbits = _c_int(wbits)
    zdict = _check_zdict(zdict)
    self = Decompress._create()
    self._unused_data = b""
    self._unconsumed_tail = b""
    self._eof = False
    self._zdict = zdict
    err = _lib.rz_inflateInit2_(self._strm, wbits, _VERSION_ARG, _STREAM_SIZE)
    if err == _Z_OK:
        self._initialised = True
        # A raw stream has no header to ask for the dictionary: set it now.
        if zdict is not None and wbits < 0:
            self._set_zdict()
        return self
    if err == _Z_STREAM_ERROR:
        raise ValueError("Invalid initialization option")
    if err == _Z_MEM_ERROR:
        raise MemoryError("Can't allocate memory for decompression object")
    raise _error(self._strm, err, "while creating decompression object")


class _ZlibDecompressor:
    """Incremental decompression with the interface of bz2's and lzma's
    decompressors; the standard library's gzip module uses it from Python
    3.12 on.

    decompress(data, max_length=-1) returns at most max_length bytes (all of
    them if max_length is negative); needs_input says whether it wants more
    data; unused_data holds what follows the end of the stream.
    """

    __slots__ = ("_strm", "_lock", "_initialised", "_zdict", "_pending",
                 "eof", "needs_input", "unused_data")

    def __init__(self, wbits=MAX_WBITS, zdict=_NO_ZDICT):
        wbits = _c_int(wbits)
        self._zdict = None if zdict is _NO_ZDICT else zdict
        self._strm = _new_stream()
        self._lock = _threading.Lock()
        self._initialised = False
        self._pending = b""
        self.eof = False
        self.needs_input = True
        self.unused_data = b""
        err = _lib.rz_inflateInit2_(self._strm, wbits, _VERSION_ARG,
                                    _STREAM_SIZE)
        if err == _Z_OK:
            self._initialised = True
            if self._zdict is not None and wbits < 0:
                Decompress._set_zdict(self)
            return
        if err == _Z_STREAM_ERROR:
            raise ValueError("Invalid initialization option")
        if err == _Z_MEM_ERROR:
            raise MemoryError("Can't allocate memory for decompression object")
        raise _error(self._strm, err, "while creating decompression object")

    def __del__(self):
        if getattr(self, "_initialised", False):
            self._initialised = False
            _lib.rz_inflateEnd(self._strm)

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle '_ZlibDecompressor' object")

    def decompress(self, data, max_length=-1):
        """Decompress data, returning at most max_length bytes if
        max_length is not negative."""
        src = _input(data)
        max_length = _ssize_t(max_length)
        with self._lock:
            if self.eof:
                raise EOFError("End of stream already reached")
            # Input a previous call left unread comes first.
            if self._pending:
                src = _input(self._pending + _ffi.buffer(src)[:])
            return self._decompress(src, max_length)

    def _decompress(self, src, max_length):
        strm = self._strm
        strm.next_in = src
        remaining = len(src)
        # With no limit, start small and grow; with one, the caller is most
        # likely reading a file in blocks of that size. Unlike the other
        # calls, CPython's _ZlibDecompressor grows one buffer by doubling;
        # so does this, so that inflate gets the same output space.
        if max_length < 0 or max_length == _SSIZE_MAX:
            limit = _SSIZE_MAX
            length = DEF_BUF_SIZE
        else:
            limit = max_length
            length = min(max_length, 16 * _MB)
        buf = None
        end = 0  # where the output space handed to inflate ends
        err = _Z_OK
        full = False
        while not full:
            strm.avail_in = chunk = min(remaining, _UINT_MAX)
            remaining -= chunk
            while True:
                # Room for inflate, before every call.
                if buf is None:
                    buf = _new_block("unsigned char[]", length)
                    occupied = 0
                else:
                    occupied = end - strm.avail_out
                    if occupied == length:
                        if length == limit:
                            full = True
                            break
                        grown = (length << 1 if length <= limit >> 1
                                 else limit)
                        bigger = _new_block("unsigned char[]", grown)
                        _ffi.memmove(bigger, buf, occupied)
                        buf, length = bigger, grown
                window = min(length - occupied, _UINT_MAX)
                strm.next_out = buf + occupied
                strm.avail_out = window
                end = occupied + window
                err = _lib.rz_inflate(strm, Z_SYNC_FLUSH)
                if err == _Z_NEED_DICT and self._zdict is not None:
                    Decompress._set_zdict(self)
                    continue
                if err not in (_Z_OK, _Z_BUF_ERROR, _Z_STREAM_END):
                    self._pending = b""
                    raise _error(strm, err, "while decompressing data")
                if strm.avail_out != 0:
                    break
            if err == _Z_STREAM_END or remaining == 0:
                break
        output = _ffi.buffer(buf, end - strm.avail_out)[:]
        left = remaining + strm.avail_in
        rest = _ffi.buffer(src)[len(src) - left:] if left else b""
        if err == _Z_STREAM_END:
            self.eof = True
            self._initialised = False
            err = _lib.rz_inflateEnd(strm)
            if err != _Z_OK:
                raise _error(strm, err, "while finishing decompression")
            self.needs_input = False
            if rest:
                self.unused_data = rest
            self._pending = b""
        else:
            self.needs_input = not rest
            self._pending = rest
        return output


def __getattr__(name):
    # rzlib.gzip without an explicit import, loaded on first use (importing
    # it here would load the gzip machinery into every zlib user).
    if name == "gzip":
        import importlib
        return importlib.import_module(__name__ + ".gzip")
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
