//! The one-shot compression exports: `compress`, `compress2`,
//! `compressBound`.

use core::ffi::c_int;
use core::slice;

use super::alloc::Allocator;
use super::catch_panic;
use super::constants::Z_STREAM_ERROR;
use super::types::{uLong, uLongf, Bytef};

/// Compresses `source[0..sourceLen]` into `dest[0..*destLen]` as one zlib
/// stream at `level`; `*destLen` becomes the compressed size.
///
/// # Returns
/// `Z_OK`, `Z_BUF_ERROR` if `dest` is too small, `Z_STREAM_ERROR` for a bad
/// level or NULL pointers, `Z_MEM_ERROR`.
///
/// # Safety
/// `destLen` points to a valid value; `dest` is writable for `*destLen`
/// bytes and `source` readable for `sourceLen` bytes.
#[export_name = symbol!("compress2")]
pub unsafe extern "C" fn compress2(
    dest: *mut Bytef,
    destLen: *mut uLongf,
    source: *const Bytef,
    sourceLen: uLong,
    level: c_int,
) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: NULL is checked; otherwise valid per the contract.
        let Some(dest_len) = (unsafe { destLen.as_mut() }) else {
            return Z_STREAM_ERROR;
        };
        let (Ok(dest_size), Ok(source_size)) =
            (usize::try_from(*dest_len), usize::try_from(sourceLen))
        else {
            return Z_STREAM_ERROR;
        };
        if (dest.is_null() && dest_size != 0) || (source.is_null() && source_size != 0) {
            return Z_STREAM_ERROR;
        }
        // SAFETY: the caller guarantees both buffers for their lengths.
        let (dest, source): (&mut [u8], &[u8]) = unsafe {
            (
                if dest_size == 0 {
                    &mut []
                } else {
                    slice::from_raw_parts_mut(dest, dest_size)
                },
                if source_size == 0 {
                    &[]
                } else {
                    slice::from_raw_parts(source, source_size)
                },
            )
        };
        // zlib's compress2 runs deflate with the default allocator.
        let result = crate::deflate::compress(dest, source, level, Allocator::default_pair());
        *dest_len = result.written as uLongf;
        result.code
    })
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
/// The bound, saturated at the largest `uLong`.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("compressBound")]
pub unsafe extern "C" fn compressBound(sourceLen: uLong) -> uLong {
    sourceLen
        .saturating_add(sourceLen >> 12)
        .saturating_add(sourceLen >> 14)
        .saturating_add(sourceLen >> 25)
        .saturating_add(13)
}
