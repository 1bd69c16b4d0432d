//! Every `extern "C"` function of the zlib ABI, and nothing else.
//!
//! Each export is thin: it validates the raw arguments, builds safe views of
//! the caller's memory, calls the Rust API and maps the outcome to a `Z_*`
//! code. Its symbol name comes from [`symbol!`]: `rz_<name>` by default,
//! `<name>` with the `drop-in` feature. build.rs rewrites the same `symbol!`
//! calls when it generates the headers, so the headers and the binary agree.
//!
//! Panic policy: the core is written to be free of reachable panics, and each
//! export runs its body inside [`catch_panic`] as a second line of defence, so
//! a panic never unwinds into C; it becomes the function's error value.

// The exports carry zlib's own (camelCase) names.
#![allow(non_snake_case)]

/// The exported symbol name for zlib function `$name`.
#[cfg(not(feature = "drop-in"))]
macro_rules! symbol {
    ($name:literal) => {
        concat!("rz_", $name)
    };
}

/// The exported symbol name for zlib function `$name`.
#[cfg(feature = "drop-in")]
macro_rules! symbol {
    ($name:literal) => {
        $name
    };
}

pub mod alloc;
mod buffers;
pub mod checksum;
pub mod compress;
pub mod constants;
pub mod deflate;
pub mod gz;
mod gzprintf;
pub mod inflate;
pub mod inflate_back;
mod posix;
pub mod stream;
pub mod types;
pub mod uncompress;
pub mod util;

/// Runs an export's body, turning a panic into `fallback` so that it never
/// crosses into C.
#[inline(always)]
pub(crate) fn catch_panic<R>(fallback: R, body: impl FnOnce() -> R) -> R {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Checks the `version` and `stream_size` arguments of the `*Init_` functions
/// as zlib does: the caller's header must be a zlib 1.x one and its
/// `z_stream` must have our size.
///
/// # Safety
/// `version` is NULL or points to a readable NUL-terminated string.
pub(crate) unsafe fn version_matches(
    version: *const core::ffi::c_char,
    stream_size: core::ffi::c_int,
) -> bool {
    // SAFETY: the caller guarantees `version` is NULL or readable for at least one byte.
    let first = unsafe { version.as_ref() }.copied();
    first == Some(crate::ZLIB_VERSION.as_bytes()[0] as core::ffi::c_char)
        && usize::try_from(stream_size) == Ok(core::mem::size_of::<stream::z_stream>())
}
