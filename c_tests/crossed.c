/* crossed.c -- the safety rail of a mixed build: the original zlib (plain
 * names) and rzlib (rz_ names) linked into one program, each handed a stream
 * that the other initialised. Each must answer Z_STREAM_ERROR without
 * touching the stream, which then still works with its own implementation.
 * rzlib also refuses the original's gzFile handles (the original cannot
 * tell a foreign handle, so that direction is not tried).
 * Built and run by `make migration`. */
#define _XOPEN_SOURCE 700 /* mkstemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib.h"
#include "rzlib.h"

static int failures;

static void expect(const char *what, int got, int want) {
    if (got != want) {
        fprintf(stderr, "crossed: %s returned %d, expected %d\n", what, got, want);
        failures++;
    }
}

typedef int (*deflate_fn)(z_streamp, int);
typedef int (*inflate_fn)(z_streamp, int);
typedef int (*end_fn)(z_streamp);

/* Compresses and decompresses a short text with one implementation. */
static void round_trip(const char *who, deflate_fn def, end_fn def_end, z_stream *d,
                       inflate_fn inf, end_fn inf_end, z_stream *i) {
    static const char text[] = "the stream survived a call from the other implementation";
    unsigned char packed[256], back[256];
    d->next_in = (Bytef *)text;
    d->avail_in = sizeof text;
    d->next_out = packed;
    d->avail_out = sizeof packed;
    expect(who, def(d, Z_FINISH), Z_STREAM_END);
    i->next_in = packed;
    i->avail_in = (uInt)(sizeof packed - d->avail_out);
    i->next_out = back;
    i->avail_out = sizeof back;
    expect(who, inf(i, Z_FINISH), Z_STREAM_END);
    if (memcmp(back, text, sizeof text) != 0) {
        fprintf(stderr, "crossed: %s round trip differs\n", who);
        failures++;
    }
    expect(who, def_end(d), Z_OK);
    expect(who, inf_end(i), Z_OK);
}

/* The original's gzFile handed to rzlib's gz functions: each refuses it with
 * its error value, and the file then still works with the original. */
static void crossed_gz(void) {
    static const char text[] = "a gzip file written by the original zlib\n";
    char path[] = "/tmp/rzlib-crossed-XXXXXX";
    char back[sizeof text];
    int errnum = 0, fd = mkstemp(path);
    gzFile file = fd == -1 ? NULL : gzdopen(fd, "wb");
    if (file == NULL) {
        fprintf(stderr, "crossed: cannot create %s\n", path);
        failures++;
        return;
    }
    expect("rz_gzwrite(zlib file)", rz_gzwrite(file, text, sizeof text), 0);
    expect("rz_gzputs(zlib file)", rz_gzputs(file, text), -1);
    expect("rz_gzprintf(zlib file)", rz_gzprintf(file, "%s", text), Z_STREAM_ERROR);
    expect("rz_gzflush(zlib file)", rz_gzflush(file, Z_FINISH), Z_STREAM_ERROR);
    expect("rz_gztell(zlib file)", (int)rz_gztell(file), -1);
    expect("rz_gzerror(zlib file)", rz_gzerror(file, &errnum) == NULL, 1);
    expect("rz_gzclose(zlib file)", rz_gzclose(file), Z_STREAM_ERROR);
    expect("gzwrite", gzwrite(file, text, sizeof text), (int)sizeof text);
    expect("gzclose", gzclose(file), Z_OK);
    file = gzopen(path, "rb");
    expect("rz_gzread(zlib file)", rz_gzread(file, back, sizeof back), -1);
    expect("rz_gzgetc(zlib file)", rz_gzgetc(file), -1);
    expect("rz_gzclose_r(zlib file)", rz_gzclose_r(file), Z_STREAM_ERROR);
    expect("gzread", gzread(file, back, sizeof back), (int)sizeof text);
    expect("gzclose", gzclose(file), Z_OK);
    if (memcmp(back, text, sizeof text) != 0) {
        fprintf(stderr, "crossed: the original's gzip file differs\n");
        failures++;
    }
    remove(path);
}

int main(void) {
    z_stream zd, zi, rd, ri;
    unsigned char out[64];
    memset(&zd, 0, sizeof zd);
    memset(&zi, 0, sizeof zi);
    memset(&rd, 0, sizeof rd);
    memset(&ri, 0, sizeof ri);
    expect("deflateInit", deflateInit(&zd, 6), Z_OK);
    expect("inflateInit", inflateInit(&zi), Z_OK);
    expect("rz_deflateInit", rz_deflateInit(&rd, 6), Z_OK);
    expect("rz_inflateInit", rz_inflateInit(&ri), Z_OK);

    /* The original's streams handed to rzlib, and rzlib's to the original. */
    zd.next_out = zi.next_out = rd.next_out = ri.next_out = out;
    zd.avail_out = zi.avail_out = rd.avail_out = ri.avail_out = sizeof out;
    expect("rz_deflate(zlib stream)", rz_deflate(&zd, Z_FINISH), Z_STREAM_ERROR);
    expect("rz_inflate(zlib stream)", rz_inflate(&zi, Z_FINISH), Z_STREAM_ERROR);
    expect("rz_deflateEnd(zlib stream)", rz_deflateEnd(&zd), Z_STREAM_ERROR);
    expect("rz_inflateEnd(zlib stream)", rz_inflateEnd(&zi), Z_STREAM_ERROR);
    expect("deflate(rzlib stream)", deflate(&rd, Z_FINISH), Z_STREAM_ERROR);
    expect("inflate(rzlib stream)", inflate(&ri, Z_FINISH), Z_STREAM_ERROR);
    expect("deflateEnd(rzlib stream)", deflateEnd(&rd), Z_STREAM_ERROR);
    expect("inflateEnd(rzlib stream)", inflateEnd(&ri), Z_STREAM_ERROR);

    /* Each stream still works with the implementation that made it. */
    round_trip("zlib", deflate, deflateEnd, &zd, inflate, inflateEnd, &zi);
    round_trip("rzlib", rz_deflate, rz_deflateEnd, &rd, rz_inflate, rz_inflateEnd, &ri);
    crossed_gz();
    if (failures == 0)
        printf("crossed: each implementation refuses the other's streams, rzlib the original's gzFiles\n");
    return failures != 0;
}
