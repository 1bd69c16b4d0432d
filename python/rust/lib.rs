//! The shared library bundled in the `rzlib` Python wheel.
//!
//! It has no code of its own: it links the `rzlib` crate in, and a cdylib
//! exports every `extern "C"` function of the crates it links, so the
//! library carries rzlib's `rz_*` C API, which the Python layer calls through
//! cffi (declarations from `include/rzlib.h`, see `build.rs`).

// Without a use, rustc would not link the crate, and its exports would be
// missing from the library.
extern crate rzlib;
