/* quirks.c -- zlib's historical API behaviours, through rzlib.h (rz_ names):
 * Z_NULL allocators, Z_BUF_ERROR when no progress is possible,
 * Z_STREAM_ERROR on bad parameters, version checks, msg texts. */
#include "rzlib.h"
#include "check.h"
#include "vectors.h"

/* A stream with Z_NULL allocators, as most programs set it up. */
static z_stream fresh(void) {
    z_stream strm;
    memset(&strm, 0, sizeof strm);
    strm.zalloc = Z_NULL;
    strm.zfree = Z_NULL;
    strm.opaque = Z_NULL;
    strm.next_in = Z_NULL;
    strm.avail_in = 0;
    return strm;
}

static void null_allocators(void) {
    z_stream strm = fresh();
    unsigned char out[64];
    CHECK_EQ(rz_inflateInit(&strm), Z_OK);
    /* Init fills in the defaults, as zlib does. */
    CHECK(strm.zalloc != Z_NULL);
    CHECK(strm.zfree != Z_NULL);
    CHECK(strm.msg == Z_NULL);
    CHECK_EQ(strm.total_in, 0);
    CHECK_EQ(strm.adler, 1);
    strm.next_in = (Bytef *)zlib_stream;
    strm.avail_in = sizeof zlib_stream;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(strm.total_out, PLAIN_LEN);
    CHECK_EQ(strm.total_in, sizeof zlib_stream);
    CHECK_EQ(strm.avail_in, 0);
    CHECK(memcmp(out, plain, PLAIN_LEN) == 0);
    CHECK_EQ(strm.adler, PLAIN_ADLER32);
    /* After the end, inflate keeps saying so. */
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
    CHECK(strm.state == Z_NULL);
    /* A second inflateEnd finds no state. */
    CHECK_EQ(rz_inflateEnd(&strm), Z_STREAM_ERROR);
}

static void buffer_errors(void) {
    z_stream strm = fresh();
    unsigned char out[64];
    CHECK_EQ(rz_inflateInit(&strm), Z_OK);
    /* No input at all: no progress possible. */
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_BUF_ERROR);
    CHECK(strm.msg == Z_NULL);
    /* Input but no output space. */
    strm.next_in = (Bytef *)zlib_stream;
    strm.avail_in = sizeof zlib_stream;
    strm.avail_out = 0;
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_OK); /* the header is consumed */
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_BUF_ERROR);
    /* Z_FINISH without room for everything: Z_BUF_ERROR, not an error state. */
    strm.avail_out = 10;
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_BUF_ERROR);
    CHECK_EQ(strm.total_out, 10);
    strm.avail_out = sizeof out - 10;
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK(memcmp(out, plain, PLAIN_LEN) == 0);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);

    /* A truncated stream with Z_FINISH. */
    strm = fresh();
    CHECK_EQ(rz_inflateInit(&strm), Z_OK);
    strm.next_in = (Bytef *)zlib_stream;
    strm.avail_in = sizeof zlib_stream - 5;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_BUF_ERROR);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
}

static void stream_errors(void) {
    static const int bad_windows[] = {7, -7, -16, 16 + 7, 32 + 7, 48, 64, 100};
    unsigned i;
    unsigned char out[64];
    z_stream strm;
    for (i = 0; i < sizeof bad_windows / sizeof bad_windows[0]; i++) {
        strm = fresh();
        CHECK_EQ(rz_inflateInit2(&strm, bad_windows[i]), Z_STREAM_ERROR);
        CHECK(strm.state == Z_NULL);
    }
    /* 32 (+ 0) is auto-detection with the window size from the header. */
    strm = fresh();
    CHECK_EQ(rz_inflateInit2(&strm, 32), Z_OK);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
    CHECK_EQ(rz_inflateInit(Z_NULL), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflate(Z_NULL, Z_NO_FLUSH), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflateEnd(Z_NULL), Z_STREAM_ERROR);

    /* Never initialised. */
    strm = fresh();
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflateReset(&strm), Z_STREAM_ERROR);

    strm = fresh();
    CHECK_EQ(rz_inflateInit(&strm), Z_OK);
    strm.next_in = (Bytef *)zlib_stream;
    strm.avail_in = sizeof zlib_stream;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    /* NULL next_out, NULL next_in with bytes announced. (Unlike deflate,
     * inflate does not check the flush value.) */
    strm.next_out = Z_NULL;
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_STREAM_ERROR);
    strm.next_out = out;
    strm.next_in = Z_NULL;
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_STREAM_ERROR);
    strm.next_in = (Bytef *)zlib_stream;
    /* A dictionary before the stream asks for one. */
    CHECK_EQ(rz_inflateSetDictionary(&strm, (const Bytef *)"x", 1), Z_STREAM_ERROR);
    /* More than 16 bits primed. */
    CHECK_EQ(rz_inflatePrime(&strm, 17, 0), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflateReset2(&strm, 3), Z_STREAM_ERROR);
    /* None of that broke the stream. */
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK(memcmp(out, plain, PLAIN_LEN) == 0);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
}

static void data_errors(void) {
    static const unsigned char bad_header[] = {0x78, 0x9d, 0x03, 0x00};
    unsigned char out[64];
    z_stream strm = fresh();
    CHECK_EQ(rz_inflateInit(&strm), Z_OK);
    strm.next_in = (Bytef *)bad_header;
    strm.avail_in = sizeof bad_header;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_DATA_ERROR);
    CHECK_STR(strm.msg, "incorrect header check");
    /* Sticky. */
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_DATA_ERROR);
    /* inflateReset clears the error and the message. */
    CHECK_EQ(rz_inflateReset(&strm), Z_OK);
    CHECK(strm.msg == Z_NULL);
    strm.next_in = (Bytef *)zlib_stream;
    strm.avail_in = sizeof zlib_stream;
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
}

static void dictionaries(void) {
    unsigned char out[64];
    unsigned char got[64];
    uInt got_len = 0;
    z_stream strm = fresh();
    CHECK_EQ(rz_inflateInit(&strm), Z_OK);
    strm.next_in = (Bytef *)dict_stream;
    strm.avail_in = sizeof dict_stream;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_inflate(&strm, Z_NO_FLUSH), Z_NEED_DICT);
    /* adler holds the dictionary's Adler-32 that the stream asks for. */
    CHECK_EQ(strm.adler, DICTIONARY_ADLER32);
    CHECK_EQ(rz_inflateSetDictionary(&strm, (const Bytef *)"wrong", 5), Z_DATA_ERROR);
    CHECK_EQ(rz_inflateSetDictionary(&strm, (const Bytef *)dictionary, sizeof dictionary - 1), Z_OK);
    CHECK_EQ(rz_inflateGetDictionary(&strm, got, &got_len), Z_OK);
    CHECK_EQ(got_len, sizeof dictionary - 1);
    CHECK(memcmp(got, dictionary, got_len) == 0);
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK(memcmp(out, plain, PLAIN_LEN) == 0);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
}

static void versions(void) {
    z_stream strm = fresh();
    CHECK_EQ(rz_inflateInit_(&strm, "2", (int)sizeof(z_stream)), Z_VERSION_ERROR);
    CHECK_EQ(rz_inflateInit_(&strm, "2.0.0", (int)sizeof(z_stream)), Z_VERSION_ERROR);
    CHECK_EQ(rz_inflateInit_(&strm, Z_NULL, (int)sizeof(z_stream)), Z_VERSION_ERROR);
    CHECK_EQ(rz_inflateInit_(&strm, ZLIB_VERSION, (int)sizeof(z_stream) - 1), Z_VERSION_ERROR);
    CHECK_EQ(rz_inflateInit2_(&strm, 15, ZLIB_VERSION, (int)sizeof(z_stream) + 8), Z_VERSION_ERROR);
    CHECK(strm.state == Z_NULL);
    /* Any 1.x version is accepted: only the first character counts. */
    CHECK_EQ(rz_inflateInit_(&strm, "1.2.11", (int)sizeof(z_stream)), Z_OK);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
}

static void one_shot(void) {
    unsigned char out[64];
    uLongf out_len = sizeof out;
    uLong in_len = sizeof zlib_stream;
    CHECK_EQ(rz_uncompress(out, &out_len, zlib_stream, sizeof zlib_stream), Z_OK);
    CHECK_EQ(out_len, PLAIN_LEN);
    CHECK(memcmp(out, plain, PLAIN_LEN) == 0);
    /* Too small a destination. */
    out_len = 10;
    CHECK_EQ(rz_uncompress(out, &out_len, zlib_stream, sizeof zlib_stream), Z_BUF_ERROR);
    out_len = sizeof out;
    CHECK_EQ(rz_uncompress2(out, &out_len, zlib_stream, &in_len), Z_OK);
    CHECK_EQ(in_len, sizeof zlib_stream);
    /* A truncated source is a data error. */
    out_len = sizeof out;
    CHECK_EQ(rz_uncompress(out, &out_len, zlib_stream, sizeof zlib_stream - 3), Z_DATA_ERROR);
}

static void raw_inflate(void) {
    unsigned char out[64];
    z_stream strm = fresh();
    CHECK_EQ(rz_inflateInit2(&strm, -15), Z_OK);
    strm.next_in = (Bytef *)raw_stream;
    strm.avail_in = sizeof raw_stream;
    strm.next_out = out;
    strm.avail_out = sizeof out;
    CHECK_EQ(rz_inflate(&strm, Z_FINISH), Z_STREAM_END);
    CHECK_EQ(strm.total_out, PLAIN_LEN);
    CHECK(memcmp(out, plain, PLAIN_LEN) == 0);
    CHECK_EQ(rz_inflateEnd(&strm), Z_OK);
}

int main(void) {
    null_allocators();
    buffer_errors();
    stream_errors();
    data_errors();
    dictionaries();
    versions();
    one_shot();
    raw_inflate();
    return check_done("quirks");
}
