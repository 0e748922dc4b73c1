// Bytes and lines from an input path: plain files, gzip and xz (recognised by their magic bytes,
// decompressed on the fly in bounded memory) and "-" for standard input. Also the UTF-8 and
// binary checks every reader applies before parsing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace filmsearch::corpus {

// Default cap on one line or record (ReadOptions::max_record_bytes).
inline constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{256} << 20;

// One open input, decoded. Not copyable; reads are sequential (stdin cannot rewind), but the
// first bytes can be peeked at to sniff a format before reading.
class InputStream {
 public:
  // Opens `path` ("-" = standard input) and detects gzip/xz from the first bytes.
  // Throws InputError(path, reason) when the path cannot be opened or read.
  explicit InputStream(const std::string& path);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // The path as given ("-" for standard input).
  const std::string& path() const { return path_; }
  // "gzip", "xz" or "" (not compressed).
  std::string_view compression() const;

  // The decoded bytes buffered now, reading more when none are; empty at end of input. The view
  // stays valid until the next call to data() or peek(). Throws InputError on corrupt data.
  std::string_view data();
  // Marks the first `n` bytes of data() as read (n <= data().size()).
  void consume(std::size_t n);
  // At least `n` decoded bytes from the current position (fewer only at end of input), without
  // consuming them. Meant for sniffing: keep `n` small (at most a few hundred KiB).
  std::string_view peek(std::size_t n);

  // Bytes read from the file itself (compressed bytes for .gz/.xz) since the previous call.
  std::uint64_t take_bytes_read();

 private:
  struct Decoder;
  bool fill_more();  // appends decoded bytes to the buffer; false at end of input

  std::string path_;
  std::unique_ptr<Decoder> decoder_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;  // unread decoded bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool at_end_ = false;
};

// One line of an InputStream, as returned by LineReader::next.
struct Line {
  std::string_view text;     // without "\n" or "\r\n"; valid UTF-8; empty when too_long
  std::size_t number = 0;    // 1-based line number in the (decoded) input
  std::uint64_t size = 0;    // length in bytes as read, before any repair
  bool too_long = false;     // longer than the cap: skipped without being kept in memory
  bool repaired = false;     // invalid UTF-8 was replaced with U+FFFD
};

// Splits an InputStream into lines: LF or CRLF endings, a last line without a newline, a UTF-8
// byte order mark at the start dropped. Lines are checked for UTF-8 and repaired.
class LineReader {
 public:
  // `in` must outlive the reader. Lines longer than `max_line_bytes` come back as too_long.
  explicit LineReader(InputStream& in, std::size_t max_line_bytes = kDefaultMaxRecordBytes);

  // Reads the next line into `line`; false at end of input. `line.text` stays valid until the
  // next call. Throws InputError on corrupt compressed data.
  bool next(Line& line);

 private:
  InputStream& in_;
  std::size_t max_line_bytes_;
  std::size_t number_ = 0;
  std::string pending_;   // a line that crossed a buffer boundary
  std::string repaired_;  // a line whose UTF-8 was repaired
};

// Reads the rest of `in` into a string (UTF-8 BOM dropped, no repair). Returns false, leaving
// `out` empty and the input drained, when the input is longer than `max_bytes`.
bool read_all(InputStream& in, std::size_t max_bytes, std::string& out);

// True when `text` is valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);
// `text` with every invalid byte sequence replaced by U+FFFD (one per maximal invalid prefix).
std::string repair_utf8(std::string_view text);
// Offset of the first invalid UTF-8 sequence in `text`, or text.size() when valid.
std::size_t find_invalid_utf8(std::string_view text);

// True when the first bytes of a file do not look like text: a NUL byte, or more than 30%
// control bytes and invalid UTF-8. A valid sequence cut off at the end of `head` counts as text.
bool looks_binary(std::string_view head);

}  // namespace filmsearch::corpus
