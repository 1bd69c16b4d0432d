// roundtrip.cpp -- exercises zstream.hpp: compresses and decompresses built-in
// inputs at levels 0, 1, 6 and 9, checks the library's crc32/adler32 against
// a plain reference, and checks that corrupt input reaches the caller as an
// exception carrying zlib's message. One line per check; exits 1 on any
// failure. Built by c_tests/run_cpp.sh with and without -DZSTREAM_RZ.
#include "zstream.hpp"

#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

using Bytes = std::vector<unsigned char>;

static int checks = 0, failures = 0;

static void report(bool ok, const std::string &line) {
    ++checks;
    if (!ok) ++failures;
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", line.c_str());
}

// Bit-at-a-time definitions of the two checksums, written from RFC 1952 and
// RFC 1950: slow but independent of the library under test.
template <class Data>
static std::uint32_t ref_crc32(const Data &d) {
    std::uint32_t c = 0xffffffffu;
    for (unsigned char b : d) {
        c ^= b;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return c ^ 0xffffffffu;
}

template <class Data>
static std::uint32_t ref_adler32(const Data &d) {
    std::uint32_t a = 1, b = 0;
    for (unsigned char x : d) {
        a = (a + x) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

template <class Data>
static const Bytef *bytes(const Data &d, std::size_t from = 0) {
    return reinterpret_cast<const Bytef *>(d.data()) + from;
}

static std::string hex(unsigned long v) {
    char s[16];
    std::snprintf(s, sizeof s, "0x%08lx", v);
    return s;
}

// Level by level round trips, then both checksums: the library's in one call
// and in two, the reference's, and the one the stream's trailer carried.
template <class Data>
static void roundtrip(const std::string &name, const Data &data) {
    zs::Inflater inflater;  // one for all levels: decompress resets it
    for (int level : {0, 1, 6, 9}) {
        std::string line = name + " level " + std::to_string(level) + ": ";
        try {
            zs::Deflater deflater(level);
            Data packed = deflater.compress(data);
            Data back = inflater.decompress(packed);
            bool ok = back == data && inflater.checksum() == ref_adler32(data);
            report(ok, line + std::to_string(data.size()) + " -> " +
                           std::to_string(packed.size()) + " -> " +
                           std::to_string(back.size()) + " bytes");
        } catch (const std::exception &e) {
            report(false, line + e.what());
        }
    }

    std::size_t half = data.size() / 2, rest = data.size() - half;
    try {
        zs::Deflater gzip(6, 31);
        zs::Inflater gunzip(31);
        bool exact = gunzip.decompress(gzip.compress(data)) == data;
        uLong whole = ZSTREAM_FN(crc32_z)(0, bytes(data), data.size());
        uLong split = ZSTREAM_FN(crc32_z)(ZSTREAM_FN(crc32_z)(0, bytes(data), half),
                                          bytes(data, half), rest);
        report(exact && whole == ref_crc32(data) && split == whole && gunzip.checksum() == whole,
               "crc32 " + name + ": " + hex(whole) +
                   " (reference, two calls, gzip trailer of a gzip round trip)");
    } catch (const std::exception &e) {
        report(false, "crc32 " + name + ": " + e.what());
    }
    uLong whole = ZSTREAM_FN(adler32_z)(1, bytes(data), data.size());
    uLong split = ZSTREAM_FN(adler32_z)(ZSTREAM_FN(adler32_z)(1, bytes(data), half),
                                        bytes(data, half), rest);
    // The level loop already compared each zlib trailer with the reference.
    report(whole == ref_adler32(data) && split == whole,
           "adler32 " + name + ": " + hex(whole) + " (reference, two calls)");
}

// Runs `f`, which must throw a std::runtime_error whose text contains `want`.
static void expect_error(const std::string &name, const std::function<void()> &f,
                         const std::string &want) {
    try {
        f();
        report(false, name + ": no exception (wanted \"" + want + "\")");
    } catch (const std::runtime_error &e) {
        std::string what = e.what();
        report(what.find(want) != std::string::npos, name + ": \"" + what + "\"");
    }
}

static void errors(const Bytes &sample) {
    zs::Inflater inflater;
    Bytes good = zs::Deflater(6).compress(sample);

    expect_error("not zlib data", [&] { inflater.decompress(std::string("plain text, no header")); },
                 "incorrect header check");
    Bytes bad_check = good;
    bad_check.back() ^= 0x01;  // last byte of the Adler-32 trailer
    expect_error("damaged trailer", [&] { inflater.decompress(bad_check); }, "incorrect data check");
    Bytes bad_block = good;
    bad_block[2] |= 0x06;  // first block's type becomes 3, which is reserved
    expect_error("reserved block type", [&] { inflater.decompress(bad_block); },
                 "invalid block type");
    Bytes cut(good.begin(), good.end() - 3);
    expect_error("truncated stream", [&] { inflater.decompress(cut); }, "truncated");
    Bytes extra = good;
    extra.push_back(0);
    expect_error("data after the stream", [&] { inflater.decompress(extra); }, "trailing data");
    // Every failure above left the stream mid-way; decompress resets it.
    try {
        report(inflater.decompress(good) == sample, "same Inflater after errors: round trip exact");
    } catch (const std::exception &e) {
        report(false, std::string("same Inflater after errors: ") + e.what());
    }

    expect_error("Deflater level 42", [] { zs::Deflater d(42); }, "stream error");
    expect_error("Inflater windowBits 3", [] { zs::Inflater i(3); }, "stream error");
}

// The z_stream must not move with its owner (the library checks its address).
static void moves(const Bytes &sample) {
    try {
        zs::Deflater first(9);
        zs::Deflater second(std::move(first));
        zs::Inflater a, b;
        b = std::move(a);  // b's own stream is ended here
        report(b.decompress(second.compress(sample)) == sample,
               "moved Deflater and Inflater: round trip exact");
        expect_error("moved-from Deflater", [&] { first.compress(sample); }, "moved from");
        expect_error("moved-from Inflater", [&] { a.decompress(sample); }, "moved from");
    } catch (const std::exception &e) {
        report(false, std::string("moves: ") + e.what());
    }
}

int main() {
#ifdef ZSTREAM_RZ
    const char *names = "rz_ names (rzlib.h)";
#else
    const char *names = "zlib names (zlib.h)";
#endif
    std::printf("roundtrip: %s, library %s; data generated here (no corpus needed)\n", names,
                ZSTREAM_FN(zlibVersion)());

    // Known check values, so that the references above are trustworthy.
    const std::string digits = "123456789";
    report(ref_crc32(digits) == 0xcbf43926u && ref_adler32(digits) == 0x091e01deu,
           "reference checksums of \"123456789\"");

    const std::string text =
        "A z_stream is a small struct with a large job: it carries the caller's\n"
        "buffers into deflate and inflate, and the library's state back out.\n"
        "The wrapper owns one, ends it exactly once, and turns every error code\n"
        "into an exception that says what went wrong, in zlib's own words.\n";

    Bytes binary(64 * 1024);  // alternating 4 KiB runs: noise, then a 16-symbol alphabet
    std::uint32_t x = 2463534242u;
    for (std::size_t i = 0; i < binary.size(); ++i) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;  // xorshift32
        binary[i] = static_cast<unsigned char>((i / 4096) % 2 ? x >> 24 : (x >> 24) & 0x0f);
    }

    std::string repetitive;
    for (int i = 0; repetitive.size() < 300 * 1024; ++i)
        repetitive += "line " + std::to_string(i % 64) + " of a repetitive log\n";

    try {
        roundtrip("text", text);
        roundtrip("binary", binary);
        roundtrip("empty", Bytes());
        roundtrip("one byte", std::string(1, '\x7f'));
        roundtrip("repetitive", repetitive);
        errors(Bytes(text.begin(), text.end()));
        moves(binary);
    } catch (const std::exception &e) {
        report(false, std::string("unexpected exception: ") + e.what());
    }

    std::printf("roundtrip: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
