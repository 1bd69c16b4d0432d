//! The one-shot compression exports: `compress`, `compress2`,
//! `compressBound`, and zlib 1.3.2's `z_size_t` forms of each
//! (`compress_z`, `compress2_z`, `compressBound_z`).

use super::alloc::Allocator;
use super::buffers;
use super::catch_panic;
use super::constants::Z_STREAM_ERROR;
use super::types::{uLong, uLongf, z_size_t, Bytef};
use core::ffi::c_int;

/// Compresses `source[0..sourceLen]` into `dest[0..*destLen]` as one zlib
/// stream at `level`; `*destLen` becomes the compressed size.
///
/// # Returns
/// `Z_OK`, `Z_BUF_ERROR` if `dest` is too small, `Z_STREAM_ERROR` for a bad
/// level or NULL pointers, `Z_MEM_ERROR`.
///
/// # Safety
/// `destLen` is NULL or points to a valid value; `dest` is writable for
/// `*destLen` bytes and `source` readable for `sourceLen` bytes.
#[export_name = symbol!("compress2_z")]
pub unsafe extern "C" fn compress2_z(
    dest: *mut Bytef,
    destLen: *mut z_size_t,
    source: *const Bytef,
    sourceLen: z_size_t,
    level: c_int,
) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: NULL is checked; otherwise valid per the contract.
        let Some(dest_len) = (unsafe { destLen.as_mut() }) else {
            return Z_STREAM_ERROR;
        };
        if (dest.is_null() && *dest_len != 0) || (source.is_null() && sourceLen != 0) {
            return Z_STREAM_ERROR;
        }
        if dest.is_null() {
            // zlib gets this far, then deflate refuses a NULL next_out.
            return Z_STREAM_ERROR;
        }
        // SAFETY: the caller guarantees both buffers for their lengths;
        // `dest` may be uninitialised, so it is a writer, never a slice.
        let (mut dest, source) = unsafe {
            (
                buffers::output(dest, *dest_len),
                buffers::input(source, sourceLen),
            )
        };
        // zlib's compress2 runs deflate with the default allocator.
        let result = crate::deflate::compress(&mut dest, source, level, Allocator::default_pair());
        *dest_len = result.written;
        result.code
    })
}

/// `compress2_z` with `uLong` lengths.
///
/// # Returns
/// As `compress2_z`.
///
/// # Safety
/// As `compress2_z`.
#[export_name = symbol!("compress2")]
pub unsafe extern "C" fn compress2(
    dest: *mut Bytef,
    destLen: *mut uLongf,
    source: *const Bytef,
    sourceLen: uLong,
    level: c_int,
) -> c_int {
    // uLong and z_size_t are the same width on the targets rzlib supports,
    // so a uLong* is a z_size_t*.
    // SAFETY: forwarded under the same contract.
    unsafe {
        compress2_z(
            dest,
            destLen.cast::<z_size_t>(),
            source,
            sourceLen as z_size_t,
            level,
        )
    }
}

/// `compress2_z` at `Z_DEFAULT_COMPRESSION`.
///
/// # Returns
/// As `compress2_z`.
///
/// # Safety
/// As `compress2_z`.
#[export_name = symbol!("compress_z")]
pub unsafe extern "C" fn compress_z(
    dest: *mut Bytef,
    destLen: *mut z_size_t,
    source: *const Bytef,
    sourceLen: z_size_t,
) -> c_int {
    // SAFETY: forwarded under the same contract.
    unsafe { compress2_z(dest, destLen, source, sourceLen, -1) }
}

/// `compress2` at `Z_DEFAULT_COMPRESSION`.
///
/// # Returns
/// As `compress2`.
///
/// # Safety
/// As `compress2`.
#[export_name = symbol!("compress")]
pub unsafe extern "C" fn compress(
    dest: *mut Bytef,
    destLen: *mut uLongf,
    source: *const Bytef,
    sourceLen: uLong,
) -> c_int {
    // SAFETY: forwarded under the same contract.
    unsafe { compress2(dest, destLen, source, sourceLen, -1) }
}

/// zlib's bound on `compress`'s output for `sourceLen` bytes.
///
/// # Returns
/// The bound, or the largest `z_size_t` if it does not fit.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("compressBound_z")]
pub unsafe extern "C" fn compressBound_z(sourceLen: z_size_t) -> z_size_t {
    sourceLen
        .checked_add((sourceLen >> 12) + (sourceLen >> 14) + (sourceLen >> 25) + 13)
        .unwrap_or(z_size_t::MAX)
}

/// `compressBound_z` with a `uLong` length.
///
/// # Returns
/// The bound, or the largest `uLong` if it does not fit.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("compressBound")]
pub unsafe extern "C" fn compressBound(sourceLen: uLong) -> uLong {
    // SAFETY: always safe.
    let bound = unsafe { compressBound_z(sourceLen as z_size_t) };
    uLong::try_from(bound).unwrap_or(uLong::MAX)
}

// The forwarding above relies on these being one type in C.
const _: () = assert!(core::mem::size_of::<uLong>() == core::mem::size_of::<z_size_t>());
