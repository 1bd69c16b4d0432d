//! The one-shot decompression exports: `uncompress`, `uncompress2`, and
//! zlib 1.3.2's `z_size_t` forms (`uncompress_z`, `uncompress2_z`).

use core::ffi::c_int;

use super::alloc::Allocator;
use super::buffers;
use super::catch_panic;
use super::constants::Z_STREAM_ERROR;
use super::types::{uLong, uLongf, z_size_t, Bytef};
use crate::writer::Writer;

/// The destination as a writer (it may be uninitialised) and the source,
/// or `None` for a NULL buffer with a length.
///
/// # Safety
/// A non-NULL `dest` is writable for `dest_len` bytes and `source` readable
/// for `source_len` bytes, for `'a`.
unsafe fn views<'a>(
    dest: *mut Bytef,
    dest_len: usize,
    source: *const Bytef,
    source_len: usize,
) -> Option<(Writer<'a>, &'a [u8])> {
    if (dest.is_null() && dest_len != 0) || (source.is_null() && source_len != 0) {
        return None;
    }
    // SAFETY: per the caller's contract; empty buffers need no memory.
    unsafe {
        Some((
            buffers::output(dest, dest_len),
            buffers::input(source, source_len),
        ))
    }
}

/// Decompresses the zlib stream `source[0..*sourceLen]` into
/// `dest[0..*destLen]` in one call, as zlib 1.3.2's `uncompress2_z`.
/// On return `*destLen` is the number of bytes written and `*sourceLen` the
/// number of bytes read.
///
/// # Returns
/// `Z_OK`, `Z_BUF_ERROR` (dest too small), `Z_MEM_ERROR`, `Z_DATA_ERROR`
/// (corrupt or incomplete input, or a dictionary needed), `Z_STREAM_ERROR`
/// for NULL length pointers or a NULL buffer with a non-zero length.
///
/// # Safety
/// `destLen` and `sourceLen` are NULL or point to valid values; `dest` is
/// writable for `*destLen` bytes and `source` readable for `*sourceLen`
/// bytes.
#[export_name = symbol!("uncompress2_z")]
pub unsafe extern "C" fn uncompress2_z(
    dest: *mut Bytef,
    destLen: *mut z_size_t,
    source: *const Bytef,
    sourceLen: *mut z_size_t,
) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: NULL is checked; otherwise the caller guarantees validity.
        let (Some(dest_len), Some(source_len)) =
            (unsafe { destLen.as_mut() }, unsafe { sourceLen.as_mut() })
        else {
            return Z_STREAM_ERROR;
        };
        // SAFETY: the caller guarantees the buffers for these lengths.
        let Some((dest, source)) = (unsafe { views(dest, *dest_len, source, *source_len) }) else {
            return Z_STREAM_ERROR;
        };
        let result = crate::inflate::uncompress(dest, source, Allocator::default_pair());
        *source_len = result.read;
        *dest_len = result.written;
        result.code as c_int
    })
}

/// `uncompress2_z` with `uLong` lengths.
///
/// # Returns
/// As `uncompress2_z`.
///
/// # Safety
/// As `uncompress2_z`.
#[export_name = symbol!("uncompress2")]
pub unsafe extern "C" fn uncompress2(
    dest: *mut Bytef,
    destLen: *mut uLongf,
    source: *const Bytef,
    sourceLen: *mut uLong,
) -> c_int {
    // uLong and z_size_t are the same width on the targets rzlib supports
    // (compress.rs asserts it), so a uLong* is a z_size_t*.
    // SAFETY: forwarded under the same contract.
    unsafe {
        uncompress2_z(
            dest,
            destLen.cast::<z_size_t>(),
            source,
            sourceLen.cast::<z_size_t>(),
        )
    }
}

/// Decompresses the zlib stream `source[0..sourceLen]` into
/// `dest[0..*destLen]`; `*destLen` becomes the number of bytes written.
///
/// # Returns
/// As `uncompress2_z`.
///
/// # Safety
/// `destLen` is NULL or points to a valid value; `dest` is writable for
/// `*destLen` bytes and `source` readable for `sourceLen` bytes.
#[export_name = symbol!("uncompress_z")]
pub unsafe extern "C" fn uncompress_z(
    dest: *mut Bytef,
    destLen: *mut z_size_t,
    source: *const Bytef,
    sourceLen: z_size_t,
) -> c_int {
    let mut used = sourceLen;
    // SAFETY: forwarded under the same contract.
    unsafe { uncompress2_z(dest, destLen, source, &mut used) }
}

/// `uncompress_z` with `uLong` lengths.
///
/// # Returns
/// As `uncompress2_z`.
///
/// # Safety
/// As `uncompress_z`.
#[export_name = symbol!("uncompress")]
pub unsafe extern "C" fn uncompress(
    dest: *mut Bytef,
    destLen: *mut uLongf,
    source: *const Bytef,
    sourceLen: uLong,
) -> c_int {
    let mut used = sourceLen;
    // SAFETY: forwarded under the same contract.
    unsafe { uncompress2(dest, destLen, source, &mut used) }
}
