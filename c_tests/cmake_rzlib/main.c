/* A find_package(rzlib) consumer: compresses with rz_compress2, checks the
 * data with rz_crc32 on both sides of rz_uncompress, and prints which rzlib
 * it ran on, which must be the library file named on the command line. */
#include "../mapped.h" /* first: it sets _XOPEN_SOURCE */

#include <stdio.h>
#include <string.h>

#include <rzlib.h>

int main(int argc, char **argv) {
    static unsigned char plain[20000], packed[24000], back[20000];
    uLongf packed_len = sizeof packed, back_len = sizeof back;
    size_t i;
    if (argc != 2 || !only_this_zlib_mapped("cmake_rzlib", argv[1])) {
        fprintf(stderr, "cmake_rzlib: not running on %s\n", argc == 2 ? argv[1] : "(no library named)");
        return 1;
    }
    for (i = 0; i < sizeof plain; i++) plain[i] = (unsigned char)("cmake rzlib "[i % 12] + i / 1000);
    if (rz_compress2(packed, &packed_len, plain, sizeof plain, 6) != Z_OK ||
        rz_uncompress(back, &back_len, packed, packed_len) != Z_OK || back_len != sizeof plain ||
        rz_crc32(0, back, (uInt)back_len) != rz_crc32(0, plain, sizeof plain) ||
        memcmp(back, plain, sizeof plain) != 0) {
        fprintf(stderr, "cmake_rzlib: round trip failed\n");
        return 1;
    }
    printf("cmake_rzlib: rzlib %s, %lu -> %lu bytes and back\n", rz_zlibVersion(),
           (unsigned long)sizeof plain, (unsigned long)packed_len);
    return 0;
}
