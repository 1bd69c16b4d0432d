//! Reading a gzip file: zlib's gzread.c. The decoder fills `output`
//! (or, for large reads, the caller's buffer) from `input`, member after
//! member; data that is not gzip is copied as is.

use std::mem;

use super::file::would_block;
use super::{
    Failed, GzFile, How, RawFile, MAX_IO, Z_BUF_ERROR, Z_DATA_ERROR, Z_MEM_ERROR, Z_OK,
    Z_STREAM_ERROR,
};
use crate::inflate::{Code, Flush, Inflater, Message, Stream};
use crate::writer::Writer;

/// The gzip magic bytes and the deflate method.
const GZIP_START: [u8; 3] = [31, 139, 8];

impl<F: RawFile> GzFile<F> {
    /// zlib's gz_load: reads into `buf` until it is full or the file ends;
    /// returns the bytes read. A descriptor that would block ends the load
    /// without error once something was read.
    fn load(&mut self, buf: &mut [u8]) -> (usize, Result<(), Failed>) {
        self.again = false;
        let mut got = 0;
        while got < buf.len() {
            let end = buf.len().min(got + MAX_IO);
            match self.file.read(&mut buf[got..end]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => got += n,
                Err(errno) => {
                    if would_block(errno) {
                        self.again = true;
                        self.blocked = errno;
                        if got != 0 {
                            return (got, Ok(()));
                        }
                    }
                    self.set_os_error(errno);
                    return (got, Err(Failed));
                }
            }
        }
        (got, Ok(()))
    }

    /// zlib's gz_avail: moves the unused input to the front of `input` and
    /// fills the rest from the file (until the file has ended).
    fn fill_input(&mut self) -> Result<(), Failed> {
        if !self.usable() {
            return Err(Failed);
        }
        if !self.eof {
            let mut input = mem::take(&mut self.input);
            input.copy_within(self.next_in..self.next_in + self.avail_in, 0);
            let (got, result) = self.load(&mut input[self.avail_in..self.size]);
            self.input = input;
            result?;
            self.avail_in += got;
            self.next_in = 0;
        }
        Ok(())
    }

    /// zlib's gz_look: allocates the buffers on first use, then decides
    /// between decompressing (a gzip header, or any member after the first)
    /// and copying (data that does not start like gzip). `how` stays
    /// `Look` while there is no input yet.
    pub(super) fn look(&mut self) -> Result<(), Failed> {
        if self.size == 0 {
            let (Some(input), Some(output)) = (F::zeroed(self.want), F::zeroed(self.want * 2))
            else {
                return Err(self.set_out_of_memory());
            };
            let Ok(inflater) =
                Inflater::with_memory(15 + 16, &mut self.inflate_fields, F::memory())
            else {
                return Err(self.set_out_of_memory());
            };
            (self.input, self.output) = (input, output);
            self.inflater = Some(Box::new(inflater));
            self.size = self.want;
            self.avail_in = 0;
            self.next_in = 0;
        }
        // gzip only, or a later member: decompress without looking.
        if self.direct == -1 || self.junk == 0 {
            self.start_member();
            self.junk = i32::from(self.junk != -1);
            return Ok(());
        }
        self.fill_input()?;
        let available = &self.input[self.next_in..self.next_in + self.avail_in];
        if available.is_empty() || (self.again && available.len() < 4) {
            // Nothing yet (or a stalled non-blocking read): decide later.
            return Ok(());
        }
        if available.len() > 3 && available[..3] == GZIP_START && available[3] < 32 {
            self.start_member();
            self.junk = 1;
            return Ok(());
        }
        // Plain data: what was read is the first output.
        let n = available.len();
        self.output[..n].copy_from_slice(available);
        self.next = 0;
        self.have = n;
        self.avail_in = 0;
        self.how = How::Copy;
        Ok(())
    }

    /// Resets the decoder for a gzip member.
    fn start_member(&mut self) {
        if let Some(inflater) = self.inflater.as_mut() {
            inflater.reset(&mut self.inflate_fields);
            self.apply_inflate_msg();
        }
        self.how = How::Gzip;
        self.direct = 0;
    }

    /// Applies the decoder's change to its `msg`.
    fn apply_inflate_msg(&mut self) {
        match mem::replace(&mut self.inflate_fields.msg, Message::Unchanged) {
            Message::Unchanged => {}
            Message::Clear => self.inflate_msg = None,
            Message::Set(text) => self.inflate_msg = Some(text),
        }
    }

    /// zlib's gz_decomp: decompresses into `out[next_out..]` until
    /// `avail_out` is used up or the member ends; the output of this call is
    /// then `have` bytes at `next`. At a member's end `how` goes back to
    /// `Look`. Corrupt data in what may be trailing junk after a member
    /// ends the file instead of failing. With `resume`, the first inflate
    /// call comes before any input is looked for (see
    /// [`GzFile::decompress_to`]).
    fn decompress(&mut self, out: &mut [u8], mut resume: bool) -> Result<(), Failed> {
        let had = self.avail_out;
        let mut ret = Z_OK;
        loop {
            if !mem::take(&mut resume) {
                if self.avail_in == 0 && self.fill_input().is_err() {
                    ret = self.err;
                    break;
                }
                if self.avail_in == 0 {
                    if !self.again {
                        self.set_error(Z_BUF_ERROR, Some(b"unexpected end of file"));
                    }
                    break;
                }
            }
            let Some(inflater) = self.inflater.as_mut() else {
                self.set_error(
                    Z_STREAM_ERROR,
                    Some(b"internal error: inflate stream corrupt"),
                );
                return Err(Failed);
            };
            let input = &self.input[self.next_in..self.next_in + self.avail_in];
            let output =
                Writer::from_bytes(&mut out[self.next_out..self.next_out + self.avail_out]);
            let mut stream = Stream::with_output(input, output, self.inflate_fields);
            let code = inflater.inflate(&mut stream, Flush::None, None);
            self.inflate_fields = stream.fields;
            self.next_in += stream.consumed;
            self.avail_in -= stream.consumed;
            self.next_out += stream.produced;
            self.avail_out -= stream.produced;
            self.apply_inflate_msg();
            ret = code as i32;
            if self.avail_out < had {
                // Output proves this is a real gzip member.
                self.junk = 0;
            }
            match code {
                Code::StreamError | Code::NeedDict => {
                    self.set_error(
                        Z_STREAM_ERROR,
                        Some(b"internal error: inflate stream corrupt"),
                    );
                    break;
                }
                Code::MemError => {
                    self.set_error(Z_MEM_ERROR, Some(b"out of memory"));
                    break;
                }
                Code::DataError if self.junk == 1 => {
                    // Trailing garbage after the last member is ignored.
                    self.avail_in = 0;
                    self.eof = true;
                    self.how = How::Look;
                    ret = Z_OK;
                    break;
                }
                Code::DataError => {
                    let text = self
                        .inflate_msg
                        .map_or(&b"compressed data error"[..], |m| m.to_bytes());
                    self.set_error(Z_DATA_ERROR, Some(text));
                    break;
                }
                _ => {}
            }
            if self.avail_out == 0 || code == Code::StreamEnd {
                break;
            }
        }
        self.have = had - self.avail_out;
        self.next = self.next_out - self.have;
        if ret == Code::StreamEnd as i32 {
            self.junk = 0;
            self.how = How::Look;
            return Ok(());
        }
        if ret == Z_OK {
            Ok(())
        } else {
            Err(Failed)
        }
    }

    /// zlib's direct decompression into the caller's buffer for a large
    /// read: one gz_decomp over all of `dest`, done through `output` a
    /// buffer at a time, because inflate uses the space after its output as
    /// scratch and zlib leaves the caller's bytes past the data untouched.
    /// Input is consumed as by one call: after a buffer fills, inflate
    /// goes on into the next one before more input is looked for, as it
    /// would have gone on into the rest of the caller's space (a bad
    /// distance whose check waited for output space is then reported, not
    /// an unexpected end of the file). Returns the bytes delivered.
    fn decompress_to(&mut self, dest: &mut Writer<'_>, len: usize) -> (usize, Result<(), Failed>) {
        let mut done = 0;
        loop {
            self.avail_out = (len - done).min(self.size * 2);
            self.next_out = 0;
            let mut output = mem::take(&mut self.output);
            let result = self.decompress(&mut output, done != 0);
            self.output = output;
            let produced = mem::take(&mut self.have);
            dest.extend(&self.output[self.next..self.next + produced]);
            done += produced;
            // One gz_decomp stops only where the space ran out.
            let filled = self.avail_out == 0 && self.how == How::Gzip;
            if result.is_err() || !filled || done == len {
                return (done, result);
            }
        }
    }

    /// zlib's gz_fetch: refills `output` (which must be empty), looking for
    /// a header first where needed, until there is output or the input
    /// has ended.
    fn fetch(&mut self) -> Result<(), Failed> {
        loop {
            match self.how {
                How::Look => {
                    self.look()?;
                    if self.how == How::Look {
                        return Ok(());
                    }
                }
                How::Copy => {
                    let mut output = mem::take(&mut self.output);
                    let (got, result) = self.load(&mut output[..self.size * 2]);
                    self.output = output;
                    self.next = 0;
                    self.have = if result.is_ok() { got } else { 0 };
                    return result;
                }
                How::Gzip => {
                    self.avail_out = self.size * 2;
                    self.next_out = 0;
                    let mut output = mem::take(&mut self.output);
                    let result = self.decompress(&mut output, false);
                    self.output = output;
                    result?;
                }
            }
            if self.have != 0 || (self.eof && self.avail_in == 0) {
                return Ok(());
            }
        }
    }

    /// zlib's gz_skip: consumes the pending seek's `skip` bytes of output,
    /// or as many as there are.
    fn skip_ahead(&mut self) -> Result<(), Failed> {
        while self.skip != 0 {
            if self.have != 0 {
                let n = (self.skip as u64).min(self.have as u64) as usize;
                self.have -= n;
                self.next += n;
                self.pos += n as i64;
                self.skip -= n as i64;
            } else if self.eof && self.avail_in == 0 {
                break;
            } else {
                self.fetch()?;
            }
        }
        Ok(())
    }

    /// zlib's gz_load of `len` bytes straight into `buf` (a large read of
    /// data that is not gzip), through the file's buffer so that read()
    /// only ever gets initialised memory; ends as gz_load does, at the end
    /// of the file, an error or a stalled non-blocking read.
    fn load_into(&mut self, buf: &mut Writer<'_>, len: usize) -> (usize, Result<(), Failed>) {
        let mut output = mem::take(&mut self.output);
        let mut done = 0;
        let mut result = Ok(());
        while done < len {
            let chunk = (len - done).min(output.len());
            let (read, outcome) = self.load(&mut output[..chunk]);
            buf.extend(&output[..read]);
            done += read;
            result = outcome;
            if result.is_err() || read < chunk {
                break;
            }
        }
        self.output = output;
        (done, result)
    }

    /// zlib's gz_read: fills `buf` as far as the data goes. Small reads go
    /// through `output` (so gzgetc is fast and gzungetc has room); large ones
    /// go straight to `buf`. An error after some data is kept for the next
    /// call; the bytes delivered are returned either way. `buf` may be the
    /// caller's uninitialised memory: it is only written, in order.
    fn read_into(&mut self, buf: &mut Writer<'_>) -> usize {
        let want = buf.remaining();
        if want == 0 {
            return 0;
        }
        if self.skip != 0 && self.skip_ahead().is_err() {
            return 0;
        }
        let mut got = 0;
        let mut failed = false;
        while got < want && !failed {
            let mut n = (want - got).min(u32::MAX as usize);
            if self.have != 0 {
                n = n.min(self.have);
                buf.extend(&self.output[self.next..self.next + n]);
                self.next += n;
                self.have -= n;
                // An error that a fetch left behind shows now.
                failed = self.err != Z_OK;
            } else if self.eof && self.avail_in == 0 {
                break;
            } else if self.how == How::Look || n < self.size * 2 {
                failed = self.fetch().is_err() && self.have == 0;
                continue;
            } else if self.how == How::Copy {
                let (read, result) = self.load_into(buf, n);
                n = read;
                failed = result.is_err();
            } else {
                let (copied, result) = self.decompress_to(buf, n);
                n = copied;
                failed = result.is_err();
            }
            got += n;
            self.pos += n as i64;
        }
        if got < want && self.eof {
            self.past = true;
        }
        got
    }

    /// gzread: bytes read into `buf` (0 at the end), or -1 on an error.
    pub fn read(&mut self, buf: &mut Writer<'_>) -> i32 {
        if !self.begin_read() {
            return -1;
        }
        if i32::try_from(buf.remaining()).is_err() {
            self.set_error(Z_STREAM_ERROR, Some(b"request does not fit in an int"));
            return -1;
        }
        let got = self.read_into(buf);
        if got == 0 {
            if !self.usable() {
                return -1;
            }
            if self.again {
                // A stalled non-blocking read is not the end of the file.
                self.set_os_error(self.blocked);
                return -1;
            }
        }
        got as i32
    }

    /// gzfread: reads `nitems` items of `size` bytes into `buf` (the
    /// caller's buffer, with room for exactly `size * nitems` bytes); full
    /// items read.
    pub fn read_items(&mut self, buf: &mut Writer<'_>, size: usize, nitems: usize) -> usize {
        if !self.begin_read() {
            return 0;
        }
        match self.items_len(size, nitems) {
            Some(len) if len != 0 && len == buf.remaining() => self.read_into(buf) / size,
            _ => 0,
        }
    }

    /// gzgetc: the next byte, or -1 at the end or on an error.
    pub fn getc(&mut self) -> i32 {
        if !self.begin_read() {
            return -1;
        }
        if self.have != 0 {
            let c = self.output[self.next];
            self.have -= 1;
            self.next += 1;
            self.pos += 1;
            return i32::from(c);
        }
        let mut byte = [0u8];
        if self.read_into(&mut Writer::from_bytes(&mut byte)) < 1 {
            -1
        } else {
            i32::from(byte[0])
        }
    }

    /// gzungetc: pushes `c` back in front of the data; `c`, or -1.
    pub fn ungetc(&mut self, c: i32) -> i32 {
        if !self.reading {
            return -1;
        }
        // Just opened: set up the buffers first.
        if self.how == How::Look && self.have == 0 {
            let _ = self.look();
        }
        if !self.begin_read() {
            return -1;
        }
        if self.skip != 0 && self.skip_ahead().is_err() {
            return -1;
        }
        let room = self.size * 2;
        if c < 0 || room == 0 {
            return -1;
        }
        if self.have == 0 {
            // At the end of the buffer, leaving room for more pushes.
            self.next = room;
        } else if self.have == room {
            self.set_error(Z_DATA_ERROR, Some(b"out of room to push characters"));
            return -1;
        } else if self.next == 0 {
            self.output.copy_within(..self.have, room - self.have);
            self.next = room - self.have;
        }
        self.have += 1;
        self.next -= 1;
        self.output[self.next] = c as u8;
        self.pos -= 1;
        self.past = false;
        c
    }

    /// gzgets: reads up to `buf.len() - 1` bytes, through the first newline,
    /// and a terminating NUL; the length read, or `None` if nothing was.
    pub fn gets(&mut self, buf: &mut Writer<'_>) -> Option<usize> {
        if buf.remaining() == 0 || !self.begin_read() {
            return None;
        }
        if self.skip != 0 && self.skip_ahead().is_err() {
            return None;
        }
        let mut copied = 0;
        let mut left = buf.remaining() - 1;
        while left != 0 {
            if self.have == 0 && self.fetch().is_err() {
                break;
            }
            if self.have == 0 {
                self.past = true;
                break;
            }
            let ready = &self.output[self.next..self.next + self.have.min(left)];
            let line_end = ready.iter().position(|&b| b == b'\n');
            let n = line_end.map_or(ready.len(), |at| at + 1);
            buf.extend(&ready[..n]);
            self.have -= n;
            self.next += n;
            self.pos += n as i64;
            left -= n;
            copied += n;
            if line_end.is_some() {
                break;
            }
        }
        if copied == 0 {
            return None;
        }
        buf.push(0);
        Some(copied)
    }

    /// gzdirect: 1 if the data is being copied rather than decompressed
    /// (looking at the file first if nothing was read yet).
    pub fn direct(&mut self) -> bool {
        if self.reading && self.how == How::Look && self.have == 0 {
            let _ = self.look();
        }
        self.direct == 1
    }

    /// gzclose_r: Z_BUF_ERROR if the data ended early, Z_ERRNO if close()
    /// fails, else Z_OK.
    pub(super) fn close_read(mut self) -> i32 {
        let code = if self.err == Z_BUF_ERROR {
            Z_BUF_ERROR
        } else {
            Z_OK
        };
        self.set_error(Z_OK, None);
        self.close_file(code)
    }
}
