//! Differential tests of the gz* file API against the original zlib: the
//! checks live in `common/gz_diff.rs`, which the fuzz target `gz_diff`
//! shares.
#![cfg(not(feature = "drop-in"))]

mod common;

use common::gz_diff;
use common::Rng;

#[test]
fn writing() {
    gz_diff::writing();
}

#[test]
fn reading() {
    gz_diff::reading();
}

#[test]
fn bad_handles_and_modes() {
    gz_diff::bad_handles_and_modes();
}

/// The fuzz target's body on generated inputs: gzip members of a few
/// kinds, cut short or with a byte changed, and random bytes, to read; and
/// random data to write.
#[test]
fn fuzz_body_on_random_inputs() {
    let mut rng = Rng::new(0x6a7a);
    let text: Vec<u8> = (0..20_000u32)
        .flat_map(|i| format!("line {} of {}\n", i * 7 % 1000, i % 13).into_bytes())
        .collect();
    for case in 0..300 {
        let mut data = rng.bytes(9);
        data[0] = case as u8;
        let len = rng.below(text.len());
        let file = match case % 6 {
            0 | 2 => common::deflate(&text[..len], &common::Deflate::new(6, 31, 0)),
            4 => rng.bytes(len % 3000),
            _ => text[..len].to_vec(),
        };
        let mut file = match rng.below(4) {
            0 => file[..rng.below(file.len() + 1)].to_vec(),
            _ => file,
        };
        if !file.is_empty() && rng.below(3) == 0 {
            let at = rng.below(file.len());
            file[at] ^= 1 << rng.below(8);
        }
        data.extend_from_slice(&file);
        gz_diff::fuzz_gz(&data);
    }
}

/// The fuzz seeds and any committed reproducers (fuzz/seeds/gz_diff,
/// fuzz/regressions/gz_diff), replayed.
#[test]
fn fuzz_seeds_and_regressions_replay() {
    common::replay_fuzz_inputs("gz_diff", gz_diff::fuzz_gz);
}
