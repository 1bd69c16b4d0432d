//! One stream on many threads (`rz_deflateSetThreads`, the environment's
//! `RZLIB_DEFLATE_THREADS`).
//!
//! The input is cut into jobs of [`BLOCK`] bytes. Each job is compressed
//! on a pool thread ([`crate::pool`]) by a raw deflater of its own, with
//! the window's worth of input before it as its dictionary, and ends on a
//! byte boundary (a sync flush, or the last block for `Z_FINISH`). The
//! caller's thread only copies: input into jobs, and the jobs' output, in
//! order, to the caller's buffer; the check value is each job's, combined.
//! So the stream is one ordinary zlib, gzip or raw stream; its bytes depend
//! on where the jobs were cut (every `BLOCK` bytes, and at each flush), not
//! on how many threads ran them.
//!
//! The header, the trailer and the call's bookkeeping (return codes,
//! flushes, `Z_FINISH`'s states) stay the stream's own deflater's
//! ([`super::Deflater`]), which calls [`Parallel::deflate`] where a block
//! routine would run.
//!
//! Memory: every job's buffers (its deflater, its input and its output)
//! come from the stream's [`Memory`] on the caller's thread: a caller's
//! `zalloc` is never called from a pool thread. A job's deflater is made
//! ready for its level before it leaves ([`super::Deflater::settle_links`])
//! so that compressing neither allocates nor frees.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use super::io::DeflateIo;
use super::machine::{BlockState, Code, Deflater, Params, Z_FINISH, Z_FULL_FLUSH, Z_NO_FLUSH};
use super::profile::Profile;
use super::trees::data_type;
use crate::checksum::{adler32, adler32_combine, crc32, crc32_combine};
use crate::memory::{Grow, Memory};
use crate::pool;
use crate::writer::Writer;

/// Input per job. Large enough that the dictionary each job primes (a
/// quarter of a job at the default window) costs little; small enough
/// that two jobs per thread stay in cache-sized memory. Tiny under Miri.
pub const BLOCK: usize = if cfg!(miri) { 1 << 11 } else { 128 << 10 };

/// Input per job with `settings`: [`BLOCK`], or twice that at the fast
/// profile's level 1, whose quick work makes a job's fixed costs (its
/// dictionary, its first block's fixed codes) weigh more: with 128 KiB
/// jobs level 1 ran 1.67 times as fast on two threads as on one and wrote
/// 1.9% more, with 256 KiB 1.75 times and 0.7%.
fn job_input(settings: &Settings) -> usize {
    if settings.profile == Profile::Fast && settings.level == 1 {
        2 * BLOCK
    } else {
        BLOCK
    }
}

/// zlib's Z_SYNC_FLUSH: how a job that is not the last one ends.
const Z_SYNC_FLUSH: i32 = 2;

/// What a job is compressed with: the stream's settings when it was cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Settings {
    pub level: i32,
    pub strategy: i32,
    pub profile: Profile,
    /// deflateTune's values (the level's own unless tuned).
    pub tune: [usize; 4],
    /// 1 Adler-32, 2 CRC-32, 0 none: the check each job computes.
    pub wrap: i32,
}

/// One piece of the stream: input in, output out, made on the caller's
/// thread and compressed on a pool thread.
#[derive(Debug)]
struct Job<M: Memory> {
    seq: u64,
    /// A raw stream with the stream's window and memLevel.
    deflater: Deflater<M>,
    /// The dictionary (`dict` bytes), then the job's input, to `len`.
    input: M::Buffer<u8>,
    dict: usize,
    len: usize,
    /// Input the job takes at most ([`job_input`]).
    limit: usize,
    output: M::Buffer<u8>,
    /// Output written by the pool thread.
    produced: usize,
    /// Input the deflater took (of `len - dict`).
    consumed: usize,
    /// The job ends the stream (Z_FINISH) rather than with a sync flush.
    last: bool,
    settings: Settings,
    /// Bits the caller primed (deflatePrime) before the job's data: value
    /// and count (under 8).
    primed: (u32, u32),
    /// The check value of the job's input.
    check: u32,
    /// zlib's data_type as the job's first block detected it.
    data_type: i32,
    /// The deflater finished within `output`; else the caller's thread
    /// finishes it into the caller's buffer.
    complete: bool,
    /// The job panicked: the stream is broken.
    failed: bool,
}

impl<M: Memory> Job<M> {
    /// A job's buffers, from `memory`: `None` when refused.
    fn new(memory: &M, settings: Settings, w_bits: u32, mem_level: u32) -> Option<Job<M>> {
        let params = Params::new(
            settings.level,
            8,
            -(w_bits as i32),
            mem_level as i32,
            settings.strategy,
        )?;
        let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
        let deflater = Deflater::new(params, &mut io, memory.clone())?;
        let input = memory.reserved((1 << w_bits) + 2 * BLOCK)?;
        let output = memory.reserved(output_room(&deflater, 2 * BLOCK))?;
        Some(Job {
            seq: 0,
            deflater,
            input,
            dict: 0,
            len: 0,
            limit: BLOCK,
            output,
            produced: 0,
            consumed: 0,
            last: false,
            settings,
            primed: (0, 0),
            check: 0,
            data_type: data_type::UNKNOWN,
            complete: false,
            failed: false,
        })
    }

    fn data(&self) -> &[u8] {
        &self.input[self.dict..self.len]
    }

    fn flush_mode(&self) -> i32 {
        if self.last {
            Z_FINISH
        } else {
            Z_SYNC_FLUSH
        }
    }

    /// Readies the deflater for the job's settings, on the caller's
    /// thread: a fresh raw stream at the job's level, with the links two
    /// back made or freed here (see [`Deflater::settle_links`]).
    fn prepare(&mut self) {
        let settings = self.settings;
        let deflater = &mut self.deflater;
        let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
        deflater.set_params(settings.level, settings.strategy);
        deflater.reset(&mut io);
        let [good, lazy, nice, chain] = settings.tune;
        deflater.tune(good as i32, lazy as i32, nice as i32, chain as i32);
        deflater.set_profile(settings.profile);
        deflater.settle_links();
    }

    /// Compresses the job (on a pool thread): the dictionary, the primed
    /// bits, the data, and its end.
    fn run(&mut self) {
        self.deflater.clear_window();
        if self.dict != 0 {
            self.deflater.set_job_dictionary(&self.input[..self.dict]);
        }
        if self.primed.1 != 0 {
            self.deflater
                .prime(self.primed.1 as i32, self.primed.0 as i32);
        }
        self.output
            .grow_zeroed(output_room(&self.deflater, self.limit));
        let flush = self.flush_mode();
        let data = &self.input[self.dict..self.len];
        let mut io = DeflateIo::new(data, Writer::from_bytes(&mut self.output), 0, 0);
        io.data_type = data_type::UNKNOWN;
        let code = self.deflater.deflate(&mut io, flush, None);
        let room_left = io.avail_out() != 0;
        self.consumed = io.consumed;
        self.produced = io.produced;
        self.data_type = io.data_type;
        self.complete = self.ended(code, room_left);
        self.check = match self.settings.wrap {
            1 => adler32(1, data),
            2 => crc32(0, data),
            _ => 0,
        };
    }

    /// An independent copy with its own buffers from `memory`; `None` if
    /// it refuses one.
    fn try_clone(&mut self, memory: &M) -> Option<Job<M>> {
        Some(Job {
            deflater: self.deflater.try_clone(memory.clone())?,
            input: memory.copy_grown(&self.input)?,
            output: memory.copy_grown(&self.output)?,
            ..*self
        })
    }

    /// Finishes, into the caller's output, a job whose output did not fit
    /// its buffer; true when done.
    fn finish_into(&mut self, io: &mut DeflateIo<'_, '_>) -> bool {
        let flush = self.flush_mode();
        let rest = &self.input[self.dict + self.consumed..self.len];
        let deflater = &mut self.deflater;
        let room = io.avail_out();
        let (code, consumed, produced, left) = io.output.write_next(room, |piece| {
            let output = core::mem::replace(piece, Writer::empty());
            let mut sub = DeflateIo::new(rest, output, 0, 0);
            let code = deflater.deflate(&mut sub, flush, None);
            let left = sub.avail_out();
            *piece = sub.output;
            (code, sub.consumed, sub.produced, left)
        });
        io.produced += produced;
        io.total_out = io.total_out.wrapping_add(produced as u64);
        self.consumed += consumed;
        self.complete = self.ended(code, left != 0);
        self.complete
    }

    /// Whether the deflater, having returned `code` with output space left
    /// or not, took all the data and ended as the job must (zlib's signs:
    /// Z_STREAM_END for Z_FINISH, space left over for a flush).
    fn ended(&self, code: Code, room_left: bool) -> bool {
        self.consumed == self.data().len()
            && if self.last {
                code == Code::StreamEnd
            } else {
                code == Code::Ok && room_left
            }
    }
}

/// Output space for a job of `input` bytes: its deflateBound, and room for
/// the sync flush and primed bits.
fn output_room<M: Memory>(deflater: &Deflater<M>, input: usize) -> usize {
    super::bound(Some(deflater), None, input as u64) as usize + 64
}

/// Where pool threads leave finished jobs for the stream.
#[derive(Debug)]
struct Mailbox<J> {
    done: Mutex<Vec<J>>,
    arrived: Condvar,
}

/// Takes job `seq` out of `done`, if it is there.
fn remove_job<M: Memory>(done: &mut Vec<Job<M>>, seq: u64) -> Option<Job<M>> {
    let at = done.iter().position(|job| job.seq == seq)?;
    Some(done.swap_remove(at))
}

impl<M: Memory> Mailbox<Job<M>> {
    /// A mailbox holding `jobs`.
    fn holding(jobs: Vec<Job<M>>) -> Mailbox<Job<M>> {
        Mailbox {
            done: Mutex::new(jobs),
            arrived: Condvar::new(),
        }
    }

    fn deliver(&self, job: Job<M>) {
        self.done
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(job);
        self.arrived.notify_all();
    }

    /// Job `seq`, if it has arrived.
    fn take(&self, seq: u64) -> Option<Job<M>> {
        let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        remove_job(&mut done, seq)
    }

    /// Waits for job `seq`, which a pool thread will deliver.
    fn wait(&self, seq: u64) -> Job<M> {
        let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(job) = remove_job(&mut done, seq) {
                return job;
            }
            done = self
                .arrived
                .wait(done)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Copies of the jobs that have arrived, in a new mailbox; `None` if
    /// memory is refused.
    fn try_clone(&self, memory: &M) -> Option<Mailbox<Job<M>>> {
        let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        let copies = done.iter_mut().map(|job| job.try_clone(memory));
        Some(Mailbox::holding(copies.collect::<Option<Vec<_>>>()?))
    }

    /// Waits until `count` jobs have arrived, and gives them back.
    fn wait_all(&self, count: usize) -> Vec<Job<M>> {
        let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        while done.len() < count {
            done = self
                .arrived
                .wait(done)
                .unwrap_or_else(PoisonError::into_inner);
        }
        core::mem::take(&mut *done)
    }

    fn arrived_bytes(&self) -> usize {
        let done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        done.iter().map(|job| job.produced).sum()
    }
}

/// Distinguishes streams' tasks in the pool's queue.
static NEXT_OWNER: AtomicU64 = AtomicU64::new(1);

/// A parallel stream's jobs and the state between them.
#[derive(Debug)]
pub(crate) struct Parallel<M: Memory> {
    threads: usize,
    owner: u64,
    memory: M,
    w_bits: u32,
    mem_level: u32,
    /// Jobs made and free.
    idle: Vec<Job<M>>,
    /// Jobs made in all (at most two per thread).
    made: usize,
    /// The job taking input.
    fill: Option<Job<M>>,
    /// The last window's worth of input: the next job's dictionary.
    history: M::Buffer<u8>,
    history_len: usize,
    /// The jobs given to the pool and not yet taken back are those from
    /// `oldest` to `next_seq` (they are numbered as they are cut, and
    /// written out in order).
    oldest: u64,
    next_seq: u64,
    mailbox: Arc<Mailbox<Job<M>>>,
    /// The oldest finished job, and how much of its output was written.
    out: Option<(Job<M>, usize)>,
    /// Bits primed for the next job.
    primed: (u32, u32),
    /// The check value of the input written out so far.
    check: u32,
    /// deflateUsed's bits, from the last job written.
    used_bits: Option<u8>,
    /// The stream's input went to the stream's own deflater instead (a
    /// short stream finished in its first call).
    serial: bool,
    /// Input was taken since the stream began.
    started: bool,
    /// The last job was cut.
    last_sent: bool,
    /// Why the stream cannot go on: a job panicked (Z_STREAM_ERROR), or
    /// no job could be made (Z_MEM_ERROR).
    failed: Option<Code>,
}

impl<M: Memory> Parallel<M> {
    /// A stream's jobs for `threads` threads, with the first job's memory
    /// made now, so that a refusing allocator is seen at once (`None`).
    pub(crate) fn new(
        memory: &M,
        threads: usize,
        settings: Settings,
        w_bits: u32,
        mem_level: u32,
    ) -> Option<Parallel<M>> {
        let history = memory.reserved(1 << w_bits)?;
        let first = Job::new(memory, settings, w_bits, mem_level)?;
        let mut parallel = Parallel {
            threads,
            owner: NEXT_OWNER.fetch_add(1, Ordering::Relaxed),
            memory: memory.clone(),
            w_bits,
            mem_level,
            idle: vec![first],
            made: 1,
            fill: None,
            history,
            history_len: 0,
            oldest: 0,
            next_seq: 0,
            mailbox: Arc::new(Mailbox::holding(Vec::new())),
            out: None,
            primed: (0, 0),
            check: 0,
            used_bits: None,
            serial: false,
            started: false,
            last_sent: false,
            failed: None,
        };
        parallel.reset(settings.wrap);
        Some(parallel)
    }

    /// Jobs given to the pool and not yet taken back.
    fn in_flight(&self) -> usize {
        (self.next_seq - self.oldest) as usize
    }

    /// Threads the stream runs on.
    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    /// Changes the threads (before the stream starts).
    pub(crate) fn set_threads(&mut self, threads: usize) {
        self.threads = threads;
    }

    /// The stream went to its own deflater (see [`Parallel::takes`]).
    pub(crate) fn is_serial(&self) -> bool {
        self.serial
    }

    /// Whether the stream runs its jobs for this call, or (once decided)
    /// on its own deflater: a stream whose first call finishes at most one
    /// job's input is compressed as a one-thread stream, which is as fast
    /// and needs no job.
    pub(crate) fn takes(&mut self, flush: i32, avail_in: usize) -> bool {
        if !self.started && !self.serial && flush == Z_FINISH && avail_in <= BLOCK {
            self.serial = self.primed.1 == 0;
        }
        !self.serial
    }

    /// Has input or output that a call must still handle, even with no new
    /// input (the machine's `lookahead` for this stream).
    pub(crate) fn busy(&self) -> bool {
        self.has_input() || self.in_flight() != 0 || self.out.is_some()
    }

    /// Input given and not yet cut into a job.
    pub(crate) fn has_input(&self) -> bool {
        self.fill.as_ref().is_some_and(|job| job.len > job.dict)
    }

    /// Output finished and not yet written (deflatePending's share).
    pub(crate) fn held_output(&self) -> usize {
        let out = self.out.as_ref().map_or(0, |(job, at)| job.produced - at);
        out + self.mailbox.arrived_bytes()
    }

    /// deflateUsed's bits after the last job written out.
    pub(crate) fn used_bits(&self) -> Option<u8> {
        self.used_bits
    }

    /// Why the stream cannot go on, if it cannot.
    pub(crate) fn failed(&self) -> Option<Code> {
        self.failed
    }

    /// The history the next job starts from (deflateGetDictionary).
    pub(crate) fn history(&self) -> &[u8] {
        if let Some(job) = &self.fill {
            let start = job.len.saturating_sub(1 << self.w_bits);
            return &job.input[start..job.len];
        }
        &self.history[..self.history_len]
    }

    /// Replaces the history (deflateSetDictionary on a raw stream between
    /// jobs); false when input is waiting to be cut.
    pub(crate) fn set_history(&mut self, dictionary: &[u8]) -> bool {
        if self.has_input() {
            return false;
        }
        if let Some(job) = self.fill.take() {
            self.idle.push(job);
        }
        self.remember(dictionary);
        true
    }

    /// Adds bits that deflatePrime left before the next job's data.
    pub(crate) fn prime(&mut self, value: u32, bits: u32) {
        if bits == 0 {
            return;
        }
        let (old, count) = self.primed;
        self.primed = (old | value << count, count + bits);
    }

    /// Restarts for a new stream (deflateResetKeep): cancels the jobs,
    /// keeps their memory and the history (deflateReset then forgets it,
    /// [`Parallel::forget_history`]).
    pub(crate) fn reset(&mut self, wrap: i32) {
        self.cancel();
        if let Some(job) = self.fill.take() {
            self.idle.push(job);
        }
        self.primed = (0, 0);
        self.check = if wrap == 2 { 0 } else { 1 };
        self.used_bits = None;
        self.serial = false;
        self.started = false;
        self.last_sent = false;
        self.failed = None;
    }

    /// An independent copy (deflateCopy), with its own memory from
    /// `memory`; `None` if it refuses some (nothing is kept then). The
    /// jobs in flight are waited for first: the copy holds their output.
    pub(crate) fn try_clone(&mut self, memory: &M) -> Option<Parallel<M>> {
        // Every job the pool has goes back to the mailbox once finished.
        for seq in self.oldest..self.next_seq {
            let job = self.wait_for(seq);
            self.mailbox.deliver(job);
        }
        let fill = match self.fill.as_mut() {
            Some(job) => Some(job.try_clone(memory)?),
            None => None,
        };
        let out = match self.out.as_mut() {
            Some((job, at)) => Some((job.try_clone(memory)?, *at)),
            None => None,
        };
        let mailbox = self.mailbox.try_clone(memory)?;
        let made = usize::from(fill.is_some()) + usize::from(out.is_some()) + self.in_flight();
        Some(Parallel {
            owner: NEXT_OWNER.fetch_add(1, Ordering::Relaxed),
            memory: memory.clone(),
            idle: Vec::new(),
            made,
            fill,
            history: memory.copy_grown(&self.history)?,
            mailbox: Arc::new(mailbox),
            out,
            ..*self
        })
    }

    /// Takes back the jobs no thread started and waits for the others, so
    /// that no pool thread holds anything of the stream's after this.
    fn cancel(&mut self) {
        let withdrawn = pool::withdraw(self.owner);
        let taken = withdrawn.len();
        // Dropped here: their jobs' memory goes back on this thread.
        drop(withdrawn);
        let running = self.in_flight() - taken;
        let done = self.mailbox.wait_all(running);
        self.idle.extend(done);
        self.made -= taken;
        if let Some((job, _)) = self.out.take() {
            self.idle.push(job);
        }
        self.oldest = self.next_seq;
    }

    /// The parallel stream's block routine: takes input into jobs, hands
    /// full ones to the pool, and writes finished output in order. With a
    /// flush, the input so far becomes a job ending on a byte boundary
    /// (Z_FINISH: the last block) and the call waits for every job.
    pub(crate) fn deflate(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        settings: Settings,
    ) -> BlockState {
        loop {
            if !self.write_out(io, false) {
                return self.stalled();
            }
            if io.avail_in() != 0 && !self.last_sent {
                if !self.open_job(settings) {
                    match self.wait_for_room(io) {
                        Some(state) => return state,
                        None => continue,
                    }
                }
                self.started = true;
                let Some(job) = self.fill.as_mut() else {
                    continue;
                };
                let room = job.dict + job.limit - job.len;
                let n = io.read_into(&mut job.input[job.len..job.len + room], 0);
                job.len += n;
                if job.len - job.dict == job.limit {
                    self.send(false, settings, false);
                }
                continue;
            }
            if flush == Z_NO_FLUSH {
                return BlockState::NeedMore;
            }
            let last = flush == Z_FINISH;
            if flush == Z_FULL_FLUSH && !self.has_input() && self.primed.1 == 0 {
                self.forget_history();
            }
            if self.has_input() || self.primed.1 != 0 || (last && !self.last_sent) {
                if !self.open_job(settings) {
                    match self.wait_for_room(io) {
                        Some(state) => return state,
                        None => continue,
                    }
                }
                self.started = true;
                let here = self.in_flight() == 0 && self.out.is_none();
                self.send(last, settings, here);
                if flush == Z_FULL_FLUSH {
                    self.forget_history();
                }
                continue;
            }
            if self.in_flight() == 0 && self.out.is_none() {
                return if last {
                    BlockState::FinishDone
                } else {
                    BlockState::NeedMore
                };
            }
            if !self.write_out(io, true) {
                return self.stalled();
            }
        }
    }

    /// What a call that cannot go on for lack of output space returns.
    fn stalled(&self) -> BlockState {
        if self.last_sent {
            BlockState::FinishStarted
        } else {
            BlockState::NeedMore
        }
    }

    /// When every job is busy, the oldest must finish and be written out
    /// first: `None` once it is, else what the call returns (the output
    /// is full, or no job could be made at all).
    fn wait_for_room(&mut self, io: &mut DeflateIo<'_, '_>) -> Option<BlockState> {
        if self.failed.is_some() {
            return Some(BlockState::NeedMore);
        }
        if !self.write_out(io, true) {
            return Some(self.stalled());
        }
        None
    }

    /// Makes sure a job takes input: the current one, a free one, or a new
    /// one while fewer than two per thread exist. False when all are busy
    /// (or memory for another was refused).
    fn open_job(&mut self, settings: Settings) -> bool {
        if self.fill.is_some() {
            return true;
        }
        let job = match self.idle.pop() {
            Some(job) => job,
            None if self.made < 2 * self.threads => {
                match Job::new(&self.memory, settings, self.w_bits, self.mem_level) {
                    Some(job) => {
                        self.made += 1;
                        job
                    }
                    None => return self.nothing_running(),
                }
            }
            None => return self.nothing_running(),
        };
        let mut job = job;
        job.limit = job_input(&settings);
        job.input.grow_zeroed((1 << self.w_bits) + job.limit);
        let dict = self.history_len;
        job.input[..dict].copy_from_slice(&self.history[..dict]);
        job.dict = dict;
        job.len = dict;
        self.fill = Some(job);
        true
    }

    /// When no job can be opened: false, and with no job in flight to wait
    /// for (memory for every job was refused), the stream has failed.
    fn nothing_running(&mut self) -> bool {
        if self.in_flight() == 0 && self.out.is_none() {
            self.failed = Some(Code::MemError);
        }
        false
    }

    /// Keeps the last window's worth of `bytes` as the history.
    fn remember(&mut self, bytes: &[u8]) {
        let keep = bytes.len().min(1 << self.w_bits);
        self.history.grow_zeroed(keep.max(self.history.len()));
        self.history[..keep].copy_from_slice(&bytes[bytes.len() - keep..]);
        self.history_len = keep;
    }

    /// Forgets the history (Z_FULL_FLUSH, deflateReset): the next job
    /// starts afresh.
    pub(crate) fn forget_history(&mut self) {
        self.history_len = 0;
        if let Some(job) = self.fill.as_mut() {
            job.dict = 0;
            job.len = 0;
        }
    }

    /// Cuts the job taking input and gives it to the pool (or, `here`,
    /// runs it on this thread: the caller would only wait for it).
    fn send(&mut self, last: bool, settings: Settings, here: bool) {
        let Some(mut job) = self.fill.take() else {
            return;
        };
        self.remember(&job.input[..job.len]);
        job.seq = self.next_seq;
        self.next_seq += 1;
        job.last = last;
        self.last_sent |= last;
        job.settings = settings;
        job.primed = core::mem::take(&mut self.primed);
        job.prepare();
        let mailbox = Arc::clone(&self.mailbox);
        let task = move || {
            let mut job = job;
            job.failed = catch_unwind(AssertUnwindSafe(|| job.run())).is_err();
            mailbox.deliver(job);
        };
        if here {
            task();
        } else {
            pool::submit(self.owner, self.threads, Box::new(task));
        }
    }

    /// Writes finished output, oldest job first, as far as the caller's
    /// buffer allows; with `wait`, waits for the oldest job if it is still
    /// running. False when the caller's buffer is full (or a job failed).
    fn write_out(&mut self, io: &mut DeflateIo<'_, '_>, mut wait: bool) -> bool {
        loop {
            let (job, at) = match self.out.as_mut() {
                Some(out) => out,
                None => {
                    if self.in_flight() == 0 {
                        return true;
                    }
                    let seq = self.oldest;
                    let job = if wait {
                        self.wait_for(seq)
                    } else {
                        match self.mailbox.take(seq) {
                            Some(job) => job,
                            None => return true,
                        }
                    };
                    wait = false;
                    self.oldest += 1;
                    if job.failed {
                        self.failed = Some(Code::StreamError);
                        self.idle.push(job);
                        return false;
                    }
                    self.join(io, &job);
                    self.out.insert((job, 0))
                }
            };
            *at += io.write(&job.output[*at..job.produced]);
            if *at < job.produced || !(job.complete || job.finish_into(io)) {
                return false;
            }
            self.used_bits = Some(job.deflater.used_bits());
            if let Some((job, _)) = self.out.take() {
                self.idle.push(job);
            }
        }
    }

    /// Adds a finished job's check value and data type to the stream's.
    fn join(&mut self, io: &mut DeflateIo<'_, '_>, job: &Job<M>) {
        let len = job.data().len() as i64;
        self.check = match job.settings.wrap {
            1 => adler32_combine(self.check, job.check, len) as u32,
            2 => crc32_combine(self.check, job.check, len),
            _ => 0,
        };
        io.adler = u64::from(self.check);
        if io.data_type == data_type::UNKNOWN {
            io.data_type = job.data_type;
        }
    }

    /// Job `seq`, once finished. A pool thread runs it, or, where the pool
    /// has no thread (a forked child that cannot make one), this one.
    fn wait_for(&mut self, seq: u64) -> Job<M> {
        loop {
            if let Some(job) = self.mailbox.take(seq) {
                return job;
            }
            if pool::has_threads(self.threads) {
                return self.mailbox.wait(seq);
            }
            let ours = pool::withdraw(self.owner);
            if ours.is_empty() {
                return self.mailbox.wait(seq);
            }
            for task in ours {
                task();
            }
        }
    }
}

impl<M: Memory> Drop for Parallel<M> {
    /// deflateEnd: no pool thread works for the stream after it.
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The process default thread count: `RZLIB_DEFLATE_THREADS`, read once.
static PROCESS_THREADS: AtomicUsize = AtomicUsize::new(UNREAD);
const UNREAD: usize = usize::MAX;

/// The environment variable that sets the process default.
pub const THREADS_VARIABLE: &str = "RZLIB_DEFLATE_THREADS";

/// The threads that streams the caller did not configure run on
/// (deflateInit through the C API, compress, the gz functions):
/// `RZLIB_DEFLATE_THREADS` (0 for one per core), read on first use; 1
/// when it is unset or not a number.
pub fn process_default_threads() -> usize {
    let known = PROCESS_THREADS.load(Ordering::Relaxed);
    if known != UNREAD {
        return known;
    }
    let chosen = std::env::var(THREADS_VARIABLE)
        .ok()
        .and_then(|value| value.parse::<usize>().ok())
        .map_or(1, threads_for);
    PROCESS_THREADS.store(chosen, Ordering::Relaxed);
    chosen
}

/// The threads a stream asking for `requested` runs on: one per core for
/// 0, and never more than the pool makes.
pub fn threads_for(requested: usize) -> usize {
    let threads = if requested == 0 {
        pool::cores()
    } else {
        requested
    };
    threads.min(pool::MAX_THREADS)
}
