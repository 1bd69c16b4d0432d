//! Compressing and decompressing readers over a [`BufRead`]: each reads
//! from the inner reader's buffer and returns the transformed bytes.
//! [`crate::read`] has the same types over any [`Read`].

use std::io::{self, BufRead, Read};

use super::compress::Compress;
use super::decompress::Decompress;
use super::header::{GzHeader, MAX_STRING};
use super::options::{Format, Level};
use super::zio;

/// A reader that compresses what it reads from a `BufRead`.
macro_rules! encoder {
    ($(#[$doc:meta])* $name:ident, $format:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<R> {
            inner: R,
            stream: Compress,
        }

        impl<R: BufRead> $name<R> {
            /// An encoder at `level` over `inner`.
            pub fn new(inner: R, level: Level) -> Self {
                Self::new_with_compress(inner, Compress::new(level, $format))
            }

            /// An encoder driving `stream` (made with
            /// [`Compress::builder`] for settings beyond the level; its
            /// format decides the output's).
            pub fn new_with_compress(inner: R, stream: Compress) -> Self {
                $name { inner, stream }
            }

            /// The inner reader.
            pub fn get_ref(&self) -> &R {
                &self.inner
            }

            /// The inner reader, mutably: reading from it directly
            /// corrupts the output.
            pub fn get_mut(&mut self) -> &mut R {
                &mut self.inner
            }

            /// The inner reader.
            pub fn into_inner(self) -> R {
                self.inner
            }

            /// Bytes taken from the inner reader so far.
            pub fn total_in(&self) -> u64 {
                self.stream.total_in()
            }

            /// Compressed bytes returned so far.
            pub fn total_out(&self) -> u64 {
                self.stream.total_out()
            }

            /// Starts a new stream over `inner`, with the same settings;
            /// returns the old inner reader.
            pub fn reset(&mut self, inner: R) -> R {
                self.stream.reset();
                core::mem::replace(&mut self.inner, inner)
            }
        }

        impl<R: BufRead> Read for $name<R> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                zio::read(&mut self.inner, &mut self.stream, buf)
            }
        }
    };
}

/// A reader that decompresses what it reads from a `BufRead`.
macro_rules! decoder {
    ($(#[$doc:meta])* $name:ident, $format:expr, $prepare:path) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<R> {
            inner: R,
            stream: Decompress,
        }

        impl<R: BufRead> $name<R> {
            /// A decoder over `inner`.
            pub fn new(inner: R) -> Self {
                Self::new_with_decompress(inner, Decompress::new($format))
            }

            /// A decoder driving `stream` (for a smaller window or a
            /// dictionary).
            pub fn new_with_decompress(inner: R, stream: Decompress) -> Self {
                let mut decoder = $name { inner, stream };
                $prepare(&mut decoder.inner, &mut decoder.stream);
                decoder
            }

            /// The inner reader.
            pub fn get_ref(&self) -> &R {
                &self.inner
            }

            /// The inner reader, mutably: reading from it directly
            /// corrupts the output.
            pub fn get_mut(&mut self) -> &mut R {
                &mut self.inner
            }

            /// The inner reader, positioned after the compressed stream
            /// once it has been read to its end.
            pub fn into_inner(self) -> R {
                self.inner
            }

            /// Compressed bytes taken from the inner reader so far.
            pub fn total_in(&self) -> u64 {
                self.stream.total_in()
            }

            /// Decompressed bytes returned so far.
            pub fn total_out(&self) -> u64 {
                self.stream.total_out()
            }

            /// Starts over on a new compressed stream from `inner`;
            /// returns the old inner reader.
            pub fn reset(&mut self, inner: R) -> R {
                self.stream.reset();
                let old = core::mem::replace(&mut self.inner, inner);
                $prepare(&mut self.inner, &mut self.stream);
                old
            }
        }

        impl<R: BufRead> Read for $name<R> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                zio::read(&mut self.inner, &mut self.stream, buf)
            }
        }
    };
}

encoder!(
    /// Compresses a `BufRead` into a zlib stream.
    ///
    /// ```
    /// use std::io::Read;
    /// let mut packed = Vec::new();
    /// rzlib::bufread::ZlibEncoder::new(&b"some text"[..], rzlib::Level::best())
    ///     .read_to_end(&mut packed)?;
    /// assert_eq!(rzlib::decompress(&packed)?, b"some text");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ZlibEncoder,
    Format::Zlib
);
encoder!(
    /// Compresses a `BufRead` into raw deflate data.
    DeflateEncoder,
    Format::Raw
);
encoder!(
    /// Compresses a `BufRead` into one gzip member, with zlib's default
    /// header or one from [`GzBuilder`](crate::GzBuilder).
    GzEncoder,
    Format::Gzip
);

impl<R: BufRead> GzEncoder<R> {
    /// An encoder that writes `header`.
    pub(crate) fn with_header(inner: R, level: Level, header: GzHeader) -> Self {
        let stream = Compress::builder()
            .level(level)
            .format(Format::Gzip)
            .header(header)
            .build();
        match stream {
            Ok(stream) => GzEncoder::new_with_compress(inner, stream),
            Err(_) => unreachable!("a gzip header on a gzip stream is valid"),
        }
    }
}

decoder!(
    /// Decompresses a zlib stream from a `BufRead`.
    ///
    /// ```
    /// use std::io::Read;
    /// let packed = rzlib::compress(b"some text", rzlib::Level::default());
    /// let mut text = String::new();
    /// rzlib::bufread::ZlibDecoder::new(&packed[..]).read_to_string(&mut text)?;
    /// assert_eq!(text, "some text");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ZlibDecoder,
    Format::Zlib,
    no_header
);
decoder!(
    /// Decompresses raw deflate data from a `BufRead`.
    DeflateDecoder,
    Format::Raw,
    no_header
);
decoder!(
    /// Decompresses one gzip member from a `BufRead`; what follows it
    /// stays in the reader (see [`MultiGzDecoder`] for files of several
    /// members). The header is read when the decoder is made, as far as
    /// the reader has data.
    GzDecoder,
    Format::Gzip,
    read_header
);

impl<R: BufRead> GzDecoder<R> {
    /// The member's header, once it has been read in full; `None` if the
    /// reader has not given all of it yet (or it is not gzip).
    pub fn header(&self) -> Option<&GzHeader> {
        self.stream.header()
    }
}

/// Nothing to read before the data (zlib and raw streams).
fn no_header<R: BufRead>(_: &mut R, _: &mut Decompress) {}

/// Feeds `stream` from `inner` until its gzip header is complete (or the
/// reader or the header fails), giving inflate no output space. Errors
/// wait for the first `read`, which meets them again.
fn read_header<R: BufRead>(inner: &mut R, stream: &mut Decompress) {
    // A header is at most 10 + 2 + 65,535 bytes of extra field plus the
    // name and comment kept: past that, the header is taken as far as it
    // goes and the rest waits for `read`.
    let mut budget = 2 * MAX_STRING + 0x1_0000 + 64;
    while stream.header().is_none() && budget > 0 {
        let Ok(available) = inner.fill_buf() else {
            return;
        };
        if available.is_empty() {
            return;
        }
        let step = zio::Codec::step(stream, available, &mut [], zio::Action::Run);
        inner.consume(step.consumed);
        budget = budget.saturating_sub(step.consumed);
        if step.result.is_err() || step.consumed == 0 {
            return;
        }
    }
}

/// Decompresses every member of a gzip file from a `BufRead`, as the
/// gzip tool does: concatenated members give their data in order.
///
/// ```
/// use std::io::Read;
/// let mut file = rzlib::compress_gzip(b"first, ", rzlib::Level::default());
/// file.extend(rzlib::compress_gzip(b"second", rzlib::Level::default()));
/// let mut text = String::new();
/// rzlib::bufread::MultiGzDecoder::new(&file[..]).read_to_string(&mut text)?;
/// assert_eq!(text, "first, second");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct MultiGzDecoder<R> {
    inner: R,
    stream: Decompress,
}

impl<R: BufRead> MultiGzDecoder<R> {
    /// A decoder over `inner`; it reads the first header at once.
    pub fn new(inner: R) -> Self {
        let mut decoder = MultiGzDecoder {
            inner,
            stream: Decompress::new(Format::Gzip),
        };
        read_header(&mut decoder.inner, &mut decoder.stream);
        decoder
    }

    /// The header of the member being read, once complete.
    pub fn header(&self) -> Option<&GzHeader> {
        self.stream.header()
    }

    /// The inner reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The inner reader, mutably: reading from it directly corrupts the
    /// output.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The inner reader.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: BufRead> Read for MultiGzDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = zio::read(&mut self.inner, &mut self.stream, buf)?;
            if n != 0 || buf.is_empty() || !self.stream.is_finished() {
                return Ok(n);
            }
            // A member ended: another may follow.
            if self.inner.fill_buf()?.is_empty() {
                return Ok(0);
            }
            self.stream.reset();
        }
    }
}
