//! Checksums (written next).
