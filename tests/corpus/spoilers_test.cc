#include "corpus/spoilers.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>

#include "corpus/spoiler_model.h"
#include "error.h"

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

// ---- The one policy (apply_spoiler_policy), as every reader runs it ----

namespace policy {

Record review(std::string_view text) {
  Record r;
  r.id = "r";
  r.type = RecordType::kReview;
  Section s;
  s.kind = SectionKind::kReview;
  s.text = std::string(text);
  r.sections.push_back(std::move(s));
  return r;
}

// The tagged text of `text` after the policy: "[...]" around spoiler_spans.
std::string tagged(std::string_view text, const SpoilerPolicyOptions& options = {}) {
  Record r = review(text);
  apply_spoiler_policy(r, options);
  return render(r.sections[0].text, r.sections[0].spoiler_spans);
}

}  // namespace policy

TEST(SpoilerPolicyTest, AuthorsMarkupAndWarningsInOtherLanguagesTag) {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"Fun. [spoiler]The cat did it.[/spoiler] Go.", "Fun. [[spoiler]The cat did it.[/spoiler]] Go."},
      {"Fun. [SPOILER=ending]The cat did it.[/SPOILER] Go.",
       "Fun. [[SPOILER=ending]The cat did it.[/SPOILER]] Go."},
      {"Fun. >!The cat did it.!< Go.", "Fun. [>!The cat did it.!<] Go."},
      {"Fun. ||The cat did it.|| Go.", "Fun. [||The cat did it.||] Go."},
      {"The pilot. [[spoiler:The cat did it.]] Fine.", "The pilot. [[[spoiler:The cat did it.]]] Fine."},
      // Unpaired Reddit or Discord marks are punctuation.
      {"a || b, and >! alone", "a || b, and >! alone"},
      {"很好看。有剧透：猫是凶手。", "很好看。[有剧透：猫是凶手。]"},
      {"剧透：猫是凶手。剧透结束。好看。", "[剧透：猫是凶手。剧透结束]。好看。"},
      {"面白い。ネタバレ注意：猫が犯人。", "面白い。[ネタバレ注意：猫が犯人。]"},
      {"재미있다. 스포일러 주의: 고양이가 범인.", "재미있다. [스포일러 주의: 고양이가 범인.]"},
      {"Toll. Spoilerwarnung: Die Katze war es.", "Toll. [Spoilerwarnung: Die Katze war es.]"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.expect, policy::tagged(c.text, {.learned = false})) << c.text;
  }
}

TEST(SpoilerPolicyTest, NegationsNeverTag) {
  const char* const texts[] = {
      "No spoilers here, but the cast is great.",
      "A spoiler-free review: watch it with friends.",
      "I won't spoil the ending, but it is worth the wait.",
      "Without spoilers: the second half drags.",
      "无剧透。很好看，演员很棒。",
      "ネタバレなし。とても面白い映画でした。",
      "스포 없음. 정말 재미있는 영화.",
      "Keine Spoiler. Ein schöner Film.",
  };
  for (const char* text : texts) {
    EXPECT_EQ(text, policy::tagged(text)) << text;
    Record r = policy::review(text);
    apply_spoiler_policy(r);
    // A text that denies spoilers may at most hide some as possible ones.
    for (const auto& s : r.sections[0].possible_spoiler_spans) EXPECT_LT(s.confidence, 1.0F);
  }
}

TEST(SpoilerPolicyTest, OpinionsAreNotSpoilersOrOnlyPossibleOnes) {
  const char* const texts[] = {
      "The ending was a letdown.",
      "Killer soundtrack.",
      "This movie killed me.",
      "I loved every minute and the acting is superb.",
  };
  for (const char* text : texts) {
    Record r = policy::review(text);
    apply_spoiler_policy(r);
    EXPECT_TRUE(r.sections[0].spoiler_spans.empty()) << text;
    for (const auto& s : r.sections[0].possible_spoiler_spans) {
      EXPECT_LT(s.confidence, SpoilerModel::builtin().tag_threshold()) << text;
    }
  }
}

TEST(SpoilerPolicyTest, TheLearnedTaggerFindsUnwarnedSpoilers) {
  ASSERT_FALSE(SpoilerModel::builtin().empty());
  // Neither text warns; the rules alone find nothing in the first.
  const std::string text =
      "In the end, the hero dies saving his daughter, and the villain is revealed to be his "
      "brother.";
  EXPECT_EQ(text, policy::tagged(text, {.learned = false}));
  EXPECT_EQ("[" + text + "]", policy::tagged(text));
  Record r = policy::review(text);
  apply_spoiler_policy(r);
  ASSERT_EQ(1u, r.sections[0].spoiler_spans.size());
  EXPECT_LT(r.sections[0].spoiler_spans[0].confidence, 1.0F);  // learned, not certain
}

TEST(SpoilerPolicyTest, WarnedSpansStayCertain) {
  const std::string text =
      "Lovely photography. SPOILER ALERT: in the end the hero dies and his brother is the killer.";
  Record r = policy::review(text);
  apply_spoiler_policy(r);
  ASSERT_FALSE(r.sections[0].spoiler_spans.empty());
  const SpoilerSpan& last = r.sections[0].spoiler_spans.back();
  EXPECT_EQ(text.size(), last.end);
  EXPECT_LE(last.begin, text.find("SPOILER"));
  EXPECT_EQ(1.0F, last.confidence);
}

TEST(SpoilerPolicyTest, AnExplicitFlagWins) {
  Record r = policy::review("SPOILER ALERT: in the end the hero dies.");
  r.sections[0].spoilers_given = true;  // the input said "spoiler": false
  apply_spoiler_policy(r);
  EXPECT_TRUE(r.sections[0].spoiler_spans.empty());
  EXPECT_TRUE(r.sections[0].possible_spoiler_spans.empty());
}

// Which sentences are tagged or possible, with white space collapsed: the decisions, whatever
// the layout.
std::string decisions(std::string_view text) {
  Record r = policy::review(text);
  apply_spoiler_policy(r);
  std::string out;
  const auto add = [&](const std::vector<SpoilerSpan>& spans, const char* mark) {
    for (const SpoilerSpan& s : spans) {
      out += mark;
      bool space = false;
      for (char c : text.substr(s.begin, s.end - s.begin)) {
        const bool blank = c == ' ' || c == '\n' || c == '\t';
        if (blank && !space) out += ' ';
        if (!blank) out += c;
        space = blank;
      }
      out += '|';
    }
  };
  add(r.sections[0].spoiler_spans, "tag:");
  add(r.sections[0].possible_spoiler_spans, "possible:");
  return out;
}

TEST(SpoilerPolicyTest, WhitespaceAndRewrappingChangeNoDecision) {
  const char* const texts[] = {
      "I loved the music. In the end, the hero dies saving his daughter. The villain is revealed "
      "to be his brother. Great cast overall.",
      "The ending was a letdown. The cast is fine and the score is lovely.",
      "A slow start. Then she finally kills her father and takes over the company.",
  };
  for (const char* text : texts) {
    std::string wrapped, spaced;
    int column = 0;
    for (const char* p = text; *p; ++p) {
      // Re-wrapped at about 30 columns, and every space doubled.
      if (*p == ' ' && column > 30) {
        wrapped += '\n';
        column = 0;
      } else {
        wrapped += *p;
        ++column;
      }
      spaced += *p;
      if (*p == ' ') spaced += ' ';
    }
    const std::string want = decisions(text);
    EXPECT_EQ(want, decisions(wrapped)) << text;
    EXPECT_EQ(want, decisions(spaced)) << text;
  }
}

// The invariants the fuzz targets check, over generated text: spans sorted, disjoint, non-empty,
// on UTF-8 boundaries; possible spans disjoint from tagged ones; the policy idempotent.
TEST(SpoilerPolicyTest, SpansKeepTheirInvariants) {
  const char* const pieces[] = {"He dies. ",      "SPOILER ALERT ",  "no spoilers ", "剧透",
                                "无剧透 ",        "[spoiler]",       "[/spoiler] ",  ">!",
                                "!< ",            "||",              "caf\xC3\xA9 ", "\n\n",
                                "In the end she ", "is revealed. ",  "Great film! ", "ネタバレ"};
  std::uint32_t state = 12345;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int n = static_cast<int>(state % 12);
    for (int i = 0; i < n; ++i) {
      state = state * 1103515245u + 12345u;
      text += pieces[(state >> 16) % std::size(pieces)];
    }
    state = state * 1103515245u + 12345u;
    Record r = policy::review(text);
    apply_spoiler_policy(r);
    const Section& s = r.sections[0];
    for (const auto* list : {&s.spoiler_spans, &s.possible_spoiler_spans}) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        const SpoilerSpan& span = (*list)[i];
        EXPECT_LT(span.begin, span.end) << text;
        EXPECT_LE(span.end, text.size()) << text;
        if (i > 0) EXPECT_LE((*list)[i - 1].end, span.begin) << text;
        for (std::size_t at : {span.begin, span.end}) {
          EXPECT_TRUE(at == text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80)
              << text << " @" << at;
        }
        EXPECT_GE(span.confidence, 0.0F);
        EXPECT_LE(span.confidence, 1.0F);
      }
    }
    for (const SpoilerSpan& p : s.possible_spoiler_spans) {
      EXPECT_FALSE(overlaps_spoiler(s.spoiler_spans, p.begin, p.end)) << text;
    }
    Record again = r;
    apply_spoiler_policy(again);
    EXPECT_EQ(s.spoiler_spans, again.sections[0].spoiler_spans) << text;
    EXPECT_EQ(s.possible_spoiler_spans, again.sections[0].possible_spoiler_spans) << text;
  }
}

TEST(SpoilerPolicyTest, OverlapsSpoilerIsTheOneTest) {
  const std::vector<SpoilerSpan> spans = {{2, 4}, {6, 9}};
  std::string bytes;
  for (std::size_t b = 0; b < 11; ++b) bytes += overlaps_spoiler(spans, b, b + 1) ? 'x' : '.';
  EXPECT_EQ("..xx..xxx..", bytes);
  EXPECT_TRUE(overlaps_spoiler(spans, 0, 3));
  EXPECT_FALSE(overlaps_spoiler(spans, 4, 6));
  EXPECT_FALSE(overlaps_spoiler(spans, 3, 3));  // empty
  EXPECT_FALSE(overlaps_spoiler({}, 0, 100));
}

TEST(SpoilerModelTest, TheBuiltinModelRecordsItsProvenance) {
  const SpoilerModel& model = SpoilerModel::builtin();
  ASSERT_FALSE(model.empty());
  for (const char* field : {"\"sources\"", "\"licence\"", "\"blocklist_sha256\"",
                            "\"refused_by_blocklist\"", "CC BY-NC-SA"}) {
    EXPECT_NE(std::string_view::npos, model.provenance().find(field)) << field;
  }
  EXPECT_LT(model.hide_threshold(), model.tag_threshold());
}

TEST(SpoilerModelTest, RejectsWhatIsNotAModel) {
  SpoilerModelData data;
  data.bits = 4;
  data.weights.assign(16, 1);
  const std::string good = encode_spoiler_model(data);
  EXPECT_FALSE(SpoilerModel::parse(good).empty());
  for (const std::string& bad : {std::string(), good.substr(0, good.size() - 1), good + "x",
                                 "X" + good.substr(1)}) {
    EXPECT_THROW(SpoilerModel::parse(bad), filmsearch::InputError) << bad.size();
  }
}

}  // namespace
}  // namespace filmsearch::corpus
