//! The bit reader: deflate's LSB-first bit stream over one call's input.
//!
//! It carries zlib's bit accumulator (`hold`, `bits`) across calls, so a
//! stream can be fed in pieces of any size. The resumable decoder uses the
//! byte-at-a-time operations ([`BitReader::pull_byte`], [`BitReader::need`]),
//! which take from the input only the bytes a step needs, exactly as zlib
//! does. The fast loop uses [`BitReader::refill`], which reads up to eight
//! bytes ahead, and then [`BitReader::give_back`] to return whole unused bytes.
//!
//! Invariant outside the fast loop: `hold` has no set bits above `bits`.

/// An input slice with a read position and a bit accumulator.
#[derive(Clone)]
pub struct BitReader<'a> {
    input: &'a [u8],
    pos: usize,
    hold: u64,
    bits: u32,
}

impl<'a> BitReader<'a> {
    /// A reader over `input` that continues from a saved accumulator.
    pub fn new(input: &'a [u8], hold: u64, bits: u32) -> Self {
        BitReader {
            input,
            pos: 0,
            hold,
            bits,
        }
    }

    /// The saved accumulator: `(hold, bits)`.
    pub fn accumulator(&self) -> (u64, u32) {
        (self.hold, self.bits)
    }

    /// How many input bytes have been taken so far.
    pub fn consumed(&self) -> usize {
        self.pos
    }

    /// Input bytes not taken yet.
    pub fn available(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    /// The input not taken yet.
    pub fn remaining(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or(&[])
    }

    /// Marks `n` whole bytes of [`BitReader::remaining`] as taken (capped at
    /// what is there).
    pub fn skip_bytes(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.input.len());
    }

    /// Number of bits in the accumulator.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// The whole accumulator.
    pub fn hold(&self) -> u64 {
        self.hold
    }

    /// Moves one input byte into the accumulator; `false` when the input is
    /// exhausted (the caller then returns and resumes on the next call).
    #[inline]
    pub fn pull_byte(&mut self) -> bool {
        match self.input.get(self.pos) {
            Some(&byte) => {
                self.pos += 1;
                self.hold |= u64::from(byte).wrapping_shl(self.bits);
                self.bits += 8;
                true
            }
            None => false,
        }
    }

    /// Makes sure at least `n` bits (at most 32) are held, pulling bytes one
    /// at a time; `false` when the input runs out first.
    #[inline]
    pub fn need(&mut self, n: u32) -> bool {
        while self.bits < n {
            if !self.pull_byte() {
                return false;
            }
        }
        true
    }

    /// The low `n` bits (n < 32) of the accumulator.
    #[inline]
    pub fn peek(&self, n: u32) -> u32 {
        (self.hold & ((1u64 << (n & 31)) - 1)) as u32
    }

    /// Discards `n` bits (at most [`BitReader::bits`]).
    #[inline]
    pub fn drop_bits(&mut self, n: u32) {
        let n = n.min(self.bits);
        self.hold = self.hold.checked_shr(n).unwrap_or(0);
        self.bits -= n;
    }

    /// Discards the bits up to the next byte boundary.
    pub fn align_to_byte(&mut self) {
        self.drop_bits(self.bits & 7);
    }

    /// Empties the accumulator.
    pub fn clear(&mut self) {
        self.hold = 0;
        self.bits = 0;
    }

    /// Takes back the state of a loop that worked on [`BitReader::remaining`]
    /// and the accumulator on its own: `unread` bytes of the input are left,
    /// and the accumulator is `(hold, bits)`, possibly with look-ahead input
    /// above `bits` (as after [`BitReader::refill`]).
    pub fn resume(&mut self, unread: usize, hold: u64, bits: u32) {
        self.pos = self.input.len().saturating_sub(unread);
        self.hold = hold;
        self.bits = bits;
    }

    /// Fast-loop refill when at least eight input bytes are left: tops the
    /// accumulator up to 56..=63 bits in one load and returns `true`; the
    /// caller knows it holds fewer than 64 bits. Returns `false` and does
    /// nothing otherwise.
    #[inline(always)]
    pub fn refill_word(&mut self) -> bool {
        let ahead = self
            .input
            .get(self.pos..)
            .and_then(|rest| rest.first_chunk::<8>());
        let Some(word) = ahead else {
            return false;
        };
        self.hold |= u64::from_le_bytes(*word) << (self.bits & 63);
        // Take whole bytes up to 56..=63 bits: bits + 8 * taken == bits | 56.
        self.pos += ((63 - self.bits) >> 3) as usize;
        self.bits |= 56;
        true
    }

    /// Fast-loop refill: with at least eight input bytes left, tops the
    /// accumulator up to 56..=63 bits in one load; otherwise pulls whatever
    /// bytes fit. Bits above `bits` may hold look-ahead input afterwards.
    #[inline(always)]
    pub fn refill(&mut self) {
        let ahead = self
            .input
            .get(self.pos..)
            .and_then(|rest| rest.first_chunk::<8>());
        if let (Some(word), true) = (ahead, self.bits < 64) {
            self.hold |= u64::from_le_bytes(*word) << self.bits;
            // Take whole bytes up to 56..=63 bits: bits + 8 * taken == bits | 56.
            self.pos += ((63 - self.bits) >> 3) as usize;
            self.bits |= 56;
        } else {
            while self.bits <= 56 && self.pull_byte() {}
        }
    }

    /// The raw accumulator value for table lookups in the fast loop; only
    /// its low [`BitReader::bits`] bits are meaningful.
    #[inline(always)]
    pub fn window(&self) -> u64 {
        self.hold
    }

    /// Fast-loop discard of `n` bits; the caller knows `n <= bits`.
    #[inline(always)]
    pub fn consume(&mut self, n: u32) {
        self.hold >>= n & 63;
        self.bits = self.bits.wrapping_sub(n);
    }

    /// Ends a fast-loop stretch that may have started with bits held from
    /// before this reader's input: whole unused bytes go back to the input,
    /// but no more than were taken from it; the rest stay held, with nothing
    /// above them.
    pub fn give_back_taken(&mut self) {
        let whole = ((self.bits >> 3) as usize).min(self.pos);
        self.pos -= whole;
        self.bits -= 8 * whole as u32;
        self.hold &= u64::MAX.checked_shr(64 - self.bits.min(64)).unwrap_or(0);
    }

    /// Ends a fast-loop run: whole unused bytes go back to the input and the
    /// accumulator keeps fewer than eight bits, with nothing above them.
    pub fn give_back(&mut self) {
        let whole = (self.bits >> 3) as usize;
        self.pos = self.pos.saturating_sub(whole);
        self.bits &= 7;
        self.hold &= (1u64 << self.bits) - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulls_lsb_first_one_byte_at_a_time() {
        let data = [0b1010_1100, 0xff];
        let mut reader = BitReader::new(&data, 0, 0);
        assert!(reader.need(3));
        assert_eq!(reader.consumed(), 1);
        assert_eq!(reader.peek(3), 0b100);
        reader.drop_bits(3);
        assert!(reader.need(9));
        assert_eq!(reader.peek(9), 0b1111_10101);
        assert!(!reader.need(17));
        assert_eq!(reader.available(), 0);
    }

    #[test]
    fn refill_then_give_back_returns_unused_bytes() {
        let data: Vec<u8> = (0..20).collect();
        let mut reader = BitReader::new(&data, 0b101, 3);
        reader.refill();
        assert!(reader.bits() >= 56);
        assert_eq!(reader.peek(3), 0b101);
        reader.consume(3 + 12);
        reader.give_back();
        assert_eq!(reader.consumed(), 2);
        assert_eq!(reader.bits(), 4);
        assert_eq!(reader.hold(), u64::from(data[1] >> 4));
    }
}
