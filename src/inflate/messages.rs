//! zlib's inflate error messages, byte for byte: `strm->msg` carries them.

use core::ffi::CStr;

/// HEAD: the zlib header's FCHECK is wrong, or no allowed wrapper matched.
pub const INCORRECT_HEADER_CHECK: &CStr = c"incorrect header check";
/// HEAD/FLAGS: the method is not deflate.
pub const UNKNOWN_COMPRESSION_METHOD: &CStr = c"unknown compression method";
/// HEAD: the zlib header asks for a larger window than allowed.
pub const INVALID_WINDOW_SIZE: &CStr = c"invalid window size";
/// FLAGS: reserved gzip flag bits are set.
pub const UNKNOWN_HEADER_FLAGS_SET: &CStr = c"unknown header flags set";
/// HCRC: the gzip header CRC does not match.
pub const HEADER_CRC_MISMATCH: &CStr = c"header crc mismatch";
/// TYPE: block type 3.
pub const INVALID_BLOCK_TYPE: &CStr = c"invalid block type";
/// STORED: LEN and NLEN disagree.
pub const INVALID_STORED_BLOCK_LENGTHS: &CStr = c"invalid stored block lengths";
/// TABLE: HLIT > 286 or HDIST > 30.
pub const TOO_MANY_LENGTH_OR_DISTANCE_SYMBOLS: &CStr = c"too many length or distance symbols";
/// LENLENS: the code-length code is not complete.
pub const INVALID_CODE_LENGTHS_SET: &CStr = c"invalid code lengths set";
/// CODELENS: a repeat with nothing to repeat or past the end.
pub const INVALID_BIT_LENGTH_REPEAT: &CStr = c"invalid bit length repeat";
/// CODELENS: symbol 256 has no code.
pub const MISSING_END_OF_BLOCK: &CStr = c"invalid code -- missing end-of-block";
/// CODELENS: the literal/length code is over-subscribed or incomplete.
pub const INVALID_LITERAL_LENGTHS_SET: &CStr = c"invalid literal/lengths set";
/// CODELENS: the distance code is over-subscribed or incomplete.
pub const INVALID_DISTANCES_SET: &CStr = c"invalid distances set";
/// LEN: an unused literal/length code.
pub const INVALID_LITERAL_LENGTH_CODE: &CStr = c"invalid literal/length code";
/// DIST: an unused distance code.
pub const INVALID_DISTANCE_CODE: &CStr = c"invalid distance code";
/// MATCH: the distance reaches before the start of the output.
pub const INVALID_DISTANCE_TOO_FAR_BACK: &CStr = c"invalid distance too far back";
/// CHECK: the Adler-32 or CRC-32 of the data does not match.
pub const INCORRECT_DATA_CHECK: &CStr = c"incorrect data check";
/// LENGTH: the gzip ISIZE does not match.
pub const INCORRECT_LENGTH_CHECK: &CStr = c"incorrect length check";
