//! The gzip file exports: gzopen .. gzclose, over the safe core in
//! `crate::gz`. gzprintf and gzvprintf are variadic, which stable Rust
//! cannot define: they live in gzprintf.c and format into the buffer that
//! `rzlib_gzprintf_reserve` lends them.
//!
//! A gzFile points to a `Slot`: zlib's exposed `struct gzFile_s` first
//! (the `gzgetc` macro reads and advances it), then the core. Every call
//! copies the exposed fields into the core and back. Slots live in chunks
//! that are never freed, so any pointer can be checked against them without
//! reading through it: a call on anything but an open slot (a closed
//! handle, another zlib's gzFile) is refused. Each thread remembers the
//! last slot it found, so a run of calls on one handle costs one compare
//! and one atomic load, and gzputc and gzgetc_ cost what zlib's do.
//!
//! The registry takes no lock (only atomic operations), so a child forked
//! while another thread is inside a gz call can use gz files: a thread that
//! vanishes mid-update only leaks its slot. A closed slot waits in a
//! quarantine until `QUARANTINE` (1024) later gzclose calls have begun
//! before a new handle may reuse its address.

#![allow(non_camel_case_types)]

use core::cell::{Cell, UnsafeCell};
use core::ffi::{c_char, c_int, c_uchar, c_uint, CStr};
use core::mem::size_of;
use core::{ptr, slice};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};

use super::buffers;
use super::catch_panic;
use super::constants::Z_STREAM_ERROR;
use super::posix::Fd;
use super::types::{voidp, voidpc, z_off64_t, z_off_t, z_size_t};
use crate::gz::{GzFile, OpenMode};

/// The part of a gzFile that zlib exposes for its `gzgetc` macro: `have`
/// bytes of data ready at `next`, and the position in the data.
#[repr(C)]
#[derive(Debug)]
pub struct gzFile_s {
    /// Bytes ready at `next`.
    pub have: c_uint,
    /// The next byte of data.
    pub next: *mut c_uchar,
    /// The position in the uncompressed data.
    pub pos: z_off64_t,
}

/// A gzip file handle.
pub type gzFile = *mut gzFile_s;

/// What a gzFile points to. The cells are used only by the call that owns
/// the slot: the one call on an open handle (the C contract), or the open
/// or close that holds it while it is not open.
#[repr(C)]
struct Slot {
    exposed: UnsafeCell<gzFile_s>,
    /// [`OPEN`] while a handle lives here.
    state: AtomicU32,
    /// On the free list: the next free slot's index + 1 (0 for none).
    next_free: AtomicU32,
    core: UnsafeCell<Option<Box<GzFile<Fd>>>>,
    /// A call panicked on this handle: its state may be half updated, so
    /// every later call but gzclose is refused.
    broken: AtomicBool,
}

const OPEN: u32 = 1;
const NOT_OPEN: u32 = 0;

impl Slot {
    fn new() -> Slot {
        Slot {
            exposed: UnsafeCell::new(gzFile_s {
                have: 0,
                next: ptr::null_mut(),
                pos: 0,
            }),
            state: AtomicU32::new(NOT_OPEN),
            next_free: AtomicU32::new(0),
            core: UnsafeCell::new(None),
            broken: AtomicBool::new(false),
        }
    }
}

/// Slots in chunk 0; chunk `k` holds `FIRST << k`.
const FIRST: usize = 16;
/// Chunks, installed when first needed and never freed.
static CHUNKS: [AtomicPtr<Slot>; 28] = [const { AtomicPtr::new(ptr::null_mut()) }; 28];
/// Slots handed out so far by [`claim`] from fresh memory.
static FRESH: AtomicU32 = AtomicU32::new(0);
/// Slots ready for reuse (a stack): a tag that changes with every push and
/// pop (so a stale head is never taken for the current one) above the top
/// slot's index + 1.
static FREE: AtomicU64 = AtomicU64::new(0);
/// How many closed slots wait before their addresses may be reused.
const QUARANTINE: usize = 1024;
/// The closed slots waiting: each entry is the count of the gzclose that put
/// it there (low 32 bits of [`CLOSES`]) above the slot's index + 1.
static WAITING: [AtomicU64; QUARANTINE] = [const { AtomicU64::new(0) }; QUARANTINE];
/// gzclose calls that reached the quarantine.
static CLOSES: AtomicU32 = AtomicU32::new(0);

/// The chunk holding slot `index`, and the slot's place in it.
fn chunk_of(index: usize) -> (usize, usize) {
    let k = (index + FIRST).ilog2() as usize - FIRST.ilog2() as usize;
    (k, index + FIRST - (FIRST << k))
}

/// Chunk `k` if it is installed.
fn chunk(k: usize) -> Option<&'static [Slot]> {
    let base = CHUNKS.get(k)?.load(Ordering::Acquire);
    if base.is_null() {
        return None;
    }
    // SAFETY: an installed chunk is a leaked Box<[Slot]> of FIRST << k
    // slots, never freed; slots are only shared (their fields are cells).
    Some(unsafe { slice::from_raw_parts(base, FIRST << k) })
}

/// Chunk `k`, installed if need be; `None` if memory is refused.
fn install(k: usize) -> Option<&'static [Slot]> {
    if let Some(slots) = chunk(k) {
        return Some(slots);
    }
    let len = FIRST << k;
    let mut fresh = Vec::new();
    fresh.try_reserve_exact(len).ok()?;
    fresh.extend((0..len).map(|_| Slot::new()));
    let fresh = Box::into_raw(fresh.into_boxed_slice());
    let base = fresh.cast::<Slot>();
    if let Err(_other) =
        CHUNKS[k].compare_exchange(ptr::null_mut(), base, Ordering::AcqRel, Ordering::Acquire)
    {
        // SAFETY: another thread installed its chunk first; ours was never
        // shared and is freed once.
        drop(unsafe { Box::from_raw(fresh) });
    }
    chunk(k)
}

/// Slot `index`, whose chunk exists.
fn slot(index: u32) -> Option<&'static Slot> {
    let (k, at) = chunk_of(index as usize);
    chunk(k)?.get(at)
}

/// The slot that `file` points to, with its index, without reading through
/// `file`: only addresses inside the chunks count.
fn find(file: gzFile) -> Option<(u32, &'static Slot)> {
    let address = file as usize;
    (0..CHUNKS.len()).find_map(|k| {
        let slots = chunk(k)?;
        let offset = address.wrapping_sub(slots.as_ptr() as usize);
        let at = offset / size_of::<Slot>();
        if !offset.is_multiple_of(size_of::<Slot>()) || at >= slots.len() {
            return None;
        }
        let index = u32::try_from(FIRST * ((1 << k) - 1) + at).ok()?;
        Some((index, &slots[at]))
    })
}

/// Pushes slot `index` onto the free stack.
fn release(index: u32) {
    let Some(freed) = slot(index) else { return };
    let mut head = FREE.load(Ordering::Acquire);
    loop {
        freed.next_free.store(head as u32, Ordering::Relaxed);
        let tag = (head >> 32).wrapping_add(1);
        let new = tag << 32 | u64::from(index + 1);
        match FREE.compare_exchange_weak(head, new, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return,
            Err(now) => head = now,
        }
    }
}

/// A slot for a new handle, not open yet: a free one, or fresh memory.
fn claim() -> Option<&'static Slot> {
    let mut head = FREE.load(Ordering::Acquire);
    while head as u32 != 0 {
        let top = slot(head as u32 - 1)?;
        // Another thread may take `top` meanwhile: the tag then differs and
        // the exchange fails.
        let next = top.next_free.load(Ordering::Relaxed);
        let tag = (head >> 32).wrapping_add(1);
        match FREE.compare_exchange_weak(
            head,
            tag << 32 | u64::from(next),
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => return Some(top),
            Err(now) => head = now,
        }
    }
    let index = FRESH.fetch_add(1, Ordering::Relaxed);
    let (k, at) = chunk_of(index as usize);
    if k >= CHUNKS.len() {
        return None;
    }
    install(k)?.get(at)
}

/// Puts the closed slot `index` in quarantine, freeing the one that has
/// waited [`QUARANTINE`] closes (or this one, if a later close already took
/// its place).
fn quarantine(index: u32) {
    let count = CLOSES.fetch_add(1, Ordering::Relaxed);
    let place = &WAITING[count as usize % QUARANTINE];
    let mine = u64::from(count) << 32 | u64::from(index + 1);
    let mut current = place.load(Ordering::Acquire);
    loop {
        let (their_count, their_slot) = ((current >> 32) as u32, current as u32);
        // Counts compare modulo 2^32; places are QUARANTINE apart.
        if their_slot != 0 && (their_count.wrapping_sub(count) as i32) > 0 {
            release(index);
            return;
        }
        match place.compare_exchange_weak(current, mine, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => {
                if their_slot != 0 {
                    release(their_slot - 1);
                }
                return;
            }
            Err(now) => current = now,
        }
    }
}

thread_local! {
    /// The last slot this thread found, by address: a slot never moves, so
    /// a run of calls on one handle searches the chunks once.
    static LAST: Cell<Option<(gzFile, u32, &'static Slot)>> = const { Cell::new(None) };
}

/// The open slot that `file` points to, with its index; `None` for any
/// other value.
fn open_slot(file: gzFile) -> Option<(u32, &'static Slot)> {
    let (index, slot) = match LAST.get() {
        Some((last, index, slot)) if last == file => (index, slot),
        _ => {
            let (index, slot) = find(file)?;
            LAST.set(Some((file, index, slot)));
            (index, slot)
        }
    };
    (slot.state.load(Ordering::Acquire) == OPEN).then_some((index, slot))
}

/// The open handle `file`: its exposed fields and its core; `None` for any
/// other value.
///
/// # Safety
/// No other call on `file` runs meanwhile (the C contract).
unsafe fn handle<'a>(file: gzFile) -> Option<(&'a mut gzFile_s, &'a mut GzFile<Fd>)> {
    let (_, slot) = open_slot(file)?;
    // SAFETY: an open slot's cells belong to the one call on it, and its
    // core was set before it opened.
    unsafe {
        let core = (*slot.core.get()).as_deref_mut()?;
        Some((&mut *slot.exposed.get(), core))
    }
}

/// Takes in what the gzgetc macro did since the last call.
fn sync_in(exposed: &gzFile_s, core: &mut GzFile<Fd>) {
    let (output, have, next, _) = core.exposed();
    let left = exposed.have as usize;
    let taken = have.wrapping_sub(left);
    let consistent = left <= have && exposed.next == output.as_mut_ptr().wrapping_add(next + taken);
    core.sync_exposed(if consistent { taken } else { 0 }, exposed.pos);
}

/// Shows the core's ready data to the gzgetc macro.
fn sync_out(exposed: &mut gzFile_s, core: &mut GzFile<Fd>) {
    let (output, have, next, pos) = core.exposed();
    *exposed = gzFile_s {
        have: have as c_uint,
        next: output.as_mut_ptr().wrapping_add(next),
        pos,
    };
}

/// Runs `body` on the core of `file`, or returns `fallback` for a file that
/// is not rzlib's (or NULL), or one a panic broke. A panic in `body` never
/// reaches C: it breaks the handle, and only gzclose may use it again.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
unsafe fn with_file<R: Copy>(
    file: gzFile,
    fallback: R,
    body: impl FnOnce(&mut GzFile<Fd>) -> R,
) -> R {
    let Some((_, slot)) = open_slot(file) else {
        return fallback;
    };
    if slot.broken.load(Ordering::Relaxed) {
        return fallback;
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: per the contract.
        let Some((exposed, core)) = (unsafe { handle(file) }) else {
            return fallback;
        };
        sync_in(exposed, core);
        let result = body(core);
        sync_out(exposed, core);
        result
    }));
    outcome.unwrap_or_else(|_| {
        slot.broken.store(true, Ordering::Relaxed);
        fallback
    })
}

/// A new handle around `core`; NULL if memory is refused.
fn open_handle(core: GzFile<Fd>) -> gzFile {
    let Some(slot) = claim() else {
        let _ = core.close();
        return ptr::null_mut();
    };
    slot.broken.store(false, Ordering::Relaxed);
    // SAFETY: a claimed slot is not open and is held by this call alone.
    unsafe {
        let core = (*slot.core.get()).insert(Box::new(core));
        sync_out(&mut *slot.exposed.get(), core);
    }
    slot.state.store(OPEN, Ordering::Release);
    slot.exposed.get()
}

/// The mode string, parsed.
///
/// # Safety
/// `mode` is NULL or a NUL-terminated string.
unsafe fn parse_mode(mode: *const c_char) -> Option<OpenMode> {
    // SAFETY: per the contract.
    OpenMode::parse(unsafe { mode.as_ref().map(|m| CStr::from_ptr(m)) }?.to_bytes())
}

/// Opens the gzip file at `path` for reading (`"r"`) or writing (`"w"`,
/// `"a"`), with the options of the `mode` string as zlib reads them:
/// a level digit, `f`/`h`/`R`/`F` for the strategy, `T` to write
/// uncompressed, `G` to read gzip only, `x` exclusive, `e` close-on-exec,
/// `N` non-blocking. Reading accepts data that is not gzip and copies it.
///
/// # Returns
/// The handle, or NULL if the mode is invalid or the file cannot be opened
/// (errno tells why).
///
/// # Safety
/// `path` and `mode` are NULL or NUL-terminated strings.
#[export_name = symbol!("gzopen")]
pub unsafe extern "C" fn gzopen(path: *const c_char, mode: *const c_char) -> gzFile {
    catch_panic(ptr::null_mut(), || {
        // SAFETY: per the contract.
        let Some(mode) = (unsafe { parse_mode(mode) }) else {
            return ptr::null_mut();
        };
        if path.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: `path` is a C string per the contract.
        let Some(fd) = (unsafe { Fd::open(path, &mode) }) else {
            return ptr::null_mut();
        };
        // SAFETY: as above.
        let name = unsafe { CStr::from_ptr(path) }.to_bytes().to_vec();
        open_handle(GzFile::new(fd, name, &mode))
    })
}

/// `gzopen` (offsets are 64-bit in either).
///
/// # Returns
/// As `gzopen`.
///
/// # Safety
/// As `gzopen`.
#[export_name = symbol!("gzopen64")]
pub unsafe extern "C" fn gzopen64(path: *const c_char, mode: *const c_char) -> gzFile {
    // SAFETY: forwarded under the same contract.
    unsafe { gzopen(path, mode) }
}

/// Opens descriptor `fd` as a gzip file, as `gzopen` opens a path; the
/// handle owns `fd` and `gzclose` closes it. Error messages name it
/// `<fd:N>`.
///
/// # Returns
/// The handle, or NULL for `fd` -1 or an invalid mode.
///
/// # Safety
/// `mode` is NULL or a NUL-terminated string.
#[export_name = symbol!("gzdopen")]
pub unsafe extern "C" fn gzdopen(fd: c_int, mode: *const c_char) -> gzFile {
    catch_panic(ptr::null_mut(), || {
        // SAFETY: per the contract.
        let mode = unsafe { parse_mode(mode) };
        let Some(mode) = mode.filter(|_| fd != -1) else {
            return ptr::null_mut();
        };
        let name = format!("<fd:{fd}>").into_bytes();
        open_handle(GzFile::new(Fd::adopt(fd, &mode), name, &mode))
    })
}

/// Sets the size of the buffers (8192 by default; at least 8) before the
/// first read or write. Reading uses `size` bytes of input and twice that
/// of output; writing the reverse.
///
/// # Returns
/// 0, or -1 for a NULL file, buffers already in use, or a size too large.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzbuffer")]
pub unsafe extern "C" fn gzbuffer(file: gzFile, size: c_uint) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.set_buffer(size)) }
}

/// Changes the compression level and strategy for the data written next;
/// the data so far is compressed with the old ones first.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for a NULL, reading or transparent file or an
/// earlier error, or the error of writing the data so far.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzsetparams")]
pub unsafe extern "C" fn gzsetparams(file: gzFile, level: c_int, strategy: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, Z_STREAM_ERROR, |gz| gz.set_params(level, strategy)) }
}

/// Reads up to `len` uncompressed bytes into `buf`. Reading continues
/// across gzip members; data that is not gzip is copied as is.
///
/// # Returns
/// The bytes read (less than `len` at the end of the data), 0 at the end,
/// or -1 on an error (see `gzerror`) or a NULL `file`/`buf`.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is
/// writable for `len` bytes.
#[export_name = symbol!("gzread")]
pub unsafe extern "C" fn gzread(file: gzFile, buf: voidp, len: c_uint) -> c_int {
    if buf.is_null() && len != 0 {
        return -1;
    }
    // SAFETY: per the contract.
    unsafe {
        with_file(file, -1, |gz| {
            gz.read(&mut buffers::output(buf.cast(), len as usize))
        })
    }
}

/// Reads up to `nitems` items of `size` bytes into `buf`, like fread.
///
/// # Returns
/// The number of whole items read; 0 at the end, on an error, or if
/// `size * nitems` overflows.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is
/// writable for `size * nitems`
/// bytes.
#[export_name = symbol!("gzfread")]
pub unsafe extern "C" fn gzfread(
    buf: voidp,
    size: z_size_t,
    nitems: z_size_t,
    file: gzFile,
) -> z_size_t {
    let len = size.checked_mul(nitems).unwrap_or(0);
    if buf.is_null() && len != 0 {
        return 0;
    }
    // SAFETY: per the contract.
    unsafe {
        with_file(file, 0, |gz| {
            gz.read_items(&mut buffers::output(buf.cast(), len), size, nitems)
        })
    }
}

/// Compresses and writes `len` bytes from `buf`.
///
/// # Returns
/// `len`, or 0 on an error (see `gzerror`).
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is readable for `len` bytes.
#[export_name = symbol!("gzwrite")]
pub unsafe extern "C" fn gzwrite(file: gzFile, buf: voidpc, len: c_uint) -> c_int {
    if buf.is_null() && len != 0 {
        return 0;
    }
    // SAFETY: per the contract.
    unsafe {
        with_file(file, 0, |gz| {
            gz.write(buffers::input(buf.cast(), len as usize))
        })
    }
}

/// Compresses and writes `nitems` items of `size` bytes, like fwrite.
///
/// # Returns
/// `nitems`, or 0 on an error or if `size * nitems` overflows.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is
/// readable for `size * nitems` bytes.
#[export_name = symbol!("gzfwrite")]
pub unsafe extern "C" fn gzfwrite(
    buf: voidpc,
    size: z_size_t,
    nitems: z_size_t,
    file: gzFile,
) -> z_size_t {
    let len = size.checked_mul(nitems).unwrap_or(0);
    if buf.is_null() && len != 0 {
        return 0;
    }
    // SAFETY: per the contract.
    unsafe {
        with_file(file, 0, |gz| {
            gz.write_items(buffers::input(buf.cast(), len), size, nitems)
        })
    }
}

/// Writes the string `s` without its terminating NUL.
///
/// # Returns
/// The number of characters written, or -1 on an error.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `s` is NULL
/// or a NUL-terminated string.
#[export_name = symbol!("gzputs")]
pub unsafe extern "C" fn gzputs(file: gzFile, s: *const c_char) -> c_int {
    if s.is_null() {
        return -1;
    }
    // SAFETY: `s` is a C string per the contract.
    let text = unsafe { CStr::from_ptr(s) }.to_bytes();
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.puts(text)) }
}

/// Reads a line: up to `len - 1` bytes, through the first newline, then a
/// terminating NUL.
///
/// # Returns
/// `buf`, or NULL if nothing was read (end of data or an error) or for a
/// NULL `file`/`buf` or `len` < 1.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is
/// writable for `len` bytes.
#[export_name = symbol!("gzgets")]
pub unsafe extern "C" fn gzgets(file: gzFile, buf: *mut c_char, len: c_int) -> *mut c_char {
    let Ok(len) = usize::try_from(len) else {
        return ptr::null_mut();
    };
    if buf.is_null() || len == 0 {
        return ptr::null_mut();
    }
    // SAFETY: per the contract.
    let read = unsafe {
        with_file(file, None, |gz| {
            gz.gets(&mut buffers::output(buf.cast(), len))
        })
    };
    if read.is_some() {
        buf
    } else {
        ptr::null_mut()
    }
}

/// Writes the byte `c` (converted to unsigned char).
///
/// # Returns
/// The byte written, or -1 on an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzputc")]
pub unsafe extern "C" fn gzputc(file: gzFile, c: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.putc(c)) }
}

/// Reads one byte. zlib.h's `gzgetc` macro reads ready bytes itself and
/// calls this only when there are none.
///
/// # Returns
/// The byte, or -1 at the end of the data or on an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzgetc")]
pub unsafe extern "C" fn gzgetc(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.getc()) }
}

/// `gzgetc` as a function, for older programs.
///
/// # Returns
/// As `gzgetc`.
///
/// # Safety
/// As `gzgetc`.
#[export_name = symbol!("gzgetc_")]
pub unsafe extern "C" fn gzgetc_(file: gzFile) -> c_int {
    // SAFETY: forwarded under the same contract.
    unsafe { gzgetc(file) }
}

/// Pushes `c` back so that the next read returns it first; at least one
/// byte can always be pushed back, more while the buffer has room.
///
/// # Returns
/// `c`, or -1 for a negative `c`, no room, or an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzungetc")]
pub unsafe extern "C" fn gzungetc(c: c_int, file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.ungetc(c)) }
}

/// Compresses what was written so far with `flush` (`Z_NO_FLUSH` ..
/// `Z_FINISH`; `Z_FINISH` ends the gzip member, and later data starts a
/// new one) and writes it to the file.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for a bad file or flush value, or the error of
/// writing.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzflush")]
pub unsafe extern "C" fn gzflush(file: gzFile, flush: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, Z_STREAM_ERROR, |gz| gz.flush(flush)) }
}

/// Moves to `offset` in the uncompressed data, from the start (`SEEK_SET`)
/// or the current position (`SEEK_CUR`). Reading may go backwards (by
/// starting over); writing only forwards, with zeros. The move happens at
/// the next read or write.
///
/// # Returns
/// The new position, or -1 on an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzseek64")]
pub unsafe extern "C" fn gzseek64(file: gzFile, offset: z_off64_t, whence: c_int) -> z_off64_t {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.seek(offset, whence)) }
}

/// `gzseek64` with a `z_off_t` offset.
///
/// # Returns
/// As `gzseek64`; -1 if the position does not fit in a `z_off_t`.
///
/// # Safety
/// As `gzseek64`.
#[export_name = symbol!("gzseek")]
pub unsafe extern "C" fn gzseek(file: gzFile, offset: z_off_t, whence: c_int) -> z_off_t {
    // z_off_t is 64-bit on LP64 targets, narrower elsewhere.
    #[allow(clippy::useless_conversion)]
    let offset = z_off64_t::from(offset);
    // SAFETY: forwarded under the same contract.
    narrow(unsafe { gzseek64(file, offset, whence) })
}

/// A 64-bit position as a `z_off_t`: -1 where it does not fit, as zlib's
/// 32-bit functions answer.
fn narrow(at: z_off64_t) -> z_off_t {
    z_off_t::try_from(at).unwrap_or(-1)
}

/// Rewinds a file being read to the start of its data.
///
/// # Returns
/// 0, or -1 on an error or for a file being written.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzrewind")]
pub unsafe extern "C" fn gzrewind(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.rewind()) }
}

/// The position in the uncompressed data.
///
/// # Returns
/// The position, or -1 for a NULL file.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gztell64")]
pub unsafe extern "C" fn gztell64(file: gzFile) -> z_off64_t {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.tell()) }
}

/// `gztell64` as a `z_off_t`.
///
/// # Returns
/// As `gztell64`; -1 if the position does not fit.
///
/// # Safety
/// As `gztell64`.
#[export_name = symbol!("gztell")]
pub unsafe extern "C" fn gztell(file: gzFile) -> z_off_t {
    // SAFETY: forwarded under the same contract.
    narrow(unsafe { gztell64(file) })
}

/// The offset in the (compressed) file: where reading has got to,
/// excluding buffered input, or how much has been written.
///
/// # Returns
/// The offset, or -1 on an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzoffset64")]
pub unsafe extern "C" fn gzoffset64(file: gzFile) -> z_off64_t {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.offset()) }
}

/// `gzoffset64` as a `z_off_t`.
///
/// # Returns
/// As `gzoffset64`; -1 if the offset does not fit.
///
/// # Safety
/// As `gzoffset64`.
#[export_name = symbol!("gzoffset")]
pub unsafe extern "C" fn gzoffset(file: gzFile) -> z_off_t {
    // SAFETY: forwarded under the same contract.
    narrow(unsafe { gzoffset64(file) })
}

/// Whether a read went past the end of the data.
///
/// # Returns
/// 1 if so, else 0 (always 0 when writing).
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzeof")]
pub unsafe extern "C" fn gzeof(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, 0, |gz| c_int::from(gz.eof())) }
}

/// Whether the data is copied as is (not gzip) rather than decompressed,
/// or written uncompressed (`T`).
///
/// # Returns
/// 1 if so, else 0.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzdirect")]
pub unsafe extern "C" fn gzdirect(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, 0, |gz| c_int::from(gz.direct())) }
}

/// Closes a file opened for reading or writing, as `gzclose_r` or
/// `gzclose_w`, and frees the handle.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for a NULL or foreign file, `Z_ERRNO` if
/// closing fails, `Z_BUF_ERROR` if the data being read ended early, or the
/// error of writing the rest.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used; it is closed afterwards.
#[export_name = symbol!("gzclose")]
pub unsafe extern "C" fn gzclose(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { close(file, None) }
}

/// Closes a file opened for reading.
///
/// # Returns
/// As `gzclose`; `Z_STREAM_ERROR` (and nothing closed) for a file being
/// written.
///
/// # Safety
/// As `gzclose`.
#[export_name = symbol!("gzclose_r")]
pub unsafe extern "C" fn gzclose_r(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { close(file, Some(true)) }
}

/// Closes a file opened for writing, finishing its gzip member.
///
/// # Returns
/// As `gzclose`; `Z_STREAM_ERROR` (and nothing closed) for a file being
/// read.
///
/// # Safety
/// As `gzclose`.
#[export_name = symbol!("gzclose_w")]
pub unsafe extern "C" fn gzclose_w(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { close(file, Some(false)) }
}

/// Closes `file` if it is rzlib's and, when `reading` says so, opened for
/// reading (`Some(true)`) or writing (`Some(false)`).
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
unsafe fn close(file: gzFile, reading: Option<bool>) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        let Some((index, slot)) = open_slot(file) else {
            return Z_STREAM_ERROR;
        };
        // SAFETY: per the contract, this is the one call on the handle.
        let Some(core) = (unsafe { (*slot.core.get()).as_deref() }) else {
            return Z_STREAM_ERROR;
        };
        if reading.is_some_and(|r| r != core.is_reading()) {
            return Z_STREAM_ERROR;
        }
        // Closed from here on: every later call is refused.
        if slot
            .state
            .compare_exchange(OPEN, NOT_OPEN, Ordering::AcqRel, Ordering::Relaxed)
            .is_err()
        {
            return Z_STREAM_ERROR;
        }
        // SAFETY: the slot is no longer open, and this call holds it until
        // the quarantine.
        let core = unsafe { (*slot.core.get()).take() };
        quarantine(index);
        core.map_or(Z_STREAM_ERROR, |core| core.close())
    })
}

/// The last error: its code in `*errnum` (when not NULL) and its message,
/// which starts with the file's name.
///
/// # Returns
/// The message ("" for none), valid until the next call on `file`; NULL for
/// a NULL file.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `errnum` is NULL or writable.
#[export_name = symbol!("gzerror")]
pub unsafe extern "C" fn gzerror(file: gzFile, errnum: *mut c_int) -> *const c_char {
    // SAFETY: per the contract.
    unsafe {
        with_file(file, ptr::null(), |gz| {
            let (code, text) = gz.error();
            if let Some(errnum) = errnum.as_mut() {
                *errnum = code;
            }
            text.as_ptr()
        })
    }
}

/// Clears the error and end-of-file flags.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzclearerr")]
pub unsafe extern "C" fn gzclearerr(file: gzFile) {
    // SAFETY: per the contract.
    unsafe { with_file(file, (), |gz| gz.clear_error()) }
}

/// gzvprintf's first half (gzprintf.c): makes room in `file`'s buffer and
/// lends it: `*buffer` gets where to format and `*size` how many bytes,
/// NUL included.
///
/// # Returns
/// 0 when lent; otherwise the value gzprintf returns.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buffer` and `size` are writable.
/// cbindgen:ignore
#[cfg_attr(not(rzlib_gzprintf_jumps), no_mangle)]
pub(crate) unsafe extern "C" fn rzlib_gzprintf_reserve(
    file: gzFile,
    buffer: *mut *mut c_char,
    size: *mut c_uint,
) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_file(file, Z_STREAM_ERROR, |gz| match gz.printf_reserve() {
            Ok((offset, len)) => {
                let lent = gz.printf_buffer()[offset..].as_mut_ptr();
                *buffer = lent.cast();
                *size = len as c_uint;
                0
            }
            Err(code) => code,
        })
    }
}

/// gzvprintf's second half: `len` is what vsnprintf returned into the lent
/// buffer and `terminated` whether its last byte is still NUL.
///
/// # Returns
/// gzprintf's result: `len`, 0 if the text did not fit, or an error code.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
/// cbindgen:ignore
#[cfg_attr(not(rzlib_gzprintf_jumps), no_mangle)]
pub(crate) unsafe extern "C" fn rzlib_gzprintf_commit(
    file: gzFile,
    len: c_int,
    terminated: c_int,
) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_file(file, Z_STREAM_ERROR, |gz| {
            gz.printf_commit(len, terminated != 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_breaks_the_handle_until_it_is_closed() {
        let path = std::env::temp_dir().join(format!("rzlib-broken-{}.gz", std::process::id()));
        let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path and mode.
        let file = unsafe { gzopen(c_path.as_ptr(), c"wb".as_ptr()) };
        assert!(!file.is_null());
        // SAFETY: `file` is an open handle used from this thread only.
        unsafe {
            assert_eq!(gzputs(file, c"before".as_ptr()), 6);
            assert_eq!(
                with_file(file, -1, |_| -> i32 { panic!("a bug in the core") }),
                -1
            );
            // Refused from now on, as a closed handle is.
            assert_eq!(gzputs(file, c"after".as_ptr()), -1);
            assert_eq!(gzflush(file, 0), Z_STREAM_ERROR);
            // gzclose still frees it (and closes the descriptor).
            assert_eq!(gzclose(file), 0);
            assert_eq!(gzclose(file), Z_STREAM_ERROR);
        }
        let _ = std::fs::remove_file(path);
    }
}
