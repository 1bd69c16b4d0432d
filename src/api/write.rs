//! Compressing and decompressing writers: each transforms what is written
//! to it and writes the result to an inner [`Write`]. `finish` completes
//! the stream and returns the inner writer; dropping a writer finishes it
//! too, but can report no error.

use std::io::{self, Write};

use super::compress::Compress;
use super::decompress::Decompress;
use super::header::GzHeader;
use super::options::{Format, Level};
use super::zio;

/// The accessors every writer has.
macro_rules! common {
    ($name:ident, $in_doc:literal, $out_doc:literal) => {
        impl<W: Write> $name<W> {
            /// The inner writer.
            pub fn get_ref(&self) -> &W {
                self.inner.get_ref()
            }

            /// The inner writer, mutably: writing to it directly corrupts
            /// the output.
            pub fn get_mut(&mut self) -> &mut W {
                self.inner.get_mut()
            }

            /// Completes the stream and writes all of it to the inner
            /// writer, which stays in place (and is flushed no more than
            /// it flushes itself).
            ///
            /// # Errors
            /// The inner writer's errors; for decoders,
            /// `UnexpectedEof` if the data written stops before the
            /// compressed stream's end.
            pub fn try_finish(&mut self) -> io::Result<()> {
                self.inner.try_finish()
            }

            /// Completes the stream, writes all of it, and returns the
            /// inner writer.
            ///
            /// # Errors
            /// As [`try_finish`](Self::try_finish).
            pub fn finish(self) -> io::Result<W> {
                self.inner.finish()
            }

            #[doc = $in_doc]
            pub fn total_in(&self) -> u64 {
                self.inner.codec.total_in()
            }

            #[doc = $out_doc]
            pub fn total_out(&self) -> u64 {
                self.inner.codec.total_out()
            }
        }

        impl<W: Write> Write for $name<W> {
            fn write(&mut self, data: &[u8]) -> io::Result<usize> {
                self.inner.write(data)
            }

            fn flush(&mut self) -> io::Result<()> {
                self.inner.flush()
            }
        }
    };
}

/// A writer that compresses.
macro_rules! encoder {
    ($(#[$doc:meta])* $name:ident, $format:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<W: Write> {
            inner: zio::Writer<W, Compress>,
        }

        impl<W: Write> $name<W> {
            /// An encoder at `level` that writes to `inner`.
            pub fn new(inner: W, level: Level) -> Self {
                Self::new_with_compress(inner, Compress::new(level, $format))
            }

            /// An encoder driving `stream` (made with
            /// [`Compress::builder`] for settings beyond the level).
            pub fn new_with_compress(inner: W, stream: Compress) -> Self {
                $name {
                    inner: zio::Writer::new(inner, stream),
                }
            }

            /// Finishes the current stream into the old inner writer,
            /// then starts a new one with the same settings into `inner`;
            /// returns the old writer.
            ///
            /// # Errors
            /// As [`try_finish`](Self::try_finish).
            pub fn reset(&mut self, inner: W) -> io::Result<W> {
                self.inner.try_finish()?;
                self.inner.codec.reset();
                Ok(self.inner.replace_inner(inner))
            }
        }

        common!(
            $name,
            "Bytes written to the encoder so far.",
            "Compressed bytes produced so far (written or buffered)."
        );
    };
}

/// A writer that decompresses.
macro_rules! decoder {
    ($(#[$doc:meta])* $name:ident, $format:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<W: Write> {
            inner: zio::Writer<W, Decompress>,
        }

        impl<W: Write> $name<W> {
            /// A decoder that writes the decompressed data to `inner`.
            pub fn new(inner: W) -> Self {
                Self::new_with_decompress(inner, Decompress::new($format))
            }

            /// A decoder driving `stream` (for a smaller window or a
            /// dictionary).
            pub fn new_with_decompress(inner: W, stream: Decompress) -> Self {
                $name {
                    inner: zio::Writer::new(inner, stream),
                }
            }

            /// The inner writer, without checking that the compressed
            /// stream was complete; output not yet written is lost.
            pub fn into_inner(self) -> W {
                self.inner.into_inner()
            }
        }

        common!(
            $name,
            "Compressed bytes taken so far.",
            "Decompressed bytes produced so far (written or buffered)."
        );
    };
}

encoder!(
    /// Compresses what is written into a zlib stream.
    ///
    /// ```
    /// use std::io::Write;
    /// use rzlib::{write::ZlibEncoder, Level};
    /// let mut encoder = ZlibEncoder::new(Vec::new(), Level::default());
    /// encoder.write_all(b"written in ")?;
    /// encoder.write_all(b"two parts")?;
    /// let packed = encoder.finish()?;
    /// assert_eq!(rzlib::decompress(&packed)?, b"written in two parts");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ZlibEncoder,
    Format::Zlib
);
encoder!(
    /// Compresses what is written into raw deflate data.
    DeflateEncoder,
    Format::Raw
);
encoder!(
    /// Compresses what is written into one gzip member (see
    /// [`GzBuilder`](crate::GzBuilder) for the header).
    ///
    /// ```
    /// use std::io::Write;
    /// let mut encoder = rzlib::write::GzEncoder::new(Vec::new(), rzlib::Level::best());
    /// encoder.write_all(b"to a .gz file")?;
    /// let gz = encoder.finish()?;
    /// assert_eq!(&gz[..2], &[0x1f, 0x8b]);
    /// assert_eq!(rzlib::decompress_gzip(&gz)?, b"to a .gz file");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    GzEncoder,
    Format::Gzip
);

impl<W: Write> GzEncoder<W> {
    /// An encoder that writes `header`.
    pub(crate) fn with_header(inner: W, level: Level, header: GzHeader) -> Self {
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
    /// Decompresses a zlib stream written to it.
    ///
    /// ```
    /// use std::io::Write;
    /// let packed = rzlib::compress(b"decoded as written", rzlib::Level::default());
    /// let mut decoder = rzlib::write::ZlibDecoder::new(Vec::new());
    /// for piece in packed.chunks(4) {
    ///     decoder.write_all(piece)?;
    /// }
    /// assert_eq!(decoder.finish()?, b"decoded as written");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ZlibDecoder,
    Format::Zlib
);
decoder!(
    /// Decompresses raw deflate data written to it.
    DeflateDecoder,
    Format::Raw
);
decoder!(
    /// Decompresses one gzip member written to it; bytes written after
    /// the member's end are refused (`write` takes none of them).
    GzDecoder,
    Format::Gzip
);

impl<W: Write> GzDecoder<W> {
    /// The member's header, once written in full.
    pub fn header(&self) -> Option<&GzHeader> {
        self.inner.codec.header()
    }
}

/// Decompresses every member of a gzip file written to it, in order.
///
/// ```
/// use std::io::Write;
/// let mut file = rzlib::compress_gzip(b"one ", rzlib::Level::default());
/// file.extend(rzlib::compress_gzip(b"two", rzlib::Level::default()));
/// let mut decoder = rzlib::write::MultiGzDecoder::new(Vec::new());
/// decoder.write_all(&file)?;
/// assert_eq!(decoder.finish()?, b"one two");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct MultiGzDecoder<W: Write> {
    inner: zio::Writer<W, Decompress>,
}

impl<W: Write> MultiGzDecoder<W> {
    /// A decoder that writes the decompressed data to `inner`.
    pub fn new(inner: W) -> Self {
        MultiGzDecoder {
            inner: zio::Writer::new(inner, Decompress::new(Format::Gzip)),
        }
    }

    /// The header of the member being written, once complete.
    pub fn header(&self) -> Option<&GzHeader> {
        self.inner.codec.header()
    }

    /// The inner writer, without checking that the last member was
    /// complete; output not yet written is lost.
    pub fn into_inner(self) -> W {
        self.inner.into_inner()
    }
}

impl<W: Write> MultiGzDecoder<W> {
    /// The inner writer.
    pub fn get_ref(&self) -> &W {
        self.inner.get_ref()
    }

    /// The inner writer, mutably: writing to it directly corrupts the
    /// output.
    pub fn get_mut(&mut self) -> &mut W {
        self.inner.get_mut()
    }

    /// Completes the last member and writes all output to the inner
    /// writer.
    ///
    /// # Errors
    /// The inner writer's errors, or `UnexpectedEof` if the last member
    /// is cut short.
    pub fn try_finish(&mut self) -> io::Result<()> {
        self.inner.try_finish()
    }

    /// [`try_finish`](Self::try_finish), then the inner writer.
    ///
    /// # Errors
    /// As [`try_finish`](Self::try_finish).
    pub fn finish(self) -> io::Result<W> {
        self.inner.finish()
    }
}

impl<W: Write> Write for MultiGzDecoder<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.inner.codec.is_finished() && !data.is_empty() {
            // A member ended: the next one starts here.
            self.inner.codec.reset();
        }
        self.inner.write(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
