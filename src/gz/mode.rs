//! gzopen's mode string: access, level, strategy and open flags.

/// How a gzip file is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `r`: read, decompressing (or copying a file that is not gzip).
    Read,
    /// `w`: write a new file (truncated).
    Write,
    /// `a`: write, appending a new gzip member to the file.
    Append,
}

/// What a mode string asks for, as zlib 1.3.2's gz_open reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenMode {
    /// `r`, `w` or `a` (the last one given wins).
    pub access: Access,
    /// A digit: the compression level (-1 for the default).
    pub level: i32,
    /// `f`, `h`, `R`, `F`: the deflate strategy.
    pub strategy: i32,
    /// Reading: 1 to detect gzip or plain data, -1 for gzip only (`G`).
    /// Writing: 0 to compress, 1 to write the data as is (`T`).
    pub direct: i32,
    /// `x`: fail if the file exists (O_EXCL).
    pub exclusive: bool,
    /// `e`: close the descriptor on exec (O_CLOEXEC).
    pub close_on_exec: bool,
    /// `N`: non-blocking descriptor (O_NONBLOCK).
    pub non_blocking: bool,
}

impl OpenMode {
    /// Reads `mode` (without its NUL); `None` where gzopen returns NULL:
    /// no `r`/`w`/`a`, a `+`, `T` for reading or `G` for writing. Other
    /// characters (such as `b`) are ignored, as zlib ignores them.
    pub fn parse(mode: &[u8]) -> Option<OpenMode> {
        let mut access = None;
        let mut parsed = OpenMode {
            access: Access::Read,
            level: -1,
            strategy: 0,
            direct: 0,
            exclusive: false,
            close_on_exec: false,
            non_blocking: false,
        };
        for &c in mode {
            match c {
                b'0'..=b'9' => parsed.level = i32::from(c - b'0'),
                b'r' => access = Some(Access::Read),
                b'w' => access = Some(Access::Write),
                b'a' => access = Some(Access::Append),
                // Reading and writing at once is not supported.
                b'+' => return None,
                b'e' => parsed.close_on_exec = true,
                b'x' => parsed.exclusive = true,
                b'f' => parsed.strategy = 1,
                b'h' => parsed.strategy = 2,
                b'R' => parsed.strategy = 3,
                b'F' => parsed.strategy = 4,
                b'G' => parsed.direct = -1,
                b'N' => parsed.non_blocking = true,
                b'T' => parsed.direct = 1,
                _ => {}
            }
        }
        parsed.access = access?;
        match (parsed.access, parsed.direct) {
            // A transparent read cannot be forced; without `G` a reader
            // detects gzip, assuming plain data until it sees a header.
            (Access::Read, 1) => return None,
            (Access::Read, 0) => parsed.direct = 1,
            (Access::Read, _) => {}
            (_, -1) => return None,
            _ => {}
        }
        Some(parsed)
    }

    /// True for `r`.
    pub fn reading(&self) -> bool {
        self.access == Access::Read
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_as_zlib_reads_them() {
        let read = OpenMode::parse(b"rb").unwrap();
        assert_eq!(
            (read.access, read.direct, read.level),
            (Access::Read, 1, -1)
        );
        assert_eq!(OpenMode::parse(b"rG").unwrap().direct, -1);
        let write = OpenMode::parse(b"wb9h").unwrap();
        assert_eq!(
            (write.access, write.level, write.strategy),
            (Access::Write, 9, 2)
        );
        let append = OpenMode::parse(b"a1TxeN").unwrap();
        assert_eq!(append.access, Access::Append);
        assert_eq!((append.level, append.direct), (1, 1));
        assert!(append.exclusive && append.close_on_exec && append.non_blocking);
        // The last access letter and the last digit win.
        let last = OpenMode::parse(b"r3wa5").unwrap();
        assert_eq!((last.access, last.level), (Access::Append, 5));
        for bad in [&b""[..], b"b9", b"r+", b"w+", b"rT", b"wG"] {
            assert_eq!(OpenMode::parse(bad), None, "{bad:?}");
        }
    }
}
