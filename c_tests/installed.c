/* installed.c -- a program built against an installed rzlib with
 * `pkg-config --cflags --libs rzlib`: rz_ names from <rzlib.h>. It checks
 * that the shared library it runs on is the file named on its command line
 * (and no other zlib) and that a deflate/inflate round trip works. Run by c_tests/run_install.sh. */
#include "mapped.h" /* first: it sets _XOPEN_SOURCE */

#include <stdio.h>
#include <string.h>

#include <rzlib.h>

int main(int argc, char **argv) {
    static unsigned char plain[100000], packed[120000], back[100000];
    uLongf packed_len = sizeof packed, back_len = sizeof back;
    size_t i;
    for (i = 0; i < sizeof plain; i++) plain[i] = (unsigned char)("installed rzlib "[i % 16] ^ (i / 997));
    if (argc != 2 || !only_this_zlib_mapped("installed", argv[1])) {
        fprintf(stderr, "installed: not running on %s\n", argc == 2 ? argv[1] : "(no library named)");
        return 1;
    }
    if (rz_compress2(packed, &packed_len, plain, sizeof plain, 9) != Z_OK ||
        rz_uncompress(back, &back_len, packed, packed_len) != Z_OK ||
        back_len != sizeof plain || memcmp(back, plain, sizeof plain) != 0) {
        fprintf(stderr, "installed: round trip failed\n");
        return 1;
    }
    printf("installed: rzlib %s from %s: %lu -> %lu bytes and back\n", rz_zlibVersion(), argv[1],
           (unsigned long)sizeof plain, (unsigned long)packed_len);
    return 0;
}
