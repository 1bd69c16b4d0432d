//! The loops behind the io adapters: a [`Codec`] (a compress or
//! decompress stream) driven from a `BufRead` or into a `Write`.

use std::io::{self, BufRead, Write};

use super::compress::{Compress, Step};
use super::decompress::Decompress;
use super::options::{FlushCompress, FlushDecompress, Status};

/// What a step is asked to do with the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// Process input.
    Run,
    /// Make all output so far available (write adapters' `flush`).
    Flush,
    /// The input ends here: finish the stream.
    Finish,
}

/// A stream the adapters drive.
pub(crate) trait Codec {
    /// One call of the stream.
    fn step(&mut self, input: &[u8], output: &mut [u8], action: Action) -> Step;
    /// Whether the stream is complete: no more output will come.
    fn done(&self) -> bool;
    /// Whether input that ends before [`done`](Self::done) is an error.
    const DECODES: bool;
}

impl Codec for Compress {
    fn step(&mut self, input: &[u8], output: &mut [u8], action: Action) -> Step {
        let flush = match action {
            Action::Run => FlushCompress::None,
            Action::Flush => FlushCompress::Sync,
            Action::Finish => FlushCompress::Finish,
        };
        Compress::step(self, input, output, flush)
    }

    fn done(&self) -> bool {
        false
    }

    const DECODES: bool = false;
}

impl Codec for Decompress {
    fn step(&mut self, input: &[u8], output: &mut [u8], action: Action) -> Step {
        let flush = match action {
            Action::Run | Action::Flush => FlushDecompress::None,
            Action::Finish => FlushDecompress::Finish,
        };
        Decompress::step(self, input, output, flush)
    }

    fn done(&self) -> bool {
        self.is_finished()
    }

    const DECODES: bool = true;
}

/// The error for compressed input that stops before the stream's end.
pub(crate) fn truncated() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the compressed stream ends early",
    )
}

/// Reads through `codec` from `input` into `dst`: at least one byte
/// unless `dst` is empty or the stream ended.
pub(crate) fn read<R: BufRead, C: Codec>(
    input: &mut R,
    codec: &mut C,
    dst: &mut [u8],
) -> io::Result<usize> {
    loop {
        let available = input.fill_buf()?;
        let eof = available.is_empty();
        let action = if eof { Action::Finish } else { Action::Run };
        let step = codec.step(available, dst, action);
        input.consume(step.consumed);
        let status = step.result?;
        if step.produced != 0 || dst.is_empty() || status == Status::StreamEnd {
            return Ok(step.produced);
        }
        if eof {
            return if C::DECODES { Err(truncated()) } else { Ok(0) };
        }
        // A step that took input but produced nothing yet: go on.
    }
}

/// A compressing or decompressing writer: output waits in `buffer` until
/// the inner writer takes it.
#[derive(Debug)]
pub(crate) struct Writer<W: Write, C: Codec> {
    inner: Option<W>,
    pub(crate) codec: C,
    buffer: Box<[u8]>,
    /// `buffer[start..end]` is output not yet written to `inner`.
    start: usize,
    end: usize,
}

/// Output buffered per writer.
const WRITE_BUFFER: usize = 32 * 1024;

impl<W: Write, C: Codec> Writer<W, C> {
    pub(crate) fn new(inner: W, codec: C) -> Self {
        Writer {
            inner: Some(inner),
            codec,
            buffer: vec![0; WRITE_BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
        }
    }

    pub(crate) fn get_ref(&self) -> &W {
        self.inner.as_ref().expect("the writer was taken")
    }

    pub(crate) fn get_mut(&mut self) -> &mut W {
        self.inner.as_mut().expect("the writer was taken")
    }

    /// Writes all buffered output to the inner writer.
    fn dump(&mut self) -> io::Result<()> {
        while self.start < self.end {
            let inner = self.inner.as_mut().expect("the writer was taken");
            let n = inner.write(&self.buffer[self.start..self.end])?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            self.start += n;
        }
        self.start = 0;
        self.end = 0;
        Ok(())
    }

    /// One step into the (empty) buffer.
    fn step(&mut self, input: &[u8], action: Action) -> io::Result<(Status, usize)> {
        self.dump()?;
        let step = self.codec.step(input, &mut self.buffer, action);
        self.end = step.produced;
        Ok((step.result?, step.consumed))
    }

    /// Runs `action` until it produces no more output (or the stream ends),
    /// and writes it all.
    fn drain(&mut self, action: Action) -> io::Result<Status> {
        loop {
            let (status, _) = self.step(&[], action)?;
            if self.end == 0 || status == Status::StreamEnd {
                self.dump()?;
                return Ok(status);
            }
        }
    }

    /// Completes the stream and writes all of it, leaving the inner writer
    /// in place.
    pub(crate) fn try_finish(&mut self) -> io::Result<()> {
        if self.codec.done() {
            return self.dump();
        }
        let status = self.drain(Action::Finish)?;
        if C::DECODES && status != Status::StreamEnd && !self.codec.done() {
            return Err(truncated());
        }
        Ok(())
    }

    /// [`try_finish`](Self::try_finish), then the inner writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.try_finish()?;
        Ok(self.inner.take().expect("the writer was taken"))
    }

    /// Puts `inner` in place of the inner writer (with no output waiting)
    /// and returns the old one.
    pub(crate) fn replace_inner(&mut self, inner: W) -> W {
        debug_assert_eq!(self.start, self.end);
        self.inner.replace(inner).expect("the writer was taken")
    }

    /// The inner writer, without finishing the stream.
    pub(crate) fn into_inner(mut self) -> W {
        self.inner.take().expect("the writer was taken")
    }
}

impl<W: Write, C: Codec> Write for Writer<W, C> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        loop {
            let (status, consumed) = self.step(data, Action::Run)?;
            // Output space ran out before any input was taken: write it
            // out and go on.
            let stalled = consumed == 0 && self.end != 0 && status != Status::StreamEnd;
            if !stalled || data.is_empty() {
                return Ok(consumed);
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(Action::Flush)?;
        self.get_mut().flush()
    }
}

impl<W: Write, C: Codec> Drop for Writer<W, C> {
    fn drop(&mut self) {
        if self.inner.is_some() && !std::thread::panicking() {
            // As a BufWriter flushes on drop: errors cannot be reported.
            let _ = self.try_finish();
        }
    }
}
