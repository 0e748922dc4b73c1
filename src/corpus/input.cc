#include "corpus/input.h"

#include <fcntl.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "error.h"

namespace filmsearch::corpus {
namespace {

constexpr std::size_t kRawBufferBytes = std::size_t{256} << 10;
constexpr std::size_t kDecodedBufferBytes = std::size_t{1} << 20;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

enum class Codec { kPlain, kGzip, kXz };

// Outcome of looking at one UTF-8 sequence.
enum class Utf8Seq { kValid, kInvalid, kTruncated };

bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

// Classifies the sequence starting at s[i] (a non-ASCII byte). `len` is its length when valid,
// else the length of the maximal invalid prefix to replace by one U+FFFD (at least 1).
Utf8Seq classify(const unsigned char* s, std::size_t i, std::size_t n, std::size_t& len) {
  const unsigned char c = s[i];
  std::size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    len = 1;
    return Utf8Seq::kInvalid;
  }
  std::size_t k = 1;
  for (; k <= need; ++k) {
    if (i + k >= n) {
      len = k;
      return Utf8Seq::kTruncated;
    }
    const unsigned char b = s[i + k];
    const bool ok = k == 1 ? (b >= lo && b <= hi) : is_cont(b);
    if (!ok) {
      len = k;
      return Utf8Seq::kInvalid;
    }
  }
  len = need + 1;
  return Utf8Seq::kValid;
}

// Skips ASCII eight bytes at a time: most corpus text is ASCII.
std::size_t skip_ascii(const unsigned char* s, std::size_t i, std::size_t n) {
  while (i + 8 <= n) {
    std::uint64_t v;
    std::memcpy(&v, s + i, 8);
    if (v & 0x8080808080808080ULL) break;
    i += 8;
  }
  while (i < n && s[i] < 0x80) ++i;
  return i;
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (true) {
    i = skip_ascii(s, i, n);
    if (i >= n) return n;
    std::size_t len;
    if (classify(s, i, n, len) != Utf8Seq::kValid) return i;
    i += len;
  }
}

bool is_valid_utf8(std::string_view text) { return find_invalid_utf8(text) == text.size(); }

std::string repair_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::string out;
  out.reserve(n + 16);
  std::size_t i = 0;
  while (i < n) {
    const std::size_t ascii_end = skip_ascii(s, i, n);
    out.append(text.data() + i, ascii_end - i);
    i = ascii_end;
    if (i >= n) break;
    std::size_t len;
    if (classify(s, i, n, len) == Utf8Seq::kValid) {
      out.append(text.data() + i, len);
    } else {
      out.append("\xEF\xBF\xBD");
    }
    i += len;
  }
  return out;
}

bool looks_binary(std::string_view head) {
  if (head.empty()) return false;
  if (head.find('\0') != std::string_view::npos) return true;
  const auto* s = reinterpret_cast<const unsigned char*>(head.data());
  const std::size_t n = head.size();
  std::size_t suspicious = 0;
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
           c != 0x1B) ||
          c == 0x7F) {
        ++suspicious;
      }
      ++i;
      continue;
    }
    std::size_t len;
    const Utf8Seq seq = classify(s, i, n, len);
    if (seq == Utf8Seq::kTruncated) break;  // cut off by the sniff window, not by the file
    if (seq == Utf8Seq::kInvalid) suspicious += len;
    i += len;
  }
  return suspicious * 10 > n * 3;
}

// The file descriptor and the decompressor behind an InputStream.
struct InputStream::Decoder {
  std::string path;
  int fd = -1;
  bool own_fd = false;
  bool raw_eof = false;
  Codec codec = Codec::kPlain;
  std::unique_ptr<unsigned char[]> raw{new unsigned char[kRawBufferBytes]};
  std::size_t raw_begin = 0;
  std::size_t raw_end = 0;
  std::uint64_t bytes_read = 0;
  z_stream zs{};
  bool zs_open = false;
  lzma_stream xz = LZMA_STREAM_INIT;
  bool xz_open = false;
  bool stream_done = false;

  ~Decoder() {
    if (zs_open) inflateEnd(&zs);
    if (xz_open) lzma_end(&xz);
    if (own_fd && fd >= 0) ::close(fd);
  }

  [[noreturn]] void fail(const std::string& what) const { throw InputError(path, what); }

  // Reads more raw bytes after raw_end (compacting first); false at end of file.
  bool read_raw() {
    if (raw_eof) return false;
    if (raw_begin == raw_end) raw_begin = raw_end = 0;
    if (raw_end == kRawBufferBytes) {
      std::memmove(raw.get(), raw.get() + raw_begin, raw_end - raw_begin);
      raw_end -= raw_begin;
      raw_begin = 0;
    }
    while (true) {
      const ssize_t got = ::read(fd, raw.get() + raw_end, kRawBufferBytes - raw_end);
      if (got < 0) {
        if (errno == EINTR) continue;
        fail(std::strerror(errno));
      }
      if (got == 0) {
        raw_eof = true;
        return false;
      }
      raw_end += static_cast<std::size_t>(got);
      bytes_read += static_cast<std::uint64_t>(got);
      return true;
    }
  }

  void start() {
    while (raw_end - raw_begin < 6 && read_raw()) {
    }
    const unsigned char* p = raw.get() + raw_begin;
    const std::size_t n = raw_end - raw_begin;
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B) {
      codec = Codec::kGzip;
      // 15 + 32: a gzip or zlib header, detected automatically.
      if (inflateInit2(&zs, 15 + 32) != Z_OK) fail("cannot start gzip decompression");
      zs_open = true;
    } else if (n >= 6 && std::memcmp(p, "\xFD" "7zXZ\0", 6) == 0) {
      codec = Codec::kXz;
      if (lzma_stream_decoder(&xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
        fail("cannot start xz decompression");
      }
      xz_open = true;
    }
  }

  // Decodes up to `cap` bytes into `out`; 0 only at end of input.
  std::size_t decode(char* out, std::size_t cap) {
    switch (codec) {
      case Codec::kPlain: {
        if (raw_begin == raw_end && !read_raw()) return 0;
        const std::size_t n = std::min(cap, raw_end - raw_begin);
        std::memcpy(out, raw.get() + raw_begin, n);
        raw_begin += n;
        return n;
      }
      case Codec::kGzip:
        return decode_gzip(out, cap);
      case Codec::kXz:
        return decode_xz(out, cap);
    }
    return 0;
  }

  std::size_t decode_gzip(char* out, std::size_t cap) {
    zs.next_out = reinterpret_cast<Bytef*>(out);
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(cap, 1u << 30));
    const uInt start_out = zs.avail_out;
    while (zs.avail_out == start_out) {
      if (raw_begin == raw_end && !read_raw()) {
        if (!stream_done) fail("truncated gzip data");
        return 0;
      }
      if (stream_done) {
        // Concatenated gzip members (as `cat a.gz b.gz` makes) are one stream.
        if (inflateReset(&zs) != Z_OK) fail("cannot restart gzip decompression");
        stream_done = false;
      }
      zs.next_in = raw.get() + raw_begin;
      zs.avail_in = static_cast<uInt>(raw_end - raw_begin);
      const int rc = inflate(&zs, Z_NO_FLUSH);
      raw_begin = raw_end - zs.avail_in;
      if (rc == Z_STREAM_END) {
        stream_done = true;
      } else if (rc == Z_BUF_ERROR) {
        // No progress possible with the input at hand: read more on the next round.
        if (zs.avail_in == 0) continue;
        fail("corrupt gzip data");
      } else if (rc != Z_OK) {
        fail(std::string("corrupt gzip data") + (zs.msg ? std::string(": ") + zs.msg : ""));
      }
    }
    return start_out - zs.avail_out;
  }

  std::size_t decode_xz(char* out, std::size_t cap) {
    if (stream_done) return 0;
    xz.next_out = reinterpret_cast<std::uint8_t*>(out);
    xz.avail_out = cap;
    while (xz.avail_out == cap) {
      if (raw_begin == raw_end) read_raw();
      xz.next_in = raw.get() + raw_begin;
      xz.avail_in = raw_end - raw_begin;
      const lzma_ret rc = lzma_code(&xz, raw_eof && xz.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
      raw_begin = raw_end - xz.avail_in;
      if (rc == LZMA_STREAM_END) {
        stream_done = true;
        break;
      }
      if (rc == LZMA_BUF_ERROR && raw_eof) fail("truncated xz data");
      if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
        fail(rc == LZMA_MEM_ERROR ? "out of memory decompressing xz data" : "corrupt xz data");
      }
    }
    return cap - xz.avail_out;
  }
};

InputStream::InputStream(const std::string& path) : path_(path), decoder_(new Decoder) {
  decoder_->path = path;
  if (path == "-") {
    decoder_->fd = STDIN_FILENO;
  } else {
    decoder_->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (decoder_->fd < 0) throw InputError(path, std::strerror(errno));
    decoder_->own_fd = true;
  }
  decoder_->start();
  capacity_ = kDecodedBufferBytes;
  buffer_.reset(new char[capacity_]);
}

InputStream::~InputStream() = default;

std::string_view InputStream::compression() const {
  switch (decoder_->codec) {
    case Codec::kGzip:
      return "gzip";
    case Codec::kXz:
      return "xz";
    case Codec::kPlain:
      break;
  }
  return "";
}

bool InputStream::fill_more() {
  if (at_end_) return false;
  if (end_ == capacity_) {
    if (begin_ > 0) {
      std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    } else {
      std::unique_ptr<char[]> bigger(new char[capacity_ * 2]);
      std::memcpy(bigger.get(), buffer_.get(), end_);
      buffer_ = std::move(bigger);
      capacity_ *= 2;
    }
  }
  const std::size_t n = decoder_->decode(buffer_.get() + end_, capacity_ - end_);
  if (n == 0) {
    at_end_ = true;
    return false;
  }
  end_ += n;
  return true;
}

std::string_view InputStream::data() {
  if (begin_ == end_) {
    begin_ = end_ = 0;
    fill_more();
  }
  return {buffer_.get() + begin_, end_ - begin_};
}

void InputStream::consume(std::size_t n) { begin_ += std::min(n, end_ - begin_); }

std::string_view InputStream::peek(std::size_t n) {
  while (end_ - begin_ < n && fill_more()) {
  }
  return {buffer_.get() + begin_, std::min(n, end_ - begin_)};
}

std::uint64_t InputStream::take_bytes_read() {
  const std::uint64_t n = decoder_->bytes_read;
  decoder_->bytes_read = 0;
  return n;
}

LineReader::LineReader(InputStream& in, std::size_t max_line_bytes)
    : in_(in), max_line_bytes_(max_line_bytes) {}

bool LineReader::next(Line& line) {
  pending_.clear();
  std::uint64_t size = 0;
  bool any = false;       // something (even an empty line) was read
  bool skipping = false;  // over the cap: count, don't keep
  bool in_pending = false;
  std::string_view text;
  while (true) {
    const std::string_view chunk = in_.data();
    if (chunk.empty()) {
      if (!any) return false;
      break;  // last line, no newline
    }
    any = true;
    const void* nl = std::memchr(chunk.data(), '\n', chunk.size());
    const std::size_t len =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - chunk.data()) : chunk.size();
    size += len;
    if (!skipping && size > max_line_bytes_) {
      skipping = true;
      std::string().swap(pending_);
    }
    if (!skipping) {
      if (nl && !in_pending) {
        text = chunk.substr(0, len);  // the common case: the whole line is in the buffer
      } else {
        pending_.append(chunk.data(), len);
        in_pending = true;
      }
    }
    in_.consume(nl ? len + 1 : len);
    if (nl) break;
  }
  ++number_;
  if (in_pending) text = pending_;
  if (skipping) text = {};
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (number_ == 1 && text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  line.number = number_;
  line.size = size;
  line.too_long = skipping;
  line.repaired = false;
  if (!is_valid_utf8(text)) {
    repaired_ = repair_utf8(text);
    text = repaired_;
    line.repaired = true;
  }
  line.text = text;
  return true;
}

bool read_all(InputStream& in, std::size_t max_bytes, std::string& out) {
  out.clear();
  bool fits = true;
  while (true) {
    const std::string_view chunk = in.data();
    if (chunk.empty()) break;
    if (fits && out.size() + chunk.size() > max_bytes) {
      fits = false;
      std::string().swap(out);
    }
    if (fits) out.append(chunk);
    in.consume(chunk.size());
  }
  if (fits && std::string_view(out).substr(0, kBom.size()) == kBom) out.erase(0, kBom.size());
  return fits;
}

}  // namespace filmsearch::corpus
