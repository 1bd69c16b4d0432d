// zstream.hpp -- a small header-only C++17 RAII wrapper over z_stream:
// zs::Deflater and zs::Inflater compress and decompress a whole
// std::string or std::vector<(unsigned) char> through small fixed buffers.
//
// Compiles against either interface of rzlib:
//   default            zlib's names, from "zlib.h" (rzlib drop-in, or zlib);
//   -DZSTREAM_RZ       rzlib's rz_ names, from "rzlib.h" (the default build).
// ZSTREAM_FN(name) names the function of the selected interface, so callers
// can reach the rest of the library (checksums...) the same way.
#ifndef ZSTREAM_HPP
#define ZSTREAM_HPP

#ifdef ZSTREAM_RZ
#include "rzlib.h"
#define ZSTREAM_FN(name) rz_##name
#else
#include "zlib.h"
#define ZSTREAM_FN(name) name
#endif

#include <algorithm>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

namespace zs {

// Input slice and output buffer size: small on purpose, so that every
// stream goes through many deflate/inflate calls, as real streaming does.
constexpr std::size_t kChunk = 1024;

namespace detail {

[[noreturn]] inline void fail(const char *what, int rc, const z_stream *s) {
    // zlib sets msg for data errors; other codes (Z_STREAM_ERROR from a bad
    // init argument, Z_NEED_DICT...) only have zError's text.
    const char *msg = (s != nullptr && s->msg != nullptr) ? s->msg : ZSTREAM_FN(zError)(rc);
    throw std::runtime_error(std::string(what) + ": " + msg);
}

// The library keeps a pointer back to the z_stream it initialised and
// rejects a stream that moved, so the z_stream lives on the heap and only the
// owning pointer moves. The deleter ends the stream before freeing it.
struct EndDeflate {
    void operator()(z_stream *s) const {
        // Ending a stream that never finished returns Z_DATA_ERROR but still
        // frees it; a destructor has nobody to report that to anyway.
        ZSTREAM_FN(deflateEnd)(s);
        delete s;
    }
};
struct EndInflate {
    void operator()(z_stream *s) const {
        ZSTREAM_FN(inflateEnd)(s);
        delete s;
    }
};

template <class End>
using StreamPtr = std::unique_ptr<z_stream, End>;

template <class Bytes>
void append(Bytes &out, const unsigned char *buf, std::size_t n) {
    out.insert(out.end(), buf, buf + n);
}

template <class Bytes>
Bytef *input(const Bytes &in) {
    static_assert(sizeof(typename Bytes::value_type) == 1, "byte containers only");
    // zlib's next_in is not const unless ZLIB_CONST; it never writes through it.
    return const_cast<Bytef *>(reinterpret_cast<const Bytef *>(in.data()));
}

}  // namespace detail

class Deflater {
public:
    // windowBits 15: zlib wrapper; 31: gzip; -15: raw deflate.
    explicit Deflater(int level = Z_DEFAULT_COMPRESSION, int windowBits = 15,
                      int memLevel = 8, int strategy = Z_DEFAULT_STRATEGY) {
        std::unique_ptr<z_stream> s(new z_stream());  // zalloc/zfree/opaque = Z_NULL
        int rc = ZSTREAM_FN(deflateInit2)(s.get(), level, Z_DEFLATED, windowBits,
                                          memLevel, strategy);
        if (rc != Z_OK) detail::fail("deflateInit2", rc, s.get());
        strm_.reset(s.release());  // only an initialised stream gets deflateEnd
    }
    Deflater(const Deflater &) = delete;
    Deflater &operator=(const Deflater &) = delete;
    Deflater(Deflater &&) noexcept = default;
    Deflater &operator=(Deflater &&) noexcept = default;  // ends the old stream

    // Compresses all of `in` into one complete stream. The Deflater is reset
    // first, so it can be reused for any number of independent inputs.
    template <class Bytes>
    Bytes compress(const Bytes &in) {
        z_stream *s = stream();
        int rc = ZSTREAM_FN(deflateReset)(s);
        if (rc != Z_OK) detail::fail("deflateReset", rc, s);

        Bytes out;
        unsigned char buf[kChunk];
        Bytef *next = detail::input(in);
        std::size_t left = in.size();
        int flush;
        do {
            // avail_in is an unsigned int: slicing also keeps huge inputs legal.
            std::size_t n = std::min(left, kChunk);
            s->next_in = next;
            s->avail_in = static_cast<uInt>(n);
            next += n;
            left -= n;
            flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
            // Drain the output until deflate leaves space unused: then it has
            // taken the whole slice (and, with Z_FINISH, ended the stream).
            do {
                s->next_out = buf;
                s->avail_out = static_cast<uInt>(kChunk);
                rc = ZSTREAM_FN(deflate)(s, flush);
                // Z_BUF_ERROR only says this call could make no progress.
                if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                    detail::fail("deflate", rc, s);
                detail::append(out, buf, kChunk - s->avail_out);
            } while (s->avail_out == 0);
        } while (flush != Z_FINISH);
        if (rc != Z_STREAM_END || s->avail_in != 0)
            throw std::runtime_error("deflate: the stream did not end");
        return out;
    }

private:
    z_stream *stream() const {
        if (!strm_) throw std::runtime_error("zs::Deflater: used after being moved from");
        return strm_.get();
    }
    detail::StreamPtr<detail::EndDeflate> strm_;
};

class Inflater {
public:
    // windowBits 15: zlib wrapper; 31: gzip; 47: either; -15: raw deflate.
    explicit Inflater(int windowBits = 15) {
        std::unique_ptr<z_stream> s(new z_stream());  // next_in/avail_in = Z_NULL/0 too
        int rc = ZSTREAM_FN(inflateInit2)(s.get(), windowBits);
        if (rc != Z_OK) detail::fail("inflateInit2", rc, s.get());
        strm_.reset(s.release());
    }
    Inflater(const Inflater &) = delete;
    Inflater &operator=(const Inflater &) = delete;
    Inflater(Inflater &&) noexcept = default;
    Inflater &operator=(Inflater &&) noexcept = default;

    // Decompresses `in`, which must hold exactly one complete stream. The
    // Inflater is reset first, so it is usable again after an error.
    template <class Bytes>
    Bytes decompress(const Bytes &in) {
        z_stream *s = stream();
        int rc = ZSTREAM_FN(inflateReset)(s);
        if (rc != Z_OK) detail::fail("inflateReset", rc, s);

        Bytes out;
        unsigned char buf[kChunk];
        Bytef *next = detail::input(in);
        std::size_t left = in.size();
        s->avail_in = 0;
        while (rc != Z_STREAM_END) {
            if (s->avail_in == 0 && left != 0) {
                std::size_t n = std::min(left, kChunk);
                s->next_in = next;
                s->avail_in = static_cast<uInt>(n);
                next += n;
                left -= n;
            }
            s->next_out = buf;
            s->avail_out = static_cast<uInt>(kChunk);
            rc = ZSTREAM_FN(inflate)(s, Z_NO_FLUSH);
            detail::append(out, buf, kChunk - s->avail_out);
            // Z_BUF_ERROR: no progress was possible. With output space free,
            // inflate wants input; none left means the stream was cut short.
            // (Running out of input alone proves nothing: inflate may have
            // read it ahead while output is still pending.)
            if (rc == Z_BUF_ERROR && s->avail_in == 0) {
                if (left == 0) throw std::runtime_error("inflate: truncated stream");
                continue;
            }
            if (rc != Z_OK && rc != Z_STREAM_END) detail::fail("inflate", rc, s);
        }
        if (s->avail_in != 0 || left != 0)
            throw std::runtime_error("inflate: trailing data after the end of the stream");
        return out;
    }

    // The check value of the last stream: Adler-32 of the data for a zlib
    // stream, CRC-32 for a gzip stream (what its trailer carried).
    uLong checksum() const { return stream()->adler; }

private:
    z_stream *stream() const {
        if (!strm_) throw std::runtime_error("zs::Inflater: used after being moved from");
        return strm_.get();
    }
    detail::StreamPtr<detail::EndInflate> strm_;
};

}  // namespace zs

#endif  // ZSTREAM_HPP
