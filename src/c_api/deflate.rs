//! The deflate exports: all of zlib's compression stream API.
//!
//! Each checks the stream as zlib's `deflateStateCheck` does (non-NULL,
//! `zalloc`/`zfree` set, a state rzlib made for this very stream), builds
//! safe views of the caller's buffers and calls [`crate::deflate::Deflater`].

use core::ffi::{c_char, c_int, c_uint, CStr};
use core::ptr;

use super::alloc::{Allocator, Owned, Refused};
use super::buffers;
use super::catch_panic;
use super::constants::{
    Z_BLOCK, Z_BUF_ERROR, Z_DATA_ERROR, Z_MEM_ERROR, Z_OK, Z_STREAM_ERROR, Z_VERSION_ERROR,
};
use super::stream::{gz_header, gz_headerp, z_stream, z_streamp};
use super::types::{uInt, uLong, z_size_t, Bytef};
use super::util::error_message;
use super::version_matches;
use crate::deflate::{Code, DeflateIo, Deflater, GzipHeader, Params, ParamsChange, Profile};
use crate::writer::Writer;

/// Tags deflate states (see [`Owned`]).
const DEFLATE_MAGIC: u64 = 0x7a64_6566_5b8e_31d7;

/// What `strm->state` points to: the safe core, its buffers from the
/// stream's allocator, and the `gz_header` the caller registered, which
/// stays a raw pointer on this side.
struct DeflateState {
    deflater: Deflater<Allocator>,
    header: gz_headerp,
}

type State = Owned<DeflateState>;

/// The stream and its state, if zlib's `deflateStateCheck` would pass it
/// and no earlier call panicked in it.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream` whose state is NULL or live.
unsafe fn checked<'a>(strm: z_streamp) -> Option<(&'a mut z_stream, &'a mut State)> {
    // SAFETY: per the caller's contract.
    unsafe { buffers::checked(strm, DEFLATE_MAGIC) }
}

/// A view of the stream's buffers and counters.
///
/// # Safety
/// `next_in` is readable for `avail_in` bytes and `next_out` writable for
/// `avail_out` bytes (either may be NULL with a zero length).
unsafe fn view<'a>(strm: &z_stream) -> DeflateIo<'a, 'a> {
    let mut io = counters(strm);
    // SAFETY: per the caller's contract.
    unsafe {
        io.input = buffers::stream_input(strm);
        io.output = buffers::stream_output(strm);
    }
    io
}

/// The stream's counters without its buffers, for the calls that do not
/// move data (zlib reads no buffer pointer there, so they may be unset).
fn counters(strm: &z_stream) -> DeflateIo<'static, 'static> {
    #[allow(clippy::useless_conversion)]
    let mut io = DeflateIo::new(
        &[],
        Writer::empty(),
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
fn store(strm: &mut z_stream, io: &DeflateIo<'_, '_>) {
    buffers::advance(strm, io.consumed, io.produced);
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
        // A stream being initialised may be fresh malloc'd memory: none of
        // its fields but the allocator's is read (zlib's deflateInit2_ reads
        // no others); the reset sets the counters.
        let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
        let made = State::attach_with(stream, alloc, DEFLATE_MAGIC, || {
            let mut deflater = Deflater::new(params, &mut io, alloc)?;
            apply_process_defaults(&mut deflater)?;
            Some(DeflateState {
                deflater,
                header: ptr::null_mut(),
            })
        });
        match made {
            Ok(()) => {}
            // zlib's first allocation: it leaves msg alone.
            Err(Refused::State) => return Z_MEM_ERROR,
            Err(Refused::Core) => {
                stream.msg = error_message(Z_MEM_ERROR).as_ptr() as *mut c_char;
                stream.state = ptr::null_mut();
                return Z_MEM_ERROR;
            }
        }
        let (total_in, total_out, adler, data_type) =
            (io.total_in, io.total_out, io.adler, io.data_type);
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
    let call = |stream: &mut z_stream, state: &mut State| {
        if !(0..=Z_BLOCK).contains(&flush) {
            return Z_STREAM_ERROR;
        }
        // SAFETY: per the contract.
        unsafe { run_deflate(stream, state, flush) }
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// deflate() on a checked stream, for `deflate` and `deflateParams`.
///
/// # Safety
/// The stream's buffers and registered header are valid.
unsafe fn run_deflate(stream: &mut z_stream, state: &mut State, flush: c_int) -> c_int {
    if stream.next_out.is_null() || (stream.avail_in != 0 && stream.next_in.is_null()) {
        stream.msg = error_message(Z_STREAM_ERROR).as_ptr() as *mut c_char;
        return Z_STREAM_ERROR;
    }
    // SAFETY: the caller guarantees the buffers for their lengths.
    let mut io = unsafe { view(stream) };
    // SAFETY: a registered header stays valid while deflating.
    let header = unsafe { header_view(state.core.header) };
    let code = state.core.deflater.deflate(&mut io, flush, header.as_ref());
    store(stream, &io);
    if matches!(code, Code::StreamError | Code::BufError) {
        stream.msg = error_message(code as c_int).as_ptr() as *mut c_char;
    }
    code as c_int
}

/// The caller's gzip header as the core reads it.
///
/// # Safety
/// `head` is NULL or a valid `gz_header` whose `extra` holds `extra_len`
/// bytes and whose `name` and `comment` are NUL-terminated, when not NULL.
unsafe fn header_view<'a>(head: gz_headerp) -> Option<GzipHeader<'a>> {
    // SAFETY: per the caller's contract.
    let head: &gz_header = unsafe { head.as_ref() }?;
    // SAFETY: per the caller's contract.
    let string = |p: *mut Bytef| unsafe {
        (!p.is_null()).then(|| CStr::from_ptr(p as *const c_char).to_bytes_with_nul())
    };
    let extra_len = (head.extra_len & 0xffff) as usize;
    Some(GzipHeader {
        text: head.text != 0,
        #[allow(clippy::useless_conversion)]
        time: u64::from(head.time),
        os: head.os,
        // SAFETY: per the caller's contract.
        extra: (!head.extra.is_null()).then(|| unsafe { buffers::input(head.extra, extra_len) }),
        extra_len: head.extra_len,
        name: string(head.name),
        comment: string(head.comment),
        hcrc: head.hcrc != 0,
    })
}

/// Frees the stream's state; pending output is discarded.
///
/// # Returns
/// `Z_OK`, `Z_DATA_ERROR` if the stream was freed mid-way (some input or
/// output was lost, or a call panicked in it), `Z_STREAM_ERROR` for a bad
/// stream.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = symbol!("deflateEnd")]
pub unsafe extern "C" fn deflateEnd(strm: z_streamp) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: per the contract. A stream broken by a panic is freed too.
        let Some((stream, state)) =
            (unsafe { buffers::checked_even_if_broken::<DeflateState>(strm, DEFLATE_MAGIC) })
        else {
            return Z_STREAM_ERROR;
        };
        let code = if state.broken {
            Z_DATA_ERROR
        } else {
            state.core.deflater.end_code() as c_int
        };
        // SAFETY: `checked_even_if_broken` accepted the state.
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
unsafe fn reset_with(
    strm: z_streamp,
    reset: fn(&mut Deflater<Allocator>, &mut DeflateIo<'_, '_>),
) -> c_int {
    let call = |stream: &mut z_stream, state: &mut State| {
        let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
        reset(&mut state.core.deflater, &mut io);
        stream.total_in = io.total_in as uLong;
        stream.total_out = io.total_out as uLong;
        stream.adler = io.adler as uLong;
        stream.data_type = io.data_type;
        stream.msg = ptr::null_mut();
        Z_OK
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// zlib's upper bound on the compressed size of `sourceLen` bytes
/// deflated in one call with `Z_FINISH` by this stream (its level, window,
/// memLevel and wrapper, with the gzip header set, if any), or for any
/// stream when `strm` is not a valid deflate stream.
///
/// # Returns
/// The bound, or the largest `z_size_t` if it does not fit.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`; a gzip header it was given is
/// still valid.
#[export_name = symbol!("deflateBound_z")]
pub unsafe extern "C" fn deflateBound_z(strm: z_streamp, sourceLen: z_size_t) -> z_size_t {
    catch_panic(z_size_t::MAX, || {
        // SAFETY: per the contract.
        let state = unsafe { checked(strm) }.map(|(_, state)| &state.core);
        // SAFETY: a registered header is valid.
        let header = state.and_then(|s| unsafe { header_view(s.header) });
        let bound = crate::deflate::bound(
            state.map(|s| &s.deflater),
            header.as_ref(),
            sourceLen as u64,
        );
        z_size_t::try_from(bound).unwrap_or(z_size_t::MAX)
    })
}

/// `deflateBound_z` with `uLong` lengths.
///
/// # Returns
/// The bound, or the largest `uLong` if it does not fit.
///
/// # Safety
/// As `deflateBound_z`.
#[export_name = symbol!("deflateBound")]
pub unsafe extern "C" fn deflateBound(strm: z_streamp, sourceLen: uLong) -> uLong {
    // uLong and z_size_t are both 64 bits on the targets rzlib supports.
    // SAFETY: forwarded under the same contract.
    let bound = unsafe { deflateBound_z(strm, sourceLen as z_size_t) };
    uLong::try_from(bound).unwrap_or(uLong::MAX)
}

/// Sets the preset dictionary: its last window-size bytes become the
/// history. For a zlib stream it must come before the first deflate call;
/// `adler` becomes the dictionary's Adler-32.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream, a NULL dictionary, a gzip
/// stream, or a zlib stream already started (or any stream with input
/// waiting).
///
/// # Safety
/// `strm` is NULL or valid; `dictionary` is NULL or readable for
/// `dictLength` bytes.
#[export_name = symbol!("deflateSetDictionary")]
pub unsafe extern "C" fn deflateSetDictionary(
    strm: z_streamp,
    dictionary: *const Bytef,
    dictLength: uInt,
) -> c_int {
    let call = |stream: &mut z_stream, state: &mut State| {
        if dictionary.is_null() {
            return Z_STREAM_ERROR;
        }
        // SAFETY: the caller guarantees `dictLength` readable bytes.
        let dictionary = unsafe { buffers::input(dictionary, dictLength as usize) };
        // The buffers are not the dictionary's business: only the counters.
        let mut io = counters(stream);
        let code = state.core.deflater.set_dictionary(&mut io, dictionary);
        stream.adler = io.adler as uLong;
        stream.total_in = io.total_in as uLong;
        code as c_int
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Copies the stream's current history (at most the window size) to
/// `dictionary` and its length to `*dictLength`; either may be NULL.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream.
///
/// # Safety
/// `strm` is NULL or valid; `dictionary` is NULL or writable for the
/// window size; `dictLength` is NULL or valid.
#[export_name = symbol!("deflateGetDictionary")]
pub unsafe extern "C" fn deflateGetDictionary(
    strm: z_streamp,
    dictionary: *mut Bytef,
    dictLength: *mut uInt,
) -> c_int {
    let call = |_: &mut z_stream, state: &mut State| {
        let history = state.core.deflater.dictionary();
        if !dictionary.is_null() {
            // SAFETY: the caller guarantees room for the window size, and
            // the history is no longer; the room may be uninitialised.
            unsafe { buffers::output(dictionary, history.len()) }.extend(history);
        }
        // SAFETY: NULL or valid per the contract.
        if let Some(len) = unsafe { dictLength.as_mut() } {
            *len = history.len() as uInt;
        }
        Z_OK
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Makes `dest` an independent copy of the stream `source`, with its own
/// state allocated through `source`'s current `zalloc`/`opaque`.
///
/// # Returns
/// `Z_OK`, `Z_MEM_ERROR`, or `Z_STREAM_ERROR` for a bad source or a NULL
/// `dest`. The copy of a stream on more than one thread
/// (`rz_deflateSetThreads`) waits for the jobs in flight.
///
/// # Safety
/// `source` is NULL or valid; `dest` is NULL or writable as a `z_stream`.
#[export_name = symbol!("deflateCopy")]
pub unsafe extern "C" fn deflateCopy(dest: z_streamp, source: z_streamp) -> c_int {
    let call = |src: &mut z_stream, state: &mut State| {
        if dest.is_null() {
            return Z_STREAM_ERROR;
        }
        // SAFETY: `dest` is writable; zlib copies the whole stream first.
        let dst = unsafe {
            ptr::copy_nonoverlapping(src as *const z_stream, dest, 1);
            &mut *dest
        };
        // zlib allocates through the copied stream's (that is, the
        // source's current) allocator.
        let alloc = Allocator::of(dst.zalloc, dst.zfree, dst.opaque);
        let made = State::attach_with(dst, alloc, DEFLATE_MAGIC, || {
            Some(DeflateState {
                deflater: state.core.deflater.try_clone(alloc)?,
                header: state.core.header,
            })
        });
        match made {
            Ok(()) => Z_OK,
            // zlib leaves dest as the plain copy of source.
            Err(Refused::State) => Z_MEM_ERROR,
            // zlib's deflateEnd(dest).
            Err(Refused::Core) => {
                dst.state = ptr::null_mut();
                Z_MEM_ERROR
            }
        }
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(source, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Changes the level and strategy. If the change needs another block
/// routine or strategy and data has been given, the pending data is
/// compressed first with `deflate(strm, Z_BLOCK)`.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for a bad stream or parameter (or an error from
/// that deflate call), `Z_BUF_ERROR` if the flush could not complete for
/// lack of output space (the new parameters do not apply then).
///
/// # Safety
/// `strm` is NULL or valid, with valid buffers as for `deflate`.
#[export_name = symbol!("deflateParams")]
pub unsafe extern "C" fn deflateParams(strm: z_streamp, level: c_int, strategy: c_int) -> c_int {
    let call = |stream: &mut z_stream, state: &mut State| {
        match state.core.deflater.params_change(level, strategy) {
            ParamsChange::Invalid => return Z_STREAM_ERROR,
            ParamsChange::Ready => {}
            ParamsChange::FlushFirst => {
                // SAFETY: per the contract.
                if unsafe { run_deflate(stream, state, Z_BLOCK) } == Z_STREAM_ERROR {
                    return Z_STREAM_ERROR;
                }
                if stream.avail_in != 0 || state.core.deflater.has_unflushed_data() {
                    return Z_BUF_ERROR;
                }
            }
        }
        state.core.deflater.set_params(level, strategy);
        Z_OK
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Sets the match finder's parameters directly (see zlib's deflate.c
/// configuration table for their meaning).
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = symbol!("deflateTune")]
pub unsafe extern "C" fn deflateTune(
    strm: z_streamp,
    good_length: c_int,
    max_lazy: c_int,
    nice_length: c_int,
    max_chain: c_int,
) -> c_int {
    let call = |_: &mut z_stream, state: &mut State| {
        state
            .core
            .deflater
            .tune(good_length, max_lazy, nice_length, max_chain);
        Z_OK
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Reports the output generated but not yet delivered: whole bytes in
/// `*pending` and bits (0..16) in `*bits`; either may be NULL.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream.
///
/// # Safety
/// `strm` is NULL or valid; `pending` and `bits` are NULL or valid.
#[export_name = symbol!("deflatePending")]
pub unsafe extern "C" fn deflatePending(
    strm: z_streamp,
    pending: *mut c_uint,
    bits: *mut c_int,
) -> c_int {
    let call = |_: &mut z_stream, state: &mut State| {
        let (bytes, held) = state.core.deflater.pending();
        // SAFETY: NULL or valid per the contract.
        if let Some(bits) = unsafe { bits.as_mut() } {
            *bits = held as c_int;
        }
        // SAFETY: NULL or valid per the contract.
        if let Some(pending) = unsafe { pending.as_mut() } {
            *pending = bytes as c_uint;
        }
        Z_OK
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Reports in `*bits` how many bits of the last byte deflate used when it
/// last aligned its output to a byte (1..8), or 0 before any such flush:
/// where the deflate data's last bit lies.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream.
///
/// # Safety
/// `strm` is NULL or valid; `bits` is NULL or valid.
#[export_name = symbol!("deflateUsed")]
pub unsafe extern "C" fn deflateUsed(strm: z_streamp, bits: *mut c_int) -> c_int {
    let call = |_: &mut z_stream, state: &mut State| {
        let used = state.core.deflater.used_bits();
        // SAFETY: NULL or valid per the contract.
        if let Some(bits) = unsafe { bits.as_mut() } {
            *bits = c_int::from(used);
        }
        Z_OK
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Inserts the low `bits` (0..16) bits of `value` into the output.
///
/// # Returns
/// `Z_OK`, `Z_BUF_ERROR` for a bad `bits` or too much pending output,
/// `Z_STREAM_ERROR` for a bad stream.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = symbol!("deflatePrime")]
pub unsafe extern "C" fn deflatePrime(strm: z_streamp, bits: c_int, value: c_int) -> c_int {
    let call =
        |_: &mut z_stream, state: &mut State| state.core.deflater.prime(bits, value) as c_int;
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Registers the gzip header to write (gzip streams only, before the
/// first deflate call). The header and its buffers must stay valid until
/// the header is written.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream or a non-gzip stream.
///
/// # Safety
/// `strm` is NULL or valid; `head` is NULL or a valid `gz_header` whose
/// `extra` holds `extra_len` bytes and whose `name` and `comment` are
/// NUL-terminated (when not NULL), alive while deflate writes the header.
#[export_name = symbol!("deflateSetHeader")]
pub unsafe extern "C" fn deflateSetHeader(strm: z_streamp, head: gz_headerp) -> c_int {
    let call = |_: &mut z_stream, state: &mut State| {
        if !state.core.deflater.is_gzip() {
            return Z_STREAM_ERROR;
        }
        state.core.header = head;
        Z_OK
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// A new stream takes the process's default profile and threads
/// (`RZLIB_DEFLATE_PROFILE`, `RZLIB_DEFLATE_THREADS`, each read once), as
/// every stream of an unmodified program on the drop-in does. `None` when
/// the parallel stream's memory is refused.
fn apply_process_defaults(deflater: &mut Deflater<Allocator>) -> Option<()> {
    // A fresh stream accepts any profile and threads.
    deflater.set_default_profile(crate::deflate::process_default_profile());
    let threads = crate::deflate::process_default_threads();
    (deflater.set_threads(threads) == Code::Ok).then_some(())
}

/// Chooses the stream's compression profile: `RZ_PROFILE_ZLIB` (zlib's
/// bytes) or `RZ_PROFILE_FAST`. Call it after `deflateInit*` (or
/// `deflateReset`) and before the first `deflate` call. It has this name
/// in both link modes; streams that do not call it take the process
/// default (the environment variable `RZLIB_DEFLATE_PROFILE=fast`, read
/// once, or zlib's profile).
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a bad stream, an unknown profile, or a
/// stream that `deflate` was already called on.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = "rz_deflateSetProfile"]
pub unsafe extern "C" fn rz_deflateSetProfile(strm: z_streamp, profile: c_int) -> c_int {
    let call = |_: &mut z_stream, state: &mut State| {
        let Some(profile) = Profile::from_c(profile) else {
            return Z_STREAM_ERROR;
        };
        state.core.deflater.set_profile(profile) as c_int
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}

/// Compresses the stream on `threads` threads (0: one per available core;
/// 1: the calling thread alone, as zlib). Call it after `deflateInit*` (or
/// `deflateReset`) and before the first `deflate` call. It has this name
/// in both link modes; streams that do not call it take the process
/// default (the environment variable `RZLIB_DEFLATE_THREADS`, read once,
/// or 1).
///
/// A stream on more than one thread is cut into jobs of 128 KiB, each
/// compressed on a thread of a pool that the process shares, with the
/// 32 KiB before it as its dictionary and ending on a byte boundary: one
/// valid zlib, gzip or raw stream, which is not zlib's bytes and is a
/// little larger than a one-thread stream's. It runs the fast profile
/// unless `rz_deflateSetProfile` chose one. Each thread adds 1.1 to 1.6 MB
/// of memory (two jobs), through the stream's `zalloc`. `adler` covers
/// only the input compressed so far, until a flush or the end.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for a bad stream, a negative `threads`, or a
/// stream that `deflate` was already called on, `Z_MEM_ERROR` if the
/// first job's memory is refused.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream`.
#[export_name = "rz_deflateSetThreads"]
pub unsafe extern "C" fn rz_deflateSetThreads(strm: z_streamp, threads: c_int) -> c_int {
    let call = |_: &mut z_stream, state: &mut State| {
        let Ok(threads) = usize::try_from(threads) else {
            return Z_STREAM_ERROR;
        };
        state.core.deflater.set_threads(threads) as c_int
    };
    // SAFETY: per the contract.
    unsafe { buffers::with_stream(strm, DEFLATE_MAGIC, Z_STREAM_ERROR, call) }
}
