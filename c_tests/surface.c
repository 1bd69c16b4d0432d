/* surface.c -- code written for zlib relies on what zlib.h and zconf.h
 * define and include besides the API: this file includes nothing but
 * <zlib.h> and uses each of those things (STDC, unistd.h's read, write,
 * lseek and close, off_t, SEEK_SET, UINT_MAX, va_list, the portability
 * macros), so a missing include or definition is a compile error.
 *
 * tests/c_tests.rs compiles it as C89, C99, C11 and C17 and as C++98,
 * C++11 and C++17, each with -pedantic, with and without
 * _LARGEFILE64_SOURCE and _FILE_OFFSET_BITS=64, and runs it against the
 * rz_ build (demo/migrate.h force-included); c_tests/run_dropin.sh runs it
 * against the drop-in libz.so.1. Standard input must be an empty regular
 * file open for reading and writing: the program writes a gzip file there
 * and reads it back through gzdopen. */
#include <zlib.h>

/* zconf.h defines STDC for a standard compiler, and the configuration
 * macros that zlib's configure sets on a POSIX system. */
#ifndef STDC
#  error "STDC is not defined"
#endif
#ifndef Z_HAVE_UNISTD_H
#  error "Z_HAVE_UNISTD_H is not defined"
#endif
#ifndef Z_HAVE_STDARG_H
#  error "Z_HAVE_STDARG_H is not defined"
#endif
/* <limits.h> */
#if !defined(UINT_MAX) || UINT_MAX < 0xffffffffUL
#  error "UINT_MAX is missing"
#endif
/* <unistd.h> or zconf.h's own */
#if !defined(SEEK_SET) || !defined(SEEK_CUR) || !defined(SEEK_END)
#  error "SEEK_* are missing"
#endif
/* zlib.h's version macros. */
#if ZLIB_VERNUM != 0x1320 || ZLIB_VER_MAJOR != 1 || ZLIB_VER_MINOR != 3 || \
    ZLIB_VER_REVISION != 2 || ZLIB_VER_SUBREVISION != 0
#  error "not zlib 1.3.2's version macros"
#endif

/* A declaration in the style of the K&R-era prototypes that old zlib code
 * still carries. */
ZEXTERN int ZEXPORT old_style OF((z_const char FAR *text, int n));
ZEXTERN int ZEXPORTVA old_style_va Z_ARG((int n, ...));

int ZEXPORT old_style(z_const char FAR *text, int n) {
    return text[0] == 'z' ? n : -1;
}

/* <stdarg.h>: va_list, va_start and va_end. */
int ZEXPORTVA old_style_va(int n, ...) {
    va_list args;
    int sum = 0, i;
    va_start(args, n);
    for (i = 0; i < n; i++) sum += va_arg(args, int);
    va_end(args);
    return sum;
}

/* Both offset types are as wide as the OS's file offsets. The array sizes
 * turn a mismatch into a compile error. */
typedef char z_off_t_is_off_t[sizeof(z_off_t) == sizeof(off_t) ? 1 : -1];
typedef char z_off64_t_is_64_bits[sizeof(z_off64_t) == 8 ? 1 : -1];
#ifdef Z_LARGE64
typedef char z_off64_t_is_off64_t[sizeof(z_off64_t) == sizeof(off64_t) ? 1 : -1];
#endif

static int failures = 0;

static unsigned length(const char *text) {
    unsigned n = 0;
    while (text[n] != 0) n++;
    return n;
}

static void check(int ok, const char *what) {
    if (!ok) {
        /* <unistd.h>: write() and ssize_t. */
        ssize_t ignored = write(2, what, length(what));
        ignored = write(2, "\n", 1);
        (void)ignored;
        failures++;
    }
}

int main(void) {
    static char text[] = "zlib's header surface";
    unsigned char packed[128];
    char back[64];
    uLongf packed_len = sizeof packed;
    off_t end;
    z_off_t offset;
    gzFile file;
    int got, i, same;

    check(old_style(text, 3) == 3, "OF, ZEXTERN, ZEXPORT, z_const, FAR");
    check(old_style_va(3, 1, 2, 3) == 6, "ZEXPORTVA, Z_ARG, va_list");
    check(compress(packed, &packed_len, (const Bytef *)text, sizeof text) == Z_OK, "compress");

    /* <unistd.h> and <sys/types.h>: what gz code does with a descriptor
     * around gzdopen. */
    file = gzdopen(dup(0), "wb");
    check(file != NULL, "gzdopen wb");
    if (file == NULL) return 1;
    check(gzwrite(file, text, sizeof text) == (int)sizeof text, "gzwrite");
    check(gzclose(file) == Z_OK, "gzclose wb");
    end = lseek(0, 0, SEEK_END);
    check(end > (off_t)sizeof text, "lseek SEEK_END");
    check(lseek(0, 0, SEEK_SET) == 0, "lseek SEEK_SET");
    check(read(0, back, 2) == 2 && (unsigned char)back[0] == 0x1f &&
              (unsigned char)back[1] == 0x8b, "read");
    check(lseek(0, 0, SEEK_SET) == 0, "lseek SEEK_SET again");
    file = gzdopen(dup(0), "rb");
    check(file != NULL, "gzdopen rb");
    if (file == NULL) return 1;
    got = gzread(file, back, sizeof back);
    same = got == (int)sizeof text;
    for (i = 0; same && i < got; i++) same = back[i] == text[i];
    check(same, "gzread");
    offset = gzseek(file, 0, SEEK_CUR);
    check(offset == (z_off_t)sizeof text, "gzseek SEEK_CUR");
    check(gzclose(file) == Z_OK, "gzclose rb");
    check(close(0) == 0, "close");
    return failures != 0;
}
