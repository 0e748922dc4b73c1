#include "text/analyzer.h"

#include <gtest/gtest.h>

#include <string>

#include "text/korean.h"
#include "text/language.h"

namespace filmsearch::text {
namespace {

// Renders tokens as "text[begin,end)" separated by spaces; ideographic tokens get a '~'.
std::string render(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.text;
    if (t.kind == TokenKind::kIdeographic) out += '~';
    out += "[" + std::to_string(t.begin) + "," + std::to_string(t.end) + ")";
  }
  return out;
}

TEST(AnalyzerTest, Tokenizes) {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"Amélie café", "amelie[0,7) cafe[8,13)"},
      {"The RED Shoes", "the[0,3) red[4,7) shoes[8,13)"},
      // Possessives: "Vicky's" must find "Vicky", with straight or curly apostrophes.
      {"Vicky's passion", "vicky[0,7) passion[8,15)"},
      {"Vicky\u2019s", "vicky[0,9)"},
      {"don't", "don't[0,5)"},
      // Numbers and runtimes are terms.
      {"1948, 2h 15min", "1948[0,4) 2h[6,8) 15min[9,14)"},
      {"rated 8.1/10", "rated[0,5) 8.1[6,9) 10[10,12)"},
      // Hyphens split words; punctuation and emoji are not tokens.
      {"spoiler-free!", "spoiler[0,7) free[8,12)"},
      {"\xF0\x9F\x8D\xBF Plot", "plot[5,9)"},
      // NFKC: full-width letters and ligatures fold to plain ones.
      {"\xEF\xBC\xA1\xEF\xBC\xA2 \xEF\xAC\x81ne", "ab[0,6) fine[7,12)"},
      {"Stra\xC3\x9F" "e", "strasse[0,7)"},
      {"\xCE\x9F\xCE\xB4\xCF\x8D\xCF\x83\xCF\x83\xCE\xB5\xCE\xB9\xCE\xB1", "οδυσσεια[0,16)"},
      // Chinese is segmented into dictionary words, not single characters or one run.
      // A Douban synopsis must be findable by a two-character word it contains ("经营", to run).
      {"程勇经营着一家保健品店", "程~[0,3) 勇~[3,6) 经营~[6,12) 着~[12,15) 一家~[15,21) 保健~[21,27) 品~[27,30) 店~[30,33)"},
      {"ジブリの映画", "ジブリ~[0,9) の~[9,12) 映画~[12,18)"},
      // Korean words are space separated; ICU keeps each as a word.
      {"영화가 재미있다", "영화가[0,9) 재미있다[10,22)"},
      {"", ""},
  };
  Analyzer analyzer;
  for (const Case& c : cases) EXPECT_EQ(c.expect, render(analyzer.tokenize(c.text))) << c.text;
}

TEST(AnalyzerTest, PositionsCountWords) {
  Analyzer analyzer;
  std::vector<Token> tokens;
  analyzer.tokenize("take off, the red shoes", &tokens, 10);
  ASSERT_EQ(5u, tokens.size());
  EXPECT_EQ(10u, tokens[0].position);
  EXPECT_EQ(14u, tokens[4].position);
}

TEST(AnalyzerTest, InvalidUtf8StaysInBounds) {
  Analyzer analyzer;
  const std::string text = "ab\xFF\xFE cd \xC3";
  for (const Token& t : analyzer.tokenize(text)) {
    EXPECT_LE(t.begin, t.end);
    EXPECT_LE(t.end, text.size());
  }
}

TEST(AnalyzerTest, SplitsSentences) {
  Analyzer analyzer;
  const std::string text = "She dances. He composes! Does she die? Yes.";
  std::string out;
  for (const ByteRange& r : analyzer.sentences(text)) {
    out += "[" + text.substr(r.begin, r.end - r.begin) + "]";
  }
  EXPECT_EQ("[She dances. ][He composes! ][Does she die? ][Yes.]", out);
}

TEST(AnalyzerTest, Folds) {
  EXPECT_EQ("amelie", Analyzer::fold("Amélie"));
  EXPECT_EQ("science fiction", Analyzer::fold("Science Fiction"));
}


// Issue 12, items 1-3: elisions, language values and Korean particles.
// Issue 12, item 15: snippets are not cut at abbreviations and initials.
TEST(AnalyzerTest, SentencesAreNotCutAtAbbreviationsOrInitials) {
  struct Case {
    const char* text;
    const char* expect;  // sentences separated by '|'
  };
  const Case cases[] = {
      {"Mr. Smith goes to town. He stays.", "Mr. Smith goes to town. |He stays."},
      {"Mrs. Miniver and Dr. No meet. Then they part.",
       "Mrs. Miniver and Dr. No meet. |Then they part."},
      {"Directed by D. W. Griffith. A long film.", "Directed by D. W. Griffith. |A long film."},
      {"With John C. Reilly. Funny.", "With John C. Reilly. |Funny."},
      {"It ends. Then A. Lumière came.", "It ends. |Then A. Lumière came."},
      {"Plan A. Plan B.", "Plan A. Plan B."},  // a capital alone after a space: an initial
  };
  Analyzer analyzer;
  for (const auto& c : cases) {
    std::string got;
    for (const auto& r : analyzer.sentences(c.text)) {
      if (!got.empty()) got += '|';
      got += std::string(c.text).substr(r.begin, r.end - r.begin);
    }
    EXPECT_EQ(c.expect, got) << c.text;
  }
}

TEST(LanguageTest, ElisionsAreNotWords) {
  std::string words;
  for (const Token& t : Analyzer().tokenize("Destin d'Amélie l’amour jusqu'ici dell'arte")) {
    words += (words.empty() ? "" : " ") + t.text;
  }
  EXPECT_EQ("destin amelie amour ici arte", words);
}

TEST(LanguageTest, NormalizesLanguageValues) {
  struct Case {
    const char* value;
    const char* expect;  // "?" unknown
  };
  const Case cases[] = {
      {"English", "en"}, {"en-US", "en"}, {"EN", "en"},      {"en_GB", "en"},
      {"français", "fr"}, {"French", "fr"}, {"zh-Hans", "zh"}, {"fra", "fr"},
      {"Deutsch", "de"}, {"日本語", "ja"},   {"", ""},          {"und", ""},
      {"xx", "?"},       {"Klingon dialect", "?"},
  };
  for (const auto& c : cases) {
    const auto got = normalize_language(c.value);
    EXPECT_EQ(c.expect, got ? *got : "?") << c.value;
  }
}

TEST(LanguageTest, KoreanStems) {
  struct Case {
    const char* word;
    const char* stem;
  };
  const Case cases[] = {
      {"아이들과", "아이"}, {"아이들", "아이"}, {"아이", "아이"},   {"한강에서", "한강"},
      {"괴물을", "괴물"},   {"가", "가"},       {"abc", "abc"},    {"서울에서는", "서울"},
  };
  for (const auto& c : cases) EXPECT_EQ(c.stem, korean_stem(c.word)) << c.word;
}

}  // namespace
}  // namespace filmsearch::text
