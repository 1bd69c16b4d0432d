//! Uses rzlib the way a dependent crate does, through its public Rust API
//! only, and checks what it gets; exits non-zero (a panic) on any
//! mismatch.

use std::io::{Read, Write};

use rzlib::{
    read, write, Adler32, Compress, Crc32, Decompress, ErrorKind, FlushCompress, FlushDecompress,
    Format, GzBuilder, Level, Profile, Status,
};

fn main() {
    let text = b"rzlib consumer: the quick brown fox jumps over the lazy dog. ".repeat(500);

    // One call, zlib and gzip.
    let packed = rzlib::compress(&text, Level::best());
    assert_eq!(&packed[..2], &[0x78, 0xda], "a level-9 zlib header");
    assert!(packed.len() < text.len() / 20);
    assert_eq!(rzlib::decompress(&packed).expect("decompress"), text);
    let gz = rzlib::compress_gzip(&text, Level::fast());
    assert_eq!(rzlib::decompress_gzip(&gz).expect("gunzip"), text);

    // Streams, both profiles, chunk by chunk.
    for profile in [Profile::Exact, Profile::Fast] {
        let mut deflater = Compress::builder()
            .profile(profile)
            .format(Format::Raw)
            .build()
            .expect("settings");
        let mut raw = Vec::with_capacity(deflater.bound(text.len()));
        for piece in text.chunks(1000) {
            deflater
                .compress_vec(piece, &mut raw, FlushCompress::None)
                .expect("compress");
        }
        let status = deflater
            .compress_vec(&[], &mut raw, FlushCompress::Finish)
            .expect("finish");
        assert_eq!(status, Status::StreamEnd);
        assert_eq!(deflater.total_in(), text.len() as u64);
        let mut inflater = Decompress::new(Format::Raw);
        let mut out = Vec::with_capacity(text.len());
        let status = inflater
            .decompress_vec(&raw, &mut out, FlushDecompress::Finish)
            .expect("decompress");
        assert_eq!(status, Status::StreamEnd);
        assert_eq!(out, text);
    }

    // io adapters and a gzip header.
    let mut encoder = GzBuilder::new()
        .filename("fox.txt")
        .mtime(42)
        .write(Vec::new(), Level::default());
    encoder.write_all(&text).expect("write");
    let file = encoder.finish().expect("finish");
    let mut decoder = read::GzDecoder::new(&file[..]);
    let header = decoder.header().expect("header").clone();
    assert_eq!(header.filename(), Some(&b"fox.txt"[..]));
    assert_eq!(header.mtime(), 42);
    let mut back = Vec::new();
    decoder.read_to_end(&mut back).expect("read");
    assert_eq!(back, text);
    let mut sink = write::ZlibDecoder::new(Vec::new());
    sink.write_all(&packed).expect("write");
    assert_eq!(sink.finish().expect("finish"), text);

    // Errors with zlib's message.
    let err = rzlib::decompress(b"\x78\x9c\xff").expect_err("corrupt");
    assert_eq!(err.kind(), ErrorKind::Data);
    assert_eq!(err.to_string(), "invalid block type");

    // Checksums.
    let mut crc = Crc32::new();
    crc.update(b"123456789");
    assert_eq!(crc.value(), 0xcbf4_3926, "the CRC-32 check value");
    let mut adler = Adler32::new();
    adler.update(&text[..100]);
    let mut tail = Adler32::new();
    tail.update(&text[100..]);
    adler.combine(&tail);
    assert_eq!(adler.value(), Adler32::checksum(&text));

    println!("consumer: all checks passed");
}
