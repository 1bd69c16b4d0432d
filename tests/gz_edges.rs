//! Edges of the gz* functions found by attacking them: fork while other
//! threads are inside gz calls, a huge gzbuffer, and handles used after
//! gzclose.
#![cfg(not(feature = "drop-in"))]

use std::ffi::{c_char, c_int, c_uint, c_void, CString};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use rzlib::c_api::gz as rz;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gz_edges");
    fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn cstring(path: &Path) -> CString {
    CString::new(path.to_str().unwrap()).unwrap()
}

/// Writes `data` to `path` with rzlib and reads it back; the error, if any.
fn round_trip(path: &CString, data: &[u8]) -> Result<(), &'static str> {
    let mut back = [0u8; 64];
    assert!(data.len() < back.len());
    // SAFETY: valid strings and buffers; each handle is closed once.
    unsafe {
        let file = rz::gzopen(path.as_ptr(), c"wb".as_ptr());
        if file.is_null() {
            return Err("gzopen wb");
        }
        if rz::gzwrite(file, data.as_ptr().cast(), data.len() as c_uint) != data.len() as c_int {
            return Err("gzwrite");
        }
        if rz::gzclose(file) != 0 {
            return Err("gzclose wb");
        }
        let file = rz::gzopen(path.as_ptr(), c"rb".as_ptr());
        if file.is_null() {
            return Err("gzopen rb");
        }
        let n = rz::gzread(file, back.as_mut_ptr().cast(), back.len() as c_uint);
        if rz::gzclose(file) != 0 {
            return Err("gzclose rb");
        }
        if n != data.len() as c_int || &back[..data.len()] != data {
            return Err("read back");
        }
    }
    Ok(())
}

/// Waits for child `pid` until `deadline`; its exit status, or `None` if it
/// had to be killed.
fn wait_for(pid: libc::pid_t, deadline: Duration) -> Option<c_int> {
    let start = Instant::now();
    let mut status = 0;
    loop {
        // SAFETY: `pid` is our child; `status` is writable.
        let done = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if done == pid {
            return Some(status);
        }
        assert_eq!(done, 0, "waitpid");
        if start.elapsed() > deadline {
            // SAFETY: as above; the child is reaped after the kill.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            return None;
        }
        thread::sleep(Duration::from_millis(1));
    }
}

/// A child forked while other threads are inside gz calls must be able to
/// use gz files: no lock may be inherited held. Threads keep opening,
/// writing, reading and closing files, and calling on two open handles in
/// turn; meanwhile children are forked, and each writes and reads back a
/// file of its own and must exit within the deadline.
#[test]
fn fork_while_threads_use_gz_files() {
    const CHILDREN: usize = 300;
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..3)
        .map(|t| {
            let stop = Arc::clone(&stop);
            let (a, b, own) = (
                cstring(&scratch(&format!("fork-{t}-a.gz"))),
                cstring(&scratch(&format!("fork-{t}-b.gz"))),
                cstring(&scratch(&format!("fork-{t}-own.gz"))),
            );
            round_trip(&a, b"first file").unwrap();
            round_trip(&b, b"second file").unwrap();
            thread::spawn(move || {
                // SAFETY: valid strings; both handles are closed once, at
                // the end.
                let (fa, fb) = unsafe {
                    (
                        rz::gzopen(a.as_ptr(), c"rb".as_ptr()),
                        rz::gzopen(b.as_ptr(), c"rb".as_ptr()),
                    )
                };
                assert!(!fa.is_null() && !fb.is_null());
                let mut rounds = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    round_trip(&own, b"a worker's data").unwrap();
                    for _ in 0..200 {
                        // SAFETY: both handles are open.
                        unsafe {
                            assert_eq!(rz::gzeof(fa) + rz::gzeof(fb), 0);
                            assert_eq!(rz::gztell64(fa) + rz::gztell64(fb), 0);
                        }
                    }
                    rounds += 1;
                }
                // SAFETY: open handles, closed once.
                unsafe { assert_eq!(rz::gzclose(fa) + rz::gzclose(fb), 0) };
                rounds
            })
        })
        .collect();
    let paths: Vec<CString> = (0..CHILDREN)
        .map(|i| cstring(&scratch(&format!("fork-child-{i}.gz"))))
        .collect();
    let mut failures = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        // SAFETY: the child only calls rzlib's gz functions (which allocate
        // with malloc, fork-safe in glibc) and _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork");
        if pid == 0 {
            let code = match round_trip(path, b"written in a child") {
                Ok(()) => 0,
                Err(_) => 1,
            };
            // SAFETY: ends the child without running the parent's exit code.
            unsafe { libc::_exit(code) };
        }
        match wait_for(pid, Duration::from_secs(10)) {
            None => {
                failures.push(format!("child {i} hung"));
                break;
            }
            Some(status) if status != 0 => failures.push(format!("child {i}: status {status}")),
            Some(_) => {}
        }
    }
    stop.store(true, Ordering::Relaxed);
    let rounds: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(rounds > 0);
    assert!(failures.is_empty(), "{failures:?}");
}

/// Runs `body` in a forked child, away from the tests running in parallel
/// in this process, and returns the numbers it reports; fails if it
/// panics, fails or takes longer than `deadline`.
fn in_child(deadline: Duration, body: impl FnOnce() -> Vec<u64>) -> Vec<u64> {
    let mut pipe = [0; 2];
    // SAFETY: `pipe` has room for two descriptors.
    assert_eq!(unsafe { libc::pipe(pipe.as_mut_ptr()) }, 0);
    // SAFETY: the child runs `body` on this thread alone and ends with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork");
    if pid == 0 {
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
        let code = match report {
            Ok(numbers) => {
                let bytes: Vec<u8> = numbers.iter().flat_map(|n| n.to_le_bytes()).collect();
                // SAFETY: `bytes` is readable; the pipe is ours.
                let n = unsafe { libc::write(pipe[1], bytes.as_ptr().cast(), bytes.len()) };
                i32::from(n != bytes.len() as isize)
            }
            Err(payload) => {
                // The panic message went to this child's copy of the
                // test's captured output: show it.
                let text = payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| payload.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                let text = format!("child: {text}\n");
                // SAFETY: `text` is readable.
                unsafe { libc::write(2, text.as_ptr().cast(), text.len()) };
                2
            }
        };
        // SAFETY: ends the child without running the parent's exit code.
        unsafe { libc::_exit(code) };
    }
    // SAFETY: the write end is the child's.
    unsafe { libc::close(pipe[1]) };
    let status = wait_for(pid, deadline);
    let mut bytes = vec![0u8; 1024];
    // SAFETY: `bytes` is writable; the pipe is ours and closed once.
    let n = unsafe {
        let n = libc::read(pipe[0], bytes.as_mut_ptr().cast(), bytes.len());
        libc::close(pipe[0]);
        n
    };
    assert_eq!(status, Some(0), "the child failed or hung");
    bytes.truncate(usize::try_from(n).unwrap());
    bytes
        .chunks_exact(8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

/// Bytes resident in this process now.
fn resident() -> u64 {
    let statm = fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    // SAFETY: sysconf has no preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64
}

/// The original zlib's gz functions, or rzlib's, by name.
struct Gz {
    gzopen: unsafe extern "C" fn(*const c_char, *const c_char) -> *mut c_void,
    gzbuffer: unsafe extern "C" fn(*mut c_void, c_uint) -> c_int,
    gzwrite: unsafe extern "C" fn(*mut c_void, *const c_void, c_uint) -> c_int,
    gzread: unsafe extern "C" fn(*mut c_void, *mut c_void, c_uint) -> c_int,
    gzclose: unsafe extern "C" fn(*mut c_void) -> c_int,
}

mod zlib {
    use std::ffi::{c_char, c_int, c_uint, c_void};
    // Links the original zlib, whose gz functions are declared here.
    use libz_sys as _;

    extern "C" {
        pub fn gzopen(path: *const c_char, mode: *const c_char) -> *mut c_void;
        pub fn gzbuffer(file: *mut c_void, size: c_uint) -> c_int;
        pub fn gzwrite(file: *mut c_void, buf: *const c_void, len: c_uint) -> c_int;
        pub fn gzread(file: *mut c_void, buf: *mut c_void, len: c_uint) -> c_int;
        pub fn gzclose(file: *mut c_void) -> c_int;
    }
}

const ZLIB: Gz = Gz {
    gzopen: zlib::gzopen,
    gzbuffer: zlib::gzbuffer,
    gzwrite: zlib::gzwrite,
    gzread: zlib::gzread,
    gzclose: zlib::gzclose,
};

/// rzlib's exports with the original's signatures (a gzFile is a pointer).
const RZLIB: Gz = {
    unsafe extern "C" fn gzopen(path: *const c_char, mode: *const c_char) -> *mut c_void {
        // SAFETY: forwarded under the same contract.
        unsafe { rz::gzopen(path, mode).cast() }
    }
    unsafe extern "C" fn gzbuffer(file: *mut c_void, size: c_uint) -> c_int {
        // SAFETY: as above.
        unsafe { rz::gzbuffer(file.cast(), size) }
    }
    unsafe extern "C" fn gzwrite(file: *mut c_void, buf: *const c_void, len: c_uint) -> c_int {
        // SAFETY: as above.
        unsafe { rz::gzwrite(file.cast(), buf, len) }
    }
    unsafe extern "C" fn gzread(file: *mut c_void, buf: *mut c_void, len: c_uint) -> c_int {
        // SAFETY: as above.
        unsafe { rz::gzread(file.cast(), buf, len) }
    }
    unsafe extern "C" fn gzclose(file: *mut c_void) -> c_int {
        // SAFETY: as above.
        unsafe { rz::gzclose(file.cast()) }
    }
    Gz {
        gzopen,
        gzbuffer,
        gzwrite,
        gzread,
        gzclose,
    }
};

/// With gzbuffer(1 GiB), writes a few bytes and reads them back, in a
/// child of its own: the results (return values, the data read, then the
/// growth of the resident set while writing and while reading, and the
/// milliseconds taken).
fn huge_buffer_round_trip(gz: &Gz, path: &Path) -> Vec<u64> {
    const GIB: c_uint = 1 << 30;
    let name = cstring(path);
    in_child(Duration::from_secs(30), || {
        let start = Instant::now();
        let before = resident();
        let data = b"a few bytes through a 1 GiB buffer\n";
        let mut back = [0u8; 64];
        // SAFETY: valid strings and buffers; each handle is closed once.
        unsafe {
            let file = (gz.gzopen)(name.as_ptr(), c"wb".as_ptr());
            assert!(!file.is_null());
            let buffer_w = (gz.gzbuffer)(file, GIB);
            let wrote = (gz.gzwrite)(file, data.as_ptr().cast(), data.len() as c_uint);
            let writing = resident().saturating_sub(before);
            let closed_w = (gz.gzclose)(file);
            let file = (gz.gzopen)(name.as_ptr(), c"rb".as_ptr());
            assert!(!file.is_null());
            let buffer_r = (gz.gzbuffer)(file, GIB);
            let read = (gz.gzread)(file, back.as_mut_ptr().cast(), back.len() as c_uint);
            let reading = resident().saturating_sub(before);
            let closed_r = (gz.gzclose)(file);
            let mut report: Vec<u64> = [buffer_w, wrote, closed_w, buffer_r, read, closed_r]
                .iter()
                .map(|&r| r as u64)
                .collect();
            report.extend(back.iter().map(|&b| u64::from(b)));
            report.extend([writing, reading, start.elapsed().as_millis() as u64]);
            report
        }
    })
}

/// A large gzbuffer costs only what is used, as zlib's malloc'd buffers
/// do: gzbuffer(1 GiB) with a few bytes written and read back once cost
/// 3 GB resident and 9 s, for every byte of the buffers was zeroed.
#[test]
fn huge_gzbuffer_costs_only_what_is_used() {
    let (zpath, rpath) = (scratch("huge-zlib.gz"), scratch("huge-rzlib.gz"));
    let zlib = huge_buffer_round_trip(&ZLIB, &zpath);
    let rzlib = huge_buffer_round_trip(&RZLIB, &rpath);
    let results = zlib.len() - 3;
    assert_eq!(zlib[..results], rzlib[..results], "zlib vs rzlib");
    assert_eq!(zlib[..6], [0, 35, 0, 0, 35, 0]);
    assert_eq!(fs::read(&zpath).unwrap(), fs::read(&rpath).unwrap());
    let [writing, reading, millis] = rzlib[results..] else {
        unreachable!()
    };
    eprintln!(
        "gzbuffer(1 GiB): resident growth writing {} KiB, reading {} KiB, {millis} ms \
         (zlib: {} KiB, {} KiB, {} ms)",
        writing >> 10,
        reading >> 10,
        zlib[results] >> 10,
        zlib[results + 1] >> 10,
        zlib[results + 2]
    );
    assert!(writing < 64 << 20 && reading < 64 << 20, "resident growth");
    assert!(millis < 5000, "{millis} ms");
}

/// How many later gzclose calls a closed handle's address waits for before
/// a new handle may get it (rzlib's guarantee).
const QUARANTINE: usize = 1024;

/// A closed handle stays refused while new handles open and close, and
/// calls on it leave the new files alone; its address comes back only
/// after QUARANTINE later closes, so the quarantine stays bounded. In a
/// child, so that no other test's closes count.
#[test]
fn closed_handles_stay_refused_while_others_open() {
    let dir = scratch("stale");
    fs::create_dir_all(&dir).unwrap();
    let path = |i: usize| cstring(&dir.join(format!("{i}.gz")));
    let paths: Vec<CString> = (0..QUARANTINE + 64).map(path).collect();
    let numbers = in_child(Duration::from_secs(30), || {
        let mut buf = [0u8; 16];
        let refused = |stale: rz::gzFile, buf: &mut [u8; 16]| {
            // SAFETY: rzlib refuses a closed handle without reading it.
            unsafe {
                assert_eq!(rz::gzputs(stale, c"stale".as_ptr()), -1);
                assert_eq!(rz::gzread(stale, buf.as_mut_ptr().cast(), 16), -1);
                assert_eq!(rz::gzwrite(stale, buf.as_ptr().cast(), 16), 0);
                assert_eq!(rz::gzflush(stale, 0), -2);
                assert_eq!(rz::gzclose(stale), -2);
            }
        };
        // SAFETY: valid strings and buffers; each handle is closed once
        // (the stale one is only passed to calls that refuse it).
        unsafe {
            let stale = rz::gzopen(paths[0].as_ptr(), c"wb".as_ptr());
            assert!(!stale.is_null());
            assert_eq!(rz::gzclose(stale), 0);
            refused(stale, &mut buf);
            // Handles open at once: none gets the stale address.
            let open: Vec<rz::gzFile> = (1..65)
                .map(|i| rz::gzopen(paths[i].as_ptr(), c"wb".as_ptr()))
                .collect();
            for (i, &file) in open.iter().enumerate() {
                assert!(!file.is_null() && file != stale);
                let line = CString::new(format!("file {}\n", i + 1)).unwrap();
                assert!(rz::gzputs(file, line.as_ptr()) > 0);
                refused(stale, &mut buf);
            }
            // One handle after another, opened and closed: QUARANTINE - 1
            // later closes, and still no reuse.
            for (i, path) in paths.iter().enumerate().skip(65) {
                let file = rz::gzopen(path.as_ptr(), c"wb".as_ptr());
                assert!(!file.is_null() && file != stale, "reused after {i}");
                refused(stale, &mut buf);
                assert_eq!(rz::gzclose(file), 0);
            }
            for file in open {
                assert_eq!(rz::gzclose(file), 0);
            }
            // Every file holds its own data only.
            for (i, path) in paths.iter().enumerate().take(65) {
                let file = rz::gzopen(path.as_ptr(), c"rb".as_ptr());
                let mut back = [0u8; 64];
                let n = rz::gzread(file, back.as_mut_ptr().cast(), 64);
                assert_eq!(rz::gzclose(file), 0);
                let want = if i == 0 {
                    String::new()
                } else {
                    format!("file {i}\n")
                };
                assert_eq!(&back[..n as usize], want.as_bytes(), "file {i}");
            }
            // The quarantine is bounded: a run of opens and closes reuses
            // addresses instead of taking new memory without end.
            let mut seen = std::collections::HashSet::new();
            for _ in 0..4 * QUARANTINE {
                let file = rz::gzopen(paths[1].as_ptr(), c"rb".as_ptr());
                seen.insert(file as usize);
                assert_eq!(rz::gzclose(file), 0);
            }
            vec![seen.len() as u64]
        }
    });
    eprintln!(
        "addresses of 4 * QUARANTINE handles in turn: {}",
        numbers[0]
    );
    assert!(numbers[0] <= QUARANTINE as u64 + 1, "{numbers:?}");
}
