//! Streaming decompression: [`Decompress`], zlib's inflate stream as a
//! Rust value.

use core::fmt;

use super::compress::Step;
use super::error::{Error, ErrorKind};
use super::header::{GzHeader, HeaderCollector};
use super::options::{FlushDecompress, Format, Status};
use crate::inflate::{Code, Fields, Inflater, Message, Stream};

/// A decompression stream (zlib's `inflateInit2` .. `inflateEnd`): feed
/// it compressed input and output space, chunk by chunk.
///
/// ```
/// use rzlib::{Decompress, FlushDecompress, Format, Status};
///
/// let packed = rzlib::compress(b"streamed in small pieces", rzlib::Level::default());
/// let mut inflater = Decompress::new(Format::Zlib);
/// let mut out = [0u8; 64];
/// let mut written = 0;
/// for chunk in packed.chunks(3) {
///     let before = (inflater.total_in(), inflater.total_out());
///     inflater.decompress(chunk, &mut out[written..], FlushDecompress::None)?;
///     assert_eq!(inflater.total_in() - before.0, chunk.len() as u64);
///     written += (inflater.total_out() - before.1) as usize;
/// }
/// assert!(inflater.is_finished());
/// assert_eq!(&out[..written], b"streamed in small pieces");
/// # Ok::<(), rzlib::Error>(())
/// ```
pub struct Decompress {
    inflater: Inflater,
    /// The core's fields; its `total_in` is zlib's, which misses the
    /// header of a stream that asked for a dictionary.
    fields: Fields,
    /// Bytes taken and produced by decompress calls.
    total_in: u64,
    total_out: u64,
    format: Format,
    window_bits: u8,
    /// gzip streams: the header being read.
    header: Option<HeaderCollector>,
    /// The header, once complete.
    parsed: Option<GzHeader>,
    finished: bool,
}

impl Decompress {
    /// A stream for `format` that accepts any window size.
    pub fn new(format: Format) -> Decompress {
        match Decompress::with_window_bits(format, 15) {
            Ok(stream) => stream,
            Err(_) => unreachable!("a 32 KiB window is valid"),
        }
    }

    /// A stream for `format` whose window is `2^bits` bytes, 8 to 15: a
    /// stream compressed with a larger window is refused ("invalid window
    /// size" for zlib streams, "invalid distance too far back" for raw).
    ///
    /// # Errors
    /// [`ErrorKind::Stream`] for `bits` out of range.
    pub fn with_window_bits(format: Format, bits: u8) -> Result<Decompress, Error> {
        if !(8..=15).contains(&bits) {
            return Err(Error::new(ErrorKind::Stream));
        }
        let mut fields = Fields::new();
        let inflater = Inflater::new(format.window_bits(bits), &mut fields)
            .map_err(|_| Error::new(ErrorKind::Stream))?;
        let mut stream = Decompress {
            inflater,
            fields,
            total_in: 0,
            total_out: 0,
            format,
            window_bits: bits,
            header: None,
            parsed: None,
            finished: false,
        };
        stream.watch_header();
        Ok(stream)
    }

    fn watch_header(&mut self) {
        if self.format == Format::Gzip && self.inflater.watch_header() == Code::Ok {
            self.header = Some(HeaderCollector::new());
        }
    }

    /// Decompresses from `input` into `output` as far as both allow
    /// (zlib's `inflate`). How much was taken and written shows in
    /// [`total_in`](Self::total_in) and [`total_out`](Self::total_out).
    ///
    /// # Errors
    /// [`ErrorKind::Data`] with zlib's message for corrupt data;
    /// [`ErrorKind::NeedDictionary`] when the stream needs a preset
    /// dictionary ([`set_dictionary`](Self::set_dictionary), then call
    /// again with the input not yet taken).
    pub fn decompress(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        flush: FlushDecompress,
    ) -> Result<Status, Error> {
        self.step(input, output, flush).result
    }

    /// [`decompress`](Self::decompress) into the spare capacity of
    /// `output`, appending what it writes; the vector never grows.
    ///
    /// # Errors
    /// As [`decompress`](Self::decompress).
    pub fn decompress_vec(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
        flush: FlushDecompress,
    ) -> Result<Status, Error> {
        Step::into_spare_capacity(output, |spare| self.step(input, spare, flush))
    }

    /// One inflate call.
    pub(crate) fn step(&mut self, input: &[u8], output: &mut [u8], flush: FlushDecompress) -> Step {
        // `msg` stays from call to call, as in a z_stream: a stream that
        // failed keeps failing with the message of its first error.
        let mut stream = Stream::new(input, output, self.fields);
        let inflater = &mut self.inflater;
        let code = match self.header.as_mut() {
            Some(header) if inflater.header_watched() => {
                header.with_view(|view| inflater.inflate(&mut stream, flush.core(), Some(view)))
            }
            _ => inflater.inflate(&mut stream, flush.core(), None),
        };
        self.fields = stream.fields;
        self.total_in += stream.consumed as u64;
        self.total_out += stream.produced as u64;
        if self.parsed.is_none() {
            self.parsed = self.header.as_ref().and_then(HeaderCollector::finished);
        }
        let result = match code {
            Code::Ok => Ok(Status::Ok),
            Code::BufError => Ok(Status::BufError),
            Code::StreamEnd => {
                self.finished = true;
                Ok(Status::StreamEnd)
            }
            Code::NeedDict => Err(Error::need_dictionary(self.fields.adler as u32)),
            Code::DataError => Err(match self.fields.msg {
                Message::Set(text) => {
                    Error::with_message(ErrorKind::Data, text.to_str().unwrap_or("data error"))
                }
                _ => Error::new(ErrorKind::Data),
            }),
            Code::MemError => Err(Error::new(ErrorKind::Memory)),
            Code::StreamError => Err(Error::new(ErrorKind::Stream)),
        };
        Step {
            result,
            consumed: stream.consumed,
            produced: stream.produced,
        }
    }

    /// Compressed bytes taken so far: the offset in the input where the
    /// next call goes on.
    pub fn total_in(&self) -> u64 {
        self.total_in
    }

    /// Bytes produced so far.
    pub fn total_out(&self) -> u64 {
        self.total_out
    }

    /// Whether the end of the compressed stream was reached (with its
    /// trailer checked, for zlib and gzip).
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The check value so far: Adler-32 of the output for zlib streams,
    /// CRC-32 for gzip (zlib's `adler` field; a zlib stream that waits for
    /// a dictionary gives the dictionary's Adler-32).
    pub fn checksum(&self) -> u32 {
        self.fields.adler as u32
    }

    /// The gzip header of the member being decompressed, once it has been
    /// read in full (gzip streams only).
    pub fn header(&self) -> Option<&GzHeader> {
        self.parsed.as_ref()
    }

    /// Sets the preset dictionary (zlib's `inflateSetDictionary`): for a
    /// zlib stream, after [`decompress`](Self::decompress) reported
    /// [`ErrorKind::NeedDictionary`]; for a raw stream, before
    /// decompressing. Returns the dictionary's Adler-32.
    ///
    /// # Errors
    /// [`ErrorKind::Data`] if it is not the dictionary a zlib stream asks
    /// for; [`ErrorKind::Stream`] if the stream asks for none.
    pub fn set_dictionary(&mut self, dictionary: &[u8]) -> Result<u32, Error> {
        match self.inflater.set_dictionary(dictionary) {
            Code::Ok => Ok(crate::checksum::adler32(1, dictionary)),
            Code::DataError => Err(Error::new(ErrorKind::Data)),
            Code::MemError => Err(Error::new(ErrorKind::Memory)),
            _ => Err(Error::new(ErrorKind::Stream)),
        }
    }

    /// Restarts the stream for a new compressed stream of the same format
    /// (zlib's `inflateReset`); the totals go back to zero.
    pub fn reset(&mut self) {
        self.inflater.reset(&mut self.fields);
        self.total_in = 0;
        self.total_out = 0;
        self.header = None;
        self.parsed = None;
        self.finished = false;
        self.watch_header();
    }

    /// The format the stream reads.
    pub fn format(&self) -> Format {
        self.format
    }
}

impl fmt::Debug for Decompress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decompress")
            .field("format", &self.format)
            .field("window_bits", &self.window_bits)
            .field("total_in", &self.total_in)
            .field("total_out", &self.total_out)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}
