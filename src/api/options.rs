//! The typed settings of a stream: level, strategy, format, profile,
//! flush modes and the status a call reports.

/// A compression level, 0 (store) to 9 (smallest output).
///
/// ```
/// use rzlib::Level;
/// assert_eq!(Level::default().level(), 6);
/// assert_eq!(Level::best(), Level::new(9));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Level(u8);

impl Level {
    /// Level `level`.
    ///
    /// # Panics
    /// If `level` is above 9.
    pub const fn new(level: u32) -> Level {
        assert!(level <= 9, "compression levels are 0 to 9");
        Level(level as u8)
    }

    /// Level 0: stored blocks, no compression.
    pub const fn none() -> Level {
        Level(0)
    }

    /// Level 1: the fastest.
    pub const fn fast() -> Level {
        Level(1)
    }

    /// Level 9: the smallest output.
    pub const fn best() -> Level {
        Level(9)
    }

    /// The level as a number, 0 to 9.
    pub const fn level(self) -> u32 {
        self.0 as u32
    }
}

impl Default for Level {
    /// zlib's default, level 6.
    fn default() -> Level {
        Level(6)
    }
}

/// How deflate searches for matches (zlib's `strategy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// `Z_DEFAULT_STRATEGY`: the level's normal search.
    #[default]
    Default,
    /// `Z_FILTERED`: for data from a filter or predictor (small values
    /// with a random spread); favours literals over short matches.
    Filtered,
    /// `Z_HUFFMAN_ONLY`: literals only, no matches.
    HuffmanOnly,
    /// `Z_RLE`: matches of distance one only (run lengths).
    Rle,
    /// `Z_FIXED`: no dynamic Huffman codes.
    Fixed,
}

impl Strategy {
    /// zlib's value.
    pub(crate) fn raw(self) -> i32 {
        match self {
            Strategy::Default => 0,
            Strategy::Filtered => 1,
            Strategy::HuffmanOnly => 2,
            Strategy::Rle => 3,
            Strategy::Fixed => 4,
        }
    }
}

/// The container around the deflate data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// zlib (RFC 1950): a 2-byte header and an Adler-32 trailer.
    #[default]
    Zlib,
    /// gzip (RFC 1952): a header with optional name, comment and extra
    /// field, and a CRC-32 and length trailer.
    Gzip,
    /// Raw deflate (RFC 1951) without header or trailer.
    Raw,
}

impl Format {
    /// zlib's `windowBits` argument for `bits` in this format.
    pub(crate) fn window_bits(self, bits: u8) -> i32 {
        let bits = i32::from(bits);
        match self {
            Format::Zlib => bits,
            Format::Gzip => bits + 16,
            Format::Raw => -bits,
        }
    }
}

/// Which algorithms compress: zlib's own, for zlib's exact bytes, or
/// rzlib's faster match finders.
///
/// The C API's streams follow the environment variable
/// `RZLIB_DEFLATE_PROFILE` unless told otherwise; the Rust API uses what
/// the program chooses, [`Profile::Exact`] by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    /// zlib 1.3.2's algorithms: output byte-identical to zlib's for the
    /// same settings and calls.
    #[default]
    Exact,
    /// rzlib's fast match finders: valid streams any inflater reads,
    /// with other bytes than zlib's.
    Fast,
}

impl Profile {
    /// The core's profile.
    pub(crate) fn core(self) -> crate::deflate::Profile {
        match self {
            Profile::Exact => crate::deflate::Profile::Zlib,
            Profile::Fast => crate::deflate::Profile::Fast,
        }
    }
}

/// The flush argument of [`Compress::compress`](crate::Compress::compress).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FlushCompress {
    /// `Z_NO_FLUSH`: compress as much as the buffers allow; deflate
    /// decides when to emit output.
    #[default]
    None,
    /// `Z_PARTIAL_FLUSH`: emit the pending output with an empty fixed
    /// block, not aligned to a byte.
    Partial,
    /// `Z_SYNC_FLUSH`: emit all pending output, aligned to a byte with an
    /// empty stored block, so a reader can decode everything so far.
    Sync,
    /// `Z_FULL_FLUSH`: as `Sync`, and forget the history so that decoding
    /// can restart here.
    Full,
    /// `Z_FINISH`: compress all the input and write the trailer;
    /// [`Status::StreamEnd`] once complete.
    Finish,
    /// `Z_BLOCK`: finish the current block, without aligning to a byte.
    Block,
}

impl FlushCompress {
    /// zlib's value.
    pub(crate) fn raw(self) -> i32 {
        match self {
            FlushCompress::None => 0,
            FlushCompress::Partial => 1,
            FlushCompress::Sync => 2,
            FlushCompress::Full => 3,
            FlushCompress::Finish => 4,
            FlushCompress::Block => 5,
        }
    }
}

/// The flush argument of
/// [`Decompress::decompress`](crate::Decompress::decompress).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FlushDecompress {
    /// `Z_NO_FLUSH`: decompress as much as the buffers allow.
    #[default]
    None,
    /// `Z_SYNC_FLUSH`: the same as `None` for decompression (zlib's
    /// inflate treats them alike).
    Sync,
    /// `Z_FINISH`: the input holds the rest of the stream; a call that
    /// does not reach its end reports [`Status::BufError`].
    Finish,
    /// `Z_BLOCK`: stop at the end of each deflate block.
    Block,
}

impl FlushDecompress {
    /// The core's flush.
    pub(crate) fn core(self) -> crate::inflate::Flush {
        match self {
            FlushDecompress::None | FlushDecompress::Sync => crate::inflate::Flush::None,
            FlushDecompress::Finish => crate::inflate::Flush::Finish,
            FlushDecompress::Block => crate::inflate::Flush::Block,
        }
    }
}

/// What a successful call reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Progress was made; there may be more to do.
    Ok,
    /// No progress was possible: more input or more output space is
    /// needed (zlib's `Z_BUF_ERROR`, which is not fatal).
    BufError,
    /// The end of the stream: all output for
    /// [`FlushCompress::Finish`] written, or the compressed stream's end
    /// reached.
    StreamEnd,
}
