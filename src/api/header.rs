//! The gzip header: its fields ([`GzHeader`]), the builder of gzip
//! writers and readers that write one ([`GzBuilder`]), and the views the
//! core's deflate and inflate take of it.

use std::io::{BufRead, Read, Write};

use super::options::Level;
use super::{bufread, read, write};
use crate::inflate::{HeaderBuffers, HeaderField};

/// zlib's OS byte for the system rzlib runs on (Unix, as zlib's OS_CODE
/// on the targets rzlib supports).
const OS_UNIX: u8 = 3;

/// The most bytes of a name or comment kept from a header read: a header
/// may claim any length, and the rest is skipped as zlib skips what does
/// not fit the caller's buffer.
pub(crate) const MAX_STRING: usize = 65_536;

/// The fields of a gzip member's header (RFC 1952): as read from a
/// stream ([`GzDecoder::header`](crate::read::GzDecoder::header)) or to be
/// written ([`GzBuilder`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GzHeader {
    text: bool,
    mtime: u32,
    extra_flags: u8,
    os: u8,
    extra: Option<Vec<u8>>,
    filename: Option<Vec<u8>>,
    comment: Option<Vec<u8>>,
    header_crc: bool,
}

impl Default for GzHeader {
    /// The header zlib writes when given none: no optional field, mtime
    /// 0, the Unix OS byte.
    fn default() -> GzHeader {
        GzHeader {
            text: false,
            mtime: 0,
            extra_flags: 0,
            os: OS_UNIX,
            extra: None,
            filename: None,
            comment: None,
            header_crc: false,
        }
    }
}

impl GzHeader {
    /// The original file name (FNAME), without its terminating NUL.
    pub fn filename(&self) -> Option<&[u8]> {
        self.filename.as_deref()
    }

    /// The comment (FCOMMENT), without its terminating NUL.
    pub fn comment(&self) -> Option<&[u8]> {
        self.comment.as_deref()
    }

    /// The extra field (FEXTRA).
    pub fn extra(&self) -> Option<&[u8]> {
        self.extra.as_deref()
    }

    /// The modification time (MTIME), seconds since the Unix epoch; 0 for
    /// none.
    pub fn mtime(&self) -> u32 {
        self.mtime
    }

    /// The OS byte (3 is Unix, 255 unknown).
    pub fn operating_system(&self) -> u8 {
        self.os
    }

    /// The FTEXT flag: the compressor thought the data text.
    pub fn is_text(&self) -> bool {
        self.text
    }

    /// The XFL byte of a header read (2: best compression, 4: fastest).
    pub fn extra_flags(&self) -> u8 {
        self.extra_flags
    }

    /// Whether the header carries a CRC-16 of itself (FHCRC).
    pub fn has_header_crc(&self) -> bool {
        self.header_crc
    }

    /// The storage the core's deflate reads the header from.
    pub(crate) fn for_deflate(&self) -> DeflateHeader {
        let terminated = |s: &Option<Vec<u8>>| {
            s.as_ref().map(|s| {
                let mut z = s.clone();
                z.push(0);
                z
            })
        };
        DeflateHeader {
            text: self.text,
            mtime: self.mtime,
            os: self.os,
            extra: self.extra.clone(),
            name: terminated(&self.filename),
            comment: terminated(&self.comment),
            header_crc: self.header_crc,
        }
    }
}

/// A gzip header as deflate writes it: the name and comment with their
/// terminating NUL.
#[derive(Clone, Debug)]
pub(crate) struct DeflateHeader {
    text: bool,
    mtime: u32,
    os: u8,
    extra: Option<Vec<u8>>,
    name: Option<Vec<u8>>,
    comment: Option<Vec<u8>>,
    header_crc: bool,
}

impl DeflateHeader {
    /// The core's view, for one deflate call.
    pub(crate) fn view(&self) -> crate::deflate::GzipHeader<'_> {
        crate::deflate::GzipHeader {
            text: self.text,
            time: u64::from(self.mtime),
            os: i32::from(self.os),
            extra: self.extra.as_deref(),
            extra_len: self.extra.as_ref().map_or(0, |e| e.len() as u32),
            name: self.name.as_deref(),
            comment: self.comment.as_deref(),
            hcrc: self.header_crc,
        }
    }
}

/// What inflate has read of a gzip header so far: zlib's `gz_header`
/// with growable buffers.
#[derive(Debug)]
pub(crate) struct HeaderCollector {
    text: i32,
    time: u64,
    xflags: i32,
    os: i32,
    extra_len: u32,
    hcrc: i32,
    done: i32,
    fields: Fields,
}

/// The header's variable fields; `None` once inflate reports the field
/// absent.
#[derive(Debug)]
struct Fields {
    extra: Option<Vec<u8>>,
    name: Option<Vec<u8>>,
    comment: Option<Vec<u8>>,
}

impl HeaderBuffers for Fields {
    fn put(&mut self, field: HeaderField, at: usize, bytes: &[u8]) -> usize {
        let Some(buffer) = self.slot(field).as_mut() else {
            return 0;
        };
        let n = bytes.len().min(MAX_STRING.saturating_sub(at));
        if n == 0 {
            return 0;
        }
        if buffer.len() < at + n {
            buffer.resize(at + n, 0);
        }
        buffer[at..at + n].copy_from_slice(&bytes[..n]);
        n
    }

    fn absent(&mut self, field: HeaderField) {
        *self.slot(field) = None;
    }
}

impl Fields {
    fn slot(&mut self, field: HeaderField) -> &mut Option<Vec<u8>> {
        match field {
            HeaderField::Extra => &mut self.extra,
            HeaderField::Name => &mut self.name,
            HeaderField::Comment => &mut self.comment,
        }
    }
}

impl HeaderCollector {
    /// Nothing read yet; every field present until inflate says otherwise.
    pub(crate) fn new() -> HeaderCollector {
        HeaderCollector {
            text: 0,
            time: 0,
            xflags: 0,
            os: 0,
            extra_len: 0,
            hcrc: 0,
            done: 0,
            fields: Fields {
                extra: Some(Vec::new()),
                name: Some(Vec::new()),
                comment: Some(Vec::new()),
            },
        }
    }

    /// Runs `call` with the core's view of this header and keeps what it
    /// filled in.
    pub(crate) fn with_view<T>(
        &mut self,
        call: impl FnOnce(&mut crate::inflate::GzipHeader<'_>) -> T,
    ) -> T {
        let mut view = crate::inflate::GzipHeader {
            text: self.text,
            time: self.time,
            xflags: self.xflags,
            os: self.os,
            extra_len: self.extra_len,
            hcrc: self.hcrc,
            done: self.done,
            buffers: &mut self.fields,
        };
        let result = call(&mut view);
        let (text, time, xflags, os, extra_len, hcrc, done) = (
            view.text,
            view.time,
            view.xflags,
            view.os,
            view.extra_len,
            view.hcrc,
            view.done,
        );
        self.text = text;
        self.time = time;
        self.xflags = xflags;
        self.os = os;
        self.extra_len = extra_len;
        self.hcrc = hcrc;
        self.done = done;
        result
    }

    /// The header, once inflate has read all of it.
    pub(crate) fn finished(&self) -> Option<GzHeader> {
        if self.done != 1 {
            return None;
        }
        let string = |s: &Option<Vec<u8>>| {
            s.as_ref().map(|s| {
                let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
                s[..end].to_vec()
            })
        };
        Some(GzHeader {
            text: self.text != 0,
            mtime: self.time as u32,
            extra_flags: self.xflags as u8,
            os: self.os as u8,
            extra: self.fields.extra.clone(),
            filename: string(&self.fields.name),
            comment: string(&self.fields.comment),
            header_crc: self.hcrc != 0,
        })
    }
}

/// Builds a gzip header and the encoder that writes it, as the gzip
/// tool's options do.
///
/// ```
/// use std::io::{Read, Write};
/// use rzlib::{read::GzDecoder, GzBuilder, Level};
///
/// let mut encoder = GzBuilder::new()
///     .filename("notes.txt")
///     .comment("written by a doctest")
///     .extra(vec![b'A', b'B', 2, 0, 7, 8])
///     .mtime(1_700_000_000)
///     .write(Vec::new(), Level::default());
/// encoder.write_all(b"the notes")?;
/// let gz = encoder.finish()?;
///
/// let mut decoder = GzDecoder::new(&gz[..]);
/// let header = decoder.header().expect("a complete header");
/// assert_eq!(header.filename(), Some(&b"notes.txt"[..]));
/// assert_eq!(header.comment(), Some(&b"written by a doctest"[..]));
/// assert_eq!(header.extra(), Some(&[b'A', b'B', 2, 0, 7, 8][..]));
/// assert_eq!(header.mtime(), 1_700_000_000);
/// let mut text = String::new();
/// decoder.read_to_string(&mut text)?;
/// assert_eq!(text, "the notes");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GzBuilder {
    header: GzHeader,
}

impl GzBuilder {
    /// A builder of zlib's default header (no name, mtime 0, Unix).
    pub fn new() -> GzBuilder {
        GzBuilder::default()
    }

    /// The original file name (FNAME).
    ///
    /// # Panics
    /// If `name` contains a NUL byte, which the format cannot carry.
    pub fn filename<S: Into<Vec<u8>>>(mut self, name: S) -> GzBuilder {
        self.header.filename = Some(without_nul(name.into(), "file name"));
        self
    }

    /// The comment (FCOMMENT).
    ///
    /// # Panics
    /// If `comment` contains a NUL byte, which the format cannot carry.
    pub fn comment<S: Into<Vec<u8>>>(mut self, comment: S) -> GzBuilder {
        self.header.comment = Some(without_nul(comment.into(), "comment"));
        self
    }

    /// The extra field (FEXTRA), subfields of the caller's making.
    ///
    /// # Panics
    /// If `extra` is longer than 65,535 bytes, which XLEN cannot count.
    pub fn extra<V: Into<Vec<u8>>>(mut self, extra: V) -> GzBuilder {
        let extra = extra.into();
        assert!(
            extra.len() <= 0xffff,
            "a gzip extra field holds 65,535 bytes"
        );
        self.header.extra = Some(extra);
        self
    }

    /// The modification time (MTIME), seconds since the Unix epoch.
    pub fn mtime(mut self, mtime: u32) -> GzBuilder {
        self.header.mtime = mtime;
        self
    }

    /// The OS byte (default 3, Unix).
    pub fn operating_system(mut self, os: u8) -> GzBuilder {
        self.header.os = os;
        self
    }

    /// The FTEXT flag.
    pub fn text(mut self, text: bool) -> GzBuilder {
        self.header.text = text;
        self
    }

    /// Whether to write a CRC-16 of the header (FHCRC).
    pub fn header_crc(mut self, header_crc: bool) -> GzBuilder {
        self.header.header_crc = header_crc;
        self
    }

    /// The header, for [`CompressBuilder::header`](crate::CompressBuilder::header).
    pub fn into_header(self) -> GzHeader {
        self.header
    }

    /// A gzip writer with this header that compresses into `writer`.
    pub fn write<W: Write>(self, writer: W, level: Level) -> write::GzEncoder<W> {
        write::GzEncoder::with_header(writer, level, self.header)
    }

    /// A gzip reader with this header that compresses what it reads from
    /// `reader`.
    pub fn read<R: Read>(self, reader: R, level: Level) -> read::GzEncoder<R> {
        read::GzEncoder::with_header(reader, level, self.header)
    }

    /// [`read`](Self::read) over a buffered reader.
    pub fn buf_read<R: BufRead>(self, reader: R, level: Level) -> bufread::GzEncoder<R> {
        bufread::GzEncoder::with_header(reader, level, self.header)
    }
}

fn without_nul(bytes: Vec<u8>, what: &str) -> Vec<u8> {
    assert!(
        !bytes.contains(&0),
        "a gzip {what} cannot contain a NUL byte"
    );
    bytes
}
