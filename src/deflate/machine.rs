//! The deflate state machine (zlib's deflate.c outside the match finders):
//! parameters, the zlib/gzip header and trailer, flush handling, return
//! codes, and the stored-block routine of level 0.

use super::config::{self, Routine};
use super::fast;
use super::io::DeflateIo;
use super::parallel::{self, Parallel, Settings};
use super::profile::Profile;
use super::trees::{data_type, pending_buf_size, BlockWriter};
use crate::memory::{Heap, Memory};
use crate::writer::Writer;

use crate::checksum::{adler32, crc32};

/// Shortest and longest match.
pub(crate) const MIN_MATCH: usize = 3;
pub(crate) const MAX_MATCH: usize = 258;
/// Lookahead kept before searching: a longest match plus the next string.
pub(crate) const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
/// Longest stored block.
const MAX_STORED: usize = 65535;
/// The gzip header's OS byte (Unix).
const OS_CODE: u8 = 3;

/// Flush modes (zlib's values).
pub(crate) const Z_NO_FLUSH: i32 = 0;
pub(crate) const Z_PARTIAL_FLUSH: i32 = 1;
pub(crate) const Z_FULL_FLUSH: i32 = 3;
pub(crate) const Z_FINISH: i32 = 4;
pub(crate) const Z_BLOCK: i32 = 5;
/// Strategies.
pub(crate) const Z_FILTERED: i32 = 1;
pub(crate) const Z_HUFFMAN_ONLY: i32 = 2;
pub(crate) const Z_RLE: i32 = 3;
pub(crate) const Z_FIXED: i32 = 4;

/// What a deflate call returns, as zlib's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Code {
    /// `Z_OK`.
    Ok = 0,
    /// `Z_STREAM_END`.
    StreamEnd = 1,
    /// `Z_STREAM_ERROR`; `msg` becomes "stream error".
    StreamError = -2,
    /// `Z_DATA_ERROR` (deflateEnd of an unfinished stream).
    DataError = -3,
    /// `Z_MEM_ERROR`: memory for the stream was refused.
    MemError = -4,
    /// `Z_BUF_ERROR`; `msg` becomes "buffer error".
    BufError = -5,
}

/// zlib's `status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Init,
    Gzip,
    Extra,
    Name,
    Comment,
    Hcrc,
    Busy,
    Finish,
}

/// The caller's gzip header (deflateSetHeader) as one call sees it.
#[derive(Clone, Copy, Debug, Default)]
pub struct GzipHeader<'a> {
    /// `text`: the FTEXT flag.
    pub text: bool,
    /// `time`: MTIME (its low 32 bits are written).
    pub time: u64,
    /// `os`: the OS byte (low 8 bits).
    pub os: i32,
    /// `extra`: the extra field, `extra_len & 0xffff` bytes; XLEN is
    /// `extra_len`'s low 16 bits.
    pub extra: Option<&'a [u8]>,
    /// `extra_len`.
    pub extra_len: u32,
    /// `name` with its terminating NUL.
    pub name: Option<&'a [u8]>,
    /// `comment` with its terminating NUL.
    pub comment: Option<&'a [u8]>,
    /// `hcrc`: write a header CRC.
    pub hcrc: bool,
}

impl GzipHeader<'_> {
    /// The header's size beyond the fixed 10 bytes and the 8-byte trailer
    /// (deflateBound's share).
    pub(crate) fn optional_len(&self) -> u64 {
        let mut len = 0;
        if self.extra.is_some() {
            len += 2 + u64::from(self.extra_len);
        }
        len += self.name.map_or(0, |n| n.len() as u64);
        len += self.comment.map_or(0, |c| c.len() as u64);
        if self.hcrc {
            len += 2;
        }
        len
    }
}

/// What deflateParams needs done before its new parameters apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamsChange {
    /// Bad level or strategy: Z_STREAM_ERROR.
    Invalid,
    /// The new parameters apply at once.
    Ready,
    /// The stream must first be flushed with `deflate(Z_BLOCK)`.
    FlushFirst,
}

/// What a block routine reports (zlib's `block_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockState {
    /// More input or output needed.
    NeedMore,
    /// A flush finished its block.
    BlockDone,
    /// The last block started; the trailer waits for output space.
    FinishStarted,
    /// The last block is complete.
    FinishDone,
}

/// Validated deflateInit2 parameters.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// 0..=9.
    pub level: i32,
    /// 0 raw, 1 zlib, 2 gzip.
    pub wrap: i32,
    /// 9..=15.
    pub window_bits: u32,
    /// 1..=9.
    pub mem_level: u32,
    /// 0..=4.
    pub strategy: i32,
}

impl Params {
    /// zlib's deflateInit2_ parameter checks and normalisation; `None`
    /// where zlib returns Z_STREAM_ERROR.
    pub fn new(
        level: i32,
        method: i32,
        window_bits: i32,
        mem_level: i32,
        strategy: i32,
    ) -> Option<Params> {
        let level = if level == -1 { 6 } else { level };
        let (wrap, bits) = if window_bits < 0 {
            if window_bits < -15 {
                return None;
            }
            (0, -window_bits)
        } else if window_bits > 15 {
            (2, window_bits - 16)
        } else {
            (1, window_bits)
        };
        if !(1..=9).contains(&mem_level)
            || method != 8
            || !(8..=15).contains(&bits)
            || !(0..=9).contains(&level)
            || !(0..=Z_FIXED).contains(&strategy)
            || (bits == 8 && wrap != 1)
        {
            return None;
        }
        Some(Params {
            level,
            wrap,
            window_bits: bits.max(9) as u32,
            mem_level: mem_level as u32,
            strategy,
        })
    }
}

/// A deflate stream's state (zlib's `deflate_state`), its buffers taken
/// from `M`.
#[derive(Debug)]
pub struct Deflater<M: Memory = Heap> {
    status: Status,
    /// 0 raw, 1 zlib, 2 gzip; negative once the trailer is written.
    pub(crate) wrap: i32,
    last_flush: i32,
    pub(crate) level: i32,
    pub(crate) strategy: i32,

    pub(crate) w_bits: u32,
    pub(crate) w_size: usize,
    pub(crate) w_mask: usize,
    // The four buffers are declared, and so dropped, in the reverse of
    // their allocation, as zlib's deflateEnd frees them (see below).
    pub(crate) blocks: BlockWriter<M::Buffer<u8>>,
    /// Fast profile, long walks: the links two back (`fast::Links`),
    /// allocated at their first use, after the four above.
    pub(crate) links: fast::Links<M::Buffer<u16>>,
    /// Most recent string per hash value.
    pub(crate) head: M::Buffer<u16>,
    /// Previous string with the same hash, per window position.
    pub(crate) prev: M::Buffer<u16>,
    /// 2 * w_size bytes: the history and the lookahead.
    pub(crate) window: M::Buffer<u8>,
    pub(crate) ins_h: usize,
    pub(crate) hash_bits: u32,
    pub(crate) hash_mask: usize,
    pub(crate) hash_shift: u32,

    /// Window position where the current block starts; negative once it
    /// has slid out of the window.
    pub(crate) block_start: i64,
    pub(crate) match_length: usize,
    pub(crate) prev_match: usize,
    pub(crate) match_available: bool,
    pub(crate) strstart: usize,
    pub(crate) match_start: usize,
    pub(crate) lookahead: usize,
    pub(crate) prev_length: usize,
    pub(crate) max_chain_length: usize,
    /// Lazy levels' max_lazy_match; fast levels' max_insert_length.
    pub(crate) max_lazy_match: usize,
    pub(crate) good_match: usize,
    pub(crate) nice_match: usize,
    /// Bytes at the end of the window not yet hashed.
    pub(crate) insert: usize,
    /// Bytes of the window ever written.
    pub(crate) high_water: usize,
    /// zlib's `slid`: the hash tables were slid since the last clear.
    pub(crate) slid: bool,

    /// Bytes of the gzip extra field, name or comment already written.
    gzindex: usize,
    /// The algorithms the stream runs: the caller's choice, else Profile::Fast
    /// for a parallel stream, else the default (see `settle_profile`).
    profile: Profile,
    /// The profile the caller chose (set_profile), if any.
    chosen_profile: Option<Profile>,
    /// The profile of streams nobody chose for (set_default_profile).
    default_profile: Profile,
    /// The jobs of a stream on more than one thread (set_threads).
    parallel: Option<Box<Parallel<M>>>,
    /// A deflate call was made since the stream was made or reset: the
    /// profile is settled.
    started: bool,
    /// The stream's allocator, for `links`.
    pub(crate) memory: M,
}

impl<M: Memory> Deflater<M> {
    /// A fresh stream (zlib's deflateInit2_ followed by its deflateReset),
    /// with zlib's four buffers from `memory`; `None` if it refuses one.
    /// `io` receives the reset counters and check value.
    pub fn new(params: Params, io: &mut DeflateIo<'_, '_>, memory: M) -> Option<Deflater<M>> {
        let w_size = 1usize << params.window_bits;
        let hash_bits = params.mem_level + 7;
        let hash_size = 1usize << hash_bits;
        let lit_bufsize = 1usize << (params.mem_level + 6);
        // Like zlib, ask for all four before looking at the answers.
        // The window, `prev` and the pending buffer become usable as the
        // stream reaches them (`grow_window`, `BitWriter`); `head` is
        // cleared as zlib clears it.
        let buffers = (
            memory.reserved(2 * w_size),
            memory.reserved(w_size),
            memory.zeroed(hash_size),
            memory.reserved(pending_buf_size(lit_bufsize)),
        );
        let (Some(window), Some(prev), Some(head), Some(pending)) = buffers else {
            return None;
        };
        let mut deflater = Deflater {
            status: Status::Init,
            wrap: params.wrap,
            last_flush: -2,
            level: params.level,
            strategy: params.strategy,
            w_bits: params.window_bits,
            w_size,
            w_mask: w_size - 1,
            window,
            prev,
            head,
            ins_h: 0,
            hash_bits,
            hash_mask: hash_size - 1,
            hash_shift: hash_bits.div_ceil(MIN_MATCH as u32),
            block_start: 0,
            match_length: 0,
            prev_match: 0,
            match_available: false,
            strstart: 0,
            match_start: 0,
            lookahead: 0,
            prev_length: 0,
            max_chain_length: 0,
            max_lazy_match: 0,
            good_match: 0,
            nice_match: 0,
            insert: 0,
            high_water: 0,
            slid: false,
            blocks: BlockWriter::new(pending),
            links: fast::Links::Absent,
            gzindex: 0,
            profile: Profile::Zlib,
            chosen_profile: None,
            default_profile: Profile::Zlib,
            parallel: None,
            started: false,
            memory,
        };
        // reset without clearing the hash: `head` came zeroed, and a second
        // pass over it would double what a stream's setup writes.
        deflater.reset_keep(io);
        deflater.start_matcher();
        Some(deflater)
    }

    /// An independent copy of the stream with its own buffers from
    /// `memory` (zlib's deflateCopy); `None` if it refuses one.
    /// A parallel stream's copy waits for its jobs in flight first.
    pub fn try_clone(&mut self, memory: M) -> Option<Deflater<M>> {
        let parallel = match self.parallel.as_mut() {
            Some(parallel) => Some(Box::new(parallel.try_clone(&memory)?)),
            None => None,
        };
        // Like zlib, ask for all four before looking at the answers.
        let buffers = (
            memory.copy_grown(&self.window),
            memory.copy_grown(&self.prev),
            memory.copy_of(&self.head),
            self.blocks.try_clone(|buf| memory.copy_grown(buf)),
        );
        let (Some(window), Some(prev), Some(head), Some(blocks)) = buffers else {
            return None;
        };
        Some(Deflater {
            window,
            prev,
            head,
            blocks,
            // Rebuilt by the copy's first walk that needs it.
            links: fast::Links::Absent,
            parallel,
            memory,
            ..*self
        })
    }

    /// zlib's deflateReset: deflateResetKeep then lm_init.
    pub fn reset(&mut self, io: &mut DeflateIo<'_, '_>) {
        self.reset_keep(io);
        self.init_matcher();
        if let Some(parallel) = self.parallel.as_mut() {
            parallel.forget_history();
        }
    }

    /// Zeroes the window, as a new stream has it: a parallel stream's job
    /// reuses a deflater, whose bytes left past the new input could steer
    /// where the last strings hash (a four-byte hash reads a byte past the
    /// input), and so make a job's bytes depend on which job ran before.
    pub(crate) fn clear_window(&mut self) {
        self.window.fill(0);
        self.high_water = 0;
    }

    /// zlib's deflateResetKeep: restarts the stream, keeping the window.
    pub fn reset_keep(&mut self, io: &mut DeflateIo<'_, '_>) {
        io.total_in = 0;
        io.total_out = 0;
        io.data_type = data_type::UNKNOWN;
        self.blocks.reset();
        if self.wrap < 0 {
            self.wrap = -self.wrap;
        }
        self.status = if self.wrap == 2 {
            Status::Gzip
        } else {
            Status::Init
        };
        io.adler = if self.wrap == 2 {
            u64::from(crc32(0, &[]))
        } else {
            u64::from(adler32(1, &[]))
        };
        self.last_flush = -2;
        self.started = false;
        if let Some(parallel) = self.parallel.as_mut() {
            parallel.reset(self.wrap);
        }
    }

    /// The stream's profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Chooses the stream's profile: only before the first deflate call
    /// (since the stream was made or reset), Z_STREAM_ERROR afterwards.
    /// Both profiles keep zlib's hash chains, so the history already given
    /// (a dictionary) serves either.
    pub fn set_profile(&mut self, profile: Profile) -> Code {
        if self.started {
            return Code::StreamError;
        }
        self.chosen_profile = Some(profile);
        self.settle_profile();
        Code::Ok
    }

    /// Sets the profile for when the caller chooses none (the process
    /// default): like [`Deflater::set_profile`], but a parallel stream
    /// runs the fast profile whatever the default.
    pub fn set_default_profile(&mut self, profile: Profile) -> Code {
        if self.started {
            return Code::StreamError;
        }
        self.default_profile = profile;
        self.settle_profile();
        Code::Ok
    }

    /// The profile the stream runs, from the choice, the threads and the
    /// default.
    fn settle_profile(&mut self) {
        let profile = match (self.chosen_profile, &self.parallel) {
            (Some(chosen), _) => chosen,
            (None, Some(_)) => Profile::Fast,
            (None, None) => self.default_profile,
        };
        if profile != self.profile {
            self.links.forget();
        }
        self.profile = profile;
    }

    /// Runs the stream on `threads` threads (0: one per core), only before
    /// the first deflate call (since the stream was made or reset):
    /// Z_STREAM_ERROR afterwards, Z_MEM_ERROR if the memory of the first
    /// job is refused. More than one thread makes a parallel stream (see
    /// `parallel`), which runs the fast profile unless one was chosen.
    pub fn set_threads(&mut self, threads: usize) -> Code {
        if self.started {
            return Code::StreamError;
        }
        let threads = parallel::threads_for(threads);
        if threads <= 1 {
            self.parallel = None;
        } else if let Some(parallel) = self.parallel.as_mut() {
            parallel.set_threads(threads);
        } else {
            let mem_level = self.hash_bits - 7;
            let settings = self.job_settings();
            let Some(mut parallel) =
                Parallel::new(&self.memory, threads, settings, self.w_bits, mem_level)
            else {
                return Code::MemError;
            };
            parallel.set_history(self.dictionary());
            self.parallel = Some(Box::new(parallel));
        }
        self.settle_profile();
        Code::Ok
    }

    /// The threads the stream runs on.
    pub fn threads(&self) -> usize {
        self.parallel
            .as_ref()
            .map_or(1, |parallel| parallel.threads())
    }

    /// What the stream's next job is compressed with.
    fn job_settings(&self) -> Settings {
        Settings {
            level: self.level,
            strategy: self.strategy,
            profile: self.profile,
            tune: [
                self.good_match,
                self.max_lazy_match,
                self.nice_match,
                self.max_chain_length,
            ],
            wrap: self.wrap.abs(),
        }
    }

    /// The parallel stream's jobs, unless it runs as a one-thread stream.
    fn jobs(&self) -> Option<&Parallel<M>> {
        self.parallel
            .as_deref()
            .filter(|parallel| !parallel.is_serial())
    }

    /// Whether this call's input goes to the parallel stream's jobs.
    fn runs_parallel(&mut self, io: &DeflateIo<'_, '_>, flush: i32) -> bool {
        self.parallel
            .as_mut()
            .is_some_and(|parallel| parallel.takes(flush, io.avail_in()))
    }

    /// The block routine of a parallel stream: the header and any primed
    /// bits go out first, then the jobs' output.
    fn deflate_parallel(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        self.flush_pending(io);
        if self.pending_len() != 0 {
            return BlockState::NeedMore;
        }
        let (value, bits) = self.blocks.output().take_bits();
        let settings = self.job_settings();
        let Some(parallel) = self.parallel.as_mut() else {
            return BlockState::NeedMore;
        };
        parallel.prime(value, bits);
        let state = parallel.deflate(io, flush, settings);
        if let Some(used) = parallel.used_bits() {
            self.blocks.output().set_used_bits(used);
        }
        state
    }

    /// zlib's lm_init: empty hash, parameters of the level, no input.
    fn init_matcher(&mut self) {
        self.clear_hash();
        self.start_matcher();
    }

    /// lm_init after CLEAR_HASH.
    fn start_matcher(&mut self) {
        self.apply_level_config();
        self.strstart = 0;
        self.block_start = 0;
        self.lookahead = 0;
        self.insert = 0;
        self.match_length = MIN_MATCH - 1;
        self.prev_length = MIN_MATCH - 1;
        self.match_available = false;
        self.ins_h = 0;
    }

    fn apply_level_config(&mut self) {
        let config = config::for_level(self.level);
        self.max_lazy_match = usize::from(config.max_lazy);
        self.good_match = usize::from(config.good_length);
        self.nice_match = usize::from(config.nice_length);
        self.max_chain_length = usize::from(config.max_chain);
    }

    /// zlib's CLEAR_HASH.
    pub(crate) fn clear_hash(&mut self) {
        self.head.fill(0);
        self.slid = false;
        if self.profile == Profile::Fast {
            self.links.chains_cleared();
        }
    }

    /// deflateSetHeader's check: a gzip stream (zlib's `wrap == 2`; a
    /// finished gzip stream has -2 and is refused, as in zlib).
    pub fn is_gzip(&self) -> bool {
        self.wrap == 2
    }

    /// deflateEnd's verdict: Z_DATA_ERROR if the stream was mid-way.
    pub fn end_code(&self) -> Code {
        if self.status == Status::Busy {
            Code::DataError
        } else {
            Code::Ok
        }
    }

    /// zlib's flush_pending: as many pending bytes as fit to the output.
    pub(crate) fn flush_pending(&mut self, io: &mut DeflateIo<'_, '_>) {
        self.blocks.flush_bits();
        let out = self.blocks.output();
        let n = io.write(out.pending());
        out.consume(n);
    }

    fn pending_len(&mut self) -> usize {
        self.blocks.output().pending_len()
    }

    /// Ends a flushing or finishing call early when output ran out.
    fn pending_stalls(&mut self, io: &mut DeflateIo<'_, '_>) -> bool {
        self.flush_pending(io);
        if self.pending_len() != 0 {
            self.last_flush = -1;
            return true;
        }
        false
    }

    /// zlib's deflate(): compresses as much as the buffers allow.
    /// `flush` is one of zlib's flush values (0..=5).
    /// `header` is the caller's gzip header (deflateSetHeader), if any.
    pub fn deflate(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        header: Option<&GzipHeader<'_>>,
    ) -> Code {
        self.started = true;
        if self.status == Status::Finish && flush != Z_FINISH {
            return Code::StreamError;
        }
        if io.avail_out() == 0 {
            return Code::BufError;
        }
        let old_flush = self.last_flush;
        self.last_flush = flush;

        if self.pending_len() != 0 {
            self.flush_pending(io);
            if io.avail_out() == 0 {
                self.last_flush = -1;
                return Code::Ok;
            }
        } else if io.avail_in() == 0 && rank(flush) <= rank(old_flush) && flush != Z_FINISH {
            return Code::BufError;
        }
        if self.status == Status::Finish && io.avail_in() != 0 {
            return Code::BufError;
        }

        if self.status == Status::Init && self.wrap == 0 {
            self.status = Status::Busy;
        }
        if self.status == Status::Init {
            self.write_zlib_header(io);
            self.status = Status::Busy;
            if self.pending_stalls(io) {
                return Code::Ok;
            }
        }
        if self.status == Status::Gzip {
            io.adler = u64::from(crc32(0, &[]));
            let xfl = if self.level == 9 {
                2
            } else if self.strategy >= Z_HUFFMAN_ONLY || self.level < 2 {
                4
            } else {
                0
            };
            match header {
                None => {
                    self.blocks
                        .output()
                        .put_bytes(&[31, 139, 8, 0, 0, 0, 0, 0, xfl, OS_CODE]);
                    self.status = Status::Busy;
                    if self.pending_stalls(io) {
                        return Code::Ok;
                    }
                }
                Some(head) => {
                    let flags = u8::from(head.text)
                        | u8::from(head.hcrc) << 1
                        | u8::from(head.extra.is_some()) << 2
                        | u8::from(head.name.is_some()) << 3
                        | u8::from(head.comment.is_some()) << 4;
                    let [t0, t1, t2, t3] = (head.time as u32).to_le_bytes();
                    let out = self.blocks.output();
                    out.put_bytes(&[31, 139, 8, flags, t0, t1, t2, t3, xfl, head.os as u8]);
                    if head.extra.is_some() {
                        out.put_bytes(&(head.extra_len as u16).to_le_bytes());
                    }
                    if head.hcrc {
                        self.header_crc(io, 0);
                    }
                    self.gzindex = 0;
                    self.status = Status::Extra;
                }
            }
        }
        if let Some(head) = header {
            if self.write_gzip_fields(io, head) {
                return Code::Ok;
            }
        }

        if io.avail_in() != 0
            || self.lookahead != 0
            || (flush != Z_NO_FLUSH && self.status != Status::Finish)
            || self.jobs().is_some_and(Parallel::busy)
        {
            if self.level == 0 || self.strategy == Z_HUFFMAN_ONLY || self.strategy == Z_RLE {
                // Their strings stay unlinked (see `fast::Links`).
                self.links.forget();
                // They tally symbols (or store): not on the counts the fast
                // profile's level 1 left.
                self.blocks.forget_prior();
            }
            let parallel = self.runs_parallel(io, flush);
            let state = match (self.level, self.strategy) {
                _ if parallel => self.deflate_parallel(io, flush),
                (0, _) => self.deflate_stored(io, flush),
                (_, Z_HUFFMAN_ONLY) => self.deflate_huff(io, flush),
                (_, Z_RLE) => self.deflate_rle(io, flush),
                _ if self.profile == Profile::Fast => self.deflate_fast_profile(io, flush),
                (level, _) => match config::for_level(level).routine {
                    Routine::Fast => self.deflate_fast(io, flush),
                    _ => self.deflate_slow(io, flush),
                },
            };
            if let Some(failed) = self.jobs().and_then(Parallel::failed) {
                return failed;
            }
            if matches!(state, BlockState::FinishStarted | BlockState::FinishDone) {
                self.status = Status::Finish;
            }
            if matches!(state, BlockState::NeedMore | BlockState::FinishStarted) {
                if io.avail_out() == 0 {
                    self.last_flush = -1;
                }
                return Code::Ok;
            }
            if state == BlockState::BlockDone {
                self.end_flush_block(flush);
                self.flush_pending(io);
                if io.avail_out() == 0 {
                    self.last_flush = -1;
                    return Code::Ok;
                }
            }
        }

        if flush != Z_FINISH {
            return Code::Ok;
        }
        if self.wrap <= 0 {
            return Code::StreamEnd;
        }
        self.write_trailer(io);
        self.flush_pending(io);
        self.wrap = -self.wrap;
        if self.pending_len() != 0 {
            Code::Ok
        } else {
            Code::StreamEnd
        }
    }

    /// The zlib header (and the dictionary's Adler-32 if one was set).
    fn write_zlib_header(&mut self, io: &mut DeflateIo<'_, '_>) {
        let mut header = (8 + ((self.w_bits - 8) << 4)) << 8;
        let level_flags = if self.strategy >= Z_HUFFMAN_ONLY || self.level < 2 {
            0
        } else if self.level < 6 {
            1
        } else if self.level == 6 {
            2
        } else {
            3
        };
        header |= level_flags << 6;
        if self.strstart != 0 {
            header |= 0x20;
        }
        header += 31 - (header % 31);
        let out = self.blocks.output();
        out.put_bytes(&(header as u16).to_be_bytes());
        if self.strstart != 0 {
            out.put_bytes(&(io.adler as u32).to_be_bytes());
        }
        io.adler = u64::from(adler32(1, &[]));
    }

    /// What a flush adds after its block: an empty fixed block
    /// (Z_PARTIAL_FLUSH), nothing (Z_BLOCK), or an empty stored block, and
    /// for Z_FULL_FLUSH a forgotten history.
    fn end_flush_block(&mut self, flush: i32) {
        if flush == Z_PARTIAL_FLUSH {
            self.blocks.align();
        } else if flush != Z_BLOCK {
            self.blocks.stored_block(&[], false);
            if flush == Z_FULL_FLUSH {
                self.clear_hash();
                if self.lookahead == 0 {
                    self.strstart = 0;
                    self.block_start = 0;
                    self.insert = 0;
                }
            }
        }
    }

    /// The gzip (CRC-32, ISIZE) or zlib (Adler-32) trailer.
    fn write_trailer(&mut self, io: &mut DeflateIo<'_, '_>) {
        let out = self.blocks.output();
        if self.wrap == 2 {
            out.put_bytes(&(io.adler as u32).to_le_bytes());
            out.put_bytes(&(io.total_in as u32).to_le_bytes());
        } else {
            out.put_bytes(&(io.adler as u32).to_be_bytes());
        }
    }

    /// zlib's HCRC_UPDATE: the header CRC over pending bytes from `from`.
    fn header_crc(&mut self, io: &mut DeflateIo<'_, '_>, from: usize) {
        let bytes = self.blocks.output().written_since(from);
        if !bytes.is_empty() {
            io.adler = u64::from(crc32(io.adler as u32, bytes));
        }
    }

    /// The gzip header's extra, name, comment and CRC, written as far as
    /// the pending buffer allows (zlib's EXTRA..HCRC states). Returns true
    /// when the call must end to let the caller take the pending output.
    fn write_gzip_fields(&mut self, io: &mut DeflateIo<'_, '_>, head: &GzipHeader<'_>) -> bool {
        let size = self.blocks.output().capacity();
        if self.status == Status::Extra {
            if let Some(extra) = head.extra {
                let mut from = self.pending_len();
                let total = (head.extra_len & 0xffff) as usize;
                let mut left = total.saturating_sub(self.gzindex);
                while self.pending_len() + left > size {
                    let copy = size - self.pending_len();
                    self.put_field_bytes(extra, copy);
                    if head.hcrc {
                        self.header_crc(io, from);
                    }
                    if self.pending_stalls(io) {
                        return true;
                    }
                    from = 0;
                    left -= copy;
                }
                self.put_field_bytes(extra, left);
                if head.hcrc {
                    self.header_crc(io, from);
                }
                self.gzindex = 0;
            }
            self.status = Status::Name;
        }
        if self.status == Status::Name {
            if let Some(name) = head.name {
                if self.write_string(io, name, head.hcrc) {
                    return true;
                }
                self.gzindex = 0;
            }
            self.status = Status::Comment;
        }
        if self.status == Status::Comment {
            if let Some(comment) = head.comment {
                if self.write_string(io, comment, head.hcrc) {
                    return true;
                }
            }
            self.status = Status::Hcrc;
        }
        if self.status == Status::Hcrc {
            if head.hcrc {
                if self.pending_len() + 2 > size && self.pending_stalls(io) {
                    return true;
                }
                let crc = (io.adler as u16).to_le_bytes();
                self.blocks.output().put_bytes(&crc);
                io.adler = u64::from(crc32(0, &[]));
            }
            self.status = Status::Busy;
            if self.pending_stalls(io) {
                return true;
            }
        }
        false
    }

    /// Appends `count` bytes of a header field from `gzindex` on.
    fn put_field_bytes(&mut self, field: &[u8], count: usize) {
        let start = self.gzindex.min(field.len());
        let end = (self.gzindex + count).min(field.len());
        self.blocks.output().put_bytes(&field[start..end]);
        // A field shorter than announced is padded, never read past.
        for _ in (end - start)..count {
            self.blocks.output().put_bytes(&[0]);
        }
        self.gzindex += count;
    }

    /// A NUL-terminated name or comment, byte by byte from `gzindex`,
    /// flushing whenever the pending buffer is full. True if stalled.
    fn write_string(&mut self, io: &mut DeflateIo<'_, '_>, text: &[u8], hcrc: bool) -> bool {
        let size = self.blocks.output().capacity();
        let mut from = self.pending_len();
        loop {
            if self.pending_len() == size {
                if hcrc {
                    self.header_crc(io, from);
                }
                if self.pending_stalls(io) {
                    return true;
                }
                from = 0;
            }
            let byte = text.get(self.gzindex).copied().unwrap_or(0);
            self.gzindex += 1;
            self.blocks.output().put_bytes(&[byte]);
            if byte == 0 {
                break;
            }
        }
        if hcrc {
            self.header_crc(io, from);
        }
        false
    }

    /// zlib's deflateSetDictionary (after its state check): primes the
    /// window and hash with `dictionary` (its last w_size bytes).
    pub fn set_dictionary(&mut self, io: &mut DeflateIo<'_, '_>, dictionary: &[u8]) -> Code {
        self.load_dictionary(io, dictionary, false)
    }

    /// A parallel stream's job's dictionary: as deflateSetDictionary, but
    /// hashed only as the job's level hashes (at the fast profile's levels
    /// with the four-byte hash, zlib's hash would be redone at once).
    pub(crate) fn set_job_dictionary(&mut self, dictionary: &[u8]) {
        let four = self.profile == Profile::Fast && fast::hashes_four(self.level);
        let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
        self.load_dictionary(&mut io, dictionary, four);
    }

    /// deflateSetDictionary's work; `four`: hash with the four-byte hash.
    fn load_dictionary(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        dictionary: &[u8],
        four: bool,
    ) -> Code {
        let wrap = self.wrap;
        if wrap == 2
            || (wrap == 1 && self.status != Status::Init)
            || self.lookahead != 0
            || self.jobs().is_some_and(Parallel::has_input)
        {
            return Code::StreamError;
        }
        if wrap == 1 {
            io.adler = u64::from(adler32(io.adler as u32, dictionary));
        }
        if let Some(parallel) = self.parallel.as_mut() {
            parallel.set_history(dictionary);
        }
        let mut dictionary = dictionary;
        if dictionary.len() >= self.w_size {
            if wrap == 0 {
                self.clear_hash();
                self.strstart = 0;
                self.block_start = 0;
                self.insert = 0;
            }
            dictionary = &dictionary[dictionary.len() - self.w_size..];
        }
        // The dictionary goes through fill_window as input, without a check
        // value but counted in total_in, as in zlib.
        self.wrap = 0;
        let mut feed = DeflateIo::new(dictionary, Writer::empty(), io.total_in, io.total_out);
        self.fill_window(&mut feed);
        while self.lookahead >= MIN_MATCH {
            let end = self.strstart + self.lookahead - (MIN_MATCH - 1);
            if four {
                self.insert_four(self.strstart, end);
            } else {
                for at in self.strstart..end {
                    self.insert_string(at);
                }
                self.links
                    .relink(&self.prev, self.strstart..end, self.w_mask);
            }
            self.strstart = end;
            self.lookahead = MIN_MATCH - 1;
            self.fill_window(&mut feed);
        }
        io.total_in = feed.total_in;
        self.strstart += self.lookahead;
        self.block_start = self.strstart as i64;
        self.insert = self.lookahead;
        self.lookahead = 0;
        self.match_length = MIN_MATCH - 1;
        self.prev_length = MIN_MATCH - 1;
        self.match_available = false;
        self.wrap = wrap;
        Code::Ok
    }

    /// zlib's deflateGetDictionary: the last (at most w_size) bytes of
    /// the window.
    pub fn dictionary(&self) -> &[u8] {
        if let Some(parallel) = self.jobs() {
            return parallel.history();
        }
        let end = self.strstart + self.lookahead;
        let len = end.min(self.w_size);
        self.window.get(end - len..end).unwrap_or(&[])
    }

    /// deflateParams' first step: checks `level` (-1 for the default) and
    /// `strategy`, and says whether the stream must be flushed first.
    pub fn params_change(&self, level: i32, strategy: i32) -> ParamsChange {
        let level = if level == -1 { 6 } else { level };
        if !(0..=9).contains(&level) || !(0..=Z_FIXED).contains(&strategy) {
            return ParamsChange::Invalid;
        }
        // A parallel stream's jobs take the settings they were cut with:
        // only input not yet in a job must be cut first.
        if let Some(parallel) = self.jobs() {
            let changes = level != self.level || strategy != self.strategy;
            return if changes && parallel.has_input() {
                ParamsChange::FlushFirst
            } else {
                ParamsChange::Ready
            };
        }
        let routine_changes = match self.profile {
            Profile::Zlib => {
                config::for_level(self.level).routine != config::for_level(level).routine
            }
            Profile::Fast => fast::band(self.level) != fast::band(level),
        };
        if (strategy != self.strategy || routine_changes) && self.last_flush != -2 {
            ParamsChange::FlushFirst
        } else {
            ParamsChange::Ready
        }
    }

    /// deflateParams' check after its flush: input or window data that did
    /// not make it into a block.
    pub fn has_unflushed_data(&self) -> bool {
        if let Some(parallel) = self.jobs() {
            return parallel.has_input();
        }
        self.strstart as i64 - self.block_start + self.lookahead as i64 != 0
    }

    /// deflateParams' last step: switches to `level` (-1 for the default)
    /// and `strategy`, already checked by [`Deflater::params_change`].
    pub fn set_params(&mut self, level: i32, strategy: i32) {
        let level = if level == -1 { 6 } else { level };
        if self.level != level {
            if self.level == 0 && self.blocks.matches != 0 {
                if self.blocks.matches == 1 {
                    self.slide_hash();
                } else {
                    self.clear_hash();
                }
                self.blocks.matches = 0;
            }
            self.level = level;
            self.apply_level_config();
        }
        self.strategy = strategy;
    }

    /// zlib's deflateTune: raw search parameters (C `uInt` casts).
    pub fn tune(&mut self, good_length: i32, max_lazy: i32, nice_length: i32, max_chain: i32) {
        self.good_match = good_length as u32 as usize;
        self.max_lazy_match = max_lazy as u32 as usize;
        self.nice_match = nice_length as u32 as usize;
        self.max_chain_length = max_chain as u32 as usize;
    }

    /// zlib's deflatePending: bytes and bits of output not yet delivered.
    pub fn pending(&mut self) -> (usize, u32) {
        let held = self.jobs().map_or(0, Parallel::held_output);
        let out = self.blocks.output();
        out.normalize();
        (out.pending_len() + held, out.pending_bits())
    }

    /// zlib's deflateUsed: the bits (1..=8) used in the last byte when the
    /// output was last aligned to a byte, or 0 before that.
    pub fn used_bits(&mut self) -> u8 {
        self.blocks.output().used_bits()
    }

    /// zlib's deflatePrime: inserts `bits` (0..=16) bits of `value` into
    /// the output. Z_BUF_ERROR for a bad count or too much pending output.
    pub fn prime(&mut self, bits: i32, value: i32) -> Code {
        match self.blocks.prime(bits, value) {
            Ok(()) => Code::Ok,
            Err(()) => Code::BufError,
        }
    }

    /// What a parallel stream adds to deflateBound: each job is a raw
    /// stream of its own, with its own bound's slack and a sync flush.
    pub(crate) fn parallel_bound(&self, source_len: u64) -> u64 {
        if self.parallel.is_none() {
            return 0;
        }
        (source_len / parallel::BLOCK as u64 + 2).saturating_mul(16)
    }

    /// zlib's deflateBound for this stream.
    pub(crate) fn wrapper_len(&self, header: Option<&GzipHeader<'_>>) -> u64 {
        match self.wrap.abs() {
            0 => 0,
            1 => 6 + if self.strstart != 0 { 4 } else { 0 },
            _ => 18 + header.map_or(0, GzipHeader::optional_len),
        }
    }

    /// zlib's FLUSH_BLOCK_ONLY: ends the block at `strstart` and flushes.
    pub(crate) fn flush_block_only(&mut self, io: &mut DeflateIo<'_, '_>, last: bool) {
        let stored = if self.block_start >= 0 {
            self.window.get(self.block_start as usize..self.strstart)
        } else {
            None
        };
        self.blocks
            .flush_block(stored, last, self.level, self.strategy, &mut io.data_type);
        self.block_start = self.strstart as i64;
        self.flush_pending(io);
    }

    /// zlib's deflate_stored: stored blocks, straight from the input to the
    /// output when both are large enough, else through the window and the
    /// pending buffer.
    fn deflate_stored(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        let pending_size = self.blocks.output().capacity();
        let mut min_block = (pending_size - 5).min(self.w_size);
        let mut last = false;
        let used = io.avail_in();
        loop {
            let header = (self.blocks.output().pending_bits() as usize + 42) >> 3;
            if io.avail_out() < header {
                break;
            }
            let room = io.avail_out() - header;
            let mut left = self.strstart - self.block_start as usize;
            let mut len = MAX_STORED.min(left + io.avail_in()).min(room);
            if len < min_block
                && ((len == 0 && flush != Z_FINISH)
                    || flush == Z_NO_FLUSH
                    || len != left + io.avail_in())
            {
                break;
            }
            last = flush == Z_FINISH && len == left + io.avail_in();
            self.blocks.stored_block_header(len as u16, last);
            self.flush_pending(io);
            if left != 0 {
                left = left.min(len);
                let start = self.block_start as usize;
                io.write(&self.window[start..start + left]);
                self.block_start += left as i64;
                len -= left;
            }
            if len != 0 {
                io.copy_input_to_output(len, self.wrap);
            }
            if last {
                break;
            }
        }

        let used = used - io.avail_in();
        if used != 0 {
            let copied = &io.input[io.consumed - used..io.consumed];
            if used >= self.w_size {
                self.blocks.matches = 2;
                let w = self.w_size;
                self.grow_window(w);
                self.window[..w].copy_from_slice(&copied[used - w..]);
                self.strstart = w;
                self.insert = w;
            } else {
                if self.window_size() - self.strstart <= used {
                    self.strstart -= self.w_size;
                    let (s, w) = (self.strstart, self.w_size);
                    self.window.copy_within(w..w + s, 0);
                    if self.blocks.matches < 2 {
                        self.blocks.matches += 1;
                    }
                    self.insert = self.insert.min(self.strstart);
                }
                let s = self.strstart;
                self.grow_window(s + used);
                self.window[s..s + used].copy_from_slice(copied);
                self.strstart += used;
                self.insert += used.min(self.w_size - self.insert);
            }
            self.block_start = self.strstart as i64;
        }
        self.high_water = self.high_water.max(self.strstart);

        if last {
            self.blocks.output().set_used_bits(8);
            return BlockState::FinishDone;
        }
        if flush != Z_NO_FLUSH
            && flush != Z_FINISH
            && io.avail_in() == 0
            && self.strstart as i64 == self.block_start
        {
            return BlockState::BlockDone;
        }

        let mut have = self.window_size() - self.strstart;
        if io.avail_in() > have && self.block_start >= self.w_size as i64 {
            self.block_start -= self.w_size as i64;
            self.strstart -= self.w_size;
            let (s, w) = (self.strstart, self.w_size);
            self.window.copy_within(w..w + s, 0);
            if self.blocks.matches < 2 {
                self.blocks.matches += 1;
            }
            have += self.w_size;
            self.insert = self.insert.min(self.strstart);
        }
        have = have.min(io.avail_in());
        if have != 0 {
            let s = self.strstart;
            self.grow_window(s + have);
            io.read_into(&mut self.window[s..s + have], self.wrap);
            self.strstart += have;
            self.insert += have.min(self.w_size - self.insert);
        }
        self.high_water = self.high_water.max(self.strstart);

        let header = (self.blocks.output().pending_bits() as usize + 42) >> 3;
        let have = (pending_size - header).min(MAX_STORED);
        min_block = have.min(self.w_size);
        let left = self.strstart - self.block_start as usize;
        if left >= min_block
            || ((left != 0 || flush == Z_FINISH)
                && flush != Z_NO_FLUSH
                && io.avail_in() == 0
                && left <= have)
        {
            let len = left.min(have);
            last = flush == Z_FINISH && io.avail_in() == 0 && len == left;
            let start = self.block_start as usize;
            let bytes = &self.window[start..start + len];
            self.blocks.stored_block(bytes, last);
            self.block_start += len as i64;
            self.flush_pending(io);
        }
        if last {
            self.blocks.output().set_used_bits(8);
            BlockState::FinishStarted
        } else {
            BlockState::NeedMore
        }
    }
}

/// zlib's RANK: orders flush modes, Z_BLOCK between Z_NO_FLUSH and
/// Z_PARTIAL_FLUSH.
fn rank(flush: i32) -> i32 {
    flush * 2 - if flush > 4 { 9 } else { 0 }
}
