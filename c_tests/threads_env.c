/* threads_env.c -- an unmodified zlib program (plain names, "zlib.h" only)
 * that compresses 2 MB of generated text and binary records with gzwrite,
 * compress2 and a deflateInit2 gzip stream, checks each round trip, and
 * prints the sizes and CRC-32s of what it wrote. c_tests/run_dropin.sh runs
 * it on the drop-in with RZLIB_DEFLATE_THREADS unset, 1, 2, 3, 0 and junk:
 * several threads must change the bytes (the same for any count), 1 and
 * junk must not. Its one argument is a prefix for its files: PREFIX.gz
 * (gzwrite), PREFIX.stream.gz (the deflate stream) and PREFIX.data (the
 * data, for gzip -d to be compared with). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib.h"

#define DATA_LEN 2000000

static unsigned char data[DATA_LEN];
static unsigned char packed[DATA_LEN + DATA_LEN / 8 + 4096];
static unsigned char back[DATA_LEN];
static char path[4096];

/* Text-like data in 48 KB pieces, taking turns with little-endian
 * records whose fields vary slowly and with noise. */
static void make_data(void) {
    static const char *const words[] = {"thread ", "deflate ", "job ",  "window ",
                                        "pool ",   "stream ",  "sync\n", "the "};
    unsigned long seed = 4242;
    unsigned long record = 0;
    size_t at = 0;
    while (at < DATA_LEN) {
        seed = seed * 1103515245UL + 12345UL;
        if ((at / 49152) % 3 != 2) {
            const char *word = words[(seed >> 16) % 8];
            size_t len = strlen(word);
            if (at + len > DATA_LEN) {
                len = DATA_LEN - at;
            }
            memcpy(data + at, word, len);
            at += len;
        } else {
            unsigned char rec[8];
            size_t len = sizeof rec;
            record++;
            rec[0] = (unsigned char)record;
            rec[1] = (unsigned char)(record >> 8);
            rec[2] = (unsigned char)(record >> 16);
            rec[3] = 0;
            rec[4] = (unsigned char)(record / 7);
            rec[5] = (unsigned char)(seed >> 24);
            rec[6] = (unsigned char)((seed >> 20) & 3);
            rec[7] = 0xa5;
            if (at + len > DATA_LEN) {
                len = DATA_LEN - at;
            }
            memcpy(data + at, rec, len);
            at += len;
        }
    }
}

static void report(const char *what, const unsigned char *bytes, unsigned long len) {
    printf("%s: %lu bytes, crc %08lx\n", what, len, crc32(0L, bytes, (uInt)len));
}

static int write_file(const char *name, const unsigned char *bytes, size_t len) {
    FILE *file = fopen(name, "wb");
    int ok = file != NULL && fwrite(bytes, 1, len, file) == len;
    if (file != NULL && fclose(file) != 0) {
        ok = 0;
    }
    return ok ? 0 : 1;
}

static int with_compress2(void) {
    uLongf len = sizeof packed;
    uLongf back_len = sizeof back;
    if (compress2(packed, &len, data, DATA_LEN, 6) != Z_OK) {
        fprintf(stderr, "threads_env: compress2 failed\n");
        return 1;
    }
    if (uncompress(back, &back_len, packed, len) != Z_OK || back_len != DATA_LEN ||
        memcmp(back, data, DATA_LEN) != 0) {
        fprintf(stderr, "threads_env: compress2 does not round-trip\n");
        return 1;
    }
    report("compress2", packed, len);
    return 0;
}

/* A gzip stream (windowBits 31) in 100 KB calls with small output buffers. */
static int with_stream(const char *prefix) {
    z_stream strm;
    size_t given = 0;
    unsigned long len;
    int ret = Z_OK;
    memset(&strm, 0, sizeof strm);
    if (deflateInit2(&strm, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return 1;
    }
    strm.next_out = packed;
    while (ret != Z_STREAM_END) {
        size_t piece = DATA_LEN - given < 100000 ? DATA_LEN - given : 100000;
        int flush = given + piece == DATA_LEN ? Z_FINISH : Z_NO_FLUSH;
        strm.next_in = data + given;
        strm.avail_in = (uInt)piece;
        do {
            size_t room = sizeof packed - (size_t)(strm.next_out - packed);
            strm.avail_out = (uInt)(room < 30000 ? room : 30000);
            ret = deflate(&strm, flush);
            if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
                fprintf(stderr, "threads_env: deflate returned %d\n", ret);
                deflateEnd(&strm);
                return 1;
            }
        } while (ret != Z_STREAM_END && (strm.avail_in != 0 || strm.avail_out == 0));
        given += piece;
    }
    len = strm.total_out;
    if (deflateEnd(&strm) != Z_OK) {
        return 1;
    }
    memset(&strm, 0, sizeof strm);
    if (inflateInit2(&strm, 31) != Z_OK) {
        return 1;
    }
    strm.next_in = packed;
    strm.avail_in = (uInt)len;
    strm.next_out = back;
    strm.avail_out = sizeof back;
    ret = inflate(&strm, Z_FINISH);
    if (ret != Z_STREAM_END || strm.total_out != DATA_LEN || memcmp(back, data, DATA_LEN) != 0) {
        fprintf(stderr, "threads_env: the deflate stream does not round-trip (%d)\n", ret);
        inflateEnd(&strm);
        return 1;
    }
    inflateEnd(&strm);
    report("deflate", packed, len);
    snprintf(path, sizeof path, "%s.stream.gz", prefix);
    return write_file(path, packed, len);
}

/* gzwrite in 64 KB pieces, then gzread it back. */
static int with_gz(const char *prefix) {
    gzFile file;
    FILE *raw;
    size_t len;
    size_t at;
    snprintf(path, sizeof path, "%s.gz", prefix);
    file = gzopen(path, "wb6");
    if (file == NULL) {
        return 1;
    }
    for (at = 0; at < DATA_LEN; at += 65536) {
        unsigned piece = (unsigned)(DATA_LEN - at < 65536 ? DATA_LEN - at : 65536);
        if (gzwrite(file, data + at, piece) != (int)piece) {
            fprintf(stderr, "threads_env: gzwrite failed\n");
            gzclose(file);
            return 1;
        }
    }
    if (gzclose(file) != Z_OK) {
        return 1;
    }
    file = gzopen(path, "rb");
    if (file == NULL || gzread(file, back, DATA_LEN) != DATA_LEN ||
        memcmp(back, data, DATA_LEN) != 0 || gzclose(file) != Z_OK) {
        fprintf(stderr, "threads_env: gzread did not give the data back\n");
        return 1;
    }
    raw = fopen(path, "rb");
    if (raw == NULL) {
        return 1;
    }
    len = fread(packed, 1, sizeof packed, raw);
    fclose(raw);
    report("gzwrite", packed, (unsigned long)len);
    return 0;
}

int main(int argc, char **argv) {
    int failures = 0;
    if (argc != 2 || strlen(argv[1]) > sizeof path - 16) {
        fprintf(stderr, "usage: threads_env PREFIX\n");
        return 2;
    }
    make_data();
    snprintf(path, sizeof path, "%s.data", argv[1]);
    failures += write_file(path, data, DATA_LEN);
    failures += with_compress2();
    failures += with_stream(argv[1]);
    failures += with_gz(argv[1]);
    return failures != 0;
}
