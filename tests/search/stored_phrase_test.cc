// Phrases in section text indexed without positions are checked against the stored text: the
// same records indexed with and without positions must match the same phrase queries.
#include "search/stored_phrase.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "index/document_builder.h"
#include "index/schema.h"
#include "index/stored_record.h"
#include "index/writer.h"
#include "search/query_parser.h"

namespace filmsearch::search {
namespace {

corpus::Record record(corpus::RecordType type, std::string id, std::vector<std::string> texts) {
  corpus::Record r;
  r.id = std::move(id);
  r.type = type;
  r.film_id = type == corpus::RecordType::kFilm ? r.id : "tt0040725";
  if (type == corpus::RecordType::kFilm) r.title = "The Red Shoes";
  for (auto& text : texts) {
    corpus::Section s;
    s.kind = type == corpus::RecordType::kFilm ? corpus::SectionKind::kSynopsis
                                               : corpus::SectionKind::kReview;
    s.text = std::move(text);
    std::size_t at = s.text.find("SPOILER ALERT");
    if (at != std::string::npos) s.spoiler_spans.push_back({at, s.text.size()});
    r.sections.push_back(std::move(s));
  }
  return r;
}

std::vector<corpus::Record> records() {
  using corpus::RecordType;
  corpus::Record la_story = record(RecordType::kFilm, "tt0102250", {"He finds love in L.A."});
  la_story.title = "L.A. Story";
  return {
      record(RecordType::kFilm, "tt0040725", {"A ballerina dances in the red shoes."}),
      std::move(la_story),
      record(RecordType::kReview, "adjacent", {"I loved the red shoes in this film."}),
      record(RecordType::kReview, "apart", {"The shoes were red and lovely."}),
      record(RecordType::kReview, "spoiler", {"Great. SPOILER ALERT: she dies in the red shoes."}),
      record(RecordType::kReview, "two-sections", {"It was all red", "Shoes, and more shoes."}),
      record(RecordType::kReview, "punctuation", {"Red, shoes: that is the film."}),
      record(RecordType::kReview, "repeated", {"Bye bye birdie, said the red red shoes."}),
      record(RecordType::kReview, "stemmed", {"Dancing shoes and a reddish glow."}),
      record(RecordType::kReview, "stopwords", {"It is what it is."}),
  };
}

// A test's index, removed with it.
struct TestIndex {
  std::string path;
  explicit TestIndex(std::string p) : path(std::move(p)) {}
  TestIndex(const TestIndex&) = delete;
  TestIndex& operator=(const TestIndex&) = delete;
  ~TestIndex() { std::filesystem::remove_all(path); }
};

std::unique_ptr<TestIndex> build_index(bool section_positions) {
  auto* info = testing::UnitTest::GetInstance()->current_test_info();
  auto index = std::make_unique<TestIndex>(testing::TempDir() + "stored_phrase_test_" +
                                           info->name() +
                                           (section_positions ? "_positions" : "_stored"));
  std::filesystem::remove_all(index->path);
  index::IndexWriter::Options options;
  options.path = index->path;
  options.threads = 1;
  options.section_positions = section_positions;
  index::IndexWriter writer(options);
  for (auto& r : records()) writer.add(std::move(r));
  writer.finish();
  return index;
}

// The ids of the documents `query` matches, sorted, space separated.
std::string matches(const Xapian::Database& db, const std::string& query, bool spoilers = true) {
  ParseOptions options;
  options.include_spoiler_text = spoilers;
  Xapian::Enquire enquire(db);
  enquire.set_query(parse_query(query, &db, options).query);
  std::set<std::string> ids;
  Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    ids.insert(index::stored_record(it.get_document()).id);
  }
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

TEST(StoredPhraseTest, MatchesAsPositionsWould) {
  struct Case {
    const char* query;
    bool spoilers;
    const char* expect;
  };
  const Case cases[] = {
      {"\"red shoes\"", true, "adjacent punctuation repeated spoiler tt0040725"},
      {"\"red shoes\"", false, "adjacent punctuation repeated tt0040725"},
      {"\"the shoes were red\"", true, "apart"},
      {"\"bye bye\"", true, "repeated"},
      {"\"red red shoes\"", true, "repeated"},
      {"\"red bye\"", true, ""},                       // both words, never adjacent
      {"\"red shoes\" -ballerina", true, "adjacent punctuation repeated spoiler"},
      {"\"dancing shoes\"", true, "stemmed"},           // stems, as the index holds them
      {"\"shoes red\"", true, ""},                     // order matters
      {"\"all red shoes\"", true, ""},                 // never across sections
      {"\"she dies in the red shoes\"", true, "spoiler"},
      // Stopwords are not indexed without positions: the stored text still has them.
      {"\"the red shoes\"", true, "adjacent spoiler tt0040725"},
      {"\"that is the\"", true, "punctuation"},
      {"\"it is\"", true, "stopwords"},       // stopwords only: every record is read
      {"\"what it is\"", true, "stopwords"},
      {"\"is it\"", true, ""},
      // "love" only in unpositioned text, "story" second in the title: no phrase.
      {"\"love story\"", true, ""},
      {"\"l.a. story\"", true, "tt0102250"},
  };
  const auto stored_index = build_index(false);
  const auto positioned_index = build_index(true);
  const Xapian::Database stored(stored_index->path);
  const Xapian::Database positioned(positioned_index->path);
  ASSERT_GT(stored.get_termfreq(std::string(index::schema::kUnpositionedTerm)), 0u);
  ASSERT_EQ(0u, positioned.get_termfreq(std::string(index::schema::kUnpositionedTerm)));
  for (const auto& c : cases) {
    EXPECT_EQ(c.expect, matches(stored, c.query, c.spoilers)) << c.query;
    EXPECT_EQ(c.expect, matches(positioned, c.query, c.spoilers)) << c.query << " (positions)";
  }
}

// The source reads only documents that have every word of the phrase and no positions.
TEST(StoredPhraseTest, ChecksOnlyCandidates) {
  const auto index = build_index(false);
  const Xapian::Database db(index->path);
  StoredPhraseSource source({"red", "shoe"}, {false, false});
  source.init(db);
  std::set<Xapian::docid> found;
  for (source.next(0); !source.at_end(); source.next(0)) found.insert(source.get_docid());
  // The film and the reviews with both words: adjacent, apart, two-sections, punctuation,
  // repeated (the spoiler review has them as XZ terms).
  EXPECT_EQ(6u, source.checks());
  EXPECT_EQ(4u, found.size());
  // "the" is a stopword: only "red" and "shoe" choose the candidates, the same six.
  StoredPhraseSource with_stopword({"the", "red", "shoe"}, {true, false, false});
  with_stopword.init(db);
  found.clear();
  for (with_stopword.next(0); !with_stopword.at_end(); with_stopword.next(0)) {
    found.insert(with_stopword.get_docid());
  }
  EXPECT_EQ(6u, with_stopword.checks());
  EXPECT_EQ(2u, found.size());  // the film, adjacent
  // Stopwords only: every unpositioned document (the two films, the eight reviews) is a
  // candidate.
  StoredPhraseSource stopwords({"it", "is"}, {true, true});
  stopwords.init(db);
  found.clear();
  for (stopwords.next(0); !stopwords.at_end(); stopwords.next(0)) found.insert(stopwords.get_docid());
  EXPECT_EQ(10u, stopwords.checks());
  EXPECT_EQ(1u, found.size());
}

// A source reads at most max_checks stored texts (shared with its clones); past them nothing
// more matches, and its report says so. Table: budget -> checks, matches, stopped.
TEST(StoredPhraseTest, StopsAtItsBudgetAndSaysSo) {
  const auto index = build_index(false);
  const Xapian::Database db(index->path);
  struct Case {
    std::size_t max_checks;
    std::size_t checked;
    std::size_t found;
    bool stopped;
  };
  // "it is": every record is a candidate (10), one has the phrase ("stopwords", the last one).
  const Case cases[] = {
      {kMaxStoredPhraseChecks, 10, 1, false},
      {10, 10, 1, false},
      {9, 9, 0, true},
      {0, 0, 0, true},
  };
  for (const Case& c : cases) {
    std::vector<std::shared_ptr<const StoredPhraseCheck>> checks;
    Xapian::Query q = phrase_query({"it", "is"}, {true, true}, "", &checks, "it is",
                                   c.max_checks);
    ASSERT_EQ(1u, checks.size());
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    // A second run (as the facet counts make) re-reads nothing: the budget is per query.
    enquire.get_mset(0, db.get_doccount(), db.get_doccount());
    std::size_t found = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      found += index::stored_record(it.get_document()).id == "stopwords";
    }
    EXPECT_EQ(c.found, found) << c.max_checks;
    EXPECT_EQ(c.checked, checks[0]->checked) << c.max_checks;
    EXPECT_EQ(c.stopped, checks[0]->stopped) << c.max_checks;
    EXPECT_EQ("it is", checks[0]->phrase);
  }
}

// Backends without revision numbers (the in-memory one, used by the fuzzers) work too.
TEST(StoredPhraseTest, InMemoryDatabase) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  index::DocumentBuilder builder;
  for (const auto& r : records()) db.add_document(builder.build(r));
  EXPECT_EQ("adjacent punctuation repeated spoiler tt0040725", matches(db, "\"red shoes\""));
  EXPECT_EQ("apart", matches(db, "\"the shoes were red\""));
}

}  // namespace
}  // namespace filmsearch::search
