//! Streaming compression: [`Compress`], zlib's deflate stream as a Rust
//! value, and [`CompressBuilder`] for its settings.

use core::fmt;

use super::error::{Error, ErrorKind};
use super::header::{DeflateHeader, GzHeader};
use super::options::{FlushCompress, Format, Level, Profile, Status, Strategy};
use crate::deflate::{Code, DeflateIo, Deflater, Params, ParamsChange};
use crate::writer::Writer;

/// A compression stream (zlib's `deflateInit2` .. `deflateEnd`): feed it
/// input and output space, chunk by chunk, with a [`FlushCompress`] mode.
///
/// With [`Profile::Exact`] (the default) the bytes are zlib 1.3.2's for
/// the same settings and the same sequence of calls.
///
/// ```
/// use rzlib::{Compress, Decompress, FlushCompress, FlushDecompress, Format, Level, Status};
///
/// let data = b"hello hello hello hello";
/// let mut deflater = Compress::new(Level::default(), Format::Zlib);
/// let mut packed = Vec::with_capacity(64);
/// let status = deflater.compress_vec(data, &mut packed, FlushCompress::Finish)?;
/// assert_eq!(status, Status::StreamEnd);
/// assert_eq!(deflater.total_in(), data.len() as u64);
/// assert_eq!(deflater.total_out(), packed.len() as u64);
///
/// let mut inflater = Decompress::new(Format::Zlib);
/// let mut out = Vec::with_capacity(64);
/// inflater.decompress_vec(&packed, &mut out, FlushDecompress::Finish)?;
/// assert_eq!(out, data);
/// # Ok::<(), rzlib::Error>(())
/// ```
pub struct Compress {
    deflater: Deflater,
    /// The core's `total_in` and `total_out` (zlib's: a dictionary counts
    /// in `total_in`).
    core_in: u64,
    core_out: u64,
    /// Bytes taken and written by compress calls.
    total_in: u64,
    total_out: u64,
    adler: u64,
    data_type: i32,
    header: Option<DeflateHeader>,
    settings: CompressBuilder,
}

/// One core call's outcome: the result and the bytes taken and written.
pub(crate) struct Step {
    pub(crate) result: Result<Status, Error>,
    pub(crate) consumed: usize,
    pub(crate) produced: usize,
}

impl Step {
    /// Runs `call` on the spare capacity of `output` and keeps what it
    /// wrote; the vector never grows. The spare capacity is zeroed first:
    /// safe code cannot lend uninitialised memory as a slice.
    pub(crate) fn into_spare_capacity(
        output: &mut Vec<u8>,
        call: impl FnOnce(&mut [u8]) -> Step,
    ) -> Result<Status, Error> {
        let len = output.len();
        output.resize(output.capacity(), 0);
        let step = call(&mut output[len..]);
        output.truncate(len + step.produced);
        step.result
    }
}

impl Compress {
    /// A stream at `level` in `format`, with zlib's defaults for the rest
    /// (32 KiB window, memLevel 8, default strategy, exact profile).
    pub fn new(level: Level, format: Format) -> Compress {
        // The defaults are always valid.
        match Compress::builder().level(level).format(format).build() {
            Ok(stream) => stream,
            Err(_) => unreachable!("zlib's default parameters are valid"),
        }
    }

    /// A builder for every setting: level, format, window size, memLevel,
    /// strategy, profile, threads and gzip header.
    ///
    /// ```
    /// use rzlib::{Compress, Format, Level, Profile, Strategy};
    /// let stream = Compress::builder()
    ///     .level(Level::best())
    ///     .format(Format::Raw)
    ///     .window_bits(12)
    ///     .mem_level(9)
    ///     .strategy(Strategy::Filtered)
    ///     .profile(Profile::Fast)
    ///     .build()?;
    /// assert_eq!(stream.total_in(), 0);
    /// # Ok::<(), rzlib::Error>(())
    /// ```
    pub fn builder() -> CompressBuilder {
        CompressBuilder::default()
    }

    fn from_builder(settings: CompressBuilder) -> Result<Compress, Error> {
        let invalid = || Error::new(ErrorKind::Stream);
        if settings.header.is_some() && settings.format != Format::Gzip {
            return Err(invalid());
        }
        let params = Params::new(
            settings.level.level() as i32,
            8,
            settings.format.window_bits(settings.window_bits),
            i32::from(settings.mem_level),
            settings.strategy.raw(),
        )
        .ok_or_else(invalid)?;
        let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
        let mut deflater = Deflater::new(params, &mut io, crate::memory::Heap)
            .ok_or_else(|| Error::new(ErrorKind::Memory))?;
        // A fresh stream takes any profile and threads.
        match settings.profile {
            Some(profile) => deflater.set_profile(profile.core()),
            None => deflater.set_default_profile(Profile::Exact.core()),
        };
        if deflater.set_threads(settings.threads) != Code::Ok {
            return Err(Error::new(ErrorKind::Memory));
        }
        Ok(Compress {
            deflater,
            core_in: io.total_in,
            core_out: io.total_out,
            total_in: 0,
            total_out: 0,
            adler: io.adler,
            data_type: io.data_type,
            header: settings.header.as_ref().map(GzHeader::for_deflate),
            settings,
        })
    }

    /// Compresses from `input` into `output` as far as both allow (zlib's
    /// `deflate`). How much was taken and written shows in
    /// [`total_in`](Self::total_in) and [`total_out`](Self::total_out).
    ///
    /// # Errors
    /// [`ErrorKind::Stream`] for a call the stream does not allow, such as
    /// more input after [`FlushCompress::Finish`] started.
    pub fn compress(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        flush: FlushCompress,
    ) -> Result<Status, Error> {
        self.step(input, output, flush).result
    }

    /// [`compress`](Self::compress) into the spare capacity of `output`
    /// (`output.capacity() - output.len()` bytes), appending what it
    /// writes; the vector never grows.
    ///
    /// # Errors
    /// As [`compress`](Self::compress).
    pub fn compress_vec(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
        flush: FlushCompress,
    ) -> Result<Status, Error> {
        Step::into_spare_capacity(output, |spare| self.step(input, spare, flush))
    }

    /// One deflate call.
    pub(crate) fn step(&mut self, input: &[u8], output: &mut [u8], flush: FlushCompress) -> Step {
        let mut io = DeflateIo::new(
            input,
            Writer::from_bytes(output),
            self.core_in,
            self.core_out,
        );
        self.load(&mut io);
        let header = self.header.as_ref().map(DeflateHeader::view);
        let code = self.deflater.deflate(&mut io, flush.raw(), header.as_ref());
        let (consumed, produced) = (io.consumed, io.produced);
        self.store(&io);
        self.total_in += consumed as u64;
        self.total_out += produced as u64;
        let result = match code {
            Code::Ok => Ok(Status::Ok),
            Code::StreamEnd => Ok(Status::StreamEnd),
            Code::BufError => Ok(Status::BufError),
            other => Err(core_error(other)),
        };
        Step {
            result,
            consumed,
            produced,
        }
    }

    /// Gives a call's view the stream's check value and data type.
    // The view's lifetimes are elided: they are the core's business.
    #[allow(elided_lifetimes_in_paths)]
    fn load(&self, io: &mut DeflateIo) {
        io.adler = self.adler;
        io.data_type = self.data_type;
    }

    /// Keeps what a call changed.
    #[allow(elided_lifetimes_in_paths)]
    fn store(&mut self, io: &DeflateIo) {
        self.core_in = io.total_in;
        self.core_out = io.total_out;
        self.adler = io.adler;
        self.data_type = io.data_type;
    }

    /// Input bytes taken by compress calls so far (zlib's `total_in`
    /// also counts a dictionary; this does not).
    pub fn total_in(&self) -> u64 {
        self.total_in
    }

    /// Output bytes written so far (zlib's `total_out`).
    pub fn total_out(&self) -> u64 {
        self.total_out
    }

    /// The check value so far: Adler-32 of the input for zlib streams,
    /// CRC-32 for gzip (zlib's `adler` field).
    pub fn checksum(&self) -> u32 {
        self.adler as u32
    }

    /// Sets the preset dictionary (zlib's `deflateSetDictionary`): the
    /// decompressor must be given the same one. Returns its Adler-32,
    /// which a zlib stream records in its header.
    ///
    /// ```
    /// use rzlib::{Compress, Decompress, ErrorKind, FlushCompress, FlushDecompress, Format, Level};
    /// let dictionary = b"common words: hello world";
    /// let mut deflater = Compress::new(Level::default(), Format::Zlib);
    /// let id = deflater.set_dictionary(dictionary)?;
    /// let mut packed = Vec::with_capacity(100);
    /// deflater.compress_vec(b"hello world", &mut packed, FlushCompress::Finish)?;
    ///
    /// let mut inflater = Decompress::new(Format::Zlib);
    /// let mut out = Vec::with_capacity(100);
    /// let err = inflater.decompress_vec(&packed, &mut out, FlushDecompress::None).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NeedDictionary);
    /// assert_eq!(err.needs_dictionary(), Some(id));
    /// inflater.set_dictionary(dictionary)?;
    /// let taken = inflater.total_in() as usize;
    /// inflater.decompress_vec(&packed[taken..], &mut out, FlushDecompress::Finish)?;
    /// assert_eq!(out, b"hello world");
    /// # Ok::<(), rzlib::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Stream`] for a gzip stream, or a zlib stream that
    /// compression already started on.
    pub fn set_dictionary(&mut self, dictionary: &[u8]) -> Result<u32, Error> {
        let mut io = DeflateIo::new(&[], Writer::empty(), self.core_in, self.core_out);
        self.load(&mut io);
        match self.deflater.set_dictionary(&mut io, dictionary) {
            Code::Ok => {
                self.store(&io);
                Ok(crate::checksum::adler32(1, dictionary))
            }
            other => Err(core_error(other)),
        }
    }

    /// Changes the level and strategy for the data that follows (zlib's
    /// `deflateParams`). Where the change needs a new block, the data
    /// given so far must be flushed first (with [`FlushCompress::Block`]
    /// or a stronger flush, until the call leaves output space unused).
    ///
    /// # Errors
    /// [`ErrorKind::Buffer`] when the change needs a new block and data
    /// given so far is not flushed yet (or its output not all taken);
    /// [`ErrorKind::Stream`] when it needs one after the stream finished.
    pub fn set_params(&mut self, level: Level, strategy: Strategy) -> Result<(), Error> {
        let (level, strategy_raw) = (level.level() as i32, strategy.raw());
        match self.deflater.params_change(level, strategy_raw) {
            ParamsChange::Invalid => return Err(Error::new(ErrorKind::Stream)),
            ParamsChange::Ready => {}
            ParamsChange::FlushFirst => {
                if self.deflater.has_unflushed_data() || self.deflater.pending().0 != 0 {
                    return Err(Error::new(ErrorKind::Buffer));
                }
                // zlib's deflateParams runs deflate(Z_BLOCK) here; with
                // everything flushed it writes nothing, but it is a call
                // that later calls' flush checks remember.
                let mut room = [0u8; 1];
                let step = self.step(&[], &mut room, FlushCompress::Block);
                step.result?;
                debug_assert_eq!(step.produced, 0);
            }
        }
        self.deflater.set_params(level, strategy_raw);
        self.settings.level = Level::new(level as u32);
        self.settings.strategy = strategy;
        Ok(())
    }

    /// Restarts the stream with the same settings and gzip header, any
    /// dictionary forgotten (zlib's `deflateReset`); the totals go back to
    /// zero.
    pub fn reset(&mut self) {
        let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
        self.deflater.reset(&mut io);
        self.store(&io);
        self.total_in = 0;
        self.total_out = 0;
    }

    /// zlib's `deflateBound` for this stream: the most bytes that
    /// compressing `input_len` bytes in one [`FlushCompress::Finish`] call
    /// can produce.
    pub fn bound(&self, input_len: usize) -> usize {
        let header = self.header.as_ref().map(DeflateHeader::view);
        let bound = crate::deflate::bound(Some(&self.deflater), header.as_ref(), input_len as u64);
        usize::try_from(bound).unwrap_or(usize::MAX)
    }

    /// The settings the stream runs with.
    pub fn settings(&self) -> &CompressBuilder {
        &self.settings
    }
}

impl fmt::Debug for Compress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compress")
            .field("settings", &self.settings)
            .field("total_in", &self.total_in)
            .field("total_out", &self.total_out)
            .finish_non_exhaustive()
    }
}

/// The settings of a [`Compress`] stream, from [`Compress::builder`];
/// unset ones are zlib's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompressBuilder {
    level: Level,
    format: Format,
    window_bits: u8,
    mem_level: u8,
    strategy: Strategy,
    /// As chosen; unchosen, Exact on one thread and Fast on more.
    profile: Option<Profile>,
    threads: usize,
    header: Option<GzHeader>,
}

impl Default for CompressBuilder {
    fn default() -> CompressBuilder {
        CompressBuilder {
            level: Level::default(),
            format: Format::Zlib,
            window_bits: 15,
            mem_level: 8,
            strategy: Strategy::Default,
            profile: None,
            threads: 1,
            header: None,
        }
    }
}

impl CompressBuilder {
    /// The compression level (default 6).
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// The container (default zlib).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// The window size as a power of two, 9 to 15 (default 15: 32 KiB);
    /// zlib streams also take 8, which deflate treats as 9.
    pub fn window_bits(mut self, bits: u8) -> Self {
        self.window_bits = bits;
        self
    }

    /// zlib's `memLevel`, 1 to 9 (default 8): the size of the hash table
    /// and of the block buffer, memory against speed and ratio.
    pub fn mem_level(mut self, mem_level: u8) -> Self {
        self.mem_level = mem_level;
        self
    }

    /// The strategy (default [`Strategy::Default`]).
    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// The profile (default [`Profile::Exact`], or [`Profile::Fast`] on
    /// more than one thread).
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// The threads that compress the stream (default 1; 0 for one per
    /// core). On more than one, the input is cut into jobs of 128 KiB
    /// compressed at once on a pool of threads the process shares, each
    /// with the window before it as its dictionary: one valid stream, not
    /// zlib's bytes, a little larger than on one thread, 1.1 to 1.6 MB of
    /// memory per thread.
    ///
    /// ```
    /// use rzlib::{Compress, Decompress, FlushCompress, FlushDecompress, Format};
    /// let data = b"parallel streams are ordinary streams\n".repeat(20_000);
    /// let mut stream = Compress::builder().format(Format::Gzip).threads(2).build()?;
    /// let mut packed = Vec::with_capacity(stream.bound(data.len()));
    /// stream.compress_vec(&data, &mut packed, FlushCompress::Finish)?;
    /// let mut back = Vec::with_capacity(data.len());
    /// Decompress::new(Format::Gzip).decompress_vec(&packed, &mut back, FlushDecompress::Finish)?;
    /// assert_eq!(back, data);
    /// # Ok::<(), rzlib::Error>(())
    /// ```
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// The gzip header to write (gzip format only; without it zlib's
    /// minimal header is written). See [`GzBuilder`](crate::GzBuilder)
    /// for the io adapters.
    pub fn header(mut self, header: GzHeader) -> Self {
        self.header = Some(header);
        self
    }

    /// The configured level.
    pub fn get_level(&self) -> Level {
        self.level
    }

    /// The configured format.
    pub fn get_format(&self) -> Format {
        self.format
    }

    /// The configured profile.
    pub fn get_profile(&self) -> Profile {
        match self.profile {
            Some(profile) => profile,
            None if crate::deflate::threads_for(self.threads) > 1 => Profile::Fast,
            None => Profile::Exact,
        }
    }

    /// The configured threads (0: one per core).
    pub fn get_threads(&self) -> usize {
        self.threads
    }

    /// The stream.
    ///
    /// # Errors
    /// [`ErrorKind::Stream`] for a window size or memLevel out of range,
    /// or a header on a stream that is not gzip.
    pub fn build(self) -> Result<Compress, Error> {
        Compress::from_builder(self)
    }
}

/// The error for a core code that is not a success.
fn core_error(code: Code) -> Error {
    Error::new(match code {
        Code::DataError => ErrorKind::Data,
        Code::MemError => ErrorKind::Memory,
        Code::BufError => ErrorKind::Buffer,
        _ => ErrorKind::Stream,
    })
}
