// Snippets: sentences holding the query's words, marked as written, with spoiler flags.
#include "search/snippets.h"

#include <gtest/gtest.h>

#include <string>

#include "search/query_parser.h"

namespace filmsearch::search {
namespace {

corpus::Section section(corpus::SectionKind kind, std::string text,
                        std::vector<corpus::SpoilerSpan> spans = {}) {
  corpus::Section s;
  s.kind = kind;
  s.text = std::move(text);
  s.spoiler_spans = std::move(spans);
  return s;
}

// "plot!spoiler: [Take] off the red shoes | ..." for every fragment.
std::string render(const SnippetResult& r) {
  std::string out;
  for (const auto& s : r.snippets) {
    if (!out.empty()) out += " | ";
    out += std::string(corpus::kind_name(s.section)) + (s.spoiler ? "!spoiler" : "") + ": " +
           render_marked(s);
  }
  if (r.hidden_spoiler_match) out += " (match in hidden spoiler)";
  return out;
}

SnippetResult snippets(const corpus::Record& record, std::string_view query,
                       SpoilerMode mode = SpoilerMode::kTag, std::size_t n = 2) {
  SnippetRequest request;
  request.stems = parse_query(query, nullptr).stems;
  request.max_fragments = n;
  request.spoilers = mode;
  SnippetMaker maker;
  return maker.make({&record}, request);
}

corpus::Record red_shoes() {
  corpus::Record r;
  r.id = "tt0040725";
  r.title = "The Red Shoes";
  r.sections.push_back(section(corpus::SectionKind::kSynopsis,
                               "A young ballerina is torn between love and her art. She joins "
                               "the Ballet Lermontov."));
  r.sections.push_back(section(corpus::SectionKind::kQuote, "Take off the red shoes!"));
  const std::string review =
      "A great film about dancing. SPOILER ALERT: Vicky dies and her dying request is to take "
      "off the shoes.";
  const std::size_t at = review.find("SPOILER");
  r.sections.push_back(
      section(corpus::SectionKind::kReview, review, {{at, review.size()}}));
  return r;
}

TEST(SnippetsTest, MarksQueryWordsAsWritten) {
  struct Case {
    const char* query;
    SpoilerMode mode;
    const char* expect;
  };
  const Case cases[] = {
      {"take shoes", SpoilerMode::kTag,
       "quote: [Take] off the red [shoes]! | review!spoiler: SPOILER ALERT: Vicky dies and her "
       "dying request is to [take] off the [shoes]."},
      // More distinct words first: "torn" and "ballet" beat one word.
      {"ballerina torn lermontov", SpoilerMode::kTag,
       "synopsis: A young [ballerina] is [torn] between love and her art. | synopsis: She joins "
       "the Ballet [Lermontov]."},
      // Stems match: "dancing" for "dance", "Dies" for "die".
      {"dance", SpoilerMode::kTag, "review: A great film about [dancing]."},
      {"dying request", SpoilerMode::kShow,
       "review: SPOILER ALERT: Vicky [dies] and her [dying] [request] is to take off the shoes."},
      // Hidden: no spoiler text, and the hit says its match was there.
      {"dying request", SpoilerMode::kHide,
       "synopsis: A young ballerina is torn between love and her art. (match in hidden spoiler)"},
      {"take shoes", SpoilerMode::kHide, "quote: [Take] off the red [shoes]!"},
      // The start of the review is not spoiler text; more occurrences rank first.
      {"film dying", SpoilerMode::kTag,
       "review!spoiler: SPOILER ALERT: Vicky [dies] and her [dying] request is to take off the "
       "shoes. | review: A great [film] about dancing."},
      {"film dying", SpoilerMode::kExclude, "review: A great [film] about dancing."},
  };
  const corpus::Record record = red_shoes();
  for (const auto& c : cases) {
    EXPECT_EQ(c.expect, render(snippets(record, c.query, c.mode))) << c.query;
  }
}

// Possible spoilers (the tagger's lower, hide threshold) are hidden by hide and exclude, never
// marked by tag; hide never shows what tag marks.
TEST(SnippetsTest, HidesPossibleSpoilers) {
  corpus::Record r;
  r.id = "r1";
  const std::string text =
      "A fine cast on the balcony set. Later the train scene ends it. She leaps from the balcony.";
  corpus::Section s = section(corpus::SectionKind::kReview, text);
  const std::size_t later = text.find("Later"), leaps = text.find("She leaps");
  s.spoiler_spans = {{leaps, text.size(), 0.9F}};
  s.possible_spoiler_spans = {{later, leaps - 1, 0.3F}};
  r.sections.push_back(s);
  EXPECT_EQ("review: Later the [train] scene ends it.", render(snippets(r, "train")));
  EXPECT_EQ("review: A fine cast on the balcony set. (match in hidden spoiler)",
            render(snippets(r, "train", SpoilerMode::kHide)));
  EXPECT_EQ("review: A fine cast on the [balcony] set.",
            render(snippets(r, "balcony", SpoilerMode::kHide)));
  EXPECT_EQ("review: A fine cast on the [balcony] set. | review!spoiler: She leaps from the "
            "[balcony].",
            render(snippets(r, "balcony")));
}

// A compound and its joined word mark each other: "spiderman" marks "Spider-Man" whole, and
// "spider-man" marks "spiderman" as well as the parts.
TEST(SnippetsTest, MarksCompoundsBothWays) {
  corpus::Record r;
  r.id = "r1";
  r.sections.push_back(section(corpus::SectionKind::kReview,
                               "Spider-Man swings. My son calls him spiderman. A man waits."));
  struct Case {
    const char* query;
    const char* expect;
  };
  const Case cases[] = {
      {"spiderman", "review: [Spider]-[Man] swings. | review: My son calls him [spiderman]."},
      {"spider-man", "review: [Spider]-[Man] swings. | review: My son calls him [spiderman]."},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.expect, render(snippets(r, c.query))) << c.query;
  }
}

TEST(SnippetsTest, LongSentencesAreCutAroundTheMatch) {
  corpus::Record r;
  std::string text;
  for (int i = 0; i < 60; ++i) text += "word ";
  text += "ballet ";
  for (int i = 0; i < 60; ++i) text += "more ";
  r.sections.push_back(section(corpus::SectionKind::kPlot, text));
  SnippetResult s = snippets(r, "ballet", SpoilerMode::kTag, 1);
  ASSERT_EQ(1u, s.snippets.size());
  const Snippet& snip = s.snippets[0];
  EXPECT_LE(snip.text.size(), 270u);
  EXPECT_EQ("\xE2\x80\xA6", snip.text.substr(0, 3));
  ASSERT_EQ(1u, snip.highlights.size());
  EXPECT_EQ("ballet", snip.text.substr(snip.highlights[0].first,
                                       snip.highlights[0].second - snip.highlights[0].first));
}

TEST(SnippetsTest, NoMatchGivesTheOpening) {
  EXPECT_EQ("synopsis: A young ballerina is torn between love and her art.",
            render(snippets(red_shoes(), "zebra")));
  EXPECT_EQ("", render(snippets(red_shoes(), "ballet", SpoilerMode::kTag, 0)));
}

}  // namespace
}  // namespace filmsearch::search
