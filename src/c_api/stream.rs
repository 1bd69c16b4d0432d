//! The `#[repr(C)]` mirrors of zlib's public structures, `z_stream` and
//! `gz_header`, with their layout pinned at compile time to zlib's LP64 ABI.
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_uchar, c_uint};
use core::mem::{offset_of, size_of};

use super::types::{uInt, uLong, voidpf, Bytef};

/// The allocation callback: `items * size` bytes, or `Z_NULL` on failure.
pub type alloc_func =
    Option<unsafe extern "C" fn(opaque: voidpf, items: uInt, size: uInt) -> voidpf>;
/// The deallocation callback for memory that `alloc_func` returned.
pub type free_func = Option<unsafe extern "C" fn(opaque: voidpf, address: voidpf)>;

/// The state behind `z_stream.state`; its contents are private to the
/// implementation that created it. Opaque to C.
pub struct internal_state {
    _private: [u8; 0],
}

/// A compression or decompression stream, shared between the caller and the
/// library. The caller owns the buffers; the library owns `state`.
#[repr(C)]
pub struct z_stream_s {
    /// Next input byte.
    pub next_in: *mut Bytef,
    /// Number of bytes available at `next_in`.
    pub avail_in: uInt,
    /// Total number of input bytes read so far.
    pub total_in: uLong,
    /// Next output byte will go here.
    pub next_out: *mut Bytef,
    /// Remaining free space at `next_out`.
    pub avail_out: uInt,
    /// Total number of bytes output so far.
    pub total_out: uLong,
    /// Last error message, `NULL` if no error.
    pub msg: *mut c_char,
    /// Not visible by applications.
    pub state: *mut internal_state,
    /// Used to allocate the internal state.
    pub zalloc: alloc_func,
    /// Used to free the internal state.
    pub zfree: free_func,
    /// Private data object passed to `zalloc` and `zfree`.
    pub opaque: voidpf,
    /// Best guess about the data type: binary or text for deflate, or the
    /// decoding state for inflate.
    pub data_type: c_int,
    /// Adler-32 or CRC-32 value of the uncompressed data.
    pub adler: uLong,
    /// Reserved for future use.
    pub reserved: uLong,
}

/// `z_stream`, as C code names it.
pub type z_stream = z_stream_s;
/// A pointer to a `z_stream`.
pub type z_streamp = *mut z_stream;

/// gzip header information passed to and from zlib routines. See RFC 1952
/// for the meaning of these fields.
#[repr(C)]
pub struct gz_header_s {
    /// True if compressed data is believed to be text.
    pub text: c_int,
    /// Modification time.
    pub time: uLong,
    /// Extra flags (not used when writing a gzip file).
    pub xflags: c_int,
    /// Operating system.
    pub os: c_int,
    /// Pointer to extra field or `Z_NULL` if none.
    pub extra: *mut Bytef,
    /// Extra field length (valid if `extra != Z_NULL`).
    pub extra_len: uInt,
    /// Space at `extra` (only when reading header).
    pub extra_max: uInt,
    /// Pointer to zero-terminated file name or `Z_NULL`.
    pub name: *mut Bytef,
    /// Space at `name` (only when reading header).
    pub name_max: uInt,
    /// Pointer to zero-terminated comment or `Z_NULL`.
    pub comment: *mut Bytef,
    /// Space at `comment` (only when reading header).
    pub comm_max: uInt,
    /// True if there was or will be a header crc.
    pub hcrc: c_int,
    /// True when done reading gzip header (not used when writing a gzip file).
    pub done: c_int,
}

/// `gz_header`, as C code names it.
pub type gz_header = gz_header_s;
/// A pointer to a `gz_header`.
pub type gz_headerp = *mut gz_header;

/// The input callback of `inflateBack`: sets `*buf` to the next input and
/// returns its length, or 0 at the end of input or on error.
pub type in_func =
    Option<unsafe extern "C" fn(desc: *mut core::ffi::c_void, buf: *mut *mut c_uchar) -> c_uint>;
/// The output callback of `inflateBack`: writes `len` bytes from `buf`,
/// returning 0 on success and non-zero on error.
pub type out_func = Option<
    unsafe extern "C" fn(desc: *mut core::ffi::c_void, buf: *mut c_uchar, len: c_uint) -> c_int,
>;

// zlib's LP64 layout, which every C caller was compiled against.
#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(size_of::<z_stream>() == 112);
    assert!(offset_of!(z_stream, next_in) == 0);
    assert!(offset_of!(z_stream, avail_in) == 8);
    assert!(offset_of!(z_stream, total_in) == 16);
    assert!(offset_of!(z_stream, next_out) == 24);
    assert!(offset_of!(z_stream, avail_out) == 32);
    assert!(offset_of!(z_stream, total_out) == 40);
    assert!(offset_of!(z_stream, msg) == 48);
    assert!(offset_of!(z_stream, state) == 56);
    assert!(offset_of!(z_stream, zalloc) == 64);
    assert!(offset_of!(z_stream, zfree) == 72);
    assert!(offset_of!(z_stream, opaque) == 80);
    assert!(offset_of!(z_stream, data_type) == 88);
    assert!(offset_of!(z_stream, adler) == 96);
    assert!(offset_of!(z_stream, reserved) == 104);
    assert!(size_of::<gz_header>() == 80);
    assert!(offset_of!(gz_header, extra) == 24);
    assert!(offset_of!(gz_header, name) == 40);
    assert!(offset_of!(gz_header, comment) == 56);
    assert!(offset_of!(gz_header, hcrc) == 68);
    assert!(offset_of!(gz_header, done) == 72);
};
