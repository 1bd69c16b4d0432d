//! The exported `gzprintf` and `gzvprintf`.
//!
//! Both are C (gzprintf.c), because `gzprintf` is variadic. A Rust cdylib
//! exports only Rust symbols, though: the C definitions would stay local to
//! librzlib.so. So each export here is a Rust function of one jump into the
//! C one, which leaves every argument register and the stack as the caller
//! set them, and the C file calls the two Rust halves in gz.rs under hidden
//! aliases, so that no helper is exported.
//!
//! build.rs sets `rzlib_gzprintf_jumps` on ELF targets whose jump it knows
//! (x86-64, AArch64); elsewhere the C file exports the names itself.
#![cfg(rzlib_gzprintf_jumps)]

use super::gz::{rzlib_gzprintf_commit, rzlib_gzprintf_reserve};

// The Rust halves under the names gzprintf.c calls, hidden: visible to the
// C object linked beside them, never exported. Each name is a jump defined
// here rather than a `.set` alias: an alias of a function that another
// codegen unit defines is an undefined symbol in this unit's object, which
// broke every build with more than one codegen unit (debug builds, crates
// that depend on rzlib).
#[cfg(target_arch = "x86_64")]
std::arch::global_asm!(
    ".globl rzlib_gzprintf_reserve",
    ".hidden rzlib_gzprintf_reserve",
    "rzlib_gzprintf_reserve:",
    "jmp {reserve}",
    ".globl rzlib_gzprintf_commit",
    ".hidden rzlib_gzprintf_commit",
    "rzlib_gzprintf_commit:",
    "jmp {commit}",
    reserve = sym rzlib_gzprintf_reserve,
    commit = sym rzlib_gzprintf_commit,
);
#[cfg(target_arch = "aarch64")]
std::arch::global_asm!(
    ".globl rzlib_gzprintf_reserve",
    ".hidden rzlib_gzprintf_reserve",
    "rzlib_gzprintf_reserve:",
    "b {reserve}",
    ".globl rzlib_gzprintf_commit",
    ".hidden rzlib_gzprintf_commit",
    "rzlib_gzprintf_commit:",
    "b {commit}",
    reserve = sym rzlib_gzprintf_reserve,
    commit = sym rzlib_gzprintf_commit,
);

extern "C" {
    // gzprintf.c's hidden definitions; their real signatures do not matter
    // here, only their addresses.
    fn rzlib_gzprintf();
    fn rzlib_gzvprintf();
}

/// `int gzprintf(gzFile file, const char *format, ...)`, declared in the
/// headers by hand (cbindgen-rzlib.toml, cbindgen.toml).
/// cbindgen:ignore
#[unsafe(naked)]
#[export_name = symbol!("gzprintf")]
pub unsafe extern "C" fn gzprintf() {
    #[cfg(target_arch = "x86_64")]
    std::arch::naked_asm!("jmp {f}", f = sym rzlib_gzprintf);
    #[cfg(target_arch = "aarch64")]
    std::arch::naked_asm!("b {f}", f = sym rzlib_gzprintf);
}

/// `int gzvprintf(gzFile file, const char *format, va_list va)`, declared
/// in the headers by hand.
/// cbindgen:ignore
#[unsafe(naked)]
#[export_name = symbol!("gzvprintf")]
pub unsafe extern "C" fn gzvprintf() {
    #[cfg(target_arch = "x86_64")]
    std::arch::naked_asm!("jmp {f}", f = sym rzlib_gzvprintf);
    #[cfg(target_arch = "aarch64")]
    std::arch::naked_asm!("b {f}", f = sym rzlib_gzvprintf);
}
