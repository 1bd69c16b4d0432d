/* pgzip.c -- the parallel benchmark's compressor: standard input to
 * standard output as one gzip stream, through rzlib's deflate (rz_ names)
 * on THREADS threads (rz_deflateSetThreads) at LEVEL, in the fast profile,
 * reading and writing 1 MiB at a time as pigz does its files. It is timed
 * from outside, beside `pigz -p N`, by benches/parallel/run.sh.
 *
 *   pgzip LEVEL THREADS < in > out */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rzlib.h"

#define CHUNK (1 << 20)

static int write_all(const unsigned char *p, size_t n) {
    while (n != 0) {
        ssize_t w = write(1, p, n);
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv) {
    static unsigned char in[CHUNK], out[CHUNK];
    z_stream s;
    int level, threads, flush, ret;
    if (argc != 3) {
        fprintf(stderr, "usage: pgzip LEVEL THREADS < in > out\n");
        return 2;
    }
    level = atoi(argv[1]);
    threads = atoi(argv[2]);
    memset(&s, 0, sizeof s);
    if (rz_deflateInit2(&s, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK ||
        rz_deflateSetProfile(&s, RZ_PROFILE_FAST) != Z_OK ||
        rz_deflateSetThreads(&s, threads) != Z_OK) {
        fprintf(stderr, "pgzip: cannot set up the stream\n");
        return 1;
    }
    do {
        ssize_t got = read(0, in, CHUNK);
        if (got < 0) {
            perror("pgzip: read");
            return 1;
        }
        flush = got == 0 ? Z_FINISH : Z_NO_FLUSH;
        s.next_in = in;
        s.avail_in = (uInt)got;
        do {
            s.next_out = out;
            s.avail_out = CHUNK;
            ret = rz_deflate(&s, flush);
            if (ret == Z_STREAM_ERROR ||
                write_all(out, CHUNK - s.avail_out) != 0) {
                fprintf(stderr, "pgzip: deflate or write failed\n");
                return 1;
            }
        } while (s.avail_out == 0);
    } while (flush != Z_FINISH);
    if (ret != Z_STREAM_END || rz_deflateEnd(&s) != Z_OK) {
        fprintf(stderr, "pgzip: the stream did not end\n");
        return 1;
    }
    return 0;
}
