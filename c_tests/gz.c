/* gz.c -- the gzip file functions (gzopen ... gzclose) as a zlib program
 * calls them: plain names from "zlib.h", so one source runs in both link
 * modes. tests/c_tests.rs force-includes demo/migrate.h with -DRZ_GZ, which
 * maps the names to the rz_ exports of rzlib's default build;
 * c_tests/run_dropin.sh links it with -lz against the drop-in libz.so.1.
 * The expectations are zlib.h's documented behaviour; the original zlib
 * meets every one of them (checked with 1.2.13 and 1.3.2, around 1.3.1).
 *
 * Usage: gz [DIR] -- temporary files go to DIR, else $TMPDIR, else /tmp. */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <unistd.h>

#include "zlib.h"
#include "check.h"

/* ---- temporary files ---- */

static const char *temp_dir = "/tmp";
static char temp_paths[24][1024];
static int temp_count;

/* A fresh file name under temp_dir; remove_temps() deletes them all. */
static const char *temp_path(const char *tag) {
    char *path = temp_paths[temp_count];
    if (temp_count + 1 < (int)(sizeof temp_paths / sizeof temp_paths[0])) temp_count++;
    snprintf(path, sizeof temp_paths[0], "%s/rzlib-gz-%ld-%s", temp_dir, (long)getpid(), tag);
    remove(path); /* a leftover of a killed run */
    return path;
}

static void remove_temps(void) {
    while (temp_count > 0) remove(temp_paths[--temp_count]);
}

/* The whole file (malloc'd, *len bytes), or NULL. */
static unsigned char *slurp(const char *path, size_t *len) {
    FILE *in = fopen(path, "rb");
    unsigned char *data = NULL;
    long n = -1;
    *len = 0;
    if (in == NULL) return NULL;
    if (fseek(in, 0, SEEK_END) == 0 && (n = ftell(in)) >= 0 && fseek(in, 0, SEEK_SET) == 0 &&
        (data = malloc((size_t)n + 1)) != NULL && fread(data, 1, (size_t)n, in) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(in);
    if (data != NULL) *len = (size_t)n;
    return data;
}

static long file_size(const char *path) {
    size_t len;
    unsigned char *data = slurp(path, &len);
    long size = data ? (long)len : -1;
    free(data);
    return size;
}

/* Writes the first `keep` bytes of `src` to a new file, with byte `flip`
 * inverted (none if negative) and `extra` after them: damaged copies. */
static const char *copy_of(const char *src, const char *tag, size_t keep, long flip,
                           const char *extra) {
    const char *path = temp_path(tag);
    size_t len;
    unsigned char *data = slurp(src, &len);
    FILE *out = fopen(path, "wb");
    CHECK(data != NULL && out != NULL);
    if (data != NULL && out != NULL) {
        if (keep > len) keep = len;
        if (flip >= 0 && (size_t)flip < keep) data[flip] ^= 0xff;
        CHECK_EQ(fwrite(data, 1, keep, out), keep);
        CHECK(fputs(extra, out) >= 0);
    }
    if (out != NULL) CHECK_EQ(fclose(out), 0);
    free(data);
    return path;
}

/* A new file holding just `text`. */
static const char *file_with(const char *tag, const char *text) {
    return copy_of("/dev/null", tag, 0, -1, text);
}

/* ---- what the files hold ---- */

/* What the file written by write_api() reads back as, built call by call. */
static unsigned char expect[1 << 16];
static size_t expect_len;

static void expect_add(const void *data, size_t len) {
    memcpy(expect + expect_len, data, len);
    expect_len += len;
}

static void expect_fill(int byte, size_t len) {
    memset(expect + expect_len, byte, len);
    expect_len += len;
}

/* Bytes deflate cannot shrink much, with every value (zeros, newlines). */
static void fill_noise(unsigned char *p, size_t len) {
    unsigned long x = 1950;
    size_t i;
    for (i = 0; i < len; i++) {
        x = (x * 1103515245UL + 12345UL) & 0xffffffffUL;
        p[i] = (unsigned char)(x >> 16);
    }
}

/* After a helper's checks: names the case when one of them failed. */
static void note(const char *what, int failures_before) {
    if (check_failures != failures_before) fprintf(stderr, "  (while checking %s)\n", what);
}

/* gzerror's number, and the end of its text (zlib puts the path first). */
static void check_error(gzFile f, int errnum, const char *ending) {
    int got = 12345;
    const char *msg = gzerror(f, &got);
    size_t n = msg ? strlen(msg) : 0, m = strlen(ending);
    CHECK_EQ(got, errnum);
    if (msg == NULL || n < m || strcmp(msg + n - m, ending) != 0) {
        fprintf(stderr, "gzerror gave \"%s\", expected it to end with \"%s\"\n",
                msg ? msg : "(null)", ending);
        check_failures++;
    }
}

/* gzprintf's va_list form, as a program's own printf-like wrapper uses it. */
static int vprint(gzFile f, const char *format, ...) {
    va_list va;
    int n;
    va_start(va, format);
    n = gzvprintf(f, format, va);
    va_end(va);
    return n;
}

/* ---- readers and writers shared by the cases ---- */

/* Reads `f` to its end in pieces of varying size (the gzgetc macro, small
 * and large gzread), checks it holds exactly want[0..len) and ends cleanly,
 * and closes it. `buffer` non-zero sets gzbuffer first. */
static void read_back(const char *what, gzFile f, unsigned buffer, const void *want, size_t len,
                      int direct) {
    static const unsigned steps[] = {1, 5, 300, 9000, 70000};
    static unsigned char got[1 << 17];
    size_t at = 0, i = 0;
    int before = check_failures, n;
    CHECK(f != NULL);
    if (f == NULL) {
        note(what, before);
        return;
    }
    if (buffer) CHECK_EQ(gzbuffer(f, buffer), 0);
    CHECK_EQ(gzdirect(f), direct);
    for (;;) {
        unsigned step = steps[i++ % (sizeof steps / sizeof steps[0])];
        if (at + step > sizeof got) break;
        if (step == 1) {
            int c = gzgetc(f);
            if (c < 0) break;
            got[at++] = (unsigned char)c;
            continue;
        }
        n = gzread(f, got + at, step);
        CHECK(n >= 0);
        if (n <= 0) break;
        at += (size_t)n;
    }
    CHECK_EQ(at, len);
    CHECK(at == len && memcmp(got, want, len) == 0);
    CHECK_EQ(gzeof(f), 1);
    CHECK_STR(gzerror(f, &n), "");
    CHECK_EQ(n, Z_OK);
    CHECK_EQ(gzclose(f), Z_OK);
    note(what, before);
}

/* Writes want[0..len) to a new file through gzwrite in pieces of varying
 * size (gzputc for single bytes). `buffer` non-zero sets gzbuffer first. */
static void write_pieces(const char *what, const char *path, const char *mode, unsigned buffer,
                         const unsigned char *data, size_t len) {
    static const unsigned steps[] = {1, 3, 64, 65, 8191, 9000};
    size_t at = 0, i = 0;
    int before = check_failures;
    gzFile f = gzopen(path, mode);
    CHECK(f != NULL);
    if (f == NULL) {
        note(what, before);
        return;
    }
    if (buffer) CHECK_EQ(gzbuffer(f, buffer), 0);
    CHECK_EQ(gzdirect(f), strchr(mode, 'T') != NULL);
    while (at < len) {
        size_t step = steps[i++ % (sizeof steps / sizeof steps[0])];
        if (step > len - at) step = len - at;
        if (step == 1)
            CHECK_EQ(gzputc(f, data[at]), data[at]);
        else
            CHECK_EQ(gzwrite(f, data + at, (unsigned)step), step);
        at += step;
    }
    CHECK_EQ(gztell(f), len);
    CHECK_EQ(gzclose(f), Z_OK);
    note(what, before);
}

/* Reads a gzip stream that stops early in one request: between `least` and
 * `most` bytes of expect[], never -1, then Z_BUF_ERROR "unexpected end of
 * file", which gzclose returns too. */
static void read_cut(const char *what, const char *path, size_t least, size_t most) {
    static unsigned char got[1 << 17];
    int before = check_failures, n;
    gzFile f = gzopen(path, "rb");
    CHECK(f != NULL);
    if (f == NULL) {
        note(what, before);
        return;
    }
    n = gzread(f, got, sizeof got);
    CHECK(n >= 0 && (size_t)n >= least && (size_t)n <= most);
    CHECK(n <= 0 || memcmp(got, expect, (size_t)n) == 0);
    check_error(f, Z_BUF_ERROR, "unexpected end of file");
    CHECK_EQ(gzeof(f), 1);
    CHECK_EQ(gzclose(f), Z_BUF_ERROR);
    note(what, before);
}

/* Reads a gzip file whose trailer is damaged: -1 once the good data is
 * used up, Z_DATA_ERROR with inflate's message, and the error stays. */
static void read_corrupt(const char *what, const char *path, const char *message) {
    static unsigned char got[1 << 17];
    size_t at = 0;
    int before = check_failures, n;
    gzFile f = gzopen(path, "rb");
    CHECK(f != NULL);
    if (f == NULL) {
        note(what, before);
        return;
    }
    do {
        n = gzread(f, got + at, (unsigned)(sizeof got - at));
        if (n > 0) at += (size_t)n;
    } while (n > 0 && at < sizeof got);
    CHECK_EQ(n, -1);
    CHECK(at <= expect_len && memcmp(got, expect, at) == 0);
    check_error(f, Z_DATA_ERROR, message);
    CHECK_EQ(gzgetc(f), -1); /* the macro: an error leaves nothing buffered */
    CHECK_EQ(gzread(f, got, 1), -1);
    CHECK_EQ(gzclose(f), Z_OK);
    note(what, before);
}

/* ---- the cases ---- */

/* Writes a file with every writing call; expect[] records what each wrote. */
static void write_api(const char *path) {
    static unsigned char noise[20000];
    gzFile f = gzopen(path, "wb9");
    long at;
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK_EQ(gzdirect(f), 0);
    CHECK_EQ(gztell(f), 0);
    CHECK_EQ(gzputs(f, "first line\n"), 11);
    expect_add("first line\n", 11);
    CHECK_EQ(gzputc(f, 'x'), 'x');
    CHECK_EQ(gzputc(f, 0x100 + 'y'), 'y'); /* converted to an unsigned char */
    CHECK_EQ(gzputc(f, '\n'), '\n');
    expect_add("xy\n", 3);
    CHECK_EQ(gzprintf(f, "%d %s %x %5.2f\n", -42, "str", 0xbeefu, 3.14159), 19);
    expect_add("-42 str beef  3.14\n", 19);
    CHECK_EQ(vprint(f, "%s=%c%03d\n", "answer", '#', 42), 12);
    expect_add("answer=#042\n", 12);
    /* 8191 bytes is gzprintf's limit with the default 8192-byte buffer;
       one more and it writes nothing and returns 0. */
    CHECK_EQ(gzprintf(f, "%*s\n", 8190, "pad"), 8191);
    expect_fill(' ', 8187);
    expect_add("pad\n", 4);
    CHECK_EQ(gzprintf(f, "%*s\n", 8191, "pad"), 0);
    CHECK_EQ(gzwrite(f, "", 0), 0);

    /* After a sync flush the file holds everything so far, and a reader
       gets all of it (then the end of the unfinished stream). */
    CHECK_EQ(gzflush(f, Z_SYNC_FLUSH), Z_OK);
    CHECK_EQ(gztell(f), expect_len);
    CHECK_EQ(gzoffset(f), file_size(path));
    read_cut("a file still being written", path, expect_len, expect_len);

    /* Other parameters for the next data only. */
    CHECK_EQ(gzsetparams(f, 1, Z_HUFFMAN_ONLY), Z_OK);
    fill_noise(noise, sizeof noise);
    CHECK_EQ(gzwrite(f, noise, sizeof noise), sizeof noise);
    expect_add(noise, sizeof noise);
    CHECK_EQ(gzsetparams(f, 9, Z_DEFAULT_STRATEGY), Z_OK);

    /* Seeking: never backward or from the end; forward writes zeros when
       the next data comes. */
    at = (long)expect_len;
    CHECK_EQ(gzseek(f, at - 1, SEEK_SET), -1);
    CHECK_EQ(gzseek(f, 0, SEEK_END), -1);
    CHECK_EQ(gzseek(f, 1000, SEEK_CUR), at + 1000);
    CHECK_EQ(gztell(f), at + 1000);
    CHECK_EQ(gzseek(f, at + 1500, SEEK_SET), at + 1500);
    CHECK_EQ(gztell(f), at + 1500);
    expect_fill(0, 1500);
    CHECK_EQ(gzputs(f, "after the zeros\n"), 16);
    expect_add("after the zeros\n", 16);
    CHECK_EQ(gzfwrite("0123456789ab", 3, 4, f), 4);
    expect_add("0123456789ab", 12);
    CHECK_EQ(gzputs(f, "no newline at the end"), 21);
    expect_add("no newline at the end", 21);
    CHECK_EQ(gztell(f), expect_len);
    CHECK_EQ(gzclose(f), Z_OK);
}

/* Reads that file back with every reading call. */
static void read_api(const char *path) {
    static unsigned char all[1 << 16];
    unsigned char piece[64];
    char line[64];
    size_t at, i;
    int errnum = 12345;
    gzFile f = gzopen(path, "rb");
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK_EQ(gzdirect(f), 0);
    CHECK_STR(gzgets(f, line, sizeof line), "first line\n");
    CHECK_STR(gzgets(f, line, 2), "x"); /* len - 1 characters at most */
    CHECK_EQ(gzgetc(f), 'y');
    CHECK_EQ(gzgetc_(f), '\n');
    CHECK_EQ(gztell(f), 14);
    CHECK_EQ(gzungetc('\n', f), '\n');
    CHECK_EQ(gztell(f), 13);
    CHECK_EQ(gzungetc(-1, f), -1);
    CHECK_EQ(gzgetc(f), '\n');
    CHECK_STR(gzgets(f, line, sizeof line), "-42 str beef  3.14\n");
    CHECK_STR(gzgets(f, line, sizeof line), "answer=#042\n");
    CHECK_EQ(gzeof(f), 0);
    CHECK_STR(gzerror(f, &errnum), "");
    CHECK_EQ(errnum, Z_OK);

    /* The padded line through the gzgetc macro, which takes bytes from the
       gzFile_s fields: gztell must count them, gzread go on after them. */
    at = (size_t)gztell(f);
    for (i = 0; i < 8191 && gzgetc(f) == expect[at + i]; i++)
        ;
    CHECK_EQ(i, 8191);
    at += 8191;
    CHECK_EQ(gztell(f), at);

    /* Within the noise: a read, a forward seek, a backward one (emulated by
       rewinding), and the seeks zlib refuses. */
    CHECK_EQ(gzread(f, piece, sizeof piece), sizeof piece);
    CHECK(memcmp(piece, expect + at, sizeof piece) == 0);
    CHECK_EQ(gzseek(f, (long)at + 5000, SEEK_SET), (long)at + 5000);
    CHECK_EQ(gzread(f, piece, sizeof piece), sizeof piece);
    CHECK(memcmp(piece, expect + at + 5000, sizeof piece) == 0);
    CHECK_EQ(gzseek(f, -3000, SEEK_CUR), (long)at + 2064);
    CHECK_EQ(gztell(f), (long)at + 2064);
    CHECK_EQ(gzread(f, piece, sizeof piece), sizeof piece);
    CHECK(memcmp(piece, expect + at + 2064, sizeof piece) == 0);
    CHECK_EQ(gzseek(f, -1, SEEK_SET), -1);
    CHECK_EQ(gzseek(f, 0, SEEK_END), -1);

    /* From the start again, then everything left in one request that asks
       for more: short, and only then at end of file. */
    CHECK_EQ(gzrewind(f), 0);
    CHECK_EQ(gztell(f), 0);
    CHECK_EQ(gzgetc(f), 'f');
    CHECK_EQ(gzread(f, all, sizeof all), expect_len - 1);
    CHECK(memcmp(all, expect + 1, expect_len - 1) == 0);
    CHECK_EQ(gzeof(f), 1);
    CHECK_EQ(gztell(f), expect_len);
    CHECK_EQ(gzoffset(f), file_size(path));
    CHECK_EQ(gzread(f, all, 1), 0);
    CHECK_EQ(gzgetc(f), -1);
    CHECK(gzgets(f, line, sizeof line) == NULL);
    CHECK_EQ(gzclose(f), Z_OK);

    read_back("the file in pieces", gzopen(path, "rb"), 0, expect, expect_len, 0);
}

/* Pushed-back characters come first, the last pushed first; a rewind
 * drops them. */
static void pushback(const char *path) {
    gzFile f = gzopen(path, "rb");
    CHECK(f != NULL);
    if (f == NULL) return;
    /* Right after gzopen, more than one push is allowed. */
    CHECK_EQ(gzungetc('A', f), 'A');
    CHECK_EQ(gzungetc('B', f), 'B');
    CHECK_EQ(gzgetc(f), 'B');
    CHECK_EQ(gzgetc(f), 'A');
    CHECK_EQ(gzgetc(f), expect[0]);
    CHECK_EQ(gzungetc('Z', f), 'Z');
    CHECK_EQ(gzrewind(f), 0);
    CHECK_EQ(gzgetc(f), expect[0]);
    CHECK_EQ(gzclose(f), Z_OK);
}

/* Files that stop early, a damaged trailer, and trailing garbage. */
static void damaged(const char *path) {
    long size = file_size(path);
    CHECK(size > 100);
    if (size <= 100) return;
    read_cut("a file cut in its header", copy_of(path, "cut-head.gz", 5, -1, ""), 0, 0);
    read_cut("a file cut in half", copy_of(path, "cut-half.gz", (size_t)size / 2, -1, ""), 0,
             expect_len - 1);
    read_cut("a file cut in its trailer", copy_of(path, "cut-tail.gz", (size_t)size - 4, -1, ""),
             expect_len, expect_len);
    read_corrupt("a wrong CRC", copy_of(path, "bad-crc.gz", (size_t)size, size - 8, ""),
                 "incorrect data check");
    read_corrupt("a wrong length", copy_of(path, "bad-len.gz", (size_t)size, size - 4, ""),
                 "incorrect length check");
    /* Something other than gzip after a gzip stream is ignored. */
    read_back("trailing garbage", gzopen(copy_of(path, "garbage.gz", (size_t)size, -1, "garbage\n"), "rb"),
              0, expect, expect_len, 0);
}

/* Files that are not gzip: read and written as they are. */
static void transparent(void) {
    static const char text[] = "plain text, not gzip\nsecond line\n";
    const char *plain = file_with("plain.txt", text), *empty = file_with("empty", "");
    const char *raw = temp_path("raw.txt");
    size_t len;
    unsigned char *data;
    read_back("a plain text file", gzopen(plain, "rb"), 0, text, sizeof text - 1, 1);
    read_back("an empty file", gzopen(empty, "rb"), 0, "", 0, 1);
    write_pieces("writing with wT", raw, "wT", 0, expect, expect_len);
    data = slurp(raw, &len);
    CHECK(data != NULL && len == expect_len && memcmp(data, expect, len) == 0);
    free(data);
    read_back("a file written with wT", gzopen(raw, "rb"), 0, expect, expect_len, 1);
}

/* "ab" adds a gzip member after what the file holds, and gzflush(Z_FINISH)
 * ends a member mid-file; reading gives the members' data in order. */
static void members(void) {
    const char *path = temp_path("members.gz");
    size_t half = expect_len / 2;
    long first;
    gzFile f;
    write_pieces("the first member", path, "wb", 0, expect, half);
    first = file_size(path);
    f = gzopen(path, "ab");
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK_EQ(gzoffset(f), first); /* the member before counts */
    CHECK_EQ(gztell(f), 0);       /* uncompressed data counts from here */
    CHECK_EQ(gzwrite(f, expect + half, 100), 100);
    CHECK_EQ(gzflush(f, Z_FINISH + 1), Z_STREAM_ERROR);
    CHECK_EQ(gzflush(f, Z_FINISH), Z_OK);
    CHECK_EQ(gzwrite(f, expect + half + 100, (unsigned)(expect_len - half - 100)),
             expect_len - half - 100);
    CHECK_EQ(gzclose(f), Z_OK);
    read_back("three members", gzopen(path, "rb"), 0, expect, expect_len, 0);
}

/* gzdopen on an fd from open() and on a pipe; gzclose closes the fd. */
static void descriptors(const char *path) {
    int fd = open(path, O_RDONLY), pipe_fds[2];
    gzFile f;
    CHECK(fd >= 0);
    read_back("gzdopen of open()", gzdopen(fd, "rb"), 0, expect, expect_len, 0);
    CHECK_EQ(fcntl(fd, F_GETFD), -1);
    CHECK(gzdopen(-1, "rb") == NULL);

    /* Less than a pipe holds, so one process can write, then read. */
    CHECK_EQ(pipe(pipe_fds), 0);
    f = gzdopen(pipe_fds[1], "wb");
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK_EQ(gzwrite(f, expect, 4000), 4000);
    CHECK_EQ(gzclose(f), Z_OK);
    read_back("gzdopen of a pipe", gzdopen(pipe_fds[0], "rb"), 0, expect, 4000, 0);
}

/* gzbuffer(64) before the first read or write changes no data, only
 * gzprintf's limit; after it, gzbuffer is refused. */
static void small_buffer(const char *path) {
    const char *small = temp_path("buffer64.gz"), *printed = temp_path("printf64.gz");
    char spaces[63];
    gzFile f;
    write_pieces("writing with gzbuffer 64", small, "wb", 64, expect, expect_len);
    read_back("a file written with gzbuffer 64", gzopen(small, "rb"), 0, expect, expect_len, 0);
    read_back("reading with gzbuffer 64", gzopen(path, "rb"), 64, expect, expect_len, 0);

    f = gzopen(path, "rb");
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK_EQ(gzgetc(f), expect[0]);
    CHECK_EQ(gzbuffer(f, 64), -1);
    CHECK_EQ(gzclose(f), Z_OK);

    f = gzopen(printed, "wb");
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK_EQ(gzbuffer(f, 64), 0);
    CHECK_EQ(gzprintf(f, "%*s", 63, "x"), 63);
    CHECK_EQ(gzprintf(f, "%*s", 64, "x"), 0);
    CHECK_EQ(gzclose(f), Z_OK);
    memset(spaces, ' ', sizeof spaces);
    spaces[62] = 'x';
    read_back("gzprintf with gzbuffer 64", gzopen(printed, "rb"), 0, spaces, sizeof spaces, 0);
}

/* Bad modes and paths, calls in the wrong direction, requests too large. */
static void misuse(const char *path) {
    const char *written = temp_path("misuse.gz");
    char buf[16];
    gzFile r, w;
    CHECK(gzopen(temp_path("missing.gz"), "rb") == NULL);
    CHECK(gzopen(path, "r+") == NULL); /* reading and writing at once */
    CHECK(gzopen(path, "b") == NULL);  /* neither r, w nor a */
    CHECK(gzopen(path, "wbx") == NULL); /* x: the file must not exist */
    r = gzopen(path, "rb");
    w = gzopen(written, "wb");
    CHECK(r != NULL && w != NULL);
    if (r == NULL || w == NULL) return;

    CHECK_EQ(gzwrite(r, "x", 1), 0);
    CHECK_EQ(gzfwrite("x", 1, 1, r), 0);
    CHECK_EQ(gzputc(r, 'x'), -1);
    CHECK_EQ(gzputs(r, "x"), -1);
    CHECK_EQ(gzprintf(r, "x"), Z_STREAM_ERROR);
    CHECK_EQ(gzflush(r, Z_SYNC_FLUSH), Z_STREAM_ERROR);
    CHECK_EQ(gzsetparams(r, 1, Z_DEFAULT_STRATEGY), Z_STREAM_ERROR);
    CHECK_EQ(gzclose_w(r), Z_STREAM_ERROR);

    CHECK_EQ(gzread(w, buf, sizeof buf), -1);
    CHECK_EQ(gzfread(buf, 1, sizeof buf, w), 0);
    CHECK_EQ(gzgetc_(w), -1);
    CHECK(gzgets(w, buf, sizeof buf) == NULL);
    CHECK_EQ(gzungetc('x', w), -1);
    CHECK_EQ(gzrewind(w), -1);
    CHECK_EQ(gzeof(w), 0);
    CHECK_EQ(gzclose_r(w), Z_STREAM_ERROR); /* w stays open */

    /* Sizes that do not fit the result: nothing read or written. */
    CHECK_EQ(gzfread(buf, 2, ((z_size_t)-1) / 2 + 1, r), 0);
    check_error(r, Z_STREAM_ERROR, "");
    gzclearerr(r);
    CHECK_STR(gzerror(r, NULL), "");
    CHECK_EQ(gzread(r, buf, (unsigned)INT_MAX + 1), -1);
    check_error(r, Z_STREAM_ERROR, "");
    CHECK_EQ(gzfwrite(buf, 2, ((z_size_t)-1) / 2 + 1, w), 0);
    CHECK_EQ(gzwrite(w, buf, (unsigned)INT_MAX + 1), 0);
    gzclose(r);
    gzclose(w);
    read_back("a file after refused writes", gzopen(written, "rb"), 0, "", 0, 0);
}

/* A NULL gzFile: zlib's error value from every call, and no crash. */
static void null_file(void) {
    char buf[4];
    int errnum = 12345;
    CHECK(gzopen(NULL, "rb") == NULL);
    CHECK_EQ(gzread(NULL, buf, 1), -1);
    CHECK_EQ(gzwrite(NULL, "x", 1), 0);
    CHECK_EQ(gzfread(buf, 1, 1, NULL), 0);
    CHECK_EQ(gzfwrite("x", 1, 1, NULL), 0);
    CHECK_EQ(gzputc(NULL, 'x'), -1);
    CHECK_EQ(gzputs(NULL, "x"), -1);
    CHECK_EQ(gzprintf(NULL, "x"), Z_STREAM_ERROR);
    CHECK_EQ(gzgetc_(NULL), -1);
    CHECK(gzgets(NULL, buf, sizeof buf) == NULL);
    CHECK_EQ(gzungetc('x', NULL), -1);
    CHECK_EQ(gzflush(NULL, Z_SYNC_FLUSH), Z_STREAM_ERROR);
    CHECK_EQ(gzsetparams(NULL, 1, Z_DEFAULT_STRATEGY), Z_STREAM_ERROR);
    CHECK_EQ(gzbuffer(NULL, 64), -1);
    CHECK_EQ(gzseek(NULL, 0, SEEK_SET), -1);
    CHECK_EQ(gzrewind(NULL), -1);
    CHECK_EQ(gztell(NULL), -1);
    CHECK_EQ(gzoffset(NULL), -1);
    CHECK_EQ(gzeof(NULL), 0);
    CHECK_EQ(gzdirect(NULL), 0);
    CHECK(gzerror(NULL, &errnum) == NULL);
    gzclearerr(NULL);
    CHECK_EQ(gzclose(NULL), Z_STREAM_ERROR);
    CHECK_EQ(gzclose_r(NULL), Z_STREAM_ERROR);
    CHECK_EQ(gzclose_w(NULL), Z_STREAM_ERROR);
}

int main(int argc, char **argv) {
    const char *tmp = getenv("TMPDIR"), *path;
    if (argc > 1)
        temp_dir = argv[1];
    else if (tmp != NULL && *tmp != '\0')
        temp_dir = tmp;
    path = temp_path("api.gz");
    write_api(path);
    read_api(path);
    pushback(path);
    damaged(path);
    transparent();
    members();
    descriptors(path);
    small_buffer(path);
    misuse(path);
    null_file();
    remove_temps();
    return check_done("gz");
}
