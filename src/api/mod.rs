//! The Rust API: streams with typed settings, `Result`s with zlib's
//! messages, `std::io` adapters, gzip headers, checksums and one-call
//! helpers, in the shapes flate2 users know. It runs on the same core as
//! the C API (`crate::deflate`, `crate::inflate`, `crate::checksum`).
//!
//! - `options`: [`Level`], [`Strategy`], [`Format`], [`Profile`], the
//!   flush modes and [`Status`];
//! - `error`: [`Error`] and [`ErrorKind`];
//! - `compress` / `decompress`: the streams [`Compress`] and
//!   [`Decompress`];
//! - `header`: [`GzHeader`] and [`GzBuilder`];
//! - `checksum`: [`Crc32`] and [`Adler32`];
//! - `oneshot`: [`compress()`], [`decompress()`] and the gzip variants;
//! - `zio`: the loops the adapters share; [`bufread`], [`read`] and
//!   [`write`](mod@write): the adapters.

#![forbid(unsafe_code)]

pub mod bufread;
mod checksum;
mod compress;
mod decompress;
mod error;
mod header;
mod oneshot;
mod options;
pub mod read;
pub mod write;
mod zio;

pub use checksum::{Adler32, Crc32};
pub use compress::{Compress, CompressBuilder};
pub use decompress::Decompress;
pub use error::{Error, ErrorKind};
pub use header::{GzBuilder, GzHeader};
pub use oneshot::{compress, compress_gzip, decompress, decompress_gzip};
pub use options::{FlushCompress, FlushDecompress, Format, Level, Profile, Status, Strategy};
