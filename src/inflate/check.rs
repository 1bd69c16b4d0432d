//! The running checks of the wrappers: Adler-32 (zlib) and CRC-32 (gzip).
//!
//! TODO(checksum): switch to crate::checksum — both functions below are
//! stand-ins with the same signatures as `crate::checksum::{adler32, crc32}`;
//! swapping the bodies for those calls is the whole change.

/// Adler-32 of `data`, continuing from `start`.
pub fn adler32(start: u32, data: &[u8]) -> u32 {
    const BASE: u32 = 65521;
    // The largest n with 255 n (n + 1) / 2 + (n + 1) (BASE - 1) < 2^32.
    const NMAX: usize = 5552;
    let mut a = start & 0xffff;
    let mut b = start >> 16;
    for chunk in data.chunks(NMAX) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= BASE;
        b %= BASE;
    }
    (b << 16) | a
}

const CRC_TABLES: [[u32; 256]; 8] = crc_tables();

const fn crc_tables() -> [[u32; 256]; 8] {
    let mut tables = [[0u32; 256]; 8];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        tables[0][n] = c;
        n += 1;
    }
    let mut t = 1;
    while t < 8 {
        let mut n = 0;
        while n < 256 {
            let prev = tables[t - 1][n];
            tables[t][n] = (prev >> 8) ^ tables[0][(prev & 0xff) as usize];
            n += 1;
        }
        t += 1;
    }
    tables
}

/// CRC-32 (gzip's) of `data`, continuing from `start`.
pub fn crc32(start: u32, data: &[u8]) -> u32 {
    let mut crc = !start;
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        let lo = crc ^ u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let t = &CRC_TABLES;
        crc = t[7][(lo & 0xff) as usize]
            ^ t[6][((lo >> 8) & 0xff) as usize]
            ^ t[5][((lo >> 16) & 0xff) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][usize::from(chunk[4])]
            ^ t[2][usize::from(chunk[5])]
            ^ t[1][usize::from(chunk[6])]
            ^ t[0][usize::from(chunk[7])];
    }
    for &byte in chunks.remainder() {
        crc = (crc >> 8) ^ CRC_TABLES[0][((crc ^ u32::from(byte)) & 0xff) as usize];
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(adler32(1, b"Wikipedia"), 0x11e6_0398);
        assert_eq!(crc32(0, b"123456789"), 0xcbf4_3926);
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = crc32(0, &data);
        assert_eq!(crc32(crc32(0, &data[..12345]), &data[12345..]), whole);
        let whole = adler32(1, &data);
        assert_eq!(adler32(adler32(1, &data[..12345]), &data[12345..]), whole);
    }
}
