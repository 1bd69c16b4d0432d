//! How hard each level of the fast profile searches.

/// Which routine a level runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Band {
    /// Level 0: zlib's stored routine.
    Stored,
    /// Levels 1-3: greedy.
    Greedy,
    /// Levels 4-9: lazy.
    Lazy,
}

/// The routine of `level` (0..=9): deflateParams flushes when it changes.
pub(crate) fn band(level: i32) -> Band {
    match level {
        ..=0 => Band::Stored,
        1..=3 => Band::Greedy,
        _ => Band::Lazy,
    }
}

/// One level's search parameters.
#[derive(Clone, Copy, Debug)]
pub(super) struct FastLevel {
    /// Chain candidates visited per search.
    pub chain: u32,
    /// A quarter of the chain once the match to beat is this long (lazy).
    pub good: usize,
    /// The whole chain again once the match to beat is this long (lazy,
    /// with `switch`: the rarest chain inside a long match is short, and
    /// long repeats, as in markup, gain most from a full search).
    pub long: usize,
    /// Stop searching at a match this long.
    pub nice: usize,
    /// Lazy: do not look for a better match after one this long.
    pub lazy: usize,
    /// Matches up to this long have all their strings hashed; longer
    /// ones only their first and last few.
    pub insert_all: usize,
    /// Shortest match taken.
    pub min_length: usize,
    /// Three-byte matches farther than this cost more than literals.
    pub far3: usize,
    /// Chains hash four bytes ([`super::chains`]) rather than zlib's three:
    /// faster walks that meet more real candidates, at the cost of most
    /// three-byte matches.
    pub hash4: bool,
    /// Greedy band: one candidate per position from a table of four-byte
    /// hashes ([`super::quick`]) instead of chains, and blocks coded in
    /// one pass.
    pub single_probe: bool,
    /// Lazy band: walk the rarest chain of the strings inside the best
    /// match so far ([`super::chains::Chains::longest`]).
    pub switch: bool,
    /// Keep and walk with the links two back ([`super::links`]): two link
    /// loads in flight per walk, for one more load and store per string
    /// linked, which pays where walks are long.
    pub two_back: bool,
}

const fn level(
    chain: u32,
    good: usize,
    nice: usize,
    lazy: usize,
    insert_all: usize,
    min_length: usize,
    far3: usize,
) -> FastLevel {
    FastLevel {
        chain,
        good,
        long: usize::MAX,
        nice,
        lazy,
        insert_all,
        min_length,
        far3,
        hash4: false,
        single_probe: false,
        switch: false,
        two_back: false,
    }
}

/// Levels 0 to 9 (level 0's entry is unused: it stores). Level 1 probes
/// one candidate and codes in one pass (on the bench mix its output is
/// 16% over zlib's level 1, 9% on text, 20% on xml: zlib-ng's and zlib-rs's
/// are 27-31% over); level 2 walks chains of 3, which keeps every class of
/// the mix below level 1's size. Up to level 8 chains are a
/// fraction of zlib's (24 against 128 at level 6, where a quarter of it is
/// walked once the match to beat has 5 bytes, zlib: 8, and all of it again
/// once it has 32): on the bench mix level 6 lands within 1.2% of zlib's
/// size (below zlib-ng's in every class), and binary data, whose long
/// chains cost zlib most, gains most. Levels 6-9 switch chains inside the
/// best match, which makes their long walks cheap, and
/// levels 8-9 walk a quarter of their chains once the match to beat has 8
/// and 4 bytes (zlib: 32). Level 9 walks zlib's 4096 and keeps three-byte
/// matches at any distance (zlib leaves them as literals past 4 KB): on
/// the bench its output is then no larger than zlib-ng's and zlib-rs's in
/// every class (binary data 0.15% smaller than with chains of 1024 and a
/// 12 KB limit), at a quarter more time on the mix, still well ahead of
/// theirs.
const LEVELS: [FastLevel; 10] = [
    level(1, 0, 0, 0, 0, 4, 0),
    FastLevel {
        single_probe: true,
        ..level(1, 0, 258, 0, 0, 4, 0)
    },
    FastLevel {
        hash4: true,
        ..level(3, 0, 48, 0, 6, 4, 0)
    },
    FastLevel {
        hash4: true,
        ..level(4, 0, 64, 0, 8, 3, 256)
    },
    FastLevel {
        hash4: true,
        ..level(8, 8, 32, 8, 16, 3, 1024)
    },
    FastLevel {
        hash4: true,
        ..level(16, 8, 64, 16, 64, 3, 2048)
    },
    FastLevel {
        hash4: true,
        switch: true,
        long: 32,
        ..level(24, 5, 258, 128, 258, 3, 4096)
    },
    FastLevel {
        hash4: true,
        switch: true,
        two_back: true,
        ..level(64, 16, 192, 32, 258, 3, 4096)
    },
    FastLevel {
        switch: true,
        two_back: true,
        ..level(256, 8, 258, 128, 258, 3, 4096)
    },
    FastLevel {
        switch: true,
        two_back: true,
        ..level(4096, 4, 258, 258, 258, 3, 32768)
    },
];

/// The entry for `level` (clamped to 0..=9).
pub(super) fn for_level(level: i32) -> FastLevel {
    LEVELS[level.clamp(0, 9) as usize]
}
