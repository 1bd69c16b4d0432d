//! The file under a gzip stream: the descriptor operations gz* needs, the
//! memory of its buffers, and the text of their errors.

use crate::memory::Memory;

/// Where a seek counts from (lseek's `whence`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whence {
    /// `SEEK_SET`.
    Start,
    /// `SEEK_CUR`.
    Current,
    /// `SEEK_END`.
    End,
}

/// A descriptor's read, write, lseek and close, with failures as errno
/// values, and the stream's buffers. The C boundary implements it over a
/// POSIX file descriptor and malloc.
pub trait RawFile {
    /// One `read()`: bytes read (0 at end of file), or errno.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32>;
    /// One `write()`: bytes written, or errno.
    fn write(&mut self, buf: &[u8]) -> Result<usize, i32>;
    /// `lseek()`: the new offset, or `None` where it returns -1.
    fn seek(&mut self, offset: i64, whence: Whence) -> Option<i64>;
    /// `close()`: false where it fails.
    fn close(self) -> bool;
    /// `len` zero bytes, or `None` where memory is refused. They must cost
    /// nothing until touched (fresh pages, as calloc gives), as zlib's
    /// malloc'd buffers do: gzbuffer may ask for gigabytes that a few bytes
    /// of data never reach.
    fn zeroed(len: usize) -> Option<Vec<u8>>;

    /// Where the codec's window and tables come from. The C boundary
    /// gives the memory its streams use, so that a library build holds one
    /// copy of deflate and inflate, not one per kind of memory.
    type Memory: Memory;
    /// The memory for a new codec.
    fn memory() -> Self::Memory;
}

/// strerror's text for `errno`.
pub(crate) fn error_text(errno: i32) -> String {
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    // std appends " (os error N)" to the C library's text.
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// True for EAGAIN/EWOULDBLOCK: a non-blocking descriptor had nothing to do.
pub(crate) fn would_block(errno: i32) -> bool {
    std::io::Error::from_raw_os_error(errno).kind() == std::io::ErrorKind::WouldBlock
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_text() {
        assert_eq!(error_text(2), "No such file or directory");
        assert!(would_block(11));
        assert!(!would_block(2));
    }
}
