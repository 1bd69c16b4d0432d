//! Builds the C programs in c_tests/ with gcc (`-std=c99 -Wall -Wextra
//! -Werror -pedantic`) against include/ and the static library cargo built
//! for this test run (target/<profile>/deps/librzlib.a), runs them and checks
//! their results. c_tests/dropin.c is not run here: it needs the drop-in
//! build (see c_tests/run_dropin.sh). c_tests/gz.c calls zlib's own names;
//! demo/migrate.h maps them to the rz_ exports here.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The static library from the compilation this test binary linked against.
///
/// `cargo test` compiles the lib target once with all its crate types
/// (rlib, cdylib, staticlib) into target/<profile>/deps, next to this
/// executable, but only `cargo build` copies them up to target/<profile>. So
/// the deps copy is the current one; it and the rlib come from one rustc run.
fn static_lib() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps");
    let lib = deps.join("librzlib.a");
    assert!(lib.is_file(), "{} is missing", lib.display());
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(a), Some(rlib)) = (modified(&lib), modified(&deps.join("librzlib.rlib"))) {
        let skew = rlib.duration_since(a).unwrap_or_default();
        assert!(
            skew.as_secs() < 60,
            "{} is older than the rlib the tests use",
            lib.display()
        );
    }
    lib
}

/// Compiles c_tests/<name>.c into CARGO_TARGET_TMPDIR and runs it; returns its stdout.
fn build_and_run(name: &str) -> String {
    build_and_run_with(name, &[], &[])
}

/// Like `build_and_run`, with extra compiler flags (ahead of the source) and
/// arguments for the program.
fn build_and_run_with(name: &str, cflags: &[&str], args: &[&str]) -> String {
    let source = Path::new(ROOT).join("c_tests").join(format!("{name}.c"));
    let exe = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("c_test_{name}"));
    let cc = std::env::var("CC").unwrap_or_else(|_| "gcc".into());
    let status = Command::new(&cc)
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-g"])
        .arg("-I")
        .arg(Path::new(ROOT).join("include"))
        .args(cflags)
        .arg(&source)
        .arg(static_lib())
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cc}: {e}"));
    assert!(status.success(), "compiling {} failed", source.display());
    let output = Command::new(&exe)
        .args(args)
        .output()
        .expect("run the C test");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    print!("{stdout}");
    assert!(output.status.success(), "{name} failed: {}", output.status);
    stdout
}

/// sizeof/offsetof as C sees them through include/zlib.h, against the Rust mirrors.
#[test]
fn abi_matches_rust() {
    use core::mem::{offset_of, size_of};
    use rzlib::c_api::stream::{gz_header, z_stream};
    let rust: Vec<(&str, usize)> = vec![
        ("z_stream.size", size_of::<z_stream>()),
        ("z_stream.next_in", offset_of!(z_stream, next_in)),
        ("z_stream.avail_in", offset_of!(z_stream, avail_in)),
        ("z_stream.total_in", offset_of!(z_stream, total_in)),
        ("z_stream.next_out", offset_of!(z_stream, next_out)),
        ("z_stream.avail_out", offset_of!(z_stream, avail_out)),
        ("z_stream.total_out", offset_of!(z_stream, total_out)),
        ("z_stream.msg", offset_of!(z_stream, msg)),
        ("z_stream.state", offset_of!(z_stream, state)),
        ("z_stream.zalloc", offset_of!(z_stream, zalloc)),
        ("z_stream.zfree", offset_of!(z_stream, zfree)),
        ("z_stream.opaque", offset_of!(z_stream, opaque)),
        ("z_stream.data_type", offset_of!(z_stream, data_type)),
        ("z_stream.adler", offset_of!(z_stream, adler)),
        ("z_stream.reserved", offset_of!(z_stream, reserved)),
        ("gz_header.size", size_of::<gz_header>()),
        ("gz_header.text", offset_of!(gz_header, text)),
        ("gz_header.time", offset_of!(gz_header, time)),
        ("gz_header.xflags", offset_of!(gz_header, xflags)),
        ("gz_header.os", offset_of!(gz_header, os)),
        ("gz_header.extra", offset_of!(gz_header, extra)),
        ("gz_header.extra_len", offset_of!(gz_header, extra_len)),
        ("gz_header.extra_max", offset_of!(gz_header, extra_max)),
        ("gz_header.name", offset_of!(gz_header, name)),
        ("gz_header.name_max", offset_of!(gz_header, name_max)),
        ("gz_header.comment", offset_of!(gz_header, comment)),
        ("gz_header.comm_max", offset_of!(gz_header, comm_max)),
        ("gz_header.hcrc", offset_of!(gz_header, hcrc)),
        ("gz_header.done", offset_of!(gz_header, done)),
    ];
    let c: Vec<(String, usize)> = build_and_run("abi")
        .lines()
        .map(|line| {
            let (name, value) = line.split_once(' ').expect("`name value` lines");
            (name.to_string(), value.parse().expect("a number"))
        })
        .collect();
    let rust: Vec<(String, usize)> = rust.into_iter().map(|(n, v)| (n.to_string(), v)).collect();
    assert_eq!(c, rust, "C layout (left) differs from Rust (right)");
    // The original's layout too (libz-sys mirrors zlib.h).
    assert_eq!(size_of::<z_stream>(), size_of::<libz_sys::z_stream>());
    assert_eq!(size_of::<gz_header>(), size_of::<libz_sys::gz_header>());
}

#[test]
fn util_exports() {
    build_and_run("util");
}

#[test]
fn deflate_api() {
    build_and_run("deflate");
}

#[test]
fn api_quirks() {
    build_and_run("quirks");
}

#[test]
fn inflate_back_callbacks() {
    build_and_run("inflate_back");
}

/// c_tests/surface.c includes only <zlib.h> and uses what zlib's headers
/// define and include besides the API (STDC, unistd.h's calls, off_t,
/// SEEK_SET, UINT_MAX, va_list, OF, ZEXPORT...). It must compile cleanly,
/// implicit declarations being errors, in every C and C++ standard with
/// -pedantic, under each large-file setting; then it runs on the rz_ build.
#[test]
fn header_surface() {
    let source = Path::new(ROOT).join("c_tests/surface.c");
    let include = Path::new(ROOT).join("include");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let languages = [
        (
            "gcc",
            "c",
            ["-std=c89", "-std=c99", "-std=c11", "-std=c17"].as_slice(),
        ),
        (
            "g++",
            "c++",
            ["-std=c++98", "-std=c++11", "-std=c++17"].as_slice(),
        ),
    ];
    let large_files: [&[&str]; 3] = [
        &[],
        &["-D_LARGEFILE64_SOURCE"],
        &["-D_LARGEFILE64_SOURCE", "-D_FILE_OFFSET_BITS=64"],
    ];
    // C++ has no implicit declarations: every undeclared call is an error.
    let strict = ["-Wall", "-Wextra", "-Werror", "-pedantic"];
    for (compiler, language, standards) in languages {
        let implicit: &[&str] = match language {
            "c" => &["-Werror=implicit-function-declaration"],
            _ => &[],
        };
        let warnings = [&strict[..], implicit].concat();
        for std in standards {
            for defines in large_files {
                let object = out.join("surface.o");
                let status = Command::new(compiler)
                    .args(["-x", language, std])
                    .args(&warnings)
                    .args(defines)
                    .arg("-I")
                    .arg(&include)
                    .arg("-c")
                    .arg(&source)
                    .arg("-o")
                    .arg(&object)
                    .status()
                    .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
                assert!(
                    status.success(),
                    "surface.c does not compile with {compiler} {std} {defines:?}"
                );
            }
        }
        // And it runs, on the rz_ build with demo/migrate.h mapping the names.
        let exe = out.join(format!("surface-{language}"));
        let migrate = Path::new(ROOT).join("demo/migrate.h");
        let status = Command::new(compiler)
            .args(["-x", language])
            .args(&warnings)
            .arg("-include")
            .arg(&migrate)
            .args(["-DRZ_DEFLATE", "-DRZ_GZ", "-I"])
            .arg(&include)
            .arg(&source)
            .args(["-x", "none"])
            .arg(static_lib())
            .args(["-lpthread", "-ldl", "-lm", "-o"])
            .arg(&exe)
            .status()
            .unwrap();
        assert!(status.success(), "surface.c does not link with {compiler}");
        let scratch = out.join(format!("surface-{language}.z"));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&scratch)
            .unwrap();
        let output = Command::new(&exe).stdin(file).output().unwrap();
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "surface ({language}) failed");
    }
}

/// The gz* file functions through c_tests/gz.c, a plain zlib program: the
/// RZ_GZ family of demo/migrate.h maps its calls to the rz_ exports, as it
/// does for a program moved to rzlib. Its temporary files go to
/// CARGO_TARGET_TMPDIR.
#[test]
fn gz_file_functions() {
    let migrate = Path::new(ROOT).join("demo/migrate.h");
    let migrate = migrate.to_str().expect("a UTF-8 path");
    build_and_run_with(
        "gz",
        &["-include", migrate, "-DRZ_GZ"],
        &[env!("CARGO_TARGET_TMPDIR")],
    );
}
