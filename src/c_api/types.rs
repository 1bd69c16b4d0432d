//! The scalar types of zlib's `zconf.h`, as zlib defines them on LP64 and
//! LLP64-free Unix targets. cbindgen turns this file into `include/zconf.h`.
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_long, c_uchar, c_uint, c_ulong, c_void};

/// 8 bits.
pub type Byte = c_uchar;
/// 16 bits or more.
pub type uInt = c_uint;
/// 32 bits or more.
pub type uLong = c_ulong;
/// A byte, through a far pointer on segmented machines.
pub type Bytef = Byte;
/// A char, through a far pointer on segmented machines.
pub type charf = c_char;
/// An int, through a far pointer on segmented machines.
pub type intf = c_int;
/// A uInt, through a far pointer on segmented machines.
pub type uIntf = uInt;
/// A uLong, through a far pointer on segmented machines.
pub type uLongf = uLong;
/// A pointer to constant data.
pub type voidpc = *const c_void;
/// A far pointer to data.
pub type voidpf = *mut c_void;
/// A pointer to data.
pub type voidp = *mut c_void;
/// The size type of the `_z` functions.
pub type z_size_t = usize;
/// A file offset. zconf.h makes it a macro for `off_t`, as zlib's does.
pub type z_off_t = c_long;
/// A 64-bit file offset (the `*64` functions). zconf.h makes it a macro
/// for `off64_t` or `z_off_t`, as zlib's does.
pub type z_off64_t = i64;

// Every spelling zconf.h may choose for the offsets is 64 bits wide on the
// LP64 targets rzlib supports.
const _: () = assert!(core::mem::size_of::<z_off_t>() == 8);
/// One entry of the CRC-32 table.
pub type z_crc_t = c_uint;

/// The largest memLevel deflate accepts.
pub const MAX_MEM_LEVEL: c_int = 9;
/// The largest windowBits: a 32 KiB window.
pub const MAX_WBITS: c_int = 15;
