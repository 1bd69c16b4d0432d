//! `inflateBack`: raw deflate decoded straight into the caller's window,
//! with input pulled through a callback and each full window pushed out
//! through another (zlib's infback.c).
//!
//! The window is a ring: output fills it from the start, [`BackIo::output`]
//! receives it whenever it is full, and writing starts over at its
//! beginning, so distances reach back into the previous fill.
//!
//! zlib decodes literal/length codes either one at a time or with its fast
//! loop (when at least 6 input bytes and 258 bytes of window space are at
//! hand). Both read the same bits and take input bytes at the same moments,
//! but they judge a distance differently: the one-at-a-time path refuses a
//! distance beyond the bytes written since the last flush (or beyond the
//! window once it has been flushed), while the fast loop accepts up to the
//! bytes written since the last flush plus zlib's `whave` when the loop
//! started (the bytes written by then, or the whole window after a flush),
//! and reads the ring window for the difference, whatever it holds.
//! [`InflateBack`] follows zlib's choice between the two, keeping the
//! fast loop's input bookkeeping in a shadow counter, so that it accepts and
//! refuses exactly the streams zlib does and writes the same bytes.
//!
//! The fast loop is inflate's own (`fast::run_back`), writing through the
//! window's [`LapWindow`], whose matches reach back into the previous lap.
//! It stops where zlib's stops (zlib leaves `next_out` there), and hands
//! over to a symbol-at-a-time emulation of zlib's loop before any symbol
//! whose result only that emulation gives: a corrupt code, or a distance
//! past the bytes written, where zlib reads the window as it is.

use core::ffi::CStr;
use core::mem::MaybeUninit;

use super::bits::BitReader;
use super::entry::{DistEntry, Entry, LitEntry};
use super::fast::{self, Tables};
use super::huffman::{self, CodeKind};
use super::{
    messages, Code, CODE_LENGTH_ROOT_BITS, DIST_ROOT_BITS, DIST_TABLE_SIZE, LIT_ROOT_BITS,
    LIT_TABLE_SIZE,
};
use crate::writer::{LapWindow, WindowPart};

/// The order in which a dynamic block header lists the code-length code
/// lengths (RFC 1951, 3.2.7).
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// The input bytes and window space zlib's fast loop needs to start.
const FAST_MIN_INPUT: usize = 6;
const FAST_MIN_SPACE: usize = 258;
/// The input bytes [`Run::near_window_end`] wants at hand.
const NEAR_END_MIN_INPUT: usize = 16;

/// The caller's side of [`InflateBack::run`]: zlib's `in()` and `out()`.
pub trait BackIo {
    /// Asks for more input (zlib's `in()`); afterwards [`BackIo::input`]
    /// returns the new chunk. Returns `false` at the end of the input or on
    /// failure; an empty chunk counts as no input.
    fn more_input(&mut self) -> bool;

    /// The current input chunk: the initial input until the first
    /// [`BackIo::more_input`], then the latest chunk.
    fn input(&self) -> &[u8];

    /// Hands over decoded bytes (zlib's `out()`): a full window, or the
    /// front of it at the end. Returns `false` on failure. The part is
    /// writable because zlib's callback receives a writable buffer; what it
    /// leaves there is what later distances read. It lends its bytes as
    /// `&mut [u8]` only when they were all written: the window is the
    /// caller's memory, and a distance that zlib's fast loop accepts may
    /// copy window bytes that were never written (zlib copies whatever
    /// they hold).
    fn output(&mut self, window_part: WindowPart<'_>) -> bool;
}

/// How [`InflateBack::run`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackOutcome {
    /// `Z_STREAM_END` on success, `Z_DATA_ERROR` for a format error,
    /// `Z_BUF_ERROR` when input or output failed (or the final output after
    /// the end of the stream failed), `Z_STREAM_ERROR` for a window of the
    /// wrong size.
    pub code: Code,
    /// The new `strm->msg`: `None` clears it.
    pub message: Option<&'static CStr>,
    /// Where the unused input starts in [`BackIo::input`]; `None` when
    /// [`BackIo::more_input`] failed (zlib then sets `next_in` to NULL).
    pub unused_input: Option<usize>,
    /// The window offset at which zlib's fast loop last stopped, where zlib
    /// leaves `next_out` (and `avail_out` the space after it); `None` if
    /// the loop never ran.
    pub fast_loop_stop: Option<usize>,
}

/// The state of an `inflateBack` stream: its window size and the scratch
/// space for a dynamic block's code lengths and tables. Each
/// [`InflateBack::run`] decodes one whole raw deflate stream.
#[derive(Clone)]
pub struct InflateBack {
    wbits: u32,
    lens: [u8; 320],
    lit_table: [LitEntry; LIT_TABLE_SIZE],
    lit_bits: u32,
    dist_table: [DistEntry; DIST_TABLE_SIZE],
    dist_bits: u32,
}

/// Why decoding stopped before the end of the stream.
enum Halt {
    /// A format error, with zlib's message.
    Data(&'static CStr),
    /// `in()` or `out()` failed.
    Io,
}

/// zlib's fast-loop bookkeeping: input bytes it has loaded and bits it
/// holds. The loop loads bytes ahead of need, and its exit test looks at
/// that read-ahead count.
struct FastShadow {
    loaded: usize,
    bits: u32,
    /// Window bytes the loop may reach back into beyond this fill's output.
    history: usize,
}

impl FastShadow {
    /// Tops up to at least 15 bits, two bytes at a time.
    fn top_up(&mut self) {
        if self.bits < 15 {
            self.bits += 16;
            self.loaded += 2;
        }
    }

    /// Takes `n` bits, loading bytes one at a time as needed.
    fn take(&mut self, n: u32) {
        while self.bits < n {
            self.bits += 8;
            self.loaded += 1;
        }
        self.bits -= n;
    }
}

/// Where a run of zlib's fast loop started: the input left in the chunk,
/// the room left in the window and the window position.
struct FastEntry {
    input: usize,
    space: usize,
    start: usize,
}

/// One call's input position, bit accumulator and output position.
struct Run<'r, I: BackIo> {
    io: &'r mut I,
    /// The caller's window; its length is the next byte to write (zlib's
    /// `put`).
    window: LapWindow<'r>,
    /// Next unread byte of `io.input()`.
    pos: usize,
    hold: u64,
    bits: u32,
    /// The window has been handed to `out()` at least once this call.
    flushed: bool,
    input_failed: bool,
    fast_loop_stop: Option<usize>,
}

impl<I: BackIo> Run<'_, I> {
    fn available(&self) -> usize {
        self.io.input().len().saturating_sub(self.pos)
    }

    fn space(&self) -> usize {
        self.window.remaining()
    }

    /// zlib's PULL: makes sure some input is at hand, asking for more when
    /// the chunk is used up.
    fn ensure_input(&mut self) -> Result<(), Halt> {
        if self.available() == 0 {
            if !self.io.more_input() || self.io.input().is_empty() {
                self.input_failed = true;
                return Err(Halt::Io);
            }
            self.pos = 0;
        }
        Ok(())
    }

    /// Moves one input byte into the accumulator.
    fn pull_byte(&mut self) -> Result<(), Halt> {
        self.ensure_input()?;
        let byte = self.io.input().get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        self.hold |= u64::from(byte) << (self.bits & 63);
        self.bits += 8;
        Ok(())
    }

    /// Makes sure at least `n` (at most 32) bits are held.
    fn need(&mut self, n: u32) -> Result<(), Halt> {
        while self.bits < n {
            self.pull_byte()?;
        }
        Ok(())
    }

    /// The low `n` (< 32) bits.
    fn peek(&self, n: u32) -> u32 {
        (self.hold & ((1u64 << (n & 31)) - 1)) as u32
    }

    fn drop_bits(&mut self, n: u32) {
        let n = n.min(self.bits);
        self.hold >>= n;
        self.bits -= n;
    }

    /// `need` then take `n` bits.
    fn take(&mut self, n: u32) -> Result<u32, Halt> {
        self.need(n)?;
        let value = self.peek(n);
        self.drop_bits(n);
        Ok(value)
    }

    fn align_to_byte(&mut self) {
        self.drop_bits(self.bits & 7);
    }

    /// zlib's ROOM: hands the window to `out()` when it is full.
    fn ensure_space(&mut self) -> Result<(), Halt> {
        if self.window.remaining() == 0 {
            let delivered = self.io.output(self.window.part());
            self.window.rewind();
            self.flushed = true;
            if !delivered {
                return Err(Halt::Io);
            }
        }
        Ok(())
    }

    fn write_byte(&mut self, byte: u8) -> Result<(), Halt> {
        self.ensure_space()?;
        self.window.push(byte);
        Ok(())
    }

    /// Decodes one code, pulling a byte at a time until the table entry is
    /// complete, and drops its bits. Returns the entry and its bit count.
    fn decode<E: Entry>(&mut self, table: &[E], root_bits: u32) -> Result<(E, u32), Halt> {
        let at = |index: u32| table.get(index as usize).copied().unwrap_or(E::invalid(0));
        let mut entry = loop {
            let entry = at(self.peek(root_bits));
            if entry.level_bits(root_bits) <= self.bits {
                break entry;
            }
            self.pull_byte()?;
        };
        let mut link_bits = 0;
        if entry.is_link() {
            // A link's code bits are the root's.
            let link = entry;
            entry = loop {
                let after_root = self.peek(root_bits + link.link_width()) >> root_bits;
                let entry = at(link.link_offset() as u32 + after_root);
                if root_bits + entry.bits() <= self.bits {
                    break entry;
                }
                self.pull_byte()?;
            };
            self.drop_bits(root_bits);
            link_bits = root_bits;
        }
        self.drop_bits(entry.bits());
        Ok((entry, link_bits + entry.bits()))
    }

    /// A stored block: its length, then its bytes copied through.
    fn stored(&mut self) -> Result<(), Halt> {
        self.align_to_byte();
        self.need(32)?;
        let hold = self.hold;
        if hold & 0xffff != (hold >> 16) ^ 0xffff {
            return Err(Halt::Data(messages::INVALID_STORED_BLOCK_LENGTHS));
        }
        let mut length = (hold & 0xffff) as usize;
        self.hold = 0;
        self.bits = 0;
        while length != 0 {
            self.ensure_input()?;
            self.ensure_space()?;
            let copy = length.min(self.available()).min(self.space());
            if let Some(source) = self.io.input().get(self.pos..self.pos + copy) {
                self.window.extend_from_input(source);
            }
            self.pos += copy;
            length -= copy;
        }
        Ok(())
    }

    /// The codes of a Huffman block up to its end-of-block code, in zlib's
    /// fast loop where zlib would use it and one at a time elsewhere.
    fn codes(&mut self, tables: &Tables) -> Result<(), Halt> {
        // Whether the bulk loop may still decode before the window's end:
        // once it could not, the symbols up to the next lap are left to
        // `symbol`, instead of asking the bulk loop again before each.
        let mut plain = true;
        loop {
            let end_of_block = if self.available() >= FAST_MIN_INPUT
                && self.space() >= FAST_MIN_SPACE
            {
                plain = true;
                self.fast_loop(tables)?
            } else if let Some(end_of_block) = plain.then(|| self.near_window_end(tables)).flatten()
            {
                end_of_block
            } else {
                plain = false;
                self.symbol(tables, None)?
            };
            if end_of_block {
                return Ok(());
            }
        }
    }

    /// The symbols that zlib decodes one at a time near the window's end
    /// (less room than its fast loop needs), decoded by inflate's bulk loop
    /// while they fit and plenty of input is at hand ([`fast::run_plain`]).
    /// zlib's state after them is where they end: one at a time it loads
    /// input only as it needs it, and holds fewer than eight bits after each
    /// symbol. Returns `true` at the end of the block, `None` when nothing
    /// was decoded (the window holds bytes nobody wrote, or the next symbol
    /// is left to [`Run::symbol`]).
    fn near_window_end(&mut self, tables: &Tables) -> Option<bool> {
        if self.available() < NEAR_END_MIN_INPUT {
            return None;
        }
        let input = self.io.input().get(self.pos..).unwrap_or_default();
        let mut reader = BitReader::new(input, self.hold, self.bits);
        let before = self.window.len();
        let end_of_block = self
            .window
            .write(|out| fast::run_plain(tables, &mut reader, out))?;
        if !end_of_block && self.window.len() == before {
            return None;
        }
        self.pos += reader.consumed();
        (self.hold, self.bits) = reader.accumulator();
        Some(end_of_block)
    }

    /// One run of zlib's fast loop, which stops where zlib's stops. Returns
    /// `true` at the end of the block.
    ///
    /// Inflate's own fast loop ([`fast::run_back`]) decodes it, writing
    /// through the window's [`Writer`](crate::writer::Writer), as long as
    /// the window holds only written bytes. It hands over to
    /// [`Run::emulated_fast_loop`] before a symbol that it does not decode
    /// with zlib's result: a corrupt code, or a distance past the bytes
    /// written, where zlib's loop reads the window as it is.
    fn fast_loop(&mut self, tables: &Tables) -> Result<bool, Halt> {
        let entry = FastEntry {
            input: self.available(),
            space: self.space(),
            start: self.window.len(),
        };
        let mut shadow = FastShadow {
            loaded: 0,
            bits: self.bits,
            // zlib's whave: the output of this fill so far, or the whole
            // window once it has been flushed.
            history: if self.flushed {
                self.window.capacity()
            } else {
                self.window.len()
            },
        };
        let input = self.io.input().get(self.pos..).unwrap_or_default();
        let mut reader = BitReader::new(input, self.hold, self.bits);
        let shared = self
            .window
            .write(|out| fast::run_back(tables, &mut reader, out));
        if let Some(exit) = shared {
            self.pos += reader.consumed();
            (self.hold, self.bits) = reader.accumulator();
            let end_of_block = match exit {
                fast::Exit::Pending => false,
                fast::Exit::EndOfBlock => true,
                fast::Exit::Error(message) => return Err(Halt::Data(message)),
                fast::Exit::Handover { loaded, bits } => {
                    shadow.loaded = loaded;
                    shadow.bits = bits;
                    return self.emulated_fast_loop(tables, &entry, shadow);
                }
            };
            self.fast_loop_stop = Some(self.window.len());
            return Ok(end_of_block);
        }
        self.emulated_fast_loop(tables, &entry, shadow)
    }

    /// Continues zlib's fast loop one symbol at a time, with its
    /// bookkeeping (`shadow`) and its reach into the window, as long as it
    /// would keep going. Returns `true` at the end of the block.
    fn emulated_fast_loop(
        &mut self,
        tables: &Tables,
        entry: &FastEntry,
        mut shadow: FastShadow,
    ) -> Result<bool, Halt> {
        let result = loop {
            match self.symbol(tables, Some(&mut shadow)) {
                Ok(false) => {}
                other => break other,
            }
            let more_input = shadow.loaded < entry.input - (FAST_MIN_INPUT - 1);
            let written = self.window.len().saturating_sub(entry.start);
            let more_space = written < entry.space - (FAST_MIN_SPACE - 1);
            if !(more_input && more_space) {
                break Ok(false);
            }
        };
        self.fast_loop_stop = Some(self.window.len());
        result
    }

    /// Decodes one literal, match or end of block (`true`), with zlib's
    /// one-at-a-time distance rule, or the fast loop's when `shadow` is
    /// given.
    fn symbol(
        &mut self,
        tables: &Tables,
        mut shadow: Option<&mut FastShadow>,
    ) -> Result<bool, Halt> {
        if let Some(shadow) = shadow.as_deref_mut() {
            shadow.top_up();
        }
        let (entry, used) = self.decode(&tables.lit[..], tables.lit_bits)?;
        if let Some(shadow) = shadow.as_deref_mut() {
            shadow.take(used);
        }
        if entry.is_literal() {
            self.write_byte(entry.value() as u8)?;
            return Ok(false);
        }
        if entry.is_end_of_block() {
            return Ok(true);
        }
        if !entry.is_base() {
            return Err(Halt::Data(messages::INVALID_LITERAL_LENGTH_CODE));
        }
        let extra = entry.extra();
        let mut length = entry.base_value() as usize;
        if extra != 0 {
            length += self.take(extra)? as usize;
            if let Some(shadow) = shadow.as_deref_mut() {
                shadow.take(extra);
            }
        }
        if let Some(shadow) = shadow.as_deref_mut() {
            shadow.top_up();
        }
        let (entry, used) = self.decode(&tables.dist[..], tables.dist_bits)?;
        if let Some(shadow) = shadow.as_deref_mut() {
            shadow.take(used);
        }
        if !entry.is_base() {
            return Err(Halt::Data(messages::INVALID_DISTANCE_CODE));
        }
        let extra = entry.extra();
        let mut distance = entry.base_value() as usize;
        if extra != 0 {
            distance += self.take(extra)? as usize;
            if let Some(shadow) = shadow.as_deref_mut() {
                shadow.take(extra);
            }
        }
        let put = self.window.len();
        let reach = match shadow {
            Some(shadow) => put + shadow.history,
            None if self.flushed => self.window.capacity(),
            None => put,
        };
        if distance > reach {
            return Err(Halt::Data(messages::INVALID_DISTANCE_TOO_FAR_BACK));
        }
        self.copy_match(distance, length)?;
        Ok(false)
    }

    /// Copies `length` bytes from `distance` back through the ring window,
    /// with the result of a forward byte-by-byte copy (a source that
    /// overlaps the bytes being written repeats them).
    fn copy_match(&mut self, distance: usize, length: usize) -> Result<(), Halt> {
        let size = self.window.capacity();
        // `distance <= put + size` was checked, so this does not underflow.
        let mut from = (self.window.len() + size).saturating_sub(distance) % size.max(1);
        let mut left = length;
        while left != 0 {
            self.ensure_space()?;
            // Up to the window's end for both the source and the target.
            let chunk = left.min(self.space()).min(size - from);
            self.window.copy_within(from, chunk);
            from += chunk;
            if from == size {
                from = 0;
            }
            left -= chunk;
        }
        Ok(())
    }
}

impl InflateBack {
    /// A stream whose window is `1 << window_bits` bytes, as
    /// `inflateBackInit` accepts it.
    ///
    /// # Errors
    /// [`Code::StreamError`] unless `window_bits` is in 8..=15.
    pub fn new(window_bits: i32) -> Result<InflateBack, Code> {
        if !(8..=15).contains(&window_bits) {
            return Err(Code::StreamError);
        }
        Ok(InflateBack {
            wbits: window_bits as u32,
            lens: [0; 320],
            lit_table: [LitEntry(0); LIT_TABLE_SIZE],
            lit_bits: 0,
            dist_table: [DistEntry(0); DIST_TABLE_SIZE],
            dist_bits: 0,
        })
    }

    /// The window size in bytes: `1 << window_bits`.
    pub fn window_size(&self) -> usize {
        1 << self.wbits
    }

    /// `inflateBack`: decodes one raw deflate stream from `io`'s input into
    /// `window` (of [`InflateBack::window_size`] bytes), handing each full
    /// window and the final part to `io`.
    pub fn run<I: BackIo>(&mut self, window: &mut [MaybeUninit<u8>], io: &mut I) -> BackOutcome {
        if window.len() != self.window_size() {
            return BackOutcome {
                code: Code::StreamError,
                message: None,
                unused_input: Some(0),
                fast_loop_stop: None,
            };
        }
        let mut run = Run {
            io,
            window: LapWindow::new(window),
            pos: 0,
            hold: 0,
            bits: 0,
            flushed: false,
            input_failed: false,
            fast_loop_stop: None,
        };
        let (mut code, message) = match self.blocks(&mut run) {
            Ok(()) => (Code::StreamEnd, None),
            Err(Halt::Data(message)) => (Code::DataError, Some(message)),
            Err(Halt::Io) => (Code::BufError, None),
        };
        if !run.window.is_empty() && !run.io.output(run.window.part()) && code == Code::StreamEnd {
            code = Code::BufError;
        }
        BackOutcome {
            code,
            message,
            unused_input: (!run.input_failed).then_some(run.pos),
            fast_loop_stop: run.fast_loop_stop,
        }
    }

    /// Blocks up to and including the last one.
    fn blocks<I: BackIo>(&mut self, run: &mut Run<I>) -> Result<(), Halt> {
        loop {
            run.need(3)?;
            let last = run.peek(1) == 1;
            run.drop_bits(1);
            let kind = run.peek(2);
            run.drop_bits(2);
            match kind {
                0 => run.stored()?,
                1 => {
                    (self.lit_bits, self.dist_bits) =
                        super::load_fixed_tables(&mut self.lit_table, &mut self.dist_table);
                    run.codes(&Tables {
                        lit: &self.lit_table,
                        lit_bits: self.lit_bits,
                        dist: &self.dist_table,
                        dist_bits: self.dist_bits,
                    })?;
                }
                2 => {
                    self.read_dynamic_header(run)?;
                    run.codes(&Tables {
                        lit: &self.lit_table,
                        lit_bits: self.lit_bits,
                        dist: &self.dist_table,
                        dist_bits: self.dist_bits,
                    })?;
                }
                _ => return Err(Halt::Data(messages::INVALID_BLOCK_TYPE)),
            }
            if last {
                run.align_to_byte();
                return Ok(());
            }
        }
    }

    /// A dynamic block's header: the code-length code, then the
    /// literal/length and distance code lengths, then their tables.
    fn read_dynamic_header<I: BackIo>(&mut self, run: &mut Run<I>) -> Result<(), Halt> {
        run.need(14)?;
        let nlen = run.take(5)? as usize + 257;
        let ndist = run.take(5)? as usize + 1;
        let ncode = run.take(4)? as usize + 4;
        if nlen > 286 || ndist > 30 {
            return Err(Halt::Data(messages::TOO_MANY_LENGTH_OR_DISTANCE_SYMBOLS));
        }
        for (index, &slot) in CODE_LENGTH_ORDER.iter().enumerate() {
            self.lens[slot] = if index < ncode { run.take(3)? as u8 } else { 0 };
        }
        let code_lengths = huffman::build(
            CodeKind::CodeLengths,
            &self.lens[..19],
            CODE_LENGTH_ROOT_BITS,
            &mut self.lit_table,
        )
        .map_err(|_| Halt::Data(messages::INVALID_CODE_LENGTHS_SET))?;

        let total = nlen + ndist;
        if run.available() >= huffman::MAX_LENGTHS_INPUT && run.bits < 8 {
            // All of the lengths are at hand (see `huffman::read_lengths`).
            let input = run.io.input().get(run.pos..).unwrap_or_default();
            let mut reader = BitReader::new(input, run.hold, run.bits);
            let table = &self.lit_table[..1 << CODE_LENGTH_ROOT_BITS];
            if huffman::read_lengths(table, &mut self.lens[..total], 0, &mut reader) {
                run.pos += reader.consumed();
                (run.hold, run.bits) = reader.accumulator();
                return self.build_tables(nlen, total);
            }
            // An invalid repeat: decoded again below, to fail as zlib does.
        }
        let mut have = 0;
        while have < total {
            let (entry, _) = run.decode(&self.lit_table, code_lengths.root_bits)?;
            let symbol = entry.code_length_symbol();
            if symbol < 16 {
                if let Some(slot) = self.lens.get_mut(have) {
                    *slot = symbol as u8;
                }
                have += 1;
                continue;
            }
            let (extra_bits, base, repeated) = match symbol {
                16 => {
                    run.need(2)?;
                    let Some(&previous) = have.checked_sub(1).and_then(|i| self.lens.get(i)) else {
                        return Err(Halt::Data(messages::INVALID_BIT_LENGTH_REPEAT));
                    };
                    (2, 3, previous)
                }
                17 => (3, 3, 0),
                _ => (7, 11, 0),
            };
            let count = base + run.take(extra_bits)? as usize;
            if have + count > total {
                return Err(Halt::Data(messages::INVALID_BIT_LENGTH_REPEAT));
            }
            if let Some(run) = self.lens.get_mut(have..have + count) {
                run.fill(repeated);
            }
            have += count;
        }
        self.build_tables(nlen, total)
    }

    /// The literal/length and distance tables from the code lengths of
    /// `nlen` literal/length codes and `total - nlen` distance codes.
    fn build_tables(&mut self, nlen: usize, total: usize) -> Result<(), Halt> {
        if self.lens[256] == 0 {
            return Err(Halt::Data(messages::MISSING_END_OF_BLOCK));
        }
        let lit = huffman::build(
            CodeKind::LiteralLength,
            &self.lens[..nlen],
            LIT_ROOT_BITS,
            &mut self.lit_table,
        )
        .map_err(|_| Halt::Data(messages::INVALID_LITERAL_LENGTHS_SET))?;
        let dist = huffman::build(
            CodeKind::Distance,
            &self.lens[nlen..total],
            DIST_ROOT_BITS,
            &mut self.dist_table,
        )
        .map_err(|_| Halt::Data(messages::INVALID_DISTANCES_SET))?;
        self.lit_bits = lit.root_bits;
        self.dist_bits = dist.root_bits;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Input in fixed-size chunks after an initial part; output collected.
    struct Chunks<'a> {
        rest: &'a [u8],
        step: usize,
        current: &'a [u8],
        out: Vec<u8>,
        out_calls: Vec<usize>,
    }

    impl<'a> Chunks<'a> {
        fn new(initial: &'a [u8], rest: &'a [u8], step: usize) -> Self {
            Chunks {
                rest,
                step,
                current: initial,
                out: Vec::new(),
                out_calls: Vec::new(),
            }
        }
    }

    impl BackIo for Chunks<'_> {
        fn more_input(&mut self) -> bool {
            let n = self.step.min(self.rest.len());
            (self.current, self.rest) = self.rest.split_at(n);
            n != 0
        }
        fn input(&self) -> &[u8] {
            self.current
        }
        fn output(&mut self, mut window_part: WindowPart<'_>) -> bool {
            let bytes = window_part.written().expect("written bytes");
            self.out.extend_from_slice(bytes);
            self.out_calls.push(bytes.len());
            true
        }
    }

    /// 259 'a's as raw deflate (zlib, fixed codes): a literal and matches
    /// at distance 1.
    const RUN_OF_A: [u8; 6] = [0x4b, 0x4c, 0x1c, 0xf1, 0x00, 0x00];

    #[test]
    fn fills_and_flushes_a_small_window_as_a_ring() {
        let mut back = InflateBack::new(8).unwrap();
        let mut window = vec![MaybeUninit::new(0u8); back.window_size()];
        let mut io = Chunks::new(&[], &RUN_OF_A, 1);
        let outcome = back.run(&mut window, &mut io);
        assert_eq!(outcome.code, Code::StreamEnd);
        assert_eq!(outcome.message, None);
        assert_eq!(io.out, vec![b'a'; 259]);
        assert_eq!(io.out_calls, [256, 3]);
        // The last one-byte chunk is used up; the fast loop never ran.
        assert_eq!(outcome.unused_input, Some(io.input().len()));
        assert_eq!(outcome.fast_loop_stop, None);
    }

    #[test]
    fn reports_unused_input_and_failed_input() {
        let mut stream = vec![0x01, 0x03, 0x00, 0xfc, 0xff, b'a', b'b', b'c'];
        stream.extend_from_slice(b"tail");
        let mut back = InflateBack::new(15).unwrap();
        let mut window = vec![MaybeUninit::new(0u8); back.window_size()];
        let mut io = Chunks::new(&stream, &[], 1);
        let outcome = back.run(&mut window, &mut io);
        assert_eq!(
            (outcome.code, outcome.unused_input),
            (Code::StreamEnd, Some(8))
        );
        assert_eq!(io.out, b"abc");

        let mut io = Chunks::new(&stream[..4], &stream[4..6], 1);
        let outcome = back.run(&mut window, &mut io);
        assert_eq!((outcome.code, outcome.unused_input), (Code::BufError, None));
    }

    #[test]
    fn distance_before_the_output_is_refused() {
        // Fixed block: a match at distance 1 with nothing written yet.
        let mut back = InflateBack::new(15).unwrap();
        let mut window = vec![MaybeUninit::new(0u8); back.window_size()];
        let mut io = Chunks::new(&[0x03, 0x02], &[], 1);
        let outcome = back.run(&mut window, &mut io);
        assert_eq!(outcome.code, Code::DataError);
        assert_eq!(
            outcome.message,
            Some(messages::INVALID_DISTANCE_TOO_FAR_BACK)
        );
        assert!(io.out.is_empty());
    }

    #[test]
    fn window_bits_and_window_size_are_checked() {
        assert!(InflateBack::new(7).is_err());
        assert!(InflateBack::new(16).is_err());
        let mut back = InflateBack::new(9).unwrap();
        let mut io = Chunks::new(&RUN_OF_A, &[], 1);
        let outcome = back.run(&mut [MaybeUninit::new(0u8); 256], &mut io);
        assert_eq!(outcome.code, Code::StreamError);
    }
}
