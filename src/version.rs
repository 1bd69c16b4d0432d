// The zlib release whose API and behaviour rzlib reproduces. Shared by the
// crate and build.rs (through `include!`), so the headers and `zlibVersion()`
// cannot disagree.

/// The zlib version string rzlib reports (`ZLIB_VERSION`, `zlibVersion()`).
pub const ZLIB_VERSION: &str = "1.3.2";
/// [`ZLIB_VERSION`] with its NUL terminator, for C callers.
pub const ZLIB_VERSION_C: &core::ffi::CStr = c"1.3.2";
/// `ZLIB_VERNUM`: the version as 0xMmrs hex digits.
pub const ZLIB_VERNUM: u32 = 0x1320;
/// `ZLIB_VER_MAJOR`.
pub const ZLIB_VER_MAJOR: u32 = 1;
/// `ZLIB_VER_MINOR`.
pub const ZLIB_VER_MINOR: u32 = 3;
/// `ZLIB_VER_REVISION`.
pub const ZLIB_VER_REVISION: u32 = 2;
/// `ZLIB_VER_SUBREVISION`.
pub const ZLIB_VER_SUBREVISION: u32 = 0;
