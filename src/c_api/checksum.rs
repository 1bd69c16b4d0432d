//! The checksum exports: `adler32*`, `crc32*` and `get_crc_table`.
//!
//! zlib takes and returns checksums as `uLong` (64 bits here). It reads only
//! the low 32 bits of an input checksum, so the exports truncate inputs to
//! `u32` and zero-extend results.

use core::slice;

use super::catch_panic;
use super::types::{uInt, uLong, z_crc_t, z_off64_t, z_off_t, z_size_t, Bytef};
use crate::checksum;

/// The caller's buffer as a slice, or `None` for a NULL `buf`.
///
/// # Safety
/// `buf` is NULL or readable for `len` bytes.
unsafe fn bytes<'a>(buf: *const Bytef, len: z_size_t) -> Option<&'a [u8]> {
    if buf.is_null() {
        return None;
    }
    // SAFETY: non-NULL and readable for `len` bytes per the caller; the data
    // is only read while the export runs.
    Some(unsafe { slice::from_raw_parts(buf, len) })
}

/// The low 32 bits of a `uLong` checksum, the only bits zlib reads.
fn low32(value: uLong) -> u32 {
    value as u32
}

/// Updates a running Adler-32 with `len` bytes at `buf`. Start with
/// `adler32(0, Z_NULL, 0)`, which returns the initial value 1.
///
/// # Returns
/// The updated Adler-32; 1 when `buf` is `Z_NULL`.
///
/// # Safety
/// `buf` is `Z_NULL` or readable for `len` bytes.
#[export_name = symbol!("adler32")]
pub unsafe extern "C" fn adler32(adler: uLong, buf: *const Bytef, len: uInt) -> uLong {
    // SAFETY: the caller's guarantee is the one `adler32_z` needs.
    unsafe { adler32_z(adler, buf, len as z_size_t) }
}

/// Like `adler32`, with a `z_size_t` length.
///
/// # Returns
/// The updated Adler-32; 1 when `buf` is `Z_NULL`.
///
/// # Safety
/// `buf` is `Z_NULL` or readable for `len` bytes.
#[export_name = symbol!("adler32_z")]
pub unsafe extern "C" fn adler32_z(adler: uLong, buf: *const Bytef, len: z_size_t) -> uLong {
    catch_panic(1, || {
        // SAFETY: per the caller's guarantee.
        match unsafe { bytes(buf, len) } {
            Some(data) => uLong::from(checksum::adler32(low32(adler), data)),
            None => 1,
        }
    })
}

/// Combines the Adler-32s of two pieces of data: `adler1` of the first,
/// `adler2` of the second, which is `len2` bytes long.
///
/// # Returns
/// The Adler-32 of the concatenation; 0xffffffff when `len2` is negative.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("adler32_combine")]
pub unsafe extern "C" fn adler32_combine(adler1: uLong, adler2: uLong, len2: z_off_t) -> uLong {
    // SAFETY: no pointers involved.
    unsafe { adler32_combine64(adler1, adler2, z_off64_t::from(len2)) }
}

/// Like `adler32_combine`, with a 64-bit length.
///
/// # Returns
/// The Adler-32 of the concatenation; 0xffffffff when `len2` is negative.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("adler32_combine64")]
pub unsafe extern "C" fn adler32_combine64(adler1: uLong, adler2: uLong, len2: z_off64_t) -> uLong {
    catch_panic(0xffff_ffff, || {
        checksum::adler32_combine(low32(adler1), low32(adler2), len2) as uLong
    })
}

/// Updates a running CRC-32 with `len` bytes at `buf`. Start with
/// `crc32(0, Z_NULL, 0)`, which returns the initial value 0.
///
/// # Returns
/// The updated CRC-32; 0 when `buf` is `Z_NULL`.
///
/// # Safety
/// `buf` is `Z_NULL` or readable for `len` bytes.
#[export_name = symbol!("crc32")]
pub unsafe extern "C" fn crc32(crc: uLong, buf: *const Bytef, len: uInt) -> uLong {
    // SAFETY: the caller's guarantee is the one `crc32_z` needs.
    unsafe { crc32_z(crc, buf, len as z_size_t) }
}

/// Like `crc32`, with a `z_size_t` length.
///
/// # Returns
/// The updated CRC-32; 0 when `buf` is `Z_NULL`.
///
/// # Safety
/// `buf` is `Z_NULL` or readable for `len` bytes.
#[export_name = symbol!("crc32_z")]
pub unsafe extern "C" fn crc32_z(crc: uLong, buf: *const Bytef, len: z_size_t) -> uLong {
    catch_panic(0, || {
        // SAFETY: per the caller's guarantee.
        match unsafe { bytes(buf, len) } {
            Some(data) => uLong::from(checksum::crc32(low32(crc), data)),
            None => 0,
        }
    })
}

/// Combines the CRC-32s of two pieces of data: `crc1` of the first, `crc2`
/// of the second, which is `len2` bytes long.
///
/// # Returns
/// The CRC-32 of the concatenation; 0 when `len2` is negative.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("crc32_combine")]
pub unsafe extern "C" fn crc32_combine(crc1: uLong, crc2: uLong, len2: z_off_t) -> uLong {
    // SAFETY: no pointers involved.
    unsafe { crc32_combine64(crc1, crc2, z_off64_t::from(len2)) }
}

/// Like `crc32_combine`, with a 64-bit length.
///
/// # Returns
/// The CRC-32 of the concatenation; 0 when `len2` is negative.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("crc32_combine64")]
pub unsafe extern "C" fn crc32_combine64(crc1: uLong, crc2: uLong, len2: z_off64_t) -> uLong {
    catch_panic(0, || {
        uLong::from(checksum::crc32_combine(low32(crc1), low32(crc2), len2))
    })
}

/// The operator that `crc32_combine_op` applies to append `len2` bytes.
///
/// # Returns
/// The operator; 0 (an invalid operator) when `len2` is negative.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("crc32_combine_gen")]
pub unsafe extern "C" fn crc32_combine_gen(len2: z_off_t) -> uLong {
    // SAFETY: no pointers involved.
    unsafe { crc32_combine_gen64(z_off64_t::from(len2)) }
}

/// Like `crc32_combine_gen`, with a 64-bit length.
///
/// # Returns
/// The operator; 0 (an invalid operator) when `len2` is negative.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("crc32_combine_gen64")]
pub unsafe extern "C" fn crc32_combine_gen64(len2: z_off64_t) -> uLong {
    catch_panic(0, || uLong::from(checksum::crc32_combine_gen(len2)))
}

/// Combines two CRC-32s like `crc32_combine`, with the length given as an
/// operator from `crc32_combine_gen`.
///
/// # Returns
/// The CRC-32 of the concatenation; 0 when the low 32 bits of `op` are 0
/// (zlib returns 0 for `op == 0` and never returns when only higher bits are
/// set).
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("crc32_combine_op")]
pub unsafe extern "C" fn crc32_combine_op(crc1: uLong, crc2: uLong, op: uLong) -> uLong {
    catch_panic(0, || {
        uLong::from(checksum::crc32_combine_op(
            low32(crc1),
            low32(crc2),
            low32(op),
        ))
    })
}

/// zlib's CRC-32 table: 256 entries, entry `b` being the CRC register after
/// feeding the byte `b` into a zeroed register.
///
/// # Returns
/// A pointer to the static table.
///
/// # Safety
/// Always safe to call; the table must not be written through.
#[export_name = symbol!("get_crc_table")]
pub unsafe extern "C" fn get_crc_table() -> *const z_crc_t {
    catch_panic(core::ptr::null(), || checksum::CRC_TABLE.as_ptr())
}
