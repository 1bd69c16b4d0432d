//! rzlib's maintenance commands, run with `cargo run -p xtask -- <command>`.
//!
//! - `headers`: regenerates the committed C headers in include/ from
//!   src/c_api/ (run it after changing an export or its doc comment);
//! - `headers --check`: fails, changing nothing, when include/ is stale (CI).

mod headers;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = repository_root();
    match args.as_slice() {
        ["headers"] => {
            for name in headers::write(&root) {
                println!("wrote include/{name}");
            }
            ExitCode::SUCCESS
        }
        ["headers", "--check"] => {
            let stale = headers::stale(&root);
            if stale.is_empty() {
                println!("include/ is up to date");
                return ExitCode::SUCCESS;
            }
            for name in stale {
                eprintln!("include/{name} differs from what src/c_api/ generates");
            }
            eprintln!("run `cargo run -p xtask -- headers` and commit include/");
            ExitCode::FAILURE
        }
        _ => {
            eprintln!("usage: cargo run -p xtask -- headers [--check]");
            ExitCode::from(2)
        }
    }
}

/// The repository holds this crate in its xtask/ directory.
fn repository_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}
