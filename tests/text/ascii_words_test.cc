// The ASCII fast path of Analyzer::tokenize must find exactly the words ICU's break iterator
// finds: checked exhaustively on every short string over the characters the word break rules
// treat specially, and on sentences people write.
#include <gtest/gtest.h>

#include <string>

#include "text/analyzer.h"
#include "text/analyzer_internal.h"

namespace filmsearch::text {
namespace {

// "text[begin,end)/kind" per token.
std::string render(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    out += t.text + "[" + std::to_string(t.begin) + "," + std::to_string(t.end) + ")/" +
           std::to_string(static_cast<int>(t.kind)) + "@" + std::to_string(t.position) + " ";
  }
  return out;
}

TEST(AsciiWordsTest, MatchesIcuOnEveryShortString) {
  // Letters and digits of both cases and every class of the word break rules that ASCII has:
  // MidNumLet '.', Single_Quote, MidNum ',' ';', ExtendNumLet '_', MidLetter in UAX #29 but
  // not in ICU's root rules ':', '@' (a letter for ICU), and others (space, newline, tab,
  // hyphen, '"', '$').
  const std::string alphabet = "aZ1.',;_:@ \n\t-\"$";
  Analyzer analyzer;
  std::vector<Token> fast, icu;
  std::string s;
  std::size_t compared = 0;
  for (std::size_t len = 1; len <= 5; ++len) {
    std::vector<std::size_t> digits(len, 0);
    for (;;) {
      s.clear();
      for (std::size_t d : digits) s += alphabet[d];
      analyzer.tokenize(s, &fast);
      internal::tokenize_with_icu(analyzer, s, &icu);
      ASSERT_EQ(render(icu), render(fast)) << "\"" << s << "\"";
      ++compared;
      std::size_t k = 0;
      while (k < len && ++digits[k] == alphabet.size()) digits[k++] = 0;
      if (k == len) break;
    }
  }
  EXPECT_EQ(16u + 16 * 16 + 16 * 16 * 16 + 16 * 16 * 16 * 16 + 16 * 16 * 16 * 16 * 16, compared);
}

TEST(AsciiWordsTest, MatchesIcuOnSentences) {
  const char* texts[] = {
      "Vicky's red shoes, 1948: a 2h 15min film (IMDb 8.1/10, 44k votes).",
      "U.S.A. e.g. rock'n'roll can't won't 'tis dogs' 1,500,000 3.14.15 $1,500 a1.2 x_y __init__",
      "SPOILER ALERT!!! She dies... END SPOILERS -- or does she?\r\nNo.\tTabs\fform",
      "well-known 12-year-old X-Men: e-mail foo@bar.com http://x.y/z?q=1&r=2 #tag @who",
  };
  Analyzer analyzer;
  for (const char* text : texts) {
    std::vector<Token> fast, icu;
    analyzer.tokenize(text, &fast, 7);
    internal::tokenize_with_icu(analyzer, text, &icu);
    for (auto& t : icu) t.position += 7;
    EXPECT_EQ(render(icu), render(fast)) << text;
  }
}

}  // namespace
}  // namespace filmsearch::text
