// Fuzzes text::Analyzer: tokens lie inside the text, in order, without overlap, on UTF-8
// boundaries (for valid input), with consecutive positions and non-empty folded text; sentences
// cover the whole text in order.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_checks.h"
#include "text/analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const filmsearch::text::Analyzer analyzer;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = filmsearch::corpus::is_valid_utf8(text);

  std::vector<filmsearch::text::Token> tokens;
  analyzer.tokenize(text, &tokens, 7);
  std::size_t previous_end = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    const std::string w = filmsearch::fuzz::where("token", t.begin, t.end, size);
    FUZZ_CHECK(t.begin < t.end, w);
    FUZZ_CHECK(t.end <= size, w);
    FUZZ_CHECK(t.begin >= previous_end, w);
    FUZZ_CHECK(t.position == 7 + i, w + " position " + std::to_string(t.position));
    FUZZ_CHECK(!t.text.empty(), w);
    FUZZ_CHECK(filmsearch::corpus::is_valid_utf8(t.text), w + " folded text");
    if (valid) {
      FUZZ_CHECK(filmsearch::fuzz::on_utf8_boundary(text, t.begin), w);
      FUZZ_CHECK(filmsearch::fuzz::on_utf8_boundary(text, t.end), w);
    }
    previous_end = t.end;
  }

  const auto sentences = analyzer.sentences(text);
  std::size_t covered = 0;
  for (const auto& s : sentences) {
    const std::string w = filmsearch::fuzz::where("sentence", s.begin, s.end, size);
    FUZZ_CHECK(s.begin == covered, w);
    FUZZ_CHECK(s.begin < s.end, w);
    FUZZ_CHECK(s.end <= size, w);
    if (valid) FUZZ_CHECK(filmsearch::fuzz::on_utf8_boundary(text, s.end), w);
    covered = s.end;
  }
  FUZZ_CHECK(covered == size, "sentences end at " + std::to_string(covered));

  // fold() of a valid string is valid UTF-8 (it is what facet values and ids go through).
  if (valid) {
    FUZZ_CHECK(filmsearch::corpus::is_valid_utf8(filmsearch::text::Analyzer::fold(text)), "fold");
  }
  return 0;
}
