//! Regression tests for zlib's inflate CVEs, written from the public
//! descriptions of the bugs, plus hostile calls at the C boundary. Each case
//! builds its crafted input here and checks that rzlib answers as zlib does
//! (code, msg, counters), frees exactly what it allocated, and never crashes.

mod common;

use std::ffi::{c_int, c_long, c_uint, c_ulong};

use common::bits::{Bits, CODE_LENGTH_ORDER};
use common::diff::{Pair, Plan};
use common::*;

/// Runs `stream` through both implementations with random chunking (a few
/// seeds), comparing every call; returns the last code and msg.
fn both_inflate(label: &str, stream: &[u8], window_bits: c_int) -> (c_int, Option<String>) {
    let mut last = (0, None);
    for seed in 0..6u64 {
        let mut pair = Pair::new(format!("{label} seed={seed}"), stream, 70_000);
        assert_eq!(pair.init(Some(window_bits)), Z_OK);
        let plan = Plan {
            extras: true,
            ..Plan::new(if seed == 0 {
                1 << 20
            } else {
                1 + seed as usize * 97
            })
        };
        last = (
            pair.pump(&mut Rng::new(seed), &plan),
            msg_of(pair.strms[1].msg),
        );
        // The same stream is still usable after an error once reset.
        pair.call("inflateReset", |z, s| unsafe { (z.inflateReset)(s) });
        pair.set_io(0, stream.len(), 0, 70_000);
        pair.inflate(Z_FINISH);
        pair.end();
    }
    last
}

/// The start of a final dynamic block: HLIT, HDIST and HCLEN as sent
/// (counts minus 257, 1 and 4).
fn dynamic_start(hlit: u32, hdist: u32, hclen: u32) -> Bits {
    let mut bits = Bits::default();
    bits.block(true, 2);
    bits.put(hlit, 5);
    bits.put(hdist, 5);
    bits.put(hclen, 4);
    bits
}

/// The start of a final dynamic block with 257 literal/length and 1
/// distance lengths and the shortest code-length code: `lens` are the code
/// lengths of the symbols 16, 17, 18 and 0.
fn short_code_length_code(lens: [u32; 4]) -> Bits {
    let mut bits = dynamic_start(0, 0, 0);
    for len in lens {
        bits.put(len, 3);
    }
    bits
}

/// The header of a final dynamic block whose code-length code gives every
/// length 0..=15 a 4-bit code (a complete code), so that each length below
/// is sent as its own 4-bit value. Returns the writer positioned after the
/// lengths.
fn dynamic_header(lit_lens: &[u32], dist_lens: &[u32]) -> Bits {
    let mut bits = dynamic_start(
        lit_lens.len() as u32 - 257,
        dist_lens.len() as u32 - 1,
        19 - 4,
    );
    for sym in CODE_LENGTH_ORDER {
        bits.put(if sym < 16 { 4 } else { 0 }, 3);
    }
    for &len in lit_lens.iter().chain(dist_lens) {
        bits.code(len, 4);
    }
    bits
}

/// Literal/length lengths: 0..=255 nine bits, end-of-block one bit (complete).
fn simple_lit_lens() -> Vec<u32> {
    let mut lens = vec![9; 256];
    lens.push(1);
    lens
}

/// CVE-2002-0059: zlib 1.1.3 freed memory twice when a dynamic block header
/// was invalid. Bad headers of every kind: the error must be reported (and
/// repeated), reset must recover, and inflateEnd must free each block once.
#[test]
fn cve_2002_0059_invalid_dynamic_headers_free_once() {
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    // Too many length or distance symbols: HLIT 30 (287 codes), HDIST 30/31.
    for (hlit, hdist) in [(30, 0), (31, 0), (0, 30), (0, 31)] {
        let mut b = dynamic_start(hlit, hdist, 15);
        b.put(0, 32);
        cases.push(("too many symbols", b.finish()));
    }
    // A repeat (code 16) with no previous length.
    {
        // Code-length code: 16 and 17 get 1 bit each... then lengths begin with 16.
        let mut b = short_code_length_code([1, 1, 0, 0]);
        b.code(0, 1);
        b.put(3, 2);
        b.put(0, 64);
        cases.push(("repeat with no previous length", b.finish()));
    }
    // Repeats (code 18, 138 zeros) running past the number of lengths.
    {
        let mut b = short_code_length_code([0, 1, 1, 0]);
        for _ in 0..3 {
            b.code(1, 1);
            b.put(127, 7);
        }
        b.put(0, 32);
        cases.push(("repeat past the end", b.finish()));
    }
    // Oversubscribed and incomplete code-length codes.
    for lens in [[1u32, 1, 1, 0], [2, 2, 2, 0]] {
        let mut b = short_code_length_code(lens);
        b.put(0, 64);
        cases.push(("bad code-length code", b.finish()));
    }
    // Block type 3.
    cases.push(("invalid block type", vec![0x07, 0, 0, 0]));
    // No end-of-block code.
    {
        let mut lit = vec![8; 256];
        lit.push(0);
        let mut b = dynamic_header(&lit, &[1]);
        b.put(0, 32);
        cases.push(("missing end-of-block", b.finish()));
    }
    for (i, (what, stream)) in cases.iter().enumerate() {
        for window_bits in [-15, -9] {
            let ret = both_inflate(&format!("CVE-2002-0059 #{i} {what}"), stream, window_bits);
            assert_eq!(ret.0, Z_DATA_ERROR, "{what}: {ret:?}");
        }
    }
}

/// CVE-2004-0797: zlib 1.2.1 mishandled errors in inflate and inflateBack, so
/// a crafted stream crashed the caller. Errors in every state: stored block
/// lengths, bad zlib headers, bad check values, bad gzip headers; every
/// error must be sticky and carry zlib's message.
#[test]
fn cve_2004_0797_error_states_are_sticky() {
    let payload = b"error handling must be sticky and exact";
    let good_zlib = zlib_compress(payload, 6);
    let good_gzip = deflate(
        payload,
        &Deflate {
            window_bits: 31,
            ..Deflate::default()
        },
    );
    let mut cases: Vec<(String, Vec<u8>, c_int)> = vec![
        (
            "stored lengths mismatch".into(),
            vec![0x01, 0x05, 0x00, 0xfa, 0xfe, b'h', b'e', b'l', b'l', b'o'],
            -15,
        ),
        ("header check".into(), vec![0x78, 0x9d, 0x03, 0x00], 15),
        ("unknown method".into(), vec![0x77, 0x09, 0x03, 0x00], 15),
        ("window too large".into(), vec![0x88, 0x98, 0x03, 0x00], 15),
        (
            "gzip unknown method".into(),
            vec![0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0, 0, 3],
            31,
        ),
        (
            "gzip reserved flags".into(),
            vec![0x1f, 0x8b, 0x08, 0xe0, 0, 0, 0, 0, 0, 3],
            31,
        ),
        ("not gzip".into(), good_zlib.clone(), 31),
    ];
    let mut bad_check = good_zlib.clone();
    *bad_check.last_mut().unwrap() ^= 1;
    cases.push(("adler mismatch".into(), bad_check, 15));
    for at in [8, 4] {
        let mut bad = good_gzip.clone();
        let n = bad.len();
        bad[n - at] ^= 1;
        cases.push((format!("gzip trailer byte -{at}"), bad, 47));
    }
    for (what, stream, window_bits) in &cases {
        let ret = both_inflate(&format!("CVE-2004-0797 {what}"), stream, *window_bits);
        assert_eq!(ret.0, Z_DATA_ERROR, "{what}: {ret:?}");
    }
}

/// CVE-2005-2096 (inflate_table overflowing ENOUGH with crafted code
/// lengths) and CVE-2016-9840 (out-of-range pointer arithmetic in
/// inftrees.c): complete, incomplete and oversubscribed literal/length and
/// distance codes, including the deepest complete codes (lengths 1..15).
#[test]
fn cve_2005_2096_and_2016_9840_crafted_code_lengths() {
    let deepest: Vec<u32> = (1..=15).chain([15]).collect();
    let mut dist_sets: Vec<(String, Vec<u32>)> = vec![
        ("deepest complete".into(), {
            let mut d = deepest.clone();
            d.resize(30, 0);
            d
        }),
        ("single 1-bit code".into(), vec![1]),
        ("single 15-bit code".into(), vec![15]),
        ("two 15-bit codes".into(), vec![15, 15]),
        (
            "all 5 bits (32 codes, oversubscribed with 30)".into(),
            vec![5; 30],
        ),
        ("oversubscribed".into(), vec![1, 1, 1]),
        ("no codes".into(), vec![0; 30]),
        (
            "incomplete 15-bit tail".into(),
            (1..=14).chain([15]).collect(),
        ),
    ];
    let mut rng = Rng::new(2005);
    for i in 0..60 {
        let n = rng.range(1, 30);
        let lens: Vec<u32> = (0..n)
            .map(|_| {
                if rng.below(3) == 0 {
                    0
                } else {
                    rng.range(1, 15) as u32
                }
            })
            .collect();
        dist_sets.push((format!("random #{i}"), lens));
    }
    let mut lit_sets: Vec<(String, Vec<u32>)> = vec![("simple".into(), simple_lit_lens())];
    // Deepest literal/length code: end-of-block gets the 1-bit code.
    let mut deep_lit = vec![0u32; 257];
    deep_lit[256] = 1;
    for (i, len) in (2..=15).chain([15]).enumerate() {
        deep_lit[i] = len;
    }
    lit_sets.push(("deepest".into(), deep_lit));
    let mut over = simple_lit_lens();
    over[0] = 1;
    lit_sets.push(("oversubscribed".into(), over));
    let mut incomplete = simple_lit_lens();
    incomplete[255] = 10;
    lit_sets.push(("incomplete".into(), incomplete));
    let mut seen = std::collections::BTreeSet::new();
    for (lit_name, lit) in &lit_sets {
        for (dist_name, dist) in &dist_sets {
            let mut b = dynamic_header(lit, dist);
            // End of block: code 0 of length 1 in both complete literal sets.
            b.code(0, 1);
            let label = format!("CVE-2005-2096 lit={lit_name} dist={dist_name} {dist:?}");
            seen.insert(both_inflate(&label, &b.finish(), -15).1);
        }
    }
    // The crafted headers reach table construction: valid ones decode, bad ones are caught there.
    for msg in [
        None,
        Some("invalid distances set".to_string()),
        Some("invalid literal/lengths set".to_string()),
    ] {
        assert!(seen.contains(&msg), "no case ended with {msg:?}: {seen:?}");
    }
}

/// A fixed block: `prefix` literals, then one match, then end of block.
fn fixed_with_match(
    prefix: usize,
    len_sym: u32,
    len_extra: (u32, u32),
    dist_sym: u32,
    dist_extra: (u32, u32),
) -> Vec<u8> {
    let mut b = Bits::default();
    b.block(true, 1);
    for i in 0..prefix {
        b.fixed_symbol((b'a' as usize + i % 26) as u32);
    }
    b.fixed_symbol(len_sym);
    b.put(len_extra.1, len_extra.0);
    b.fixed_distance(dist_sym);
    b.put(dist_extra.1, dist_extra.0);
    b.fixed_symbol(256);
    b.finish()
}

/// CVE-2016-9841: inffast.c computed pointers before the window start for
/// distances reaching too far back. Matches that reach before the output
/// start, distance codes 30 and 31, length codes 286 and 287, each in the
/// fast loop (big buffers) and the slow path (small chunks), with and
/// without inflateUndermine.
#[test]
fn cve_2016_9841_distances_too_far_back() {
    let mut cases = Vec::new();
    for prefix in [0usize, 1, 20, 300, 3000] {
        // Distance 1 + 32768 - 1 (code 29, 13 extra bits, all ones): always too far.
        cases.push((
            format!("dist 32768 after {prefix}"),
            fixed_with_match(prefix, 257, (0, 0), 29, (13, 0x1fff)),
            -15,
        ));
        // Distance 1025..: code 20 (9 extra bits).
        cases.push((
            format!("dist 1025+ after {prefix}"),
            fixed_with_match(prefix, 285, (0, 0), 20, (9, 7)),
            -15,
        ));
        cases.push((
            format!("dist code 30 after {prefix}"),
            fixed_with_match(prefix, 257, (0, 0), 30, (0, 0)),
            -15,
        ));
        cases.push((
            format!("dist code 31 after {prefix}"),
            fixed_with_match(prefix, 258, (0, 0), 31, (0, 0)),
            -15,
        ));
        let mut b = Bits::default();
        b.block(true, 1);
        for _ in 0..prefix {
            b.fixed_symbol(b'q' as u32);
        }
        b.fixed_symbol(286 + (prefix % 2) as u32);
        b.put(0, 32);
        cases.push((
            format!("length code {} after {prefix}", 286 + prefix % 2),
            b.finish(),
            -15,
        ));
    }
    // Window 512 (raw -9) with a distance of 1000 after 3000 bytes: legal
    // only while the bytes are still in the caller's output buffer.
    cases.push((
        "dist 1000 in a 512 window".into(),
        fixed_with_match(3000, 270, (2, 1), 19, (8, 200)),
        -9,
    ));
    for (what, stream, window_bits) in &cases {
        let ret = both_inflate(&format!("CVE-2016-9841 {what}"), stream, *window_bits);
        if what.starts_with("dist 32768")
            || what.starts_with("dist code")
            || what.starts_with("length code")
        {
            assert_eq!(ret.0, Z_DATA_ERROR, "{what}: {ret:?}");
        }
        let mut pair = Pair::new(format!("CVE-2016-9841 undermined {what}"), stream, 70_000);
        assert_eq!(pair.init(Some(*window_bits)), Z_OK);
        pair.call("inflateUndermine(1)", |z, s| unsafe {
            (z.inflateUndermine)(s, 1)
        });
        pair.pump(&mut Rng::new(9841), &Plan::new(4096));
        pair.end();
    }
}

/// CVE-2016-9842: inflateMark shifted a negative number left. inflateMark on
/// a NULL stream, before any input, inside headers, literals, matches,
/// stored blocks and after the end.
#[test]
fn cve_2016_9842_inflate_mark_everywhere() {
    let results: Vec<c_long> = both()
        .into_iter()
        .map(|z| unsafe { (z.inflateMark)(std::ptr::null_mut()) })
        .collect();
    assert_eq!(results[0], results[1], "inflateMark(NULL)");
    let data: Vec<u8> = (0..5000u32).map(|i| (i * i / 7) as u8).collect();
    for (level, window_bits) in [(0, 15), (1, -15), (9, 31), (6, 15)] {
        let stream = deflate(
            &data,
            &Deflate {
                level,
                window_bits,
                ..Deflate::default()
            },
        );
        let mut pair = Pair::new(
            format!("CVE-2016-9842 level={level} wbits={window_bits}"),
            &stream,
            data.len(),
        );
        assert_eq!(pair.init(Some(window_bits)), Z_OK);
        pair.call("inflateMark(fresh)", |z, s| unsafe { (z.inflateMark)(s) });
        let (mut at, mut out) = (0, 0);
        loop {
            pair.set_io(at, 1.min(stream.len() - at), out, 3.min(data.len() - out));
            let ret = pair.inflate(if at % 2 == 0 { Z_TREES } else { Z_BLOCK });
            pair.call("inflateMark", |z, s| unsafe { (z.inflateMark)(s) });
            (at, out) = pair.positions();
            if ret == Z_STREAM_END
                || (ret == Z_BUF_ERROR && at == stream.len())
                || ret < Z_BUF_ERROR
                || ret == Z_DATA_ERROR
            {
                break;
            }
            if ret == Z_BUF_ERROR {
                pair.set_io(at, stream.len() - at, out, data.len() - out);
                pair.inflate(Z_NO_FLUSH);
                pair.call("inflateMark", |z, s| unsafe { (z.inflateMark)(s) });
                (at, out) = pair.positions();
            }
        }
        pair.call("inflateMark(end)", |z, s| unsafe { (z.inflateMark)(s) });
        pair.end();
    }
}

/// A gzip header with FEXTRA (`xlen` bytes), FNAME and FCOMMENT, by hand.
fn gzip_with_extra(xlen: usize) -> Vec<u8> {
    let mut s = vec![0x1f, 0x8b, 8, 4 | 8 | 16, 1, 2, 3, 4, 0, 3];
    s.extend_from_slice(&(xlen as u16).to_le_bytes());
    s.extend((0..xlen).map(|i| (i % 251) as u8));
    s.extend_from_slice(b"name.txt\0a comment\0");
    s.extend(deflate(
        b"payload after a big extra field",
        &Deflate {
            window_bits: -15,
            ..Deflate::default()
        },
    ));
    let crc = unsafe { libz_sys::crc32(0, b"payload after a big extra field".as_ptr(), 31) } as u32;
    s.extend_from_slice(&crc.to_le_bytes());
    s.extend_from_slice(&31u32.to_le_bytes());
    s
}

/// CVE-2022-37434: inflateGetHeader with an extra field longer than
/// extra_max wrote past the caller's buffer when the header arrived in
/// pieces. Large extra fields fed in small chunks, with a guard zone after
/// each receiving buffer that must stay untouched.
#[test]
fn cve_2022_37434_large_gzip_extra() {
    const GUARD: usize = 4096;
    for xlen in [0usize, 1, 9, 10, 11, 300, 65535] {
        let stream = gzip_with_extra(xlen);
        for extra_max in [0usize, 1, 10, 64, 70_000] {
            for chunk in [1usize, 2, 7, 64, 100_000] {
                let label =
                    format!("CVE-2022-37434 xlen={xlen} extra_max={extra_max} chunk={chunk}");
                let mut results = Vec::new();
                for z in both() {
                    let counter = Counter::new(false);
                    let mut strm = new_stream(&counter);
                    let s: *mut z_stream = &mut *strm;
                    let mut extra = vec![0x5au8; extra_max + GUARD];
                    let mut name = vec![0x5au8; 4 + GUARD];
                    let mut comment = vec![0x5au8; 4 + GUARD];
                    let mut head = empty_header();
                    head.extra = extra.as_mut_ptr();
                    head.extra_max = extra_max as c_uint;
                    head.name = name.as_mut_ptr();
                    head.name_max = 4;
                    head.comment = comment.as_mut_ptr();
                    head.comm_max = 4;
                    let mut out = vec![0u8; 64];
                    let mut codes = Vec::new();
                    unsafe {
                        assert_eq!(
                            (z.inflateInit2_)(s, 31, VERSION.as_ptr(), STREAM_SIZE),
                            Z_OK
                        );
                        assert_eq!((z.inflateGetHeader)(s, &mut head), Z_OK);
                        strm.next_out = out.as_mut_ptr();
                        strm.avail_out = out.len() as c_uint;
                        let mut at = 0;
                        loop {
                            let n = chunk.min(stream.len() - at);
                            strm.next_in = stream.as_ptr().add(at) as *mut u8;
                            strm.avail_in = n as c_uint;
                            let ret = (z.inflate)(s, Z_NO_FLUSH);
                            codes.push(ret);
                            at += n - strm.avail_in as usize;
                            if ret != Z_OK || at == stream.len() {
                                break;
                            }
                        }
                        assert_eq!((z.inflateEnd)(s), Z_OK);
                    }
                    assert_eq!(counter.live(), 0, "{label}: {} leaked", z.name);
                    assert!(
                        extra[extra_max..].iter().all(|&b| b == 0x5a),
                        "{label}: {} wrote past extra_max",
                        z.name
                    );
                    assert!(
                        name[4..].iter().all(|&b| b == 0x5a),
                        "{label}: {} wrote past name_max",
                        z.name
                    );
                    assert!(
                        comment[4..].iter().all(|&b| b == 0x5a),
                        "{label}: {} wrote past comm_max",
                        z.name
                    );
                    let kept = extra_max.min(xlen);
                    results.push((
                        codes,
                        head.extra_len,
                        head.done,
                        extra[..kept].to_vec(),
                        name[..4].to_vec(),
                        comment[..4].to_vec(),
                        out,
                    ));
                }
                assert!(results[0] == results[1], "{label}: rzlib and zlib differ");
            }
        }
    }
}

// ------------------------------------------------------------ hostile callers

/// NULL streams, NULL buffers with non-zero lengths, and NULL headers.
#[test]
fn null_arguments() {
    for z in both() {
        let null = std::ptr::null_mut();
        unsafe {
            let codes = [
                (z.inflateInit_)(null, VERSION.as_ptr(), STREAM_SIZE),
                (z.inflateInit2_)(null, 15, VERSION.as_ptr(), STREAM_SIZE),
                (z.inflate)(null, Z_NO_FLUSH),
                (z.inflateEnd)(null),
                (z.inflateReset)(null),
                (z.inflateReset2)(null, 15),
                (z.inflateResetKeep)(null),
                (z.inflateSetDictionary)(null, b"x".as_ptr(), 1),
                (z.inflateGetDictionary)(null, std::ptr::null_mut(), std::ptr::null_mut()),
                (z.inflateSync)(null),
                (z.inflateSyncPoint)(null),
                (z.inflateCopy)(null, null),
                (z.inflatePrime)(null, 1, 1),
                (z.inflateGetHeader)(null, std::ptr::null_mut()),
                (z.inflateUndermine)(null, 1),
                (z.inflateValidate)(null, 1),
            ];
            assert!(
                codes.iter().all(|&c| c == Z_STREAM_ERROR),
                "{}: {codes:?}",
                z.name
            );
            assert_eq!((z.inflateMark)(null), -(1 << 16), "{}", z.name);
            assert_eq!(
                (z.inflateCodesUsed)(null),
                c_ulong::MAX,
                "{}: inflateCodesUsed(NULL)",
                z.name
            );
        }
    }
    // NULL next_in with avail_in > 0, NULL next_out: Z_STREAM_ERROR.
    let stream = zlib_compress(b"null buffers", 6);
    let mut pair = Pair::new("null buffers", &stream, 64);
    assert_eq!(pair.init(None), Z_OK);
    pair.set_io(0, stream.len(), 0, 64);
    for side in 0..2 {
        pair.strms[side].next_in = std::ptr::null_mut();
    }
    assert_eq!(pair.inflate(Z_NO_FLUSH), Z_STREAM_ERROR);
    pair.set_io(0, stream.len(), 0, 64);
    for side in 0..2 {
        pair.strms[side].next_out = std::ptr::null_mut();
    }
    assert_eq!(pair.inflate(Z_NO_FLUSH), Z_STREAM_ERROR);
    pair.set_io(0, 0, 0, 64);
    for side in 0..2 {
        pair.strms[side].next_in = std::ptr::null_mut();
    }
    // NULL next_in with avail_in 0 is fine.
    pair.inflate(Z_NO_FLUSH);
    pair.call("inflateGetDictionary(NULL, NULL)", |z, s| unsafe {
        (z.inflateGetDictionary)(s, std::ptr::null_mut(), std::ptr::null_mut())
    });
    pair.call("inflateSetDictionary(NULL)", |z, s| unsafe {
        (z.inflateSetDictionary)(s, std::ptr::null(), 0)
    });
    pair.call("inflateCopy(NULL dest)", |z, s| unsafe {
        (z.inflateCopy)(std::ptr::null_mut(), s)
    });
    pair.set_io(0, stream.len(), 0, 64);
    assert_eq!(pair.inflate(Z_FINISH), Z_STREAM_END);
    pair.end();
}

/// A stream whose state the original zlib created, handed to rzlib: every
/// rzlib function refuses it with Z_STREAM_ERROR and leaves it intact.
/// And the other way round: zlib refuses rzlib's state.
#[test]
fn foreign_state_is_refused() {
    let stream = zlib_compress(b"whose state is this?", 6);
    let counter = Counter::new(false);
    let mut strm = new_stream(&counter);
    let s: *mut z_stream = &mut *strm;
    let mut out = vec![0u8; 64];
    unsafe {
        assert_eq!((ZLIB.inflateInit_)(s, VERSION.as_ptr(), STREAM_SIZE), Z_OK);
        strm.next_in = stream.as_ptr() as *mut u8;
        strm.avail_in = 3;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = 64;
        assert_eq!((ZLIB.inflate)(s, Z_NO_FLUSH), Z_OK);
        let fields = |s: &z_stream| {
            (
                s.next_in,
                s.avail_in,
                s.total_in,
                s.next_out,
                s.avail_out,
                s.total_out,
                s.msg,
                s.state,
                s.adler,
                s.data_type,
            )
        };
        let before = fields(&strm);
        let mut copy = new_stream(&counter);
        let mut head = empty_header();
        let mut len: c_uint = 0;
        let codes = [
            (RZ.inflate)(s, Z_NO_FLUSH),
            (RZ.inflate)(s, Z_FINISH),
            (RZ.inflateReset)(s),
            (RZ.inflateReset2)(s, 15),
            (RZ.inflateResetKeep)(s),
            (RZ.inflateSetDictionary)(s, b"d".as_ptr(), 1),
            (RZ.inflateGetDictionary)(s, out.as_mut_ptr(), &mut len),
            (RZ.inflateSync)(s),
            (RZ.inflateSyncPoint)(s),
            (RZ.inflateCopy)(&mut *copy, s),
            (RZ.inflatePrime)(s, 3, 1),
            (RZ.inflateGetHeader)(s, &mut head),
            (RZ.inflateUndermine)(s, 1),
            (RZ.inflateValidate)(s, 0),
            (RZ.inflateEnd)(s),
        ];
        assert!(
            codes.iter().all(|&c| c == Z_STREAM_ERROR),
            "rzlib on zlib's state: {codes:?}"
        );
        assert_eq!((RZ.inflateMark)(s), -(1 << 16));
        assert!(fields(&strm) == before, "rzlib touched zlib's stream");
        // zlib still owns a working stream.
        strm.avail_in = (stream.len() - 3) as c_uint;
        assert_eq!((ZLIB.inflate)(s, Z_FINISH), Z_STREAM_END);
        assert_eq!(&out[..strm.total_out as usize], b"whose state is this?");
        assert_eq!((ZLIB.inflateEnd)(s), Z_OK);
        assert_eq!(counter.live(), 0);

        // rzlib's state handed to zlib.
        assert_eq!((RZ.inflateInit_)(s, VERSION.as_ptr(), STREAM_SIZE), Z_OK);
        assert_eq!(
            (ZLIB.inflate)(s, Z_NO_FLUSH),
            Z_STREAM_ERROR,
            "zlib accepted rzlib's state"
        );
        assert_eq!(
            (ZLIB.inflateEnd)(s),
            Z_STREAM_ERROR,
            "zlib accepted rzlib's state"
        );
        assert_eq!((RZ.inflateEnd)(s), Z_OK);
        assert_eq!(counter.live(), 0);
    }
}

/// A `z_stream` copied with memcpy (not inflateCopy) does not own the state:
/// rzlib refuses the copy and keeps serving the original.
#[test]
fn memcpy_stream_is_refused() {
    let data = b"copied by memcpy, not by inflateCopy".repeat(10);
    let stream = zlib_compress(&data, 6);
    let z = &RZ;
    let counter = Counter::new(true);
    let mut strm = new_stream(&counter);
    let s: *mut z_stream = &mut *strm;
    let mut out = vec![0u8; data.len()];
    unsafe {
        assert_eq!((z.inflateInit_)(s, VERSION.as_ptr(), STREAM_SIZE), Z_OK);
        strm.next_in = stream.as_ptr() as *mut u8;
        strm.avail_in = 10;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = out.len() as c_uint;
        assert_eq!((z.inflate)(s, Z_NO_FLUSH), Z_OK);
        let mut twin = Box::new(std::ptr::read(s));
        let t: *mut z_stream = &mut *twin;
        twin.avail_in = (stream.len() - 10) as c_uint;
        assert_eq!((z.inflate)(t, Z_NO_FLUSH), Z_STREAM_ERROR);
        assert_eq!((z.inflateReset)(t), Z_STREAM_ERROR);
        assert_eq!((z.inflateEnd)(t), Z_STREAM_ERROR);
        assert_eq!(twin.avail_in as usize, stream.len() - 10);
        strm.avail_in = (stream.len() - 10) as c_uint;
        assert_eq!((z.inflate)(s, Z_FINISH), Z_STREAM_END);
        assert!(out == data);
        assert_eq!((z.inflateEnd)(s), Z_OK);
    }
    assert_eq!(counter.live(), 0);
}

/// zalloc fails on the Nth call: each call reports Z_MEM_ERROR (or succeeds),
/// nothing crashes, and after inflateEnd every block is freed.
#[test]
fn failing_allocator() {
    let data: Vec<u8> = (0..100_000u32)
        .map(|i| (i % 253) as u8 ^ (i >> 9) as u8)
        .collect();
    let stream = zlib_compress(&data, 6);
    for z in both() {
        let mut saw_mem_error = false;
        for n in 1..=8 {
            let counter = Counter::failing_at(n);
            let mut strm = new_stream(&counter);
            let s: *mut z_stream = &mut *strm;
            let mut out = vec![0u8; data.len()];
            unsafe {
                let init = (z.inflateInit_)(s, VERSION.as_ptr(), STREAM_SIZE);
                if init != Z_OK {
                    assert_eq!(init, Z_MEM_ERROR, "{} fail_at={n}", z.name);
                    assert!(strm.state.is_null() || (z.inflateEnd)(s) == Z_STREAM_ERROR);
                    saw_mem_error = true;
                    assert_eq!(
                        counter.live(),
                        0,
                        "{} fail_at={n}: leak after failed init",
                        z.name
                    );
                    continue;
                }
                strm.next_in = stream.as_ptr() as *mut u8;
                strm.avail_in = stream.len() as c_uint;
                strm.next_out = out.as_mut_ptr();
                strm.avail_out = 100;
                let first = (z.inflate)(s, Z_NO_FLUSH);
                strm.avail_out = (data.len() - 100) as c_uint;
                let second = (z.inflate)(s, Z_NO_FLUSH);
                assert!(
                    [Z_OK, Z_STREAM_END, Z_MEM_ERROR].contains(&first),
                    "{} fail_at={n}: {first}",
                    z.name
                );
                if first == Z_MEM_ERROR {
                    saw_mem_error = true;
                    assert_eq!(
                        second, Z_MEM_ERROR,
                        "{} fail_at={n}: Z_MEM_ERROR is sticky",
                        z.name
                    );
                } else {
                    assert_eq!(second, Z_STREAM_END, "{} fail_at={n}", z.name);
                    assert!(out == data);
                    // inflateCopy with the allocator failing again.
                    let copy_counter = Counter::failing_at(1);
                    strm.opaque = &*copy_counter as *const Counter as *mut _;
                    let mut dest = new_stream(&copy_counter);
                    let r = (z.inflateCopy)(&mut *dest, s);
                    assert_eq!(
                        r, Z_MEM_ERROR,
                        "{} inflateCopy with a failing allocator",
                        z.name
                    );
                    assert_eq!(copy_counter.live(), 0, "{} inflateCopy leaked", z.name);
                    strm.opaque = &*counter as *const Counter as *mut _;
                }
                assert_eq!((z.inflateEnd)(s), Z_OK);
            }
            assert_eq!(counter.live(), 0, "{} fail_at={n}: leak", z.name);
        }
        assert!(
            saw_mem_error,
            "{}: no allocation failure was ever reported",
            z.name
        );
    }
}
