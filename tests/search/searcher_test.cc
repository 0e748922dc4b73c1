// The searcher over a small index written by the real IndexWriter: film grouping, filters,
// facets with shop-sidebar semantics, spoiler modes, sorting, paging, did-you-mean.
#include "search/searcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "error.h"
#include "index/writer.h"
#include "search/facet_table.h"
#include "test_records.h"

namespace filmsearch::search {
namespace {

using test_records::film;

corpus::Record review(std::string id, std::string film_id, std::string text) {
  corpus::Record r;
  r.id = std::move(id);
  r.type = corpus::RecordType::kReview;
  r.film_id = std::move(film_id);
  corpus::Section s;
  s.kind = corpus::SectionKind::kReview;
  s.text = std::move(text);
  std::size_t at = s.text.find("SPOILER ALERT");
  if (at != std::string::npos) s.spoiler_spans.push_back({at, s.text.size()});
  r.sections.push_back(std::move(s));
  return r;
}

class SearcherTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    static std::atomic<int> n{0};
    path_ = new std::string(testing::TempDir() + "searcher_test_" +
                            std::to_string(::getpid()) + "_" + std::to_string(n++));
    std::filesystem::remove_all(*path_);
    index::IndexWriter::Options options;
    options.path = *path_;
    options.threads = 1;
    options.review_spelling = true;  // "did you mean" is tested on a word only a review has
    index::IndexWriter writer(options);
    corpus::Record shoes = film("tt0040725", "The Red Shoes", 1948, {"Drama", "Music"},
                                "A ballerina is torn between love and her art.");
    corpus::Section quote;
    quote.kind = corpus::SectionKind::kQuote;
    quote.text = "Take off the red shoes!";
    shoes.sections.push_back(quote);
    writer.add(std::move(shoes));
    writer.add(film("tt0039192", "Black Narcissus", 1947, {"Drama"},
                    "Nuns found a convent in the Himalayas."));
    writer.add(film("tt0045152", "Singin' in the Rain", 1952, {"Comedy", "Music"},
                    "A silent film star learns to sing and dance."));
    writer.add(review("r1", "tt0040725",
                      "A wonderful ballet film with great music. SPOILER ALERT: at the end "
                      "Vicky jumps in front of a train."));
    writer.add(review("r2", "tt0040725", "The ballet sequence is a dream of colour."));
    writer.add(review("r3", "tt9999999", "A documentary about the dancers of Lermontov."));
    corpus::Record article;
    article.id = "a1";
    article.type = corpus::RecordType::kArticle;
    article.title = "Chongqing Ballet stages The Red Shoes";
    corpus::Section body;
    body.kind = corpus::SectionKind::kArticle;
    body.text = "The Chongqing ballet company performed in Beijing.";
    article.sections.push_back(body);
    writer.add(std::move(article));
    writer.finish();
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*path_);
    delete path_;
  }

  SearchResult search(SearchRequest request) { return Searcher(*path_).search(request); }

  // "tt0040725 tt9999999 a1": hit ids in order.
  std::string ids(SearchRequest request) {
    std::string out;
    for (const auto& h : search(std::move(request)).hits) out += (out.empty() ? "" : " ") + h.id;
    return out;
  }

  static std::string* path_;
};
std::string* SearcherTest::path_ = nullptr;

std::string render_facet(const FacetCounts& f) {
  std::string out;
  for (const auto& v : f.values) out += (out.empty() ? "" : " ") + v.value + ":" +
                                        std::to_string(v.count);
  return out + " (" + std::to_string(f.distinct) + ")";
}

TEST_F(SearcherTest, NoIndexIsAClearError) {
  const std::string missing = testing::TempDir() + "no_such_index_here";
  try {
    Searcher s(missing);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ("no index at " + missing + " \xE2\x80\x94 build one with filmsearch-index",
              std::string(e.what()));
  }
}

TEST_F(SearcherTest, FilmIsOneHitWithItsReviewsEvidence) {
  // Two reviews of The Red Shoes say "ballet": one hit, with the evidence of both.
  SearchResult r = search({.query = "ballet"});
  ASSERT_EQ(2u, r.hits.size());
  const Hit& shoes = r.hits[0].id == "tt0040725" ? r.hits[0] : r.hits[1];
  EXPECT_EQ("tt0040725", shoes.id);
  EXPECT_EQ("film", shoes.type);
  EXPECT_EQ("The Red Shoes", shoes.title);
  EXPECT_EQ(1948, shoes.year.value_or(0));
  EXPECT_EQ("Drama|Music",
            shoes.genres.size() == 2 ? shoes.genres[0] + "|" + shoes.genres[1] : "?");
  ASSERT_EQ(2u, shoes.snippets.size());
  EXPECT_EQ("The [ballet] sequence is a dream of colour.", render_marked(shoes.snippets[0]));
  EXPECT_EQ(2u, r.total);
  // Its score is more than its best document's.
  SearchResult docs = search({.query = "ballet", .group_by = GroupBy::kDocument});
  for (const auto& h : docs.hits) {
    if (h.type == "review") EXPECT_LT(h.score, shoes.score) << h.id;
  }
  // Per document: each review is its own hit.
  EXPECT_EQ(3u, search({.query = "ballet", .group_by = GroupBy::kDocument}).hits.size());
  // A review of a film without a record: the hit is the film id.
  EXPECT_EQ("tt9999999", ids({.query = "lermontov"}));
  // Issue 12, item 10: titled by what is known, never by a bare id.
  EXPECT_EQ("Review of tt9999999", search({.query = "lermontov"}).hits.front().title);
}

TEST_F(SearcherTest, Filters) {
  EXPECT_EQ("tt0040725 tt0045152", ids({.query = "genre:music", .sort = SortOrder::kYear}));
  EXPECT_EQ("tt0039192 tt0040725", ids({.query = "year:1940..1950", .sort = SortOrder::kYear}));
  SearchRequest by_flag{.query = "", .sort = SortOrder::kYear};
  by_flag.filters.values["genre"] = {"drama", "comedy"};  // OR within a facet
  by_flag.filters.ranges["year"].lo = 1948;               // AND across
  EXPECT_EQ("tt0040725 tt0045152", ids(by_flag));
  EXPECT_EQ("a1", ids({.query = "ballet type:article"}));
  EXPECT_EQ("tt0045152", ids({.query = "film -ballet", .group_by = GroupBy::kDocument}));
}

TEST_F(SearcherTest, FacetsCountOverOtherFacetsFilters) {
  SearchRequest request{.query = "", .facets = {"genre", "decade", "type"}};
  request.filters.values["genre"] = {"Drama"};
  SearchResult r = search(request);
  // genre ignores its own filter (a sidebar still offers Comedy); decade and type follow it.
  EXPECT_EQ("Drama:2 Music:2 Comedy:1 (3)", render_facet(r.facets["genre"]));
  EXPECT_EQ("1940s:2 (1)", render_facet(r.facets["decade"]));
  // A review inherits its film's genres, so it counts under Drama too.
  EXPECT_EQ("film:2 review:1 (2)", render_facet(r.facets["type"]));
  EXPECT_EQ(2u, r.total);  // films, exactly
  EXPECT_TRUE(r.total_exact);
  // Per document, the reviews count too.
  SearchResult d = search({.query = "ballet", .group_by = GroupBy::kDocument,
                           .facets = {"type"}});
  EXPECT_EQ("review:2 article:1 (2)", render_facet(d.facets["type"]));
  EXPECT_EQ(3u, d.total);
}

TEST_F(SearcherTest, SpoilerModes) {
  SearchResult tag = search({.query = "train"});
  ASSERT_EQ(1u, tag.hits.size());
  ASSERT_EQ(1u, tag.hits[0].snippets.size());
  EXPECT_TRUE(tag.hits[0].snippets[0].spoiler);
  EXPECT_EQ("SPOILER ALERT: at the end Vicky jumps in front of a [train].",
            render_marked(tag.hits[0].snippets[0]));

  SearchResult hide = search({.query = "train", .spoilers = SpoilerMode::kHide});
  ASSERT_EQ(1u, hide.hits.size());  // still ranks
  EXPECT_TRUE(hide.hits[0].hidden_spoiler_match);
  for (const auto& s : hide.hits[0].snippets) {
    EXPECT_FALSE(s.spoiler);
    EXPECT_EQ(std::string::npos, s.text.find("train"));
  }

  EXPECT_EQ("", ids({.query = "train", .spoilers = SpoilerMode::kExclude}));
  // The start of the review is still searched in exclude mode.
  EXPECT_EQ("tt0040725", ids({.query = "wonderful", .spoilers = SpoilerMode::kExclude}));
  SearchResult show = search({.query = "train", .spoilers = SpoilerMode::kShow});
  ASSERT_EQ(1u, show.hits[0].snippets.size());
  EXPECT_FALSE(show.hits[0].snippets[0].spoiler);
}

TEST_F(SearcherTest, SortAndPaging) {
  EXPECT_EQ("tt0039192 tt0040725 tt0045152", ids({.query = "type:film", .sort = SortOrder::kYear}));
  EXPECT_EQ("tt0045152 tt0040725 tt0039192",
            ids({.query = "type:film", .sort = SortOrder::kYearDesc}));
  EXPECT_EQ("tt0040725", ids({.query = "type:film", .offset = 1, .limit = 1,
                              .sort = SortOrder::kYear}));
  // By folded title: "singin' in the rain" before "the red shoes".
  EXPECT_EQ("tt0039192 tt0045152 tt0040725", ids({.query = "type:film", .sort = SortOrder::kTitle}));
  EXPECT_EQ("", ids({.query = "type:film", .offset = 10}));
  // Relevance paging over films.
  std::string all = ids({.query = "ballet"});
  EXPECT_EQ(all.substr(all.find(' ') + 1), ids({.query = "ballet", .offset = 1}));
}

TEST_F(SearcherTest, DidYouMean) {
  EXPECT_EQ("lermontov", search({.query = "lermontof"}).did_you_mean);
  EXPECT_EQ("red lermontov -x", search({.query = "red lermontof -x"}).did_you_mean);
  EXPECT_EQ("", search({.query = "lermontov"}).did_you_mean);
}

// Issue 12, item 12: the same query has the same total whatever the limit and sort, exact here
// (a small index), and the empty query counts films (the review counts under its film).
TEST_F(SearcherTest, TotalsAreStableAndExact) {
  for (const char* query : {"", "ballet", "genre:drama"}) {
    std::string totals;
    for (const SearchRequest& r :
         {SearchRequest{.query = query, .limit = 1, .sort = SortOrder::kYear},
          SearchRequest{.query = query, .limit = 10},
          SearchRequest{.query = query, .limit = 1, .sort = SortOrder::kTitle},
          SearchRequest{.query = query, .offset = 1, .limit = 1},
          SearchRequest{.query = query, .facets = {"genre"}}}) {
      const SearchResult result = search(r);
      totals += std::to_string(result.total) + (result.total_exact ? " " : "~ ");
    }
    const SearchResult once = search({.query = query, .facets = {"type"}});
    std::string want;
    for (int i = 0; i < 5; ++i) want += std::to_string(once.total) + " ";
    EXPECT_EQ(want, totals) << query;
  }
}

TEST_F(SearcherTest, HostileQueriesAnswer) {
  std::string huge;
  for (int i = 0; i < 20000; ++i) huge += "ballet ";
  EXPECT_EQ(2u, search({.query = huge}).hits.size());
  EXPECT_NO_THROW(search({.query = std::string("bal\0let \xFF\xFE \"((", 13)}));
  EXPECT_EQ("tt0040725", ids({.query = "\"red shoes", .limit = 1, .group_by = GroupBy::kFilm,
                              .spoilers = SpoilerMode::kTag, .snippets = 0,
                              .filters = {.values = {{"type", {"film"}}}}}));
}

// Words joined by hyphens and the same words written as one find each other, and the
// compound ranks above documents with only one of its words. Table: query -> film hits in
// order (a review counts for its film).
// A new index of `records` under the test temp dir, named `name`; returns its path.
std::string write_index(const std::string& name, std::vector<corpus::Record> records) {
  const std::string path = testing::TempDir() + name + "_" + std::to_string(::getpid());
  std::filesystem::remove_all(path);
  index::IndexWriter::Options options;
  options.path = path;
  options.threads = 1;
  index::IndexWriter writer(options);
  for (auto& r : records) writer.add(std::move(r));
  writer.finish();
  return path;
}

TEST(SearcherCompoundsTest, HyphenatedAndJoinedWordsFindEachOther) {
  const std::string path = write_index(
      "searcher_compounds",
      {film("tt0145487", "Spider-Man", 2002, {"Action"},
            "A student bitten by a spider becomes a hero."),
       film("tt0050083", "12 Angry Men", 1957, {"Drama"}, "Twelve men of a jury weigh a verdict."),
       film("tt0120903", "X-Men", 2000, {"Action"}, "Mutants at a school."),
       review("r1", "tt0000002", "The best spiderman film, better than any sequel."),
       review("r2", "tt0000003", "A sequel nobody asked for.")});
  struct Case {
    const char* query;
    const char* films;
  };
  const Case cases[] = {
      {"spiderman", "tt0145487 tt0000002"},
      {"spider-man", "tt0145487 tt0000002"},
      {"x-men", "tt0120903 tt0050083"},
      {"xmen", "tt0120903"},
      {"title:spider-man", "tt0145487"},
      // Excluded written either way: the review saying "spiderman" goes too.
      {"sequel -spider-man", "tt0000003"},
  };
  Searcher searcher(path);
  for (const Case& c : cases) {
    std::string out;
    for (const auto& h : searcher.search({.query = c.query}).hits) {
      out += (out.empty() ? "" : " ") + h.film_id;
    }
    EXPECT_EQ(c.films, out) << c.query;
  }
  std::filesystem::remove_all(path);
}

// A film titled exactly as the query is written ranks first, even against a film whose short
// synopsis says the words more often; a title that has the query after "The" comes next. Only
// the query's words as typed count: not a prefix*, not a title: field, never an excluded film.
TEST(SearcherTitlesTest, ExactTitleRanksFirst) {
  const std::string path = write_index(
      "searcher_titles",
      {film("tt0089560", "The Man with One Red Shoe", 1985, {"Comedy", "Drama"},
            "Red shoes! Red shoes, red shoes, red shoes: a man in red shoes."),
       film("tt0040725", "The Red Shoes", 1948, {"Drama"},
            "A young ballerina joins a famous company in London and is torn between love and "
            "her art, and the ballet of a girl who cannot stop dancing, from a tale by Hans "
            "Christian Andersen, with a score written for it."),
       film("tt0056262", "The Music Man", 1962, {"Musical"},
            "Music man! The music man, a music man: music, music, man."),
       film("tt0000101", "Music Man", 1990, {"Musical"},
            "A teacher in a school far from the city, a songwriter who has lost his way, finds "
            "his students again in the last week of a long winter.")});
  struct Case {
    const char* query;
    const char* first;
  };
  const Case cases[] = {
      {"the red shoes", "tt0040725"},
      {"The Red Shoes!", "tt0040725"},           // case and punctuation as the analyzer folds
      {"red shoes", "tt0040725"},                // after "The"
      {"\"red shoes\"", "tt0040725"},            // a phrase is the words as typed too
      {"red shoes genre:drama", "tt0040725"},    // filters are not words
      {"music man", "tt0000101"},                // exactly, above "The Music Man"
      {"the music man", "tt0056262"},
      {"red shoe", "tt0089560"},                 // no such title: BM25 alone
      {"red sho*", "tt0089560"},                 // a prefix is not the whole title
      {"title:red title:shoes", "tt0089560"},    // nor are field words
      {"red shoes -ballerina", "tt0089560"},     // an excluded film stays out
  };
  Searcher searcher(path);
  for (const Case& c : cases) {
    const auto hits = searcher.search({.query = c.query}).hits;
    ASSERT_FALSE(hits.empty()) << c.query;
    EXPECT_EQ(c.first, hits.front().film_id) << c.query;
  }
  std::filesystem::remove_all(path);
}

// Issue 12, item 11: spellings of one value are one facet value, counted once, so clicking
// "Drama 3" gives 3; both facet counters agree.
TEST(SearcherFacetFoldingTest, SpellingsOfOneValueCountOnce) {
  const std::string path = write_index(
      "searcher_facet_folding",
      {film("tt0000001", "One", 1948, {"Drama"}, "A ballet."),
       film("tt0000002", "Two", 1949, {"drama", "Music"}, "A ballet."),
       film("tt0000003", "Three", 1950, {"DRAMA"}, "A ballet.")});
  Searcher searcher(path);
  const SearchResult r = searcher.search({.query = "ballet", .facets = {"genre"}});
  EXPECT_EQ("DRAMA:3 Music:1 (2)", render_facet(r.facets.at("genre")));
  SearchRequest click{.query = "ballet"};
  click.filters.values["genre"] = {"DRAMA"};
  EXPECT_EQ(3u, searcher.search(click).total);
  Xapian::Database db(path);
  FacetTable table(db);
  TableFacetSpy fast(table, {"genre"}, /*by_film=*/true);
  FacetSpy slow({"genre"}, /*by_film=*/true);
  for (Xapian::docid d = 1; d <= db.get_lastdocid(); ++d) {
    fast.add(d);
    slow(db.get_document(d), 0);
  }
  EXPECT_EQ(render_facet(slow.counts("genre", 10)), render_facet(fast.counts("genre", 10)));
  std::filesystem::remove_all(path);
}

// Issue 12, item 9: a film hit's metadata is the film's, whichever of its documents matched:
// its record's, or without one its best page's (the one with the most metadata).
TEST(SearcherFilmMetadataTest, SameMetadataWhicheverDocumentMatched) {
  auto page = [](std::string id, std::string film_id, std::vector<std::string> genres,
                 std::string text) {
    corpus::Record r = film(std::move(id), "The Red Shoes", 1948, std::move(genres),
                            std::move(text));
    r.film_id = std::move(film_id);
    return r;
  };
  corpus::Record shoes = film("tt0040725", "The Red Shoes", 1948, {"Drama", "Fantasy"},
                              "A ballerina is torn between love and her art.");
  shoes.directors = {"Michael Powell", "Emeric Pressburger"};
  shoes.runtime_min = 133;
  corpus::Record sparse = page("page:b", "tt0000077", {}, "A ferry crosses the fjord at dawn.");
  sparse.title = "Fjord";
  sparse.year.reset();
  corpus::Record rich = page("page:c", "tt0000077", {"Documentary"}, "Fishermen mend nets.");
  rich.title = "Fjord";
  rich.year = 1961;
  rich.runtime_min = 20;
  const std::string path = write_index(
      "searcher_film_metadata",
      {std::move(shoes),
       page("page:a", "tt0040725", {"Music"}, "Moira Shearer dances the ballet of the shoes."),
       review("r1", "tt0040725", "Lermontov is the impresario everyone remembers."),
       std::move(sparse), std::move(rich)});
  struct Case {
    const char* query;
    const char* expect;
  };
  const Case cases[] = {
      {"ballerina", "The Red Shoes 1948 Drama,Fantasy Michael Powell,Emeric Pressburger 133"},
      // Only the page matched: its own genres ("Music") used to name the film.
      {"shearer", "The Red Shoes 1948 Drama,Fantasy Michael Powell,Emeric Pressburger 133"},
      {"lermontov", "The Red Shoes 1948 Drama,Fantasy Michael Powell,Emeric Pressburger 133"},
      // No record: the page with the most metadata names the film, whichever page matched.
      {"ferry", "Fjord 1961 Documentary  20"},
      {"fishermen", "Fjord 1961 Documentary  20"},
  };
  Searcher searcher(path);
  for (const Case& c : cases) {
    const auto hits = searcher.search({.query = c.query}).hits;
    ASSERT_EQ(1u, hits.size()) << c.query;
    const Hit& h = hits.front();
    auto join = [](const std::vector<std::string>& v) {
      std::string out;
      for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
      return out;
    };
    const std::string got = h.title + " " + (h.year ? std::to_string(*h.year) : "-") + " " +
                            join(h.genres) + " " + join(h.directors) + " " +
                            (h.runtime ? std::to_string(*h.runtime) : "-");
    EXPECT_EQ(c.expect, got) << c.query;
  }
  std::filesystem::remove_all(path);
}

// Issue 12, item 13: --group-by section ranks each section by its own score and counts
// sections; a kind filter returns sections of that kind only.
TEST(SearcherSectionsTest, EachSectionItsOwnScoreAndKind) {
  auto with = [](corpus::Record r, corpus::SectionKind kind, std::string text) {
    corpus::Section s;
    s.kind = kind;
    s.text = std::move(text);
    r.sections.push_back(std::move(s));
    return r;
  };
  const std::string path = write_index(
      "searcher_sections",
      {with(film("tt0000001", "Night Mail", 1936, {"Documentary"},
                 "The postal special leaves London at night, its sorters at work in the vans, "
                 "bags caught at speed from the trackside, the crew changing at Crewe, dawn "
                 "over the hills of the border, and the train reaches Scotland by morning."),
            corpus::SectionKind::kQuote, "The train! The night train!"),
       with(film("tt0000002", "Dawn Run", 1950, {"Drama"}, "A train at dawn."),
            corpus::SectionKind::kPlot, "Nobody waits on the platform."),
       with(with(film("tt0000003", "Quiet Talk", 1960, {"Drama"}, "Two friends talk."),
                 corpus::SectionKind::kQuote, "Say nothing."),
            corpus::SectionKind::kQuote, "Say it again.")});
  auto render = [](const SearchResult& r) {
    std::string out = std::to_string(r.total) + (r.total_exact ? "" : "~") + ":";
    for (const auto& h : r.hits) out += " " + h.id;
    return out;
  };
  auto quotes = [](std::string query) {
    SearchRequest request{.query = std::move(query), .group_by = GroupBy::kSection};
    request.filters.values["kind"] = {"quote"};
    return request;
  };
  Searcher searcher(path);
  // The quote says "train" twice in five words, the short synopsis once in four, the long one
  // once in fifty; sections used to follow their document, counted as documents (2).
  EXPECT_EQ("3: tt0000001#1 tt0000002#0 tt0000001#0",
            render(searcher.search({.query = "train", .group_by = GroupBy::kSection})));
  EXPECT_EQ("3: tt0000001#1 tt0000002#0",
            render(searcher.search({.query = "train", .limit = 2, .group_by = GroupBy::kSection})));
  // Only quotes: the film's synopsis holding "train" is not one.
  EXPECT_EQ("1: tt0000001#1", render(searcher.search(quotes("train"))));
  EXPECT_EQ("1: tt0000001#1", render(searcher.search(quotes("train kind:quote"))));
  // Browsing quotes: every quote, not one section per document.
  EXPECT_EQ("3: tt0000001#1 tt0000003#1 tt0000003#2", render(searcher.search(quotes(""))));
  std::filesystem::remove_all(path);
}

// Issue 12, items 6 and 7: a word missing from the index also matches its closest spelling
// (one edit for 5+ letters, two for 9+; --typos 0 off), and "did you mean" gives the corrected
// words, never for prefix* words or a query whose words all matched.
TEST(SearcherTyposTest, CloseSpellingsMatchAndDidYouMeanHelps) {
  auto with_people = [](corpus::Record r, std::vector<std::string> directors,
                        std::vector<std::string> cast) {
    r.directors = std::move(directors);
    r.cast = std::move(cast);
    return r;
  };
  const std::string path = write_index(
      "searcher_typos",
      {with_people(film("tt0040725", "The Red Shoes", 1948, {"Drama"},
                        "Two ballerinas dance with the Ballet Lermontov."),
                   {"Michael Powell"}, {"Moira Shearer"}),
       with_people(film("tt0054215", "Psycho", 1960, {"Thriller"},
                        "A secretary steals money and stops at a motel."),
                   {"Alfred Hitchcock"}, {"Anthony Perkins"}),
       with_people(film("tt0088247", "The Terminator", 1984, {"Action"},
                        "A cyborg assassin is sent back in time."),
                   {"James Cameron"}, {"Arnold Schwarzenegger"})});
  struct Case {
    const char* query;
    int typos;
    const char* films;
    const char* did_you_mean;
  };
  const Case cases[] = {
      {"balerina", 2, "tt0040725", "ballerinas"},  // stems one edit apart
      {"moira sheerer", 2, "tt0040725", "moira shearer"},
      {"hitchcok", 2, "tt0054215", "hitchcock"},
      {"terminater", 2, "tt0088247", "terminator"},
      {"balerina", 0, "", "ballerinas"},    // --typos 0: off (the suggestion stays)
      {"shoe", 2, "tt0040725", ""},          // four letters: never corrected
      {"psycho motel", 2, "tt0054215", ""},  // every word matched: no suggestion
      {"termin*", 2, "tt0088247", ""},       // a prefix is not a misspelling
      // A long question gets the corrected words back, not the whole question.
      {"i remember an old movie where a cyborg called the terminater comes back", 2,
       "tt0088247", "terminator"},
  };
  Searcher searcher(path);
  for (const Case& c : cases) {
    const SearchResult r = searcher.search({.query = c.query, .typos = c.typos});
    std::string out;
    for (const auto& h : r.hits) out += (out.empty() ? "" : " ") + h.film_id;
    EXPECT_EQ(c.films, out) << c.query;
    EXPECT_EQ(c.did_you_mean, r.did_you_mean) << c.query;
  }
  std::filesystem::remove_all(path);
}

// Issue 12, item 7: a correction prefers the spelling the index holds beside the query's other
// words in a name or title ("cary grant"), over a more common word as close ("great").
TEST(SearcherTyposTest, PrefersWordsTheIndexHoldsTogether) {
  corpus::Record bringing = film("tt0029947", "Bringing Up Baby", 1938, {"Comedy"},
                                 "A palaeontologist and a leopard.");
  bringing.cast = {"Cary Grant", "Katharine Hepburn"};
  const std::string path = write_index(
      "searcher_pairs",
      {std::move(bringing),
       film("tt0000201", "Great Lakes", 1950, {"Drama"}, "A great storm on a great lake."),
       film("tt0000202", "The Great Race", 1951, {"Comedy"}, "A great race across great plains."),
       film("tt0000203", "Great Hopes", 1952, {"Drama"}, "Great hopes, great falls.")});
  struct Case {
    const char* query;
    const char* first;
    const char* did_you_mean;
  };
  const Case cases[] = {
      {"cary grent", "tt0029947", "cary grant"},
      {"grent lakes", "tt0000201", "great lakes"},  // a title's words are pairs too
      {"grent", "", "great"},                       // alone: the most common spelling
  };
  Searcher searcher(path);
  for (const Case& c : cases) {
    const SearchResult r = searcher.search({.query = c.query});
    ASSERT_FALSE(r.hits.empty()) << c.query;
    if (*c.first) EXPECT_EQ(c.first, r.hits.front().film_id) << c.query;
    EXPECT_EQ(c.did_you_mean, r.did_you_mean) << c.query;
  }
  std::filesystem::remove_all(path);
}

// Issue 12, items 1-3: a record is found by its own words whatever its language (a query word
// is stemmed in every language the index holds, and searched unstemmed too); language values
// are one code per language; Korean words meet their stems without particles.
TEST(SearcherLanguagesTest, EveryLanguageFoundByItsOwnWords) {
  auto in = [](std::string lang, corpus::Record r) {
    r.lang = std::move(lang);
    return r;
  };
  const std::string path = write_index(
      "searcher_languages",
      {in("fr", film("fr1", "Le Fabuleux Destin d'Amélie Poulain", 2001, {"Comédie"},
                     "Une serveuse de Montmartre, à Paris, change la vie des gens.")),
       in("Deutsch", film("de1", "Das Boot", 1981, {"Krieg"},
                          "Ein deutsches U-Boot kämpft im Atlantik.")),
       in("es-ES", film("es1", "El laberinto del fauno", 2006, {"Fantasía"},
                        "Una niña encuentra un laberinto en el bosque.")),
       in("ko", film("ko1", "괴물", 2006, {"드라마"}, "아버지는 아이들과 함께 괴물을 찾는다.")),
       in("English", film("en1", "The Boat Race", 1950, {"Sport"},
                          "Rowers race on the river in London."))});
  struct Case {
    const char* query;
    const char* films;
  };
  const Case cases[] = {
      {"amelie", "fr1"},
      {"Amélie", "fr1"},  // accents fold the same in every language
      {"paris", "fr1"},
      {"atlantik", "de1"},
      {"laberinto", "es1"},
      {"niña", "es1"},
      {"아이들", "ko1"},  // without the particle 과
      {"아이", "ko1"},    // without the plural 들
      {"아이들과", "ko1"},
      {"rowers", "en1"},
      {"lang:de", "de1"},  // "Deutsch" was indexed as de
      {"lang:English", "en1"},
  };
  Searcher searcher(path);
  for (const Case& c : cases) {
    std::string out;
    for (const auto& h : searcher.search({.query = c.query}).hits) {
      out += (out.empty() ? "" : " ") + h.film_id;
    }
    EXPECT_EQ(c.films, out) << c.query;
  }
  std::filesystem::remove_all(path);
}

}  // namespace
}  // namespace filmsearch::search

namespace filmsearch::search {
namespace {

// The budget: a search past it stops where it is and returns what it found. A budget of 1 us
// has always passed by the first check (parsing alone takes longer), so the test does not
// depend on the machine's speed.
TEST(SearcherBudgetTest, PastItsBudgetASearchReturnsWhatItFoundAndSaysSo) {
  const std::string path = testing::TempDir() + "searcher_budget_" + std::to_string(::getpid());
  std::filesystem::remove_all(path);
  {
    index::IndexWriter::Options options;
    options.path = path;
    options.threads = 1;
    index::IndexWriter writer(options);
    for (int i = 0; i < 30; ++i) {
      writer.add(film("h" + std::to_string(i), "Heist " + std::to_string(i), 1950 + i, {"Crime"},
                      "A heist goes wrong in the city."));
    }
    // Found only by the stored-text check of a phrase of stopwords (no word to go by).
    writer.add(film("p1", "The Players", 1960, {"Drama"}, "To be or not to be, he says."));
    writer.finish();
  }
  Searcher searcher(path);
  SearchRequest request{.query = "heist OR \"to be or not to be\"",
                        .limit = 100,
                        .facets = {"genre"}};
  const SearchResult full = searcher.search(request);
  EXPECT_FALSE(full.timed_out);
  EXPECT_EQ(31u, full.hits.size());
  EXPECT_EQ(1u, full.facets.count("genre"));

  request.budget = std::chrono::microseconds(1);
  const SearchResult cut = searcher.search(request);
  EXPECT_TRUE(cut.timed_out);
  EXPECT_FALSE(cut.total_exact);
  // The heists were found by their terms; the phrase's stored-text check had no time.
  EXPECT_EQ(30u, cut.hits.size());
  for (const auto& h : cut.hits) EXPECT_NE("p1", h.id);
  EXPECT_TRUE(cut.hits.empty() || cut.hits[0].snippets.empty());
  EXPECT_EQ(0u, cut.facets.size());
  ASSERT_FALSE(cut.notes.empty());
  EXPECT_NE(std::string::npos, cut.notes.back().find("ran out of its time budget"))
      << cut.notes.back();
  EXPECT_NE(std::string::npos, cut.notes.back().find("facets")) << cut.notes.back();
  EXPECT_NE(std::string::npos, cut.notes.back().find("phrase checks")) << cut.notes.back();

  // The session is not left timed out: the next search without a budget is whole again.
  request.budget = {};
  EXPECT_EQ(31u, searcher.search(request).hits.size());
  std::filesystem::remove_all(path);
}

}  // namespace
}  // namespace filmsearch::search
