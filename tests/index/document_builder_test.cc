#include "index/document_builder.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <string>

#include "index/facet_key.h"
#include "index/schema.h"
#include "index/stored_record.h"

namespace filmsearch::index {
namespace {

using corpus::Record;
using corpus::RecordType;
using corpus::Section;
using corpus::SectionKind;

// "term" for a boolean term, "term:wdf@p1,p2" for a term with positions, space separated, in
// Xapian's (sorted) order.
std::string render_terms(const Xapian::Document& doc) {
  std::string out;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (!out.empty()) out += ' ';
    out += *t;
    if (t.get_wdf() == 0 && t.positionlist_count() == 0) continue;
    out += ':' + std::to_string(t.get_wdf());
    const char* sep = "@";
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
      out += sep + std::to_string(*p);
      sep = ",";
    }
  }
  return out;
}

// "slot=value" for every value; numeric slots unserialised; lists with '|' for the separator.
std::string render_values(const Xapian::Document& doc) {
  std::string out;
  for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
    using schema::Slot;
    auto slot = static_cast<Slot>(v.get_valueno());
    std::string value = *v;
    if (slot == Slot::kYear || slot == Slot::kRating || slot == Slot::kRuntime ||
        slot == Slot::kVotes) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", Xapian::sortable_unserialise(value));
      value = buf;
    }
    if (slot == Slot::kRecord) value = "(record " + stored_record(doc).id + ")";
    if (slot == Slot::kFacetKey) {  // film key;genre;year;decade;type;kind;lang
      auto parts = decode_facet_key(value);
      value = parts ? "" : "(bad facet key)";
      for (std::size_t i = 0; parts && i < parts->size(); ++i) {
        std::string part = (*parts)[i];
        if (i == 2 && !part.empty()) part = std::to_string(std::lround(Xapian::sortable_unserialise(part)));
        value += (i ? ";" : "") + part;
      }
    }
    for (char& c : value) {
      if (c == schema::kListSeparator) c = '|';
    }
    if (!out.empty()) out += ' ';
    out += std::to_string(v.get_valueno()) + '=' + value;
  }
  return out;
}

Section section(SectionKind kind, std::string text, std::vector<corpus::SpoilerSpan> spans = {},
                bool ranked = true) {
  Section s;
  s.kind = kind;
  s.text = std::move(text);
  s.spoiler_spans = std::move(spans);
  s.ranked = ranked;
  return s;
}

Record small_film() {
  Record r;
  r.id = "tt0040725";
  r.title = "The Red Shoes";
  r.year = 1948;
  r.genres = {"Drama", "Music"};
  r.directors = {"Michael Powell"};
  r.rating = 8.1;
  r.sections.push_back(section(SectionKind::kSynopsis, "A ballerina dances."));
  return r;
}

Record small_review() {
  Record r;
  r.id = "rv1";
  r.type = RecordType::kReview;
  r.film_id = "tt0040725";
  r.rating = 9;
  r.sections.push_back(section(SectionKind::kReview, "Vicky's dancing!"));
  return r;
}

TEST(DocumentBuilderTest, RendersTermsAndValues) {
  struct Case {
    const char* name;
    Record record;
    std::optional<FilmInfo> film;
    const char* terms;
  };
  Record unranked = small_review();
  unranked.sections.push_back(
      section(SectionKind::kOther, "Watch on Netflix", {}, /*ranked=*/false));
  Record two_sections = small_review();
  two_sections.film_id.clear();
  two_sections.sections.push_back(section(SectionKind::kQuote, "Why live"));
  Record spoiler = small_review();
  // "She dies." is a spoiler span: its words get the XZ prefix and the document XVspoiler.
  spoiler.sections[0].text = "He lives. She dies.";
  spoiler.sections[0].spoiler_spans = {{10, 19}};
  // Words joined by hyphens are also one word, without position (text::hyphen_compounds); a
  // dash is no join. In the title both ways, in a spoiler span under XZ.
  Record compounds = small_film();
  compounds.title = "Spider-Man";
  compounds.directors.clear();
  compounds.sections[0].text = "X-Men meet him \u2014 then a well-known end.";
  compounds.sections[0].spoiler_spans = {{26, 41}};

  const Case cases[] = {
      // XE: the whole title; XI: without its leading article (title_key_term). XW: the derived
      // key of a page about the film that names no IMDb id (film_alias).
      {"film", small_film(), std::nullopt,
       "Qtt0040725 Sred:3@101 Sshoe:3@102 Sthe:3@100 XD1940s XEthe red shoes XFtt0040725 "
       "XGdrama XGmusic XIred shoes XKsynopsis XLen XRmichael:1@203 XRpowel:1@204 XTfilm "
       "XWfilm:the-red-shoes-1948 XY1948 a:2@305 ballerina:2@306 danc:2@307 michael:1@203 "
       "powel:1@204 red:3@101 shoe:3@102 the:3@100"},
      // A review inherits title (S only), year, decade and genres from its film.
      {"review inheriting", small_review(), FilmInfo{"The Red Shoes", 1948, {"Drama"}},
       "Qrv1 Sred:3@101 Sshoe:3@102 Sthe:3@100 XD1940s XFtt0040725 XGdrama XKreview XLen XTreview "
       "XY1948 danc:1@204 vicki:1@203"},
      {"review of an unknown film", small_review(), std::nullopt,
       "Qrv1 XFtt0040725 XKreview XLen XTreview danc:1@101 vicki:1@100"},
      // Unranked text is stored but not indexed.
      {"unranked section", unranked, std::nullopt,
       "Qrv1 XFtt0040725 XKreview XLen XTreview danc:1@101 vicki:1@100"},
      // The second section starts a gap of 100 positions after the first.
      {"position gap", two_sections, std::nullopt,
       "Qrv1 XKquote XKreview XLen XTreview danc:1@101 live:1@203 vicki:1@100 whi:1@202"},
      {"hyphen compounds", compounds, std::nullopt,
       "Qtt0040725 Sman:3@101 Sspider:3@100 Sspiderman:3 XD1940s XEspider man XFtt0040725 "
       "XGdrama XGmusic "
       "XKsynopsis XLen XTfilm XVspoiler XWfilm:spider-man-1948 XY1948 XZend:2@210 "
       "XZknown:2@209 XZwell:2@208 XZwellknown:2 a:2@207 him:2@205 man:3@101 meet:2@204 "
       "men:2@203 spider:3@100 spiderman:3 then:2@206 x:2@202 xmen:2"},
      {"spoiler span", spoiler, std::nullopt,
       "Qrv1 XFtt0040725 XKreview XLen XTreview XVspoiler XZdie:1@103 XZshe:1@102 he:1@100 live:1@101"},
  };
  // With review positions, so the table shows where each word goes (the default leaves review
  // sections without positions: ReviewsWithoutPositionsByDefault).
  DocumentBuilder::Options with_positions;
  with_positions.section_positions = true;
  DocumentBuilder builder(with_positions);
  for (const auto& c : cases) {
    Xapian::Document doc = builder.build(c.record, c.film ? &*c.film : nullptr);
    EXPECT_EQ(c.terms, render_terms(doc)) << c.name;
    EXPECT_EQ(c.record.id, stored_record(doc).id) << c.name;
  }
}

TEST(DocumentBuilderTest, RendersValues) {
  struct Case {
    const char* name;
    Record record;
    std::optional<FilmInfo> film;
    const char* values;
  };
  const Case cases[] = {
      {"film", small_film(), std::nullopt,
       "0=1948 1=8.1 3=tt0040725 4=the red shoes 5=film 6=Drama|Music 7=1940s 8=en 9=synopsis "
       "11=The Red Shoes 12=(record tt0040725) 13=tt0040725|tt0040725 "
       "14=tt0040725;Drama|Music;1948;1940s;film;synopsis;en"},
      {"review inheriting", small_review(), FilmInfo{"The Red Shoes", 1948, {"Drama"}},
       "0=1948 1=9 3=tt0040725 4=the red shoes 5=review 6=Drama 7=1940s 8=en 9=review "
       "11=The Red Shoes 12=(record rv1) 13=tt0040725|rv1 "
       "14=tt0040725;Drama;1948;1940s;review;review;en"},
      {"review alone", small_review(), std::nullopt,
       "1=9 3=tt0040725 5=review 8=en 9=review 12=(record rv1) 13=tt0040725|rv1 "
       "14=tt0040725;;;;review;review;en"},
  };
  DocumentBuilder builder;
  for (const auto& c : cases) {
    Xapian::Document doc = builder.build(c.record, c.film ? &*c.film : nullptr);
    EXPECT_EQ(c.values, render_values(doc)) << c.name;
  }
}

TEST(DocumentBuilderTest, SectionsWithoutPositionsByDefault) {
  DocumentBuilder builder;
  DocumentBuilder::Options with_positions;
  with_positions.section_positions = true;
  DocumentBuilder positioned(with_positions);
  const auto length = [](const Xapian::Document& d) {
    Xapian::termcount n = 0;
    for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) n += t.get_wdf();
    return n;
  };
  FilmInfo film{"The Red Shoes", 1948, {"Drama"}};
  // Sections keep their terms and wdf but no positions and no stopwords ("it's", "the" here;
  // the title keeps "the"), and the document is marked XUtext, whose wdf counts the stopwords
  // left out; titles and names keep positions. Films and reviews alike.
  Record review = small_review();
  review.sections[0].text = "It's Vicky's dancing, the dancing!";
  const Xapian::Document doc = builder.build(review, &film);
  EXPECT_EQ(
      "Qrv1 Sred:3@101 Sshoe:3@102 Sthe:3@100 XD1940s XFtt0040725 XGdrama XKreview XLen XTreview "
      "XUtext:2 XY1948 danc:2 vicki:1",
      render_terms(doc));
  // The film's synopsis leaves out "then", "a", "in", "the" (XUtext: 4 x wdf 2).
  Record synopsis = small_film();
  synopsis.sections[0].text = "Then a ballerina dances in the red shoes.";
  EXPECT_EQ(
      "Qtt0040725 Sred:3@101 Sshoe:3@102 Sthe:3@100 XD1940s XEthe red shoes XFtt0040725 "
      "XGdrama XGmusic XIred shoes XKsynopsis XLen XRmichael:1@203 XRpowel:1@204 XTfilm XUtext:8 "
      "XWfilm:the-red-shoes-1948 XY1948 ballerina:2 danc:2 michael:1@203 powel:1@204 red:5@101 "
      "shoe:5@102 the:3@100",
      render_terms(builder.build(synopsis)));
  // So each document is as long as with positions (and stopwords): BM25 sees the same length.
  EXPECT_EQ(length(positioned.build(review, &film)), length(doc));
  EXPECT_EQ(length(positioned.build(synopsis)), length(builder.build(synopsis)));
  // A review of stopwords only is still marked: phrases of stopwords find it by its text.
  review.sections[0].text = "It is what it is.";
  EXPECT_EQ("Qrv1 XFtt0040725 XKreview XLen XTreview XUtext:5",
            render_terms(builder.build(review)));
}

// for_each_section_term (what phrase checks walk) sees each section term at the position the
// positional index holds, less the section's start.
TEST(DocumentBuilderTest, SectionWalkMatchesIndexedPositions) {
  Record r = small_review();
  r.sections[0].text = "He lives. She dies, and Vicky's shoes dance on.";
  r.sections[0].spoiler_spans = {{10, 19}};
  r.sections.push_back(section(SectionKind::kQuote, "Why do you want to live?"));
  DocumentBuilder::Options with_positions;
  with_positions.section_positions = true;
  DocumentBuilder builder(with_positions);
  const Xapian::Document doc = builder.build(r);
  std::map<std::string, std::vector<Xapian::termpos>> indexed;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) indexed[*t].push_back(*p);
  }
  std::map<std::string, std::vector<Xapian::termpos>> walked;
  Xapian::termpos start = kPositionGap;  // the first field starts there too
  for (const auto& s : r.sections) {
    Xapian::termpos last = 0;
    builder.for_each_section_term(s, r.lang, [&](const std::string& term, const text::Token& t) {
      walked[term].push_back(start + t.position);
      last = t.position;
    });
    start += last + 1 + kPositionGap;
  }
  EXPECT_EQ(indexed, walked);
  EXPECT_EQ(1u, walked.count("XZdie"));
}

TEST(DocumentBuilderTest, CountsSpellingWords) {
  Record r = small_film();
  r.sections[0].text = "A ballerina dances in 1948, 2h long; ballerina again.";
  SpellingCounts counts;
  DocumentBuilder builder;
  builder.build(r, nullptr, &counts);
  std::map<std::string, std::uint32_t> sorted(counts.begin(), counts.end());
  std::string out;
  for (const auto& [w, n] : sorted) out += w + "=" + std::to_string(n) + " ";
  // Numbers, "2h" and body words under 3 letters are not spelling words; short title and name
  // words are.
  EXPECT_EQ("again=1 ballerina=2 dances=1 long=1 michael=1 powell=1 red=1 shoes=1 the=1 ", out);
}

// Review text feeds the spelling table only when asked (it is most of the text and brings its
// writers' misspellings); a film's text always does.
TEST(DocumentBuilderTest, ReviewWordsAreSpellingWordsOnlyWhenAsked) {
  struct Case {
    bool review_spelling;
    const char* expect;
  };
  const Case cases[] = {
      {false, ""},
      {true, "dancing=1 vicky=1 "},
  };
  for (const Case& c : cases) {
    DocumentBuilder::Options options;
    options.review_spelling = c.review_spelling;
    DocumentBuilder builder(options);
    SpellingCounts counts;
    builder.build(small_review(), nullptr, &counts);
    std::map<std::string, std::uint32_t> sorted(counts.begin(), counts.end());
    std::string out;
    for (const auto& [w, n] : sorted) out += w + "=" + std::to_string(n) + " ";
    EXPECT_EQ(c.expect, out) << c.review_spelling;
  }
}

TEST(DocumentBuilderTest, BooleanTermsStayWithinXapiansLimit) {
  std::string long_id(400, 'x');
  std::string a = boolean_term("Q", long_id);
  std::string b = boolean_term("Q", long_id + "y");
  EXPECT_LE(a.size(), 245u);
  EXPECT_NE(a, b);
  EXPECT_EQ("Qtt1", boolean_term("Q", "tt1"));
}

}  // namespace
}  // namespace filmsearch::index
