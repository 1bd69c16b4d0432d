//! zlib's public constants, as `#define`s in `zlib.h`.

use core::ffi::c_int;

/// Flush value: no flush.
pub const Z_NO_FLUSH: c_int = 0;
/// Flush value: partial flush (deprecated, like `Z_SYNC_FLUSH`).
pub const Z_PARTIAL_FLUSH: c_int = 1;
/// Flush value: flush to a byte boundary.
pub const Z_SYNC_FLUSH: c_int = 2;
/// Flush value: flush and reset the compression state.
pub const Z_FULL_FLUSH: c_int = 3;
/// Flush value: finish the stream.
pub const Z_FINISH: c_int = 4;
/// Flush value: stop at the next deflate block boundary.
pub const Z_BLOCK: c_int = 5;
/// Flush value: like `Z_BLOCK`, and also stop after a block header.
pub const Z_TREES: c_int = 6;

/// Return code: success.
pub const Z_OK: c_int = 0;
/// Return code: the end of the stream was reached.
pub const Z_STREAM_END: c_int = 1;
/// Return code: a preset dictionary is needed.
pub const Z_NEED_DICT: c_int = 2;
/// Return code: a file operation failed (see `errno`).
pub const Z_ERRNO: c_int = -1;
/// Return code: bad arguments or inconsistent stream state.
pub const Z_STREAM_ERROR: c_int = -2;
/// Return code: corrupt or invalid input data.
pub const Z_DATA_ERROR: c_int = -3;
/// Return code: out of memory.
pub const Z_MEM_ERROR: c_int = -4;
/// Return code: no progress was possible.
pub const Z_BUF_ERROR: c_int = -5;
/// Return code: the header's zlib version does not match the library's.
pub const Z_VERSION_ERROR: c_int = -6;

/// Compression level: store only.
pub const Z_NO_COMPRESSION: c_int = 0;
/// Compression level: fastest.
pub const Z_BEST_SPEED: c_int = 1;
/// Compression level: smallest output.
pub const Z_BEST_COMPRESSION: c_int = 9;
/// Compression level: the default (6).
pub const Z_DEFAULT_COMPRESSION: c_int = -1;

/// Strategy: data produced by a filter or predictor.
pub const Z_FILTERED: c_int = 1;
/// Strategy: Huffman coding only, no string matching.
pub const Z_HUFFMAN_ONLY: c_int = 2;
/// Strategy: match distance one only (run-length encoding).
pub const Z_RLE: c_int = 3;
/// Strategy: no dynamic Huffman codes.
pub const Z_FIXED: c_int = 4;
/// Strategy: the default.
pub const Z_DEFAULT_STRATEGY: c_int = 0;

/// `data_type`: binary data.
pub const Z_BINARY: c_int = 0;
/// `data_type`: text data.
pub const Z_TEXT: c_int = 1;
/// `data_type`: text data (the old name, kept for compatibility).
pub const Z_ASCII: c_int = Z_TEXT;
/// `data_type`: unknown.
pub const Z_UNKNOWN: c_int = 2;

/// The deflate compression method (the only one supported).
pub const Z_DEFLATED: c_int = 8;

/// The null pointer, for initialising `zalloc`, `zfree` and `opaque`.
pub const Z_NULL: c_int = 0;
