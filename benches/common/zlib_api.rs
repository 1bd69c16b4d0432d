//! The original zlib's functions (libz-sys) declared with rzlib's z_stream,
//! the deflate entry points of both implementations, and one whole-buffer
//! compression as compress2 does it; shared by the benches.
#![allow(dead_code)]

use std::mem::MaybeUninit;

use rzlib::c_api::constants::{Z_DEFAULT_STRATEGY, Z_DEFLATED, Z_FINISH, Z_OK, Z_STREAM_END};
use rzlib::c_api::stream::z_stream;
use rzlib::c_api::types::{uLong, uLongf};

/// The original zlib, as libz-sys links it, declared with rzlib's z_stream
/// (the same C layout) so that both sides share one stream type.
pub mod original {
    use super::*;
    use core::ffi::{c_char, c_int};
    use libz_sys as _;

    // z_stream's state pointer targets an opaque type, which is fine here.
    #[allow(improper_ctypes)]
    extern "C" {
        pub fn deflateInit2_(
            strm: *mut z_stream,
            level: c_int,
            method: c_int,
            window_bits: c_int,
            mem_level: c_int,
            strategy: c_int,
            version: *const c_char,
            stream_size: c_int,
        ) -> c_int;
        pub fn deflate(strm: *mut z_stream, flush: c_int) -> c_int;
        pub fn deflateEnd(strm: *mut z_stream) -> c_int;
        pub fn inflateInit_(
            strm: *mut z_stream,
            version: *const c_char,
            stream_size: c_int,
        ) -> c_int;
        pub fn inflate(strm: *mut z_stream, flush: c_int) -> c_int;
        pub fn inflateEnd(strm: *mut z_stream) -> c_int;
        pub fn compressBound(source_len: uLong) -> uLong;
        pub fn compress2(
            dest: *mut u8,
            dest_len: *mut uLongf,
            source: *const u8,
            source_len: uLong,
            level: c_int,
        ) -> c_int;
    }
}

pub type Init = unsafe extern "C" fn(
    *mut z_stream,
    i32,
    i32,
    i32,
    i32,
    i32,
    *const core::ffi::c_char,
    i32,
) -> i32;

/// The entry points one implementation exports.
pub struct Deflate {
    pub init: Init,
    pub deflate: unsafe extern "C" fn(*mut z_stream, i32) -> i32,
    pub end: unsafe extern "C" fn(*mut z_stream) -> i32,
    /// Runs on the stream right after init (rzlib's profile choice).
    pub after_init: Option<unsafe fn(*mut z_stream) -> i32>,
}

pub const ZLIB: Deflate = Deflate {
    init: original::deflateInit2_,
    deflate: original::deflate,
    end: original::deflateEnd,
    after_init: None,
};
pub const RZLIB: Deflate = Deflate {
    init: rzlib::c_api::deflate::deflateInit2_,
    deflate: rzlib::c_api::deflate::deflate,
    end: rzlib::c_api::deflate::deflateEnd,
    after_init: None,
};
/// rzlib in its fast profile (other bytes than zlib's).
pub const RZLIB_FAST: Deflate = Deflate {
    after_init: Some(set_fast_profile),
    ..RZLIB
};

/// Chooses rzlib's fast profile for a stream just initialised.
///
/// # Safety
/// `strm` is a stream rzlib's deflateInit2_ initialised.
unsafe fn set_fast_profile(strm: *mut z_stream) -> i32 {
    // SAFETY: per the caller's contract.
    unsafe { rzlib::c_api::deflate::rz_deflateSetProfile(strm, rzlib::deflate::RZ_PROFILE_FAST) }
}

/// One whole-buffer deflate at `level`, as compress2 makes it; returns the
/// compressed size.
pub fn run(imp: &Deflate, level: i32, input: &[u8], output: &mut [u8]) -> usize {
    // SAFETY: a zeroed z_stream is the documented initial state (Z_NULL
    // allocators); the buffers outlive the stream, which is ended before
    // returning.
    unsafe {
        let mut s = MaybeUninit::<z_stream>::zeroed().assume_init();
        let size = std::mem::size_of::<z_stream>() as i32;
        let ret = (imp.init)(
            &mut s,
            level,
            Z_DEFLATED,
            15,
            8,
            Z_DEFAULT_STRATEGY,
            rzlib::ZLIB_VERSION_C.as_ptr(),
            size,
        );
        assert_eq!(ret, Z_OK);
        if let Some(after_init) = imp.after_init {
            assert_eq!(after_init(&mut s), Z_OK);
        }
        s.next_in = input.as_ptr() as *mut u8;
        s.avail_in = input.len() as u32;
        s.next_out = output.as_mut_ptr();
        s.avail_out = output.len() as u32;
        assert_eq!((imp.deflate)(&mut s, Z_FINISH), Z_STREAM_END);
        (imp.end)(&mut s);
        s.total_out as usize
    }
}
