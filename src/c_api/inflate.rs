//! The inflate exports (all of zlib's decompression API but `inflateBack*`).
//!
//! Each one checks the stream as zlib's `inflateStateCheck` does (non-NULL,
//! `zalloc`/`zfree` set, a state rzlib made for this very stream, and no
//! earlier call panicked in it), builds views of the caller's buffers with
//! [`buffers`] (output as a [`crate::writer::Writer`], never as bytes),
//! calls [`crate::inflate::Inflater`] and writes back what changed.

use core::ffi::{c_char, c_int, c_long, c_ulong};
use core::mem::MaybeUninit;
use core::ptr;

use super::alloc::{Allocator, Owned};
use super::buffers;
use super::catch_panic;
use super::constants::{Z_MEM_ERROR, Z_OK, Z_STREAM_ERROR, Z_VERSION_ERROR};
use super::stream::{gz_header, gz_headerp, z_stream, z_streamp};
use super::types::{uInt, Bytef};
use super::version_matches;
use crate::inflate::{
    Code, Fields, Flush, GzipHeader, HeaderBuffers, HeaderField, Inflater, Message, Stream,
};
use crate::writer::Writer;

/// Tags inflate states (see [`Owned`]): the low 32 bits are far above any
/// mode or status value another zlib keeps at the same offset.
const INFLATE_MAGIC: u64 = 0x7a69_6e66_c3a1_9e5d;

/// What `strm->state` points to: the safe core (its window, once needed,
/// from the stream's allocator) and the `gz_header` the caller registered,
/// which stays a raw pointer on this side.
struct InflateState {
    inflater: Inflater<Allocator>,
    header: gz_headerp,
}

type State = Owned<InflateState>;

/// The stream and its state, if zlib's `inflateStateCheck` would pass it
/// and no earlier call panicked in it.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream` whose state is NULL or live.
unsafe fn checked<'a>(strm: z_streamp) -> Option<(&'a mut z_stream, &'a mut State)> {
    // SAFETY: per the caller's contract.
    unsafe { buffers::checked(strm, INFLATE_MAGIC) }
}

/// Runs `body` on a checked stream and its state; `refused` for a stream
/// that does not pass. A panic marks the stream broken (see
/// [`buffers::with_stream`]).
///
/// # Safety
/// `strm` is NULL or valid.
unsafe fn with_state<R: Copy>(
    strm: z_streamp,
    refused: R,
    body: impl FnOnce(&mut z_stream, &mut State) -> R,
) -> R {
    // SAFETY: per the caller's contract.
    unsafe { buffers::with_stream(strm, INFLATE_MAGIC, refused, body) }
}

/// A `uLong` (32 or 64 bits, depending on the platform) as `u64`.
#[allow(clippy::useless_conversion)]
fn widen(value: c_ulong) -> u64 {
    u64::from(value)
}

fn load_fields(strm: &z_stream) -> Fields {
    Fields {
        total_in: widen(strm.total_in),
        total_out: widen(strm.total_out),
        adler: widen(strm.adler),
        data_type: strm.data_type,
        msg: Message::Unchanged,
    }
}

fn store_fields(strm: &mut z_stream, fields: &Fields) {
    strm.total_in = fields.total_in as c_ulong;
    strm.total_out = fields.total_out as c_ulong;
    strm.adler = fields.adler as c_ulong;
    strm.data_type = fields.data_type;
    match fields.msg {
        Message::Unchanged => {}
        Message::Clear => strm.msg = ptr::null_mut(),
        Message::Set(text) => strm.msg = text.as_ptr() as *mut c_char,
    }
}

/// The registered `gz_header`'s `extra`, `name` and `comment` buffers,
/// written through the caller's pointers: no reference is made to memory
/// that may be uninitialised or overlap the output.
struct CallerHeaderBuffers {
    extra: (*mut Bytef, usize),
    name: (*mut Bytef, usize),
    comment: (*mut Bytef, usize),
}

impl CallerHeaderBuffers {
    fn field(&mut self, field: HeaderField) -> &mut (*mut Bytef, usize) {
        match field {
            HeaderField::Extra => &mut self.extra,
            HeaderField::Name => &mut self.name,
            HeaderField::Comment => &mut self.comment,
        }
    }
}

impl HeaderBuffers for CallerHeaderBuffers {
    fn put(&mut self, field: HeaderField, at: usize, bytes: &[u8]) -> usize {
        let (start, max) = *self.field(field);
        if start.is_null() || at >= max {
            return 0;
        }
        let n = (max - at).min(bytes.len());
        // SAFETY: inflateGetHeader's caller keeps the buffer writable for
        // its `*_max` bytes, and `at + n <= max`. `copy` allows the input
        // to overlap the buffer.
        unsafe { ptr::copy(bytes.as_ptr(), start.add(at), n) };
        n
    }

    fn absent(&mut self, field: HeaderField) {
        self.field(field).0 = ptr::null_mut();
    }
}

/// Inflates with the registered `gz_header` at `head` filled in as the
/// header is read.
///
/// # Safety
/// `head` is valid, and its buffers are writable for their `*_max` sizes.
unsafe fn inflate_with_header(
    inflater: &mut Inflater<Allocator>,
    view: &mut Stream,
    flush: Flush,
    head: *mut gz_header,
) -> Code {
    // Fields are read and written one by one through the pointer, never as
    // a reference to the whole struct.
    // SAFETY: `head` is valid per the contract.
    let (mut buffers, mut view_header) = unsafe {
        (
            CallerHeaderBuffers {
                extra: ((*head).extra, (*head).extra_max as usize),
                name: ((*head).name, (*head).name_max as usize),
                comment: ((*head).comment, (*head).comm_max as usize),
            },
            (
                (*head).text,
                widen((*head).time),
                (*head).xflags,
                (*head).os,
                (*head).extra_len,
                (*head).hcrc,
                (*head).done,
            ),
        )
    };
    let (text, time, xflags, os, extra_len, hcrc, done) = view_header;
    let mut header = GzipHeader {
        text,
        time,
        xflags,
        os,
        extra_len,
        hcrc,
        done,
        buffers: &mut buffers,
    };
    let code = inflater.inflate(view, flush, Some(&mut header));
    view_header = (
        header.text,
        header.time,
        header.xflags,
        header.os,
        header.extra_len,
        header.hcrc,
        header.done,
    );
    let (text, time, xflags, os, extra_len, hcrc, done) = view_header;
    // SAFETY: as above.
    unsafe {
        (*head).text = text;
        (*head).time = time as c_ulong;
        (*head).xflags = xflags;
        (*head).os = os;
        (*head).extra_len = extra_len;
        (*head).hcrc = hcrc;
        (*head).done = done;
        if buffers.extra.0.is_null() {
            (*head).extra = ptr::null_mut();
        }
        if buffers.name.0.is_null() {
            (*head).name = ptr::null_mut();
        }
        if buffers.comment.0.is_null() {
            (*head).comment = ptr::null_mut();
        }
    }
    code
}

/// Initialises `strm` for decompression with a window of `windowBits`
/// (8..15 zlib, -8..-15 raw deflate, +16 gzip only, +32 zlib or gzip
/// detected, 0 = the size in the zlib header).
///
/// # Returns
/// `Z_OK`, `Z_MEM_ERROR` if the state cannot be allocated, `Z_VERSION_ERROR`
/// if the caller's zlib.h is not version 1.x or its `z_stream` has another
/// size, `Z_STREAM_ERROR` for a NULL `strm` or an invalid `windowBits`.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream` whose `zalloc`, `zfree` and
/// `opaque` are set (or `Z_NULL`); `version` is NULL or a NUL-terminated
/// string.
#[export_name = symbol!("inflateInit2_")]
pub unsafe extern "C" fn inflateInit2_(
    strm: z_streamp,
    windowBits: c_int,
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
        // Allocate first and validate the window size second, as zlib does.
        // The stream's other fields may be uninitialised (zlib reads none
        // of them here): they are written, never read.
        let mut fields = Fields::new();
        let Ok(core) = Inflater::with_memory(15, &mut fields, alloc) else {
            return Z_STREAM_ERROR;
        };
        let state = InflateState {
            inflater: core,
            header: ptr::null_mut(),
        };
        if !State::attach(stream, alloc, INFLATE_MAGIC, state) {
            return Z_MEM_ERROR;
        }
        // SAFETY: the state was just attached to this stream.
        let Some((stream, state)) = (unsafe { checked(strm) }) else {
            return Z_STREAM_ERROR;
        };
        let mut fields = Fields::new();
        match state.core.inflater.reset2(windowBits, &mut fields) {
            Code::Ok => {
                store_fields(stream, &fields);
                Z_OK
            }
            code => {
                // SAFETY: `checked` accepted the state.
                unsafe { State::detach(stream) };
                code as c_int
            }
        }
    })
}

/// `inflateInit2_` with `windowBits` 15 (a zlib stream, 32 KiB window).
///
/// # Returns
/// As `inflateInit2_`.
///
/// # Safety
/// As `inflateInit2_`.
#[export_name = symbol!("inflateInit_")]
pub unsafe extern "C" fn inflateInit_(
    strm: z_streamp,
    version: *const c_char,
    stream_size: c_int,
) -> c_int {
    // SAFETY: forwarded under the same contract.
    unsafe { inflateInit2_(strm, 15, version, stream_size) }
}

/// Decompresses as much as possible from `next_in` to `next_out`,
/// updating the stream's pointers, counts, totals, `adler`, `data_type` and
/// (on errors) `msg`. `flush` may be `Z_NO_FLUSH`, `Z_SYNC_FLUSH`,
/// `Z_FINISH`, `Z_BLOCK` or `Z_TREES`.
///
/// # Returns
/// `Z_OK` on progress, `Z_STREAM_END` at the end of the stream,
/// `Z_NEED_DICT` when a dictionary is needed, `Z_DATA_ERROR` for corrupt
/// data (`msg` says why), `Z_STREAM_ERROR` for a bad stream or a NULL
/// `next_out` (or NULL `next_in` with input), `Z_MEM_ERROR` when the window
/// (allocated when first needed) cannot be, `Z_BUF_ERROR` when no progress
/// was possible or `Z_FINISH` did not finish.
///
/// # Safety
/// `strm` is NULL or valid; `next_in` is readable for `avail_in` bytes and
/// `next_out` writable for `avail_out` bytes; a registered `gz_header` and
/// its buffers are valid for their `*_max` sizes.
#[export_name = symbol!("inflate")]
pub unsafe extern "C" fn inflate(strm: z_streamp, flush: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |stream, state| {
            if stream.next_out.is_null() || (stream.next_in.is_null() && stream.avail_in != 0) {
                return Z_STREAM_ERROR;
            }
            // SAFETY: the caller guarantees the buffers for their lengths.
            let (input, output) = (
                buffers::stream_input(stream),
                buffers::stream_output(stream),
            );
            let mut view = Stream::with_output(input, output, load_fields(stream));
            let flush = Flush::from_raw(flush);
            let inflater = &mut state.core.inflater;
            let head = state.core.header;
            let code = if inflater.header_watched() && !head.is_null() {
                // SAFETY: a registered header and its buffers stay valid
                // while inflating (inflateGetHeader's contract).
                inflate_with_header(inflater, &mut view, flush, head)
            } else {
                inflater.inflate(&mut view, flush, None)
            };
            let (consumed, produced, fields) = (view.consumed, view.produced, view.fields);
            buffers::advance(stream, consumed, produced);
            store_fields(stream, &fields);
            code as c_int
        })
    }
}

/// Frees the stream's state.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a stream rzlib's inflate did not set up.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateEnd")]
pub unsafe extern "C" fn inflateEnd(strm: z_streamp) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: per the contract. A stream broken by a panic is freed too.
        let Some((stream, _)) =
            (unsafe { buffers::checked_even_if_broken::<InflateState>(strm, INFLATE_MAGIC) })
        else {
            return Z_STREAM_ERROR;
        };
        // SAFETY: `checked_even_if_broken` accepted the state.
        unsafe { State::detach(stream) };
        Z_OK
    })
}

/// Restarts decompression of a new stream, keeping the window.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for an invalid stream.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateResetKeep")]
pub unsafe extern "C" fn inflateResetKeep(strm: z_streamp) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |stream, state| {
            let mut fields = load_fields(stream);
            state.core.inflater.reset_keep(&mut fields);
            store_fields(stream, &fields);
            Z_OK
        })
    }
}

/// Restarts decompression of a new stream with the same parameters.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for an invalid stream.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateReset")]
pub unsafe extern "C" fn inflateReset(strm: z_streamp) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |stream, state| {
            let mut fields = load_fields(stream);
            state.core.inflater.reset(&mut fields);
            store_fields(stream, &fields);
            Z_OK
        })
    }
}

/// Restarts decompression with a new `windowBits` (as `inflateInit2_`).
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for an invalid stream or `windowBits`.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateReset2")]
pub unsafe extern "C" fn inflateReset2(strm: z_streamp, windowBits: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |stream, state| {
            let mut fields = load_fields(stream);
            let code = state.core.inflater.reset2(windowBits, &mut fields);
            store_fields(stream, &fields);
            code as c_int
        })
    }
}

/// Supplies the preset dictionary: right after `inflate` returned
/// `Z_NEED_DICT` for a zlib stream, or at any time for a raw stream.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for an invalid stream or a zlib/gzip stream not
/// waiting for a dictionary, `Z_DATA_ERROR` if the dictionary's Adler-32
/// is not the one the stream asks for, `Z_MEM_ERROR` if the window cannot
/// be allocated.
///
/// # Safety
/// `strm` is NULL or valid; `dictionary` is readable for `dictLength` bytes.
#[export_name = symbol!("inflateSetDictionary")]
pub unsafe extern "C" fn inflateSetDictionary(
    strm: z_streamp,
    dictionary: *const Bytef,
    dictLength: uInt,
) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |_, state| {
            let dictionary = buffers::input(dictionary, dictLength as usize);
            state.core.inflater.set_dictionary(dictionary) as c_int
        })
    }
}

/// Copies the current window (up to 32 KiB of recent output) to
/// `dictionary` if it is not NULL, and its length to `*dictLength` if that
/// is not NULL.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for an invalid stream.
///
/// # Safety
/// `strm` is NULL or valid; `dictionary` is NULL or writable for the window
/// length (at most 32768 bytes); `dictLength` is NULL or writable.
#[export_name = symbol!("inflateGetDictionary")]
pub unsafe extern "C" fn inflateGetDictionary(
    strm: z_streamp,
    dictionary: *mut Bytef,
    dictLength: *mut uInt,
) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |_, state| {
            let have = state.core.inflater.dictionary_len();
            let mut target = buffers::output(dictionary, have);
            let target = (!dictionary.is_null()).then_some(&mut target);
            state.core.inflater.get_dictionary(target);
            if let Some(length) = dictLength.as_mut() {
                *length = have as uInt;
            }
            Z_OK
        })
    }
}

/// Skips input until a full-flush point (an empty stored block) and
/// prepares to decode from there.
///
/// # Returns
/// `Z_OK` once found, `Z_BUF_ERROR` with no input, `Z_DATA_ERROR` if the
/// input ran out first (call again with more), `Z_STREAM_ERROR` for an
/// invalid stream.
///
/// # Safety
/// `strm` is NULL or valid; `next_in` is readable for `avail_in` bytes.
#[export_name = symbol!("inflateSync")]
pub unsafe extern "C" fn inflateSync(strm: z_streamp) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |stream, state| {
            let data = buffers::stream_input(stream);
            let mut view = Stream::with_output(data, Writer::empty(), load_fields(stream));
            let code = state.core.inflater.sync(&mut view);
            let (consumed, fields) = (view.consumed, view.fields);
            buffers::advance(stream, consumed, 0);
            store_fields(stream, &fields);
            code as c_int
        })
    }
}

/// Tells whether inflate stopped at the end of a block produced by
/// `Z_SYNC_FLUSH` or `Z_FULL_FLUSH` (awaiting a stored block's lengths).
///
/// # Returns
/// 1 if so, 0 if not, `Z_STREAM_ERROR` for an invalid stream.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateSyncPoint")]
pub unsafe extern "C" fn inflateSyncPoint(strm: z_streamp) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |_, state| {
            c_int::from(state.core.inflater.sync_point())
        })
    }
}

/// Makes `dest` an independent copy of the decompression stream `source`,
/// allocated with `source`'s allocator.
///
/// # Returns
/// `Z_OK`, `Z_MEM_ERROR` if the copy cannot be allocated (`dest` is left
/// alone), `Z_STREAM_ERROR` for an invalid `source` or a NULL `dest`.
///
/// # Safety
/// `source` is NULL or valid; `dest` is NULL or writable.
#[export_name = symbol!("inflateCopy")]
pub unsafe extern "C" fn inflateCopy(dest: z_streamp, source: z_streamp) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(source, Z_STREAM_ERROR, |src_stream, state| {
            if dest.is_null() {
                return Z_STREAM_ERROR;
            }
            let alloc = Allocator::of(src_stream.zalloc, src_stream.zfree, src_stream.opaque);
            // `dest` is writable; `z_stream` is plain data, so a bitwise copy
            // (and restoring the old value on failure) is sound.
            {
                // `dest` may be uninitialised: saved and restored as bytes.
                let saved = ptr::read(dest.cast::<MaybeUninit<z_stream>>());
                ptr::copy(&*src_stream, dest, 1);
                // Like zlib: the state, then the window if the source has one.
                let made = State::attach_with(&mut *dest, alloc, INFLATE_MAGIC, || {
                    Some(InflateState {
                        inflater: state.core.inflater.try_clone(alloc)?,
                        header: state.core.header,
                    })
                });
                if made.is_err() {
                    ptr::write(dest.cast::<MaybeUninit<z_stream>>(), saved);
                    return Z_MEM_ERROR;
                }
            }
            Z_OK
        })
    }
}

/// Inserts `bits` bits (at most 16) of `value` into the input bit buffer,
/// or empties it when `bits` is negative.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for an invalid stream, more than 16 bits, or
/// more than 32 bits buffered.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflatePrime")]
pub unsafe extern "C" fn inflatePrime(strm: z_streamp, bits: c_int, value: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |_, state| {
            state.core.inflater.prime(bits, value) as c_int
        })
    }
}

/// Reports where decoding stands: the bits taken of the current code in the
/// upper half (-1 at a block boundary), and in the lower 16 bits the bytes
/// left of a stored block or the bytes copied of a match.
///
/// # Returns
/// The mark, or -65536 for an invalid stream.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateMark")]
pub unsafe extern "C" fn inflateMark(strm: z_streamp) -> c_long {
    const INVALID: c_long = -(1 << 16);
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, INVALID, |_, state| {
            state.core.inflater.mark() as c_long
        })
    }
}

/// Registers `head` to receive the gzip header's fields as inflate reads
/// them (`head->done` becomes 1 once complete, -1 if the stream is zlib).
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for an invalid stream or one not set up for
/// gzip.
///
/// # Safety
/// `strm` is NULL or valid; `head` and its `extra`, `name` and `comment`
/// buffers (of `extra_max`, `name_max`, `comm_max` bytes) stay valid while
/// the header is being read.
#[export_name = symbol!("inflateGetHeader")]
pub unsafe extern "C" fn inflateGetHeader(strm: z_streamp, head: gz_headerp) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |_, state| {
            let code = state.core.inflater.watch_header();
            if code == Code::Ok {
                state.core.header = head;
                if let Some(head) = head.as_mut() {
                    head.done = 0;
                }
            }
            code as c_int
        })
    }
}

/// Asks to allow distances beyond the window; like zlib's default build,
/// rzlib does not support it and keeps checking.
///
/// # Returns
/// `Z_DATA_ERROR`, or `Z_STREAM_ERROR` for an invalid stream.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateUndermine")]
pub unsafe extern "C" fn inflateUndermine(strm: z_streamp, subvert: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |_, state| {
            state.core.inflater.undermine(subvert != 0) as c_int
        })
    }
}

/// Turns verification of the zlib/gzip check value on (`check` non-zero) or
/// off. It stays off for raw deflate.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for an invalid stream.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateValidate")]
pub unsafe extern "C" fn inflateValidate(strm: z_streamp, check: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, Z_STREAM_ERROR, |_, state| {
            state.core.inflater.validate(check != 0);
            Z_OK
        })
    }
}

/// The number of decoding table entries in use, as zlib counts them.
///
/// # Returns
/// The count, or `(unsigned long)-1` for an invalid stream.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateCodesUsed")]
pub unsafe extern "C" fn inflateCodesUsed(strm: z_streamp) -> c_ulong {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, c_ulong::MAX, |_, state| {
            state.core.inflater.codes_used() as c_ulong
        })
    }
}
