//! The library-wide utility exports: `zlibVersion`, `zlibCompileFlags`, `zError`.

use core::ffi::{c_char, c_int, CStr};

use super::catch_panic;
use super::types::uLong;

// The C string and the Rust string name one version.
const _: () = {
    let (c, r) = (
        crate::ZLIB_VERSION_C.to_bytes(),
        crate::ZLIB_VERSION.as_bytes(),
    );
    assert!(c.len() == r.len());
    let mut i = 0;
    while i < c.len() {
        assert!(c[i] == r[i]);
        i += 1;
    }
};

/// Returns the zlib version this library implements, `"1.3.2"`. Programs
/// compare its first character with their header's `ZLIB_VERSION`.
///
/// # Returns
/// A static NUL-terminated string.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("zlibVersion")]
pub unsafe extern "C" fn zlibVersion() -> *const c_char {
    crate::ZLIB_VERSION_C.as_ptr()
}

/// The compile-time options, encoded as zlib encodes them. Bits 0-7 give the
/// sizes of uInt, uLong, voidpf and z_off_t (two bits each: 0 = 16 bits,
/// 1 = 32, 2 = 64, 3 = other); no optional feature bit is set.
///
/// # Returns
/// The flags as a `uLong`.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("zlibCompileFlags")]
pub unsafe extern "C" fn zlibCompileFlags() -> uLong {
    fn size_code(bytes: usize) -> uLong {
        match bytes {
            2 => 0,
            4 => 1,
            8 => 2,
            _ => 3,
        }
    }
    use core::mem::size_of;
    size_code(size_of::<super::types::uInt>())
        | size_code(size_of::<uLong>()) << 2
        | size_code(size_of::<super::types::voidpf>()) << 4
        | size_code(size_of::<super::types::z_off_t>()) << 6
}

/// zlib's message for each return code, from `Z_NEED_DICT` (2) down to
/// `Z_VERSION_ERROR` (-6).
const MESSAGES: [&CStr; 9] = [
    c"need dictionary",
    c"stream end",
    c"",
    c"file error",
    c"stream error",
    c"data error",
    c"insufficient memory",
    c"buffer error",
    c"incompatible version",
];

/// The message zlib uses for a return code, as `msg` would carry it.
pub(crate) fn error_message(code: c_int) -> &'static CStr {
    usize::try_from(2 - i64::from(code))
        .ok()
        .and_then(|i| MESSAGES.get(i))
        .copied()
        .unwrap_or(c"")
}

/// Converts a return code to its message text.
///
/// # Returns
/// A static NUL-terminated string: zlib's text for the codes `Z_NEED_DICT`
/// to `Z_VERSION_ERROR`, and an empty string for any other value.
///
/// # Safety
/// Always safe to call.
#[export_name = symbol!("zError")]
pub unsafe extern "C" fn zError(err: c_int) -> *const c_char {
    catch_panic(c"".as_ptr(), || error_message(err).as_ptr())
}
