//! The differential driver: one call sequence run on rzlib and on the
//! original zlib side by side, with everything observable compared after
//! every call.

use std::ffi::{c_int, c_uint, c_ulong};
use std::fmt::Debug;

use super::*;

/// What a caller can observe of a stream after a call.
#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Snapshot {
    pub next_in: Option<isize>,
    pub avail_in: c_uint,
    pub total_in: c_ulong,
    pub next_out: Option<isize>,
    pub avail_out: c_uint,
    pub total_out: c_ulong,
    pub adler: c_ulong,
    pub data_type: c_int,
    pub msg: Option<String>,
}

/// Receiving buffers of one side for `inflateGetHeader`.
pub struct HeaderBufs {
    pub head: gz_header,
    pub extra: Vec<u8>,
    pub name: Vec<u8>,
    pub comment: Vec<u8>,
}

impl HeaderBufs {
    fn new(extra_max: usize, name_max: usize, comm_max: usize) -> Box<HeaderBufs> {
        let mut bufs = Box::new(HeaderBufs {
            head: empty_header(),
            extra: vec![0xaa; extra_max],
            name: vec![0xaa; name_max],
            comment: vec![0xaa; comm_max],
        });
        // Distinct markers so that "left untouched" is compared too.
        bufs.head.time = 0x5a5a;
        bufs.head.os = 77;
        bufs.head.xflags = 55;
        bufs.head.extra_len = 0x1234;
        if extra_max > 0 {
            bufs.head.extra = bufs.extra.as_mut_ptr();
            bufs.head.extra_max = extra_max as c_uint;
        }
        if name_max > 0 {
            bufs.head.name = bufs.name.as_mut_ptr();
            bufs.head.name_max = name_max as c_uint;
        }
        if comm_max > 0 {
            bufs.head.comment = bufs.comment.as_mut_ptr();
            bufs.head.comm_max = comm_max as c_uint;
        }
        bufs
    }

    /// Everything the header reports, with the buffers' contents.
    fn view(&self) -> String {
        let h = &self.head;
        format!(
            "text={} time={} xflags={} os={} extra_len={} hcrc={} done={} extra={:?} name={:?} comment={:?}",
            h.text, h.time, h.xflags, h.os, h.extra_len, h.hcrc, h.done, self.extra, self.name, self.comment
        )
    }
}

/// Two streams, one per implementation, driven in lock step.
pub struct Pair {
    /// The case, printed with every mismatch so it can be reproduced.
    pub label: String,
    counters: [Box<Counter>; 2],
    pub strms: [Box<z_stream>; 2],
    pub input: Vec<u8>,
    pub outs: [Vec<u8>; 2],
    pub heads: Option<[Box<HeaderBufs>; 2]>,
    pub calls: usize,
    ended: bool,
}

fn offset(ptr: *const u8, base: *const u8) -> Option<isize> {
    (!ptr.is_null()).then(|| ptr as isize - base as isize)
}

impl Pair {
    /// Two unopened streams over `input`, each with `out_capacity` bytes of output space.
    pub fn new(label: impl Into<String>, input: &[u8], out_capacity: usize) -> Pair {
        // rzlib gets misaligned blocks: it must not assume its allocator aligns.
        let counters = [Counter::new(true), Counter::new(false)];
        let strms = [new_stream(&counters[0]), new_stream(&counters[1])];
        Pair {
            label: label.into(),
            counters,
            strms,
            input: input.to_vec(),
            outs: [vec![0; out_capacity], vec![0; out_capacity]],
            heads: None,
            calls: 0,
            ended: false,
        }
    }

    pub fn snapshot(&self, side: usize) -> Snapshot {
        let s = &self.strms[side];
        Snapshot {
            next_in: offset(s.next_in, self.input.as_ptr()),
            avail_in: s.avail_in,
            total_in: s.total_in,
            next_out: offset(s.next_out, self.outs[side].as_ptr()),
            avail_out: s.avail_out,
            total_out: s.total_out,
            adler: s.adler,
            data_type: s.data_type,
            msg: msg_of(s.msg),
        }
    }

    /// Runs `f` on both sides and compares its result, the stream, the
    /// output written so far and the gzip header. Returns the common result.
    pub fn call<R: PartialEq + Debug>(
        &mut self,
        what: &str,
        f: impl Fn(&Zlib, *mut z_stream) -> R,
    ) -> R {
        self.calls += 1;
        let before = self
            .snapshot(0)
            .next_out
            .and_then(|o| usize::try_from(o).ok())
            .unwrap_or(0);
        let r_rz = f(&RZ, &mut *self.strms[0]);
        let r_z = f(&ZLIB, &mut *self.strms[1]);
        let (a, b) = (self.snapshot(0), self.snapshot(1));
        assert_eq!(
            r_rz, r_z,
            "[{}] call #{} {what}: result (rzlib, zlib)\nrzlib {a:?}\nzlib  {b:?}",
            self.label, self.calls
        );
        assert_eq!(
            a, b,
            "[{}] call #{} {what}: stream (rzlib, zlib), result {r_z:?}",
            self.label, self.calls
        );
        if let Some(Ok(end)) = a.next_out.map(usize::try_from) {
            let start = before.min(end);
            if end <= self.outs[0].len() && self.outs[0][start..end] != self.outs[1][start..end] {
                let at = (start..end)
                    .find(|&i| self.outs[0][i] != self.outs[1][i])
                    .unwrap();
                panic!(
                    "[{}] call #{} {what}: output differs at byte {at}",
                    self.label, self.calls
                );
            }
        }
        if let Some([h0, h1]) = &self.heads {
            assert_eq!(
                h0.view(),
                h1.view(),
                "[{}] call #{} {what}: gzip header (rzlib, zlib)",
                self.label,
                self.calls
            );
        }
        r_z
    }

    /// `inflateInit2_` on both sides (`inflateInit_` when `window_bits` is None).
    pub fn init(&mut self, window_bits: Option<c_int>) -> c_int {
        match window_bits {
            Some(w) => self.call(&format!("inflateInit2_({w})"), |z, s| unsafe {
                (z.inflateInit2_)(s, w, VERSION.as_ptr(), STREAM_SIZE)
            }),
            None => self.call("inflateInit_", |z, s| unsafe {
                (z.inflateInit_)(s, VERSION.as_ptr(), STREAM_SIZE)
            }),
        }
    }

    /// Registers gzip header buffers of the given sizes with `inflateGetHeader`.
    pub fn get_header(&mut self, extra_max: usize, name_max: usize, comm_max: usize) -> c_int {
        let mut heads = [
            HeaderBufs::new(extra_max, name_max, comm_max),
            HeaderBufs::new(extra_max, name_max, comm_max),
        ];
        let ptrs = [
            &mut heads[0].head as *mut gz_header,
            &mut heads[1].head as *mut gz_header,
        ];
        self.heads = Some(heads);
        let rz_strm: *const z_stream = &*self.strms[0];
        self.call("inflateGetHeader", |z, s| unsafe {
            (z.inflateGetHeader)(
                s,
                if std::ptr::eq(s, rz_strm) {
                    ptrs[0]
                } else {
                    ptrs[1]
                },
            )
        })
    }

    /// Points both streams at `input[in_at..in_at+in_len]` and `out[out_at..out_at+out_len]`.
    pub fn set_io(&mut self, in_at: usize, in_len: usize, out_at: usize, out_len: usize) {
        for side in 0..2 {
            let s = &mut self.strms[side];
            // wrapping_add: the offsets are within the buffers or one past their end.
            s.next_in = self.input.as_ptr().wrapping_add(in_at) as *mut u8;
            s.avail_in = in_len as c_uint;
            s.next_out = self.outs[side].as_mut_ptr().wrapping_add(out_at);
            s.avail_out = out_len as c_uint;
        }
    }

    /// Where the next input byte and the next output byte are (common to both sides).
    pub fn positions(&self) -> (usize, usize) {
        let s = self.snapshot(1);
        (
            s.next_in.unwrap_or(0) as usize,
            s.next_out.unwrap_or(0) as usize,
        )
    }

    /// One `inflate` call on both sides.
    pub fn inflate(&mut self, flush: c_int) -> c_int {
        self.call(&format!("inflate({})", flush_name(flush)), |z, s| unsafe {
            (z.inflate)(s, flush)
        })
    }

    /// `inflateCopy` both streams into fresh ones, end the originals and go on with the copies.
    pub fn copy(&mut self) -> c_int {
        let mut dests = [new_stream(&self.counters[0]), new_stream(&self.counters[1])];
        let dest_ptrs = [
            &mut *dests[0] as *mut z_stream,
            &mut *dests[1] as *mut z_stream,
        ];
        let rz_strm: *const z_stream = &*self.strms[0];
        let ret = self.call("inflateCopy", |z, s| unsafe {
            (z.inflateCopy)(
                if std::ptr::eq(s, rz_strm) {
                    dest_ptrs[0]
                } else {
                    dest_ptrs[1]
                },
                s,
            )
        });
        if ret == Z_OK {
            self.call("inflateEnd (original of copy)", |z, s| unsafe {
                (z.inflateEnd)(s)
            });
            std::mem::swap(&mut self.strms, &mut dests);
        }
        ret
    }

    /// The `inflate` calls of a whole stream: random input and output chunk
    /// sizes (0 and 1 included), random flush modes, and with `extras` random
    /// side calls (inflateMark, inflateSyncPoint, inflateCodesUsed,
    /// inflateGetDictionary, inflateCopy). Supplies `dictionary` on
    /// Z_NEED_DICT. Returns the last `inflate` result.
    pub fn pump(&mut self, rng: &mut Rng, plan: &Plan) -> c_int {
        let mut stalls = 0;
        let mut ret;
        loop {
            let (in_at, out_at) = self.positions();
            let in_left = self.input.len().saturating_sub(in_at);
            let out_left = self.outs[0].len().saturating_sub(out_at);
            let (in_len, out_len, flush) = if stalls > 0 {
                (in_left, out_left, Z_NO_FLUSH)
            } else {
                (
                    plan.chunk(rng, in_left),
                    plan.chunk(rng, out_left)
                        .min(plan.out_cap.unwrap_or(usize::MAX)),
                    rng.pick(plan.flushes),
                )
            };
            self.set_io(in_at, in_len, out_at, out_len);
            let before = self.positions();
            ret = self.inflate(flush);
            if ret == Z_NEED_DICT {
                match &plan.dictionary {
                    Some(d) => {
                        let d = d.clone();
                        let r = self.call("inflateSetDictionary", |z, s| unsafe {
                            (z.inflateSetDictionary)(s, d.as_ptr(), d.len() as c_uint)
                        });
                        if r != Z_OK {
                            break;
                        }
                    }
                    None => break,
                }
            }
            if ret == Z_STREAM_END || (ret < 0 && ret != Z_BUF_ERROR) {
                break;
            }
            if plan.extras {
                self.side_calls(rng);
            }
            if self.positions() == before {
                stalls += 1;
                if stalls >= 3 {
                    break;
                }
            } else {
                stalls = 0;
            }
            assert!(self.calls < 20_000_000, "[{}] no end in sight", self.label);
        }
        if ret < 0 && ret != Z_BUF_ERROR {
            // An error is sticky: the next call must say so again.
            let (in_at, out_at) = self.positions();
            self.set_io(
                in_at,
                self.input.len() - in_at.min(self.input.len()),
                out_at,
                self.outs[0].len() - out_at.min(self.outs[0].len()),
            );
            self.inflate(Z_NO_FLUSH);
            // Where each stopped inside the stream (zlib's `back`, and the
            // match or stored length left) tells which decoder met the error.
            self.call("inflateMark", |z, s| unsafe { (z.inflateMark)(s) });
        }
        ret
    }

    fn side_calls(&mut self, rng: &mut Rng) {
        match rng.below(40) {
            0 => {
                self.call("inflateMark", |z, s| unsafe { (z.inflateMark)(s) });
            }
            1 => {
                self.call("inflateSyncPoint", |z, s| unsafe {
                    (z.inflateSyncPoint)(s)
                });
            }
            2 => {
                self.call("inflateCodesUsed", |z, s| unsafe {
                    (z.inflateCodesUsed)(s)
                });
            }
            3 => {
                self.call("inflateGetDictionary", |z, s| unsafe {
                    let mut dict = vec![0u8; 32768];
                    let mut len: c_uint = 0xdead;
                    let r = (z.inflateGetDictionary)(s, dict.as_mut_ptr(), &mut len);
                    dict.truncate(if r == Z_OK { len as usize } else { 0 });
                    (r, len, dict)
                });
            }
            4 => {
                self.copy();
            }
            _ => {}
        }
    }

    /// The output written so far (equal on both sides, compared call by call).
    pub fn output(&self) -> &[u8] {
        let end = self.positions().1.min(self.outs[1].len());
        &self.outs[1][..end]
    }

    /// `inflateEnd` on both sides, then checks that neither leaked memory.
    pub fn end(mut self) -> c_int {
        let ret = self.call("inflateEnd", |z, s| unsafe { (z.inflateEnd)(s) });
        self.ended = true;
        self.check_balance();
        ret
    }

    pub fn check_balance(&self) {
        for (side, c) in self.counters.iter().enumerate() {
            assert_eq!(
                c.live(),
                0,
                "[{}] {} leaked {} blocks",
                self.label,
                ["rzlib", "zlib"][side],
                c.live()
            );
        }
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        if !self.ended && !std::thread::panicking() {
            // Release the states; inflateEnd on an unopened stream is harmless.
            for (side, z) in both().into_iter().enumerate() {
                unsafe { (z.inflateEnd)(&mut *self.strms[side]) };
            }
        }
    }
}

pub fn flush_name(flush: c_int) -> &'static str {
    match flush {
        Z_NO_FLUSH => "Z_NO_FLUSH",
        Z_SYNC_FLUSH => "Z_SYNC_FLUSH",
        Z_FULL_FLUSH => "Z_FULL_FLUSH",
        Z_FINISH => "Z_FINISH",
        Z_BLOCK => "Z_BLOCK",
        Z_TREES => "Z_TREES",
        _ => "flush?",
    }
}

pub const ALL_FLUSHES: &[c_int] = &[Z_NO_FLUSH, Z_SYNC_FLUSH, Z_FINISH, Z_BLOCK, Z_TREES];

/// How a stream is fed.
#[derive(Clone)]
pub struct Plan {
    /// Largest chunk offered at once; chunks are 0, 1, small or up to this.
    pub max_chunk: usize,
    /// A smaller cap on output chunks, if any.
    pub out_cap: Option<usize>,
    pub flushes: &'static [c_int],
    pub dictionary: Option<Vec<u8>>,
    pub extras: bool,
}

impl Plan {
    pub fn new(max_chunk: usize) -> Plan {
        Plan {
            max_chunk,
            out_cap: None,
            flushes: ALL_FLUSHES,
            dictionary: None,
            extras: false,
        }
    }

    fn chunk(&self, rng: &mut Rng, left: usize) -> usize {
        let size = match rng.below(10) {
            0 => 0,
            1 => 1,
            2..=4 => rng.range(2, 64),
            _ => rng.range(1, self.max_chunk.max(1)),
        };
        size.min(left)
    }
}

/// A full inflate of `input` on both sides with `window_bits`; returns the output.
pub fn inflate_both(
    label: &str,
    input: &[u8],
    window_bits: c_int,
    capacity: usize,
    seed: u64,
    plan: &Plan,
) -> (c_int, Vec<u8>) {
    let mut rng = Rng::new(seed);
    let mut pair = Pair::new(
        format!("{label} wbits={window_bits} seed={seed:#x}"),
        input,
        capacity,
    );
    let ret = pair.init(Some(window_bits));
    if ret != Z_OK {
        pair.end();
        return (ret, Vec::new());
    }
    let ret = pair.pump(&mut rng, plan);
    let out = pair.output().to_vec();
    pair.end();
    (ret, out)
}

/// The fuzz check: arbitrary bytes, whose first bytes choose the wrapper,
/// window size, chunking and output space, inflated by both implementations
/// with every observable compared call by call.
pub fn fuzz_inflate(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let (cfg, input) = data.split_at(4);
    let window = 8 + (cfg[0] & 7) as c_int;
    let window_bits = match cfg[0] >> 3 & 7 {
        0 => window,
        1 => -window,
        2 => 16 + window,
        3 => 32 + window,
        4 => 0,
        _ => 15,
    };
    let mut plan = Plan::new(1 + cfg[1] as usize * 4);
    plan.extras = cfg[0] & 0x40 != 0;
    let capacity = 1 + (cfg[2] as usize) * 1024;
    inflate_both("fuzz", input, window_bits, capacity, cfg[3] as u64, &plan);
}
