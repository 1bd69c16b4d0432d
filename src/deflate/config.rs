//! zlib's compression level table: how hard each level searches.

/// Which block routine a level runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Routine {
    /// Level 0: stored blocks only.
    Stored,
    /// Levels 1-3: greedy matching, no lazy evaluation.
    Fast,
    /// Levels 4-9: lazy matching.
    Slow,
}

/// The search parameters of one level (zlib's `config`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Config {
    /// Reduce the chain search to a quarter above this match length.
    pub good_length: u16,
    /// Lazy levels: do not look for a better match above this length.
    /// Fast levels: the longest match whose strings are all hashed.
    pub max_lazy: u16,
    /// Stop searching at a match this long.
    pub nice_length: u16,
    /// Longest hash chain to follow.
    pub max_chain: u16,
    /// The block routine.
    pub routine: Routine,
}

const fn level(good: u16, lazy: u16, nice: u16, chain: u16, routine: Routine) -> Config {
    Config {
        good_length: good,
        max_lazy: lazy,
        nice_length: nice,
        max_chain: chain,
        routine,
    }
}

/// Levels 0 to 9, as in zlib.
pub(crate) const LEVELS: [Config; 10] = [
    level(0, 0, 0, 0, Routine::Stored),
    level(4, 4, 8, 4, Routine::Fast),
    level(4, 5, 16, 8, Routine::Fast),
    level(4, 6, 32, 32, Routine::Fast),
    level(4, 4, 16, 16, Routine::Slow),
    level(8, 16, 32, 32, Routine::Slow),
    level(8, 16, 128, 128, Routine::Slow),
    level(8, 32, 128, 256, Routine::Slow),
    level(32, 128, 258, 1024, Routine::Slow),
    level(32, 258, 258, 4096, Routine::Slow),
];

/// The entry for `level` (clamped to 0..=9).
pub(crate) fn for_level(level: i32) -> Config {
    LEVELS[level.clamp(0, 9) as usize]
}
