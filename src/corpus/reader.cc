#include "corpus/reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <cstdlib>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "corpus/csv_reader.h"
#include "corpus/page/charset.h"
#include "corpus/spoilers.h"
#include "corpus/page_parser.h"
#include "corpus/record_json.h"
#include "corpus/values.h"
#include "error.h"
#include "text/language.h"

namespace filmsearch::corpus {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using Severity = Diagnostic::Severity;

constexpr std::size_t kSniffBytes = 64 << 10;
constexpr std::size_t kBinarySniffBytes = 8 << 10;

// looks_binary for a file named .html: its bytes may be in any 8-bit or multibyte charset, so
// invalid UTF-8 alone proves nothing. Binary: a NUL (outside a UTF-16 page with its byte order
// mark), more than 10% control bytes, or no markup at all in bytes that are not text.
bool looks_binary_markup(std::string_view head) {
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) return false;
  if (head.find('\0') != std::string_view::npos) return true;
  std::size_t control = 0;
  for (char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) || c == 0x7F) {
      ++control;
    }
  }
  if (control * 10 > head.size()) return true;
  return head.find('<') == std::string_view::npos && looks_binary(head);
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Names a folder walk leaves alone: documentation next to the data, hidden files.
bool skipped_in_folder(std::string_view name) {
  if (name.empty() || name.front() == '.') return true;
  const std::string lower = lower_ascii(name);
  for (std::string_view prefix : {"readme", "format", "license", "licence", "attribution"}) {
    if (lower.starts_with(prefix)) return true;
  }
  return false;
}

// nlohmann's messages start with "[json.exception.parse_error.101] " and count lines within
// what it was given; for one line of JSON Lines only the column matters.
std::string json_error_message(const std::string& what, bool single_line) {
  std::string m = what;
  if (m.starts_with("[json.exception.")) {
    const auto end = m.find("] ");
    if (end != std::string::npos) m.erase(0, end + 2);
  }
  if (single_line) {
    const std::string at_line = "at line 1, column";
    if (const auto pos = m.find(at_line); pos != std::string::npos) {
      m.replace(pos, at_line.size(), "at column");
    }
  }
  return m;
}

std::string_view skip_bom_and_space(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r')) {
    s.remove_prefix(1);
  }
  return s;
}

// The message of an InputError without its "where: " prefix (the Diagnostic carries it).
std::string message_of(const InputError& e) {
  const std::string what = e.what();
  if (!e.where().empty() && what.starts_with(e.where() + ": ")) {
    return what.substr(e.where().size() + 2);
  }
  return what;
}

// Decoded bytes of a JSON array for nlohmann's parser, one character at a time from a buffer
// (the parser's iterator adapter inlines this, so there is no call per byte). Invalid UTF-8 is
// repaired chunk by chunk, keeping a sequence cut by a chunk boundary for the next chunk.
class ArrayBytes {
 public:
  ArrayBytes(InputStream& in, std::function<void(std::size_t)> on_repair)
      : in_(in), on_repair_(std::move(on_repair)) {
    refill();
  }

  bool at_end() const { return p_ == end_; }
  char current() const { return *p_; }
  void advance() {
    if (++p_ == end_) refill();
  }

 private:
  // Bytes at the end of `s` that start a UTF-8 sequence longer than what is left.
  static std::size_t incomplete_tail(std::string_view s) {
    for (std::size_t k = 1; k <= 3 && k <= s.size(); ++k) {
      const auto c = static_cast<unsigned char>(s[s.size() - k]);
      if (c < 0x80) return 0;
      if (c >= 0xC0) {
        const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        return need > k ? k : 0;
      }
    }
    return 0;
  }

  void refill() {
    p_ = end_ = nullptr;
    while (true) {
      std::string_view chunk = in_.data();
      if (chunk.empty()) {
        if (carry_.empty()) return;
        owned_ = repair_utf8(carry_);  // a sequence cut off by the end of the file
        on_repair_(line_);
        carry_.clear();
        set(owned_);
        return;
      }
      if (carry_.empty() && incomplete_tail(chunk) == 0 && is_valid_utf8(chunk)) {
        line_ += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
        set(chunk);
        in_.consume(chunk.size());
        return;
      }
      std::string joined = std::move(carry_);
      joined.append(chunk);
      in_.consume(chunk.size());
      const std::size_t tail = incomplete_tail(joined);
      carry_ = joined.substr(joined.size() - tail);
      joined.resize(joined.size() - tail);
      const std::size_t bad = find_invalid_utf8(joined);
      if (bad < joined.size()) {
        on_repair_(line_ + static_cast<std::size_t>(
                               std::count(joined.begin(), joined.begin() + bad, '\n')));
        owned_ = repair_utf8(joined);
      } else {
        owned_ = std::move(joined);
      }
      line_ += static_cast<std::size_t>(std::count(owned_.begin(), owned_.end(), '\n'));
      if (!owned_.empty()) {
        set(owned_);
        return;
      }
    }
  }

  void set(std::string_view s) {
    p_ = s.data();
    end_ = s.data() + s.size();
  }

  InputStream& in_;
  std::function<void(std::size_t)> on_repair_;
  std::string carry_;
  std::string owned_;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  std::size_t line_ = 1;
};

// An input iterator over ArrayBytes; a default-constructed one is the end.
class ArrayByteIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  ArrayByteIterator() = default;
  explicit ArrayByteIterator(ArrayBytes* bytes) : bytes_(bytes) {}
  char operator*() const { return bytes_->current(); }
  ArrayByteIterator& operator++() {
    bytes_->advance();
    return *this;
  }
  ArrayByteIterator operator++(int) {
    ArrayByteIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const ArrayByteIterator& other) const { return done() == other.done(); }
  bool operator!=(const ArrayByteIterator& other) const { return !(*this == other); }

 private:
  bool done() const { return bytes_ == nullptr || bytes_->at_end(); }
  ArrayBytes* bytes_ = nullptr;
};

// Reads one file or standard input; reports through the callbacks.
class FileReader {
 public:
  FileReader(const ReadOptions& options, const ReadCallbacks& callbacks)
      : options_(options), callbacks_(callbacks) {}

  // The path given on the command line that the next files come from (a folder or a file).
  void set_root(const std::string& root) { root_ = root; }

  void read(const std::string& path, InputFormat format) {
    path_ = path;
    languages_.clear();
    std::unique_ptr<InputStream> in;
    try {
      in = std::make_unique<InputStream>(path);
    } catch (const InputError& e) {
      report(Severity::kError, path, 0, "cannot open: " + message_of(e) + "; skipped");
      return;
    }
    try {
      read_stream(*in, path, format);
    } catch (const InputError& e) {
      // Corrupt compressed data or a read error: what was read so far stays read.
      report(Severity::kError, path, 0, message_of(e) + "; rest of the file skipped");
    }
    progress(*in);
  }

  void report(Severity severity, const std::string& source, std::size_t line,
              std::string message) const {
    if (callbacks_.on_diagnostic) callbacks_.on_diagnostic({severity, source, line, std::move(message)});
  }

 private:
  void progress(InputStream& in) {
    if (const std::uint64_t n = in.take_bytes_read(); n > 0 && callbacks_.on_bytes) {
      callbacks_.on_bytes(n);
    }
  }

  // Every record leaves the readers here, whatever its format: the one spoiler pass runs here.
  void emit(Record&& record) {
    check_language(record);
    apply_spoiler_policy(record, options_.spoilers);
    if (callbacks_.on_record) callbacks_.on_record(std::move(record));
  }

  // A language value ICU does not know ("Klingon", "xx") is undetermined (""), never a language
  // of its own; reported once per file and value, not once per record.
  void check_language(Record& record) {
    if (record.lang.empty()) return;
    auto it = languages_.find(record.lang);
    if (it == languages_.end()) {
      const bool known = text::normalize_language(record.lang).has_value();
      it = languages_.emplace(record.lang, known).first;
      if (!known) {
        std::size_t line = 0;
        const std::string& o = record.origin;
        if (o.size() > path_.size() && o.starts_with(path_) && o[path_.size()] == ':') {
          line = std::strtoull(o.c_str() + path_.size() + 1, nullptr, 10);
        }
        report(Severity::kWarning, path_, line,
               "field \"lang\": unknown language \"" + record.lang +
                   "\"; read as undetermined (said once for this file)");
      }
    }
    if (!it->second) record.lang.clear();
  }

  void emit_warnings() {
    for (const auto& w : warnings_) {
      if (callbacks_.on_diagnostic) callbacks_.on_diagnostic(w);
    }
    warnings_.clear();
  }

  void read_stream(InputStream& in, const std::string& path, InputFormat format) {
    const std::string_view head = in.peek(kBinarySniffBytes);
    if (head.empty()) {
      report(Severity::kWarning, path, 0, "empty file");
      return;
    }
    // A saved HTML page may be in any charset (Shift_JIS, GBK): only control bytes make it binary.
    if (format == InputFormat::kHtml ? looks_binary_markup(head) : looks_binary(head)) {
      report(Severity::kError, path, 0, "binary file (not text); skipped");
      return;
    }
    if (format == InputFormat::kUnknown) format = sniff(in.peek(kSniffBytes));
    switch (format) {
      case InputFormat::kJsonLines:
        read_json_lines(in, path);
        break;
      case InputFormat::kJson:
        read_json(in, path);
        break;
      case InputFormat::kCsv:
      case InputFormat::kTsv: {
        LineReader lines(in, options_.max_record_bytes);
        CsvOptions csv;
        csv.delimiter = format == InputFormat::kTsv ? '\t' : (path == "-" ? 0 : ',');
        csv.source = path;
        read_csv(
            lines, csv, [this](Record&& r) { emit(std::move(r)); },
            [this, &in](const Diagnostic& d) {
              progress(in);
              if (callbacks_.on_diagnostic) callbacks_.on_diagnostic(d);
            });
        break;
      }
      case InputFormat::kText:
      case InputFormat::kMarkdown:
      case InputFormat::kHtml:
      case InputFormat::kUnknown:
        read_page(in, path, format);
        break;
    }
  }

  static InputFormat sniff(std::string_view head) {
    const std::string_view s = skip_bom_and_space(head);
    if (s.starts_with("[")) return InputFormat::kJson;
    if (s.starts_with("{")) return InputFormat::kJson;
    if (s.starts_with("<")) return InputFormat::kHtml;
    const std::string_view first_line = s.substr(0, s.find('\n'));
    if (is_csv_header(trim_ascii_space(first_line))) {
      return sniff_delimiter(first_line) == '\t' ? InputFormat::kTsv : InputFormat::kCsv;
    }
    if (s.starts_with("#")) return InputFormat::kMarkdown;
    return InputFormat::kText;
  }

  void read_json_lines(InputStream& in, const std::string& path) {
    LineReader lines(in, options_.max_record_bytes);
    Line line;
    std::string origin;
    while (lines.next(line)) {
      progress(in);
      if (line.too_long) {
        report(Severity::kError, path, line.number,
               "record of " + std::to_string(line.size) + " bytes is longer than the maximum (" +
                   std::to_string(options_.max_record_bytes) + " bytes); skipped");
        continue;
      }
      if (line.repaired) {
        report(Severity::kWarning, path, line.number, "invalid UTF-8 replaced with U+FFFD");
      }
      const std::string_view text = trim_ascii_space(line.text);
      if (text.empty()) continue;
      Json j;
      try {
        j = Json::parse(text.begin(), text.end());
      } catch (const Json::exception& e) {
        report(Severity::kError, path, line.number,
               "malformed JSON: " + json_error_message(e.what(), true) + "; record skipped");
        continue;
      }
      origin = path;
      origin += ':';
      origin += std::to_string(line.number);
      read_record(std::move(j), origin, path, line.number);
    }
  }

  void read_record(Json&& j, const std::string& origin, const std::string& path,
                   std::size_t line) {
    try {
      Record r = record_from_json(std::move(j), origin, &warnings_);
      emit_warnings();
      emit(std::move(r));
    } catch (const InputError& e) {
      emit_warnings();
      report(Severity::kError, path, line, message_of(e) + "; record skipped");
    } catch (const Json::exception& e) {
      emit_warnings();
      report(Severity::kError, path, line,
             json_error_message(e.what(), false) + "; record skipped");
    }
  }

  // .json: an array of records, one (pretty-printed) record, or JSON Lines after all.
  void read_json(InputStream& in, const std::string& path) {
    const std::string_view head = skip_bom_and_space(in.peek(kSniffBytes));
    if (head.starts_with("[")) {
      read_json_array(in, path);
      return;
    }
    if (!head.starts_with("{")) {
      report(Severity::kError, path, 0, "not JSON: expected a record object or an array of them");
      return;
    }
    const auto newline = head.find('\n');
    const std::string_view first_line = head.substr(0, newline);
    if (newline == std::string_view::npos || Json::accept(first_line.begin(), first_line.end())) {
      read_json_lines(in, path);
      return;
    }
    std::string content;
    if (!read_whole(in, path, "JSON document", &content)) return;
    Json j;
    try {
      j = Json::parse(content);
    } catch (const Json::exception& e) {
      report(Severity::kError, path, 0,
             "malformed JSON: " + json_error_message(e.what(), false) + "; skipped");
      return;
    }
    read_record(std::move(j), path + ":1", path, 1);
  }

  void read_json_array(InputStream& in, const std::string& path) {
    ArrayBytes bytes(in, [&](std::size_t line) {
      report(Severity::kWarning, path, 0,
             "invalid UTF-8 replaced with U+FFFD (line " + std::to_string(line) + ")");
    });
    std::size_t count = 0;
    // Each element is handed over as soon as it is complete and then discarded, so an array
    // of any length is read in the memory of one record.
    const Json::parser_callback_t on_event = [&](int depth, Json::parse_event_t event,
                                                 Json& parsed) {
      if (depth != 1) return true;
      if (event != Json::parse_event_t::object_end && event != Json::parse_event_t::array_end &&
          event != Json::parse_event_t::value) {
        return true;
      }
      ++count;
      progress(in);
      read_record(std::move(parsed), path + ":" + std::to_string(count), path, count);
      return false;
    };
    try {
      // Every element was discarded by the callback: what is left is the empty array.
      const Json rest = Json::parse(ArrayByteIterator(&bytes), ArrayByteIterator(), on_event);
    } catch (const Json::parse_error& e) {
      report(Severity::kError, path, count + 1,
             "malformed JSON after record " + std::to_string(count) + ": " +
                 json_error_message(e.what(), false) + "; rest of the file skipped");
    }
  }

  // Reads a whole document (a JSON array or object, a page) into `content`, repairing invalid
  // UTF-8 with a warning. False, with an error reported, when it exceeds the record size limit.
  bool read_whole(InputStream& in, const std::string& path, const char* what,
                  std::string* content) {
    if (!read_all(in, options_.max_record_bytes, *content)) {
      report(Severity::kError, path, 0,
             std::string(what) + " longer than the maximum record size (" +
                 std::to_string(options_.max_record_bytes) + " bytes); skipped");
      return false;
    }
    if (const std::size_t bad = find_invalid_utf8(*content); bad < content->size()) {
      report(Severity::kWarning, path,
             1 + static_cast<std::size_t>(std::count(content->begin(), content->begin() + bad, '\n')),
             "invalid UTF-8 replaced with U+FFFD");
      *content = repair_utf8(*content);
    }
    return true;
  }

  void read_page(InputStream& in, const std::string& path, InputFormat format) {
    std::string content;
    if (format == InputFormat::kHtml) {
      // HTML declares its own charset: decode it before any UTF-8 check.
      if (!read_all(in, options_.max_record_bytes, content)) {
        report(Severity::kError, path, 0,
               "page longer than the maximum record size (" +
                   std::to_string(options_.max_record_bytes) + " bytes); skipped");
        return;
      }
      page::DecodedPage decoded = page::decode_page(content);
      if (!decoded.warning.empty()) report(Severity::kWarning, path, 0, decoded.warning);
      content = std::move(decoded.text);
    } else if (!read_whole(in, path, "page", &content)) {
      return;
    }
    const PageFormat page_format = format == InputFormat::kHtml       ? PageFormat::kHtml
                                   : format == InputFormat::kMarkdown ? PageFormat::kMarkdown
                                                                      : PageFormat::kText;
    try {
      Record r = parse_page(content, page_format, path);
      r.id = page_id(path, content);
      if (r.origin.empty()) r.origin = path;
      if (r.id.empty()) r.id = derived_id(path);
      if (r.type == RecordType::kFilm && r.film_id.empty()) r.film_id = r.id;
      emit(std::move(r));
    } catch (const InputError& e) {
      report(Severity::kError, path, 0, message_of(e) + "; page skipped");
    }
  }

  // A page's id: "page:" + its path below the folder given on the command line, without the
  // extension ("site/a/index.html" -> "page:a/index" when "site" was given), so two pages of
  // one name in two folders are two pages; a file given by name is "page:" + its stem; standard
  // input is "page:" + a hash of the content (two different pages piped in are two records).
  // ReadOptions::id_prefix goes after "page:" (and is the whole id of standard input).
  std::string page_id(const std::string& path, std::string_view content) const {
    if (path == "-" && !options_.id_prefix.empty()) return "page:" + options_.id_prefix;
    if (path == "-") {
      std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, 64 bits
      for (char c : content) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
      return std::string("page:stdin-") + hex;
    }
    std::string rel = std::filesystem::path(path).filename().string();
    std::string root = root_;
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    if (!root.empty() && path.size() > root.size() + 1 && path.compare(0, root.size(), root) == 0 &&
        path[root.size()] == '/') {
      rel = path.substr(root.size() + 1);
      while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
    }
    const std::size_t slash = rel.rfind('/');
    const std::size_t dot = rel.rfind('.');
    if (dot != std::string::npos && dot > 0 && (slash == std::string::npos || dot > slash + 1)) {
      rel.resize(dot);
    }
    return "page:" + options_.id_prefix + rel;
  }

  std::string root_;
  std::string path_;                          // the file being read
  std::map<std::string, bool> languages_;     // its lang values so far -> known to ICU
  const ReadOptions& options_;
  const ReadCallbacks& callbacks_;
  std::vector<Diagnostic> warnings_;
};

// Walks paths in read order, calling `on_file(path, format)` for each file to read and
// `on_problem(path, message)` for folders and paths that cannot be read.
class Walker {
 public:
  Walker(std::function<void(const std::string&, InputFormat)> on_file,
         std::function<void(const std::string&, const std::string&)> on_problem)
      : on_file_(std::move(on_file)), on_problem_(std::move(on_problem)) {}

  void walk(const std::string& path) {
    if (path == "-") {
      on_file_(path, InputFormat::kUnknown);
      return;
    }
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      on_problem_(path, std::string(std::strerror(errno)) + "; skipped");
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      walk_folder(path, st);
    } else {
      // Named explicitly: read whatever it is, by extension or else by content.
      on_file_(path, format_for_path(path));
    }
  }

 private:
  void walk_folder(const std::string& dir, const struct stat& st) {
    const std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
    if (std::find(ancestors_.begin(), ancestors_.end(), id) != ancestors_.end()) {
      on_problem_(dir, "symbolic link loop (folder already being read); skipped");
      return;
    }
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      on_problem_(dir, "cannot read folder: " + ec.message() + "; skipped");
      return;
    }
    std::vector<std::string> names;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      names.push_back(it->path().filename().string());
    }
    if (ec) on_problem_(dir, "error reading folder: " + ec.message());
    std::sort(names.begin(), names.end());
    ancestors_.push_back(id);
    const std::string prefix = dir.ends_with('/') ? dir : dir + "/";
    for (const auto& name : names) {
      if (name.empty() || name.front() == '.') continue;
      const std::string child = prefix + name;
      struct stat cst;
      if (::stat(child.c_str(), &cst) != 0) {
        on_problem_(child, std::string(std::strerror(errno)) + "; skipped");
        continue;
      }
      if (S_ISDIR(cst.st_mode)) {
        walk_folder(child, cst);
      } else if (S_ISREG(cst.st_mode) && !skipped_in_folder(name)) {
        const InputFormat format = format_for_path(name);
        if (format != InputFormat::kUnknown) on_file_(child, format);
      }
    }
    ancestors_.pop_back();
  }

  std::function<void(const std::string&, InputFormat)> on_file_;
  std::function<void(const std::string&, const std::string&)> on_problem_;
  std::vector<std::pair<dev_t, ino_t>> ancestors_;
};

}  // namespace

InputFormat format_for_path(std::string_view path) {
  std::string name = lower_ascii(base_name(path));
  for (std::string_view z : {".gz", ".xz"}) {
    if (name.ends_with(z)) name.resize(name.size() - z.size());
  }
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return InputFormat::kUnknown;
  const std::string_view ext = std::string_view(name).substr(dot + 1);
  if (ext == "jsonl" || ext == "ndjson") return InputFormat::kJsonLines;
  if (ext == "json") return InputFormat::kJson;
  if (ext == "csv") return InputFormat::kCsv;
  if (ext == "tsv" || ext == "tab") return InputFormat::kTsv;
  if (ext == "txt") return InputFormat::kText;
  if (ext == "md" || ext == "markdown") return InputFormat::kMarkdown;
  if (ext == "html" || ext == "htm") return InputFormat::kHtml;
  return InputFormat::kUnknown;
}

std::uint64_t total_input_bytes(const std::vector<std::string>& paths) {
  std::uint64_t total = 0;
  Walker walker(
      [&](const std::string& path, InputFormat) {
        struct stat st;
        if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
          total += static_cast<std::uint64_t>(st.st_size);
        }
      },
      [](const std::string&, const std::string&) {});
  for (const auto& path : paths) walker.walk(path);
  return total;
}

void read_inputs(const std::vector<std::string>& paths, const ReadOptions& options,
                 const ReadCallbacks& callbacks) {
  FileReader reader(options, callbacks);
  Walker walker([&](const std::string& path, InputFormat format) { reader.read(path, format); },
                [&](const std::string& path, const std::string& message) {
                  reader.report(Severity::kError, path, 0, message);
                });
  for (const auto& path : paths) {
    reader.set_root(path);
    walker.walk(path);
  }
}

}  // namespace filmsearch::corpus
