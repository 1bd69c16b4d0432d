//! Checksum exports (written next).
