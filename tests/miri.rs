//! Tests sized for Miri (`cargo +nightly miri test --test miri`), which
//! checks every memory access against Rust's rules, uninitialised reads
//! included. They also run in every `cargo test`.
//!
//! - The core: deflate and inflate round trips, the checksums' portable
//!   kernels (Miri runs no SIMD), and the gz layer over a file in memory.
//! - The C API called as C calls it: streams and output buffers straight
//!   from `malloc` (never initialised), a C-style allocator, `*Copy`,
//!   `*Reset`, the gzip header's buffers and the dictionary buffers.
//!
//! The original zlib cannot run under Miri, so the expected results come
//! from zlib's definitions (RFC 1950/1952 check values, round trips).

use core::ffi::{c_int, c_void};
use core::mem::size_of;
use core::ptr;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::AtomicIsize;
use std::sync::atomic::Ordering::Relaxed;

use rzlib::c_api::deflate as d;
use rzlib::c_api::inflate as i;
use rzlib::c_api::stream::{gz_header, z_stream};
use rzlib::c_api::types::uInt;
use rzlib::gz::{GzFile, OpenMode, RawFile, Whence};
use rzlib::writer::Writer;

const Z_OK: c_int = 0;
const Z_STREAM_END: c_int = 1;
const Z_NEED_DICT: c_int = 2;
const Z_DATA_ERROR: c_int = -3;
const Z_FINISH: c_int = 4;
const Z_SYNC_FLUSH: c_int = 2;
const Z_NO_FLUSH: c_int = 0;

/// Text with repeats near and far, so both short and long matches occur.
fn sample(len: usize) -> Vec<u8> {
    let words: [&[u8]; 6] = [
        b"rzlib ",
        b"zlib ",
        b"deflate ",
        b"inflate ",
        b"miri\n",
        b"stream ",
    ];
    let mut out = Vec::with_capacity(len + 8);
    let mut state = 7u32;
    while out.len() < len {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        out.extend_from_slice(words[(state >> 16) as usize % words.len()]);
        if state.is_multiple_of(11) {
            out.push((state >> 8) as u8);
        }
    }
    out.truncate(len);
    out
}

// ------------------------------------------------------------------ core

#[test]
fn core_compress_round_trips_through_the_c_inflate() {
    let data = sample(3000);
    for level in [0, 1, 6, 9] {
        // Output space never initialised: compress only writes it.
        let mut space = vec![core::mem::MaybeUninit::<u8>::uninit(); 4000];
        let mut dest = rzlib::writer::Writer::new(&mut space);
        let done = rzlib::deflate::compress(&mut dest, &data, level, rzlib::memory::Heap);
        assert_eq!(done.code, 0, "level {level}");
        assert_eq!(done.written, dest.len(), "level {level}");
        let back = c_inflate(dest.filled(), 15, data.len(), 1000);
        assert_eq!(back, data, "level {level}");
    }
}

#[test]
fn core_checksums_follow_their_definitions() {
    let data = sample(1000);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    assert_eq!(rzlib::checksum::adler32(1, &data), b << 16 | a);
    let mut crc = !0u32;
    for &byte in &data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                crc >> 1 ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    assert_eq!(rzlib::checksum::crc32(0, &data), !crc);
    // In pieces, as streams compute them.
    let (head, tail) = data.split_at(333);
    assert_eq!(
        rzlib::checksum::crc32(rzlib::checksum::crc32(0, head), tail),
        !crc
    );
}

/// A file in memory for the gz layer; the test keeps a handle to its bytes.
#[derive(Default)]
struct MemoryFile {
    bytes: Rc<RefCell<Vec<u8>>>,
    at: usize,
}

impl RawFile for MemoryFile {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32> {
        let bytes = self.bytes.borrow();
        let n = buf.len().min(bytes.len() - self.at);
        buf[..n].copy_from_slice(&bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
    fn write(&mut self, buf: &[u8]) -> Result<usize, i32> {
        let mut bytes = self.bytes.borrow_mut();
        bytes.truncate(self.at);
        bytes.extend_from_slice(buf);
        self.at += buf.len();
        Ok(buf.len())
    }
    fn seek(&mut self, offset: i64, whence: Whence) -> Option<i64> {
        let base = match whence {
            Whence::Start => 0,
            Whence::Current => self.at as i64,
            Whence::End => self.bytes.borrow().len() as i64,
        };
        self.at = usize::try_from(base + offset).ok()?;
        Some(self.at as i64)
    }
    fn close(self) -> bool {
        true
    }
    fn zeroed(len: usize) -> Option<Vec<u8>> {
        Some(vec![0; len])
    }
    type Memory = rzlib::memory::Heap;
    fn memory() -> rzlib::memory::Heap {
        rzlib::memory::Heap
    }
}

#[test]
fn core_gz_writes_and_reads_a_file_in_memory() {
    let data = sample(2500);
    let bytes = Rc::new(RefCell::new(Vec::new()));
    let mode = OpenMode::parse(b"wb6").unwrap();
    let target = MemoryFile {
        bytes: bytes.clone(),
        at: 0,
    };
    let mut file = GzFile::new(target, b"memory".to_vec(), &mode);
    file.set_buffer(1024);
    assert_eq!(file.write(&data[..1000]), 1000);
    assert_eq!(file.puts(b"a line\n"), 7);
    assert_eq!(file.write(&data[1000..]), 1500);
    assert_eq!(file.close(), 0);
    assert_eq!(&bytes.borrow()[..2], &[0x1f, 0x8b]);
    let mode = OpenMode::parse(b"rb").unwrap();
    let mut file = GzFile::new(MemoryFile { bytes, at: 0 }, b"memory".to_vec(), &mode);
    let mut back = vec![0u8; 3000];
    let got = file.read(&mut Writer::from_bytes(&mut back[..1000]));
    assert_eq!(got, 1000);
    let mut line = [0u8; 16];
    assert_eq!(file.gets(&mut Writer::from_bytes(&mut line)), Some(7));
    assert_eq!(&line[..7], b"a line\n");
    let rest = file.read(&mut Writer::from_bytes(&mut back[1000..]));
    assert_eq!(rest, 1500);
    back.truncate(2500);
    assert_eq!(back, data);
}

// ------------------------------------------------------- C API, as from C

extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn free(p: *mut c_void);
}

/// A C program's allocator: plain malloc, which does not zero.
unsafe extern "C" fn c_alloc(opaque: *mut c_void, items: uInt, size: uInt) -> *mut c_void {
    // The opaque pointer counts the live blocks.
    // SAFETY: the tests pass a counter that outlives the stream.
    unsafe { (*opaque.cast::<AtomicIsize>()).fetch_add(1, Relaxed) };
    // SAFETY: malloc is always safe to call.
    unsafe { malloc(items as usize * size as usize) }
}

unsafe extern "C" fn c_free(opaque: *mut c_void, address: *mut c_void) {
    // SAFETY: as in c_alloc.
    unsafe { (*opaque.cast::<AtomicIsize>()).fetch_sub(1, Relaxed) };
    // SAFETY: `address` came from c_alloc.
    unsafe { free(address) }
}

/// A z_stream in fresh malloc'd memory, with only the allocator fields set,
/// as C code that fills in zalloc/zfree/opaque and nothing else has it.
fn malloc_stream(live: &AtomicIsize) -> *mut z_stream {
    // SAFETY: writing fields of an allocation of the right size through raw
    // pointers; nothing is read.
    unsafe {
        let strm = malloc(size_of::<z_stream>()).cast::<z_stream>();
        assert!(!strm.is_null());
        ptr::addr_of_mut!((*strm).zalloc).write(Some(c_alloc));
        ptr::addr_of_mut!((*strm).zfree).write(Some(c_free));
        ptr::addr_of_mut!((*strm).opaque).write(ptr::from_ref(live).cast_mut().cast());
        ptr::addr_of_mut!((*strm).next_in).write(ptr::null_mut());
        ptr::addr_of_mut!((*strm).avail_in).write(0);
        strm
    }
}

/// Fresh malloc'd, never-initialised memory.
fn malloc_bytes(len: usize) -> *mut u8 {
    // SAFETY: malloc is always safe to call.
    let p = unsafe { malloc(len) }.cast::<u8>();
    assert!(!p.is_null());
    p
}

/// Inflates `stream` through the C API in `chunk`-byte output calls into
/// malloc'd, uninitialised buffers; returns what it produced.
fn c_inflate(stream: &[u8], window_bits: c_int, expected: usize, chunk: usize) -> Vec<u8> {
    let live = AtomicIsize::new(0);
    let strm = malloc_stream(&live);
    let out = malloc_bytes(chunk);
    let mut back = Vec::new();
    // SAFETY: a stream and buffers as zlib.h describes them.
    unsafe {
        assert_eq!(
            i::inflateInit2_(
                strm,
                window_bits,
                c"1.3.2".as_ptr(),
                size_of::<z_stream>() as c_int
            ),
            Z_OK
        );
        (*strm).next_in = stream.as_ptr() as *mut u8;
        (*strm).avail_in = stream.len() as uInt;
        loop {
            (*strm).next_out = out;
            (*strm).avail_out = chunk as uInt;
            let code = i::inflate(strm, Z_NO_FLUSH);
            let produced = chunk - (*strm).avail_out as usize;
            // Only the produced bytes are read.
            back.extend_from_slice(core::slice::from_raw_parts(out, produced));
            if code == Z_STREAM_END {
                break;
            }
            assert_eq!(code, Z_OK);
        }
        assert_eq!(i::inflateEnd(strm), Z_OK);
        free(out.cast());
        free(strm.cast());
    }
    assert_eq!(live.load(Relaxed), 0, "blocks leaked");
    assert_eq!(back.len(), expected);
    back
}

/// Deflates `data` with `Z_FINISH` on a set-up stream into malloc'd
/// memory, ends and frees the stream; returns the compressed bytes.
///
/// # Safety
/// `strm` came from [`malloc_stream`] and a `deflateInit*` call.
unsafe fn finish_and_free(strm: *mut z_stream, data: &[u8], room: usize) -> Vec<u8> {
    let out = malloc_bytes(room);
    // SAFETY: per the contract; only the produced bytes are read.
    unsafe {
        (*strm).next_in = data.as_ptr() as *mut u8;
        (*strm).avail_in = data.len() as uInt;
        (*strm).next_out = out;
        (*strm).avail_out = room as uInt;
        assert_eq!(d::deflate(strm, Z_FINISH), Z_STREAM_END);
        let packed = core::slice::from_raw_parts(out, (*strm).total_out as usize).to_vec();
        assert_eq!(d::deflateEnd(strm), Z_OK);
        free(out.cast());
        free(strm.cast());
        packed
    }
}

#[test]
fn c_api_streams_in_uninitialised_memory() {
    let data = sample(4000);
    let live = AtomicIsize::new(0);
    let strm = malloc_stream(&live);
    let out_len = 5000;
    let out = malloc_bytes(out_len);
    let mut produced = 0;
    // SAFETY: as C code would call it; small window and memLevel keep the
    // buffers small for Miri.
    unsafe {
        assert_eq!(
            d::deflateInit2_(
                strm,
                6,
                8,
                10,
                2,
                0,
                c"1.3.2".as_ptr(),
                size_of::<z_stream>() as c_int
            ),
            Z_OK
        );
        (*strm).next_in = data.as_ptr() as *mut u8;
        (*strm).next_out = out;
        // Sync flushes in small pieces, then a copy of the stream finishes.
        for piece in data[..2000].chunks(700) {
            (*strm).next_in = piece.as_ptr() as *mut u8;
            (*strm).avail_in = piece.len() as uInt;
            (*strm).avail_out = (out_len - produced) as uInt;
            assert_eq!(d::deflate(strm, Z_SYNC_FLUSH), Z_OK);
            produced = out_len - (*strm).avail_out as usize;
        }
        let copy = malloc_stream(&live);
        assert_eq!(d::deflateCopy(copy, strm), Z_OK);
        // Ended mid-stream: zlib says data was lost.
        assert_eq!(d::deflateEnd(strm), Z_DATA_ERROR);
        (*copy).next_in = data[2000..].as_ptr() as *mut u8;
        (*copy).avail_in = 2000;
        (*copy).avail_out = (out_len - produced) as uInt;
        assert_eq!(d::deflate(copy, Z_FINISH), Z_STREAM_END);
        produced = out_len - (*copy).avail_out as usize;
        // Reset and reuse, then end.
        assert_eq!(d::deflateReset(copy), Z_OK);
        assert_eq!(d::deflateEnd(copy), Z_OK);
        free(copy.cast());
        free(strm.cast());
        let packed = core::slice::from_raw_parts(out, produced).to_vec();
        free(out.cast());
        assert_eq!(live.load(Relaxed), 0, "blocks leaked");
        assert_eq!(c_inflate(&packed, 10, data.len(), 777), data);
    }
}

/// A short stream in the default window, whose window, chain links and
/// pending buffer a caller's allocator hands out uninitialised and rzlib
/// makes usable only as the stream reaches them: sync flushes, a switch to
/// level 0 (which writes the window directly), a copy that finishes on its
/// own, at a level of short chains and one of long chains.
#[test]
fn c_api_short_stream_grows_its_buffers() {
    let data = sample(900);
    for level in [6, 9] {
        let live = AtomicIsize::new(0);
        let strm = malloc_stream(&live);
        let copy = malloc_stream(&live);
        let out_len = 1200;
        let (out, copy_out) = (malloc_bytes(out_len), malloc_bytes(out_len));
        // SAFETY: as C code would call it; the buffers outlive the calls.
        unsafe {
            let version = c"1.3.2".as_ptr();
            let size = size_of::<z_stream>() as c_int;
            assert_eq!(
                d::deflateInit2_(strm, level, 8, 15, 1, 0, version, size),
                Z_OK
            );
            (*strm).next_out = out;
            (*strm).avail_out = out_len as uInt;
            for (n, piece) in data[..600].chunks(150).enumerate() {
                if n == 2 {
                    assert_eq!(d::deflateParams(strm, 0, 0), Z_OK);
                }
                (*strm).next_in = piece.as_ptr() as *mut u8;
                (*strm).avail_in = piece.len() as uInt;
                assert_eq!(d::deflate(strm, Z_SYNC_FLUSH), Z_OK);
            }
            assert_eq!(d::deflateParams(strm, level, 0), Z_OK);
            assert_eq!(d::deflateCopy(copy, strm), Z_OK);
            let produced = out_len - (*strm).avail_out as usize;
            ptr::copy_nonoverlapping(out, copy_out, produced);
            (*copy).next_out = copy_out.add(produced);
            for s in [strm, copy] {
                (*s).next_in = data[600..].as_ptr() as *mut u8;
                (*s).avail_in = 300;
                assert_eq!(d::deflate(s, Z_FINISH), Z_STREAM_END);
            }
            let lens = [strm, copy].map(|s| out_len - (*s).avail_out as usize);
            assert_eq!(d::deflateEnd(strm), Z_OK);
            assert_eq!(d::deflateEnd(copy), Z_OK);
            for (buffer, len) in [(out, lens[0]), (copy_out, lens[1])] {
                let packed = core::slice::from_raw_parts(buffer, len).to_vec();
                assert_eq!(c_inflate(&packed, 15, data.len(), 333), data);
                free(buffer.cast());
            }
            free(copy.cast());
            free(strm.cast());
        }
        assert_eq!(live.load(Relaxed), 0, "blocks leaked");
    }
}

#[test]
fn c_api_inflate_copy_reset_and_dictionary() {
    let dictionary = sample(300);
    let data = sample(1200);
    let live = AtomicIsize::new(0);
    // Compress with a dictionary.
    let packed = {
        let strm = malloc_stream(&live);
        // SAFETY: as C code would call it.
        unsafe {
            assert_eq!(
                d::deflateInit_(strm, 9, c"1.3.2".as_ptr(), size_of::<z_stream>() as c_int),
                Z_OK
            );
            assert_eq!(
                d::deflateSetDictionary(strm, dictionary.as_ptr(), dictionary.len() as uInt),
                Z_OK
            );
            // deflateGetDictionary into uninitialised memory.
            let got = malloc_bytes(1 << 15);
            let mut got_len: uInt = 0;
            assert_eq!(d::deflateGetDictionary(strm, got, &mut got_len), Z_OK);
            assert_eq!(
                core::slice::from_raw_parts(got, got_len as usize),
                &dictionary[..]
            );
            free(got.cast());
            finish_and_free(strm, &data, 2000)
        }
    };
    let strm = malloc_stream(&live);
    let out = malloc_bytes(data.len());
    // SAFETY: as C code would call it.
    unsafe {
        assert_eq!(
            i::inflateInit_(strm, c"1.3.2".as_ptr(), size_of::<z_stream>() as c_int),
            Z_OK
        );
        (*strm).next_in = packed.as_ptr() as *mut u8;
        (*strm).avail_in = packed.len() as uInt;
        (*strm).next_out = out;
        (*strm).avail_out = data.len() as uInt;
        assert_eq!(i::inflate(strm, Z_NO_FLUSH), Z_NEED_DICT);
        assert_eq!(
            i::inflateSetDictionary(strm, dictionary.as_ptr(), dictionary.len() as uInt),
            Z_OK
        );
        // Half the output, then a copy finishes it.
        (*strm).avail_out = 600;
        assert_eq!(i::inflate(strm, Z_NO_FLUSH), Z_OK);
        let copy = malloc_stream(&live);
        assert_eq!(i::inflateCopy(copy, strm), Z_OK);
        // inflateGetDictionary into uninitialised memory: the copy's
        // history is the dictionary and the output so far.
        let window = malloc_bytes(1 << 15);
        let mut window_len: uInt = 0;
        assert_eq!(i::inflateGetDictionary(copy, window, &mut window_len), Z_OK);
        let history = [&dictionary[..], &data[..600]].concat();
        assert_eq!(
            core::slice::from_raw_parts(window, window_len as usize),
            &history[..]
        );
        free(window.cast());
        (*copy).avail_out = (data.len() - 600) as uInt;
        assert_eq!(i::inflate(copy, Z_FINISH), Z_STREAM_END);
        assert_eq!(core::slice::from_raw_parts(out, data.len()), &data[..]);
        assert_eq!(i::inflateReset(copy), Z_OK);
        assert_eq!(i::inflateEnd(copy), Z_OK);
        assert_eq!(i::inflateEnd(strm), Z_OK);
        free(copy.cast());
        free(strm.cast());
        free(out.cast());
    }
    assert_eq!(live.load(Relaxed), 0, "blocks leaked");
}

#[test]
fn c_api_gzip_header_buffers() {
    let data = sample(500);
    let live = AtomicIsize::new(0);
    let name = c"miri.txt";
    let comment = c"checked by Miri";
    let extra = *b"XY\x04\x00data";
    // Write a gzip stream with a header.
    let packed = {
        let strm = malloc_stream(&live);
        let mut head: gz_header = unsafe { core::mem::zeroed() };
        head.name = name.as_ptr() as *mut u8;
        head.comment = comment.as_ptr() as *mut u8;
        head.extra = extra.as_ptr() as *mut u8;
        head.extra_len = extra.len() as uInt;
        head.hcrc = 1;
        head.time = 1_234_567;
        // SAFETY: as C code would call it; the header outlives the stream.
        unsafe {
            assert_eq!(
                d::deflateInit2_(
                    strm,
                    6,
                    8,
                    31,
                    8,
                    0,
                    c"1.3.2".as_ptr(),
                    size_of::<z_stream>() as c_int
                ),
                Z_OK
            );
            assert_eq!(d::deflateSetHeader(strm, &mut head), Z_OK);
            finish_and_free(strm, &data, 1000)
        }
    };
    // Read it back into malloc'd header buffers, in 7-byte input pieces.
    let strm = malloc_stream(&live);
    let out = malloc_bytes(data.len());
    let (name_buf, comment_buf, extra_buf) = (malloc_bytes(64), malloc_bytes(64), malloc_bytes(64));
    let mut head: gz_header = unsafe { core::mem::zeroed() };
    head.name = name_buf;
    head.name_max = 64;
    head.comment = comment_buf;
    head.comm_max = 64;
    head.extra = extra_buf;
    head.extra_max = 64;
    // SAFETY: as C code would call it.
    unsafe {
        assert_eq!(
            i::inflateInit2_(strm, 31, c"1.3.2".as_ptr(), size_of::<z_stream>() as c_int),
            Z_OK
        );
        assert_eq!(i::inflateGetHeader(strm, &mut head), Z_OK);
        (*strm).next_out = out;
        (*strm).avail_out = data.len() as uInt;
        let mut code = Z_OK;
        for piece in packed.chunks(7) {
            (*strm).next_in = piece.as_ptr() as *mut u8;
            (*strm).avail_in = piece.len() as uInt;
            code = i::inflate(strm, Z_NO_FLUSH);
            if code == Z_STREAM_END {
                break;
            }
            assert_eq!(code, Z_OK);
        }
        assert_eq!(code, Z_STREAM_END);
        assert_eq!(head.done, 1);
        assert_eq!(head.time, 1_234_567);
        assert_eq!(head.extra_len as usize, extra.len());
        assert_eq!(core::slice::from_raw_parts(extra_buf, extra.len()), &extra);
        let name_len = name.to_bytes_with_nul().len();
        assert_eq!(
            core::slice::from_raw_parts(name_buf, name_len),
            name.to_bytes_with_nul()
        );
        let comment_len = comment.to_bytes_with_nul().len();
        assert_eq!(
            core::slice::from_raw_parts(comment_buf, comment_len),
            comment.to_bytes_with_nul()
        );
        assert_eq!(core::slice::from_raw_parts(out, data.len()), &data[..]);
        assert_eq!(i::inflateEnd(strm), Z_OK);
        for p in [name_buf, comment_buf, extra_buf, out] {
            free(p.cast());
        }
        free(strm.cast());
    }
    assert_eq!(live.load(Relaxed), 0, "blocks leaked");
}

#[test]
fn c_api_one_call_functions_into_uninitialised_memory() {
    use rzlib::c_api::compress::compress2;
    use rzlib::c_api::uncompress::uncompress;
    let data = sample(2000);
    let packed = malloc_bytes(2100);
    let back = malloc_bytes(2000);
    let mut packed_len = 2100;
    let mut back_len = 2000;
    // SAFETY: buffers valid for the lengths given.
    unsafe {
        assert_eq!(
            compress2(packed, &mut packed_len, data.as_ptr(), 2000, 1),
            Z_OK
        );
        assert_eq!(uncompress(back, &mut back_len, packed, packed_len), Z_OK);
        assert_eq!(
            core::slice::from_raw_parts(back, back_len as usize),
            &data[..]
        );
        free(packed.cast());
        free(back.cast());
    }
}

/// What inflateBack's callbacks see: the input, handed out in small
/// pieces, and the output collected from the window.
struct BackIo {
    rest: Vec<u8>,
    piece: usize,
    handed: Vec<u8>,
    out: Vec<u8>,
}

unsafe extern "C" fn back_in(desc: *mut c_void, buf: *mut *mut u8) -> uInt {
    // SAFETY: `desc` is the test's BackIo and `buf` is writable.
    unsafe {
        let io = &mut *desc.cast::<BackIo>();
        let n = io.piece.min(io.rest.len());
        io.handed = io.rest.drain(..n).collect();
        *buf = io.handed.as_mut_ptr();
        n as uInt
    }
}

unsafe extern "C" fn back_out(desc: *mut c_void, buf: *mut u8, len: uInt) -> c_int {
    // SAFETY: `desc` is the test's BackIo; the window part holds `len`
    // bytes that a valid stream has all written.
    unsafe {
        let io = &mut *desc.cast::<BackIo>();
        io.out
            .extend_from_slice(core::slice::from_raw_parts(buf, len as usize));
    }
    0
}

#[test]
fn c_api_inflate_back_into_an_uninitialised_window() {
    use rzlib::c_api::inflate_back as b;
    let data = sample(5000);
    let live = AtomicIsize::new(0);
    let strm = malloc_stream(&live);
    // SAFETY: as C code would call them: a raw stream with a 512-byte
    // window, decoded by inflateBack into a malloc'd, never-initialised
    // window of that size, so that matches reach back into earlier laps.
    unsafe {
        assert_eq!(
            d::deflateInit2_(
                strm,
                6,
                8,
                -9,
                1,
                0,
                c"1.3.2".as_ptr(),
                size_of::<z_stream>() as c_int
            ),
            Z_OK
        );
        let packed = finish_and_free(strm, &data, 6000);
        let strm = malloc_stream(&live);
        let window = malloc_bytes(1 << 9);
        assert_eq!(
            b::inflateBackInit_(
                strm,
                9,
                window,
                c"1.3.2".as_ptr(),
                size_of::<z_stream>() as c_int
            ),
            Z_OK
        );
        // In pieces that end mid-symbol, so that the one-at-a-time decoder
        // takes turns with the fast loop.
        let mut io = BackIo {
            rest: packed,
            piece: 97,
            handed: Vec::new(),
            out: Vec::new(),
        };
        let desc: *mut c_void = ptr::from_mut(&mut io).cast();
        assert_eq!(
            b::inflateBack(strm, Some(back_in), desc, Some(back_out), desc),
            Z_STREAM_END
        );
        assert_eq!(b::inflateBackEnd(strm), Z_OK);
        free(window.cast());
        free(strm.cast());
        assert_eq!(io.out, data);
    }
    assert_eq!(live.load(Relaxed), 0, "blocks leaked");
}

/// A parallel stream (issue 19) on 2 threads through the C API: 8 KB in
/// pieces (jobs of 2 KiB under Miri, each primed with the window before
/// it), a sync flush, then Z_FINISH; the pool's threads and the caller's
/// share the jobs, which Miri checks for data races. The stream inflates
/// (rzlib's inflate: the original zlib is C) to the data, and every block
/// is given back.
///
/// Ignored in the plain Miri run: the pool's threads live as long as the
/// process, and Miri fails a program whose main thread ends before its
/// other threads. `.ci/run` runs it alone with `-Zmiri-ignore-leaks` (the
/// test counts the stream's blocks itself).
#[test]
#[cfg_attr(miri, ignore)]
fn c_api_parallel_stream_round_trips() {
    let data = sample(8000);
    let live = AtomicIsize::new(0);
    let strm = malloc_stream(&live);
    let room = 12_000;
    let out = malloc_bytes(room);
    // SAFETY: as C code would call it; a 1 KiB window keeps the jobs small.
    let packed = unsafe {
        assert_eq!(
            d::deflateInit2_(
                strm,
                6,
                8,
                10,
                2,
                0,
                c"1.3.2".as_ptr(),
                size_of::<z_stream>() as c_int
            ),
            Z_OK
        );
        assert_eq!(d::rz_deflateSetThreads(strm, 2), Z_OK);
        (*strm).next_out = out;
        (*strm).avail_out = room as uInt;
        for (piece, flush) in [
            (&data[..3000], Z_NO_FLUSH),
            (&data[3000..5000], Z_SYNC_FLUSH),
            (&data[5000..], Z_FINISH),
        ] {
            (*strm).next_in = piece.as_ptr() as *mut u8;
            (*strm).avail_in = piece.len() as uInt;
            let code = d::deflate(strm, flush);
            assert_eq!(
                code,
                if flush == Z_FINISH {
                    Z_STREAM_END
                } else {
                    Z_OK
                }
            );
            assert_eq!((*strm).avail_in, 0);
        }
        let packed = core::slice::from_raw_parts(out, (*strm).total_out as usize).to_vec();
        assert_eq!(d::deflateEnd(strm), Z_OK);
        free(out.cast());
        free(strm.cast());
        packed
    };
    assert_eq!(live.load(Relaxed), 0, "blocks leaked");
    assert_eq!(c_inflate(&packed, 10, data.len(), 3000), data);
}
