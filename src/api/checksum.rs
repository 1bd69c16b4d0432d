//! Running checksums: [`Crc32`] (gzip's) and [`Adler32`] (zlib's), each
//! with the length it has seen, so that two can be combined.

use crate::checksum::{adler32, adler32_combine, crc32, crc32_combine};

/// A running CRC-32 (ISO 3309, as gzip uses).
///
/// ```
/// use rzlib::Crc32;
/// let mut crc = Crc32::new();
/// crc.update(b"hello ");
/// let mut tail = Crc32::new();
/// tail.update(b"world");
/// crc.combine(&tail);
/// assert_eq!(crc.value(), Crc32::checksum(b"hello world"));
/// assert_eq!(crc.value(), 0x0d4a_1185);
/// assert_eq!(crc.amount(), 11);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Crc32 {
    value: u32,
    amount: u64,
}

impl Crc32 {
    /// The CRC-32 of no data (0).
    pub fn new() -> Crc32 {
        Crc32::default()
    }

    /// The CRC-32 of `data`, in one call.
    pub fn checksum(data: &[u8]) -> u32 {
        crc32(0, data)
    }

    /// Adds `data` to the checksum.
    pub fn update(&mut self, data: &[u8]) {
        self.value = crc32(self.value, data);
        self.amount += data.len() as u64;
    }

    /// The CRC-32 of everything given so far.
    pub fn value(&self) -> u32 {
        self.value
    }

    /// [`value`](Self::value), consuming the hasher.
    pub fn finalize(self) -> u32 {
        self.value
    }

    /// How many bytes were given.
    pub fn amount(&self) -> u64 {
        self.amount
    }

    /// Makes this the CRC-32 of its data followed by `other`'s, without
    /// the data (zlib's `crc32_combine`).
    pub fn combine(&mut self, other: &Crc32) {
        self.value = crc32_combine(self.value, other.value, other.amount as i64);
        self.amount += other.amount;
    }

    /// Starts again from no data.
    pub fn reset(&mut self) {
        *self = Crc32::new();
    }
}

impl std::io::Write for Crc32 {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.update(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A running Adler-32 (RFC 1950, as zlib streams use).
///
/// ```
/// use rzlib::Adler32;
/// let mut adler = Adler32::new();
/// adler.update(b"Wikipedia");
/// assert_eq!(adler.value(), 0x11e6_0398);
/// let (mut left, mut right) = (Adler32::new(), Adler32::new());
/// left.update(b"Wiki");
/// right.update(b"pedia");
/// left.combine(&right);
/// assert_eq!(left, adler);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Adler32 {
    value: u32,
    amount: u64,
}

impl Default for Adler32 {
    fn default() -> Adler32 {
        Adler32 {
            value: 1,
            amount: 0,
        }
    }
}

impl Adler32 {
    /// The Adler-32 of no data (1).
    pub fn new() -> Adler32 {
        Adler32::default()
    }

    /// The Adler-32 of `data`, in one call.
    pub fn checksum(data: &[u8]) -> u32 {
        adler32(1, data)
    }

    /// Adds `data` to the checksum.
    pub fn update(&mut self, data: &[u8]) {
        self.value = adler32(self.value, data);
        self.amount += data.len() as u64;
    }

    /// The Adler-32 of everything given so far.
    pub fn value(&self) -> u32 {
        self.value
    }

    /// [`value`](Self::value), consuming the hasher.
    pub fn finalize(self) -> u32 {
        self.value
    }

    /// How many bytes were given.
    pub fn amount(&self) -> u64 {
        self.amount
    }

    /// Makes this the Adler-32 of its data followed by `other`'s, without
    /// the data (zlib's `adler32_combine`).
    pub fn combine(&mut self, other: &Adler32) {
        // zlib's combine works on the length modulo 65521, so any u64
        // length reduces first.
        let len = (other.amount % 65_521) as i64;
        self.value = adler32_combine(self.value, other.value, len) as u32;
        self.amount += other.amount;
    }

    /// Starts again from no data.
    pub fn reset(&mut self) {
        *self = Adler32::new();
    }
}

impl std::io::Write for Adler32 {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.update(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
