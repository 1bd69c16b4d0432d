//! Cargo requires a build script of a package that sets `links`. This one
//! tells dependents where zlib.h is, as libz-sys does (`DEP_Z_INCLUDE`),
//! so that their C code compiles against rzlib's header.

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let include = root.join("..").join("include");
    println!("cargo:include={}", include.display());
    println!("cargo:rerun-if-changed=build.rs");
}
