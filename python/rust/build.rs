//! Turns rzlib's C header (`include/rzlib.h`, with the `zlib.h` and `zconf.h`
//! it includes) into the declaration list that cffi reads, and leaves it
//! where maturin looks for it: `header.h` in Cargo's target directory.
//!
//! cffi's parser takes C declarations, not a preprocessor's input: no
//! `#include`, no `#ifdef`, no macros with bodies, only `#define NAME
//! <integer>`. The header is simple enough that no preprocessor is needed:
//! the `#include "..."` lines are spliced in, other preprocessor lines are
//! dropped except integer constants, zlib's portability macros (`ZEXTERN`,
//! `z_const`, ...) expand to nothing, and of the functions only the `rz_`
//! ones are kept (they are what the library exports).

use std::collections::HashSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// The header the declarations come from, relative to the package.
const HEADER: &str = "../include/rzlib.h";
/// The file maturin reads instead of running cbindgen (see maturin's
/// cffi binding generator).
const OUTPUT: &str = "header.h";

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let header = manifest.join(HEADER);
    let include_dir = header.parent().unwrap().to_path_buf();
    for name in ["rzlib.h", "zlib.h", "zconf.h"] {
        println!(
            "cargo:rerun-if-changed={}",
            include_dir.join(name).display()
        );
    }
    println!("cargo:rerun-if-changed=rust/build.rs");

    let mut out = Collected::default();
    collect(&header, &mut out);

    let mut cdef = String::from(
        "/* cffi declarations generated from include/rzlib.h by rust/build.rs: do not edit. */\n",
    );
    for define in &out.defines {
        cdef.push_str(define);
        cdef.push('\n');
    }
    for declaration in &out.declarations {
        cdef.push_str(declaration);
        cdef.push_str(";\n");
    }

    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join(OUTPUT), &cdef).unwrap();
    let target_dir = target_dir(&out_dir, &manifest);
    fs::create_dir_all(&target_dir).unwrap();
    fs::write(target_dir.join(OUTPUT), &cdef).unwrap();
    // Written again if it goes missing: without it maturin would fall back
    // to running cbindgen on this crate, which declares nothing.
    println!(
        "cargo:rerun-if-changed={}",
        target_dir.join(OUTPUT).display()
    );
}

/// Cargo's target directory: the ancestor of OUT_DIR that Cargo marked with
/// CACHEDIR.TAG (OUT_DIR sits a varying depth below it, deeper when
/// cross-compiling), else `$CARGO_TARGET_DIR`, else `target/` beside
/// Cargo.toml.
fn target_dir(out_dir: &Path, manifest: &Path) -> PathBuf {
    if let Some(dir) = out_dir
        .ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
    {
        return dir.to_path_buf();
    }
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => manifest.join(dir),
        None => manifest.join("target"),
    }
}

/// What the headers declare, in order.
#[derive(Default)]
struct Collected {
    /// `#define NAME <integer>` lines.
    defines: Vec<String>,
    /// Declarations without their `;`.
    declarations: Vec<String>,
    /// The headers read so far: each is read once, as its include guard
    /// would have it.
    seen: HashSet<PathBuf>,
}

/// Reads one header, splicing in the headers it includes with quotes, and
/// appends its integer constants and declarations.
fn collect(path: &Path, out: &mut Collected) {
    if !out.seen.insert(path.to_path_buf()) {
        return;
    }
    println!("cargo:rerun-if-changed={}", path.display());
    let text = fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    // Only rzlib.h's functions are exported under these names; zlib.h
    // declares the unprefixed ones of the drop-in build.
    let keep_functions = path.file_name().is_some_and(|name| name == "rzlib.h");
    let text = join_continuations(&strip_comments(&text));

    let mut body = String::new();
    // Depth of `#if` nesting inside a C++-only block (extern "C" braces).
    let mut cplusplus_depth = 0usize;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let Some(directive) = trimmed.strip_prefix('#') else {
            if cplusplus_depth == 0 {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        };
        let mut words = directive.split_whitespace();
        let keyword = words.next().unwrap_or("");
        if cplusplus_depth > 0 {
            match keyword {
                "if" | "ifdef" | "ifndef" => cplusplus_depth += 1,
                "endif" => cplusplus_depth -= 1,
                _ => {}
            }
            continue;
        }
        match keyword {
            "ifdef" if words.next() == Some("__cplusplus") => cplusplus_depth = 1,
            "include" => {
                let target = words.next().unwrap_or("");
                // <system> headers are left out: cffi knows size_t and
                // friends itself.
                if let Some(name) = target.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                    flush(&body, keep_functions, &mut out.declarations);
                    body.clear();
                    collect(&path.parent().unwrap().join(name), out);
                }
            }
            "define" => {
                let name = words.next().unwrap_or("");
                let value: Vec<&str> = words.collect();
                if is_identifier(name) && value.len() == 1 && is_integer(value[0]) {
                    let define = format!("#define {name} {}", value[0]);
                    if !out.defines.contains(&define) {
                        out.defines.push(define);
                    }
                }
            }
            _ => {}
        }
    }
    flush(&body, keep_functions, &mut out.declarations);
}

/// Splits C text into top-level declarations and keeps the ones cffi can
/// use.
fn flush(body: &str, keep_functions: bool, declarations: &mut Vec<String>) {
    let mut depth = 0i32;
    let mut current = String::new();
    for c in body.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ';' if depth == 0 => {
                if let Some(declaration) = clean(&current, keep_functions) {
                    declarations.push(declaration);
                }
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    assert!(
        current.trim().is_empty(),
        "unterminated declaration in the header: {current}"
    );
}

/// One declaration with zlib's portability macros expanded, or None when it
/// is to be left out.
fn clean(declaration: &str, keep_functions: bool) -> Option<String> {
    let tokens: Vec<&str> = declaration.split_whitespace().collect();
    if tokens.is_empty() {
        return None;
    }
    // Functions and variables: only rzlib.h's rz_ functions are exported by
    // the library under their declared names (zlib.h declares the drop-in
    // build's unprefixed ones, and both carry a marker for gzprintf).
    if (tokens[0] == "ZEXTERN" || tokens[0] == "extern")
        && !(keep_functions && declared_name(declaration).starts_with("rz_"))
    {
        return None;
    }
    // gzvprintf takes a va_list, which cffi cannot declare portably; Python
    // has no use for it.
    if declaration.contains("va_list") {
        return None;
    }
    let mut out = String::new();
    for token in tokens {
        let expanded = expand_macros(token);
        if expanded.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&expanded);
    }
    Some(out)
}

/// zconf.h's macros, as they expand on the targets rzlib supports: the
/// calling-convention and far-pointer markers are empty, `z_const` is empty
/// (ZLIB_CONST unset), and both offset types are 64 bits (zconf.h: "both are
/// 64 bits on the LP64 targets rzlib supports").
fn expand_macros(token: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in token.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        let replacement = match word.as_str() {
            "ZEXTERN" | "ZEXPORT" | "ZEXPORTVA" | "FAR" | "z_const" => "",
            "z_off_t" | "z_off64_t" => "int64_t",
            other => other,
        };
        out.push_str(replacement);
        word.clear();
        if c != ' ' {
            out.push(c);
        }
    }
    out
}

/// The name a function declaration declares: the identifier before its
/// first parenthesis.
fn declared_name(declaration: &str) -> &str {
    let head = declaration.split('(').next().unwrap_or("").trim_end();
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    &head[start..]
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                let end = rest[b + 2..]
                    .find("*/")
                    .expect("unterminated comment in the header");
                // A comment is whitespace to C; keep line structure.
                out.extend(rest[b..b + 2 + end + 2].chars().filter(|&c| c == '\n'));
                out.push(' ');
                rest = &rest[b + 2 + end + 2..];
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = &rest[l..];
                rest = &rest[rest.find('\n').unwrap_or(rest.len())..];
            }
            (None, None) => {
                out.push_str(rest);
                return out;
            }
            (Some(_), None) => unreachable!(),
        }
    }
}

fn join_continuations(text: &str) -> String {
    text.replace("\\\n", " ")
}

fn is_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_integer(word: &str) -> bool {
    let digits = word.strip_prefix('-').unwrap_or(word);
    if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}
