//! Generates the C headers of include/ from the Rust source with cbindgen.
//!
//! Every export names its symbol with `symbol!("name")` (src/c_api/mod.rs).
//! cbindgen reads only literal `export_name`s, so it is handed a copy of
//! src/c_api/ in which each `symbol!("name")` is spelled out: as `"name"`
//! for zlib.h and as `"rz_name"` for rzlib.h.

use std::fs;
use std::path::{Path, PathBuf};

// The version the headers announce is the crate's own.
#[allow(dead_code)]
mod version {
    include!("../../src/version.rs");
}
use version::*;

/// One generated header: its config file, the source it reads (cbindgen
/// follows its `mod` items) and the prefix its function names get.
struct Header {
    file: &'static str,
    config: &'static str,
    source: &'static str,
    prefix: &'static str,
}

const C_API: &str = "src/c_api";
/// zconf.h's types: zconf.h defines them, zlib.h and rzlib.h include it.
const ZCONF_TYPES: &str = "types.rs";
/// The types of types.rs that zconf.h defines as macros, as zlib's does,
/// because what they name depends on `_LARGEFILE64_SOURCE` and unistd.h
/// (cbindgen-zconf.toml): no header gets a typedef for them.
const ZCONF_MACROS: &[&str] = &["z_off_t", "z_off64_t"];
/// gzprintf.c's hidden functions, which src/c_api/gzprintf.rs declares to
/// jump into: internal, and the headers declare gzprintf by hand.
const INTERNAL: &[&str] = &["rzlib_gzprintf", "rzlib_gzvprintf"];

const HEADERS: &[Header] = &[
    Header {
        file: "zconf.h",
        config: "cbindgen-zconf.toml",
        source: ZCONF_TYPES,
        prefix: "",
    },
    Header {
        file: "zlib.h",
        config: "cbindgen.toml",
        source: "mod.rs",
        prefix: "",
    },
    Header {
        file: "rzlib.h",
        config: "cbindgen-rzlib.toml",
        source: "mod.rs",
        prefix: "rz_",
    },
];

/// Writes the headers whose text changed (others keep their mtime) and
/// returns their names.
pub fn write(root: &Path) -> Vec<&'static str> {
    let mut written = Vec::new();
    for header in HEADERS {
        let text = generate(root, header);
        let target = root.join("include").join(header.file);
        if fs::read(&target).ok().as_deref() != Some(&text[..]) {
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(&target, &text).unwrap();
            written.push(header.file);
        }
    }
    written
}

/// The headers in include/ that differ from what the source generates.
pub fn stale(root: &Path) -> Vec<&'static str> {
    HEADERS
        .iter()
        .filter(|header| {
            let committed = fs::read(root.join("include").join(header.file)).ok();
            committed.as_deref() != Some(&generate(root, header)[..])
        })
        .map(|header| header.file)
        .collect()
}

fn generate(root: &Path, header: &Header) -> Vec<u8> {
    let staging = staging_copy(root, header);
    let bindings = cbindgen::Builder::new()
        .with_config(config(root, header))
        .with_src(staging.join(header.source))
        .generate()
        .expect("cbindgen failed");
    let mut text = Vec::new();
    bindings.write(&mut text);
    let _ = fs::remove_dir_all(&staging);
    c89_comments(&text)
}

/// A copy of src/c_api/ with the `symbol!` calls spelled out, in the
/// system's temporary directory (never in the source tree).
fn staging_copy(root: &Path, header: &Header) -> PathBuf {
    let staging = std::env::temp_dir()
        .join(format!("rzlib-xtask-{}", std::process::id()))
        .join(header.file);
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).unwrap();
    for entry in fs::read_dir(root.join(C_API)).unwrap() {
        let source = entry.unwrap().path();
        let text = fs::read_to_string(&source).unwrap();
        let staged = staging.join(source.file_name().unwrap());
        fs::write(&staged, spell_out_symbols(&text, header.prefix)).unwrap();
    }
    staging
}

fn config(root: &Path, header: &Header) -> cbindgen::Config {
    let mut config = cbindgen::Config::from_file(root.join(header.config)).unwrap();
    let version = format!(
        "#define ZLIB_VERSION \"{ZLIB_VERSION}\"\n#define ZLIB_VERNUM 0x{ZLIB_VERNUM:04x}\n\
         #define ZLIB_VER_MAJOR {ZLIB_VER_MAJOR}\n#define ZLIB_VER_MINOR {ZLIB_VER_MINOR}\n\
         #define ZLIB_VER_REVISION {ZLIB_VER_REVISION}\n#define ZLIB_VER_SUBREVISION {ZLIB_VER_SUBREVISION}\n"
    );
    if let Some(after) = config.after_includes.as_mut() {
        *after = after.replace("@ZLIB_VERSION_DEFINES@", &version);
    }
    // zconf.h defines its types; the other headers take them from it.
    let (macros, types): (Vec<String>, Vec<String>) = zconf_type_names(root)
        .into_iter()
        .partition(|name| ZCONF_MACROS.contains(&name.as_str()));
    config.export.exclude.extend(macros);
    config
        .export
        .exclude
        .extend(INTERNAL.iter().map(|name| name.to_string()));
    if header.source == ZCONF_TYPES {
        config.export.include.extend(types);
    } else {
        config.export.exclude.extend(types);
    }
    config
}

/// The names of the `pub type`s and `pub const`s in src/c_api/types.rs.
fn zconf_type_names(root: &Path) -> Vec<String> {
    let text = fs::read_to_string(root.join(C_API).join(ZCONF_TYPES)).unwrap();
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            line.strip_prefix("pub type ")
                .or_else(|| line.strip_prefix("pub const "))
        })
        .filter_map(|rest| rest.split([' ', '=', ':']).next())
        .map(str::to_owned)
        .collect()
}

/// cbindgen closes its `extern "C"` blocks with `//` comments (after a
/// `}` or `#endif`), which C89 does not have; zlib's headers compile as
/// C89, so ours must too.
fn c89_comments(text: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        match body.split_once("//") {
            Some((code, comment)) if matches!(code.trim(), "#endif" | "}") => {
                out.push_str(code);
                out.push_str("/* ");
                out.push_str(comment.trim());
                out.push_str(" */");
            }
            _ => out.push_str(body),
        }
        out.push_str(newline);
    }
    out.into_bytes()
}

/// Replaces each `symbol!("name")` with the literal `"<prefix>name"`.
fn spell_out_symbols(text: &str, prefix: &str) -> String {
    const OPEN: &str = "symbol!(\"";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let end = after.find("\")").expect("unterminated symbol!");
        out.push('"');
        out.push_str(prefix);
        out.push_str(&after[..end]);
        out.push('"');
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}
