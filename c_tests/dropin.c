/* dropin.c -- a program written for zlib (plain names, "zlib.h" only),
 * linked with -lz against rzlib's drop-in libz.so.1. It checks that the
 * zlib it got is rzlib (the file named on its command line, and no other
 * libz) and that the usual calls work. Run by c_tests/run_dropin.sh. */
#include "mapped.h" /* first: it sets _XOPEN_SOURCE */

#include <stdio.h>
#include <string.h>

#include "zlib.h"

static const char plain[] = "hello, hello, hello! rzlib speaks zlib.";
static const unsigned char zlib_stream[] = {
    0x78, 0xda, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0xc8, 0x40, 0xa2,
    0x14, 0x15, 0x8a, 0xaa, 0x72, 0x32, 0x93, 0x14, 0x8a, 0x0b, 0x52, 0x13,
    0xb3, 0x8b, 0x15, 0x40, 0x6c, 0x3d, 0x00, 0x14, 0xdb, 0x0d, 0xdf};

int main(int argc, char **argv) {
    unsigned char out[64];
    uLongf out_len = sizeof out;
    z_stream strm;
    int failures = 0;

    if (argc != 2 || !only_this_zlib_mapped("dropin", argv[1])) {
        fprintf(stderr, "dropin: rzlib is not the zlib in use\n");
        failures++;
    }
    if (strcmp(zlibVersion(), ZLIB_VERSION) != 0) {
        fprintf(stderr, "dropin: zlibVersion() is %s\n", zlibVersion());
        failures++;
    }
    if (uncompress(out, &out_len, zlib_stream, sizeof zlib_stream) != Z_OK ||
        out_len != sizeof plain - 1 || memcmp(out, plain, out_len) != 0) {
        fprintf(stderr, "dropin: uncompress failed\n");
        failures++;
    }
    memset(&strm, 0, sizeof strm);
    memset(out, 0, sizeof out);
    if (inflateInit(&strm) != Z_OK) {
        fprintf(stderr, "dropin: inflateInit failed\n");
        return 1;
    }
    strm.next_in = (Bytef *)zlib_stream;
    strm.avail_in = sizeof zlib_stream;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    if (inflate(&strm, Z_FINISH) != Z_STREAM_END || strm.total_out != sizeof plain - 1 ||
        memcmp(out, plain, sizeof plain - 1) != 0 || strm.adler != 0x14db0ddfUL) {
        fprintf(stderr, "dropin: inflate failed\n");
        failures++;
    }
    if (inflateEnd(&strm) != Z_OK) failures++;
    if (crc32(0, (const Bytef *)plain, sizeof plain - 1) !=
        crc32(crc32(0, (const Bytef *)plain, 10), (const Bytef *)plain + 10, sizeof plain - 11)) {
        fprintf(stderr, "dropin: crc32 is not incremental\n");
        failures++;
    }
    if (adler32(1, (const Bytef *)plain, sizeof plain - 1) != 0x14db0ddfUL) {
        fprintf(stderr, "dropin: adler32 is wrong\n");
        failures++;
    }
    /* Compression: zlib's own bytes, and a gzip stream read back. */
    {
        unsigned char packed[128], back[64];
        uLongf packed_len = sizeof packed;
        if (compress2(packed, &packed_len, (const Bytef *)plain, sizeof plain - 1, 9) != Z_OK ||
            packed_len != sizeof zlib_stream || memcmp(packed, zlib_stream, packed_len) != 0) {
            fprintf(stderr, "dropin: compress2 does not give zlib's bytes\n");
            failures++;
        }
        memset(&strm, 0, sizeof strm);
        if (deflateInit2(&strm, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            fprintf(stderr, "dropin: deflateInit2 failed\n");
            return 1;
        }
        strm.next_in = (Bytef *)plain;
        strm.avail_in = sizeof plain - 1;
        strm.next_out = packed;
        strm.avail_out = sizeof packed;
        if (deflate(&strm, Z_FINISH) != Z_STREAM_END || deflateEnd(&strm) != Z_OK) {
            fprintf(stderr, "dropin: deflate failed\n");
            failures++;
        }
        packed_len = strm.total_out;
        memset(&strm, 0, sizeof strm);
        if (inflateInit2(&strm, 47) != Z_OK) return 1;
        strm.next_in = packed;
        strm.avail_in = (uInt)packed_len;
        strm.next_out = back;
        strm.avail_out = sizeof back;
        if (inflate(&strm, Z_FINISH) != Z_STREAM_END || strm.total_out != sizeof plain - 1 ||
            memcmp(back, plain, sizeof plain - 1) != 0 || inflateEnd(&strm) != Z_OK) {
            fprintf(stderr, "dropin: the gzip stream does not read back\n");
            failures++;
        }
    }
    /* zlib 1.3.2's new functions, which a program built against 1.3.2
     * asks for in the ZLIB_1.3.1.2 and ZLIB_1.3.2 version nodes. */
    {
        unsigned char packed[128], back[64];
        z_size_t packed_len = sizeof packed, back_len = sizeof back, used_len;
        int bits = -1;
        if (compress2_z(packed, &packed_len, (const Bytef *)plain, sizeof plain - 1, 9) != Z_OK ||
            packed_len != sizeof zlib_stream || memcmp(packed, zlib_stream, packed_len) != 0) {
            fprintf(stderr, "dropin: compress2_z does not give zlib's bytes\n");
            failures++;
        }
        packed_len = sizeof packed;
        if (compress_z(packed, &packed_len, (const Bytef *)plain, sizeof plain - 1) != Z_OK ||
            packed_len > compressBound_z(sizeof plain - 1)) {
            fprintf(stderr, "dropin: compress_z or compressBound_z failed\n");
            failures++;
        }
        if (uncompress_z(back, &back_len, packed, packed_len) != Z_OK ||
            back_len != sizeof plain - 1 || memcmp(back, plain, back_len) != 0) {
            fprintf(stderr, "dropin: uncompress_z failed\n");
            failures++;
        }
        back_len = sizeof back;
        used_len = packed_len + 5; /* trailing bytes are left unread */
        memcpy(packed + packed_len, "junk!", 5);
        if (uncompress2_z(back, &back_len, packed, &used_len) != Z_OK ||
            used_len != packed_len || back_len != sizeof plain - 1) {
            fprintf(stderr, "dropin: uncompress2_z failed\n");
            failures++;
        }
        memset(&strm, 0, sizeof strm);
        if (deflateInit(&strm, 6) != Z_OK) return 1;
        if (deflateUsed(&strm, &bits) != Z_OK || bits != 0 ||
            deflateBound_z(&strm, 1000) != deflateBound(&strm, 1000)) {
            fprintf(stderr, "dropin: deflateUsed or deflateBound_z failed before deflate\n");
            failures++;
        }
        strm.next_in = (Bytef *)plain;
        strm.avail_in = sizeof plain - 1;
        strm.next_out = packed;
        strm.avail_out = sizeof packed;
        if (deflate(&strm, Z_FINISH) != Z_STREAM_END || deflateUsed(&strm, &bits) != Z_OK ||
            bits < 1 || bits > 8 || deflateEnd(&strm) != Z_OK) {
            fprintf(stderr, "dropin: deflateUsed after Z_FINISH gave %d\n", bits);
            failures++;
        }
    }
    if (failures == 0) printf("dropin: rzlib serves a zlib program\n");
    return failures != 0;
}
