/* gzprintf.c -- gzprintf and gzvprintf, the one part of rzlib in C.
 *
 * They are variadic, which stable Rust cannot define. The Rust side
 * (src/c_api/gz.rs) does the rest: rzlib_gzprintf_reserve makes room in
 * the file's buffer and lends it, vsnprintf formats into it, and
 * rzlib_gzprintf_commit takes the text in, as zlib's gzvprintf does. */
#include <stdarg.h>
#include <stdio.h>

/* The exported names: zlib's with the drop-in feature, rz_ otherwise. */
#ifdef RZLIB_DROP_IN
#define EXPORT(name) name
#else
#define EXPORT(name) rz_##name
#endif

typedef struct gzFile_s *gzFile;

int rzlib_gzprintf_reserve(gzFile file, char **buffer, unsigned *size);
int rzlib_gzprintf_commit(gzFile file, int len, int terminated);

int EXPORT(gzvprintf)(gzFile file, const char *format, va_list va) {
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

int EXPORT(gzprintf)(gzFile file, const char *format, ...) {
    va_list va;
    int ret;

    va_start(va, format);
    ret = EXPORT(gzvprintf)(file, format, va);
    va_end(va);
    return ret;
}
