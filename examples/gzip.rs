//! A small gzip: compresses files to FILE.gz and back with rzlib's Rust
//! API, with a progress bar on large inputs.
//!
//! ```text
//! cargo run --release --example gzip -- [-d] [-c] [-k] [-f] [-1..-9] [FILE...]
//! ```
//!
//! - no option: FILE becomes FILE.gz (with its name and modification time
//!   in the header) and FILE is removed;
//! - `-d`: FILE.gz (or .tgz, .z) becomes FILE, every member decompressed;
//! - `-c`: write to standard output and keep FILE;
//! - `-k`: keep FILE; `-f`: overwrite an existing output;
//! - `-1` .. `-9`: the level (default 6);
//! - no FILE, or `-`: standard input to standard output.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::UNIX_EPOCH;

use indicatif::{ProgressBar, ProgressStyle};
use rzlib::{read::MultiGzDecoder, GzBuilder, Level};

/// Inputs at least this large get a progress bar.
const PROGRESS_FROM: u64 = 8 << 20;

struct Options {
    decompress: bool,
    to_stdout: bool,
    keep: bool,
    force: bool,
    level: Level,
    files: Vec<String>,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        decompress: false,
        to_stdout: false,
        keep: false,
        force: false,
        level: Level::default(),
        files: Vec::new(),
    };
    let mut only_files = false;
    for arg in args {
        if only_files || arg == "-" || !arg.starts_with('-') {
            options.files.push(arg);
            continue;
        }
        if arg == "--" {
            only_files = true;
            continue;
        }
        for flag in arg[1..].chars() {
            match flag {
                'd' => options.decompress = true,
                'c' => options.to_stdout = true,
                'k' => options.keep = true,
                'f' => options.force = true,
                '1'..='9' => options.level = Level::new(flag.to_digit(10).unwrap_or(6)),
                _ => return Err(format!("unknown option -{flag}")),
            }
        }
    }
    Ok(options)
}

/// gzip's naming: the output for `input`, or why there is none.
fn output_name(input: &Path, decompress: bool) -> Result<PathBuf, String> {
    let name = input.to_string_lossy();
    if !decompress {
        if name.ends_with(".gz") {
            return Err(format!("{name} already has .gz suffix -- unchanged"));
        }
        return Ok(PathBuf::from(format!("{name}.gz")));
    }
    for (suffix, replacement) in [(".gz", ""), (".tgz", ".tar"), (".z", "")] {
        if let Some(stem) = name.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            return Ok(PathBuf::from(format!("{stem}{replacement}")));
        }
    }
    Err(format!("{name}: unknown suffix -- ignored"))
}

/// A reader that shows its progress on stderr when the input is large.
fn with_progress<'a>(reader: impl Read + 'a, len: u64, what: &str) -> Box<dyn Read + 'a> {
    if len < PROGRESS_FROM {
        return Box::new(reader);
    }
    let bar = ProgressBar::new(len).with_message(what.to_owned());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Box::new(bar.wrap_read(reader))
}

/// Compresses or decompresses `input` into `output`, with `name` and
/// `mtime` in the header when compressing.
fn transform(
    input: impl Read,
    output: impl Write,
    options: &Options,
    name: Option<&Path>,
    mtime: u32,
) -> io::Result<()> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let mut output = BufWriter::with_capacity(1 << 16, output);
    if options.decompress {
        io::copy(&mut MultiGzDecoder::new(input), &mut output)?;
    } else {
        let mut builder = GzBuilder::new().mtime(mtime);
        if let Some(file_name) = name.and_then(Path::file_name) {
            builder = builder.filename(file_name.to_string_lossy().into_owned());
        }
        let mut encoder = builder.write(&mut output, options.level);
        io::copy(&mut input, &mut encoder)?;
        encoder.finish()?;
    }
    output.flush()
}

fn run_file(path: &str, options: &Options) -> Result<(), String> {
    let input_path = Path::new(path);
    let fail = |e: io::Error| format!("{path}: {e}");
    let metadata = fs::metadata(input_path).map_err(fail)?;
    if !metadata.is_file() {
        return Err(format!("{path} is not a regular file -- ignored"));
    }
    let mtime = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as u32);
    let what = if options.decompress {
        "decompressing"
    } else {
        "compressing"
    };
    let input = with_progress(File::open(input_path).map_err(fail)?, metadata.len(), what);
    if options.to_stdout {
        return transform(input, io::stdout().lock(), options, Some(input_path), mtime)
            .map_err(fail);
    }
    let output_path = output_name(input_path, options.decompress)?;
    if output_path.exists() && !options.force {
        return Err(format!(
            "{} already exists (use -f to overwrite)",
            output_path.display()
        ));
    }
    let output = File::create(&output_path).map_err(fail)?;
    if let Err(e) = transform(input, output, options, Some(input_path), mtime) {
        // No half-written output is left behind.
        let _ = fs::remove_file(&output_path);
        return Err(fail(e));
    }
    if !options.keep {
        fs::remove_file(input_path).map_err(fail)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("gzip: {e}");
            eprintln!("usage: gzip [-d] [-c] [-k] [-f] [-1..-9] [FILE...]");
            return ExitCode::from(2);
        }
    };
    let mut status = ExitCode::SUCCESS;
    let files = if options.files.is_empty() {
        vec!["-".to_owned()]
    } else {
        options.files.clone()
    };
    for file in &files {
        let result = if file == "-" {
            transform(io::stdin().lock(), io::stdout().lock(), &options, None, 0)
                .map_err(|e| format!("stdin: {e}"))
        } else {
            run_file(file, &options)
        };
        if let Err(message) = result {
            eprintln!("gzip: {message}");
            status = ExitCode::FAILURE;
        }
    }
    status
}
