/* util.c -- the library-wide exports: zlibVersion, zlibCompileFlags, zError. */
#include "rzlib.h"
#include "check.h"

int main(void) {
    /* The version string matches the header, as zlib's users check. */
    CHECK_STR(rz_zlibVersion(), ZLIB_VERSION);
    CHECK_STR(rz_zlibVersion(), "1.3.2");
    CHECK_EQ(ZLIB_VERNUM, 0x1320);

    /* Two bits each for the sizes of uInt, uLong, voidpf, z_off_t. */
    {
        uLong flags = rz_zlibCompileFlags();
        CHECK_EQ(flags & 3, sizeof(uInt) == 4 ? 1 : 2);
        CHECK_EQ((flags >> 2) & 3, sizeof(uLong) == 8 ? 2 : 1);
        CHECK_EQ((flags >> 4) & 3, sizeof(voidpf) == 8 ? 2 : 1);
        CHECK_EQ((flags >> 6) & 3, sizeof(z_off_t) == 8 ? 2 : 1);
    }

    /* zError's texts, byte for byte. */
    CHECK_STR(rz_zError(Z_OK), "");
    CHECK_STR(rz_zError(Z_STREAM_END), "stream end");
    CHECK_STR(rz_zError(Z_NEED_DICT), "need dictionary");
    CHECK_STR(rz_zError(Z_ERRNO), "file error");
    CHECK_STR(rz_zError(Z_STREAM_ERROR), "stream error");
    CHECK_STR(rz_zError(Z_DATA_ERROR), "data error");
    CHECK_STR(rz_zError(Z_MEM_ERROR), "insufficient memory");
    CHECK_STR(rz_zError(Z_BUF_ERROR), "buffer error");
    CHECK_STR(rz_zError(Z_VERSION_ERROR), "incompatible version");
    return check_done("util");
}
