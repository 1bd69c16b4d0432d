/* inflate_back.c -- inflateBack with input and output callbacks, through
 * rzlib.h. tests/c_tests.rs runs it once rzlib.h declares rz_inflateBack. */
#include "rzlib.h"
#include "check.h"
#include "vectors.h"

/* Input handed out in pieces of `step` bytes. */
struct source {
    const unsigned char *data;
    unsigned len, at, step;
};

/* Output collected into a fixed buffer; `fail` makes the callback refuse. */
struct sink {
    unsigned char data[256];
    unsigned len;
    int fail;
};

static unsigned pull(void *desc, unsigned char **buf) {
    struct source *in = desc;
    unsigned n = in->len - in->at;
    if (n > in->step) n = in->step;
    *buf = (unsigned char *)in->data + in->at;
    in->at += n;
    return n;
}

static int push(void *desc, unsigned char *buf, unsigned len) {
    struct sink *out = desc;
    if (out->fail || out->len + len > sizeof out->data) return 1;
    memcpy(out->data + out->len, buf, len);
    out->len += len;
    return 0;
}

/* inflateBack of `data` fed `step` bytes at a time. */
static int run(const unsigned char *data, unsigned len, unsigned step,
               struct sink *out, z_stream *strm) {
    static unsigned char window[32768];
    struct source in;
    int ret;
    in.data = data;
    in.len = len;
    in.at = 0;
    in.step = step;
    memset(strm, 0, sizeof *strm);
    memset(out, 0, sizeof *out);
    CHECK_EQ(rz_inflateBackInit(strm, 15, window), Z_OK);
    ret = rz_inflateBack(strm, pull, &in, push, out);
    CHECK_EQ(rz_inflateBackEnd(strm), Z_OK);
    return ret;
}

int main(void) {
    static unsigned char window[32768];
    static const unsigned char stored_bad[] = {0x01, 0x05, 0x00, 0xfa, 0xfe, 'h', 'e', 'l', 'l', 'o'};
    struct sink out;
    z_stream strm;
    unsigned step;

    for (step = 1; step <= sizeof raw_stream; step += 3) {
        CHECK_EQ(run(raw_stream, sizeof raw_stream, step, &out, &strm), Z_STREAM_END);
        CHECK_EQ(out.len, PLAIN_LEN);
        CHECK(memcmp(out.data, plain, PLAIN_LEN) == 0);
    }
    /* Input ends early: Z_BUF_ERROR, with next_in NULL (the end of input). */
    CHECK_EQ(run(raw_stream, sizeof raw_stream - 4, 5, &out, &strm), Z_BUF_ERROR);
    CHECK(strm.next_in == Z_NULL);
    /* Corrupt data: Z_DATA_ERROR with zlib's message. */
    CHECK_EQ(run(stored_bad, sizeof stored_bad, 64, &out, &strm), Z_DATA_ERROR);
    CHECK_STR(strm.msg, "invalid stored block lengths");
    /* The output callback refuses: Z_BUF_ERROR, next_in not NULL. */
    {
        struct source in;
        in.data = raw_stream;
        in.len = sizeof raw_stream;
        in.at = 0;
        in.step = 64;
        memset(&strm, 0, sizeof strm);
        memset(&out, 0, sizeof out);
        out.fail = 1;
        CHECK_EQ(rz_inflateBackInit(&strm, 15, window), Z_OK);
        CHECK_EQ(rz_inflateBack(&strm, pull, &in, push, &out), Z_BUF_ERROR);
        CHECK(strm.next_in != Z_NULL);
        CHECK_EQ(rz_inflateBackEnd(&strm), Z_OK);
    }
    /* Bad parameters. */
    memset(&strm, 0, sizeof strm);
    CHECK_EQ(rz_inflateBackInit(&strm, 7, window), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflateBackInit(&strm, 16, window), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflateBackInit(&strm, 15, Z_NULL), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflateBackInit(Z_NULL, 15, window), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflateBackInit_(&strm, 15, window, "2", (int)sizeof strm), Z_VERSION_ERROR);
    CHECK_EQ(rz_inflateBackEnd(Z_NULL), Z_STREAM_ERROR);
    CHECK_EQ(rz_inflateBack(Z_NULL, pull, Z_NULL, push, Z_NULL), Z_STREAM_ERROR);
    return check_done("inflate_back");
}
