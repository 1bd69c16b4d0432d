//! The one place that turns the caller's pointers into Rust values.
//!
//! - Input (`next_in`, a source buffer, a dictionary) is the caller's data:
//!   initialised, so it becomes a `&[u8]`.
//! - Output (`next_out`, a destination, a dictionary or header buffer to
//!   fill) may be fresh `malloc` memory: it becomes a [`Writer`], which
//!   holds the pointer, writes, and reads back only what it wrote. No `&[u8]`
//!   or `&mut [u8]` is ever formed over it.
//! - A `z_stream` and its state are accepted only as zlib's `*StateCheck`
//!   would accept them, and only while no earlier call panicked in them.

use core::slice;

use super::alloc::Owned;
use super::stream::{z_stream, z_streamp};
use super::types::uInt;
use crate::writer::Writer;

/// `len` bytes of input at `data`; NULL or a zero length gives an empty
/// slice.
///
/// # Safety
/// A non-NULL `data` is readable for `len` initialised bytes for `'a`.
pub(crate) unsafe fn input<'a>(data: *const u8, len: usize) -> &'a [u8] {
    if data.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: per the caller's contract.
    unsafe { slice::from_raw_parts(data, len) }
}

/// `len` bytes of output space at `data`, which may be uninitialised;
/// NULL or a zero length gives an empty writer.
///
/// # Safety
/// A non-NULL `data` is writable for `len` bytes for `'a`, and no Rust
/// reference covers them meanwhile.
pub(crate) unsafe fn output<'a>(data: *mut u8, len: usize) -> Writer<'a> {
    if data.is_null() || len == 0 {
        return Writer::empty();
    }
    // SAFETY: per the caller's contract.
    unsafe { Writer::from_raw(data, len) }
}

/// The stream's input (`next_in`, `avail_in`).
///
/// # Safety
/// As [`input`], for the stream's fields.
pub(crate) unsafe fn stream_input<'a>(strm: &z_stream) -> &'a [u8] {
    // SAFETY: per the caller's contract.
    unsafe { input(strm.next_in, strm.avail_in as usize) }
}

/// The stream's output space (`next_out`, `avail_out`).
///
/// # Safety
/// As [`output`], for the stream's fields.
pub(crate) unsafe fn stream_output<'a>(strm: &z_stream) -> Writer<'a> {
    // SAFETY: per the caller's contract.
    unsafe { output(strm.next_out, strm.avail_out as usize) }
}

/// Moves `next_in`/`avail_in` and `next_out`/`avail_out` past what a call
/// took and wrote.
pub(crate) fn advance(strm: &mut z_stream, consumed: usize, produced: usize) {
    let consumed = consumed.min(strm.avail_in as usize);
    let produced = produced.min(strm.avail_out as usize);
    strm.next_in = strm.next_in.wrapping_add(consumed);
    strm.avail_in -= consumed as uInt;
    strm.next_out = strm.next_out.wrapping_add(produced);
    strm.avail_out -= produced as uInt;
}

/// The stream and its state, if zlib's `*StateCheck` would pass it
/// (non-NULL, `zalloc` and `zfree` set, a state rzlib made with `magic`
/// for this very stream) and no earlier call panicked in it.
///
/// # Safety
/// `strm` is NULL or a valid `z_stream` whose state is NULL or live.
pub(crate) unsafe fn checked<'a, T>(
    strm: z_streamp,
    magic: u64,
) -> Option<(&'a mut z_stream, &'a mut Owned<T>)> {
    // SAFETY: per the caller's contract.
    let (stream, state) = unsafe { checked_even_if_broken(strm, magic) }?;
    (!state.broken).then_some((stream, state))
}

/// [`checked`] without the panic check, for the `*End` functions, which
/// free a broken stream too.
///
/// # Safety
/// As [`checked`].
pub(crate) unsafe fn checked_even_if_broken<'a, T>(
    strm: z_streamp,
    magic: u64,
) -> Option<(&'a mut z_stream, &'a mut Owned<T>)> {
    // SAFETY: per the caller's contract.
    let stream = unsafe { strm.as_ref() }?;
    if stream.zalloc.is_none() || stream.zfree.is_none() {
        return None;
    }
    // SAFETY: per the caller's contract.
    unsafe { Owned::of(strm, magic) }
}

/// Runs `body` on a [`checked`] stream, answering `refused` when the
/// stream does not pass. A panic never reaches C: it is caught, the stream
/// is marked broken (every later call but `*End` is refused, as the state
/// may be half updated) and `refused` is returned.
///
/// # Safety
/// As [`checked`].
pub(crate) unsafe fn with_stream<T, R: Copy>(
    strm: z_streamp,
    magic: u64,
    refused: R,
    body: impl FnOnce(&mut z_stream, &mut Owned<T>) -> R,
) -> R {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: per the caller's contract.
        match unsafe { checked::<T>(strm, magic) } {
            Some((stream, state)) => body(stream, state),
            None => refused,
        }
    }));
    outcome.unwrap_or_else(|_| {
        // SAFETY: as above; the state is still allocated (only *End frees it).
        if let Some((_, state)) = unsafe { checked_even_if_broken::<T>(strm, magic) } {
            state.broken = true;
        }
        refused
    })
}

/// `len` bytes at `data` that rzlib may write and read back, such as
/// `inflateBack`'s window: typed as possibly uninitialised, so that only
/// copies (never reads as bytes) can reach what was not written.
///
/// # Safety
/// `data` is non-NULL and writable for `len` bytes for `'a`, and no other
/// Rust reference covers them meanwhile.
pub(crate) unsafe fn scratch<'a>(
    data: *mut u8,
    len: usize,
) -> &'a mut [core::mem::MaybeUninit<u8>] {
    if data.is_null() || len == 0 {
        return &mut [];
    }
    // SAFETY: per the caller's contract; `MaybeUninit<u8>` has no validity
    // requirement.
    unsafe { slice::from_raw_parts_mut(data.cast(), len) }
}

#[cfg(test)]
mod tests {
    use super::super::alloc::Allocator;
    use super::*;

    const MAGIC: u64 = 0x7465_7374_5f6d_6167;

    #[test]
    fn a_panic_breaks_the_stream_until_it_is_freed() {
        // SAFETY: a zeroed z_stream is zlib's Z_NULL-initialised stream.
        let mut strm: z_stream = unsafe { core::mem::zeroed() };
        let alloc = Allocator::install(&mut strm);
        assert!(Owned::attach(&mut strm, alloc, MAGIC, 7u32));
        let p: z_streamp = &mut strm;
        // SAFETY: a valid stream with a live rzlib state, used from one thread.
        unsafe {
            assert_eq!(
                with_stream(p, MAGIC, -2, |_, state: &mut Owned<u32>| state.core as i32),
                7
            );
            let refused = with_stream(p, MAGIC, -2, |_, state: &mut Owned<u32>| -> i32 {
                state.core = 8;
                panic!("a bug in the core")
            });
            assert_eq!(refused, -2);
            // Every later call is refused; only *End still finds the state.
            assert_eq!(with_stream(p, MAGIC, -2, |_, _: &mut Owned<u32>| 0), -2);
            assert!(checked::<u32>(p, MAGIC).is_none());
            let (stream, state) = checked_even_if_broken::<u32>(p, MAGIC).unwrap();
            assert!(state.broken);
            Owned::<u32>::detach(stream);
        }
        assert!(strm.state.is_null());
    }
}
