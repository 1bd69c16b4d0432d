//! gz*: rzlib and the original zlib writing and reading gzip files, as
//! programs use them: `gzwrite` in 4 KiB pieces at the default level (the
//! file written is checked identical first), and `gzread` in 4 KiB pieces of
//! the original's file. The files live in the target directory.

use std::ffi::{c_char, c_int, c_uint, c_void, CString};
use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;

const LIMIT: usize = 4 << 20;
const PIECE: usize = 4096;

/// The original zlib's gz functions (libz-sys links them).
mod original {
    use super::*;
    use libz_sys as _;

    extern "C" {
        pub fn gzopen(path: *const c_char, mode: *const c_char) -> *mut c_void;
        pub fn gzwrite(file: *mut c_void, buf: *const c_void, len: c_uint) -> c_int;
        pub fn gzread(file: *mut c_void, buf: *mut c_void, len: c_uint) -> c_int;
        pub fn gzclose(file: *mut c_void) -> c_int;
    }
}

/// The gz entry points of one implementation.
struct Gz {
    open: unsafe extern "C" fn(*const c_char, *const c_char) -> *mut c_void,
    write: unsafe extern "C" fn(*mut c_void, *const c_void, c_uint) -> c_int,
    read: unsafe extern "C" fn(*mut c_void, *mut c_void, c_uint) -> c_int,
    close: unsafe extern "C" fn(*mut c_void) -> c_int,
}

const ZLIB: Gz = Gz {
    open: original::gzopen,
    write: original::gzwrite,
    read: original::gzread,
    close: original::gzclose,
};

mod rz {
    use super::*;
    use rzlib::c_api::gz;

    // rzlib's gzFile is a pointer to its exposed struct; the bench passes it
    // around as void *, as C code does.
    pub unsafe extern "C" fn open(path: *const c_char, mode: *const c_char) -> *mut c_void {
        // SAFETY: forwarded.
        unsafe { gz::gzopen(path, mode).cast() }
    }
    pub unsafe extern "C" fn write(file: *mut c_void, buf: *const c_void, len: c_uint) -> c_int {
        // SAFETY: forwarded.
        unsafe { gz::gzwrite(file.cast(), buf, len) }
    }
    pub unsafe extern "C" fn read(file: *mut c_void, buf: *mut c_void, len: c_uint) -> c_int {
        // SAFETY: forwarded.
        unsafe { gz::gzread(file.cast(), buf, len) }
    }
    pub unsafe extern "C" fn close(file: *mut c_void) -> c_int {
        // SAFETY: forwarded.
        unsafe { gz::gzclose(file.cast()) }
    }
}

const RZLIB: Gz = Gz {
    open: rz::open,
    write: rz::write,
    read: rz::read,
    close: rz::close,
};

fn path_of(path: &Path) -> CString {
    CString::new(path.to_str().expect("a UTF-8 path")).unwrap()
}

/// Writes `data` to `path` in pieces; returns the bytes written.
fn write_file(imp: &Gz, path: &CString, data: &[u8]) -> usize {
    // SAFETY: valid strings and buffers; the file is closed once.
    unsafe {
        let file = (imp.open)(path.as_ptr(), c"wb".as_ptr());
        assert!(!file.is_null());
        for piece in data.chunks(PIECE) {
            let n = (imp.write)(file, piece.as_ptr().cast(), piece.len() as c_uint);
            assert_eq!(n as usize, piece.len());
        }
        assert_eq!((imp.close)(file), 0);
    }
    data.len()
}

/// Reads `path` to its end in pieces into `out`; returns the bytes read.
fn read_file(imp: &Gz, path: &CString, out: &mut [u8]) -> usize {
    let mut got = 0;
    // SAFETY: valid strings; each read gets the room left in `out`.
    unsafe {
        let file = (imp.open)(path.as_ptr(), c"rb".as_ptr());
        assert!(!file.is_null());
        loop {
            let room = (out.len() - got).min(PIECE);
            let n = (imp.read)(file, out[got..].as_mut_ptr().cast(), room as c_uint);
            assert!(n >= 0);
            if n == 0 {
                break;
            }
            got += n as usize;
        }
        assert_eq!((imp.close)(file), 0);
    }
    got
}

fn bench_gz(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gz-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let inputs = common::inputs(LIMIT);
    let implementations = [("zlib", &ZLIB), ("rzlib", &RZLIB)];
    for input in &inputs {
        let (ours, theirs) = (dir.join("rzlib.gz"), dir.join(&input.name));
        write_file(&RZLIB, &path_of(&ours), &input.data);
        write_file(&ZLIB, &path_of(&theirs), &input.data);
        assert!(
            std::fs::read(&ours).unwrap() == std::fs::read(&theirs).unwrap(),
            "rzlib's gzip file differs on {}",
            input.name
        );
    }

    let mut group = c.benchmark_group("gzwrite");
    let scratch = path_of(&dir.join("scratch.gz"));
    for input in &inputs {
        group.throughput(Throughput::Bytes(input.data.len() as u64));
        for (name, imp) in implementations {
            group.bench_with_input(BenchmarkId::new(name, &input.name), &input.data, |b, d| {
                b.iter(|| write_file(imp, &scratch, black_box(d)))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("gzread");
    for input in &inputs {
        let path = path_of(&dir.join(&input.name));
        let mut out = vec![0u8; input.data.len()];
        group.throughput(Throughput::Bytes(input.data.len() as u64));
        for (name, imp) in implementations {
            assert_eq!(read_file(imp, &path, &mut out), input.data.len());
            assert!(out == input.data, "{name} gzread differs on {}", input.name);
            group.bench_with_input(BenchmarkId::new(name, &input.name), &path, |b, p| {
                b.iter(|| read_file(imp, black_box(p), &mut out))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config(10);
    targets = bench_gz
}
criterion_main!(benches);
