/* legacy.c -- a "legacy" program that uses zlib the way real programs do,
 * through zlib's own names and header only. The demo builds it twice, once
 * against the original zlib and once against rzlib's drop-in build, and
 * compares what the two print.
 *
 * Usage: legacy SAMPLE.z
 * Prints one line per operation: "<name> <result> <MB/s>" (compress2,
 * uncompress, streaming deflate and inflate with small buffers, crc32,
 * adler32, and a .gz file written through gzputs/gzprintf/gzwrite and read
 * back through gzgets/gzread). The result is a
 * digest of what the operation produced, so two builds agree exactly when
 * their results do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zlib.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* FNV-1a: a digest independent of the library under test. */
static unsigned long fnv(const unsigned char *p, size_t n) {
    unsigned long h = 2166136261UL;
    size_t i;
    for (i = 0; i < n; i++) h = ((h ^ p[i]) * 16777619UL) & 0xffffffffUL;
    return h;
}

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long n;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Streaming inflate with small buffers, as network and file code does. */
static unsigned long inflate_chunked(const unsigned char *in, size_t in_len,
                                     unsigned char *out, size_t out_cap) {
    z_stream s;
    unsigned char chunk[4096];
    size_t fed = 0, got = 0;
    int ret = Z_OK;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK) return 0;
    while (ret != Z_STREAM_END) {
        size_t step = in_len - fed < 1024 ? in_len - fed : 1024;
        s.next_in = (Bytef *)(in + fed);
        s.avail_in = (uInt)step;
        do {
            s.next_out = chunk;
            s.avail_out = sizeof chunk;
            ret = inflate(&s, Z_NO_FLUSH);
            if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
                inflateEnd(&s);
                return 0;
            }
            size_t have = sizeof chunk - s.avail_out;
            if (got + have > out_cap) have = out_cap - got;
            memcpy(out + got, chunk, have);
            got += have;
        } while (s.avail_out == 0);
        fed += step - s.avail_in;
        if (step == 0 && ret != Z_STREAM_END) break;
    }
    inflateEnd(&s);
    return fnv(out, got) ^ (unsigned long)s.total_out;
}

/* Streaming deflate with small buffers: 4 KiB of input at a time, 1 KiB of
 * output space per call. Returns a digest of the compressed bytes. */
static unsigned long deflate_chunked(const unsigned char *in, size_t in_len, int level) {
    z_stream s;
    unsigned char chunk[1024];
    unsigned long h = 2166136261UL;
    size_t fed = 0, i;
    int ret = Z_OK, flush;
    memset(&s, 0, sizeof s);
    if (deflateInit(&s, level) != Z_OK) return 0;
    do {
        size_t step = in_len - fed < 4096 ? in_len - fed : 4096;
        s.next_in = (Bytef *)(in + fed);
        s.avail_in = (uInt)step;
        fed += step;
        flush = fed == in_len ? Z_FINISH : Z_NO_FLUSH;
        do {
            s.next_out = chunk;
            s.avail_out = sizeof chunk;
            ret = deflate(&s, flush);
            if (ret == Z_STREAM_ERROR) {
                deflateEnd(&s);
                return 0;
            }
            for (i = 0; i < sizeof chunk - s.avail_out; i++) h = ((h ^ chunk[i]) * 16777619UL) & 0xffffffffUL;
        } while (s.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&s);
    return ret == Z_STREAM_END ? h ^ (unsigned long)s.total_out : 0;
}

/* The gz file functions as log and archive code uses them: header lines
 * through gzputs and gzprintf, then the data through gzwrite in 4 KiB
 * pieces. Returns 1 when every call succeeded. */
static int gz_write_sample(const char *path, const unsigned char *raw, size_t len) {
    gzFile f = gzopen(path, "wb");
    size_t at;
    int ok;
    if (f == NULL) return 0;
    ok = gzputs(f, "legacy sample\n") > 0 && gzprintf(f, "%lu bytes\n", (unsigned long)len) > 0;
    for (at = 0; ok && at < len; at += 4096) {
        unsigned n = len - at < 4096 ? (unsigned)(len - at) : 4096;
        ok = gzwrite(f, raw + at, n) == (int)n;
    }
    return gzclose(f) == Z_OK && ok;
}

/* Reads that file back: the header lines with gzgets, the rest with gzread
 * in 4 KiB pieces. Returns a digest of everything read, 0 on an error. */
static unsigned long gz_read_sample(const char *path, unsigned char *out, size_t cap) {
    gzFile f = gzopen(path, "rb");
    char line[128];
    size_t got = 0;
    int lines, n;
    if (f == NULL) return 0;
    for (lines = 0; lines < 2 && gzgets(f, line, sizeof line) != NULL; lines++) {
        size_t len = strlen(line);
        if (got + len > cap) break;
        memcpy(out + got, line, len);
        got += len;
    }
    do {
        n = gzread(f, out + got, cap - got < 4096 ? (unsigned)(cap - got) : 4096);
        if (n > 0) got += (size_t)n;
    } while (n > 0);
    if (gzclose(f) != Z_OK || n < 0) return 0;
    return fnv(out, got) ^ (unsigned long)got;
}

/* Runs `op` until a quarter of a second has passed; returns MB/s over `bytes`. */
#define MEASURE(mbps, bytes, op)                                    \
    do {                                                            \
        double t0 = now(), t;                                       \
        long reps = 0;                                              \
        do { op; reps++; t = now() - t0; } while (t < 0.25);        \
        (mbps) = (double)(bytes) * (double)reps / t / 1e6;          \
    } while (0)

int main(int argc, char **argv) {
    size_t z_len, raw_cap = 64u << 20;
    unsigned char *z, *raw, *scratch;
    uLongf raw_len = (uLongf)raw_cap;
    double mbps;
    unsigned long result;
    if (argc != 2) {
        fprintf(stderr, "usage: %s SAMPLE.z\n", argv[0]);
        return 2;
    }
    if (zlibVersion()[0] != ZLIB_VERSION[0]) {
        fprintf(stderr, "incompatible zlib version\n");
        return 1;
    }
    z = read_file(argv[1], &z_len);
    raw = malloc(raw_cap);
    scratch = malloc(raw_cap);
    if (!raw || !scratch) return 2;
    if (uncompress(raw, &raw_len, z, (uLong)z_len) != Z_OK) {
        fprintf(stderr, "uncompress failed\n");
        return 1;
    }
    printf("zlibVersion %s 0\n", zlibVersion());

    result = fnv(raw, raw_len);
    MEASURE(mbps, raw_len, {
        uLongf n = (uLongf)raw_cap;
        uncompress(scratch, &n, z, (uLong)z_len);
    });
    printf("uncompress %08lx %.1f\n", result, mbps);

    {
        uLongf n = (uLongf)raw_cap;
        result = compress2(scratch, &n, raw, raw_len, 6) == Z_OK ? fnv(scratch, n) : 0;
    }
    MEASURE(mbps, raw_len, {
        uLongf n = (uLongf)raw_cap;
        compress2(scratch, &n, raw, raw_len, 6);
    });
    printf("compress2 %08lx %.1f\n", result, mbps);

    result = deflate_chunked(raw, raw_len, 6);
    MEASURE(mbps, raw_len, deflate_chunked(raw, raw_len, 6));
    printf("deflate_stream %08lx %.1f\n", result, mbps);

    result = inflate_chunked(z, z_len, scratch, raw_cap);
    MEASURE(mbps, raw_len, inflate_chunked(z, z_len, scratch, raw_cap));
    printf("inflate_stream %08lx %.1f\n", result, mbps);

    result = crc32(crc32(0L, Z_NULL, 0), raw, (uInt)raw_len);
    MEASURE(mbps, raw_len, crc32(0L, raw, (uInt)raw_len));
    printf("crc32 %08lx %.1f\n", result, mbps);

    result = adler32(adler32(0L, Z_NULL, 0), raw, (uInt)raw_len);
    MEASURE(mbps, raw_len, adler32(1L, raw, (uInt)raw_len));
    printf("adler32 %08lx %.1f\n", result, mbps);

    /* gzwrite's result is the file's bytes, gzread's what came back. */
    {
        const char *dir = getenv("TMPDIR");
        char path[4096];
        unsigned char *file;
        size_t file_len;
        int fd;
        if (dir == NULL || *dir == '\0') dir = "/tmp";
        snprintf(path, sizeof path, "%s/legacy-XXXXXX", dir);
        if ((fd = mkstemp(path)) < 0) {
            fprintf(stderr, "cannot create a file in %s\n", dir);
            return 2;
        }
        close(fd);
        result = 0;
        if (gz_write_sample(path, raw, raw_len)) {
            file = read_file(path, &file_len);
            result = fnv(file, file_len);
            free(file);
        }
        MEASURE(mbps, raw_len, gz_write_sample(path, raw, raw_len));
        printf("gzwrite %08lx %.1f\n", result, mbps);

        result = gz_read_sample(path, scratch, raw_cap);
        MEASURE(mbps, raw_len, gz_read_sample(path, scratch, raw_cap));
        printf("gzread %08lx %.1f\n", result, mbps);
        remove(path);
    }

    free(z);
    free(raw);
    free(scratch);
    return 0;
}
