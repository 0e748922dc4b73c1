// Filter values, row by row: what add_filter reads (describe()) and what it says (note), and the
// field table they come from.
#include "search/filters.h"

#include <gtest/gtest.h>

#include <string>

#include "corpus/record.h"
#include "index/schema.h"
#include "search/facets.h"
#include "search/query_parser.h"

namespace filmsearch::search {
namespace {

TEST(FiltersTest, AddFilterReadsOrExplains) {
  struct Case {
    const char* field;
    const char* value;
    const char* expect;  // describe() | note ("!" when not read as written)
  };
  const Case cases[] = {
      {"genre", "Drama", "genre:drama"},
      {"type", "review", "type:review"},
      // Issue 12, item 5: these were silently empty (type:movie matched nothing).
      {"type", "movie", "type:film | ! type:movie is not a type (film, review or article); "
                        "read as type:film"},
      {"type", "show", " | ! type:show is not a type (film, review or article)"},
      {"kind", "plot-twist", " | ! kind:plot-twist is not a kind (a section kind: synopsis, plot, "
                             "review, quote, cast, faq, trivia, article, other)"},
      {"kind", "Quote", "kind:quote"},
      {"year", "1948", "year:1948..1948"},
      {"year", "1950..1940", "year:1940..1950 | ! year:1950..1940 is an empty range; read as "
                             "year:1940..1950"},
      {"year", "abc", " | ! year:abc is not a number or a range (a year or a range: 1948, "
                      "1940..1950, 1940.., ..1950)"},
      {"decade", "1940s", "decade:1940s"},
      {"decade", "40s", "decade:1940s | decade:40s read as decade:1940s"},
      {"decade", "1940", "decade:1940s | decade:1940 read as decade:1940s"},
      {"decade", "1945", " | ! decade:1945 is not a decade (a decade: 1940s (or 40s))"},
      // Languages: one BCP 47 code per language (item 2).
      {"lang", "English", "lang:en"},
      {"lang", "en-US", "lang:en"},
      {"lang", "français", "lang:fr"},
      {"lang", "xx", " | ! lang:xx is not a language ICU knows (a language: a BCP 47 code (en, "
                     "fr, zh-Hant) or its name (English, français))"},
      {"rating", "7.5..", "rating:7.5.."},
      {"cast", "shearer", " | ! cast is not a filter"},
  };
  for (const auto& c : cases) {
    Filters f;
    const FilterReading r = add_filter(c.field, c.value, &f);
    std::string got = describe(f);
    if (!r.note.empty()) got += std::string(" | ") + (r.ok ? "" : "! ") + r.note;
    EXPECT_EQ(c.expect, got) << c.field << ":" << c.value;
  }
}

// Issue 12, item 21: one field table. Its closed value lists agree with the corpus, and the
// facets, the query language and the filters all answer from it.
TEST(FiltersTest, OneFieldTable) {
  for (const auto& kind : index::schema::kKindValues) {
    EXPECT_TRUE(corpus::parse_kind(kind)) << kind;
  }
  for (int k = 0; k <= static_cast<int>(corpus::SectionKind::kOther); ++k) {
    const auto name = corpus::kind_name(static_cast<corpus::SectionKind>(k));
    EXPECT_NE(std::end(index::schema::kKindValues),
              std::find(std::begin(index::schema::kKindValues),
                        std::end(index::schema::kKindValues), name))
        << name;
  }
  EXPECT_EQ("genre, year, decade, type, kind, lang", facet_names());
  EXPECT_EQ("title, cast, director, genre, year, decade, type, kind, lang, rating",
            field_names());
  EXPECT_TRUE(is_facet("lang"));
  EXPECT_FALSE(is_facet("rating"));
  EXPECT_FALSE(is_facet("actor"));
}

}  // namespace
}  // namespace filmsearch::search
