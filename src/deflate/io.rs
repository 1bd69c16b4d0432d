//! One deflate call's view of the caller's stream: input, output, counters.

use crate::checksum::{adler32, crc32};
use crate::writer::Writer;

/// The caller's buffers and scalar fields for one call. The input and the
/// output have lifetimes of their own: `compress` lends deflate each piece
/// of its output through [`Writer::write_next`], whose writer lives only
/// within that call, while the input outlives them all.
pub struct DeflateIo<'i, 'o> {
    /// Input (`next_in`, `avail_in`).
    pub input: &'i [u8],
    /// Output space (`next_out`, `avail_out`), which may be uninitialised:
    /// deflate only writes it.
    pub output: Writer<'o>,
    /// Set by the call: input bytes taken from the front of `input`.
    pub consumed: usize,
    /// Set by the call: output bytes written to the front of `output`.
    pub produced: usize,
    /// `total_in`.
    pub total_in: u64,
    /// `total_out`.
    pub total_out: u64,
    /// `adler`.
    pub adler: u64,
    /// `data_type`.
    pub data_type: i32,
}

impl<'i, 'o> DeflateIo<'i, 'o> {
    /// A view over `input` and `output` with the given counters.
    pub fn new(input: &'i [u8], output: Writer<'o>, total_in: u64, total_out: u64) -> Self {
        DeflateIo {
            input,
            output,
            consumed: 0,
            produced: 0,
            total_in,
            total_out,
            adler: 0,
            data_type: 0,
        }
    }

    /// `avail_in`.
    pub(crate) fn avail_in(&self) -> usize {
        self.input.len() - self.consumed
    }

    /// `avail_out`.
    pub(crate) fn avail_out(&self) -> usize {
        self.output.remaining()
    }

    /// zlib's read_buf: moves up to `dst.len()` input bytes into `dst`,
    /// updating the check value for `wrap` (1 Adler-32, 2 CRC-32).
    pub(crate) fn read_into(&mut self, dst: &mut [u8], wrap: i32) -> usize {
        let n = dst.len().min(self.avail_in());
        if n == 0 {
            return 0;
        }
        let src = &self.input[self.consumed..self.consumed + n];
        dst[..n].copy_from_slice(src);
        self.update_check(src, wrap);
        self.consumed += n;
        self.total_in = self.total_in.wrapping_add(n as u64);
        n
    }

    /// Updates `adler` with bytes read for `wrap`.
    fn update_check(&mut self, data: &[u8], wrap: i32) {
        if wrap == 1 {
            self.adler = u64::from(adler32(self.adler as u32, data));
        } else if wrap == 2 {
            self.adler = u64::from(crc32(self.adler as u32, data));
        }
    }

    /// zlib's read_buf straight to the output (deflate_stored): moves `n`
    /// input bytes to the output.
    pub(crate) fn copy_input_to_output(&mut self, n: usize, wrap: i32) {
        let n = n.min(self.avail_in()).min(self.avail_out());
        let start = self.consumed;
        let input = self.input;
        let src = &input[start..start + n];
        self.output.extend(src);
        self.update_check(src, wrap);
        self.consumed += n;
        self.total_in = self.total_in.wrapping_add(n as u64);
        self.produced += n;
        self.total_out = self.total_out.wrapping_add(n as u64);
    }

    /// Writes `bytes` (at most `avail_out`) to the output.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> usize {
        let n = bytes.len().min(self.avail_out());
        self.output.extend(&bytes[..n]);
        self.produced += n;
        self.total_out = self.total_out.wrapping_add(n as u64);
        n
    }
}
