// Fuzzes the corpus readers end to end: the input is written to a file named .jsonl, .json,
// .csv, .tsv or with an unknown extension (content sniffing; also gzip/xz magic), picked by the
// first byte, and read by corpus::read_inputs with a small or the default record cap. Every
// record must be sound (check_record), every diagnostic must name the file, and nothing may
// throw. The same bytes then go through LineReader on its own: lines numbered 1, 2, 3...,
// valid UTF-8, the cap honoured.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "corpus/input.h"
#include "corpus/reader.h"
#include "error.h"
#include "fuzz_checks.h"

namespace {

// A private folder for this process's input files, on tmpfs when there is one; removed at exit.
// (Held in a string that is never destroyed: the exit handler runs after static destructors
// registered later than it.)
const std::string& scratch_dir() {
  static const std::string* const dir = [] {
    const char* base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    auto* d = new std::string(std::string(base) + "/filmsearch-fuzz-" + std::to_string(getpid()));
    (void)mkdir(d->c_str(), 0700);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*dir, ec);
    });
    return d;
  }();
  return *dir;
}

void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

void check_lines(const std::string& path, std::size_t cap) {
  filmsearch::corpus::InputStream in(path);
  filmsearch::corpus::LineReader lines(in, cap);
  filmsearch::corpus::Line line;
  std::size_t expected = 1;
  while (lines.next(line)) {
    const std::string w = "line " + std::to_string(line.number);
    FUZZ_CHECK(line.number == expected, w);
    ++expected;
    FUZZ_CHECK(filmsearch::corpus::is_valid_utf8(line.text), w);
    if (line.too_long) {
      FUZZ_CHECK(line.text.empty() && line.size > cap, w + " too long");
    } else {
      FUZZ_CHECK(line.size <= cap, w + " over the cap: " + std::to_string(line.size));
      // size counts the bytes read: the text plus a "\r" before the newline and, on line 1, a
      // byte order mark.
      if (!line.repaired) {
        FUZZ_CHECK(line.text.size() <= line.size && line.size - line.text.size() <= 4,
                   w + " size " + std::to_string(line.size));
      }
    }
    FUZZ_CHECK(line.text.find('\n') == std::string_view::npos, w + " holds a newline");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"fuzz.jsonl", "fuzz.json", "fuzz.csv", "fuzz.tsv",
                                       "fuzz.data"};
  const char* name = kNames[(data[0] & 0x7f) % 5];
  const std::size_t cap = (data[0] & 0x80) ? 64 : filmsearch::corpus::kDefaultMaxRecordBytes;
  const std::string path = scratch_dir() + "/" + name;
  write_file(path, data + 1, size - 1);

  filmsearch::corpus::ReadOptions options;
  options.max_record_bytes = cap;
  filmsearch::corpus::ReadCallbacks callbacks;
  callbacks.on_record = [](filmsearch::corpus::Record&& r) { filmsearch::fuzz::check_record(r); };
  callbacks.on_diagnostic = [&path](const filmsearch::corpus::Diagnostic& d) {
    FUZZ_CHECK(d.source == path, d.to_string());
    FUZZ_CHECK(!d.message.empty(), d.to_string());
  };
  std::uint64_t bytes = 0;
  callbacks.on_bytes = [&bytes](std::uint64_t n) { bytes += n; };
  try {
    filmsearch::corpus::read_inputs({path}, options, callbacks);
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, std::string("read_inputs threw: ") + e.what());
  }
  FUZZ_CHECK(bytes <= size - 1, "on_bytes counted " + std::to_string(bytes));

  try {
    check_lines(path, cap);
  } catch (const filmsearch::InputError&) {
    // corrupt gzip/xz data: the documented failure of LineReader
  }
  return 0;
}
