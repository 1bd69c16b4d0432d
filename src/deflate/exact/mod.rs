//! The exact profile: zlib's own match finders and the routines that drive
//! them, so that the output is zlib's byte for byte. The fast profile's
//! finders are beside them in `super::fast`; the window, the hash chains
//! and the routines' shared loop (`super::routines`) serve both.
//!
//! - `longest_match`: zlib's chain walk, a word at a time;
//! - `pair_search`: the walks at strstart and strstart + 1 together;
//! - `chains`: the chain tables as the hot loops borrow them;
//! - `greedy`: zlib's deflate_fast (levels 1-3);
//! - `lazy`: zlib's deflate_slow (levels 4-9).

mod chains;
mod frame;
mod greedy;
mod lazy;
mod longest_match;
mod pair_search;
