//! The pending output buffer and the bit writer in front of it.
//!
//! zlib keeps a 16-bit bit buffer (`bi_buf`, `bi_valid`) and moves two bytes
//! to `pending_buf` each time a send would overflow it, so after any send
//! `0 < bi_valid <= 16`. That split between "bytes in pending" and "bits
//! held" is observable (`deflatePending`, `deflatePrime`, the stored-block
//! header size in `deflate_stored`). This writer accumulates up to 64 bits
//! in a `u64` and writes four bytes at a time (a block's symbols: eight, see
//! [`BitWriter::send_symbols`]), which is faster, but it only ever counts
//! as written whole 16-bit units between zlib's own byte-aligning
//! operations (`bi_flush`, `bi_windup`). So the bits it holds differ from
//! zlib's by a multiple of 16, and [`BitWriter::normalize`] recovers zlib's
//! exact split whenever the caller looks.
//!
//! The pending buffer reproduces zlib's pointers too: bytes are appended at
//! offset `pending` from the start of the buffer, and read from the
//! `pending_out` offset. (The two differ only while a caller has taken part
//! of the pending bytes; zlib appends then only through `deflatePrime`.)

use crate::memory::Grow;

/// How far past a stored symbol the buffer is kept usable.
const SYMBOL_REACH: usize = 16;

/// Pending output bytes plus the bit accumulator.
#[derive(Clone, Debug)]
pub(crate) struct BitWriter<B = Vec<u8>> {
    /// zlib's `pending_buf`; its capacity is `pending_buf_size`. Its upper
    /// part holds the block's symbols (see [`BitWriter::store`]), as in
    /// zlib. It becomes usable as writes reach it ([`BitWriter::reach`]),
    /// so a short stream touches little of it.
    buf: B,
    /// zlib's `pending_out`, as an offset into `buf`.
    out: usize,
    /// zlib's `pending`: bytes waiting to be taken.
    len: usize,
    /// Bits not yet in `buf`, LSB first; no set bits above `bit_count`.
    bit_buf: u64,
    /// Number of bits in `bit_buf`; at most 32 between sends.
    bit_count: u32,
    /// zlib's `bi_used`: bits used in the last byte at the last byte
    /// alignment (1..=8; 0 before any).
    used_bits: u8,
}

/// A point in the output: what [`BitWriter::rewind`] goes back to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    len: usize,
    bit_buf: u64,
    bit_count: u32,
}

impl Mark {
    /// The bit's position from the buffer's start.
    pub(crate) fn position(&self) -> u64 {
        8 * self.len as u64 + u64::from(self.bit_count)
    }
}

/// The output as a hot loop writes it ([`BitWriter::with_bits`]): each
/// [`Bits::put`] stores all eight bytes of the accumulator and counts the
/// whole ones as written, with no branch on the bit count. The caller
/// keeps `len` at least 8 bytes short of the buffer's end; a store past it
/// would be dropped, never written out of bounds.
#[derive(Debug)]
pub(crate) struct Bits<'a> {
    buf: &'a mut [u8],
    /// Bytes written (zlib's `pending`).
    pub(crate) len: usize,
    bit_buf: u64,
    /// At most 7 between puts.
    bit_count: u32,
}

impl Bits<'_> {
    /// Sends the low `n` (at most 56) bits of `value`.
    #[inline(always)]
    pub(crate) fn put(&mut self, value: u64, n: u32) {
        self.bit_buf |= value << self.bit_count;
        self.bit_count += n;
        if let Some(dst) = self.buf.get_mut(self.len..self.len + 8) {
            dst.copy_from_slice(&self.bit_buf.to_le_bytes());
        }
        let bytes = self.bit_count >> 3;
        self.len += bytes as usize;
        self.bit_buf = self.bit_buf.checked_shr(bytes * 8).unwrap_or(0);
        self.bit_count &= 7;
    }

    /// The buffer's end.
    pub(crate) fn end(&self) -> usize {
        self.buf.len()
    }
}

impl<B: Grow<u8>> BitWriter<B> {
    /// An empty writer on `buf` (its capacity is zlib's `pending_buf_size`).
    pub(crate) fn new(buf: B) -> BitWriter<B> {
        BitWriter {
            buf,
            out: 0,
            len: 0,
            bit_buf: 0,
            bit_count: 0,
            used_bits: 0,
        }
    }

    /// A copy with its own buffer, made by `copy` from this one's.
    pub(crate) fn try_clone(&self, copy: impl FnOnce(&B) -> Option<B>) -> Option<Self> {
        Some(BitWriter {
            buf: copy(&self.buf)?,
            ..*self
        })
    }

    /// zlib's `pending_buf_size`.
    pub(crate) fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Makes the buffer usable up to `end` (at most its capacity), and to
    /// the next multiple of 4 KiB past it, so that growing stays rare.
    #[cold]
    fn reach(&mut self, end: usize) {
        self.buf.grow_zeroed((end + 1).next_multiple_of(4096));
    }

    /// Empties the buffer and the bits (zlib's deflateResetKeep + _tr_init).
    pub(crate) fn reset(&mut self) {
        self.out = 0;
        self.len = 0;
        self.bit_buf = 0;
        self.bit_count = 0;
        self.used_bits = 0;
    }

    /// Sends the low `len` bits of `value`, LSB first.
    /// `len` <= 31 and `value` < 2^len.
    #[inline(always)]
    pub(crate) fn send_bits(&mut self, value: u32, len: u32) {
        self.bit_buf |= u64::from(value) << (self.bit_count & 63);
        self.bit_count += len & 31;
        // Keep at least one bit so that an empty accumulator always means
        // zlib's bi_valid is 0 too.
        if self.bit_count > 32 {
            let word = (self.bit_buf as u32).to_le_bytes();
            self.append(&word);
            self.bit_buf >>= 32;
            self.bit_count -= 32;
        }
    }

    /// zlib's `bi_valid`: the bits zlib would hold at this point (0..=16).
    pub(crate) fn pending_bits(&self) -> u32 {
        if self.bit_count == 0 {
            0
        } else {
            (self.bit_count - 1) % 16 + 1
        }
    }

    /// zlib's `pending`: how many bytes zlib would have in the buffer.
    pub(crate) fn pending_len(&self) -> usize {
        self.len + ((self.bit_count - self.pending_bits()) / 8) as usize
    }

    /// zlib's `pending_out`, as an offset into the buffer (after
    /// [`BitWriter::normalize`] this is exact; normalising never moves it).
    pub(crate) fn pending_offset(&self) -> usize {
        self.out
    }

    /// Moves whole 16-bit units to the buffer until the held bits are
    /// exactly zlib's `bi_buf`/`bi_valid`.
    pub(crate) fn normalize(&mut self) {
        let keep = self.pending_bits();
        while self.bit_count > keep {
            let unit = (self.bit_buf as u16).to_le_bytes();
            self.append(&unit);
            self.bit_buf >>= 16;
            self.bit_count -= 16;
        }
    }

    /// The pending bytes, exactly as zlib would have them in `pending_buf`
    /// from `pending_out`. Bytes counted past the end of the buffer are
    /// dropped: zlib counts them only after a deflatePrime while part of
    /// the pending output is taken, and then reads them from beyond its
    /// buffer. Keeping them would leave the stream stuck, never flushed.
    pub(crate) fn pending(&mut self) -> &[u8] {
        self.normalize();
        self.len = self.len.min(self.buf.len().saturating_sub(self.out));
        self.buf.get(self.out..self.out + self.len).unwrap_or(&[])
    }

    /// Marks the first `n` pending bytes as taken (zlib's flush_pending
    /// bookkeeping): the buffer restarts at its beginning once empty.
    pub(crate) fn consume(&mut self, n: usize) {
        self.normalize();
        let n = n.min(self.len);
        self.out += n;
        self.len -= n;
        if self.len == 0 {
            self.out = 0;
        }
    }

    /// The bytes from offset `from` of the buffer up to zlib's `pending`
    /// (zlib's `pending_buf + from .. pending_buf + pending`, used for the
    /// gzip header CRC).
    pub(crate) fn written_since(&mut self, from: usize) -> &[u8] {
        self.normalize();
        self.buf.get(from..self.len).unwrap_or(&[])
    }

    /// Appends whole bytes to the pending buffer (zlib's `put_byte`) after
    /// any bits zlib would already have moved there.
    pub(crate) fn put_bytes(&mut self, bytes: &[u8]) {
        self.normalize();
        self.append(bytes);
    }

    /// Writes bytes at zlib's `pending_buf + pending`. zlib's sizing keeps
    /// them inside the buffer; bytes beyond it would be dropped, never
    /// written out of bounds.
    #[inline(always)]
    fn append(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        match self.buf.get_mut(self.len..end) {
            Some(dst) => dst.copy_from_slice(bytes),
            None => self.append_beyond(bytes),
        }
        self.len = end;
    }

    /// [`BitWriter::append`] past the usable part: grows it first. Apart
    /// from the inlined writes, so that they stay small.
    #[cold]
    #[inline(never)]
    fn append_beyond(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        self.reach(end);
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
        }
    }

    /// Stores one three-byte symbol at offset `at` of the buffer, in the
    /// part above the pending bytes that zlib lends to the symbol buffer
    /// (`sym_buf`). Writing stays behind reading there: bytes go out only
    /// once all their bits are sent, never ahead as zlib's 16-bit writer
    /// never does, so compressing a block cannot overwrite symbols it has
    /// not read yet.
    #[inline(always)]
    pub(crate) fn store(&mut self, at: usize, symbol: [u8; 3]) {
        // Usable past the symbol too: the fourth byte its sending reads,
        // and the words the output writes just behind the symbols.
        match self.buf.get_mut(at..at + SYMBOL_REACH) {
            Some(dst) => dst[..3].copy_from_slice(&symbol),
            None => self.store_beyond(at, symbol),
        }
    }

    /// [`BitWriter::store`] near the end of the usable part: grows it
    /// first.
    #[cold]
    #[inline(never)]
    fn store_beyond(&mut self, at: usize, symbol: [u8; 3]) {
        self.reach(at + SYMBOL_REACH);
        if let Some(dst) = self.buf.get_mut(at..at + 3) {
            dst.copy_from_slice(&symbol);
        }
    }

    /// Sends the codes of the three-byte symbols stored at `symbols` (see
    /// [`BitWriter::store`]): `code` gives each one's bits (at most 48)
    /// and their count. The accumulator and the buffer end stay in locals.
    ///
    /// Far from the symbols the symbols go in runs that cannot reach the
    /// output: with the output `gap` bytes below the run's first symbol,
    /// a run of `(gap - 8) / 6` symbols (each writes at most six bytes)
    /// never stores into it. In a run every symbol stores all eight bytes
    /// of the accumulator at the output's end and counts the whole bytes
    /// as written, with no branch on the bit count. Afterwards up to two
    /// bytes are taken back into the accumulator, so that it holds zlib's
    /// `bi_valid` bits again (only whole 16-bit units counted, as the
    /// type's invariant asks). Near the symbols the bits go out as
    /// [`BitWriter::send_bits`] sends them.
    #[inline(always)]
    pub(crate) fn send_symbols(
        &mut self,
        symbols: core::ops::Range<usize>,
        code: impl Fn([u8; 3]) -> (u64, u32),
    ) {
        let buf: &mut [u8] = &mut self.buf;
        let (mut len, mut bit_buf, mut bit_count) = (self.len, self.bit_buf, self.bit_count);
        let mut at = symbols.start;
        let end = symbols.end.min(buf.len());
        let len0 = len;
        let mut runs = false;
        loop {
            // A run of up to RUN symbols writes at most 6 bytes each, all
            // inside a STAGE-byte array at the output's end that lies
            // below the run's first symbol: every store at a position
            // masked into the array, so with no check.
            const RUN: usize = 84;
            const STAGE: usize = 520;
            let count = RUN.min(end.saturating_sub(at) / 3);
            if count < 8 || at < len + STAGE {
                break;
            }
            let (out, rest) = buf.split_at_mut(at);
            let Some(run) = rest.get(..3 * count) else {
                break;
            };
            let Some(stage) = out
                .get_mut(len..len + STAGE)
                .and_then(|s| <&mut [u8; STAGE]>::try_from(s).ok())
            else {
                break;
            };
            let mut pos = 0usize;
            if !runs {
                // At most 32 bits held: one store leaves at most 7.
                stage[..8].copy_from_slice(&bit_buf.to_le_bytes());
                let bytes = bit_count.min(32) >> 3;
                pos += bytes as usize;
                bit_buf >>= bytes * 8;
                bit_count &= 7;
                runs = true;
            }
            for symbol in run.chunks_exact(3) {
                let (value, n) = code([symbol[0], symbol[1], symbol[2]]);
                bit_buf |= value << bit_count;
                bit_count += n;
                // pos < 4 + 6 * RUN <= 511: the mask changes nothing.
                let p = pos & 511;
                if let Some(dst) = stage.get_mut(p..p + 8) {
                    dst.copy_from_slice(&bit_buf.to_le_bytes());
                }
                let bytes = bit_count >> 3;
                pos += bytes as usize;
                bit_buf >>= bytes * 8;
                bit_count &= 7;
            }
            len += pos;
            at += 3 * count;
        }
        if runs {
            // Back to zlib's bits held: those held at the entry (which
            // agree with zlib's modulo 16) and those sent since, modulo 16,
            // 1..=16 once there are any; that agrees with bit_count modulo
            // 8, and the bytes taken back were all written here.
            let total = 8 * len.saturating_sub(len0) + bit_count as usize;
            let keep = if total == 0 { 0 } else { (total - 1) % 16 + 1 };
            let back = (keep as u32).saturating_sub(bit_count) / 8;
            for _ in 0..back {
                let Some(last) = len.checked_sub(1) else {
                    break;
                };
                len = last;
                let byte = buf.get(len).copied().unwrap_or(0);
                bit_buf = bit_buf << 8 | u64::from(byte);
                bit_count += 8;
            }
        }
        while at + 3 <= end {
            let symbol = match buf.get(at..at + 3) {
                Some(&[a, b, c]) => [a, b, c],
                _ => [0; 3],
            };
            at += 3;
            let (value, n) = code(symbol);
            // Near the symbols: 32 bits at most held, 24 bits per send.
            let mut value = value;
            let mut n = n;
            while n > 0 {
                let piece = n.min(24);
                bit_buf |= (value & 0xff_ffff) << (bit_count & 63);
                bit_count += piece;
                if bit_count > 32 {
                    if let Some(dst) = buf.get_mut(len..len + 4) {
                        dst.copy_from_slice(&(bit_buf as u32).to_le_bytes());
                    }
                    len += 4;
                    bit_buf >>= 32;
                    bit_count -= 32;
                }
                value >>= 24;
                n -= piece;
            }
        }
        self.len = len;
        self.bit_buf = bit_buf;
        self.bit_count = bit_count;
    }

    /// zlib's `bi_flush`: moves all whole bytes to the buffer, keeping at
    /// most 7 bits.
    pub(crate) fn flush(&mut self) {
        let whole = (self.bit_count / 8) as usize;
        let bytes = self.bit_buf.to_le_bytes();
        self.append(&bytes[..whole.min(8)]);
        self.bit_buf = if whole >= 8 {
            0
        } else {
            self.bit_buf >> (whole * 8)
        };
        self.bit_count %= 8;
    }

    /// zlib's `bi_windup`: pads the bits to a byte boundary and moves them to
    /// the buffer, remembering how many bits the last byte used.
    pub(crate) fn align(&mut self) {
        self.used_bits = (self.bit_count.wrapping_sub(1) & 7) as u8 + 1;
        let whole = self.bit_count.div_ceil(8) as usize;
        let bytes = self.bit_buf.to_le_bytes();
        self.append(&bytes[..whole.min(8)]);
        self.bit_buf = 0;
        self.bit_count = 0;
    }

    /// Where the next bit goes, counted in bits from the buffer's start
    /// (a [`Mark`] to take back, or a bit to set later).
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            len: self.len,
            bit_buf: self.bit_buf,
            bit_count: self.bit_count,
        }
    }

    /// Takes back everything written since `mark` (nothing of it may have
    /// been taken from the buffer since).
    pub(crate) fn rewind(&mut self, mark: Mark) {
        self.len = mark.len;
        self.bit_buf = mark.bit_buf;
        self.bit_count = mark.bit_count;
    }

    /// Sets the bit written at `mark` (a block's BFINAL, known only at its
    /// end), in the buffer or in the bits held.
    pub(crate) fn set_bit(&mut self, mark: Mark) {
        let at = mark.position();
        let byte = (at / 8) as usize;
        if byte < self.len {
            if let Some(b) = self.buf.get_mut(byte) {
                *b |= 1 << (at % 8);
            }
        } else {
            self.bit_buf |= 1 << ((at - 8 * self.len as u64) & 63);
        }
    }

    /// Runs `write` with the pending output as [`Bits`] over the buffer up
    /// to `end` (at most the capacity; made usable first): whole bytes are
    /// moved out first, and the bits `write` hands back are kept. By value,
    /// so that a loop keeps them in registers.
    #[inline(always)]
    pub(crate) fn with_bits<R>(
        &mut self,
        end: usize,
        write: impl FnOnce(Bits<'_>) -> (Bits<'_>, R),
    ) -> R {
        self.flush();
        let end = end.min(self.capacity());
        if end > self.buf.len() {
            self.reach(end);
        }
        let (len, bit_buf, bit_count) = (self.len, self.bit_buf, self.bit_count);
        let buf = self.buf.get_mut(..end).unwrap_or_default();
        let (bits, result) = write(Bits {
            buf,
            len,
            bit_buf,
            bit_count,
        });
        (self.len, self.bit_buf, self.bit_count) = (bits.len, bits.bit_buf, bits.bit_count);
        result
    }

    /// Takes the bits held after [`BitWriter::flush`] (fewer than 8), as
    /// value and count: a parallel stream gives them to its next job.
    pub(crate) fn take_bits(&mut self) -> (u32, u32) {
        self.flush();
        let held = (self.bit_buf as u32, self.bit_count);
        (self.bit_buf, self.bit_count) = (0, 0);
        held
    }

    /// zlib's `bi_used`, which `deflateUsed` reports.
    pub(crate) fn used_bits(&self) -> u8 {
        self.used_bits
    }

    /// Sets zlib's `bi_used` (deflate_stored sets 8 after a last block it
    /// wrote straight to the caller).
    pub(crate) fn set_used_bits(&mut self, bits: u8) {
        self.used_bits = bits;
    }

    /// zlib's deflatePrime loop, after its room check: inserts the low
    /// `bits` (0..=16) bits of `value`, at most 16 - bi_valid at a time,
    /// with a `bi_flush` after each piece (so that `bits == 0` still
    /// flushes).
    pub(crate) fn prime(&mut self, mut bits: u32, mut value: i32) {
        self.normalize();
        bits = bits.min(16);
        loop {
            let put = (16 - self.bit_count).min(bits);
            let mask = (1u32 << put) - 1;
            self.send_bits(value as u32 & mask, put);
            self.flush();
            value >>= put;
            bits -= put;
            if bits == 0 {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// zlib's own 16-bit bit buffer, written from its description, as the
    /// reference for what is observable.
    #[derive(Default)]
    struct Reference {
        pending: Vec<u8>,
        bi_buf: u16,
        bi_valid: u32,
    }

    impl Reference {
        fn send(&mut self, value: u32, len: u32) {
            // zlib sends at most 16 bits at a time.
            let (mut value, mut len) = (value, len);
            while len > 0 {
                let piece = len.min(16);
                let v = value & ((1 << piece) - 1);
                if self.bi_valid + piece > 16 {
                    self.bi_buf |= (v << self.bi_valid) as u16;
                    self.pending.extend_from_slice(&self.bi_buf.to_le_bytes());
                    self.bi_buf = (v >> (16 - self.bi_valid)) as u16;
                    self.bi_valid = self.bi_valid + piece - 16;
                } else {
                    self.bi_buf |= (v << self.bi_valid) as u16;
                    self.bi_valid += piece;
                }
                value >>= piece;
                len -= piece;
            }
        }
        fn flush(&mut self) {
            if self.bi_valid == 16 {
                self.pending.extend_from_slice(&self.bi_buf.to_le_bytes());
                self.bi_buf = 0;
                self.bi_valid = 0;
            } else if self.bi_valid >= 8 {
                self.pending.push(self.bi_buf as u8);
                self.bi_buf >>= 8;
                self.bi_valid -= 8;
            }
        }
        fn windup(&mut self) {
            if self.bi_valid > 8 {
                self.pending.extend_from_slice(&self.bi_buf.to_le_bytes());
            } else if self.bi_valid > 0 {
                self.pending.push(self.bi_buf as u8);
            }
            self.bi_buf = 0;
            self.bi_valid = 0;
        }
    }

    /// A small deterministic generator (xorshift).
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn observable_state_matches_zlibs_16_bit_buffer() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200 {
            let mut ours = BitWriter::new(vec![0; 1 << 16]);
            let mut zlib = Reference::default();
            for _ in 0..500 {
                let r = next(&mut seed);
                match r % 16 {
                    0 => {
                        ours.flush();
                        zlib.flush();
                    }
                    1 => {
                        ours.align();
                        zlib.windup();
                    }
                    _ => {
                        // zlib's sends are 1..=16 bits.
                        let len = (r >> 8) as u32 % 16 + 1;
                        let value = (r >> 32) as u32 & ((1 << len) - 1);
                        ours.send_bits(value, len);
                        zlib.send(value, len);
                    }
                }
                assert_eq!(ours.pending_bits(), zlib.bi_valid);
                assert_eq!(ours.pending_len(), zlib.pending.len());
                if r.is_multiple_of(7) {
                    assert_eq!(ours.pending(), &zlib.pending[..]);
                }
            }
            ours.align();
            zlib.windup();
            assert_eq!(ours.pending(), &zlib.pending[..]);
        }
    }

    #[test]
    fn prime_follows_zlibs_pieces() {
        let mut seed = 12345u64;
        for _ in 0..500 {
            let mut ours = BitWriter::new(vec![0; 64]);
            let mut zlib = Reference::default();
            let first = next(&mut seed) as u32 % 17;
            ours.send_bits(0x1_5555 & ((1 << first) - 1), first);
            zlib.send(0x1_5555 & ((1 << first) - 1), first);
            let bits = next(&mut seed) as u32 % 17;
            let value = next(&mut seed) as i32;
            ours.prime(bits, value);
            // zlib's deflatePrime, step by step.
            let (mut b, mut v) = (bits, value);
            loop {
                let put = (16 - zlib.bi_valid).min(b);
                zlib.send(v as u32 & ((1u32 << put) - 1), put);
                zlib.flush();
                v >>= put;
                b -= put;
                if b == 0 {
                    break;
                }
            }
            assert_eq!(ours.pending_bits(), zlib.bi_valid);
            assert_eq!(ours.pending(), &zlib.pending[..]);
        }
    }

    #[test]
    fn consume_restarts_the_buffer_and_appends_like_zlib() {
        let mut w = BitWriter::new(vec![0; 16]);
        w.put_bytes(&[1, 2, 3, 4]);
        w.consume(3);
        assert_eq!(w.pending(), &[4]);
        assert_eq!(w.pending_offset(), 3);
        // zlib appends at pending_buf + pending, not after pending_out: the
        // new byte lands at offset 1 and offset 4 (never written) is read.
        w.put_bytes(&[9]);
        assert_eq!(w.pending_len(), 2);
        assert_eq!(w.pending(), &[4, 0]);
        assert_eq!(w.written_since(0), &[1, 9]);
        w.consume(2);
        assert_eq!(w.pending_offset(), 0);
        assert_eq!(w.pending_len(), 0);
    }

    #[test]
    fn bytes_counted_past_the_buffer_are_dropped_not_stuck() {
        let mut w = BitWriter::new(vec![0; 8]);
        w.put_bytes(&[1, 2, 3, 4, 5, 6, 7, 8]);
        w.consume(3);
        // Appended at offset 5 (zlib's pending_buf + pending), so the
        // pending bytes would run from offset 3 to 9, one past the end.
        w.put_bytes(&[9]);
        assert_eq!(w.pending(), &[4, 5, 9, 7, 8]);
        w.consume(5);
        assert_eq!(w.pending_len(), 0);
        assert_eq!(w.pending_offset(), 0);
    }

    #[test]
    fn windup_records_used_bits() {
        let mut w = BitWriter::new(vec![0; 16]);
        w.align();
        assert_eq!(w.used_bits(), 8);
        w.send_bits(0b101, 3);
        w.align();
        assert_eq!(w.used_bits(), 3);
        w.send_bits(0xffff, 16);
        w.align();
        assert_eq!(w.used_bits(), 8);
        assert_eq!(w.pending(), &[0b101, 0xff, 0xff]);
    }
}
