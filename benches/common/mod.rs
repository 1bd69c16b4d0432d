//! Bench inputs: the shared corpus when it is beside the project (or where
//! `RZLIB_CORPUS` points), generated data otherwise or with
//! `RZLIB_CORPUS=none`. Each bench prints which one it measured.
#![allow(dead_code)]

use std::path::PathBuf;

/// A named input.
pub struct Input {
    pub name: String,
    pub data: Vec<u8>,
}

/// Where the bench data comes from, as the tests decide it
/// (tests/common/mod.rs): the environment variable `RZLIB_CORPUS` names the
/// corpus directory, `RZLIB_CORPUS=none` asks for generated data only, and
/// unset or empty means `../shared/corpus` beside the crate when it exists.
/// `Err` says why there is no corpus.
fn corpus_root() -> Result<(PathBuf, String), String> {
    let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    match std::env::var_os("RZLIB_CORPUS") {
        Some(value) if value == "none" => Err("RZLIB_CORPUS=none".to_owned()),
        Some(value) if !value.is_empty() => {
            let root = PathBuf::from(&value);
            assert!(
                root.is_dir(),
                "RZLIB_CORPUS={} is not a directory (use RZLIB_CORPUS=none for generated data)",
                root.display()
            );
            let label = format!("{} (RZLIB_CORPUS)", root.display());
            Ok((root, label))
        }
        _ if default.is_dir() => Ok((default, "../shared/corpus".to_owned())),
        _ => Err("../shared/corpus not found".to_owned()),
    }
}

/// Representative corpus files (prose, XML, executable, image, spreadsheet),
/// each cut to `limit` bytes; or generated stand-ins when there is no corpus
/// (see [`corpus_root`]) or it lacks one of them.
pub fn inputs(limit: usize) -> Vec<Input> {
    let files = [
        "silesia/dickens",
        "silesia/xml",
        "silesia/ooffice",
        "silesia/mr",
        "canterbury/kennedy.xls",
    ];
    let why = match corpus_root() {
        Ok((root, label)) => {
            let found: Vec<Input> = files
                .iter()
                .filter_map(|f| {
                    let mut data = std::fs::read(root.join(f)).ok()?;
                    data.truncate(limit);
                    Some(Input {
                        name: f.rsplit('/').next().unwrap().to_owned(),
                        data,
                    })
                })
                .collect();
            if found.len() == files.len() {
                eprintln!(
                    "bench data: {label} ({} files, up to {limit} bytes each)",
                    found.len()
                );
                return found;
            }
            format!("{label} lacks some of {files:?}")
        }
        Err(why) => why,
    };
    eprintln!("bench data: generated ({why})");
    vec![
        Input {
            name: "generated-text".into(),
            data: generated_text(limit),
        },
        Input {
            name: "generated-binary".into(),
            data: generated_binary(limit),
        },
    ]
}

/// Data outside the corpus, always at hand: this crate's own source code
/// and an executable, each cut to `limit` bytes. Each is named after what
/// it is, with where it came from printed once.
pub fn other_classes(limit: usize) -> Vec<Input> {
    vec![source_code(limit), executable(limit)]
}

/// Source code: the crate's `src/**/*.rs` and `c_tests/*.c`, in path order,
/// joined, read at bench time.
pub fn source_code(limit: usize) -> Input {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    collect_files(&root.join("src"), "rs", &mut paths);
    collect_files(&root.join("c_tests"), "c", &mut paths);
    paths.sort();
    let mut data = Vec::new();
    for path in &paths {
        if data.len() >= limit {
            break;
        }
        data.extend(std::fs::read(path).unwrap_or_default());
    }
    data.truncate(limit);
    assert!(
        !data.is_empty(),
        "no source code under {} (src/**/*.rs, c_tests/*.c)",
        root.display()
    );
    eprintln!(
        "bench data: source-code = src/**/*.rs and c_tests/*.c ({} files, {} bytes)",
        paths.len(),
        data.len()
    );
    Input {
        name: "source-code".into(),
        data,
    }
}

/// The files under `dir` (recursively) whose names end in `.ext`.
fn collect_files(dir: &std::path::Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// An executable: /usr/bin/gcc's driver where it exists (the same bytes
/// from run to run), else the bench binary itself.
pub fn executable(limit: usize) -> Input {
    let gcc = std::fs::canonicalize("/usr/bin/gcc").ok();
    let (path, mut data) = match gcc.and_then(|p| Some((p.clone(), std::fs::read(p).ok()?))) {
        Some(found) => found,
        None => {
            let me = std::env::current_exe().expect("the bench binary's path");
            let data = std::fs::read(&me).expect("the bench binary");
            (me, data)
        }
    };
    data.truncate(limit);
    eprintln!(
        "bench data: executable = {} ({} bytes)",
        path.display(),
        data.len()
    );
    Input {
        name: "executable".into(),
        data,
    }
}

/// The criterion settings of the benches: one second of warm-up, three of
/// measurement (the whole suite runs in a few minutes), `samples` samples.
pub fn config(samples: usize) -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .sample_size(samples)
}

/// A buffer size as the checksum groups name their inputs: "64KiB", "8MiB".
pub fn size_label(len: usize) -> String {
    if len >= 1 << 20 {
        format!("{}MiB", len >> 20)
    } else {
        format!("{}KiB", len >> 10)
    }
}

/// All the named inputs joined into one buffer.
pub fn joined(limit: usize) -> Vec<u8> {
    inputs(limit).into_iter().flat_map(|i| i.data).collect()
}

fn generated_text(len: usize) -> Vec<u8> {
    let words = [
        "the ", "of ", "stream ", "window ", "and ", "deflate ", "a ", "inflate ", "zlib ",
        "data\n",
    ];
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        out.extend_from_slice(words[(rng % words.len() as u64) as usize].as_bytes());
    }
    out.truncate(len);
    out
}

fn generated_binary(len: usize) -> Vec<u8> {
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    (0..len)
        .map(|i| {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Mostly small deltas, some noise: compressible but not text.
            ((i as u64 / 64) as u8).wrapping_add((rng >> 61) as u8)
        })
        .collect()
}
