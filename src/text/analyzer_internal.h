// Internals of text::Analyzer, exposed for tests only.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "text/analyzer.h"

namespace filmsearch::text::internal {

// A word of ASCII text as ICU's word break rules see it: bytes [begin, end) and ICU's rule
// status (UBRK_WORD_NUMBER 100.., UBRK_WORD_LETTER 200..).
struct AsciiWord {
  std::uint32_t begin;
  std::uint32_t end;
  std::int32_t status;
};

// The words of `ascii` (every byte < 0x80), found by the Unicode word break rules (UAX #29 as
// ICU 72 tailors them) restricted to ASCII: the same words, offsets and statuses as ICU's
// break iterator, without it. Analyzer::tokenize uses it for ASCII-only text.
void ascii_words(std::string_view ascii, std::vector<AsciiWord>* out);

// Analyzer::tokenize through ICU's break iterator whatever the text (the reference that
// ascii_words is tested against).
void tokenize_with_icu(const Analyzer& analyzer, std::string_view utf8, std::vector<Token>* out);

}  // namespace filmsearch::text::internal
