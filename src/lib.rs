//! rzlib: zlib 1.3.2 rewritten in Rust, behind zlib's own C ABI.
//!
//! # Rust API
//! The crate root holds the API for Rust programs, in the shapes that
//! flate2 users know (docs/RUST.md in the repository maps one to the other):
//! - streams: [`Compress`] and [`Decompress`], with [`Level`],
//!   [`Strategy`], [`Format`] (zlib, gzip, raw), [`Profile`] (zlib's exact
//!   bytes or the fast profile), [`FlushCompress`] / [`FlushDecompress`],
//!   and `Result<Status, Error>` where [`Error`] carries zlib's message;
//! - `std::io` adapters in [`read`], [`write`](mod@write) and [`bufread`]: zlib, gzip
//!   (one member or [`read::MultiGzDecoder`]) and raw deflate encoders and
//!   decoders, with gzip headers from [`GzBuilder`] and [`GzHeader`];
//! - checksums: [`Crc32`] and [`Adler32`], with `combine`;
//! - one call: [`compress()`], [`decompress()`], [`compress_gzip`],
//!   [`decompress_gzip`].
//!
//! ```
//! use std::io::{Read, Write};
//!
//! let packed = rzlib::compress(b"hello world", rzlib::Level::default());
//! assert_eq!(rzlib::decompress(&packed)?, b"hello world");
//!
//! let mut gz = rzlib::write::GzEncoder::new(Vec::new(), rzlib::Level::best());
//! gz.write_all(b"streamed")?;
//! let file = gz.finish()?;
//! let mut text = String::new();
//! rzlib::read::GzDecoder::new(&file[..]).read_to_string(&mut text)?;
//! assert_eq!(text, "streamed");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The core and the C ABI
//! Under the Rust API lies the core, zlib's own API in Rust syntax
//! ([`checksum`], [`inflate`], [`deflate`], [`gz`]), which never sees a
//! raw pointer. [`c_api`] exports it to C, as `rz_<zlib name>` by default
//! and as zlib's own names with the `drop-in` feature. The Rust API and
//! the C ABI run the same core: there is one implementation.
//!
//! # Linking with another zlib
//! With `drop-in`, rzlib exports zlib's symbols, so it must not be linked
//! with another zlib (libz-sys, for one). Cargo's `links` key cannot depend
//! on a feature, so the guard is a separate crate, `libz-rzlib` (in this
//! repository), which declares `links = "z"` and enables `drop-in`: depend
//! on it rather than on rzlib's feature, and a second zlib in the build is
//! a Cargo error instead of a clash at link time.
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

mod api;
pub mod c_api;
pub mod checksum;
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
mod cpu;
pub mod deflate;
pub mod gz;
pub mod inflate;
pub mod memory;
mod pool;
pub mod writer;

// docs/RUST.md's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/RUST.md")]
pub struct RustGuide;

pub use api::{
    bufread, compress, compress_gzip, decompress, decompress_gzip, read, write, Adler32, Compress,
    CompressBuilder, Crc32, Decompress, Error, ErrorKind, FlushCompress, FlushDecompress, Format,
    GzBuilder, GzHeader, Level, Profile, Status, Strategy,
};
