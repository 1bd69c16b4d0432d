/* gzprintf.c -- gzprintf and gzvprintf, the one part of rzlib in C.
 *
 * They are variadic, which stable Rust cannot define. The Rust side
 * (src/c_api/gz.rs) does the rest: rzlib_gzprintf_reserve makes room in
 * the file's buffer and lends it, vsnprintf formats into it, and
 * rzlib_gzprintf_commit takes the text in, as zlib's gzvprintf does.
 *
 * Every name here is hidden: a Rust cdylib exports only Rust symbols, so
 * the exported gzprintf and gzvprintf are Rust functions that jump here
 * (src/c_api/gzprintf.rs), and the two Rust halves reach this file under
 * hidden aliases. Nothing internal leaves the shared library. */
#include <stdarg.h>
#include <stdio.h>

#define HIDDEN __attribute__((visibility("hidden")))

typedef struct gzFile_s *gzFile;

#ifndef RZLIB_GZPRINTF_JUMPS
/* No Rust jumps on this target (build.rs): the C names are the exports,
   and the halves are Rust's exported rzlib_gzprintf_* (as on a target that
   rzlib does not support, nothing is hidden). */
#undef HIDDEN
#define HIDDEN
#ifdef RZLIB_DROP_IN
#define rzlib_gzprintf gzprintf
#define rzlib_gzvprintf gzvprintf
#else
#define rzlib_gzprintf rz_gzprintf
#define rzlib_gzvprintf rz_gzvprintf
#endif
#endif

HIDDEN int rzlib_gzprintf_reserve(gzFile file, char **buffer, unsigned *size);
HIDDEN int rzlib_gzprintf_commit(gzFile file, int len, int terminated);

HIDDEN int rzlib_gzvprintf(gzFile file, const char *format, va_list va) {
    char *buffer;
    unsigned size;
    int len;
    int ret = rzlib_gzprintf_reserve(file, &buffer, &size);

    if (ret != 0)
        return ret;
    /* vsnprintf's result says how long the text would be; a NUL left at the
       end of the space says it was not cut short. */
    buffer[size - 1] = 0;
    len = vsnprintf(buffer, size, format, va);
    return rzlib_gzprintf_commit(file, len, buffer[size - 1] == 0);
}

HIDDEN int rzlib_gzprintf(gzFile file, const char *format, ...) {
    va_list va;
    int ret;

    va_start(va, format);
    ret = rzlib_gzvprintf(file, format, va);
    va_end(va);
    return ret;
}
