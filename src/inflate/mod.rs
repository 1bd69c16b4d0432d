//! Decompression: zlib's `inflate` as a safe, resumable state machine.
//!
//! [`Inflater`] holds everything zlib's `inflate_state` holds. Each call
//! ([`Inflater::inflate`]) gets a [`Stream`]: the caller's input and output
//! slices plus the scalar `z_stream` fields, which it updates exactly as zlib
//! updates them (how much input is taken, how much output written, the
//! totals, `adler`, `data_type` and `msg`), so that the C API in
//! `crate::c_api::inflate` is a thin translation.
//!
//! Modules: [`bits`] (the bit reader), [`entry`] (table entries),
//! [`huffman`] (decoding tables), `window` (history), `fast` (the hot
//! loop), `machine` (the resumable decoder), [`messages`] (zlib's error
//! strings).
//!
//! Output goes through a [`Writer`]: the core reads back only bytes it has
//! written and writes nothing past the bytes it produces. The module is
//! safe Rust; only the fast loop's CPU dispatch (BMI2) is allowed `unsafe`.

#![deny(unsafe_code)]

pub mod back;
pub mod bits;
pub mod entry;
mod fast;
pub mod huffman;
mod machine;
pub mod messages;
mod window;

use core::ffi::CStr;

use entry::{DistEntry, LitEntry};
use huffman::CodeKind;
use window::Window;

use crate::memory::{Heap, Memory};
use crate::writer::Writer;

/// zlib's return codes, with their zlib values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Code {
    /// `Z_OK`.
    Ok = 0,
    /// `Z_STREAM_END`.
    StreamEnd = 1,
    /// `Z_NEED_DICT`.
    NeedDict = 2,
    /// `Z_STREAM_ERROR`.
    StreamError = -2,
    /// `Z_DATA_ERROR`.
    DataError = -3,
    /// `Z_MEM_ERROR`.
    MemError = -4,
    /// `Z_BUF_ERROR`.
    BufError = -5,
}

/// The flush argument, as far as inflate distinguishes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flush {
    /// `Z_NO_FLUSH`, `Z_SYNC_FLUSH` and any other value inflate ignores.
    None,
    /// `Z_FINISH`: a call that does not end the stream reports `Z_BUF_ERROR`.
    Finish,
    /// `Z_BLOCK`: stop at block boundaries.
    Block,
    /// `Z_TREES`: stop at block boundaries and after each block header.
    Trees,
}

impl Flush {
    /// Reads zlib's integer flush value (anything unknown acts as `Z_NO_FLUSH`).
    pub fn from_raw(flush: i32) -> Flush {
        match flush {
            4 => Flush::Finish,
            5 => Flush::Block,
            6 => Flush::Trees,
            _ => Flush::None,
        }
    }
}

/// What a call does to `strm->msg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    /// Left as it was.
    Unchanged,
    /// Set to NULL.
    Clear,
    /// Set to this text.
    Set(&'static CStr),
}

/// The scalar `z_stream` fields inflate reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fields {
    /// `total_in`.
    pub total_in: u64,
    /// `total_out`.
    pub total_out: u64,
    /// `adler`.
    pub adler: u64,
    /// `data_type`.
    pub data_type: i32,
    /// The change to `msg`.
    pub msg: Message,
}

impl Fields {
    /// Fields of a fresh stream (zeros, `msg` untouched).
    pub fn new() -> Fields {
        Fields {
            total_in: 0,
            total_out: 0,
            adler: 0,
            data_type: 0,
            msg: Message::Unchanged,
        }
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}

/// One call's view of a stream: the input and output of the call, what the
/// call took and wrote, and the scalar fields.
pub struct Stream<'a, 'o> {
    /// Input available to this call (`next_in`, `avail_in`).
    pub input: &'a [u8],
    /// Output space for this call (`next_out`, `avail_out`), which may be
    /// uninitialised: the call writes it from the front.
    pub output: Writer<'o>,
    /// Set by the call: input bytes taken from the front of `input`.
    pub consumed: usize,
    /// Set by the call: output bytes written to the front of `output`
    /// (its [`Writer::len`]).
    pub produced: usize,
    /// The scalar fields.
    pub fields: Fields,
}

impl<'a, 'o> Stream<'a, 'o> {
    /// A view over `input` and `output` (initialised bytes, as a Rust
    /// caller has them) with the given fields.
    pub fn new(input: &'a [u8], output: &'o mut [u8], fields: Fields) -> Self {
        Stream::with_output(input, Writer::from_bytes(output), fields)
    }

    /// A view over `input` and an output that may be uninitialised.
    pub fn with_output(input: &'a [u8], output: Writer<'o>, fields: Fields) -> Self {
        Stream {
            input,
            output,
            consumed: 0,
            produced: 0,
            fields,
        }
    }
}

/// One of the `gz_header` buffers inflate fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderField {
    /// `extra` (`extra_max` bytes).
    Extra,
    /// `name` (`name_max` bytes).
    Name,
    /// `comment` (`comm_max` bytes).
    Comment,
}

/// The caller's `extra`, `name` and `comment` buffers. inflate never sees
/// them: it hands over bytes and offsets, and the implementation writes
/// what fits within the buffer's size (nothing for a missing buffer). The
/// C boundary writes through the caller's pointers, so no reference to a
/// buffer that may overlap the output is ever made.
pub trait HeaderBuffers {
    /// Writes `bytes` at offset `at` of `field`'s buffer, as many as fit;
    /// returns how many were written (0 without a buffer).
    fn put(&mut self, field: HeaderField, at: usize, bytes: &[u8]) -> usize;
    /// The stream has no such field: zlib sets the pointer to NULL.
    fn absent(&mut self, field: HeaderField);
}

/// The caller's `gz_header` as one call sees it: the scalar fields, and
/// its buffers behind [`HeaderBuffers`].
pub struct GzipHeader<'a> {
    /// `text`.
    pub text: i32,
    /// `time`.
    pub time: u64,
    /// `xflags`.
    pub xflags: i32,
    /// `os`.
    pub os: i32,
    /// `extra_len`: the extra field's full length.
    pub extra_len: u32,
    /// `hcrc`.
    pub hcrc: i32,
    /// `done`: 1 once the header is complete, -1 if the stream is not gzip.
    pub done: i32,
    /// `extra`, `name` and `comment`.
    pub buffers: &'a mut dyn HeaderBuffers,
}

/// The states of zlib's decoder, in zlib's order (comparisons matter).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Head,
    Flags,
    Time,
    Os,
    ExLen,
    Extra,
    Name,
    Comment,
    HeaderCrc,
    DictId,
    Dict,
    Type,
    TypeDo,
    Stored,
    CopyStart,
    Copy,
    Table,
    LenLens,
    CodeLens,
    LenStart,
    Len,
    LenExt,
    Dist,
    DistExt,
    Match,
    Lit,
    Check,
    Length,
    Done,
    Bad,
    /// A window allocation failed; every call answers Z_MEM_ERROR.
    Mem,
    Sync,
}

/// Root index width of literal/length tables: wider than zlib's 9, so that
/// nearly all literal codes of binary data resolve at the root.
const LIT_ROOT_BITS: u32 = 11;
/// Root index width of distance tables (zlib's is 6).
const DIST_ROOT_BITS: u32 = 8;
/// Root width of the code-length code (zlib's, and the longest such code).
const CODE_LENGTH_ROOT_BITS: u32 = 7;
/// zlib's root widths, which `inflateCodesUsed` reflects.
const ZLIB_LIT_ROOT_BITS: u32 = 9;
const ZLIB_DIST_ROOT_BITS: u32 = 6;
/// Table sizes: the most entries (root plus sub-tables) any code needs at
/// the root widths above, found by zlib's examples/enough.c ("enough 286
/// 11 15" and "enough 30 8 15"; zlib's own ENOUGH is 852 + 592). With
/// 2-byte literal/length and 4-byte distance entries they take 6,280
/// bytes, and the 320 code lengths (one byte each) 320 more: together
/// less than zlib's 5,776-byte `codes` and its 1,216 bytes of `lens` and
/// `work`.
pub(crate) const LIT_TABLE_SIZE: usize = 2340;
pub(crate) const DIST_TABLE_SIZE: usize = 400;
// The fast loop indexes the roots without bounds checks.
const _: () =
    assert!(1 << LIT_ROOT_BITS <= LIT_TABLE_SIZE && 1 << DIST_ROOT_BITS <= DIST_TABLE_SIZE);

/// The fixed code's tables.
struct FixedTables {
    lit: [LitEntry; LIT_TABLE_SIZE],
    lit_bits: u32,
    dist: [DistEntry; DIST_TABLE_SIZE],
    dist_bits: u32,
}

impl FixedTables {
    fn build() -> FixedTables {
        let mut lit = [LitEntry(0); LIT_TABLE_SIZE];
        let mut dist = [DistEntry(0); DIST_TABLE_SIZE];
        let lit_bits = huffman::build(
            CodeKind::LiteralLength,
            &huffman::fixed_literal_lengths(),
            LIT_ROOT_BITS,
            &mut lit,
        )
        .map_or(9, |b| b.root_bits);
        let dist_bits = huffman::build(
            CodeKind::Distance,
            &huffman::fixed_distance_lengths(),
            DIST_ROOT_BITS,
            &mut dist,
        )
        .map_or(5, |b| b.root_bits);
        FixedTables {
            lit,
            lit_bits,
            dist,
            dist_bits,
        }
    }
}

std::thread_local! {
    /// Built once per thread, on first use. Not a process-wide lazy
    /// static: a child forked while another thread held such a static's
    /// initialisation lock would wait for it forever.
    static FIXED: FixedTables = FixedTables::build();
}

/// Copies the fixed code's tables into `lit` and `dist`; returns their
/// root widths.
pub(crate) fn load_fixed_tables(
    lit: &mut [LitEntry; LIT_TABLE_SIZE],
    dist: &mut [DistEntry; DIST_TABLE_SIZE],
) -> (u32, u32) {
    FIXED.with(|fixed| {
        *lit = fixed.lit;
        *dist = fixed.dist;
        (fixed.lit_bits, fixed.dist_bits)
    })
}

/// A decompression stream's state (zlib's `inflate_state`), its window
/// from `M`.
pub struct Inflater<M: Memory = Heap> {
    mode: Mode,
    /// The current block is the last one.
    last: bool,
    /// Bit 0: zlib wrapper allowed; bit 1: gzip allowed; bit 2: verify checks.
    wrap: u32,
    havedict: bool,
    /// gzip header flags; 0 for zlib; -1 before a header is seen.
    flags: i32,
    /// Running Adler-32 or CRC-32.
    check: u32,
    /// Bytes written in total, for the gzip length check.
    total: u64,
    /// `inflateGetHeader` registered a header for this stream.
    header: bool,
    wbits: u32,
    window: Window<M::Buffer<u8>>,
    /// Where the window comes from.
    memory: M,
    hold: u64,
    bits: u32,
    /// Stored bytes left, header field bytes done, or match length.
    length: u32,
    offset: u32,
    extra: u32,
    /// `lit_table` and `dist_table` hold the fixed code's tables.
    fixed_loaded: bool,
    lit_bits: u32,
    dist_bits: u32,
    ncode: u32,
    nlen: u32,
    ndist: u32,
    /// Code lengths read so far, or sync pattern bytes found.
    have: u32,
    lens: [u8; 320],
    lit_table: [LitEntry; LIT_TABLE_SIZE],
    dist_table: [DistEntry; DIST_TABLE_SIZE],
    codes_used: usize,
    /// `codes_used` is stale: the figure follows from the literal/length
    /// and distance lengths in `lens`, counted only when asked for.
    codes_from_lens: bool,
    /// Bits of the current symbol taken, -1 at a block boundary.
    back: i32,
    /// The match length before copying started.
    was: u32,
}

impl Inflater {
    /// A stream for `window_bits` as `inflateInit2` reads it (8..=15 zlib,
    /// -8..=-15 raw, +16 gzip, +32 auto-detect, 0 = the header's size), with
    /// `fields` reset as `inflateInit2` resets them; its window comes from
    /// the Rust heap.
    ///
    /// # Errors
    /// [`Code::StreamError`] for an invalid `window_bits`.
    pub fn new(window_bits: i32, fields: &mut Fields) -> Result<Inflater, Code> {
        Inflater::with_memory(window_bits, fields, Heap)
    }
}

impl<M: Memory> Inflater<M> {
    /// [`Inflater::new`] with the window, once needed, from `memory`.
    ///
    /// # Errors
    /// [`Code::StreamError`] for an invalid `window_bits`.
    pub fn with_memory(
        window_bits: i32,
        fields: &mut Fields,
        memory: M,
    ) -> Result<Inflater<M>, Code> {
        let mut inflater = Inflater {
            mode: Mode::Head,
            last: false,
            wrap: 0,
            havedict: false,
            flags: -1,
            check: 0,
            total: 0,
            header: false,
            wbits: 0,
            window: Window::new(),
            memory,
            hold: 0,
            bits: 0,
            length: 0,
            offset: 0,
            extra: 0,
            fixed_loaded: false,
            lit_bits: 0,
            dist_bits: 0,
            ncode: 0,
            nlen: 0,
            ndist: 0,
            have: 0,
            lens: [0; 320],
            lit_table: [LitEntry(0); LIT_TABLE_SIZE],
            dist_table: [DistEntry(0); DIST_TABLE_SIZE],
            codes_used: 0,
            codes_from_lens: false,
            back: -1,
            was: 0,
        };
        match inflater.reset2(window_bits, fields) {
            Code::Ok => Ok(inflater),
            code => Err(code),
        }
    }

    /// zlib's updatewindow: appends `recent` to the window, whose storage
    /// comes from the stream's memory on first use. When the memory refuses,
    /// the stream turns to [`Mode::Mem`] and this returns `false`.
    fn update_window(&mut self, recent: &[u8]) -> bool {
        let memory = &self.memory;
        let updated = self.window.update(self.wbits, recent, |n| memory.zeroed(n));
        if !updated {
            self.mode = Mode::Mem;
        }
        updated
    }

    /// An independent copy (zlib's inflateCopy) whose window, if this one
    /// has one, comes from `memory`; `None` if it refuses.
    pub fn try_clone(&self, memory: M) -> Option<Inflater<M>> {
        let window = self.window.try_clone(|buf| memory.copy_of(buf))?;
        Some(Inflater {
            window,
            memory,
            ..*self
        })
    }

    /// `inflateResetKeep`: starts a new stream, keeping the window.
    pub fn reset_keep(&mut self, fields: &mut Fields) {
        fields.total_in = 0;
        fields.total_out = 0;
        self.total = 0;
        fields.msg = Message::Clear;
        fields.data_type = 0;
        if self.wrap != 0 {
            fields.adler = u64::from(self.wrap & 1);
        }
        self.mode = Mode::Head;
        self.last = false;
        self.havedict = false;
        self.flags = -1;
        self.header = false;
        self.hold = 0;
        self.bits = 0;
        self.codes_used = 0;
        self.codes_from_lens = false;
        self.back = -1;
    }

    /// `inflateReset`: starts a new stream and forgets the window.
    pub fn reset(&mut self, fields: &mut Fields) {
        self.window.clear();
        self.reset_keep(fields);
    }

    /// `inflateReset2`: [`Inflater::reset`] with a new `window_bits`.
    pub fn reset2(&mut self, window_bits: i32, fields: &mut Fields) -> Code {
        let (wrap, bits) = if window_bits < 0 {
            if window_bits < -15 {
                return Code::StreamError;
            }
            (0, -window_bits)
        } else {
            let wrap = ((window_bits >> 4) + 5) as u32;
            (
                wrap,
                if window_bits < 48 {
                    window_bits & 15
                } else {
                    window_bits
                },
            )
        };
        if bits != 0 && !(8..=15).contains(&bits) {
            return Code::StreamError;
        }
        self.wrap = wrap;
        self.wbits = bits as u32;
        self.reset(fields);
        Code::Ok
    }

    /// `inflatePrime`: inserts `bits` bits of `value` into the input.
    pub fn prime(&mut self, bits: i32, value: i32) -> Code {
        if bits == 0 {
            return Code::Ok;
        }
        if bits < 0 {
            self.hold = 0;
            self.bits = 0;
            return Code::Ok;
        }
        if bits > 16 || self.bits + bits as u32 > 32 {
            return Code::StreamError;
        }
        let value = i64::from(value) & ((1i64 << bits) - 1);
        self.hold = self.hold.wrapping_add((value as u64) << self.bits);
        self.bits += bits as u32;
        Code::Ok
    }

    /// `inflateSetDictionary`.
    ///
    /// Returns [`Code::StreamError`] unless the stream is raw or waiting for
    /// a dictionary, [`Code::DataError`] if a zlib stream asked for a
    /// different one.
    pub fn set_dictionary(&mut self, dictionary: &[u8]) -> Code {
        if self.wrap != 0 && self.mode != Mode::Dict {
            return Code::StreamError;
        }
        if self.mode == Mode::Dict && crate::checksum::adler32(1, dictionary) != self.check {
            return Code::DataError;
        }
        if !self.update_window(dictionary) {
            return Code::MemError;
        }
        self.havedict = true;
        Code::Ok
    }

    /// `inflateGetDictionary`: writes the window, oldest byte first, to
    /// `dictionary` (as much as fits) when it is given and the window is
    /// not empty; returns the window's length.
    pub fn get_dictionary(&self, dictionary: Option<&mut Writer>) -> usize {
        if let Some(out) = dictionary {
            if self.window.have() != 0 {
                self.window.copy_history(out);
            }
        }
        self.window.have()
    }

    /// The number of bytes [`Inflater::get_dictionary`] writes.
    pub fn dictionary_len(&self) -> usize {
        self.window.have()
    }

    /// `inflateSync`: skips input up to the next empty stored block's
    /// `00 00 ff ff`, then resumes decoding after it.
    pub fn sync(&mut self, stream: &mut Stream) -> Code {
        stream.consumed = 0;
        if stream.input.is_empty() && self.bits < 8 {
            return Code::BufError;
        }
        if self.mode != Mode::Sync {
            self.mode = Mode::Sync;
            self.hold >>= self.bits & 7;
            self.bits -= self.bits & 7;
            let mut held = [0u8; 8];
            let mut count = 0;
            while self.bits >= 8 && count < held.len() {
                held[count] = self.hold as u8;
                count += 1;
                self.hold >>= 8;
                self.bits -= 8;
            }
            self.have = 0;
            search_sync(&mut self.have, &held[..count]);
        }
        let searched = search_sync(&mut self.have, stream.input);
        stream.consumed = searched;
        stream.fields.total_in = stream.fields.total_in.wrapping_add(searched as u64);
        if self.have != 4 {
            return Code::DataError;
        }
        if self.flags == -1 {
            self.wrap = 0;
        } else {
            self.wrap &= !4;
        }
        let flags = self.flags;
        let (total_in, total_out) = (stream.fields.total_in, stream.fields.total_out);
        self.reset(&mut stream.fields);
        stream.fields.total_in = total_in;
        stream.fields.total_out = total_out;
        self.flags = flags;
        self.mode = Mode::Type;
        Code::Ok
    }

    /// `inflateSyncPoint`: at the start of a stored block's length bytes
    /// on a byte boundary.
    pub fn sync_point(&self) -> bool {
        self.mode == Mode::Stored && self.bits == 0
    }

    /// `inflateMark`: bits taken of the current symbol in the high part,
    /// bytes left of a stored block or bytes copied of a match in the low.
    pub fn mark(&self) -> i64 {
        let low = match self.mode {
            Mode::Copy => self.length,
            Mode::Match => self.was.wrapping_sub(self.length),
            _ => 0,
        };
        ((i64::from(self.back) as u64) << 16).wrapping_add(u64::from(low)) as i64
    }

    /// `inflateValidate`: turns checking of the trailer check value on or off
    /// (it stays off for raw streams).
    pub fn validate(&mut self, check: bool) {
        if check && self.wrap != 0 {
            self.wrap |= 4;
        } else {
            self.wrap &= !4;
        }
    }

    /// `inflateUndermine`: zlib built without
    /// `INFLATE_ALLOW_INVALID_DISTANCE_TOOFAR_ARRR` (its default) refuses;
    /// distances are always checked.
    pub fn undermine(&mut self, _subvert: bool) -> Code {
        Code::DataError
    }

    /// `inflateCodesUsed`: table entries zlib would have in use.
    pub fn codes_used(&self) -> u64 {
        if self.codes_from_lens {
            self.codes_used_by_lens() as u64
        } else {
            self.codes_used as u64
        }
    }

    /// `inflateGetHeader`: asks for the gzip header to be reported through
    /// the [`GzipHeader`] passed to each [`Inflater::inflate`] call.
    /// Returns [`Code::StreamError`] unless gzip decoding is enabled.
    pub fn watch_header(&mut self) -> Code {
        if self.wrap & 2 == 0 {
            return Code::StreamError;
        }
        self.header = true;
        Code::Ok
    }

    /// Whether a header registered with [`Inflater::watch_header`] is still
    /// to be filled in (a reset forgets it).
    pub fn header_watched(&self) -> bool {
        self.header
    }
}

/// Looks for `00 00 ff ff` in `data`, continuing from `found` pattern bytes
/// seen so far; returns the bytes examined (up to and including the last
/// pattern byte once `found` reaches 4).
fn search_sync(found: &mut u32, data: &[u8]) -> usize {
    let mut got = *found;
    let mut examined = 0;
    for &byte in data {
        if got >= 4 {
            break;
        }
        let wanted = if got < 2 { 0 } else { 0xff };
        if byte == wanted {
            got += 1;
        } else if byte != 0 {
            got = 0;
        } else {
            got = 4 - got;
        }
        examined += 1;
    }
    *found = got;
    examined
}

/// What [`uncompress`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uncompressed {
    /// zlib's return code for `uncompress2`.
    pub code: Code,
    /// Input bytes consumed (the new `*sourceLen`).
    pub read: usize,
    /// Output bytes written (the new `*destLen`).
    pub written: usize,
}

/// `uncompress2_z`: decompresses the zlib stream in `source` into `dest` in
/// one go, exactly as zlib 1.3.2's uncompr.c does it (feeding at most
/// `u32::MAX` bytes of input and output space per call). An empty `dest`
/// still lets inflate read headers and empty blocks.
///
/// Returns [`Code::Ok`] for a complete stream, [`Code::BufError`] when
/// `dest` is too small, [`Code::DataError`] for corrupt input, input that
/// ends before the stream does, or a stream that needs a dictionary, and
/// [`Code::MemError`] when `memory` refuses the window.
pub fn uncompress<M: Memory>(dest: Writer, source: &[u8], memory: M) -> Uncompressed {
    const MAX_CHUNK: usize = u32::MAX as usize;
    let mut dest = dest;
    let mut left = dest.capacity();
    let mut len = source.len();
    let mut fields = Fields::new();
    let mut inflater = match Inflater::with_memory(15, &mut fields, memory) {
        Ok(inflater) => inflater,
        Err(code) => {
            return Uncompressed {
                code,
                read: 0,
                written: 0,
            }
        }
    };
    let (mut in_pos, mut avail_in) = (0usize, 0usize);
    let mut avail_out = 0usize;
    let code = loop {
        if avail_out == 0 {
            avail_out = left.min(MAX_CHUNK);
            left -= avail_out;
        }
        if avail_in == 0 {
            avail_in = len.min(MAX_CHUNK);
            len -= avail_in;
        }
        let input = source.get(in_pos..in_pos + avail_in).unwrap_or(&[]);
        let (code, consumed, produced) = dest.write_next(avail_out, |out| {
            let output = core::mem::replace(out, Writer::empty());
            let mut stream = Stream::with_output(input, output, fields);
            let code = inflater.inflate(&mut stream, Flush::None, None);
            fields = stream.fields;
            *out = stream.output;
            (code, stream.consumed, stream.produced)
        });
        in_pos += consumed;
        avail_in -= consumed;
        avail_out -= produced;
        if code != Code::Ok {
            break code;
        }
    };
    let unread = len + avail_in;
    let code = match code {
        Code::StreamEnd => Code::Ok,
        Code::NeedDict => Code::DataError,
        // Out of input rather than out of room: the stream is cut short.
        Code::BufError if unread == 0 => Code::DataError,
        other => other,
    };
    Uncompressed {
        code,
        read: source.len() - unread,
        written: dest.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "hello" as a zlib stream with one fixed-Huffman block (from zlib).
    const HELLO_ZLIB: [u8; 13] = [
        0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15,
    ];

    fn inflate_all(inflater: &mut Inflater, input: &[u8], out: &mut [u8]) -> (Code, usize) {
        let mut stream = Stream::new(input, out, Fields::new());
        let code = inflater.inflate(&mut stream, Flush::Finish, None);
        (code, stream.produced)
    }

    #[test]
    fn decodes_a_zlib_stream_through_the_rust_api() {
        let mut fields = Fields::new();
        let mut inflater = Inflater::new(15, &mut fields).unwrap();
        assert_eq!(fields.adler, 1);
        let mut out = [0u8; 16];
        assert_eq!(
            inflate_all(&mut inflater, &HELLO_ZLIB, &mut out),
            (Code::StreamEnd, 5)
        );
        assert_eq!(&out[..5], b"hello");
    }

    #[test]
    fn stored_block_one_byte_at_a_time() {
        // Raw: last stored block of 3 bytes.
        let input = [0x01, 0x03, 0x00, 0xfc, 0xff, b'a', b'b', b'c'];
        let mut inflater = Inflater::new(-15, &mut Fields::new()).unwrap();
        let mut out = [0u8; 3];
        let mut fields = Fields::new();
        let (mut taken, mut written) = (0, 0);
        let mut last = Code::Ok;
        while taken < input.len() && last == Code::Ok {
            let mut stream = Stream::new(&input[taken..taken + 1], &mut out[written..], fields);
            last = inflater.inflate(&mut stream, Flush::None, None);
            taken += stream.consumed;
            written += stream.produced;
            fields = stream.fields;
        }
        assert_eq!(last, Code::StreamEnd);
        assert_eq!(&out, b"abc");
        assert_eq!((fields.total_in, fields.total_out), (8, 3));
    }

    #[test]
    fn corrupt_header_sets_zlib_message() {
        let mut inflater = Inflater::new(15, &mut Fields::new()).unwrap();
        let mut out = [0u8; 4];
        let mut stream = Stream::new(&[0x78, 0x9d], &mut out, Fields::new());
        assert_eq!(
            inflater.inflate(&mut stream, Flush::None, None),
            Code::DataError
        );
        assert_eq!(
            stream.fields.msg,
            Message::Set(messages::INCORRECT_HEADER_CHECK)
        );
    }

    #[test]
    fn uncompress_reports_like_uncompr_c() {
        let mut out = [0u8; 8];
        let done = uncompress(Writer::from_bytes(&mut out), &HELLO_ZLIB, Heap);
        assert_eq!((done.code, done.read, done.written), (Code::Ok, 13, 5));
        let small = uncompress(Writer::from_bytes(&mut out[..2]), &HELLO_ZLIB, Heap);
        assert_eq!((small.code, small.written), (Code::BufError, 2));
        let truncated = uncompress(Writer::from_bytes(&mut out), &HELLO_ZLIB[..10], Heap);
        assert_eq!(truncated.code, Code::DataError);
        // An empty destination has no room for the first literal (zlib
        // 1.3.2; 1.3.1 said Z_DATA_ERROR here).
        let empty = uncompress(Writer::empty(), &HELLO_ZLIB, Heap);
        assert_eq!((empty.code, empty.written), (Code::BufError, 0));
        // An empty stream needs no room at all.
        let nothing = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
        let done = uncompress(Writer::empty(), &nothing, Heap);
        assert_eq!((done.code, done.read, done.written), (Code::Ok, 8, 0));
    }

    #[test]
    fn bad_window_bits_are_refused() {
        for bits in [-16, -7, 1, 7, 16 + 7, 48] {
            assert!(Inflater::new(bits, &mut Fields::new()).is_err(), "{bits}");
        }
        for bits in [0, 8, 15, -8, -15, 16 + 15, 32 + 15, 32] {
            assert!(Inflater::new(bits, &mut Fields::new()).is_ok(), "{bits}");
        }
    }
}
