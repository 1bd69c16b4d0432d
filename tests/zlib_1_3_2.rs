//! What zlib 1.3.2 added to the API, against the original (libz-sys builds
//! zlib 1.3.2): the `z_size_t` functions `compress_z`, `compress2_z`,
//! `compressBound_z`, `uncompress_z`, `uncompress2_z` and `deflateBound_z`
//! (with lengths above 4 GiB, which is what they are for), and
//! `deflateUsed`; and `deflatePrime` with a full pending buffer.

mod common;

use std::ffi::{c_int, c_ulong};
use std::ptr;

use common::deflate_diff::{DeflateApi, RZ_D, ZLIB_D};
use common::*;

/// compress2_z on one implementation: (code, destLen, the bytes written).
fn compress2_z(
    api: &DeflateApi,
    dest_len: usize,
    source: &[u8],
    level: c_int,
) -> (c_int, usize, Vec<u8>) {
    let mut dest = vec![0u8; dest_len];
    let mut len = dest_len;
    // SAFETY: the buffers are valid for their lengths.
    let code = unsafe {
        (api.compress2_z)(
            dest.as_mut_ptr(),
            &mut len,
            source.as_ptr(),
            source.len(),
            level,
        )
    };
    dest.truncate(len.min(dest_len));
    (code, len, dest)
}

/// The one-call compressors, in both forms, against the original: every
/// level, destinations too small, exact and generous, NULL arguments.
#[test]
fn compress_z_matches_the_original() {
    let mut rng = Rng::new(0x132);
    let mut codes = std::collections::BTreeSet::new();
    for sample in samples(200_000).iter().take(12) {
        let data = &sample.data;
        for level in -1..=9 {
            let (_, exact, _) = compress2_z(&ZLIB_D, data.len() * 2 + 64, data, level);
            for dest_len in [
                exact,
                exact.saturating_sub(1),
                exact / 2,
                0,
                exact + rng.below(100),
            ] {
                let label = format!("{} level {level} dest_len {dest_len}", sample.name);
                let ours = compress2_z(&RZ_D, dest_len, data, level);
                let theirs = compress2_z(&ZLIB_D, dest_len, data, level);
                assert_eq!(
                    (ours.0, ours.1),
                    (theirs.0, theirs.1),
                    "{label}: (code, destLen)"
                );
                assert!(ours.2 == theirs.2, "{label}: bytes");
                codes.insert(theirs.0);
                // compress2 (uLong lengths) and compress_z (default level) agree.
                let mut long_len = dest_len as c_ulong;
                let mut dest = vec![0u8; dest_len];
                // SAFETY: the buffers are valid for their lengths.
                let code = unsafe {
                    (RZ_D.compress2)(
                        dest.as_mut_ptr(),
                        &mut long_len,
                        data.as_ptr(),
                        data.len() as c_ulong,
                        level,
                    )
                };
                assert_eq!(
                    (code, long_len as usize),
                    (ours.0, ours.1),
                    "{label}: compress2"
                );
                if level == -1 {
                    let mut z_len = dest_len;
                    // SAFETY: as above.
                    let code = unsafe {
                        (RZ_D.compress_z)(dest.as_mut_ptr(), &mut z_len, data.as_ptr(), data.len())
                    };
                    assert_eq!((code, z_len), (ours.0, ours.1), "{label}: compress_z");
                }
            }
        }
    }
    assert!(
        [Z_OK, Z_BUF_ERROR].iter().all(|c| codes.contains(c)),
        "codes reached: {codes:?}"
    );
    // A bad level, and NULL pointers that come with lengths.
    for api in [&RZ_D, &ZLIB_D] {
        let mut dest = [0u8; 64];
        let mut len = dest.len();
        // SAFETY: NULLs only where the functions check them.
        unsafe {
            assert_eq!(
                (api.compress2_z)(dest.as_mut_ptr(), &mut len, b"abc".as_ptr(), 3, 10),
                Z_STREAM_ERROR
            );
            assert_eq!(len, 0, "{}: destLen after a bad level", api.name);
            len = dest.len();
            assert_eq!(
                (api.compress2_z)(dest.as_mut_ptr(), &mut len, ptr::null(), 3, 6),
                Z_STREAM_ERROR
            );
            assert_eq!(
                (api.compress2_z)(ptr::null_mut(), &mut len, b"abc".as_ptr(), 3, 6),
                Z_STREAM_ERROR
            );
            assert_eq!(
                (api.compress2_z)(dest.as_mut_ptr(), ptr::null_mut(), b"abc".as_ptr(), 3, 6),
                Z_STREAM_ERROR
            );
            // No room: deflate refuses a NULL next_out, and finds no space
            // behind a real one.
            let mut zero = 0usize;
            assert_eq!(
                (api.compress2_z)(ptr::null_mut(), &mut zero, ptr::null(), 0, 6),
                Z_STREAM_ERROR,
                "{}",
                api.name
            );
            assert_eq!(
                (api.compress2_z)(dest.as_mut_ptr(), &mut zero, ptr::null(), 0, 6),
                Z_BUF_ERROR,
                "{}",
                api.name
            );
        }
    }
}

/// compressBound_z, compressBound and deflateBound_z at every scale, up to
/// lengths whose bound does not fit, for streams of every wrapper and
/// parameter class, with a gzip header and for no stream at all.
#[test]
fn bounds_match_the_original() {
    let lengths = [
        0usize,
        1,
        100,
        65_535,
        1 << 20,
        u32::MAX as usize,
        1 << 33,
        1 << 62,
        usize::MAX - 1000,
        usize::MAX,
    ];
    for len in lengths {
        // SAFETY: pure functions.
        unsafe {
            assert_eq!(
                (RZ_D.compressBound_z)(len),
                (ZLIB_D.compressBound_z)(len),
                "compressBound_z({len})"
            );
            assert_eq!(
                (RZ_D.compressBound)(len as c_ulong),
                (ZLIB_D.compressBound)(len as c_ulong),
                "compressBound({len})"
            );
            assert_eq!(
                (RZ_D.deflateBound_z)(ptr::null_mut(), len),
                (ZLIB_D.deflateBound_z)(ptr::null_mut(), len),
                "deflateBound_z(NULL, {len})"
            );
        }
    }
    let mut name = *b"name.txt\0";
    let mut extra = [7u8; 20];
    for (level, window_bits, mem_level, with_header) in [
        (6, 15, 8, false),
        (6, 31, 8, true),
        (1, -15, 8, false),
        (9, 9, 1, false),
        (0, 15, 9, false),
        (4, 30, 9, true),
    ] {
        let mut head = empty_header();
        head.name = name.as_mut_ptr();
        head.extra = extra.as_mut_ptr();
        head.extra_len = extra.len() as _;
        head.hcrc = 1;
        let mut sides = [&RZ_D, &ZLIB_D].map(|api| {
            let counter = Counter::new(false);
            let mut strm = new_stream(&counter);
            // SAFETY: a fresh stream; the header outlives it.
            unsafe {
                assert_eq!(
                    api.deflate_init2(&mut *strm, level, window_bits, mem_level, 0),
                    Z_OK
                );
                if with_header {
                    assert_eq!((api.deflateSetHeader)(&mut *strm, &mut head), Z_OK);
                }
            }
            (api, counter, strm)
        });
        for len in lengths {
            let [ours, theirs] = sides.each_mut().map(|(api, _, strm)| {
                // SAFETY: a live stream.
                unsafe {
                    (
                        (api.deflateBound_z)(&mut **strm, len),
                        (api.deflateBound)(&mut **strm, len as c_ulong),
                    )
                }
            });
            assert_eq!(
                ours, theirs,
                "deflateBound(_z) level {level} wbits {window_bits} mem {mem_level} len {len}"
            );
        }
        for (api, _, strm) in &mut sides {
            // SAFETY: a live stream.
            unsafe { (api.deflateEnd)(&mut **strm) };
        }
    }
}

/// uncompress_z and uncompress2_z give what uncompress2 gives, on both
/// implementations, and the two implementations agree.
#[test]
fn uncompress_z_matches_the_original() {
    let data = Rng::new(0xdecaf).bytes(3000).repeat(5);
    let stream = zlib_compress(&data, 6);
    let mut rng = Rng::new(0x2222);
    for case in 0..120 {
        let mut source = stream.clone();
        match case % 4 {
            1 => source.truncate(rng.below(source.len())),
            2 => {
                let at = rng.below(source.len());
                source[at] ^= 1 << rng.below(8);
            }
            3 => source.extend_from_slice(b"after the stream"),
            _ => {}
        }
        let dest_len = rng.pick(&[0, 1, data.len() / 2, data.len(), data.len() + 7]);
        let results = [&RZ, &ZLIB].map(|zlib| {
            let mut two = (vec![0u8; dest_len], dest_len, source.len());
            let mut one = (vec![0u8; dest_len], dest_len);
            // SAFETY: the buffers are valid for their lengths.
            let codes = unsafe {
                (
                    (zlib.uncompress2_z)(
                        two.0.as_mut_ptr(),
                        &mut two.1,
                        source.as_ptr(),
                        &mut two.2,
                    ),
                    (zlib.uncompress_z)(
                        one.0.as_mut_ptr(),
                        &mut one.1,
                        source.as_ptr(),
                        source.len(),
                    ),
                )
            };
            assert_eq!(
                (codes.0, two.1),
                (codes.1, one.1),
                "{}: uncompress_z and uncompress2_z",
                zlib.name
            );
            two.0.truncate(two.1);
            (codes.0, two.1, two.2, two.0)
        });
        let [ours, theirs] = results;
        assert_eq!(
            (ours.0, ours.1, ours.2),
            (theirs.0, theirs.1, theirs.2),
            "case {case} dest_len {dest_len}"
        );
        assert!(ours.3 == theirs.3, "case {case}: output");
    }
    // NULL arguments.
    for zlib in [&RZ, &ZLIB] {
        let mut len = 10usize;
        let mut source_len = stream.len();
        // SAFETY: NULLs only where the functions check them.
        unsafe {
            assert_eq!(
                (zlib.uncompress2_z)(ptr::null_mut(), &mut len, stream.as_ptr(), &mut source_len),
                Z_STREAM_ERROR
            );
            assert_eq!(
                (zlib.uncompress2_z)(
                    ptr::null_mut(),
                    ptr::null_mut(),
                    stream.as_ptr(),
                    &mut source_len
                ),
                Z_STREAM_ERROR
            );
            assert_eq!(
                (zlib.uncompress_z)(ptr::null_mut(), &mut len, ptr::null(), 5),
                Z_STREAM_ERROR
            );
        }
    }
}

/// Above 4 GiB, where the `_z` functions and zlib's one-call loops hand
/// deflate and inflate their input and output in 4 GiB pieces: 4 GiB and
/// 4 MiB of mostly zeros (untouched pages cost no memory), with marks on
/// both sides of the 4 GiB line.
#[test]
fn lengths_above_4_gib() {
    let len = (1usize << 32) + (4 << 20);
    let mut source = vec![0u8; len];
    for (i, at) in [0, (1 << 32) - 3, 1 << 32, (1 << 32) + 100_000, len - 1]
        .into_iter()
        .enumerate()
    {
        source[at] = 1 + i as u8;
    }
    // SAFETY: pure function.
    let bound = unsafe { (RZ_D.compressBound_z)(len) };
    let ours = compress2_z(&RZ_D, bound, &source, 1);
    let theirs = compress2_z(&ZLIB_D, bound, &source, 1);
    assert_eq!(
        (ours.0, ours.1),
        (Z_OK, theirs.1),
        "compress2_z: (code, destLen)"
    );
    assert!(
        ours.2 == theirs.2,
        "compress2_z: rzlib's bytes differ from zlib's"
    );
    let packed = theirs.2;
    drop(ours);
    let mut dest = vec![0u8; len + 10];
    for zlib in [&RZ, &ZLIB] {
        let (mut dest_len, mut source_len) = (dest.len(), packed.len() + 3);
        let mut input = packed.clone();
        input.extend_from_slice(b"end");
        // SAFETY: the buffers are valid for their lengths.
        let code = unsafe {
            (zlib.uncompress2_z)(
                dest.as_mut_ptr(),
                &mut dest_len,
                input.as_ptr(),
                &mut source_len,
            )
        };
        assert_eq!(
            (code, dest_len, source_len),
            (Z_OK, len, packed.len()),
            "{}: uncompress2_z",
            zlib.name
        );
        assert!(
            dest[..len] == source[..],
            "{}: uncompress2_z gave other bytes",
            zlib.name
        );
        dest[len - 1] = 0xee;
    }
}

/// deflatePrime with the pending buffer full: zlib 1.3.2 checks only where
/// the caller's next output starts, so calls without deflate in between
/// overrun its buffer (memLevel 1: 512 bytes). rzlib returns Z_BUF_ERROR
/// and keeps every bit it accepted; at memLevel 8 the same calls fit and
/// both give the same stream.
#[test]
fn deflate_prime_with_a_full_buffer() {
    let prime_all = |api: &DeflateApi, mem_level: c_int| {
        let counter = Counter::new(false);
        let mut strm = new_stream(&counter);
        let mut accepted = 0usize;
        let mut out = vec![0u8; 4096];
        // SAFETY: a fresh stream and a live output buffer.
        unsafe {
            assert_eq!(api.deflate_init2(&mut *strm, 6, -15, mem_level, 0), Z_OK);
            for i in 0..300 {
                match (api.deflatePrime)(&mut *strm, 16, 0x4000 + i) {
                    Z_OK => accepted += 1,
                    code => assert_eq!(code, Z_BUF_ERROR, "{}: deflatePrime", api.name),
                }
            }
            set_buffers(&mut strm, &[], &mut out);
            assert_eq!(
                (api.deflate)(&mut *strm, Z_FINISH),
                Z_STREAM_END,
                "{}",
                api.name
            );
            out.truncate(strm.total_out as usize);
            assert_eq!((api.deflateEnd)(&mut *strm), Z_OK);
        }
        (accepted, out)
    };
    let (accepted, out) = prime_all(&RZ_D, 1);
    assert!(
        accepted < 300,
        "memLevel 1 took all 300 primes ({accepted})"
    );
    assert!(accepted > 200, "memLevel 1 refused too early ({accepted})");
    for i in 0..accepted {
        let value = u16::from_le_bytes([out[2 * i], out[2 * i + 1]]);
        assert_eq!(value, 0x4000 + i as u16, "primed value {i} lost");
    }
    let ours = prime_all(&RZ_D, 8);
    assert_eq!(ours.0, 300);
    assert_eq!(ours, prime_all(&ZLIB_D, 8));
}
