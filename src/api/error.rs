//! The error type of the Rust API: zlib's return code and message.

/// What went wrong, as zlib's error codes classify it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `Z_STREAM_ERROR`: a call the stream's state does not allow (for
    /// example a dictionary after compression started) or bad parameters.
    Stream,
    /// `Z_DATA_ERROR`: the compressed data is corrupt or cut short.
    Data,
    /// `Z_MEM_ERROR`: memory for the stream was refused.
    Memory,
    /// `Z_BUF_ERROR`: no progress was possible where the call needed some.
    Buffer,
    /// `Z_NEED_DICT`: the zlib stream was compressed with a preset
    /// dictionary; [`Error::needs_dictionary`] gives its Adler-32.
    NeedDictionary,
}

impl ErrorKind {
    /// zlib's return code for this kind (`Z_STREAM_ERROR` is -2, ...).
    pub fn code(self) -> i32 {
        match self {
            ErrorKind::Stream => -2,
            ErrorKind::Data => -3,
            ErrorKind::Memory => -4,
            ErrorKind::Buffer => -5,
            ErrorKind::NeedDictionary => 2,
        }
    }

    /// zlib's generic text for the code (what `zError` returns).
    fn text(self) -> &'static str {
        crate::c_api::util::error_message(self.code())
            .to_str()
            .unwrap_or("")
    }
}

/// An error from compression or decompression: zlib's code and the
/// message zlib sets in `msg` ("incorrect header check", "invalid distance
/// too far back", ...), or zlib's text for the code where it sets none.
///
/// ```
/// let err = rzlib::decompress(b"not zlib data").unwrap_err();
/// assert_eq!(err.kind(), rzlib::ErrorKind::Data);
/// assert_eq!(err.code(), -3);
/// assert_eq!(err.message(), "incorrect header check");
/// assert_eq!(err.to_string(), "incorrect header check");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: &'static str,
    dictionary: Option<u32>,
}

impl Error {
    /// An error of `kind` with zlib's generic text for it.
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error::with_message(kind, kind.text())
    }

    /// An error of `kind` with a specific message.
    pub(crate) fn with_message(kind: ErrorKind, message: &'static str) -> Error {
        Error {
            kind,
            message,
            dictionary: None,
        }
    }

    /// A stream that needs the dictionary whose Adler-32 is `id`.
    pub(crate) fn need_dictionary(id: u32) -> Error {
        Error {
            dictionary: Some(id),
            ..Error::new(ErrorKind::NeedDictionary)
        }
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// zlib's return code (negative, or 2 for `Z_NEED_DICT`).
    pub fn code(&self) -> i32 {
        self.kind.code()
    }

    /// zlib's message.
    pub fn message(&self) -> &'static str {
        self.message
    }

    /// For [`ErrorKind::NeedDictionary`]: the Adler-32 of the dictionary
    /// the stream was compressed with.
    pub fn needs_dictionary(&self) -> Option<u32> {
        self.dictionary
    }
}

impl From<Error> for std::io::Error {
    fn from(error: Error) -> std::io::Error {
        let kind = match error.kind {
            ErrorKind::Data | ErrorKind::NeedDictionary => std::io::ErrorKind::InvalidData,
            ErrorKind::Memory => std::io::ErrorKind::OutOfMemory,
            ErrorKind::Stream | ErrorKind::Buffer => std::io::ErrorKind::InvalidInput,
        };
        std::io::Error::new(kind, error)
    }
}
