//! Compressing and decompressing readers over any [`Read`]: the types of
//! [`crate::bufread`] with a [`BufReader`] of their own in between.

use std::io::{self, BufReader, Read};

use super::bufread;
use super::compress::Compress;
use super::decompress::Decompress;
use super::header::GzHeader;
use super::options::Level;

/// A reader that compresses what it reads.
macro_rules! encoder {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<R> {
            inner: bufread::$name<BufReader<R>>,
        }

        impl<R: Read> $name<R> {
            /// An encoder at `level` over `inner`.
            pub fn new(inner: R, level: Level) -> Self {
                $name {
                    inner: bufread::$name::new(BufReader::new(inner), level),
                }
            }

            /// An encoder driving `stream` (made with
            /// [`Compress::builder`] for settings beyond the level).
            pub fn new_with_compress(inner: R, stream: Compress) -> Self {
                $name {
                    inner: bufread::$name::new_with_compress(BufReader::new(inner), stream),
                }
            }

            /// The inner reader.
            pub fn get_ref(&self) -> &R {
                self.inner.get_ref().get_ref()
            }

            /// The inner reader, mutably: reading from it directly
            /// corrupts the output.
            pub fn get_mut(&mut self) -> &mut R {
                self.inner.get_mut().get_mut()
            }

            /// The inner reader; input it had given but the encoder had
            /// not taken yet is lost.
            pub fn into_inner(self) -> R {
                self.inner.into_inner().into_inner()
            }

            /// Bytes taken from the inner reader so far.
            pub fn total_in(&self) -> u64 {
                self.inner.total_in()
            }

            /// Compressed bytes returned so far.
            pub fn total_out(&self) -> u64 {
                self.inner.total_out()
            }

            /// Starts a new stream over `inner`, with the same settings;
            /// returns the old inner reader.
            pub fn reset(&mut self, inner: R) -> R {
                self.inner.reset(BufReader::new(inner)).into_inner()
            }
        }

        impl<R: Read> Read for $name<R> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.inner.read(buf)
            }
        }
    };
}

/// A reader that decompresses what it reads.
macro_rules! decoder {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<R> {
            inner: bufread::$name<BufReader<R>>,
        }

        impl<R: Read> $name<R> {
            /// A decoder over `inner`.
            pub fn new(inner: R) -> Self {
                $name {
                    inner: bufread::$name::new(BufReader::new(inner)),
                }
            }

            /// A decoder driving `stream` (for a smaller window or a
            /// dictionary).
            pub fn new_with_decompress(inner: R, stream: Decompress) -> Self {
                $name {
                    inner: bufread::$name::new_with_decompress(BufReader::new(inner), stream),
                }
            }

            /// The inner reader.
            pub fn get_ref(&self) -> &R {
                self.inner.get_ref().get_ref()
            }

            /// The inner reader, mutably: reading from it directly
            /// corrupts the output.
            pub fn get_mut(&mut self) -> &mut R {
                self.inner.get_mut().get_mut()
            }

            /// The inner reader; what the decoder had read ahead into its
            /// buffer is lost (use [`crate::bufread`] to keep it).
            pub fn into_inner(self) -> R {
                self.inner.into_inner().into_inner()
            }

            /// Compressed bytes taken so far.
            pub fn total_in(&self) -> u64 {
                self.inner.total_in()
            }

            /// Decompressed bytes returned so far.
            pub fn total_out(&self) -> u64 {
                self.inner.total_out()
            }

            /// Starts over on a new compressed stream from `inner`;
            /// returns the old inner reader.
            pub fn reset(&mut self, inner: R) -> R {
                self.inner.reset(BufReader::new(inner)).into_inner()
            }
        }

        impl<R: Read> Read for $name<R> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.inner.read(buf)
            }
        }
    };
}

encoder!(
    /// Compresses a reader into a zlib stream.
    ///
    /// ```
    /// use std::io::Read;
    /// use rzlib::{read::{ZlibDecoder, ZlibEncoder}, Level};
    /// let text = b"a line of text\n".repeat(100);
    /// let mut packed = Vec::new();
    /// let mut encoder = ZlibEncoder::new(&text[..], Level::fast());
    /// encoder.read_to_end(&mut packed)?;
    /// assert_eq!(encoder.total_in(), text.len() as u64);
    /// assert!(packed.len() < 100);
    ///
    /// let mut unpacked = Vec::new();
    /// ZlibDecoder::new(&packed[..]).read_to_end(&mut unpacked)?;
    /// assert_eq!(unpacked, text);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ZlibEncoder
);
encoder!(
    /// Compresses a reader into raw deflate data.
    DeflateEncoder
);
encoder!(
    /// Compresses a reader into one gzip member (see
    /// [`GzBuilder`](crate::GzBuilder) for the header).
    GzEncoder
);

impl<R: Read> GzEncoder<R> {
    /// An encoder that writes `header`.
    pub(crate) fn with_header(inner: R, level: Level, header: GzHeader) -> Self {
        GzEncoder {
            inner: bufread::GzEncoder::with_header(BufReader::new(inner), level, header),
        }
    }
}

decoder!(
    /// Decompresses a zlib stream from a reader.
    ZlibDecoder
);
decoder!(
    /// Decompresses raw deflate data from a reader.
    DeflateDecoder
);
decoder!(
    /// Decompresses one gzip member from a reader (see [`MultiGzDecoder`]
    /// for files of several members).
    ///
    /// ```
    /// use std::io::Read;
    /// let gz = rzlib::compress_gzip(b"gzip data", rzlib::Level::default());
    /// let mut decoder = rzlib::read::GzDecoder::new(&gz[..]);
    /// assert_eq!(decoder.header().map(|h| h.operating_system()), Some(3));
    /// let mut data = Vec::new();
    /// decoder.read_to_end(&mut data)?;
    /// assert_eq!(data, b"gzip data");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    GzDecoder
);

impl<R: Read> GzDecoder<R> {
    /// The member's header, once read in full (the decoder reads it when
    /// it is made, as far as the reader has data).
    pub fn header(&self) -> Option<&GzHeader> {
        self.inner.header()
    }
}

/// Decompresses every member of a gzip file from a reader, as the gzip
/// tool does.
#[derive(Debug)]
pub struct MultiGzDecoder<R> {
    inner: bufread::MultiGzDecoder<BufReader<R>>,
}

impl<R: Read> MultiGzDecoder<R> {
    /// A decoder over `inner`.
    pub fn new(inner: R) -> Self {
        MultiGzDecoder {
            inner: bufread::MultiGzDecoder::new(BufReader::new(inner)),
        }
    }

    /// The header of the member being read, once complete.
    pub fn header(&self) -> Option<&GzHeader> {
        self.inner.header()
    }

    /// The inner reader.
    pub fn get_ref(&self) -> &R {
        self.inner.get_ref().get_ref()
    }

    /// The inner reader, mutably: reading from it directly corrupts the
    /// output.
    pub fn get_mut(&mut self) -> &mut R {
        self.inner.get_mut().get_mut()
    }

    /// The inner reader.
    pub fn into_inner(self) -> R {
        self.inner.into_inner().into_inner()
    }
}

impl<R: Read> Read for MultiGzDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}
