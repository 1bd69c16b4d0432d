"""The standard library's ``gzip`` module, compressing through rzlib.

``open``, ``GzipFile``, ``compress`` and ``decompress`` behave as the
running interpreter's ``gzip`` does, byte for byte and error for error,
because they *are* its code: this module runs the standard library's
``gzip`` source in a namespace of its own whose ``zlib`` is rzlib. Every
checksum, compression and decompression the gzip logic performs goes
through rzlib; the header and trailer handling, buffering and error
reporting are the interpreter's own, so they follow its version (for
example the ``_ZlibDecompressor`` reader of Python 3.12 and later).

``BadGzipFile`` is the standard library's own class, so ``except
gzip.BadGzipFile`` catches rzlib's errors too. ``GzipFile`` is a class of
this module, not a subclass of ``gzip.GzipFile``.
"""

import gzip as _std_gzip
import importlib.util as _importlib_util

import rzlib as _rzlib


def _load_gzip():
    """Runs the standard library's gzip source with rzlib as its zlib and
    returns the namespace it defined."""
    spec = _importlib_util.find_spec("gzip")
    code = spec.loader.get_code("gzip") if spec and spec.loader else None
    if code is None:
        raise ImportError("rzlib.gzip needs the standard library's gzip "
                          "source, which this interpreter does not provide")
    # __name__ is not "__main__" even under `python -m rzlib.gzip`, so the
    # source's command-line entry point does not run before zlib is swapped.
    namespace = {"__name__": __name__.replace("__main__", "rzlib.gzip"),
                 "__file__": spec.origin, "__doc__": None}
    exec(code, namespace)
    # The gzip code looks zlib up at call time: from here on every call it
    # makes goes to rzlib.
    namespace["zlib"] = _rzlib
    namespace["BadGzipFile"] = _std_gzip.BadGzipFile
    return namespace


_gzip = _load_gzip()

open = _gzip["open"]
GzipFile = _gzip["GzipFile"]
compress = _gzip["compress"]
decompress = _gzip["decompress"]
BadGzipFile = _gzip["BadGzipFile"]
READ = _gzip["READ"]
WRITE = _gzip["WRITE"]

__all__ = ["BadGzipFile", "GzipFile", "open", "compress", "decompress"]

if __name__ == "__main__":
    _gzip["main"]()
