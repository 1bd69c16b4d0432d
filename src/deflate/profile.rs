//! Which algorithms a deflate stream runs: zlib's own (byte-identical
//! output) or rzlib's fast match finders (valid deflate, other bytes).

use core::sync::atomic::{AtomicU8, Ordering};

/// rzlib.h's `RZ_PROFILE_ZLIB` (cbindgen-rzlib.toml writes the same value).
pub const RZ_PROFILE_ZLIB: i32 = 0;
/// rzlib.h's `RZ_PROFILE_FAST`.
pub const RZ_PROFILE_FAST: i32 = 1;

/// A deflate stream's profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// zlib's algorithms: the output is byte-identical to zlib 1.3.2's.
    #[default]
    Zlib,
    /// rzlib's own match finders: faster and at least as small as zlib-ng
    /// and zlib-rs, a valid stream of other bytes than zlib's.
    Fast,
}

impl Profile {
    /// The profile for a C `RZ_PROFILE_*` value, `None` if unknown.
    pub fn from_c(value: i32) -> Option<Profile> {
        match value {
            RZ_PROFILE_ZLIB => Some(Profile::Zlib),
            RZ_PROFILE_FAST => Some(Profile::Fast),
            _ => None,
        }
    }

    /// The profile's C `RZ_PROFILE_*` value.
    pub fn to_c(self) -> i32 {
        match self {
            Profile::Zlib => RZ_PROFILE_ZLIB,
            Profile::Fast => RZ_PROFILE_FAST,
        }
    }

    /// The profile named by the value of `RZLIB_DEFLATE_PROFILE`: "fast"
    /// or "zlib"; `None` for anything else (ignored, the default kept).
    pub fn from_name(name: &[u8]) -> Option<Profile> {
        match name {
            b"fast" => Some(Profile::Fast),
            b"zlib" => Some(Profile::Zlib),
            _ => None,
        }
    }
}

/// The environment variable that sets the process default.
pub const PROFILE_VARIABLE: &str = "RZLIB_DEFLATE_PROFILE";

/// The process default, once read: `UNREAD`, or a profile's C value + 1.
/// A plain atomic rather than a lock, so that a child forked while another
/// thread reads the variable never inherits a lock held.
static PROCESS_DEFAULT: AtomicU8 = AtomicU8::new(UNREAD);
const UNREAD: u8 = 0;

/// The profile streams start with where the caller did not choose one
/// (deflateInit through the C API, compress, the gz functions): the
/// environment's `RZLIB_DEFLATE_PROFILE`, read on first use; zlib's
/// profile when it is unset or unknown.
pub fn process_default() -> Profile {
    let known = PROCESS_DEFAULT.load(Ordering::Relaxed);
    if known != UNREAD {
        return decode(known);
    }
    let chosen = std::env::var_os(PROFILE_VARIABLE)
        .and_then(|value| Profile::from_name(value.as_encoded_bytes()))
        .unwrap_or_default();
    // Two threads reading at once read the same environment: either store
    // is right.
    PROCESS_DEFAULT.store(encode(chosen), Ordering::Relaxed);
    chosen
}

fn encode(profile: Profile) -> u8 {
    profile.to_c() as u8 + 1
}

fn decode(stored: u8) -> Profile {
    Profile::from_c(i32::from(stored) - 1).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_values_and_names_round_trip() {
        for profile in [Profile::Zlib, Profile::Fast] {
            assert_eq!(Profile::from_c(profile.to_c()), Some(profile));
            assert_eq!(decode(encode(profile)), profile);
        }
        assert_eq!(Profile::from_c(2), None);
        assert_eq!(Profile::from_c(-1), None);
        assert_eq!(Profile::from_name(b"fast"), Some(Profile::Fast));
        assert_eq!(Profile::from_name(b"FAST"), None);
        assert_eq!(Profile::from_name(b""), None);
    }
}
