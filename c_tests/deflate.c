/* deflate.c -- the compression API through rzlib.h (rz_ names), as a C
 * program uses it: exact bytes for zlib's own vectors, streaming with every
 * flush mode, gzip headers, dictionaries, parameter changes, copies, the
 * caller's allocator, and zlib's answers to bad parameters and calls. */
#include "rzlib.h"
#include "check.h"
#include "vectors.h"

static z_stream fresh(void) {
    z_stream strm;
    memset(&strm, 0, sizeof strm);
    strm.zalloc = Z_NULL;
    strm.zfree = Z_NULL;
    strm.opaque = Z_NULL;
    return strm;
}

/* The same bytes zlib made for vectors.h. */
static void zlib_vectors(void) {
    unsigned char out[128];
    uLongf out_len = sizeof out;
    z_stream strm = fresh();

    CHECK_EQ(rz_compress2(out, &out_len, (const Bytef *)plain, PLAIN_LEN, 9), Z_OK);
    CHECK_EQ(out_len, sizeof zlib_stream);
    CHECK(memcmp(out, zlib_stream, sizeof zlib_stream) == 0);

    CHECK_EQ(rz_deflateInit2(&strm, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    strm.next_in = (Bytef *)plain;
    strm.avail_in = PLAIN_LEN;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(strm.total_out, sizeof raw_stream);
    CHECK(memcmp(out, raw_stream, sizeof raw_stream) == 0);
    CHECK_EQ(rz_deflateEnd(&strm), Z_OK);

    strm = fresh();
    CHECK_EQ(rz_deflateInit(&strm, 9), Z_OK);
    CHECK_EQ(rz_deflateSetDictionary(&strm, (const Bytef *)dictionary, sizeof dictionary - 1),
             Z_OK);
    CHECK_EQ(strm.adler, DICTIONARY_ADLER32);
    strm.next_in = (Bytef *)plain;
    strm.avail_in = PLAIN_LEN;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(strm.total_out, sizeof dict_stream);
    CHECK(memcmp(out, dict_stream, sizeof dict_stream) == 0);
    CHECK_EQ(strm.adler, PLAIN_ADLER32);
    CHECK_EQ(rz_deflateEnd(&strm), Z_OK);
}

/* Text with repeats and some noise, to give every block kind work. */
static void make_input(unsigned char *buf, size_t len) {
    static const char *const words[] = {"deflate ", "inflate ", "window ", "huffman ",
                                        "lazy ", "match ", "\n", "zlib "};
    unsigned long seed = 12345;
    size_t i = 0;
    while (i < len) {
        const char *w;
        seed = seed * 1103515245UL + 12345UL;
        if ((seed >> 16) % 17 == 0) {
            buf[i++] = (unsigned char)(seed >> 24);
            continue;
        }
        for (w = words[(seed >> 16) % 8]; *w && i < len; w++) buf[i++] = (unsigned char)*w;
    }
}

/* Decompresses `in` with rzlib and compares it with `want`. */
static void check_inflates(const unsigned char *in, size_t in_len, int window_bits,
                           const unsigned char *want, size_t want_len) {
    static unsigned char out[1 << 18];
    z_stream strm = fresh();
    CHECK_EQ(rz_inflateInit2(&strm, window_bits), Z_OK);
    strm.next_in = (Bytef *)in;
    strm.avail_in = (uInt)in_len;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(strm.total_out, want_len);
    CHECK(memcmp(out, want, want_len) == 0);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
}

/* Small input and output chunks with a rotating flush mode, each wrapper. */
static void streaming_flushes(void) {
    static unsigned char input[100000], packed[120000];
    static const int flushes[] = {Z_NO_FLUSH, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH,
                                  Z_FULL_FLUSH, Z_BLOCK, Z_NO_FLUSH};
    static const int wrappers[] = {15, -15, 31, 9};
    size_t w;
    make_input(input, sizeof input);
    for (w = 0; w < sizeof wrappers / sizeof *wrappers; w++) {
        z_stream strm = fresh();
        size_t fed = 0, call = 0;
        int ret;
        CHECK_EQ(rz_deflateInit2(&strm, 6, Z_DEFLATED, wrappers[w], 8, Z_DEFAULT_STRATEGY),
                 Z_OK);
        strm.next_out = packed;
        do {
            size_t chunk = 1 + (call * 7919) % 3000;
            int flush;
            if (strm.avail_in == 0 && fed < sizeof input) {
                if (chunk > sizeof input - fed) chunk = sizeof input - fed;
                strm.next_in = input + fed;
                strm.avail_in = (uInt)chunk;
                fed += chunk;
            }
            flush = fed == sizeof input ? Z_FINISH : flushes[call % 6];
            strm.avail_out = 1 + (uInt)(call * 104729 % 4000);
            if (strm.avail_out > sizeof packed - strm.total_out)
                strm.avail_out = (uInt)(sizeof packed - strm.total_out);
            ret = rz_deflate(&strm, flush);
            call++;
            CHECK(ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR);
        } while (ret != Z_STREAM_END && call < 100000);
        CHECK_EQ(ret, Z_STREAM_END);
        CHECK_EQ(strm.total_in, sizeof input);
        CHECK(strm.total_out <= rz_deflateBound(&strm, sizeof input));
        check_inflates(packed, strm.total_out, wrappers[w] == 9 ? 15 : wrappers[w], input,
                       sizeof input);
        CHECK_EQ(rz_deflateEnd(&strm), Z_OK);
    }
}

/* deflateSetHeader's fields come back from inflateGetHeader. */
static void gzip_header(void) {
    static unsigned char extra[] = {'r', 'z', 4, 0, 1, 2, 3, 4};
    unsigned char packed[512], out[128], got_extra[16];
    unsigned char got_name[32], got_comment[32];
    gz_header head, got;
    z_stream strm = fresh();

    memset(&head, 0, sizeof head);
    head.text = 1;
    head.time = 1234567890UL;
    head.os = 3;
    head.extra = extra;
    head.extra_len = sizeof extra;
    head.name = (Bytef *)"plain.txt";
    head.comment = (Bytef *)"made by rzlib";
    head.hcrc = 1;
    CHECK_EQ(rz_deflateInit2(&strm, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    CHECK_EQ(rz_deflateSetHeader(&strm, &head), Z_OK);
    strm.next_in = (Bytef *)plain;
    strm.avail_in = PLAIN_LEN;
    strm.next_out = packed;
    strm.avail_out = sizeof packed;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(strm.adler, rz_crc32(0, (const Bytef *)plain, PLAIN_LEN));
    CHECK_EQ(rz_deflateEnd(&strm), Z_OK);
    CHECK_EQ(packed[0], 0x1f);
    CHECK_EQ(packed[1], 0x8b);
    CHECK_EQ(packed[3], 1 | 2 | 4 | 8 | 16); /* FTEXT FHCRC FEXTRA FNAME FCOMMENT */

    memset(&got, 0, sizeof got);
    got.extra = got_extra;
    got.extra_max = sizeof got_extra;
    got.name = got_name;
    got.name_max = sizeof got_name;
    got.comment = got_comment;
    got.comm_max = sizeof got_comment;
    strm = fresh();
    CHECK_EQ(rz_inflateInit2(&strm, 31), Z_OK);
    CHECK_EQ(rz_inflateGetHeader(&strm, &got), Z_OK);
    strm.next_in = packed;
    strm.avail_in = sizeof packed;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(strm.total_out, PLAIN_LEN);
    CHECK_EQ(got.done, 1);
    CHECK_EQ(got.text, 1);
    CHECK_EQ(got.time, 1234567890UL);
    CHECK_EQ(got.os, 3);
    CHECK_EQ(got.hcrc, 1);
    CHECK_EQ(got.extra_len, sizeof extra);
    CHECK(memcmp(got_extra, extra, sizeof extra) == 0);
    CHECK_STR((char *)got_name, "plain.txt");
    CHECK_STR((char *)got_comment, "made by rzlib");
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
}

/* deflateParams between chunks, deflateCopy, deflatePending, deflatePrime. */
static void params_copy_pending(void) {
    static unsigned char input[60000], packed[80000], copied[80000];
    z_stream strm = fresh(), copy;
    unsigned pending = 0;
    int bits = 0;
    make_input(input, sizeof input);
    CHECK_EQ(rz_deflateInit(&strm, 1), Z_OK);
    strm.next_in = input;
    strm.avail_in = 20000;
    strm.next_out = packed;
    strm.avail_out = sizeof packed;
    CHECK_EQ(rz_deflate(&strm, Z_NO_FLUSH), Z_OK);
    CHECK_EQ(rz_deflateParams(&strm, 9, Z_FILTERED), Z_OK);
    strm.avail_in = 20000;
    CHECK_EQ(rz_deflate(&strm, Z_PARTIAL_FLUSH), Z_OK);
    CHECK_EQ(rz_deflatePending(&strm, &pending, &bits), Z_OK);
    CHECK(bits >= 0 && bits < 8);
    CHECK_EQ(pending, 0);
    CHECK_EQ(rz_deflateCopy(&copy, &strm), Z_OK);
    copy.next_out = copied + (strm.next_out - packed);
    memcpy(copied, packed, (size_t)(strm.next_out - packed));
    strm.avail_in = sizeof input - 40000;
    copy.avail_in = sizeof input - 40000;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(rz_deflate(&copy, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(copy.total_out, strm.total_out);
    CHECK(memcmp(copied, packed, strm.total_out) == 0);
    check_inflates(packed, strm.total_out, 15, input, sizeof input);
    CHECK_EQ(rz_deflateEnd(&copy), Z_OK);
    CHECK_EQ(rz_deflateEnd(&strm), Z_OK);

    /* Primed bits come first in a raw stream. */
    strm = fresh();
    CHECK_EQ(rz_deflateInit2(&strm, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    CHECK_EQ(rz_deflatePrime(&strm, 5, 0x15), Z_OK);
    CHECK_EQ(rz_deflatePrime(&strm, 17, 0), Z_BUF_ERROR);
    CHECK_EQ(rz_deflatePending(&strm, &pending, &bits), Z_OK);
    CHECK_EQ(pending, 0);
    CHECK_EQ(bits, 5);
    strm.next_in = (Bytef *)plain;
    strm.avail_in = PLAIN_LEN;
    strm.next_out = packed;
    strm.avail_out = sizeof packed;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(packed[0] & 0x1f, 0x15);
    CHECK_EQ(rz_deflateEnd(&strm), Z_OK);
}

/* The caller's allocator gets every byte: zlib's five blocks, all freed. */
static int allocs, frees;
static voidpf counting_alloc(voidpf opaque, uInt items, uInt size) {
    (void)opaque;
    allocs++;
    return calloc(items, size);
}
static void counting_free(voidpf opaque, voidpf address) {
    (void)opaque;
    frees++;
    free(address);
}

static void caller_allocator(void) {
    unsigned char out[128];
    z_stream strm = fresh();
    strm.zalloc = counting_alloc;
    strm.zfree = counting_free;
    CHECK_EQ(rz_deflateInit(&strm, Z_DEFAULT_COMPRESSION), Z_OK);
    CHECK_EQ(allocs, 5); /* state, window, prev, head, pending buffer */
    strm.next_in = (Bytef *)plain;
    strm.avail_in = PLAIN_LEN;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(rz_deflateEnd(&strm), Z_OK);
    CHECK_EQ(frees, allocs);
}

/* zlib's answers to bad parameters and calls. */
static void bad_parameters_and_calls(void) {
    unsigned char out[128];
    z_stream strm = fresh();
    CHECK_EQ(rz_deflateInit(&strm, 10), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateInit2(&strm, 6, 7, 15, 8, 0), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateInit2(&strm, 6, Z_DEFLATED, 7, 8, 0), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateInit2(&strm, 6, Z_DEFLATED, -8, 8, 0), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateInit2(&strm, 6, Z_DEFLATED, 24, 8, 0), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateInit2(&strm, 6, Z_DEFLATED, 15, 0, 0), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateInit2(&strm, 6, Z_DEFLATED, 15, 10, 0), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateInit2(&strm, 6, Z_DEFLATED, 15, 8, Z_FIXED + 1), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateInit_(&strm, 6, "2.0.0", (int)sizeof strm), Z_VERSION_ERROR);
    CHECK_EQ(rz_deflateInit_(&strm, 6, ZLIB_VERSION, (int)sizeof strm - 1), Z_VERSION_ERROR);
    CHECK_EQ(rz_deflateInit_(Z_NULL, 6, ZLIB_VERSION, (int)sizeof strm), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflate(Z_NULL, Z_FINISH), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateEnd(&strm), Z_STREAM_ERROR);

    CHECK_EQ(rz_deflateInit(&strm, 6), Z_OK);
    strm.next_in = (Bytef *)plain;
    strm.avail_in = PLAIN_LEN;
    strm.next_out = out;
    strm.avail_out = 0;
    CHECK_EQ(rz_deflate(&strm, Z_NO_FLUSH), Z_BUF_ERROR);
    CHECK_STR(strm.msg, "buffer error");
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH + 1 + Z_TREES), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_STREAM_END);
    /* Finished: more input is a buffer error, another flush mode a stream
     * error, and Z_FINISH with no input still ends. */
    strm.avail_in = 1;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_BUF_ERROR);
    CHECK_STR(strm.msg, "buffer error");
    CHECK_EQ(rz_deflate(&strm, Z_NO_FLUSH), Z_STREAM_ERROR);
    CHECK_STR(strm.msg, "stream error");
    strm.avail_in = 0;
    CHECK_EQ(rz_deflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(rz_deflateParams(&strm, 10, 0), Z_STREAM_ERROR);
    CHECK_EQ(rz_deflateEnd(&strm), Z_OK);

    /* Ended unfinished: Z_DATA_ERROR, memory freed all the same. */
    strm = fresh();
    CHECK_EQ(rz_deflateInit(&strm, 6), Z_OK);
    strm.next_in = (Bytef *)plain;
    strm.avail_in = PLAIN_LEN;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_deflate(&strm, Z_NO_FLUSH), Z_OK);
    CHECK_EQ(rz_deflateEnd(&strm), Z_DATA_ERROR);
    CHECK(strm.state == Z_NULL);

    CHECK_EQ(rz_compressBound(100000), 100000 + (100000 >> 12) + (100000 >> 14) + 13);
}

int main(void) {
    zlib_vectors();
    streaming_flushes();
    gzip_header();
    params_copy_pending();
    caller_allocator();
    bad_parameters_and_calls();
    return check_done("deflate");
}
