//! rzlib: zlib 1.3.2 rewritten in Rust, behind zlib's own C ABI.
//!
//! The crate has two faces:
//! - a safe Rust API ([`checksum`], [`inflate`], [`deflate`]) that never sees a raw pointer;
//! - the C ABI in [`c_api`], exported as `rz_<zlib name>` by default and as
//!   zlib's own names with the `drop-in` feature.
//!
//! # Safety contract of the C API
//! The exports follow zlib's documented contract (zlib.h): pointers passed in
//! must be NULL or valid for the lengths given, a `z_stream` must stay at the
//! address it was initialised at (or be moved with `*Copy`), and the
//! `zalloc`/`zfree` pair must behave like malloc/free. Within that contract
//! nothing the caller passes (corrupt data, bad parameters, a stream whose
//! state another implementation created, a failing allocator) causes
//! undefined behaviour: each gets zlib's error code.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

include!("version.rs");

pub mod c_api;
pub mod checksum;
pub mod deflate;
pub mod gz;
pub mod inflate;
pub mod memory;
pub mod writer;
