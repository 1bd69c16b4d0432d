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
pub trait Element: Copy + Default + Debug + 'static {}
impl Element for u8 {}
impl Element for u16 {}

/// A source of zeroed buffers. Cloning gives a handle to the same source.
pub trait Memory: Clone + Debug {
    /// A buffer of `T`s owned by this memory; dropping it releases it.
    type Buffer<T: Element>: Deref<Target = [T]> + DerefMut + Debug;

    /// A zeroed buffer of `len` elements, or `None` when memory is refused.
    fn zeroed<T: Element>(&self, len: usize) -> Option<Self::Buffer<T>>;

    /// A copy of `data` in a new buffer, or `None` when memory is refused.
    fn copy_of<T: Element>(&self, data: &[T]) -> Option<Self::Buffer<T>> {
        let mut buffer = self.zeroed(data.len())?;
        buffer.copy_from_slice(data);
        Some(buffer)
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
}
