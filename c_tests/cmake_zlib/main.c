/* A find_package(ZLIB) consumer written for zlib: a gzip stream through
 * deflateInit2/inflateInit2, checked against crc32, and the version of the
 * zlib it ran on, which must be the drop-in file named on the command line. */
#include "../mapped.h" /* first: it sets _XOPEN_SOURCE */

#include <stdio.h>
#include <string.h>

#include <zlib.h>

int main(int argc, char **argv) {
    static unsigned char plain[30000], packed[40000], back[30000];
    z_stream s;
    size_t i;
    if (argc != 2 || !only_this_zlib_mapped("cmake_zlib", argv[1])) {
        fprintf(stderr, "cmake_zlib: not running on %s\n", argc == 2 ? argv[1] : "(no library named)");
        return 1;
    }
    for (i = 0; i < sizeof plain; i++) plain[i] = (unsigned char)("find_package(ZLIB) "[i % 19] ^ (i >> 9));
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 1;
    s.next_in = plain, s.avail_in = sizeof plain, s.next_out = packed, s.avail_out = sizeof packed;
    if (deflate(&s, Z_FINISH) != Z_STREAM_END || deflateEnd(&s) != Z_OK) return 1;
    uLong packed_len = s.total_out;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 31) != Z_OK) return 1;
    s.next_in = packed, s.avail_in = (uInt)packed_len, s.next_out = back, s.avail_out = sizeof back;
    if (inflate(&s, Z_FINISH) != Z_STREAM_END || s.total_out != sizeof plain || inflateEnd(&s) != Z_OK ||
        crc32(0, back, sizeof back) != crc32(0, plain, sizeof plain)) {
        fprintf(stderr, "cmake_zlib: round trip failed\n");
        return 1;
    }
    printf("cmake_zlib: zlib %s, gzip %lu -> %lu bytes and back\n", zlibVersion(),
           (unsigned long)sizeof plain, packed_len);
    return strcmp(zlibVersion(), ZLIB_VERSION) != 0;
}
