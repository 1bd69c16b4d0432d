//! Where a stream's large buffers come from.
//!
//! zlib allocates deflate's window, `prev`, `head` and `pending_buf`, and
//! inflate's window, through the caller's `zalloc`, so a C program's
//! allocator sees (and may refuse) all of a stream's memory. The core
//! stays free of raw pointers by asking a [`Memory`] for its buffers:
//! [`Heap`] for Rust callers, the C API's allocator for C callers.

#![forbid(unsafe_code)]

use core::fmt::Debug;
use core::ops::{Deref, DerefMut};

/// An element of a stream buffer: plain data, zero by default.
pub trait Element: Copy + Default + Debug + Send + 'static {}
impl Element for u8 {}
impl Element for u16 {}

/// A buffer whose usable part may be a prefix of the memory it holds, so
/// that memory a short stream never reaches is never touched (zeroing all
/// of a deflate stream's 256 KiB made a one-shot call on 100 bytes six
/// times zlib's time when the pages are fresh). It derefs to the prefix.
pub trait Grow<T: Element>: Deref<Target = [T]> + DerefMut + Debug {
    /// Elements the buffer holds, usable or not.
    fn capacity(&self) -> usize;

    /// Makes the first `len` elements usable (at most the capacity): the
    /// new ones read as zero.
    fn grow_zeroed(&mut self, len: usize);
}

impl<T: Element> Grow<T> for Vec<T> {
    fn capacity(&self) -> usize {
        Vec::capacity(self)
    }

    fn grow_zeroed(&mut self, len: usize) {
        let len = len.min(Vec::capacity(self));
        if len > self.len() {
            self.resize(len, T::default());
        }
    }
}

/// A source of zeroed buffers. Cloning gives a handle to the same source.
///
/// Memories and their buffers are `Send`: a parallel stream's jobs move to
/// a pool thread and back, though they are made and freed only on the
/// caller's thread.
pub trait Memory: Clone + Debug + Send + 'static {
    /// A buffer of `T`s owned by this memory; dropping it releases it.
    type Buffer<T: Element>: Grow<T> + Send;

    /// A zeroed buffer of `len` elements, or `None` when memory is refused.
    fn zeroed<T: Element>(&self, len: usize) -> Option<Self::Buffer<T>>;

    /// A buffer of `capacity` elements whose usable prefix may start
    /// shorter, even empty, and grows with [`Grow::grow_zeroed`]; `None`
    /// when memory is refused.
    fn reserved<T: Element>(&self, capacity: usize) -> Option<Self::Buffer<T>> {
        self.zeroed(capacity)
    }

    /// A copy of `data` in a new buffer, or `None` when memory is refused.
    fn copy_of<T: Element>(&self, data: &[T]) -> Option<Self::Buffer<T>> {
        let mut buffer = self.zeroed(data.len())?;
        buffer.copy_from_slice(data);
        Some(buffer)
    }

    /// A copy of `buffer`, with its capacity and usable prefix, or `None`
    /// when memory is refused.
    fn copy_grown<T: Element>(&self, buffer: &Self::Buffer<T>) -> Option<Self::Buffer<T>> {
        let mut copy = self.reserved(buffer.capacity())?;
        copy.grow_zeroed(buffer.len());
        copy.get_mut(..buffer.len())?.copy_from_slice(buffer);
        Some(copy)
    }
}

/// Rust's global allocator. Like std's collections it aborts when memory
/// runs out; in return zeroed buffers come as fresh pages that cost
/// nothing until touched.
#[derive(Clone, Copy, Debug, Default)]
pub struct Heap;

impl Memory for Heap {
    type Buffer<T: Element> = Vec<T>;

    fn zeroed<T: Element>(&self, len: usize) -> Option<Vec<T>> {
        Some(vec![T::default(); len])
    }

    /// Empty, with room for exactly `capacity` (std guarantees
    /// `with_capacity`'s exactness): a recycled block is not cleared in
    /// full, as `vec![0; n]` would.
    fn reserved<T: Element>(&self, capacity: usize) -> Option<Vec<T>> {
        Some(Vec::with_capacity(capacity))
    }
}
