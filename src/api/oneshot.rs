//! One-call compression and decompression of whole buffers.

use super::compress::Compress;
use super::decompress::Decompress;
use super::error::{Error, ErrorKind};
use super::options::{FlushCompress, FlushDecompress, Format, Level, Status};

/// Compresses `data` into one zlib stream at `level`. With the exact
/// profile these are the bytes of zlib's `compress2(dest, &destLen, data,
/// len, level)`.
///
/// ```
/// let packed = rzlib::compress(b"hello, hello, hello", rzlib::Level::default());
/// assert_eq!(&packed[..2], &[0x78, 0x9c]);
/// assert_eq!(rzlib::decompress(&packed)?, b"hello, hello, hello");
/// # Ok::<(), rzlib::Error>(())
/// ```
pub fn compress(data: &[u8], level: Level) -> Vec<u8> {
    compress_all(data, Compress::new(level, Format::Zlib))
}

/// Compresses `data` into one gzip member at `level`, with zlib's default
/// header (see [`GzBuilder`](crate::GzBuilder) for names and times).
///
/// ```
/// let gz = rzlib::compress_gzip(b"gzip me", rzlib::Level::best());
/// assert_eq!(rzlib::decompress_gzip(&gz)?, b"gzip me");
/// # Ok::<(), rzlib::Error>(())
/// ```
pub fn compress_gzip(data: &[u8], level: Level) -> Vec<u8> {
    compress_all(data, Compress::new(level, Format::Gzip))
}

/// All of `data` through `stream` with one finishing call into room for
/// deflateBound's worth, as `compress2` does.
fn compress_all(data: &[u8], mut stream: Compress) -> Vec<u8> {
    let mut out = Vec::with_capacity(stream.bound(data.len()));
    let mut taken = 0;
    loop {
        let before = stream.total_in();
        let result = stream.compress_vec(&data[taken..], &mut out, FlushCompress::Finish);
        taken += (stream.total_in() - before) as usize;
        match result {
            Ok(Status::StreamEnd) => return out,
            // The bound is zlib's guarantee; more room is a fallback.
            Ok(_) => out.reserve(out.capacity().max(64)),
            Err(_) => unreachable!("a fresh stream finishes without error"),
        }
    }
}

/// Decompresses one zlib stream. Bytes after the stream's end are
/// ignored, as zlib's `uncompress` ignores them.
///
/// # Errors
/// [`ErrorKind::Data`] with zlib's message for corrupt data or data that
/// ends before the stream does; [`ErrorKind::NeedDictionary`] for a stream
/// that needs a preset dictionary.
///
/// ```
/// let err = rzlib::decompress(&[0x78, 0x9c, 0xff]).unwrap_err();
/// assert_eq!(err.message(), "invalid block type");
/// ```
pub fn decompress(data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut stream = Decompress::new(Format::Zlib);
    let mut out = Vec::with_capacity(initial_room(data.len()));
    decompress_member(&mut stream, data, &mut out)?;
    Ok(out)
}

/// Decompresses a gzip file: every member, concatenated, as `gzip -d`
/// does.
///
/// # Errors
/// [`ErrorKind::Data`] with zlib's message for corrupt data, data that
/// ends inside a member, or bytes after a member that are not another
/// gzip member.
pub fn decompress_gzip(data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut stream = Decompress::new(Format::Gzip);
    let mut out = Vec::with_capacity(initial_room(data.len()));
    let mut taken = 0;
    loop {
        taken += decompress_member(&mut stream, &data[taken..], &mut out)?;
        if taken == data.len() {
            return Ok(out);
        }
        stream.reset();
    }
}

fn initial_room(compressed: usize) -> usize {
    compressed.saturating_mul(4).clamp(64, 1 << 24)
}

/// Decompresses the stream at the start of `data` into `out`; returns
/// the bytes it took.
fn decompress_member(
    stream: &mut Decompress,
    data: &[u8],
    out: &mut Vec<u8>,
) -> Result<usize, Error> {
    let mut taken = 0;
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity());
        }
        let before = stream.total_in();
        let status = stream.decompress_vec(&data[taken..], out, FlushDecompress::None)?;
        taken += (stream.total_in() - before) as usize;
        match status {
            Status::StreamEnd => return Ok(taken),
            _ if taken == data.len() && out.len() < out.capacity() => {
                return Err(Error::with_message(
                    ErrorKind::Data,
                    "unexpected end of compressed data",
                ))
            }
            _ => {}
        }
    }
}
