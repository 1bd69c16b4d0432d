//! Compression: zlib's `deflate`, producing byte-identical output.
//!
//! So far this holds the block layer that the deflate state machine drives:
//! `bit_writer` (zlib's pending buffer and bit buffer, with zlib's
//! observable split between the two) and `trees` (zlib's trees.c: the
//! symbol buffer, Huffman tree construction, and the stored / fixed /
//! dynamic block choice and emission).

// The deflate state machine (not written yet) is the user of this API.
#[allow(dead_code, reason = "driven by the deflate state machine, to come")]
pub(crate) mod bit_writer;
#[allow(dead_code, reason = "driven by the deflate state machine, to come")]
pub(crate) mod trees;
