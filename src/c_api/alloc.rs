//! zlib's allocator contract: `zalloc`/`zfree`/`opaque` from the caller, or
//! malloc/free when they are `Z_NULL`. Memory from a caller's allocator may be
//! unaligned, so every state is placed at an aligned offset inside its block.

use core::alloc::Layout;
use core::ffi::c_void;
use core::mem::{align_of, size_of};
use core::ptr;

use super::stream::{alloc_func, free_func, z_stream};
use super::types::{uInt, voidpf};

/// Bytes in front of each default block that record its size, since
/// `zfree` is not told the size; also the alignment of the block.
const SIZE_HEADER: usize = 16;

/// zlib's default `zalloc`, on Rust's global allocator.
unsafe extern "C" fn default_zalloc(_opaque: voidpf, items: uInt, size: uInt) -> voidpf {
    let total = (items as usize)
        .checked_mul(size as usize)
        .and_then(|n| n.checked_add(SIZE_HEADER));
    let Some(layout) = total.and_then(|n| Layout::from_size_align(n, SIZE_HEADER).ok()) else {
        return ptr::null_mut();
    };
    // SAFETY: the layout has a non-zero size; the size is recorded in the
    // header, which lies inside the block.
    unsafe {
        let base = std::alloc::alloc(layout);
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
#[derive(Clone, Copy)]
pub(crate) struct Allocator {
    zalloc: unsafe extern "C" fn(voidpf, uInt, uInt) -> voidpf,
    zfree: unsafe extern "C" fn(voidpf, voidpf),
    opaque: voidpf,
}

impl Allocator {
    /// Completes the stream's allocator the way zlib's `*Init` functions do:
    /// a `Z_NULL` `zalloc` becomes the default (and `opaque` becomes `Z_NULL`),
    /// a `Z_NULL` `zfree` becomes the default.
    pub(crate) fn install(strm: &mut z_stream) -> Allocator {
        if strm.zalloc.is_none() {
            strm.zalloc = Some(default_zalloc);
            strm.opaque = ptr::null_mut();
        }
        if strm.zfree.is_none() {
            strm.zfree = Some(default_zfree);
        }
        Allocator::of(strm.zalloc, strm.zfree, strm.opaque)
    }

    /// The allocator a stream names now, with defaults for `Z_NULL` slots.
    pub(crate) fn of(zalloc: alloc_func, zfree: free_func, opaque: voidpf) -> Allocator {
        Allocator {
            zalloc: zalloc.unwrap_or(default_zalloc),
            zfree: zfree.unwrap_or(default_zfree),
            opaque,
        }
    }

    /// Moves `value` into memory from this allocator. The block holds a
    /// pointer to its own start just before the aligned value, so that
    /// [`Allocator::free`] can hand the original address back to `zfree`.
    /// Returns `None` when the allocator fails (or the size overflows uInt).
    pub(crate) fn boxed<T>(&self, value: T) -> Option<*mut T> {
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
        // SAFETY: `offset + size_of::<T>() <= total`, so the value and the
        // back pointer just before it lie inside the block; the value is
        // aligned by construction and the back pointer is written unaligned.
        unsafe {
            let value_ptr = base.add(offset) as *mut T;
            ptr::write_unaligned(value_ptr.cast::<*mut u8>().sub(1), base);
            ptr::write(value_ptr, value);
            Some(value_ptr)
        }
    }

    /// Drops and releases a value made by [`Allocator::boxed`] with an
    /// allocator equivalent to this one.
    ///
    /// # Safety
    /// `value` must come from `boxed` and not have been freed.
    pub(crate) unsafe fn free<T>(&self, value: *mut T) {
        // SAFETY: guaranteed by the caller; the back pointer sits just before the value.
        unsafe {
            let base = ptr::read_unaligned(value.cast::<*mut u8>().sub(1));
            ptr::drop_in_place(value);
            (self.zfree)(self.opaque, base.cast());
        }
    }
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
    /// The safe core's state.
    pub core: T,
}

impl<T> Owned<T> {
    /// Allocates the state for `strm` with the stream's allocator and links it
    /// into `strm.state`. Returns `false` when the allocation fails.
    pub(crate) fn attach(strm: &mut z_stream, alloc: Allocator, magic: u64, core: T) -> bool {
        let owner: *const z_stream = strm;
        match alloc.boxed(Owned {
            owner,
            magic,
            alloc,
            core,
        }) {
            Some(state) => {
                strm.state = state.cast();
                true
            }
            None => false,
        }
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
