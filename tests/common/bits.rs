//! A deflate bit writer for hand-made streams: fields least significant bit
//! first, Huffman codes most significant bit first, as RFC 1951 packs them.

/// Writes a deflate bit stream.
#[derive(Default)]
pub struct Bits {
    bytes: Vec<u8>,
    acc: u64,
    count: u32,
}

impl Bits {
    /// The low `n` bits of `value` (zeros beyond bit 31).
    pub fn put(&mut self, value: u32, n: u32) {
        for i in 0..n {
            let bit = value.checked_shr(i).unwrap_or(0) & 1;
            self.acc |= u64::from(bit) << self.count;
            self.count += 1;
            if self.count == 8 {
                self.bytes.push(self.acc as u8);
                self.acc = 0;
                self.count = 0;
            }
        }
    }
    /// A Huffman code: `n` bits, most significant first.
    pub fn code(&mut self, code: u32, n: u32) {
        let reversed = (0..n).fold(0, |r, i| r | ((code >> i) & 1) << (n - 1 - i));
        self.put(reversed, n);
    }
    /// The bytes written, the last one padded with zero bits.
    pub fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.bytes.push(self.acc as u8);
        }
        self.bytes
    }
    /// A block header: BFINAL and BTYPE (0 stored, 1 fixed, 2 dynamic).
    pub fn block(&mut self, last: bool, kind: u32) {
        self.put(u32::from(last), 1);
        self.put(kind, 2);
    }
    /// A symbol of the fixed literal/length code.
    pub fn fixed_symbol(&mut self, sym: u32) {
        match sym {
            0..=143 => self.code(0x30 + sym, 8),
            144..=255 => self.code(0x190 + sym - 144, 9),
            256..=279 => self.code(sym - 256, 7),
            _ => self.code(0xc0 + sym - 280, 8),
        }
    }
    /// A symbol of the fixed distance code.
    pub fn fixed_distance(&mut self, sym: u32) {
        self.code(sym, 5);
    }
}

/// The order in which a dynamic block header sends the code-length code's lengths.
pub const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
