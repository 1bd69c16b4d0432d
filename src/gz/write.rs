//! Writing a gzip file: zlib's gzwrite.c. Small writes gather in `input`;
//! compressed data gathers in `output` and goes to the file when it is full
//! or a flush asks for it, so the file's bytes and the moments they are
//! written match zlib's.

use std::mem;

use super::file::would_block;
use super::{DeflateFields, Failed, GzFile, RawFile, MAX_IO, Z_DATA_ERROR, Z_OK, Z_STREAM_ERROR};
use crate::deflate::{Code, DeflateIo, Deflater, Params, ParamsChange};
use crate::writer::Writer;

const Z_NO_FLUSH: i32 = 0;
const Z_BLOCK: i32 = 5;
const Z_FINISH: i32 = 4;

impl<F: RawFile> GzFile<F> {
    /// zlib's gz_init: the buffers, and the deflate stream unless the data
    /// is written as is.
    fn init_write(&mut self) -> Result<(), Failed> {
        let Some(input) = F::zeroed(self.want * 2) else {
            return Err(self.set_out_of_memory());
        };
        if self.direct == 0 {
            let Some(output) = F::zeroed(self.want) else {
                return Err(self.set_out_of_memory());
            };
            let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
            let deflater = Params::new(self.level, 8, 15 + 16, 8, self.strategy)
                .and_then(|params| Deflater::new(params, &mut io, F::memory()));
            let Some(mut deflater) = deflater else {
                return Err(self.set_out_of_memory());
            };
            // gz files follow the process default profile and threads.
            deflater.set_default_profile(crate::deflate::process_default_profile());
            let threads = crate::deflate::process_default_threads();
            if deflater.set_threads(threads) != crate::deflate::Code::Ok {
                return Err(self.set_out_of_memory());
            }
            self.deflate_fields = DeflateFields {
                total_in: io.total_in,
                total_out: io.total_out,
                adler: io.adler,
                data_type: io.data_type,
            };
            self.deflater = Some(Box::new(deflater));
            self.output = output;
            self.avail_out = self.want;
            self.next_out = 0;
            self.next = 0;
        }
        self.input = input;
        self.size = self.want;
        Ok(())
    }

    /// One write() of `data` to the file; records its error.
    fn write_file(&mut self, data: &[u8]) -> Result<usize, Failed> {
        self.again = false;
        match self.file.write(&data[..data.len().min(MAX_IO)]) {
            Ok(n) => Ok(n),
            Err(errno) => {
                self.again = would_block(errno);
                self.set_os_error(errno);
                Err(Failed)
            }
        }
    }

    /// Runs one deflate call on `data[next_in..]` into `output[next_out..]`.
    fn deflate_step(&mut self, data: &[u8], flush: i32) -> Code {
        let Some(deflater) = self.deflater.as_mut() else {
            return Code::StreamError;
        };
        let fields = self.deflate_fields;
        let mut io = DeflateIo::new(
            &data[self.next_in..self.next_in + self.avail_in],
            Writer::from_bytes(&mut self.output[self.next_out..self.next_out + self.avail_out]),
            fields.total_in,
            fields.total_out,
        );
        io.adler = fields.adler;
        io.data_type = fields.data_type;
        let code = deflater.deflate(&mut io, flush, None);
        self.deflate_fields = DeflateFields {
            total_in: io.total_in,
            total_out: io.total_out,
            adler: io.adler,
            data_type: io.data_type,
        };
        self.next_in += io.consumed;
        self.avail_in -= io.consumed;
        self.next_out += io.produced;
        self.avail_out -= io.produced;
        code
    }

    /// zlib's gz_comp: compresses `data[next_in..][..avail_in]` with
    /// `flush`, writing `output` to the file when it is full or when
    /// flushing (for Z_FINISH, once the member is complete). Without
    /// compression the data goes to the file as is. After Z_FINISH the
    /// next data starts a new member.
    fn compress(&mut self, data: &[u8], flush: i32) -> Result<(), Failed> {
        if self.size == 0 {
            self.init_write()?;
        }
        if self.direct != 0 {
            while self.avail_in != 0 {
                let start = self.next_in;
                let written = self.write_file(&data[start..start + self.avail_in])?;
                self.avail_in -= written;
                self.next_in += written;
            }
            return Ok(());
        }
        if self.reset {
            // A new member starts only with data, or with a flush.
            if self.avail_in == 0 && flush == Z_NO_FLUSH {
                return Ok(());
            }
            if let Some(deflater) = self.deflater.as_mut() {
                let mut io = DeflateIo::new(&[], Writer::empty(), 0, 0);
                deflater.reset(&mut io);
                self.deflate_fields = DeflateFields {
                    total_in: io.total_in,
                    total_out: io.total_out,
                    adler: io.adler,
                    data_type: io.data_type,
                };
            }
            self.reset = false;
        }
        let mut code = Code::Ok;
        loop {
            let finished = flush != Z_FINISH || code == Code::StreamEnd;
            if self.avail_out == 0 || (flush != Z_NO_FLUSH && finished) {
                while self.next_out > self.next {
                    let output = mem::take(&mut self.output);
                    let written = self.write_file(&output[self.next..self.next_out]);
                    self.output = output;
                    self.next += written?;
                }
                if self.avail_out == 0 {
                    self.avail_out = self.size;
                    self.next_out = 0;
                    self.next = 0;
                }
            }
            let had = self.avail_out;
            code = self.deflate_step(data, flush);
            if code == Code::StreamError {
                self.set_error(
                    Z_STREAM_ERROR,
                    Some(b"internal error: deflate stream corrupt"),
                );
                return Err(Failed);
            }
            if had == self.avail_out {
                break;
            }
        }
        if flush == Z_FINISH {
            self.reset = true;
        }
        Ok(())
    }

    /// gz_comp over the gathered input in `input`.
    fn compress_input(&mut self, flush: i32) -> Result<(), Failed> {
        let input = mem::take(&mut self.input);
        let result = self.compress(&input, flush);
        if self.input.is_empty() {
            self.input = input;
        }
        result
    }

    /// zlib's gz_zero: writes the pending seek's `skip` zeros, after the
    /// input already gathered.
    fn write_zeros(&mut self) -> Result<(), Failed> {
        if self.avail_in != 0 {
            self.compress_input(Z_NO_FLUSH)?;
        }
        while self.skip != 0 {
            // The buffers may only now exist (a seek before any write).
            if self.size == 0 {
                self.init_write()?;
            }
            let n = (self.skip as u64).min(self.size as u64) as usize;
            self.input[..n].fill(0);
            self.avail_in = n;
            self.next_in = 0;
            let result = self.compress_input(Z_NO_FLUSH);
            let done = n - self.avail_in;
            self.pos += done as i64;
            self.skip -= done as i64;
            result?;
        }
        Ok(())
    }

    /// zlib's gz_write: takes all of `data` (0 on an error, or what a
    /// stalled non-blocking write took). Small writes gather in `input`;
    /// large ones are compressed straight from `data`.
    fn write_from(&mut self, data: &[u8]) -> usize {
        if data.is_empty() {
            return 0;
        }
        if self.size == 0 && self.init_write().is_err() {
            return 0;
        }
        if self.skip != 0 && self.write_zeros().is_err() {
            return 0;
        }
        let mut done = 0;
        if data.len() < self.size {
            loop {
                if self.avail_in == 0 {
                    self.next_in = 0;
                }
                let have = self.next_in + self.avail_in;
                let copy = self.size.saturating_sub(have).min(data.len() - done);
                self.input[have..have + copy].copy_from_slice(&data[done..done + copy]);
                self.avail_in += copy;
                self.pos += copy as i64;
                done += copy;
                if done == data.len() {
                    break;
                }
                if self.compress_input(Z_NO_FLUSH).is_err() {
                    return if self.again { done } else { 0 };
                }
            }
        } else {
            if self.avail_in != 0 && self.compress_input(Z_NO_FLUSH).is_err() {
                return 0;
            }
            while done < data.len() {
                let n = (data.len() - done).min(u32::MAX as usize);
                self.next_in = 0;
                self.avail_in = n;
                let result = self.compress(&data[done..done + n], Z_NO_FLUSH);
                let taken = n - self.avail_in;
                // The caller's data is not kept after this call.
                self.avail_in = 0;
                self.next_in = 0;
                self.pos += taken as i64;
                done += taken;
                if result.is_err() {
                    return if self.again { done } else { 0 };
                }
            }
        }
        data.len()
    }

    /// gzwrite: `data.len()` on success, 0 on an error.
    pub fn write(&mut self, data: &[u8]) -> i32 {
        if !self.begin_write() {
            return 0;
        }
        if i32::try_from(data.len()).is_err() {
            self.set_error(Z_DATA_ERROR, Some(b"requested length does not fit in int"));
            return 0;
        }
        self.write_from(data) as i32
    }

    /// gzfwrite: writes `nitems` items of `size` bytes from `data` (the
    /// caller's buffer, at least `size * nitems` bytes); items written.
    pub fn write_items(&mut self, data: &[u8], size: usize, nitems: usize) -> usize {
        if !self.begin_write() {
            return 0;
        }
        match self.items_len(size, nitems) {
            Some(len) if len != 0 => self.write_from(&data[..len]) / size,
            _ => 0,
        }
    }

    /// gzputc: writes one byte; `c & 0xff`, or -1.
    pub fn putc(&mut self, c: i32) -> i32 {
        if !self.begin_write() {
            return -1;
        }
        if self.skip != 0 && self.write_zeros().is_err() {
            return -1;
        }
        if self.size != 0 {
            if self.avail_in == 0 {
                self.next_in = 0;
            }
            let have = self.next_in + self.avail_in;
            if have < self.size {
                self.input[have] = c as u8;
                self.avail_in += 1;
                self.pos += 1;
                return c & 0xff;
            }
        }
        if self.write_from(&[c as u8]) != 1 {
            return -1;
        }
        c & 0xff
    }

    /// gzputs: writes a string (without its NUL); its length, or -1.
    pub fn puts(&mut self, s: &[u8]) -> i32 {
        if !self.begin_write() {
            return -1;
        }
        if i32::try_from(s.len()).is_err() {
            self.set_error(Z_STREAM_ERROR, Some(b"string length does not fit in int"));
            return -1;
        }
        let put = self.write_from(s);
        if !s.is_empty() && put == 0 {
            -1
        } else {
            put as i32
        }
    }

    /// zlib's gz_vacate: compresses the gathered input once it reaches into
    /// the buffer's second half (gzprintf's room). True if it still does.
    fn vacate(&mut self) -> bool {
        if self.next_in + self.avail_in <= self.size {
            return false;
        }
        let _ = self.compress_input(Z_NO_FLUSH);
        if self.avail_in != 0 {
            self.input
                .copy_within(self.next_in..self.next_in + self.avail_in, 0);
        }
        self.next_in = 0;
        self.avail_in > self.size
    }

    /// gzprintf's first half: makes room for its text. `Ok((offset,
    /// size))`: format at most `size` bytes (NUL included) into `input` at
    /// `offset` (see [`GzFile::printf_buffer`]), then call
    /// [`GzFile::printf_commit`]. `Err(code)`: gzprintf returns `code`.
    pub fn printf_reserve(&mut self) -> Result<(usize, usize), i32> {
        if !self.begin_write() {
            return Err(Z_STREAM_ERROR);
        }
        if self.size == 0 && self.init_write().is_err() {
            return Err(self.err);
        }
        if self.skip != 0 && self.write_zeros().is_err() {
            return Err(self.err);
        }
        let crowded = self.vacate();
        if self.err != Z_OK {
            if crowded && self.again {
                self.set_error(super::Z_BUF_ERROR, Some(b"stalled write on gzprintf"));
            }
            if !self.again {
                return Err(self.err);
            }
        }
        if self.avail_in == 0 {
            self.next_in = 0;
        }
        let offset = self.next_in + self.avail_in;
        if offset + self.size > self.input.len() {
            // No room for a whole buffer of text (a stalled write).
            return Err(self.err);
        }
        Ok((offset, self.size))
    }

    /// The buffer gzprintf formats into, from [`GzFile::printf_reserve`].
    pub fn printf_buffer(&mut self) -> &mut [u8] {
        &mut self.input
    }

    /// gzprintf's second half: `len` is vsnprintf's result, `terminated`
    /// whether the last byte of the reserved space is still NUL. Text that
    /// did not fit (or none) gives 0, as in zlib; otherwise `len`, or the
    /// error of writing the buffer out.
    pub fn printf_commit(&mut self, len: i32, terminated: bool) -> i32 {
        let Ok(n) = usize::try_from(len) else {
            return 0;
        };
        if n == 0 || n >= self.size || !terminated {
            return 0;
        }
        self.avail_in += n;
        self.pos += i64::from(len);
        self.vacate();
        if self.err != Z_OK && !self.again {
            return self.err;
        }
        len
    }

    /// gzflush: compresses what is gathered with `flush` (Z_NO_FLUSH ..
    /// Z_FINISH) and writes it out; the error code after.
    pub fn flush(&mut self, flush: i32) -> i32 {
        if !self.begin_write() {
            return Z_STREAM_ERROR;
        }
        if !(Z_NO_FLUSH..=Z_FINISH).contains(&flush) {
            return Z_STREAM_ERROR;
        }
        if self.skip != 0 && self.write_zeros().is_err() {
            return self.err;
        }
        let _ = self.compress_input(flush);
        self.err
    }

    /// gzsetparams: the level and strategy for the data written next.
    pub fn set_params(&mut self, level: i32, strategy: i32) -> i32 {
        if self.direct != 0 || !self.begin_write() {
            return Z_STREAM_ERROR;
        }
        if level == self.level && strategy == self.strategy {
            return Z_OK;
        }
        if self.skip != 0 && self.write_zeros().is_err() {
            return self.err;
        }
        if self.size != 0 {
            // What was written so far is compressed as it was asked for.
            if self.avail_in != 0 && self.compress_input(Z_BLOCK).is_err() {
                return self.err;
            }
            self.deflate_params(level, strategy);
        }
        self.level = level;
        self.strategy = strategy;
        Z_OK
    }

    /// deflateParams on the stream, whose result gzsetparams ignores.
    fn deflate_params(&mut self, level: i32, strategy: i32) {
        let Some(deflater) = self.deflater.as_ref() else {
            return;
        };
        match deflater.params_change(level, strategy) {
            ParamsChange::Invalid => return,
            ParamsChange::Ready => {}
            ParamsChange::FlushFirst => {
                let input = mem::take(&mut self.input);
                let code = self.deflate_step(&input, Z_BLOCK);
                self.input = input;
                let unflushed = self
                    .deflater
                    .as_ref()
                    .is_some_and(|d| d.has_unflushed_data());
                if code == Code::StreamError || self.avail_in != 0 || unflushed {
                    return;
                }
            }
        }
        if let Some(deflater) = self.deflater.as_mut() {
            deflater.set_params(level, strategy);
        }
    }

    /// gzclose_w: writes the pending zeros and the rest of the member, then
    /// closes the file; Z_OK or the first error.
    pub(super) fn close_write(mut self) -> i32 {
        let mut code = Z_OK;
        if self.skip != 0 && self.write_zeros().is_err() {
            code = self.err;
        }
        if self.compress_input(Z_FINISH).is_err() {
            code = self.err;
        }
        self.set_error(Z_OK, None);
        self.close_file(code)
    }
}
