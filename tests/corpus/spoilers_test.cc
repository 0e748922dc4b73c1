#include "corpus/spoilers.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::corpus {
namespace {

// Renders spans as brackets in the text: "before [SPOILER ALERT he dies]".
std::string render(std::string_view text, const std::vector<SpoilerSpan>& spans) {
  std::string out;
  std::size_t at = 0;
  for (const SpoilerSpan& s : spans) {
    out.append(text.substr(at, s.begin - at));
    out += '[';
    out.append(text.substr(s.begin, s.end - s.begin));
    out += ']';
    at = s.end;
  }
  out.append(text.substr(at));
  return out;
}

TEST(SpoilersTest, FindsInlineWarnings) {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"Nothing to see here.", "Nothing to see here."},
      {"before SPOILER ALERT he dies", "before [SPOILER ALERT he dies]"},
      {"Great cast. ***SPOILERS*** The butler did it.", "Great cast. [***SPOILERS*** The butler did it.]"},
      {"Good film (contains spoilers) and he dies.", "Good film [(contains spoilers) and he dies.]"},
      {"Meh. *SPOILER* She lives.", "Meh. [*SPOILER* She lives.]"},
      {"I liked it, spoilers ahead: the twist is weak.",
       "I liked it, [spoilers ahead: the twist is weak.]"},
      {"OK. WARNING: SPOILERS. The end is sad.", "OK. [WARNING: SPOILERS. The end is sad.]"},
      {"Spoiler alert: Rosebud is a sled.", "[Spoiler alert: Rosebud is a sled.]"},
      {"This review contains spoilers. He dies.", "[This review contains spoilers. He dies.]"},
      {"Minor spoilers below. The dog lives.", "[Minor spoilers below. The dog lives.]"},
      {"(Slight spoilers follow) It is funny.", "[(Slight spoilers follow) It is funny.]"},
      // Regression: "light" was not a warning word (found eyeballing filmbench reviews).
      {"(Very light spoilers, maybe.) I hated the mother.",
       "[(Very light spoilers, maybe.) I hated the mother.]"},
      {"Now, this is a non-spoiler review.", "Now, this is a non-spoiler review."},
      // An end marker closes the span, and scanning goes on after it.
      {"A. SPOILERS: he dies. END SPOILERS. Fine film.",
       "A. [SPOILERS: he dies. END SPOILERS.] Fine film."},
      {"A. spoiler alert: she wins. end of spoilers. B.",
       "A. [spoiler alert: she wins. end of spoilers.] B."},
      {"A. SPOILERS! x dies. spoilers end. B. SPOILER ALERT y dies",
       "A. [SPOILERS! x dies. spoilers end.] B. [SPOILER ALERT y dies]"},
      // A warning with nothing after it flags the whole review.
      {"Great film, sad ending. (Contains spoilers)", "[Great film, sad ending. (Contains spoilers)]"},
      // Negations never start a span.
      {"No spoilers here, but the score is great.", "No spoilers here, but the score is great."},
      {"A spoiler-free review: watch it.", "A spoiler-free review: watch it."},
      {"I won't spoil the ending for you.", "I won't spoil the ending for you."},
      {"I will write this without spoiling anything.", "I will write this without spoiling anything."},
      {"This is a spoiler free review.", "This is a spoiler free review."},
      {"It won't give away much. NO SPOILERS!", "It won't give away much. NO SPOILERS!"},
      {"That he is a ghost is not a spoiler.", "That he is a ghost is not a spoiler."},
      {"I don't want to give any spoilers.", "I don't want to give any spoilers."},
      {"I won’t give spoilers.", "I won’t give spoilers."},
      // Mentions are not warnings; verb forms are not warnings.
      {"The trailer is one big spoil. I hate spoilers, honestly.",
       "The trailer is one big spoil. I hate spoilers, honestly."},
      {"A spoiled rich girl learns a lesson.", "A spoiled rich girl learns a lesson."},
      {"", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.expect, render(c.text, find_inline_spoilers(c.text))) << c.text;
  }
}

TEST(SpoilersTest, SpansAreOnUtf8Boundaries) {
  const std::string text = "Caf\xC3\xA9 scene. SPOILER ALERT: Am\xC3\xA9lie leaves.";
  std::vector<SpoilerSpan> spans = find_inline_spoilers(text);
  ASSERT_EQ(1u, spans.size());
  EXPECT_EQ(text.find("SPOILER"), spans[0].begin);
  EXPECT_EQ(text.size(), spans[0].end);
}

TEST(SpoilersTest, RecognizesSpoilerHeadings) {
  struct Case {
    const char* heading;
    bool expect;
  };
  const Case cases[] = {
      {"Spoilers", true},
      {"Ending Explained", true},
      {"Spoilers and Ending Explained", true},
      {"\xE2\x9A\xA0\xEF\xB8\x8F Spoilers and Ending Explained", true},
      {"The Twist", true},
      {"Spoiler-free review", false},
      {"Spoiler free review", false},
      {"No spoilers", false},
      {"Plot", false},
      {"Pending Projects", false},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, is_spoiler_heading(c.heading)) << c.heading;
}

TEST(SpoilersTest, FindsRevealsByCue) {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"It follows a young ballerina torn between art and love.",
       "It follows a young ballerina torn between art and love."},
      {"It is set in Monte Carlo. Victoria commits suicide by a train. The show goes on.\nNext.",
       "It is set in Monte Carlo. [Victoria commits suicide by a train. The show goes on.]\nNext."},
      {"\xE2\x80\x9CTake off the red shoes!\xE2\x80\x9D \xE2\x80\x93 Vicky\xE2\x80\x99s dying request.",
       "[\xE2\x80\x9CTake off the red shoes!\xE2\x80\x9D \xE2\x80\x93 Vicky\xE2\x80\x99s dying "
       "request.]"},
      {"It turns out he was the killer.", "[It turns out he was the killer.]"},
      // Word boundaries: "studies" is not "dies", "never-ending" is not "the ending".
      {"He studies a never-ending story.", "He studies a never-ending story."},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.expect, render(c.text, find_reveal_spoilers(c.text))) << c.text;
  }
}

TEST(SpoilersTest, MergesSpans) {
  std::vector<SpoilerSpan> merged = merge_spoiler_spans({{5, 9}, {0, 3}, {3, 4}, {8, 12}, {20, 20}});
  ASSERT_EQ(2u, merged.size());
  EXPECT_EQ((SpoilerSpan{0, 4}), merged[0]);
  EXPECT_EQ((SpoilerSpan{5, 12}), merged[1]);
}

}  // namespace
}  // namespace filmsearch::corpus
