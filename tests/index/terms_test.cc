// TermMaker: tokens to index terms, and which terms are stopwords' (shared by the document
// builder and the query parser, so both sides agree).
#include "index/terms.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/analyzer.h"

namespace filmsearch::index {
namespace {

// "word>term" per token, with "!" after the term of a stopword.
std::string render(std::string_view lang, std::string_view text) {
  text::Analyzer analyzer;
  TermMaker terms(lang);
  std::vector<text::Token> tokens;
  analyzer.tokenize(text, &tokens);
  std::string out;
  for (const auto& token : tokens) {
    const std::string& term = terms.term(token);
    if (!out.empty()) out += ' ';
    out += token.text + ">" + term + (terms.is_stopword_term(term) ? "!" : "");
  }
  return out;
}

TEST(TermMakerTest, StopwordsAreJudgedOnTerms) {
  struct Case {
    const char* lang;
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"en", "The ballerina dances", "the>the! ballerina>ballerina dances>danc"},
      // "gets", "thinks" and "lots" are not stopwords, but their terms are: a query word and a
      // review word that share a term are both searched or both left out.
      {"en", "she gets lots of thinks", "she>she! gets>get! lots>lot! of>of! thinks>think!"},
      {"en", "It's 1948", "it>it! 1948>1948"},  // "'s" is folded away
      // Without a stemmer the terms are the words.
      {"zh", "the red 红舞鞋", "the>the! red>red 红>红 舞鞋>舞鞋"},
  };
  for (const auto& c : cases) EXPECT_EQ(c.expect, render(c.lang, c.text)) << c.text;
  TermMaker english("en");
  EXPECT_FALSE(english.is_stopword_term(""));
  EXPECT_FALSE(english.is_stopword_term("XZthe"));  // terms are unprefixed
}

}  // namespace
}  // namespace filmsearch::index
