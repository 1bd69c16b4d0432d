//! Compression: zlib's `deflate`, in two profiles ([`Profile`]): zlib's
//! algorithms, producing byte-identical output, and the fast profile's own
//! match finders, producing other valid bytes.
//!
//! - `profile`: the choice, and the process default from the environment;
//! - `config`: the level table;
//! - `machine`: the state machine ([`Deflater`]), headers, trailers,
//!   flushes and the stored routine;
//! - `window` and `hash`: the window and zlib's hash chains, which both
//!   profiles search;
//! - `routines`: the block routines' shared loop, and the routines without
//!   match finding (rle, huff);
//! - `exact`: the exact profile, zlib's match finders (longest_match) and
//!   the routines that drive them (deflate_fast, deflate_slow);
//! - `fast`: the fast profile's match finders and routines;
//! - `trees` and `bit_writer`: zlib's trees.c block layer.
//!
//! Memory is zlib's: the window (2 * w_size bytes), `prev` (w_size u16),
//! `head` (hash_size u16) and the pending buffer (lit_bufsize * 4, with the
//! symbol buffer overlaid as in zlib), each from the stream's [`Memory`]:
//! through the C API, the caller's `zalloc`.

#![forbid(unsafe_code)]

pub(crate) mod bit_writer;
mod config;
mod exact;
mod fast;
mod hash;
mod io;
mod machine;
mod parallel;
mod profile;
mod routines;
pub(crate) mod trees;
mod window;

pub use io::DeflateIo;
pub use machine::{Code, Deflater, GzipHeader, Params, ParamsChange};
pub use parallel::{
    process_default_threads, threads_for, BLOCK as PARALLEL_BLOCK, THREADS_VARIABLE,
};
pub use profile::{
    process_default as process_default_profile, Profile, PROFILE_VARIABLE, RZ_PROFILE_FAST,
    RZ_PROFILE_ZLIB,
};

use machine::{Z_FINISH, Z_NO_FLUSH};

use crate::memory::Memory;
use crate::writer::Writer;

/// zlib's deflateBound for a stream (or, with `None`, for unknown
/// parameters): an upper bound on the compressed size of `source_len` bytes
/// in one deflate call with Z_FINISH.
/// `header` is the gzip header set with deflateSetHeader, if any.
pub fn bound<M: Memory>(
    stream: Option<&Deflater<M>>,
    header: Option<&GzipHeader<'_>>,
    source_len: u64,
) -> u64 {
    let fixed =
        source_len.saturating_add((source_len >> 3) + (source_len >> 8) + (source_len >> 9) + 4);
    let stored =
        source_len.saturating_add((source_len >> 5) + (source_len >> 7) + (source_len >> 11) + 7);
    let Some(s) = stream else {
        return fixed.max(stored).saturating_add(18);
    };
    serial_bound(s, header, source_len, fixed, stored).saturating_add(s.parallel_bound(source_len))
}

/// [`bound`] for a stream on one thread.
fn serial_bound<M: Memory>(
    s: &Deflater<M>,
    header: Option<&GzipHeader<'_>>,
    source_len: u64,
    fixed: u64,
    stored: u64,
) -> u64 {
    let wrap_len = s.wrapper_len(header);
    if s.w_bits != 15 || s.hash_bits != 15 {
        let base = if s.w_bits <= s.hash_bits && s.level != 0 {
            fixed
        } else {
            stored
        };
        return base.saturating_add(wrap_len);
    }
    source_len.saturating_add(
        (source_len >> 12) + (source_len >> 14) + (source_len >> 25) + 13 - 6 + wrap_len,
    )
}

/// What [`compress`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compressed {
    /// zlib's return code: Z_OK, Z_BUF_ERROR (dest too small) or
    /// Z_STREAM_ERROR (bad level).
    pub code: i32,
    /// Bytes written to `dest`.
    pub written: usize,
}

/// zlib's compress2_z: `source` as one zlib stream in `dest` at `level`,
/// with buffers from `memory` (Z_MEM_ERROR if it refuses them). Like zlib,
/// it hands deflate at most `u32::MAX` bytes of input and of output space
/// per call (`avail_in` and `avail_out` are 32 bits), finishing with the
/// last piece of input, so lengths above 4 GiB give zlib's bytes.
///
/// `dest` may be uninitialised memory: each call writes the next piece of
/// it through [`Writer::write_next`], and `dest` counts what was written.
pub fn compress<M: Memory>(
    dest: &mut Writer<'_>,
    source: &[u8],
    level: i32,
    memory: M,
) -> Compressed {
    const MAX_CHUNK: usize = u32::MAX as usize;
    let failed = |code: Code| Compressed {
        code: code as i32,
        written: 0,
    };
    let Some(params) = Params::new(level, 8, 15, 8, 0) else {
        return failed(Code::StreamError);
    };
    let mut start = DeflateIo::new(&[], Writer::empty(), 0, 0);
    let Some(mut deflater) = Deflater::new(params, &mut start, memory) else {
        return failed(Code::MemError);
    };
    // compress follows the process defaults, as every stream the caller
    // cannot reach does.
    deflater.set_default_profile(process_default_profile());
    if deflater.set_threads(process_default_threads()) != Code::Ok {
        return failed(Code::MemError);
    }
    let (mut adler, mut data_type) = (start.adler, start.data_type);
    let (mut read, mut avail_in, mut unread) = (0, 0, source.len());
    let (mut avail_out, mut room) = (0, dest.remaining());
    let code = loop {
        if avail_out == 0 {
            avail_out = room.min(MAX_CHUNK);
            room -= avail_out;
        }
        if avail_in == 0 {
            avail_in = unread.min(MAX_CHUNK);
            unread -= avail_in;
        }
        let flush = if unread != 0 { Z_NO_FLUSH } else { Z_FINISH };
        let written = dest.len() as u64;
        // The piece of `dest` past what is written, as `next_out` and
        // `avail_out`: deflate writes into it and it goes back to
        // write_next, which counts what was written.
        let (code, consumed) = dest.write_next(avail_out, |piece| {
            let output = core::mem::replace(piece, Writer::empty());
            let mut io =
                DeflateIo::new(&source[read..read + avail_in], output, read as u64, written);
            io.adler = adler;
            io.data_type = data_type;
            let code = deflater.deflate(&mut io, flush, None);
            (adler, data_type) = (io.adler, io.data_type);
            avail_out -= io.produced;
            *piece = io.output;
            (code, io.consumed)
        });
        read += consumed;
        avail_in -= consumed;
        if code != Code::Ok {
            break code;
        }
    };
    Compressed {
        code: if code == Code::StreamEnd {
            0
        } else {
            code as i32
        },
        written: dest.len(),
    }
}
