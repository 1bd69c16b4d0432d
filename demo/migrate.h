/* migrate.h -- moves a zlib program to rzlib one function family at a time,
 * without touching its source. Force-include it (gcc -include demo/migrate.h)
 * with the original zlib's header directory first on the include path and
 * rzlib's include/ after it, define the families to switch, and link both
 * the original zlib and rzlib's default (rz_) library:
 *
 *   gcc -include demo/migrate.h -DRZ_CHECKSUMS -DRZ_INFLATE \
 *       -I/path/to/zlib -I/path/to/rzlib/include prog.c \
 *       /path/to/zlib/libz.a /path/to/rzlib/target/release/librzlib.a -lpthread -ldl -lm
 *
 * Each switched name becomes its rz_ twin; the rest stay the original's. A
 * stream must stay with one implementation: switch deflateInit together
 * with deflate and deflateEnd (the families below do), or the other
 * implementation's functions answer Z_STREAM_ERROR. */
#ifndef RZ_MIGRATE_H
#define RZ_MIGRATE_H

#include "zlib.h"
#include "rzlib.h"

#ifdef RZ_CHECKSUMS
#define adler32 rz_adler32
#define adler32_z rz_adler32_z
#define adler32_combine rz_adler32_combine
#define crc32 rz_crc32
#define crc32_z rz_crc32_z
#define crc32_combine rz_crc32_combine
#endif

#ifdef RZ_INFLATE
#undef inflateInit
#undef inflateInit2
#define inflateInit rz_inflateInit
#define inflateInit2 rz_inflateInit2
#define inflate rz_inflate
#define inflateEnd rz_inflateEnd
#define inflateReset rz_inflateReset
#define inflateSetDictionary rz_inflateSetDictionary
#define uncompress rz_uncompress
#define uncompress2 rz_uncompress2
#define uncompress_z rz_uncompress_z
#define uncompress2_z rz_uncompress2_z
#endif

#ifdef RZ_DEFLATE
#undef deflateInit
#undef deflateInit2
#define deflateInit rz_deflateInit
#define deflateInit2 rz_deflateInit2
#define deflate rz_deflate
#define deflateEnd rz_deflateEnd
#define deflateReset rz_deflateReset
#define deflateParams rz_deflateParams
#define deflateSetDictionary rz_deflateSetDictionary
#define deflateBound rz_deflateBound
#define compress rz_compress
#define compress2 rz_compress2
#define compressBound rz_compressBound
#define deflateBound_z rz_deflateBound_z
#define deflateUsed rz_deflateUsed
#define compress_z rz_compress_z
#define compress2_z rz_compress2_z
#define compressBound_z rz_compressBound_z
#endif

#ifdef RZ_GZ
/* A gzFile belongs to the zlib that opened it, so the gz names switch
 * together. zlib.h may have made some of them macros: gzgetc's fast path,
 * and gzopen and the offset functions become their 64-bit forms with
 * _FILE_OFFSET_BITS=64. gzgetc stays object-like so that gzgetc(f) becomes
 * rzlib.h's rz_gzgetc(f) macro, fast path included. */
#undef gzgetc
#undef gzopen
#undef gzseek
#undef gztell
#undef gzoffset
#define gzopen rz_gzopen
#define gzopen64 rz_gzopen64
#define gzdopen rz_gzdopen
#define gzbuffer rz_gzbuffer
#define gzsetparams rz_gzsetparams
#define gzread rz_gzread
#define gzfread rz_gzfread
#define gzwrite rz_gzwrite
#define gzfwrite rz_gzfwrite
#define gzprintf rz_gzprintf
#define gzvprintf rz_gzvprintf
#define gzputs rz_gzputs
#define gzgets rz_gzgets
#define gzputc rz_gzputc
#define gzgetc rz_gzgetc
#define gzgetc_ rz_gzgetc_
#define gzungetc rz_gzungetc
#define gzflush rz_gzflush
#define gzseek rz_gzseek
#define gzseek64 rz_gzseek64
#define gzrewind rz_gzrewind
#define gztell rz_gztell
#define gztell64 rz_gztell64
#define gzoffset rz_gzoffset
#define gzoffset64 rz_gzoffset64
#define gzeof rz_gzeof
#define gzdirect rz_gzdirect
#define gzclose rz_gzclose
#define gzclose_r rz_gzclose_r
#define gzclose_w rz_gzclose_w
#define gzerror rz_gzerror
#define gzclearerr rz_gzclearerr
#endif

#endif
