// The one text analyzer of filmsearch: ICU word breaks over UTF-8 with byte offsets, NFKC and case
// folding, accent folding for Latin/Greek/Cyrillic, dictionary segmentation for Chinese and
// Japanese. Index terms, query terms and snippet highlights all come from here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::text {

class Analyzer;
struct Token;
namespace internal {
void tokenize_with_icu(const Analyzer& analyzer, std::string_view utf8, std::vector<Token>* out);
}

enum class TokenKind {
  kWord,         // letters (possibly with digits: "2h", "15min")
  kNumber,       // digits ("1948", "8.1", "1,500,000")
  kIdeographic,  // Han or kana word from ICU's dictionary segmentation: never stemmed
};

struct Token {
  std::string text;        // folded form: NFKC, case folded, accents removed, "'s" dropped
  std::uint32_t begin = 0; // byte offset of the token's first byte in the analyzed text
  std::uint32_t end = 0;   // byte offset one past its last byte
  std::uint32_t position = 0;  // 0-based word position within the analyzed text
  TokenKind kind = TokenKind::kWord;
};

// A byte range [begin, end) of the analyzed text (a sentence).
struct ByteRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Not thread safe (it owns ICU break iterators): use one Analyzer per thread. Cheap to move.
class Analyzer {
 public:
  // Throws filmsearch::Error when ICU's data cannot be loaded.
  Analyzer();
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  // Appends the word tokens of `utf8` to `out` (cleared first). Punctuation, spaces and emoji are
  // not tokens. Invalid UTF-8 is tolerated (offsets stay within the input); positions start at
  // `first_position`. Texts over 4 GiB are truncated to their first 4 GiB.
  void tokenize(std::string_view utf8, std::vector<Token>* out,
                std::uint32_t first_position = 0) const;
  std::vector<Token> tokenize(std::string_view utf8) const;

  // Sentence boundaries of `utf8` (ICU sentence breaks), covering the whole text in order.
  std::vector<ByteRange> sentences(std::string_view utf8) const;

  // The folded form of a whole string, as tokens are folded (for facet values, names, ids):
  // "Amélie" -> "amelie". Does not split words.
  static std::string fold(std::string_view utf8);

 private:
  friend void internal::tokenize_with_icu(const Analyzer&, std::string_view, std::vector<Token>*);
  // tokenize() through ICU's word break iterator (any text; tokenize uses it for non-ASCII).
  void tokenize_icu(std::string_view utf8, std::vector<Token>* out,
                    std::uint32_t first_position) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A run of two or more word tokens joined by single hyphens ("Spider-Man", "X-Men",
// "mid-20s"; not "1995-2002" or "PG-13", where a part is a number): tokens [first, last) of a
// tokenize() result, and the word a person may write for it without the hyphens ("spiderman",
// folded as tokens are).
struct Compound {
  std::size_t first = 0;
  std::size_t last = 0;
  std::string word;
};

// The compounds of `tokens`, which tokenize() made from `utf8`, in text order. The indexer adds
// each one's word as a term and the query parser searches a compound as a phrase and as that
// word, so "spiderman" and "spider-man" find each other.
std::vector<Compound> hyphen_compounds(std::string_view utf8, const std::vector<Token>& tokens);

}  // namespace filmsearch::text
