/* profile_env.c -- an unmodified zlib program (plain names, "zlib.h" only)
 * that compresses with compress2, a deflateInit2 stream and gzwrite at
 * levels 1, 6 and 9, checks each round trip, and prints the sizes and
 * CRC-32s of what it wrote. c_tests/run_dropin.sh runs it on the drop-in
 * with and without RZLIB_DEFLATE_PROFILE=fast: the fast profile must change
 * the bytes, an unknown value must not. Its one argument is a scratch
 * file for gzwrite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib.h"

#define DATA_LEN 200000

static unsigned char data[DATA_LEN];
static unsigned char packed[DATA_LEN + DATA_LEN / 8 + 1024];
static unsigned char back[DATA_LEN];

/* Text-like data: words from a small list, a few random bytes. */
static void make_data(void) {
    static const char *const words[] = {"profile ", "deflate ", "window ", "zlib ",
                                        "fast ",    "chain ",   "block\n", "the "};
    unsigned long seed = 12345;
    size_t at = 0;
    while (at < DATA_LEN) {
        const char *word;
        size_t len;
        seed = seed * 1103515245UL + 12345UL;
        word = words[(seed >> 16) % 8];
        len = strlen(word);
        if (at + len > DATA_LEN) {
            len = DATA_LEN - at;
        }
        memcpy(data + at, word, len);
        at += len;
        if ((seed >> 8) % 16 == 0 && at < DATA_LEN) {
            data[at++] = (unsigned char)(seed >> 24);
        }
    }
}

static int report(const char *what, int level, const unsigned char *bytes, unsigned long len) {
    printf("%s %d: %lu bytes, crc %08lx\n", what, level, len,
           crc32(0L, bytes, (uInt)len));
    return 0;
}

static int check_back(const char *what, int level, unsigned long len) {
    uLongf back_len = sizeof back;
    if (uncompress(back, &back_len, packed, len) != Z_OK || back_len != DATA_LEN ||
        memcmp(back, data, DATA_LEN) != 0) {
        fprintf(stderr, "profile_env: %s at level %d does not round-trip\n", what, level);
        return 1;
    }
    return report(what, level, packed, len);
}

static int with_stream(int level) {
    z_stream strm;
    unsigned long len;
    memset(&strm, 0, sizeof strm);
    if (deflateInit2(&strm, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return 1;
    }
    strm.next_in = data;
    strm.avail_in = DATA_LEN;
    strm.next_out = packed;
    strm.avail_out = sizeof packed;
    if (deflate(&strm, Z_FINISH) != Z_STREAM_END) {
        deflateEnd(&strm);
        return 1;
    }
    len = strm.total_out;
    if (deflateEnd(&strm) != Z_OK) {
        return 1;
    }
    return check_back("deflate", level, len);
}

static int with_gz(const char *path, int level) {
    char mode[4] = "wb0";
    gzFile file;
    FILE *raw;
    size_t len;
    mode[2] = (char)('0' + level);
    file = gzopen(path, mode);
    if (file == NULL || gzwrite(file, data, DATA_LEN) != DATA_LEN || gzclose(file) != Z_OK) {
        fprintf(stderr, "profile_env: gzwrite failed\n");
        return 1;
    }
    file = gzopen(path, "rb");
    if (file == NULL || gzread(file, back, DATA_LEN) != DATA_LEN ||
        memcmp(back, data, DATA_LEN) != 0 || gzclose(file) != Z_OK) {
        fprintf(stderr, "profile_env: gzread did not give the data back\n");
        return 1;
    }
    raw = fopen(path, "rb");
    if (raw == NULL) {
        return 1;
    }
    len = fread(packed, 1, sizeof packed, raw);
    fclose(raw);
    return report("gzwrite", level, packed, (unsigned long)len);
}

int main(int argc, char **argv) {
    static const int levels[] = {1, 6, 9};
    int failures = 0;
    int i;
    if (argc != 2) {
        fprintf(stderr, "usage: profile_env SCRATCH.gz\n");
        return 2;
    }
    make_data();
    for (i = 0; i < 3; i++) {
        uLongf len = sizeof packed;
        if (compress2(packed, &len, data, DATA_LEN, levels[i]) != Z_OK) {
            fprintf(stderr, "profile_env: compress2 failed\n");
            failures++;
            continue;
        }
        failures += check_back("compress2", levels[i], len);
        failures += with_stream(levels[i]);
        failures += with_gz(argv[1], levels[i]);
    }
    return failures != 0;
}
