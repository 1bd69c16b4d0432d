//! rzlib as the zlib of the build.
//!
//! This crate is [rzlib](https://docs.rs/rzlib) with its `drop-in`
//! feature: the C ABI under zlib's own names (`inflate`, `crc32`, ...), so
//! C code in the same program that calls zlib gets rzlib. It declares
//! `links = "z"`, which rzlib cannot do for one feature only (Cargo's
//! `links` key applies to a package, not a feature): a build that also
//! pulls in another zlib, such as libz-sys, fails in Cargo's resolver with
//! an error naming both packages, instead of linking two sets of zlib's
//! symbols into one program.
//!
//! Everything of rzlib is re-exported, its Rust API included:
//!
//! ```
//! let packed = libz_rzlib::compress(b"one zlib", libz_rzlib::Level::default());
//! assert_eq!(libz_rzlib::decompress(&packed)?, b"one zlib");
//! # Ok::<(), libz_rzlib::Error>(())
//! ```

#![forbid(unsafe_code)]

pub use rzlib::*;
