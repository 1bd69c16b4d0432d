/* abi.c -- prints the size and field offsets of z_stream and gz_header as C
 * sees them through rzlib's zlib.h; tests/c_tests.rs compares them with the
 * Rust definitions. Output: one "struct.field value" per line. */
#include <stddef.h>
#include <stdio.h>

#include "zlib.h"

#define SIZE(type) printf(#type ".size %lu\n", (unsigned long)sizeof(type))
#define FIELD(type, field) \
    printf(#type "." #field " %lu\n", (unsigned long)offsetof(type, field))

int main(void) {
    SIZE(z_stream);
    FIELD(z_stream, next_in);
    FIELD(z_stream, avail_in);
    FIELD(z_stream, total_in);
    FIELD(z_stream, next_out);
    FIELD(z_stream, avail_out);
    FIELD(z_stream, total_out);
    FIELD(z_stream, msg);
    FIELD(z_stream, state);
    FIELD(z_stream, zalloc);
    FIELD(z_stream, zfree);
    FIELD(z_stream, opaque);
    FIELD(z_stream, data_type);
    FIELD(z_stream, adler);
    FIELD(z_stream, reserved);
    SIZE(gz_header);
    FIELD(gz_header, text);
    FIELD(gz_header, time);
    FIELD(gz_header, xflags);
    FIELD(gz_header, os);
    FIELD(gz_header, extra);
    FIELD(gz_header, extra_len);
    FIELD(gz_header, extra_max);
    FIELD(gz_header, name);
    FIELD(gz_header, name_max);
    FIELD(gz_header, comment);
    FIELD(gz_header, comm_max);
    FIELD(gz_header, hcrc);
    FIELD(gz_header, done);
    return 0;
}
