// The fast facet path: match_set() against Xapian's matcher, TableFacetSpy against FacetSpy, and
// the searcher's facets before and after it switches to the facet table.
#include "search/facet_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "index/writer.h"
#include "search/facets.h"
#include "search/match_set.h"
#include "search/searcher.h"

namespace filmsearch::search {
namespace {

corpus::Record record(std::string id, corpus::RecordType type, std::string film_id,
                      std::string title, std::optional<int> year,
                      std::vector<std::string> genres, corpus::SectionKind kind,
                      std::string text) {
  corpus::Record r;
  r.id = std::move(id);
  r.type = type;
  r.film_id = std::move(film_id);
  r.title = std::move(title);
  r.year = year;
  r.genres = std::move(genres);
  corpus::Section s;
  s.kind = kind;
  s.text = std::move(text);
  r.sections.push_back(std::move(s));
  return r;
}

class FacetTableTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    static std::atomic<int> n{0};
    path_ = new std::string(testing::TempDir() + "facet_table_test_" +
                            std::to_string(::getpid()) + "_" + std::to_string(n++));
    std::filesystem::remove_all(*path_);
    index::IndexWriter::Options options;
    options.path = *path_;
    options.threads = 1;
    index::IndexWriter writer(options);
    using corpus::RecordType;
    using corpus::SectionKind;
    // docids 1..8 in this order.
    writer.add(record("f1", RecordType::kFilm, "f1", "The Red Shoes", 1948, {"Drama", "Music"},
                      SectionKind::kSynopsis, "A ballerina dances in red shoes."));
    writer.add(record("f2", RecordType::kFilm, "f2", "Black Narcissus", 1947, {"Drama"},
                      SectionKind::kSynopsis, "Nuns found a convent in the mountains."));
    writer.add(record("f3", RecordType::kFilm, "f3", "Singin' in the Rain", 1952,
                      {"Comedy", "Music"}, SectionKind::kPlot, "A star learns to sing and dance."));
    writer.add(record("r1", RecordType::kReview, "f1", "", std::nullopt, {},
                      SectionKind::kReview, "The ballet in red is a dream."));
    writer.add(record("r2", RecordType::kReview, "f1", "", std::nullopt, {},
                      SectionKind::kReview, "Shoes, ballet and music."));
    writer.add(record("r3", RecordType::kReview, "f3", "", std::nullopt, {},
                      SectionKind::kReview, "Rain and dance and joy."));
    writer.add(record("r4", RecordType::kReview, "f9", "", std::nullopt, {},
                      SectionKind::kReview, "A ballet documentary."));
    writer.add(record("a1", RecordType::kArticle, "", "Ballet news", std::nullopt, {},
                      SectionKind::kArticle, "The ballet company danced."));
    writer.finish();
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*path_);
    delete path_;
  }

  // "1 4 5": the members of a set.
  static std::string render(const DocSet& set) {
    std::string out;
    set.for_each([&](Xapian::docid d) { out += (out.empty() ? "" : " ") + std::to_string(d); });
    return out;
  }
  // The same, as Xapian's matcher finds them.
  static std::string enquire_render(const Xapian::Database& db, const Xapian::Query& q) {
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    std::string out;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      out += (out.empty() ? "" : " ") + std::to_string(*it);
    }
    return out;
  }
  static std::string render(const FacetCounts& f) {
    std::string out;
    for (const auto& v : f.values) {
      out += (out.empty() ? "" : " ") + v.value + ":" + std::to_string(v.count);
    }
    return out + " (" + std::to_string(f.distinct) + ")";
  }

  static std::string* path_;
};
std::string* FacetTableTest::path_ = nullptr;

using Q = Xapian::Query;

TEST_F(FacetTableTest, MatchSetIsWhatTheMatcherFinds) {
  Xapian::Database db(*path_);
  struct Row {
    Q query;
    std::string expected;
  };
  const std::vector<Row> rows = {
      {Q("ballet"), "4 5 7 8"},
      {Q("zzqqxx"), ""},
      {Q(Q::OP_OR, Q("ballet"), Q("rain")), "3 4 5 6 7 8"},
      {Q(Q::OP_SYNONYM, Q("danc"), Q("XZdanc")), "1 3 6 8"},
      {Q(Q::OP_AND, Q("ballet"), Q("red")), "4"},
      {Q(Q::OP_AND_NOT, Q("ballet"), Q("XTreview")), "8"},
      {Q(Q::OP_FILTER, Q("danc"), Q("XGmusic")), "1 3 6"},  // r3 inherits Music
      {Q(Q::OP_AND_MAYBE, Q("ballet"), Q("rain")), "4 5 7 8"},
      {Q(Q::OP_SCALE_WEIGHT, Q("rain"), 2.0), "3 6"},
      {Q(Q::OP_AND_NOT, Q::MatchAll, Q("ballet")), "1 2 3 6"},
      {Q::MatchAll, "1 2 3 4 5 6 7 8"},
      {Q(), ""},
      {Q(Q::OP_FILTER, Q::MatchAll, Q(Q::OP_OR, Q("XTfilm"), Q("XTarticle"))), "1 2 3 8"},
  };
  FacetTable table(db);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.query.get_description());
    ASSERT_TRUE(match_set_supports(row.query));
    std::optional<DocSet> set = match_set(db, row.query);
    ASSERT_TRUE(set.has_value());
    EXPECT_EQ(row.expected, render(*set));
    EXPECT_EQ(enquire_render(db, row.query), render(*set));
    EXPECT_EQ(render(*set), render(*match_set(db, row.query, &table.documents())));
  }
}

TEST_F(FacetTableTest, MatchSetLeavesOtherQueriesToTheMatcher) {
  Xapian::Database db(*path_);
  const std::vector<Q> rows = {
      Q(Q::OP_PHRASE, Q("red"), Q("shoe")),
      Q(Q::OP_VALUE_RANGE, 0, Xapian::sortable_serialise(1940), Xapian::sortable_serialise(1950)),
      Q(Q::OP_OR, Q("ballet"), Q(Q::OP_NEAR, Q("red"), Q("shoe"))),  // nested
      Q(Q::OP_XOR, Q("ballet"), Q("rain")),
      Q(Q::OP_WILDCARD, "bal"),
  };
  for (const auto& q : rows) {
    SCOPED_TRACE(q.get_description());
    EXPECT_FALSE(match_set_supports(q));
    EXPECT_FALSE(match_set(db, q).has_value());
  }
}

TEST_F(FacetTableTest, TableSpyCountsAsFacetSpy) {
  Xapian::Database db(*path_);
  FacetTable table(db);
  const std::vector<std::string> facets = {"genre", "year", "decade", "type", "kind", "lang"};
  struct Row {
    Q query;
    bool by_film;
    std::string genre;  // expected genre counts
    std::uint64_t matches;
  };
  const std::vector<Row> rows = {
      // Reviews inherit their film's genres: The Red Shoes counts once per film, three times
      // per document.
      {Q("ballet"), true, "Drama:1 Music:1 (2)", 3},  // f1 (r1, r2), f9 (r4), a1
      {Q("ballet"), false, "Drama:2 Music:2 (2)", 4},
      {Q::MatchAll, true, "Drama:2 Music:2 Comedy:1 (3)", 5},  // ties by value
      {Q::MatchAll, false, "Music:5 Drama:4 Comedy:2 (3)", 8},
      {Q("zzqqxx"), true, " (0)", 0},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.query.get_description() + (row.by_film ? " by film" : " by document"));
    FacetSpy slow(facets, row.by_film);
    TableFacetSpy fast(table, facets, row.by_film);
    Xapian::Enquire enquire(db);
    enquire.set_query(row.query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.add_matchspy(&slow);
    enquire.get_mset(0, 0, db.get_doccount());
    match_set(db, row.query)->for_each([&](Xapian::docid d) { fast.add(d); });
    EXPECT_EQ(row.genre, render(fast.counts("genre", 10)));
    EXPECT_EQ(row.matches, fast.matches());
    EXPECT_EQ(slow.matches(), fast.matches());
    for (const auto& f : facets) {
      EXPECT_EQ(render(slow.counts(f, 10)), render(fast.counts(f, 10))) << f;
      EXPECT_EQ(render(slow.counts(f, 1)), render(fast.counts(f, 1))) << f;
    }
  }
}

TEST_F(FacetTableTest, SearcherFacetsAreTheSameBeforeAndAfterTheTable) {
  // A fresh Searcher counts its first small matches document by document; once half the index
  // has been counted that way (the browse), it builds the table. Same answers either way.
  Searcher searcher(*path_);
  auto facets_of = [&](const std::string& query, std::vector<std::string> genres) {
    SearchRequest request{.query = query, .facets = {"genre", "decade", "type"}};
    request.filters.values["genre"] = std::move(genres);
    SearchResult r = searcher.search(request);
    return std::to_string(r.total) + (r.total_exact ? " " : "~ ") +
           render(r.facets["genre"]) + " | " + render(r.facets["decade"]) + " | " +
           render(r.facets["type"]);
  };
  // Few matches (2, then 1 document of 8): counted document by document.
  const std::string rain = "1 Comedy:1 Music:1 (2) | 1950s:1 (1) | film:1 review:1 (2)";
  const std::string joy = "1 Comedy:1 Music:1 (2) | 1950s:1 (1) | review:1 (1)";
  EXPECT_EQ(rain, facets_of("rain", {}));
  EXPECT_EQ(joy, facets_of("joy", {}));
  // The browse counts all 8: past half the index, so the table is built for it.
  EXPECT_EQ("5 Drama:2 Music:2 Comedy:1 (3) | 1940s:2 1950s:1 (2) | film:3 review:3 article:1 (3)",
            facets_of("", {}));
  EXPECT_EQ(rain, facets_of("rain", {}));
  EXPECT_EQ(joy, facets_of("joy", {}));
  // f1 (its film and r1), f3 (its film and r3), a1: a film counts once per value.
  EXPECT_EQ("3 Music:2 Comedy:1 Drama:1 (3) | 1940s:1 1950s:1 (2) | film:2 review:2 article:1 (3)",
            facets_of("dance red", {}));
  // "dance" with --genre comedy: genre counts leave the genre filter out (shop sidebar).
  EXPECT_EQ("1 Music:2 Comedy:1 Drama:1 (3) | 1950s:1 (1) | film:1 review:1 (2)",
            facets_of("dance", {"comedy"}));
}

}  // namespace
}  // namespace filmsearch::search
