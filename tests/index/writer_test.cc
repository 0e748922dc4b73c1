#include "index/writer.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "error.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/stored_record.h"

namespace filmsearch::index {
namespace {

using corpus::Record;
using corpus::RecordType;
using corpus::Section;
using corpus::SectionKind;

// A fresh, empty folder per test under GoogleTest's temp dir.
std::string temp_index(const std::string& name) {
  auto* info = testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path p = std::filesystem::path(testing::TempDir()) /
                            (std::string("filmsearch_") + info->name() + "_" + name);
  std::filesystem::remove_all(p);
  return p.string();
}

Record film(const std::string& id, const std::string& title, int year, const std::string& genre,
            const std::string& text) {
  Record r;
  r.id = id;
  r.title = title;
  r.year = year;
  r.genres = {genre};
  Section s;
  s.kind = SectionKind::kSynopsis;
  s.text = text;
  r.sections.push_back(s);
  return r;
}

Record review(const std::string& id, const std::string& film_id, const std::string& text) {
  Record r;
  r.id = id;
  r.type = RecordType::kReview;
  r.film_id = film_id;
  Section s;
  s.kind = SectionKind::kReview;
  s.text = text;
  r.sections.push_back(s);
  return r;
}

IndexWriter::Options options(const std::string& path, std::size_t batch = 20000,
                             unsigned threads = 0, unsigned shards = 0) {
  IndexWriter::Options o;
  o.path = path;
  o.batch_records = batch;
  o.threads = threads;
  o.shards = shards;
  return o;
}

void index_records(const std::string& path, std::vector<Record> records,
                   IndexWriter::Options options) {
  options.path = path;
  IndexWriter writer(options);
  for (auto& r : records) writer.add(std::move(r));
  writer.finish();
}

// The ids of the documents that index `term`, sorted: "a b".
std::string ids_with(const std::string& path, const std::string& term) {
  Xapian::Database db(path);
  std::vector<std::string> ids;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    ids.push_back(decode_record(db.get_document(*p).get_data()).id);
  }
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

// Every term with its document frequency: a fingerprint of the index's content.
std::string all_terms(const std::string& path) {
  Xapian::Database db(path);
  std::string out;
  for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
    out += *t + ":" + std::to_string(t.get_termfreq()) + " ";
  }
  return out;
}

TEST(IndexWriterTest, ReplacesByIdAndDeletes) {
  const std::string path = temp_index("db");
  index_records(
      path,
      {film("a", "Alpha", 1950, "Drama", "ballet"), film("b", "Beta", 1960, "Comedy", "circus")},
      options(path));
  {
    IndexWriter writer(options(path));
    writer.add(film("a", "Alpha", 1950, "Drama", "opera"));  // replaces a
    writer.remove("b");
    writer.remove("no-such-id");  // absence is not an error
    IndexWriter::Stats stats = writer.finish();
    EXPECT_EQ(1u, stats.replaced);
    EXPECT_EQ(1u, stats.deleted);
  }
  Xapian::Database db(path);
  EXPECT_EQ(1u, db.get_doccount());
  EXPECT_EQ("", ids_with(path, "ballet"));
  EXPECT_EQ("a", ids_with(path, "opera"));
  EXPECT_EQ("", ids_with(path, "Qb"));
}

// Regression (tests/reliability/crash_safety_test): adding many batches to a non-empty index
// failed with DatabaseModifiedError once the writer's own commits discarded the revision of the
// snapshot that add() reads for "is this id new?" and "is this review's film indexed?".
TEST(IndexWriterTest, ManyBatchesIntoANonEmptyIndex) {
  const std::string path = temp_index("db");
  index_records(path, {film("old", "Old", 1950, "Drama", "ballet")}, options(path));
  std::vector<Record> records;
  for (int i = 0; i < 300; ++i) {
    records.push_back(i % 2 ? review("r" + std::to_string(i), "old", "lovely ballet")
                            : film("f" + std::to_string(i), "New", 1960, "Comedy", "circus"));
  }
  index_records(path, std::move(records), options(path, /*batch=*/1));
  EXPECT_EQ(301u, Xapian::Database(path).get_doccount());
  EXPECT_EQ(151u, Xapian::Database(path).get_termfreq("ballet"));
}

TEST(IndexWriterTest, SameRecordTwiceInOneRunKeepsTheLast) {
  const std::string path = temp_index("db");
  index_records(
      path,
      {film("a", "Alpha", 1950, "Drama", "ballet"), film("a", "Alpha", 1950, "Drama", "opera")},
      options(path));
  EXPECT_EQ(1u, Xapian::Database(path).get_doccount());
  EXPECT_EQ("a", ids_with(path, "opera"));
  EXPECT_EQ("", ids_with(path, "ballet"));
}

TEST(IndexWriterTest, ReindexingTheSameInputGivesTheSameIndex) {
  const std::string once = temp_index("once");
  const std::string twice = temp_index("twice");
  auto records = [] {
    std::vector<Record> v;
    for (int i = 0; i < 300; ++i) {
      v.push_back(film("f" + std::to_string(i), "Film " + std::to_string(i), 1900 + i % 120,
                       i % 2 ? "Drama" : "Comedy", "a story number " + std::to_string(i)));
      v.push_back(review("r" + std::to_string(i), "f" + std::to_string(i % 50), "fine film"));
    }
    return v;
  };
  // One database, no shards; then a sharded fresh build and a re-run over it.
  index_records(once, records(), options(once, 64, 2, 1));
  index_records(twice, records(), options(twice, 64, 2, 2));
  index_records(twice, records(), options(twice, 7, 1));
  EXPECT_EQ(Xapian::Database(once).get_doccount(), Xapian::Database(twice).get_doccount());
  EXPECT_EQ(600u, Xapian::Database(twice).get_doccount());
  EXPECT_EQ(all_terms(once), all_terms(twice));
}

TEST(IndexWriterTest, ReviewsInheritTheirFilm) {
  struct Case {
    const char* name;
    std::vector<std::vector<Record>> runs;  // each inner list is one run of the writer
  };
  const Record red_shoes = film("tt0040725", "The Red Shoes", 1948, "Drama", "ballet");
  const Record rv = review("rv1", "tt0040725", "a wonderful dance");
  const Case cases[] = {
      {"film first", {{red_shoes, rv}}},
      {"review first, same run", {{rv, red_shoes}}},
      {"review first, same run, many records between", {[&] {
         std::vector<Record> v{rv};
         for (int i = 0; i < 500; ++i) v.push_back(review("x" + std::to_string(i), "tt9", "x"));
         v.push_back(red_shoes);
         return v;
       }()}},
      {"film in a later run", {{rv}, {red_shoes}}},
      {"film in an earlier run", {{red_shoes}, {rv}}},
  };
  for (const auto& c : cases) {
    const std::string path = temp_index("db");
    for (const auto& run : c.runs) index_records(path, run, options(path, 100));
    EXPECT_EQ("rv1 tt0040725", ids_with(path, "XGdrama")) << c.name;
    EXPECT_EQ("rv1 tt0040725", ids_with(path, "XD1940s")) << c.name;
    EXPECT_EQ("rv1 tt0040725", ids_with(path, "Sshoe")) << c.name;
    // The inherited title is not the review's own text.
    EXPECT_EQ("tt0040725", ids_with(path, "shoe")) << c.name;
    EXPECT_EQ("rv1 tt0040725", ids_with(path, "XFtt0040725")) << c.name;
    Xapian::Database db(path);
    Xapian::PostingIterator p = db.postlist_begin("Qrv1");
    ASSERT_NE(p, db.postlist_end("Qrv1")) << c.name;
    EXPECT_EQ("The Red Shoes",
              db.get_document(*p).get_value(schema::slot(schema::Slot::kDisplayTitle)))
        << c.name;
  }
}

TEST(IndexWriterTest, ChangedFilmUpdatesItsReviews) {
  const std::string path = temp_index("db");
  index_records(path, {film("f", "Old Title", 1950, "Drama", "x"), review("r", "f", "y")},
                options(path));
  index_records(path, {film("f", "New Title", 1961, "Comedy", "x")}, options(path));
  EXPECT_EQ("f r", ids_with(path, "XGcomedy"));
  EXPECT_EQ("", ids_with(path, "XGdrama"));
  EXPECT_EQ("f r", ids_with(path, "XY1961"));
}

TEST(IndexWriterTest, SecondWriterGetsALockError) {
  const std::string path = temp_index("db");
  IndexWriter first(options(path));
  try {
    IndexWriter second(options(path));
    FAIL() << "a second writer opened a locked index";
  } catch (const filmsearch::Error& e) {
    EXPECT_EQ(0u, std::string(e.what()).find(path + " is locked by another writer")) << e.what();
  }
}

TEST(IndexWriterTest, CommitsInBatchesAndDropsTheUncommittedRest) {
  const std::string path = temp_index("db");
  {
    // One shard: every batch goes straight into the index.
    IndexWriter writer(options(path, 2, 2, 1));
    for (int i = 0; i < 5; ++i) writer.add(film(std::to_string(i), "T", 2000, "Drama", "x"));
    // Two batches of two are committed by the writer thread without commit(); wait for them.
    for (int i = 0; i < 2000 && writer.stats().commits < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(2u, writer.stats().commits);
    EXPECT_EQ(4u, Xapian::Database(path).get_doccount());
    // Destroyed without commit(): the fifth record is dropped, the index stays as committed.
  }
  EXPECT_EQ(4u, Xapian::Database(path).get_doccount());
}

TEST(IndexWriterTest, FeedsSpellingSuggestions) {
  const std::string path = temp_index("db");
  index_records(path,
                {film("a", "The Red Shoes", 1948, "Drama", "a ballerina who dances"),
                 film("b", "Swan Lake", 1950, "Music", "another ballerina, a pianist")},
                options(path));
  Xapian::Database db(path);
  EXPECT_EQ("ballerina", db.get_spelling_suggestion("balerina"));
  EXPECT_EQ("shoes", db.get_spelling_suggestion("shoos"));
  EXPECT_EQ("pianist", db.get_spelling_suggestion("pianistt"));
  // Numbers are not spelling words.
  EXPECT_EQ("", db.get_spelling_suggestion("19488"));
}

TEST(IndexWriterTest, RejectsBadOptions) {
  EXPECT_THROW(IndexWriter(options("")), filmsearch::ConfigError);
  EXPECT_THROW(IndexWriter(options(temp_index("db"), 0)), filmsearch::ConfigError);
}

}  // namespace
}  // namespace filmsearch::index
