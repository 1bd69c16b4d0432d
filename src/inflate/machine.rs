//! The resumable decoder: zlib's `inflate()` state machine. Each mode makes
//! progress only when the input and output it needs are there, so a call can
//! stop anywhere and the next call picks up in the same mode.

use super::bits::BitReader;
use super::entry::Entry;
use super::fast::{self, MIN_INPUT};
use super::huffman::{self, CodeKind};
use super::{
    messages, Code, Flush, GzipHeader, HeaderField, Inflater, Message, Mode, Stream,
    CODE_LENGTH_ROOT_BITS, DIST_ROOT_BITS, LIT_ROOT_BITS, ZLIB_DIST_ROOT_BITS, ZLIB_LIT_ROOT_BITS,
};
use crate::checksum::{adler32, crc32};
use crate::memory::Memory;
use crate::writer::Writer;
use core::ffi::CStr;

/// The order in which a dynamic header lists the code-length code lengths.
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// The Adler-32 of nothing: zlib's `adler32(0, Z_NULL, 0)`.
const ADLER32_INIT: u32 = 1;

/// How the state machine stopped.
enum Stop {
    /// zlib's `inf_leave`: update window, totals, check and `data_type`.
    Leave(Code),
    /// A return that skips all of that (`Z_NEED_DICT`).
    Early(Code),
    /// A return before anything happened.
    Refuse(Code),
}

/// One call's input and output.
struct Io<'a, 'b, 'c> {
    reader: BitReader<'a>,
    /// The output; its length is the bytes written this call.
    out: &'b mut Writer<'c>,
    /// Where the bytes not yet counted in the totals and check begin
    /// (zlib's `out` after the trailer check moved it).
    mark: usize,
}

impl Io<'_, '_, '_> {
    fn left(&self) -> usize {
        self.out.remaining()
    }
}

/// Returns from the state machine when the input runs out.
macro_rules! need {
    ($io:expr, $n:expr) => {
        if !$io.reader.need($n) {
            return Stop::Leave(Code::Ok);
        }
    };
}

/// zlib's ZSWAP32: the four low bytes of a big-endian trailer word.
fn swap32(word: u64) -> u64 {
    ((word >> 24) & 0xff) + ((word >> 8) & 0xff00) + ((word & 0xff00) << 8) + ((word & 0xff) << 24)
}

/// Looks up one code in the resumable decoder: pulls a byte at a time until
/// the entry's code is complete, follows a sub-table link, drops the bits.
/// Returns the entry and the bits dropped, or `None` (nothing dropped) when
/// the input runs out.
fn decode_slow<E: Entry>(reader: &mut BitReader, table: &[E], root_bits: u32) -> Option<(E, u32)> {
    let lookup = |index: u32| table.get(index as usize).copied().unwrap_or(E::invalid(0));
    let mut entry;
    loop {
        entry = lookup(reader.peek(root_bits));
        if entry.level_bits(root_bits) <= reader.bits() {
            break;
        }
        if !reader.pull_byte() {
            return None;
        }
    }
    let mut dropped = 0;
    if entry.is_link() {
        // A link's code bits are the root's.
        let link = entry;
        loop {
            let after_root = reader.peek(root_bits + link.link_width()) >> root_bits;
            entry = lookup(link.link_offset() as u32 + after_root);
            if root_bits + entry.bits() <= reader.bits() {
                break;
            }
            if !reader.pull_byte() {
                return None;
            }
        }
        reader.drop_bits(root_bits);
        dropped = root_bits;
    }
    reader.drop_bits(entry.bits());
    Some((entry, dropped + entry.bits()))
}

impl<M: Memory> Inflater<M> {
    fn update_check(&mut self, data: &[u8]) {
        self.check = if self.flags != 0 {
            crc32(self.check, data)
        } else {
            adler32(self.check, data)
        };
    }

    /// Feeds header bytes to the header CRC when the header has one and
    /// checks are on.
    fn header_crc(&mut self, bytes: &[u8]) {
        if self.flags & 0x0200 != 0 && self.wrap & 4 != 0 {
            self.check = crc32(self.check, bytes);
        }
    }

    /// The literal/length and distance tables of the current block.
    fn tables(&self) -> fast::Tables<'_> {
        fast::Tables {
            lit: &self.lit_table,
            lit_bits: self.lit_bits,
            dist: &self.dist_table,
            dist_bits: self.dist_bits,
        }
    }

    /// Puts the fixed code's tables in place, unless they are there from
    /// an earlier fixed block.
    fn use_fixed_tables(&mut self) {
        if !self.fixed_loaded {
            (self.lit_bits, self.dist_bits) =
                super::load_fixed_tables(&mut self.lit_table, &mut self.dist_table);
            self.fixed_loaded = true;
        }
    }

    /// `inflate()`: decompresses as much as the input and output allow.
    /// `header` is the caller's gzip header view when one is registered
    /// ([`Inflater::watch_header`]).
    pub fn inflate(
        &mut self,
        stream: &mut Stream,
        flush: Flush,
        mut header: Option<&mut GzipHeader>,
    ) -> Code {
        stream.consumed = 0;
        stream.produced = 0;
        if !self.header {
            header = None;
        }
        if self.mode == Mode::Type {
            self.mode = Mode::TypeDo;
        }
        let input = stream.input;
        let mut io = Io {
            reader: BitReader::new(input, self.hold, self.bits),
            out: &mut stream.output,
            mark: 0,
        };
        // The output is borrowed by `io`; the fields are separate.
        let mut fields = stream.fields;
        let stop = self.run(&mut io, &mut fields, flush, header);
        let (ret, leave) = match stop {
            Stop::Refuse(code) => {
                stream.fields = fields;
                return code;
            }
            Stop::Early(code) => (code, false),
            Stop::Leave(code) => (code, true),
        };
        (self.hold, self.bits) = io.reader.accumulator();
        let consumed = io.reader.consumed();
        let mark = io.mark;
        stream.consumed = consumed;
        stream.produced = stream.output.len();
        if !leave {
            stream.fields = fields;
            return ret;
        }
        let recent = stream.output.filled().get(mark..).unwrap_or(&[]);
        let keep_history = self.window.in_use()
            || (!recent.is_empty()
                && self.mode < Mode::Bad
                && (self.mode < Mode::Check || flush != Flush::Finish));
        if keep_history && !self.update_window(recent) {
            // The counters stay as they were, as in zlib.
            return Code::MemError;
        }
        fields.total_in = fields.total_in.wrapping_add(consumed as u64);
        fields.total_out = fields.total_out.wrapping_add(recent.len() as u64);
        self.total = self.total.wrapping_add(recent.len() as u64);
        if self.wrap & 4 != 0 && !recent.is_empty() {
            self.update_check(recent);
            fields.adler = u64::from(self.check);
        }
        fields.data_type = self.bits as i32
            + if self.last { 64 } else { 0 }
            + if self.mode == Mode::Type { 128 } else { 0 }
            + if matches!(self.mode, Mode::LenStart | Mode::CopyStart) {
                256
            } else {
                0
            };
        stream.fields = fields;
        if ((consumed == 0 && recent.is_empty()) || flush == Flush::Finish) && ret == Code::Ok {
            return Code::BufError;
        }
        ret
    }

    fn run(
        &mut self,
        io: &mut Io,
        fields: &mut super::Fields,
        flush: Flush,
        mut header: Option<&mut GzipHeader>,
    ) -> Stop {
        macro_rules! bad {
            ($message:expr) => {{
                self.fail_with(fields, $message);
                continue;
            }};
        }
        loop {
            match self.mode {
                Mode::Head => {
                    if self.wrap == 0 {
                        self.mode = Mode::TypeDo;
                        continue;
                    }
                    need!(io, 16);
                    let hold = io.reader.hold();
                    if self.wrap & 2 != 0 && hold == 0x8b1f {
                        if self.wbits == 0 {
                            self.wbits = 15;
                        }
                        self.check = crc32(0, &[hold as u8, (hold >> 8) as u8]);
                        io.reader.clear();
                        self.mode = Mode::Flags;
                        continue;
                    }
                    if let Some(head) = header.as_deref_mut() {
                        head.done = -1;
                    }
                    let fcheck = ((u64::from(io.reader.peek(8)) << 8) + (hold >> 8)) % 31;
                    if self.wrap & 1 == 0 || fcheck != 0 {
                        bad!(messages::INCORRECT_HEADER_CHECK);
                    }
                    if io.reader.peek(4) != 8 {
                        bad!(messages::UNKNOWN_COMPRESSION_METHOD);
                    }
                    io.reader.drop_bits(4);
                    let len = io.reader.peek(4) + 8;
                    if self.wbits == 0 {
                        self.wbits = len;
                    }
                    if len > 15 || len > self.wbits {
                        bad!(messages::INVALID_WINDOW_SIZE);
                    }
                    self.flags = 0;
                    self.check = ADLER32_INIT;
                    fields.adler = u64::from(self.check);
                    self.mode = if io.reader.hold() & 0x200 != 0 {
                        Mode::DictId
                    } else {
                        Mode::Type
                    };
                    io.reader.clear();
                }
                Mode::Flags => {
                    need!(io, 16);
                    let hold = io.reader.hold();
                    self.flags = hold as i32;
                    if self.flags & 0xff != 8 {
                        bad!(messages::UNKNOWN_COMPRESSION_METHOD);
                    }
                    if self.flags & 0xe000 != 0 {
                        bad!(messages::UNKNOWN_HEADER_FLAGS_SET);
                    }
                    if let Some(head) = header.as_deref_mut() {
                        head.text = ((hold >> 8) & 1) as i32;
                    }
                    self.header_crc(&[hold as u8, (hold >> 8) as u8]);
                    io.reader.clear();
                    self.mode = Mode::Time;
                }
                Mode::Time => {
                    need!(io, 32);
                    let hold = io.reader.hold();
                    if let Some(head) = header.as_deref_mut() {
                        head.time = hold;
                    }
                    self.header_crc(&(hold as u32).to_le_bytes());
                    io.reader.clear();
                    self.mode = Mode::Os;
                }
                Mode::Os => {
                    need!(io, 16);
                    let hold = io.reader.hold();
                    if let Some(head) = header.as_deref_mut() {
                        head.xflags = (hold & 0xff) as i32;
                        head.os = (hold >> 8) as i32;
                    }
                    self.header_crc(&[hold as u8, (hold >> 8) as u8]);
                    io.reader.clear();
                    self.mode = Mode::ExLen;
                }
                Mode::ExLen => {
                    if self.flags & 0x0400 != 0 {
                        need!(io, 16);
                        let hold = io.reader.hold();
                        self.length = hold as u32;
                        if let Some(head) = header.as_deref_mut() {
                            head.extra_len = hold as u32;
                        }
                        self.header_crc(&[hold as u8, (hold >> 8) as u8]);
                        io.reader.clear();
                    } else if let Some(head) = header.as_deref_mut() {
                        head.buffers.absent(HeaderField::Extra);
                    }
                    self.mode = Mode::Extra;
                }
                Mode::Extra => {
                    if self.flags & 0x0400 != 0 {
                        let available = io.reader.remaining();
                        let copy = (self.length as usize).min(available.len());
                        if copy != 0 {
                            let bytes = &available[..copy];
                            if let Some(head) = header.as_deref_mut() {
                                let at = head.extra_len.wrapping_sub(self.length) as usize;
                                head.buffers.put(HeaderField::Extra, at, bytes);
                            }
                            self.header_crc(bytes);
                            io.reader.skip_bytes(copy);
                            self.length -= copy as u32;
                        }
                        if self.length != 0 {
                            return Stop::Leave(Code::Ok);
                        }
                    }
                    self.length = 0;
                    self.mode = Mode::Name;
                }
                Mode::Name | Mode::Comment => {
                    let is_name = self.mode == Mode::Name;
                    let flag = if is_name { 0x0800 } else { 0x1000 };
                    if self.flags & flag != 0 {
                        let available = io.reader.remaining();
                        if available.is_empty() {
                            return Stop::Leave(Code::Ok);
                        }
                        // Up to and including the terminating zero.
                        let copy = available
                            .iter()
                            .position(|&b| b == 0)
                            .map_or(available.len(), |i| i + 1);
                        let bytes = &available[..copy];
                        let field = if is_name {
                            HeaderField::Name
                        } else {
                            HeaderField::Comment
                        };
                        if let Some(head) = header.as_deref_mut() {
                            let at = self.length as usize;
                            self.length += head.buffers.put(field, at, bytes) as u32;
                        }
                        self.header_crc(bytes);
                        io.reader.skip_bytes(copy);
                        if bytes.last() != Some(&0) {
                            return Stop::Leave(Code::Ok);
                        }
                    } else if let Some(head) = header.as_deref_mut() {
                        head.buffers.absent(if is_name {
                            HeaderField::Name
                        } else {
                            HeaderField::Comment
                        });
                    }
                    if is_name {
                        self.length = 0;
                        self.mode = Mode::Comment;
                    } else {
                        self.mode = Mode::HeaderCrc;
                    }
                }
                Mode::HeaderCrc => {
                    if self.flags & 0x0200 != 0 {
                        need!(io, 16);
                        if self.wrap & 4 != 0 && io.reader.hold() != u64::from(self.check & 0xffff)
                        {
                            bad!(messages::HEADER_CRC_MISMATCH);
                        }
                        io.reader.clear();
                    }
                    if let Some(head) = header.as_deref_mut() {
                        head.hcrc = (self.flags >> 9) & 1;
                        head.done = 1;
                    }
                    self.check = crc32(0, &[]);
                    fields.adler = u64::from(self.check);
                    self.mode = Mode::Type;
                }
                Mode::DictId => {
                    need!(io, 32);
                    self.check = swap32(io.reader.hold()) as u32;
                    fields.adler = u64::from(self.check);
                    io.reader.clear();
                    self.mode = Mode::Dict;
                }
                Mode::Dict => {
                    if !self.havedict {
                        return Stop::Early(Code::NeedDict);
                    }
                    self.check = ADLER32_INIT;
                    fields.adler = u64::from(self.check);
                    self.mode = Mode::Type;
                }
                Mode::Type | Mode::TypeDo => {
                    // TYPE stops for Z_BLOCK/Z_TREES, then runs TYPEDO's code
                    // while still reporting itself as TYPE.
                    if self.mode == Mode::Type && matches!(flush, Flush::Block | Flush::Trees) {
                        return Stop::Leave(Code::Ok);
                    }
                    if self.last {
                        io.reader.align_to_byte();
                        self.mode = Mode::Check;
                        continue;
                    }
                    need!(io, 3);
                    self.last = io.reader.peek(1) == 1;
                    io.reader.drop_bits(1);
                    match io.reader.peek(2) {
                        0 => self.mode = Mode::Stored,
                        1 => {
                            self.use_fixed_tables();
                            self.mode = Mode::LenStart;
                            if flush == Flush::Trees {
                                io.reader.drop_bits(2);
                                return Stop::Leave(Code::Ok);
                            }
                        }
                        2 => self.mode = Mode::Table,
                        _ => {
                            self.fail_with(fields, messages::INVALID_BLOCK_TYPE);
                        }
                    }
                    io.reader.drop_bits(2);
                }
                Mode::Stored => {
                    io.reader.align_to_byte();
                    need!(io, 32);
                    let hold = io.reader.hold();
                    if hold & 0xffff != (hold >> 16) ^ 0xffff {
                        bad!(messages::INVALID_STORED_BLOCK_LENGTHS);
                    }
                    self.length = (hold & 0xffff) as u32;
                    io.reader.clear();
                    self.mode = Mode::CopyStart;
                    if flush == Flush::Trees {
                        return Stop::Leave(Code::Ok);
                    }
                }
                Mode::CopyStart => self.mode = Mode::Copy,
                Mode::Copy => {
                    if self.length == 0 {
                        self.mode = Mode::Type;
                        continue;
                    }
                    let available = io.reader.remaining();
                    let copy = (self.length as usize).min(available.len()).min(io.left());
                    if copy == 0 {
                        return Stop::Leave(Code::Ok);
                    }
                    io.out.extend_from_input(&available[..copy]);
                    io.reader.skip_bytes(copy);
                    self.length -= copy as u32;
                }
                Mode::Table => {
                    need!(io, 14);
                    // The lengths are about to be overwritten.
                    if self.codes_from_lens {
                        self.codes_used = self.codes_used_by_lens();
                        self.codes_from_lens = false;
                    }
                    self.nlen = io.reader.peek(5) + 257;
                    io.reader.drop_bits(5);
                    self.ndist = io.reader.peek(5) + 1;
                    io.reader.drop_bits(5);
                    self.ncode = io.reader.peek(4) + 4;
                    io.reader.drop_bits(4);
                    if self.nlen > 286 || self.ndist > 30 {
                        bad!(messages::TOO_MANY_LENGTH_OR_DISTANCE_SYMBOLS);
                    }
                    self.have = 0;
                    self.mode = Mode::LenLens;
                }
                Mode::LenLens => {
                    while self.have < self.ncode {
                        need!(io, 3);
                        let slot = CODE_LENGTH_ORDER[self.have as usize % 19];
                        self.lens[slot] = io.reader.peek(3) as u8;
                        self.have += 1;
                        io.reader.drop_bits(3);
                    }
                    while self.have < 19 {
                        self.lens[CODE_LENGTH_ORDER[self.have as usize]] = 0;
                        self.have += 1;
                    }
                    self.fixed_loaded = false;
                    self.codes_used = 0;
                    match huffman::build(
                        CodeKind::CodeLengths,
                        &self.lens[..19],
                        CODE_LENGTH_ROOT_BITS,
                        &mut self.lit_table,
                    ) {
                        Ok(built) => {
                            self.lit_bits = built.root_bits;
                            self.codes_used = built.used;
                        }
                        Err(_) => bad!(messages::INVALID_CODE_LENGTHS_SET),
                    }
                    self.have = 0;
                    self.mode = Mode::CodeLens;
                }
                Mode::CodeLens => {
                    if let Some(stop) = self.read_code_lengths(io, fields) {
                        return stop;
                    }
                    if self.mode == Mode::Bad {
                        continue;
                    }
                    if self.lens[256] == 0 {
                        bad!(messages::MISSING_END_OF_BLOCK);
                    }
                    let nlen = self.nlen as usize;
                    let lengths = &self.lens[..nlen];
                    self.codes_used = 0;
                    match huffman::build(
                        CodeKind::LiteralLength,
                        lengths,
                        LIT_ROOT_BITS,
                        &mut self.lit_table,
                    ) {
                        Ok(built) => self.lit_bits = built.root_bits,
                        Err(_) => bad!(messages::INVALID_LITERAL_LENGTHS_SET),
                    }
                    let distances = &self.lens[nlen..nlen + self.ndist as usize];
                    match huffman::build(
                        CodeKind::Distance,
                        distances,
                        DIST_ROOT_BITS,
                        &mut self.dist_table,
                    ) {
                        Ok(built) => {
                            self.dist_bits = built.root_bits;
                            // Counted from the lengths when asked for.
                            self.codes_from_lens = true;
                        }
                        Err(_) => {
                            self.codes_used =
                                huffman::zlib_entries(&self.lens[..nlen], ZLIB_LIT_ROOT_BITS);
                            bad!(messages::INVALID_DISTANCES_SET)
                        }
                    }
                    self.mode = Mode::LenStart;
                    if flush == Flush::Trees {
                        return Stop::Leave(Code::Ok);
                    }
                }
                Mode::LenStart => self.mode = Mode::Len,
                Mode::Len => {
                    if io.reader.available() >= MIN_INPUT && io.left() > 0 {
                        let started = io.out.len();
                        let exit = fast::run(
                            &self.tables(),
                            &self.window.history(),
                            &mut io.reader,
                            io.out,
                        );
                        match exit {
                            // Stopped after some symbols: look again, as
                            // zlib enters its fast loop again when it can.
                            fast::Exit::Pending if io.out.len() != started => continue,
                            // The next symbol does not fit (or the input is
                            // short): it is the resumable decoder's.
                            // (A hand-over, which inflate's window never asks
                            // for, leaves the symbol to the resumable decoder.)
                            fast::Exit::Pending | fast::Exit::Handover { .. } => {}
                            fast::Exit::EndOfBlock => {
                                self.mode = Mode::Type;
                                self.back = -1;
                                continue;
                            }
                            fast::Exit::Error(message) => bad!(message),
                        }
                    }
                    self.back = 0;
                    let tables = self.tables();
                    let Some((entry, used)) =
                        decode_slow(&mut io.reader, tables.lit, tables.lit_bits)
                    else {
                        return Stop::Leave(Code::Ok);
                    };
                    self.back += used as i32;
                    if entry.is_literal() {
                        // LIT at once when there is room, as zlib's LIT would.
                        if io.left() != 0 {
                            io.out.push(entry.value() as u8);
                        } else {
                            self.length = entry.value();
                            self.mode = Mode::Lit;
                        }
                        continue;
                    }
                    if entry.is_end_of_block() {
                        self.back = -1;
                        self.mode = Mode::Type;
                        continue;
                    }
                    if !entry.is_base() {
                        bad!(messages::INVALID_LITERAL_LENGTH_CODE);
                    }
                    self.length = entry.base_value();
                    self.extra = entry.extra();
                    self.mode = Mode::LenExt;
                }
                Mode::LenExt => {
                    if self.extra != 0 {
                        need!(io, self.extra);
                        self.length += io.reader.peek(self.extra);
                        io.reader.drop_bits(self.extra);
                        self.back += self.extra as i32;
                    }
                    self.was = self.length;
                    self.mode = Mode::Dist;
                }
                Mode::Dist => {
                    let tables = self.tables();
                    let Some((entry, used)) =
                        decode_slow(&mut io.reader, tables.dist, tables.dist_bits)
                    else {
                        return Stop::Leave(Code::Ok);
                    };
                    self.back += used as i32;
                    if !entry.is_base() {
                        bad!(messages::INVALID_DISTANCE_CODE);
                    }
                    self.offset = entry.base_value();
                    self.extra = entry.extra();
                    self.mode = Mode::DistExt;
                }
                Mode::DistExt => {
                    if self.extra != 0 {
                        need!(io, self.extra);
                        self.offset += io.reader.peek(self.extra);
                        io.reader.drop_bits(self.extra);
                        self.back += self.extra as i32;
                    }
                    self.mode = Mode::Match;
                }
                Mode::Match => {
                    let left = io.left();
                    if left == 0 {
                        return Stop::Leave(Code::Ok);
                    }
                    let offset = self.offset as usize;
                    let written = io.out.len() - io.mark;
                    let copy;
                    if offset > written {
                        let back = offset - written;
                        if back > self.window.have() {
                            bad!(messages::INVALID_DISTANCE_TOO_FAR_BACK);
                        }
                        copy = back.min(self.length as usize).min(left);
                        self.window.copy_back(back, copy, io.out);
                    } else {
                        copy = (self.length as usize).min(left);
                        io.out.copy_match_short(offset, copy);
                    }
                    self.length -= copy as u32;
                    if self.length == 0 {
                        self.mode = Mode::Len;
                    }
                }
                Mode::Lit => {
                    if io.left() == 0 {
                        return Stop::Leave(Code::Ok);
                    }
                    io.out.push(self.length as u8);
                    self.mode = Mode::Len;
                }
                Mode::Check => {
                    if self.wrap != 0 {
                        need!(io, 32);
                        let recent = io.out.filled().get(io.mark..).unwrap_or(&[]);
                        fields.total_out = fields.total_out.wrapping_add(recent.len() as u64);
                        self.total = self.total.wrapping_add(recent.len() as u64);
                        if self.wrap & 4 != 0 && !recent.is_empty() {
                            self.update_check(recent);
                            fields.adler = u64::from(self.check);
                        }
                        io.mark = io.out.len();
                        let hold = io.reader.hold();
                        let stored = if self.flags != 0 { hold } else { swap32(hold) };
                        if self.wrap & 4 != 0 && stored != u64::from(self.check) {
                            bad!(messages::INCORRECT_DATA_CHECK);
                        }
                        io.reader.clear();
                    }
                    self.mode = Mode::Length;
                }
                Mode::Length => {
                    if self.wrap != 0 && self.flags != 0 {
                        need!(io, 32);
                        if self.wrap & 4 != 0 && io.reader.hold() != self.total & 0xffff_ffff {
                            bad!(messages::INCORRECT_LENGTH_CHECK);
                        }
                        io.reader.clear();
                    }
                    self.mode = Mode::Done;
                }
                Mode::Done => return Stop::Leave(Code::StreamEnd),
                Mode::Bad => return Stop::Leave(Code::DataError),
                Mode::Mem => return Stop::Refuse(Code::MemError),
                Mode::Sync => return Stop::Refuse(Code::StreamError),
            }
        }
    }

    /// CODELENS: reads the literal/length and distance code lengths with
    /// the code-length code. Returns `Some` to leave for more input; sets
    /// mode `Bad` on a bad repeat.
    fn read_code_lengths(&mut self, io: &mut Io, fields: &mut super::Fields) -> Option<Stop> {
        let total = self.nlen + self.ndist;
        if io.reader.available() >= huffman::MAX_LENGTHS_INPUT && io.reader.bits() < 8 {
            // All of the lengths are at hand (see `huffman::read_lengths`);
            // an invalid repeat is decoded again below, to fail as zlib does.
            let mut reader = io.reader.clone();
            let table = &self.lit_table[..1 << CODE_LENGTH_ROOT_BITS];
            let lens = &mut self.lens[..total as usize];
            if huffman::read_lengths(table, lens, self.have as usize, &mut reader) {
                io.reader = reader;
                self.have = total;
                return None;
            }
        }
        while self.have < total {
            let Some((entry, _)) = peek_code(&mut io.reader, &self.lit_table, self.lit_bits) else {
                return Some(Stop::Leave(Code::Ok));
            };
            let symbol = entry.code_length_symbol();
            let bits = entry.bits();
            if symbol < 16 {
                io.reader.drop_bits(bits);
                self.lens[self.have as usize % 320] = symbol as u8;
                self.have += 1;
                continue;
            }
            let (extra, base) = match symbol {
                16 => (2, 3),
                17 => (3, 3),
                _ => (7, 11),
            };
            if !io.reader.need(bits + extra) {
                return Some(Stop::Leave(Code::Ok));
            }
            io.reader.drop_bits(bits);
            let len = if symbol == 16 {
                if self.have == 0 {
                    self.fail_with(fields, messages::INVALID_BIT_LENGTH_REPEAT);
                    return None;
                }
                self.lens[(self.have as usize - 1) % 320]
            } else {
                0
            };
            let copy = base + io.reader.peek(extra);
            io.reader.drop_bits(extra);
            if self.have + copy > total {
                self.fail_with(fields, messages::INVALID_BIT_LENGTH_REPEAT);
                return None;
            }
            let start = self.have as usize;
            if let Some(run) = self.lens.get_mut(start..start + copy as usize) {
                run.fill(len);
            }
            self.have += copy;
        }
        None
    }

    /// The table entries zlib uses for the literal/length and distance
    /// lengths of the current dynamic block (`inflateCodesUsed`).
    pub(super) fn codes_used_by_lens(&self) -> usize {
        let nlen = (self.nlen as usize).min(self.lens.len());
        let end = (nlen + self.ndist as usize).min(self.lens.len());
        huffman::zlib_entries(&self.lens[..nlen], ZLIB_LIT_ROOT_BITS)
            + huffman::zlib_entries(&self.lens[nlen..end], ZLIB_DIST_ROOT_BITS)
    }

    fn fail_with(&mut self, fields: &mut super::Fields, message: &'static CStr) {
        fields.msg = Message::Set(message);
        self.mode = Mode::Bad;
    }
}

/// Looks up one code of a single-level table without dropping its bits,
/// pulling bytes until it is complete (the code-length code never needs a
/// sub-table).
fn peek_code<E: Entry>(reader: &mut BitReader, table: &[E], root_bits: u32) -> Option<(E, u32)> {
    loop {
        let entry = table
            .get(reader.peek(root_bits) as usize)
            .copied()
            .unwrap_or(E::invalid(0));
        if entry.bits() <= reader.bits() {
            return Some((entry, entry.bits()));
        }
        if !reader.pull_byte() {
            return None;
        }
    }
}
