//! The `inflateBack` exports: raw deflate decoding with input and output
//! callbacks into a window the caller provides.
//!
//! The state keeps the caller's window pointer next to the safe core
//! ([`crate::inflate::back::InflateBack`]); each call wraps `in()`/`out()`
//! in a [`BackIo`] and the window in a slice of possibly uninitialised
//! bytes ([`buffers::scratch`]), and the core never sees a raw pointer.

use core::ffi::{c_char, c_int, c_uchar, c_uint, c_void};
use core::ptr;

use super::alloc::{Allocator, Owned};
use super::buffers;
use super::catch_panic;
use super::constants::{Z_MEM_ERROR, Z_OK, Z_STREAM_ERROR, Z_VERSION_ERROR};
use super::stream::{in_func, out_func, z_stream, z_streamp};
use super::types::uInt;
use super::version_matches;
use crate::inflate::back::{BackIo, InflateBack};
use crate::writer::WindowPart;

/// Tags `inflateBack` states (see [`Owned`]); distinct from inflate's, so
/// neither family accepts the other's state.
const INFLATE_BACK_MAGIC: u64 = 0x7a69_6e62_5e0b_a6c1;

/// What `strm->state` points to: the core and the caller's window.
struct BackState {
    core: InflateBack,
    window: *mut c_uchar,
}

type State = Owned<BackState>;

/// The caller's callbacks and the input chunk they last supplied.
struct Callbacks {
    input: in_func,
    in_desc: *mut c_void,
    output: out_func,
    out_desc: *mut c_void,
    chunk: *const c_uchar,
    chunk_len: usize,
}

impl BackIo for Callbacks {
    fn more_input(&mut self) -> bool {
        // A NULL in() has nothing to give (zlib would call through it).
        let Some(input) = self.input else {
            self.chunk = ptr::null();
            self.chunk_len = 0;
            return false;
        };
        let mut buffer: *mut c_uchar = ptr::null_mut();
        // SAFETY: the caller's in() with its own descriptor, as zlib calls it.
        let len = unsafe { input(self.in_desc, &mut buffer) };
        if len == 0 || buffer.is_null() {
            self.chunk = ptr::null();
            self.chunk_len = 0;
            return false;
        }
        self.chunk = buffer;
        self.chunk_len = len as usize;
        true
    }

    fn input(&self) -> &[u8] {
        // SAFETY: in() (or the caller, for the initial next_in/avail_in)
        // promised the chunk stays readable until in() is called again,
        // which needs `&mut self` and so ends this borrow first.
        unsafe { buffers::input(self.chunk, self.chunk_len) }
    }

    fn output(&mut self, mut window_part: WindowPart<'_>) -> bool {
        // A NULL out() cannot take the output (zlib would call through it).
        let Some(output) = self.output else {
            return false;
        };
        let len = window_part.len() as c_uint;
        // SAFETY: the caller's out() with its own descriptor and a window
        // part of at most 32 KiB, writable as zlib hands it over; what C
        // writes there is initialised bytes.
        unsafe { output(self.out_desc, window_part.as_mut_ptr(), len) == 0 }
    }
}

/// Initialises `strm` for [`inflateBack`] with the caller's `window` of
/// `1 << windowBits` bytes, which also serves as the output buffer.
///
/// # Returns
/// `Z_OK`, `Z_VERSION_ERROR` if the caller's zlib.h is not version 1.x or
/// its `z_stream` has another size, `Z_STREAM_ERROR` for a NULL `strm` or
/// `window` or a `windowBits` outside 8..15, `Z_MEM_ERROR` if the state
/// cannot be allocated.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream` whose `zalloc`, `zfree` and
/// `opaque` are set (or `Z_NULL`); `window` is NULL or writable for
/// `1 << windowBits` bytes and stays so until [`inflateBackEnd`];
/// `version` is NULL or a NUL-terminated string.
#[export_name = symbol!("inflateBackInit_")]
pub unsafe extern "C" fn inflateBackInit_(
    strm: z_streamp,
    windowBits: c_int,
    window: *mut c_uchar,
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
        if window.is_null() {
            return Z_STREAM_ERROR;
        }
        let Ok(core) = InflateBack::new(windowBits) else {
            return Z_STREAM_ERROR;
        };
        stream.msg = ptr::null_mut();
        let alloc = Allocator::install(stream);
        if !State::attach(
            stream,
            alloc,
            INFLATE_BACK_MAGIC,
            BackState { core, window },
        ) {
            return Z_MEM_ERROR;
        }
        Z_OK
    })
}

/// Decodes a whole raw deflate stream. Input comes from `strm->next_in`
/// (`avail_in` bytes; none if `next_in` is NULL) and then from `in(in_desc,
/// &buf)`, which returns the number of bytes it made available at `buf` (0
/// at the end or on failure). Output accumulates in the window;
/// `out(out_desc, buf, len)` receives it each time the window is full and
/// once more with the rest at the end, and returns non-zero on failure.
/// On return `next_in`/`avail_in` hold the input not used.
///
/// # Returns
/// `Z_STREAM_END` on success, `Z_DATA_ERROR` for a format error (`msg` says
/// why), `Z_BUF_ERROR` if `in()` ran dry or failed (then `next_in` is NULL)
/// or `out()` failed, `Z_STREAM_ERROR` for a stream that [`inflateBackInit_`]
/// did not set up.
///
/// # Safety
/// `strm` is NULL or valid; `next_in` is NULL or readable for `avail_in`
/// bytes; each buffer `in()` returns stays readable until `in()` is called
/// again or this function returns, and no input overlaps the window.
#[export_name = symbol!("inflateBack")]
pub unsafe extern "C" fn inflateBack(
    strm: z_streamp,
    in_: in_func,
    in_desc: *mut c_void,
    out: out_func,
    out_desc: *mut c_void,
) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_state(strm, |stream, state| {
            stream.msg = ptr::null_mut();
            let mut io = Callbacks {
                input: in_,
                in_desc,
                output: out,
                out_desc,
                chunk: stream.next_in,
                chunk_len: if stream.next_in.is_null() {
                    0
                } else {
                    stream.avail_in as usize
                },
            };
            let window_size = state.core.core.window_size();
            // SAFETY: inflateBackInit_'s caller keeps the window writable for
            // its size while the stream lives, and no input overlaps it.
            let window = buffers::scratch(state.core.window, window_size);
            let outcome = state.core.core.run(window, &mut io);
            if let Some(stop) = outcome.fast_loop_stop {
                // zlib leaves next_out/avail_out where its fast loop stopped.
                stream.next_out = state.core.window.wrapping_add(stop);
                stream.avail_out = (window_size - stop.min(window_size)) as uInt;
            }
            match outcome.unused_input {
                Some(used) => {
                    let used = used.min(io.chunk_len);
                    stream.next_in = io.chunk.wrapping_add(used).cast_mut();
                    stream.avail_in = (io.chunk_len - used) as uInt;
                }
                None => {
                    stream.next_in = ptr::null_mut();
                    stream.avail_in = 0;
                }
            }
            if let Some(message) = outcome.message {
                stream.msg = message.as_ptr().cast_mut();
            }
            outcome.code as c_int
        })
    }
}

/// Runs `body` on the stream and its state if `strm` and its state are
/// rzlib's inflateBack ones (zlib checks no more) and no earlier call
/// panicked in it; else `Z_STREAM_ERROR`. A panic is caught and marks the
/// stream broken: every later call but inflateBackEnd is refused.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream` whose state is NULL or live.
unsafe fn with_state(
    strm: z_streamp,
    body: impl FnOnce(&mut z_stream, &mut State) -> c_int,
) -> c_int {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: per the caller's contract.
        match unsafe { State::of(strm, INFLATE_BACK_MAGIC) } {
            Some((stream, state)) if !state.broken => body(stream, state),
            _ => Z_STREAM_ERROR,
        }
    }));
    outcome.unwrap_or_else(|_| {
        // SAFETY: as above; the state is still allocated (only
        // inflateBackEnd frees it).
        if let Some((_, state)) = unsafe { State::of(strm, INFLATE_BACK_MAGIC) } {
            state.broken = true;
        }
        Z_STREAM_ERROR
    })
}

/// Frees the state [`inflateBackInit_`] allocated. The window stays the
/// caller's.
///
/// # Returns
/// `Z_OK`, or `Z_STREAM_ERROR` for a stream that [`inflateBackInit_`] did
/// not set up or whose `zfree` is NULL.
///
/// # Safety
/// `strm` is NULL or valid.
#[export_name = symbol!("inflateBackEnd")]
pub unsafe extern "C" fn inflateBackEnd(strm: z_streamp) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: per the contract.
        let Some((stream, _)) = (unsafe { State::of(strm, INFLATE_BACK_MAGIC) }) else {
            return Z_STREAM_ERROR;
        };
        if stream.zfree.is_none() {
            return Z_STREAM_ERROR;
        }
        // SAFETY: `State::of` accepted the state.
        unsafe { State::detach(stream) };
        Z_OK
    })
}
