//! The POSIX descriptor under a gzFile: open(2), read(2), write(2),
//! lseek(2) and close(2), and calloc'd buffers, for the safe gz core's
//! [`RawFile`].

use core::alloc::Layout;
use core::ffi::{c_char, c_int};

use super::alloc::Allocator;
use crate::gz::{OpenMode, RawFile, Whence};

/// An open descriptor, owned: closing the gzFile closes it.
pub(crate) struct Fd(c_int);

/// errno after a failed call.
fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

impl Fd {
    /// open(2) of `path` with the flags gz_open derives from `mode`
    /// (permissions 0666 before the umask); errno on failure.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    pub(crate) unsafe fn open(path: *const c_char, mode: &OpenMode) -> Option<Fd> {
        let mut flags = libc::O_LARGEFILE;
        flags |= if mode.reading() {
            libc::O_RDONLY
        } else {
            let write = if mode.access == crate::gz::Access::Write {
                libc::O_TRUNC
            } else {
                libc::O_APPEND
            };
            libc::O_WRONLY | libc::O_CREAT | write
        };
        if mode.exclusive && !mode.reading() {
            flags |= libc::O_EXCL;
        }
        if mode.close_on_exec {
            flags |= libc::O_CLOEXEC;
        }
        if mode.non_blocking {
            flags |= libc::O_NONBLOCK;
        }
        // SAFETY: `path` is a C string per the contract; open does not keep it.
        let fd = unsafe { libc::open(path, flags, 0o666 as libc::c_uint) };
        (fd != -1).then_some(Fd(fd))
    }

    /// Takes over `fd` (gzdopen), applying `e` and `N` from `mode` with
    /// fcntl as gz_open does.
    pub(crate) fn adopt(fd: c_int, mode: &OpenMode) -> Fd {
        // SAFETY: fcntl on any integer is defined; a bad descriptor fails with EBADF.
        unsafe {
            if mode.non_blocking {
                let flags = libc::fcntl(fd, libc::F_GETFL);
                libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
            }
            if mode.close_on_exec {
                let flags = libc::fcntl(fd, libc::F_GETFD);
                libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC);
            }
        }
        Fd(fd)
    }
}

impl RawFile for Fd {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32> {
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::read(self.0, buf.as_mut_ptr().cast(), buf.len()) };
        usize::try_from(n).map_err(|_| errno())
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, i32> {
        // SAFETY: `buf` is readable for its length.
        let n = unsafe { libc::write(self.0, buf.as_ptr().cast(), buf.len()) };
        usize::try_from(n).map_err(|_| errno())
    }

    fn seek(&mut self, offset: i64, whence: Whence) -> Option<i64> {
        let whence = match whence {
            Whence::Start => libc::SEEK_SET,
            Whence::Current => libc::SEEK_CUR,
            Whence::End => libc::SEEK_END,
        };
        // SAFETY: lseek takes plain integers.
        let at = unsafe { libc::lseek(self.0, offset as libc::off_t, whence) };
        // off_t is i64 on LP64 targets, narrower elsewhere.
        #[allow(clippy::useless_conversion)]
        (at != -1).then_some(i64::from(at))
    }

    fn close(self) -> bool {
        // SAFETY: the descriptor is ours, and closed once (close takes self).
        unsafe { libc::close(self.0) == 0 }
    }

    fn zeroed(len: usize) -> Option<Vec<u8>> {
        // vec![0; len] would be as lazy, but it aborts where memory is
        // refused, and zlib reports Z_MEM_ERROR.
        if len == 0 {
            return Some(Vec::new());
        }
        let layout = Layout::array::<u8>(len).ok()?;
        // SAFETY: the layout's size is not zero.
        let block = unsafe { std::alloc::alloc_zeroed(layout) };
        if block.is_null() {
            return None;
        }
        // SAFETY: `block` holds `len` zeroed bytes from the global
        // allocator with u8's layout, which is what a Vec<u8> of capacity
        // `len` frees.
        Some(unsafe { Vec::from_raw_parts(block, len, len) })
    }

    /// zlib's gz functions open their streams with the default zalloc.
    type Memory = Allocator;
    fn memory() -> Allocator {
        Allocator::default_pair()
    }
}
