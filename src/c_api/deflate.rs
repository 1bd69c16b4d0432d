//! The deflate exports: deflateInit_, deflateInit2_, deflate, deflateEnd,
//! deflateReset, deflateResetKeep, deflateBound.
//!
//! Each checks the stream as zlib's `deflateStateCheck` does (non-NULL,
//! `zalloc`/`zfree` set, a state rzlib made for this very stream), builds
//! safe views of the caller's buffers and calls [`crate::deflate::Deflater`].

use core::ffi::{c_char, c_int};
use core::ptr;
use core::slice;

use super::alloc::{Allocator, Owned};
use super::catch_panic;
use super::constants::{Z_BLOCK, Z_MEM_ERROR, Z_OK, Z_STREAM_ERROR, Z_VERSION_ERROR};
use super::stream::{z_stream, z_streamp};
use super::types::{uInt, uLong};
use super::util::error_message;
use super::version_matches;
use crate::deflate::{Code, DeflateIo, Deflater, Params};

/// Tags deflate states (see [`Owned`]).
const DEFLATE_MAGIC: u64 = 0x7a64_6566_5b8e_31d7;

type State = Owned<Deflater>;

/// The stream and its state, if zlib's `deflateStateCheck` would pass it.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream` whose state is NULL or live.
unsafe fn checked<'a>(strm: z_streamp) -> Option<(&'a mut z_stream, &'a mut State)> {
    // SAFETY: per the caller's contract.
    let stream = unsafe { strm.as_ref() }?;
    if stream.zalloc.is_none() || stream.zfree.is_none() {
        return None;
    }
    // SAFETY: per the caller's contract.
    unsafe { State::of(strm, DEFLATE_MAGIC) }
}

/// A view of the stream's buffers and counters.
///
/// # Safety
/// `next_in` is readable for `avail_in` bytes and `next_out` writable for
/// `avail_out` bytes (either may be NULL with a zero length).
unsafe fn view<'a>(strm: &z_stream) -> DeflateIo<'a> {
    // SAFETY: per the caller's contract; NULL or empty gives an empty slice.
    let (input, output): (&[u8], &mut [u8]) = unsafe {
        (
            if strm.next_in.is_null() || strm.avail_in == 0 {
                &[]
            } else {
                slice::from_raw_parts(strm.next_in, strm.avail_in as usize)
            },
            if strm.next_out.is_null() || strm.avail_out == 0 {
                &mut []
            } else {
                slice::from_raw_parts_mut(strm.next_out, strm.avail_out as usize)
            },
        )
    };
    #[allow(clippy::useless_conversion)]
    let mut io = DeflateIo::new(
        input,
        output,
        u64::from(strm.total_in),
        u64::from(strm.total_out),
    );
    #[allow(clippy::useless_conversion)]
    {
        io.adler = u64::from(strm.adler);
    }
    io.data_type = strm.data_type;
    io
}

/// Writes back what a call changed.
fn store(strm: &mut z_stream, io: &DeflateIo<'_>) {
    let (consumed, produced) = (io.consumed, io.produced);
    strm.next_in = strm.next_in.wrapping_add(consumed);
    strm.avail_in -= consumed as uInt;
    strm.next_out = strm.next_out.wrapping_add(produced);
    strm.avail_out -= produced as uInt;
    strm.total_in = io.total_in as uLong;
    strm.total_out = io.total_out as uLong;
    strm.adler = io.adler as uLong;
    strm.data_type = io.data_type;
}

/// Initialises `strm` for compression (zlib's deflateInit2_): `level` 0..9
/// or `Z_DEFAULT_COMPRESSION`, `method` `Z_DEFLATED`, `windowBits` 8..15
/// (zlib), -8..-15 (raw; -8 is refused) or 24..31 (gzip), `memLevel` 1..9,
/// `strategy` `Z_DEFAULT_STRATEGY`..`Z_FIXED`.
///
/// # Returns
/// `Z_OK`, `Z_MEM_ERROR`, `Z_STREAM_ERROR` for a NULL `strm` or a bad
/// parameter, `Z_VERSION_ERROR` for an incompatible zlib.h.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream` whose `zalloc`, `zfree` and
/// `opaque` are set (or `Z_NULL`); `version` is NULL or a NUL-terminated
/// string.
#[export_name = symbol!("deflateInit2_")]
pub unsafe extern "C" fn deflateInit2_(
    strm: z_streamp,
    level: c_int,
    method: c_int,
    windowBits: c_int,
    memLevel: c_int,
    strategy: c_int,
    version: *const c_char,
    stream_size: c_int,
) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: `version` is NULL or NUL-terminated per the contract.
        if !unsafe { version_matches(version, stream_size) } {
            return Z_VERSION_ERROR;
        }
        // SAFETY: NULL or valid per the contract.
        let Some(stream) = (unsafe { strm.as_mut() }) else {
            return Z_STREAM_ERROR;
        };
        stream.msg = ptr::null_mut();
        let alloc = Allocator::install(stream);
        let Some(params) = Params::new(level, method, windowBits, memLevel, strategy) else {
            return Z_STREAM_ERROR;
        };
        // SAFETY: the buffers are only read by the view, which resets the counters.
        let mut io = unsafe { view(&*stream) };
        let deflater = Deflater::new(params, &mut io);
        let (total_in, total_out, adler, data_type) =
            (io.total_in, io.total_out, io.adler, io.data_type);
        if !State::attach(stream, alloc, DEFLATE_MAGIC, deflater) {
            stream.msg = error_message(Z_MEM_ERROR).as_ptr() as *mut c_char;
            return Z_MEM_ERROR;
        }
        stream.total_in = total_in as uLong;
        stream.total_out = total_out as uLong;
        stream.adler = adler as uLong;
        stream.data_type = data_type;
        Z_OK
    })
}

/// `deflateInit2_` with zlib's defaults: a zlib stream, 32 KiB window,
/// memLevel 8, default strategy.
///
/// # Returns
/// As `deflateInit2_`.
///
/// # Safety
/// As `deflateInit2_`.
#[export_name = symbol!("deflateInit_")]
pub unsafe extern "C" fn deflateInit_(
    strm: z_streamp,
    level: c_int,
    version: *const c_char,
    stream_size: c_int,
) -> c_int {
    // SAFETY: forwarded under the same contract.
    unsafe { deflateInit2_(strm, level, 8, 15, 8, 0, version, stream_size) }
}

/// Compresses as much as possible from `next_in` to `next_out`. `flush`
/// is `Z_NO_FLUSH`, `Z_PARTIAL_FLUSH`, `Z_SYNC_FLUSH`, `Z_FULL_FLUSH`,
/// `Z_FINISH` or `Z_BLOCK`.
///
/// # Returns
/// `Z_OK` on progress, `Z_STREAM_END` when all input is compressed and the
/// stream is complete after `Z_FINISH`, `Z_STREAM_ERROR` for a bad stream or
/// flush value, NULL `next_out`, or input after finishing started with
/// another flush; `Z_BUF_ERROR` when no progress is possible.
///
/// # Safety
/// `strm` is NULL or valid; `next_in` is readable for `avail_in` bytes and
/// `next_out` writable for `avail_out` bytes.
#[export_name = symbol!("deflate")]
pub unsafe extern "C" fn deflate(strm: z_streamp, flush: c_int) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: per the contract.
        let Some((stream, state)) = (unsafe { checked(strm) }) else {
            return Z_STREAM_ERROR;
        };
        if !(0..=Z_BLOCK).contains(&flush) {
            return Z_STREAM_ERROR;
        }
        if stream.next_out.is_null() || (stream.avail_in != 0 && stream.next_in.is_null()) {
            stream.msg = error_message(Z_STREAM_ERROR).as_ptr() as *mut c_char;
            return Z_STREAM_ERROR;
        }
        // SAFETY: the caller guarantees the buffers for their lengths.
        let mut io = unsafe { view(stream) };
        let code = state.core.deflate(&mut io, flush);
        store(stream, &io);
        if matches!(code, Code::StreamError | Code::BufError) {
            stream.msg = error_message(code as c_int).as_ptr() as *mut c_char;
        }
        code as c_int
    })
}

/// Frees the stream's state; pending output is discarded.
///
/// # Returns
/// `Z_OK`, `Z_DATA_ERROR` if the stream was freed mid-way (some input or
/// output was lost), `Z_STREAM_ERROR` for a bad stream.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = symbol!("deflateEnd")]
pub unsafe extern "C" fn deflateEnd(strm: z_streamp) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: per the contract.
        let Some((stream, state)) = (unsafe { checked(strm) }) else {
            return Z_STREAM_ERROR;
        };
        let code = state.core.end_code() as c_int;
        // SAFETY: `checked` accepted the state.
        unsafe { State::detach(stream) };
        code
    })
}

/// Restarts the stream with its parameters (zlib's deflateReset).
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = symbol!("deflateReset")]
pub unsafe extern "C" fn deflateReset(strm: z_streamp) -> c_int {
    // SAFETY: forwarded under the same contract.
    unsafe { reset_with(strm, Deflater::reset) }
}

/// Restarts the stream keeping its window and hash tables (zlib's
/// deflateResetKeep).
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = symbol!("deflateResetKeep")]
pub unsafe extern "C" fn deflateResetKeep(strm: z_streamp) -> c_int {
    // SAFETY: forwarded under the same contract.
    unsafe { reset_with(strm, Deflater::reset_keep) }
}

/// Runs a reset on a checked stream and stores the fields it reset.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
unsafe fn reset_with(strm: z_streamp, reset: fn(&mut Deflater, &mut DeflateIo<'_>)) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: per the contract.
        let Some((stream, state)) = (unsafe { checked(strm) }) else {
            return Z_STREAM_ERROR;
        };
        let mut io = DeflateIo::new(&[], &mut [], 0, 0);
        reset(&mut state.core, &mut io);
        stream.total_in = io.total_in as uLong;
        stream.total_out = io.total_out as uLong;
        stream.adler = io.adler as uLong;
        stream.data_type = io.data_type;
        stream.msg = ptr::null_mut();
        Z_OK
    })
}

/// An upper bound on the compressed size of `sourceLen` bytes, for this
/// stream's parameters (or for any parameters when `strm` is not a valid
/// deflate stream).
///
/// # Returns
/// The bound, saturated at the largest `uLong`.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = symbol!("deflateBound")]
pub unsafe extern "C" fn deflateBound(strm: z_streamp, sourceLen: uLong) -> uLong {
    catch_panic(uLong::MAX, || {
        // SAFETY: per the contract.
        let state = unsafe { checked(strm) }.map(|(_, state)| &state.core);
        #[allow(clippy::useless_conversion)]
        let bound = crate::deflate::bound(state, u64::from(sourceLen));
        uLong::try_from(bound).unwrap_or(uLong::MAX)
    })
}
