// Property checks shared by the libFuzzer targets: every violated property is a crash
// (FUZZ_CHECK traps after printing what broke), so a fuzzer finds wrong answers, not only
// crashes. Only for fuzz/; tests state the same properties as table rows.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/input.h"
#include "corpus/record.h"
#include "corpus/spoilers.h"

namespace filmsearch::fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* what,
                              const std::string& detail) {
  std::fprintf(stderr, "%s:%d: property violated: %s %s\n", file, line, what, detail.c_str());
  std::fflush(stderr);
  __builtin_trap();
}

#define FUZZ_CHECK(cond, detail)                                                   \
  do {                                                                             \
    if (!(cond)) ::filmsearch::fuzz::fail(__FILE__, __LINE__, #cond, (detail));    \
  } while (false)

// True when `offset` is the end of `text` or the first byte of a UTF-8 sequence.
inline bool on_utf8_boundary(std::string_view text, std::size_t offset) {
  if (offset > text.size()) return false;
  if (offset == text.size()) return true;
  return (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
}

inline std::string where(std::string_view what, std::size_t a, std::size_t b, std::size_t size) {
  return std::string(what) + " [" + std::to_string(a) + "," + std::to_string(b) + ") of " +
         std::to_string(size);
}

// Spoiler spans of one section, tagged and possible: inside the text, non-empty, sorted,
// non-overlapping, on UTF-8 boundaries (the text itself being valid UTF-8), confidence in
// [0, 1]; no possible span overlaps a tagged one.
inline void check_spans(const corpus::Section& s) {
  for (const auto* spans : {&s.spoiler_spans, &s.possible_spoiler_spans}) {
    std::size_t previous_end = 0;
    for (std::size_t i = 0; i < spans->size(); ++i) {
      const corpus::SpoilerSpan& span = (*spans)[i];
      const std::string w = where("spoiler span", span.begin, span.end, s.text.size());
      FUZZ_CHECK(span.begin < span.end, w);
      FUZZ_CHECK(span.end <= s.text.size(), w);
      FUZZ_CHECK(i == 0 || span.begin >= previous_end, w);
      FUZZ_CHECK(on_utf8_boundary(s.text, span.begin), w);
      FUZZ_CHECK(on_utf8_boundary(s.text, span.end), w);
      FUZZ_CHECK(span.confidence >= 0.0F && span.confidence <= 1.0F, w + " confidence");
      if (spans == &s.possible_spoiler_spans) {
        FUZZ_CHECK(!corpus::overlaps_spoiler(s.spoiler_spans, span.begin, span.end),
                   w + " possible overlaps tagged");
      }
      previous_end = span.end;
    }
  }
}

// What every record a reader or the page parser produces must satisfy.
inline void check_record(const corpus::Record& r) {
  FUZZ_CHECK(!r.id.empty(), "record without id from " + r.origin);
  FUZZ_CHECK(corpus::is_valid_utf8(r.id), "id");
  FUZZ_CHECK(corpus::is_valid_utf8(r.title), "title");
  FUZZ_CHECK(corpus::is_valid_utf8(r.film_id), "film_id");
  for (const corpus::Section& s : r.sections) {
    FUZZ_CHECK(corpus::is_valid_utf8(s.text), "section text of " + r.id);
    FUZZ_CHECK(corpus::is_valid_utf8(s.heading), "section heading of " + r.id);
    check_spans(s);
  }
}

}  // namespace filmsearch::fuzz
