/* static.c -- a program linked with `gcc -static` and the flags of
 * `pkg-config --static --libs zlib` (zlib's names) or `... rzlib` (rz_
 * names, with -DRZ_NAMES). It round-trips data through compress2 and
 * uncompress and a gzip file through gzopen, gzprintf and gzread, and
 * checks that it carries zlib 1.3.2's interface. Run by
 * c_tests/run_install.sh with a scratch directory as its argument. */
#include <stdio.h>
#include <string.h>

#ifdef RZ_NAMES
#include <rzlib.h>
#define Z(name) rz_##name
#else
#include <zlib.h>
#define Z(name) name
#endif

int main(int argc, char **argv) {
    static unsigned char plain[50000], packed[60000], back[50000];
    uLongf packed_len = sizeof packed, back_len = sizeof back;
    char path[4096], line[64];
    gzFile file;
    size_t i;
    if (argc != 2) return 2;
    for (i = 0; i < sizeof plain; i++) plain[i] = (unsigned char)("static rzlib "[i % 13] ^ (i / 701));
    if (Z(compress2)(packed, &packed_len, plain, sizeof plain, 6) != Z_OK ||
        Z(uncompress)(back, &back_len, packed, packed_len) != Z_OK || back_len != sizeof plain ||
        memcmp(back, plain, sizeof plain) != 0) {
        fprintf(stderr, "static: round trip failed\n");
        return 1;
    }
    snprintf(path, sizeof path, "%s/static.gz", argv[1]);
    file = Z(gzopen)(path, "wb");
    if (file == NULL || Z(gzprintf)(file, "%s %d\n", "line", 42) != 8 || Z(gzclose)(file) != Z_OK) {
        fprintf(stderr, "static: gzip write failed\n");
        return 1;
    }
    file = Z(gzopen)(path, "rb");
    if (file == NULL || Z(gzgets)(file, line, sizeof line) == NULL || strcmp(line, "line 42\n") != 0 ||
        Z(gzclose)(file) != Z_OK) {
        fprintf(stderr, "static: gzip read failed\n");
        return 1;
    }
    if (strcmp(Z(zlibVersion)(), "1.3.2") != 0) {
        fprintf(stderr, "static: version %s\n", Z(zlibVersion)());
        return 1;
    }
    printf("static: zlib %s linked statically works\n", Z(zlibVersion)());
    return 0;
}
