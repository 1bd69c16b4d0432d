//! zlib's allocator contract: `zalloc`/`zfree`/`opaque` from the caller, or
//! malloc/free when they are `Z_NULL`. Memory from a caller's allocator may be
//! unaligned, so every state is placed at an aligned offset inside its block.

use core::alloc::Layout;
use core::ffi::c_void;
use core::fmt;
use core::mem::{align_of, size_of};
use core::ops::{Deref, DerefMut};
use core::ptr::{self, NonNull};
use core::slice;

use super::stream::{alloc_func, free_func, z_stream};
use super::types::{uInt, voidpf};
use crate::memory::{Element, Grow, Memory};

/// Bytes in front of each default block that record its size, since
/// `zfree` is not told the size; also the alignment of the block.
const SIZE_HEADER: usize = 16;

/// zlib's default `zalloc`, on Rust's global allocator.
unsafe extern "C" fn default_zalloc(_opaque: voidpf, items: uInt, size: uInt) -> voidpf {
    default_block(items, size, false)
}

/// A block for [`default_zfree`]: `items * size` bytes after a header that
/// records the block's size; zeroed on request (the global allocator then
/// hands out fresh pages without touching them). NULL on failure.
fn default_block(items: uInt, size: uInt, zeroed: bool) -> voidpf {
    let total = (items as usize)
        .checked_mul(size as usize)
        .and_then(|n| n.checked_add(SIZE_HEADER));
    let Some(layout) = total.and_then(|n| Layout::from_size_align(n, SIZE_HEADER).ok()) else {
        return ptr::null_mut();
    };
    // SAFETY: the layout has a non-zero size; the size is recorded in the
    // header, which lies inside the block.
    unsafe {
        let base = if zeroed {
            std::alloc::alloc_zeroed(layout)
        } else {
            std::alloc::alloc(layout)
        };
        if base.is_null() {
            return ptr::null_mut();
        }
        base.cast::<usize>().write(layout.size());
        base.add(SIZE_HEADER).cast()
    }
}

/// zlib's default `zfree`.
unsafe extern "C" fn default_zfree(_opaque: voidpf, address: voidpf) {
    if address.is_null() {
        return;
    }
    // SAFETY: `address` came from `default_zalloc`, which recorded the block's
    // size just in front of it.
    unsafe {
        let base = address.cast::<u8>().sub(SIZE_HEADER);
        let size = base.cast::<usize>().read();
        std::alloc::dealloc(base, Layout::from_size_align_unchecked(size, SIZE_HEADER));
    }
}

/// The allocator a stream was created with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Allocator {
    zalloc: unsafe extern "C" fn(voidpf, uInt, uInt) -> voidpf,
    zfree: unsafe extern "C" fn(voidpf, voidpf),
    opaque: voidpf,
    /// The caller left `zalloc` and `zfree` Z_NULL: buffers come zeroed from the
    /// default blocks, so untouched pages stay untouched (zlib does not
    /// clear its window either).
    is_default: bool,
}

impl Allocator {
    /// Completes the stream's allocator the way zlib's `*Init` functions do:
    /// a `Z_NULL` `zalloc` becomes the default (and `opaque` becomes `Z_NULL`),
    /// a `Z_NULL` `zfree` becomes the default.
    pub(crate) fn install(strm: &mut z_stream) -> Allocator {
        let is_default = strm.zalloc.is_none() && strm.zfree.is_none();
        if strm.zalloc.is_none() {
            strm.zalloc = Some(default_zalloc);
            strm.opaque = ptr::null_mut();
        }
        if strm.zfree.is_none() {
            strm.zfree = Some(default_zfree);
        }
        Allocator {
            is_default,
            ..Allocator::of(strm.zalloc, strm.zfree, strm.opaque)
        }
    }

    /// The default allocator (malloc/free), for the one-shot functions.
    pub(crate) fn default_pair() -> Allocator {
        Allocator {
            is_default: true,
            ..Allocator::of(None, None, ptr::null_mut())
        }
    }

    /// The allocator a stream names now, with defaults for `Z_NULL` slots.
    pub(crate) fn of(zalloc: alloc_func, zfree: free_func, opaque: voidpf) -> Allocator {
        Allocator {
            zalloc: zalloc.unwrap_or(default_zalloc),
            zfree: zfree.unwrap_or(default_zfree),
            opaque,
            is_default: false,
        }
    }

    /// Memory from this allocator for one `T`, not holding it yet. The
    /// block keeps a pointer to its own start just before the aligned value,
    /// so that [`Allocator::free`] can hand the original address back to
    /// `zfree`. Returns `None` when the allocator fails (or the size
    /// overflows uInt).
    pub(crate) fn slot<T>(&self) -> Option<Slot<T>> {
        let align = align_of::<T>().max(align_of::<*mut c_void>());
        let total = size_of::<T>() + align + size_of::<*mut c_void>();
        let total = uInt::try_from(total).ok()?;
        // SAFETY: calling the caller's allocator with zlib's (opaque, items, size) contract.
        let base = unsafe { (self.zalloc)(self.opaque, 1, total) } as *mut u8;
        if base.is_null() {
            return None;
        }
        let header = size_of::<*mut c_void>();
        let offset = (align - (base as usize + header) % align) % align + header;
        Some(Slot {
            base,
            // `offset + size_of::<T>() <= total`: the value lies inside the block.
            value: base.wrapping_add(offset).cast(),
            alloc: *self,
        })
    }

    /// `items * size` bytes from `zalloc`, or `None`; zeroed when
    /// `zeroed` and this is the default allocator, whose `zfree` releases
    /// them.
    fn raw(&self, items: uInt, size: uInt, zeroed: bool) -> Option<voidpf> {
        let block = if self.is_default {
            default_block(items, size, zeroed)
        } else {
            // SAFETY: calling the caller's allocator with zlib's (opaque, items, size) contract.
            unsafe { (self.zalloc)(self.opaque, items, size) }
        };
        (!block.is_null()).then_some(block)
    }

    /// Drops and releases a value placed by [`Allocator::slot`] with an
    /// allocator equivalent to this one.
    ///
    /// # Safety
    /// `value` must come from a filled [`Slot`] and not have been freed.
    pub(crate) unsafe fn free<T>(&self, value: *mut T) {
        // SAFETY: guaranteed by the caller; the back pointer sits just before the value.
        unsafe {
            let base = ptr::read_unaligned(value.cast::<*mut u8>().sub(1));
            ptr::drop_in_place(value);
            (self.zfree)(self.opaque, base.cast());
        }
    }
}

/// A block from [`Allocator::slot`] waiting for its value; dropped unfilled,
/// it goes back to `zfree`.
pub(crate) struct Slot<T> {
    base: *mut u8,
    value: *mut T,
    alloc: Allocator,
}

impl<T> Slot<T> {
    /// Moves `value` into the block; it is released by [`Allocator::free`].
    pub(crate) fn fill(self, value: T) -> *mut T {
        let slot = core::mem::ManuallyDrop::new(self);
        // SAFETY: the value's place is aligned and inside the block (see
        // `slot`), with room for the back pointer just before it, which is
        // written unaligned.
        unsafe {
            ptr::write_unaligned(slot.value.cast::<*mut u8>().sub(1), slot.base);
            ptr::write(slot.value, value);
        }
        slot.value
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        // SAFETY: the block came from this allocator and holds no value.
        unsafe { (self.alloc.zfree)(self.alloc.opaque, self.base.cast()) }
    }
}

/// A buffer of `T`s from a stream's allocator: the window, hash chains and
/// pending buffer of a deflate stream, which zlib allocates with `zalloc`
/// too. Memory from a caller's allocator is uninitialised: only the prefix
/// that the stream has grown (and zeroed) is ever read or written, so a
/// short stream leaves most of its pages untouched, as zlib does.
pub(crate) struct ZBuffer<T> {
    /// The first element, aligned.
    data: NonNull<T>,
    /// Elements initialised, from the first.
    len: usize,
    /// Elements the block holds after `data`.
    capacity: usize,
    /// What `zalloc` returned, for `zfree`.
    block: voidpf,
    alloc: Allocator,
}

impl<T: Element> ZBuffer<T> {
    /// Room for `capacity` elements, asked of `zalloc` as `capacity` items
    /// of `size_of::<T>()` bytes; `None` if it refuses. Memory from a
    /// caller's allocator may be unaligned: then the block is asked again
    /// with one element more, to start at an aligned address inside it.
    /// With `zeroed`, the default allocator's block comes zeroed (fresh
    /// pages then stay untouched until used) and all of it is usable at
    /// once; otherwise nothing is usable yet.
    fn reserved(alloc: Allocator, capacity: usize, zeroed: bool) -> Option<ZBuffer<T>> {
        let items = uInt::try_from(capacity).ok()?;
        let size = size_of::<T>() as uInt;
        let mut block = alloc.raw(items, size, zeroed)?;
        if !block.cast::<T>().is_aligned() {
            // SAFETY: the block came from this allocator and is unused.
            unsafe { (alloc.zfree)(alloc.opaque, block) };
            block = alloc.raw(items.checked_add(1)?, size, zeroed)?;
        }
        // Elements are 1 or 2 bytes with their size as alignment, so one
        // spare element covers any misalignment.
        let offset = block.cast::<u8>().align_offset(align_of::<T>());
        let data = block.cast::<u8>().wrapping_add(offset).cast::<T>();
        Some(ZBuffer {
            data: NonNull::new(data)?,
            len: if alloc.is_default && zeroed {
                capacity
            } else {
                0
            },
            capacity,
            block,
            alloc,
        })
    }
}

impl<T: Element> Grow<T> for ZBuffer<T> {
    fn capacity(&self) -> usize {
        self.capacity
    }

    fn grow_zeroed(&mut self, len: usize) {
        let len = len.min(self.capacity);
        if len > self.len {
            // SAFETY: `data` is aligned and `capacity` elements fit in the
            // block after it; the elements from `self.len` to `len` are
            // inside, owned by this buffer and not yet part of any slice.
            // Zeroing them makes each a valid `T`.
            unsafe { ptr::write_bytes(self.data.as_ptr().add(self.len), 0, len - self.len) };
            self.len = len;
        }
    }
}

impl<T> Deref for ZBuffer<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `len` initialised elements live at `data` while the
        // buffer exists, and only this buffer refers to them.
        unsafe { slice::from_raw_parts(self.data.as_ptr(), self.len) }
    }
}

impl<T> DerefMut for ZBuffer<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, and `&mut self` makes the access unique.
        unsafe { slice::from_raw_parts_mut(self.data.as_ptr(), self.len) }
    }
}

impl<T> Drop for ZBuffer<T> {
    fn drop(&mut self) {
        // SAFETY: the block came from this allocator and is released once.
        unsafe { (self.alloc.zfree)(self.alloc.opaque, self.block) }
    }
}

impl<T> fmt::Debug for ZBuffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ZBuffer({} of {} elements)", self.len, self.capacity)
    }
}

// SAFETY: a parallel stream moves its jobs (deflaters and buffers made with
// the stream's allocator) to pool threads and back. Every call of `zalloc`
// and `zfree` still happens on the caller's thread, inside a call on the
// stream: jobs are made, readied for their level (so that compressing
// allocates nothing) and dropped there, never on a pool thread
// (src/deflate/parallel.rs). Moving the pointers between threads is what
// any program does that uses one stream from several threads in turn, as
// zlib allows.
unsafe impl Send for Allocator {}

// SAFETY: a ZBuffer owns its block alone (no other value points into it),
// so moving it to another thread moves exclusive access with it; it is
// released through `zfree` on the caller's thread, as for `Allocator`.
unsafe impl<T: Send> Send for ZBuffer<T> {}

impl Memory for Allocator {
    type Buffer<T: Element> = ZBuffer<T>;

    fn zeroed<T: Element>(&self, len: usize) -> Option<ZBuffer<T>> {
        let mut buffer = ZBuffer::reserved(*self, len, true)?;
        buffer.grow_zeroed(len);
        Some(buffer)
    }

    /// Not zeroed by the allocator even when it could be: calloc clears a
    /// recycled block in full, which is what growing avoids.
    fn reserved<T: Element>(&self, capacity: usize) -> Option<ZBuffer<T>> {
        ZBuffer::reserved(*self, capacity, false)
    }
}

/// Which allocation [`Owned::attach_with`] was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The state block.
    State,
    /// Memory the core asked for after it.
    Core,
}

/// A library state owned by one `z_stream`. `owner` and `magic` come first so
/// that a state created by another implementation (zlib keeps its `strm` back
/// pointer first and a small `int` mode or status next) is recognised as not
/// ours without reading past what it allocated.
#[repr(C)]
pub(crate) struct Owned<T> {
    owner: *const z_stream,
    magic: u64,
    /// The allocator the state lives in; it frees the state.
    pub alloc: Allocator,
    /// Set when a call panicked in this stream: its state may be half
    /// updated, so only `*End` may touch it again.
    pub broken: bool,
    /// The safe core's state.
    pub core: T,
}

impl<T> Owned<T> {
    /// Allocates the state for `strm` with the stream's allocator and links it
    /// into `strm.state`. Returns `false` when the allocation fails.
    pub(crate) fn attach(strm: &mut z_stream, alloc: Allocator, magic: u64, core: T) -> bool {
        Owned::attach_with(strm, alloc, magic, || Some(core)).is_ok()
    }

    /// Allocates the state block for `strm` first and then makes the core,
    /// which may take more memory from the same allocator (zlib's
    /// deflateInit2_ and deflateCopy allocate the state, then the buffers).
    /// Links the state into `strm.state` when both succeed.
    pub(crate) fn attach_with(
        strm: &mut z_stream,
        alloc: Allocator,
        magic: u64,
        make: impl FnOnce() -> Option<T>,
    ) -> Result<(), Refused> {
        let slot = alloc.slot::<Owned<T>>().ok_or(Refused::State)?;
        let core = make().ok_or(Refused::Core)?;
        let state = slot.fill(Owned {
            owner: strm,
            magic,
            alloc,
            broken: false,
            core,
        });
        strm.state = state.cast();
        Ok(())
    }

    /// The state of `strm` if rzlib created it with this `magic` for this very
    /// stream; `None` for a NULL stream, a NULL state, a foreign state or a
    /// state copied from another stream without `*Copy`.
    ///
    /// # Safety
    /// `strm` is NULL or points to a valid `z_stream` whose `state` is NULL or
    /// points to a live state of some zlib implementation.
    pub(crate) unsafe fn of<'a>(
        strm: *mut z_stream,
        magic: u64,
    ) -> Option<(&'a mut z_stream, &'a mut Owned<T>)> {
        // SAFETY: per the caller's guarantee; the two references cover
        // disjoint memory (the stream and the separately allocated state).
        unsafe {
            let stream = strm.as_mut()?;
            let state = (stream.state as *mut Owned<T>).as_mut()?;
            if !ptr::eq(state.owner, strm) || state.magic != magic {
                return None;
            }
            Some((stream, state))
        }
    }

    /// Frees the state of `strm` and clears `strm.state`.
    ///
    /// # Safety
    /// `strm.state` must be a state that [`Owned::of`] accepted.
    pub(crate) unsafe fn detach(strm: &mut z_stream) {
        let state = strm.state as *mut Owned<T>;
        // SAFETY: the state was made by `attach` with the allocator it stores.
        unsafe {
            let alloc = (*state).alloc;
            alloc.free(state);
        }
        strm.state = ptr::null_mut();
    }
}
