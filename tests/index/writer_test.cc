#include "index/writer.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "corpus/page_parser.h"
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

// A fresh, empty folder per test under GoogleTest's temp dir; the pid keeps two checkouts'
// suites running at once apart.
std::string temp_index(const std::string& name) {
  auto* info = testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path p = std::filesystem::path(testing::TempDir()) /
                            (std::string("filmsearch_") + info->name() + "_" + name + "_" +
                             std::to_string(::getpid()));
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

// A saved page about a film, as the page parser gives it: its film key derived from its title
// and year, unless it names an IMDb id.
Record page(const std::string& id, const std::string& title, int year, const std::string& text,
            const std::string& imdb_id = "") {
  Record r = film(id, title, year, "Drama", text);
  r.film_id = imdb_id.empty() ? corpus::derived_film_id(title, year) : imdb_id;
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
  // Xapian's errors are not std::exception: say what failed rather than "unknown exception".
  try {
    IndexWriter writer(options);
    for (auto& r : records) writer.add(std::move(r));
    writer.finish();
  } catch (const Xapian::Error& e) {
    FAIL() << "indexing into " << path << ": " << e.get_description();
  }
}

// The ids of the documents that index `term`, sorted: "a b".
std::string ids_with(const std::string& path, const std::string& term) {
  Xapian::Database db(path);
  std::vector<std::string> ids;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    ids.push_back(stored_record(db.get_document(*p)).id);
  }
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

// Where document `id` is grouped: its kFilmKey slot, then its XF and XW terms.
std::string film_key_of(const std::string& path, const std::string& id) {
  Xapian::Database db(path);
  const std::string q = "Q" + id;
  Xapian::PostingIterator p = db.postlist_begin(q);
  if (p == db.postlist_end(q)) return "(no document)";
  Xapian::Document doc = db.get_document(*p);
  std::string out = doc.get_value(schema::slot(schema::Slot::kFilmKey));
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if ((*t).starts_with("XF") || (*t).starts_with("XW")) out += " " + *t;
  }
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

// Regression (tests/reliability/crash_safety_test): a run killed while merging leaves
// INDEX.compacting; the next run removed it only when it merged too, and a run into the
// existing index does not merge.
TEST(IndexWriterTest, ARunRemovesTheFolderOfAKilledMerge) {
  const std::string path = temp_index("db");
  index_records(path, {film("old", "Old", 1950, "Drama", "ballet")}, options(path));
  const std::string leftover = path + ".compacting";
  std::filesystem::create_directories(leftover + "/half");
  index_records(path, {film("new", "New", 1960, "Comedy", "circus")}, options(path));
  EXPECT_FALSE(std::filesystem::exists(leftover));
  EXPECT_EQ(2u, Xapian::Database(path).get_doccount());
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

// Stored records are compressed with a dictionary trained on the index's first records, kept in
// the index and used by every later run; a run too small to train one stores plain frames.
TEST(IndexWriterTest, StoredRecordsShareTheIndexDictionary) {
  const char* words[] = {"ballerina", "impresario", "composer", "dances", "the",      "red",
                         "shoes",     "London",     "Monte",    "Carlo", "premiere", "of",
                         "a",         "new",        "ballet",   "and",   "she",      "falls"};
  auto films = [&](int from, int to) {
    std::vector<Record> v;
    for (int i = from; i < to; ++i) {
      std::string text;
      for (int w = 0; w < 180; ++w) text += std::string(words[(i * 7 + w * w) % 18]) + ' ';
      v.push_back(film("f" + std::to_string(i), "Film " + std::to_string(i), 1900 + i % 120,
                       "Drama", text + std::to_string(i)));
    }
    return v;
  };
  auto ids_read = [](const std::string& path, const RecordDictionary* dictionary) {
    Xapian::Database db(path);
    std::size_t n = 0;
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
      const Xapian::Document doc = db.get_document(*p);
      n += stored_record(doc, dictionary).id == doc.get_value(schema::slot(schema::Slot::kFilmKey));
    }
    return n;
  };
  const std::string path = temp_index("db");
  index_records(path, films(0, 400), options(path, 1000));  // about 500 KB: enough to train
  const auto dictionary = RecordDictionary::load(Xapian::Database(path));
  ASSERT_NE(nullptr, dictionary);
  EXPECT_EQ(400u, ids_read(path, dictionary.get()));
  const Xapian::Database db(path);
  EXPECT_THROW(stored_record(db.get_document(1)), filmsearch::Error);  // needs the dictionary
  // A second run keeps the dictionary and uses it.
  index_records(path, films(400, 420), options(path, 1000));
  const auto after = RecordDictionary::load(Xapian::Database(path));
  ASSERT_NE(nullptr, after);
  EXPECT_EQ(dictionary->id(), after->id());
  EXPECT_EQ(420u, ids_read(path, after.get()));
  Xapian::Database reread(path);
  EXPECT_THROW(stored_record(reread.get_document(reread.get_lastdocid())), filmsearch::Error);

  const std::string small = temp_index("small");
  index_records(small, films(0, 20), options(small, 1000));
  EXPECT_EQ(nullptr, RecordDictionary::load(Xapian::Database(small)));
  EXPECT_EQ(20u, ids_read(small, nullptr));
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

TEST(FilmAliasTest, IsTheKeyThePageParserDerives) {
  struct Case {
    Record record;
    const char* expect;
  };
  Record no_year = film("tt0040725", "The Red Shoes", 1948, "Drama", "x");
  no_year.year.reset();
  const Case cases[] = {
      {film("tt0040725", "The Red Shoes", 1948, "Drama", "x"), "film:the-red-shoes-1948"},
      {film("wiki:Amélie", "Amélie", 2001, "Comedy", "x"), "film:amelie-2001"},
      {film("tt0108052", "Schindler's List", 1993, "Drama", "x"), "film:schindlers-list-1993"},
      {no_year, "film:the-red-shoes"},
      // A film under its own id, or a page naming its film's id, answers to an alias; a page
      // with only the derived key does not, nor does a review.
      {page("page:a", "The Red Shoes", 1948, "x"), ""},
      {page("page:b", "The Red Shoes", 1948, "x", "tt0040725"), "film:the-red-shoes-1948"},
      {review("rv", "tt0040725", "x"), ""},
      // A film whose id is itself a derived key groups with its pages already.
      {film("film:the-red-shoes-1948", "The Red Shoes", 1948, "Drama", "x"), ""},
      // Nothing to slug: "film:-1953" would join every page without a title from 1953.
      {film("tt0046438", "東京物語", 1953, "Drama", "x"), ""},
  };
  for (const auto& c : cases) EXPECT_EQ(c.expect, film_alias(c.record)) << c.record.id;
  // The parser's own key for a page about the film: one derivation for both.
  EXPECT_EQ(film_alias(cases[0].record),
            corpus::parse_page("The Red Shoes (1948)\nPlot\nA ballerina dances.\n",
                               corpus::PageFormat::kText, "red_shoes.txt")
                .film_id);
}

TEST(IndexWriterTest, PagesJoinTheFilmWithTheirTitleAndYear) {
  struct Case {
    const char* name;
    std::vector<std::vector<Record>> runs;  // each inner list is one run of the writer
    const char* page_id;
    const char* expect;  // film_key_of the page
  };
  const Record shoes = film("tt0040725", "The Red Shoes", 1948, "Drama", "ballet");
  const Record remake = film("tt9999999", "The Red Shoes", 1948, "Music", "another ballet");
  const Record later_shoes = film("tt0040725", "The Red Shoes", 1949, "Drama", "ballet");
  const Record p = page("page:a", "The Red Shoes", 1948, "a ballerina dances");
  const Record p_tt = page("page:b", "The Red Shoes", 1948, "a ballerina dances", "tt0040725");
  const Record p_other = page("page:c", "The Red Shoes", 1948, "another ballet", "tt9999999");
  const Record p_tt_changed = page("page:b", "The Red Shoes", 1948, "a ballet", "tt9999999");
  const Record p_no_id = page("page:b", "The Red Shoes", 1948, "a ballet");
  std::vector<Record> between{p};  // commits (of 100 records) between the page and its film
  for (int i = 0; i < 250; ++i) between.push_back(film("x" + std::to_string(i), "X", 1, "", "x"));
  between.push_back(shoes);
  const char* joined = "tt0040725 XFtt0040725 XWfilm:the-red-shoes-1948";
  const char* alone = "film:the-red-shoes-1948 XFfilm:the-red-shoes-1948";
  const Case cases[] = {
      {"film then page, same run", {{shoes, p}}, "page:a", joined},
      {"page then film, same run", {{p, shoes}}, "page:a", joined},
      {"page then film, batches between", {between}, "page:a", joined},
      {"page in run 1, film in run 2", {{p}, {shoes}}, "page:a", joined},
      {"film in run 1, page in run 2", {{shoes}, {p}}, "page:a", joined},
      {"page re-indexed alone", {{shoes, p}, {p}}, "page:a", joined},
      // Ambiguous: two films with the page's title and year; it joins neither.
      {"two films, then page", {{shoes, remake, p}}, "page:a", alone},
      {"page, then two films", {{p, shoes, remake}}, "page:a", alone},
      {"two films in two runs, then page", {{shoes}, {remake}, {p}}, "page:a", alone},
      {"joined, then a second film in a later run", {{shoes, p}, {remake}}, "page:a", alone},
      // Its film changed year: the page is about another film now.
      {"joined, then its film re-indexed as 1949", {{shoes, p}, {later_shoes}}, "page:a", alone},
      {"joined, film changed in the same run", {{shoes, p, later_shoes}}, "page:a", alone},
      {"film of another year", {{later_shoes, p}}, "page:a", alone},
      {"no film", {{p}}, "page:a", alone},
      // A page naming an IMDb id is grouped by it, and answers to its derived key with it.
      {"page names the IMDb id", {{shoes, p_tt}}, "page:b", joined},
      {"page names the IMDb id, no film", {{p_tt}}, "page:b", joined},
      // So the pages without the id join it, even with no film record.
      {"page naming the id, then page", {{p_tt, p}}, "page:a", joined},
      {"page, then page naming the id", {{p, p_tt}}, "page:a", joined},
      {"page naming the id in run 1, page in run 2", {{p_tt}, {p}}, "page:a", joined},
      {"page in run 1, page naming the id in run 2", {{p}, {p_tt}}, "page:a", joined},
      {"film and page naming its id: one key", {{shoes, p_tt, p}}, "page:a", joined},
      {"film in run 1, page naming its id in run 2", {{shoes}, {p_tt, p}}, "page:a", joined},
      // A page naming another film with that title and year makes the key ambiguous.
      {"page naming another id", {{shoes, p_other, p}}, "page:a", alone},
      {"page naming another id in run 2", {{shoes, p}, {p_other}}, "page:a", alone},
      // The page naming the id now names another: the page follows it.
      {"page re-indexed naming another id", {{p_tt, p}, {p_tt_changed}}, "page:a",
       "tt9999999 XFtt9999999 XWfilm:the-red-shoes-1948"},
      {"page re-indexed naming no id", {{p_tt, p}, {p_no_id}}, "page:a", alone},
  };
  // One database, and a fresh build in two shards (merged at finish()).
  for (unsigned shards : {1u, 2u}) {
    for (const auto& c : cases) {
      const std::string path = temp_index("db");
      for (const auto& run : c.runs) index_records(path, run, options(path, 100, 2, shards));
      EXPECT_EQ(c.expect, film_key_of(path, c.page_id)) << c.name << ", shards " << shards;
      // The film keeps its own key (and its alias).
      const std::string film_key = film_key_of(path, "tt0040725");
      if (film_key == "(no document)") continue;
      EXPECT_TRUE(film_key.starts_with("tt0040725 XFtt0040725 XWfilm:the-red-shoes-194"))
          << c.name << ": " << film_key;
    }
  }
}

TEST(IndexWriterTest, JoinedPagesKeepTheirOwnRecord) {
  const std::string path = temp_index("db");
  index_records(path,
                {page("page:a", "The Red Shoes", 1948, "a ballerina dances"),
                 film("tt0040725", "The Red Shoes", 1948, "Music", "ballet"),
                 review("rv", "tt0040725", "lovely")},
                options(path, 100, 2, 2));
  EXPECT_EQ("page:a rv tt0040725", ids_with(path, "XFtt0040725"));
  // The page's genre stays its own; the film's review inherits from the film, not the page.
  EXPECT_EQ("page:a", ids_with(path, "XGdrama"));
  EXPECT_EQ("rv tt0040725", ids_with(path, "XGmusic"));
  // Its stored record is the page as read, derived key included; the index groups it by film.
  Xapian::Database db(path);
  Record stored = stored_record(db.get_document(*db.postlist_begin("Qpage:a")));
  EXPECT_EQ("page:a film:the-red-shoes-1948 The Red Shoes",
            stored.id + " " + stored.film_id + " " + stored.title);
  EXPECT_EQ("tt0040725 XFtt0040725 XWfilm:the-red-shoes-1948", film_key_of(path, "page:a"));
}

// A derived key longer than a Xapian term is hashed into its XF and XW terms.
TEST(IndexWriterTest, PagesJoinFilmsWithLongTitles) {
  const std::string title = "The Red Shoes " + std::string(300, 'x');
  const std::string path = temp_index("db");
  index_records(path, {page("page:a", title, 1948, "a ballerina dances")}, options(path));
  index_records(path, {film("tt0040725", title, 1948, "Drama", "ballet")}, options(path));
  const std::string alias_term =
      boolean_term(schema::kFilmAliasPrefix, corpus::derived_film_id(title, 1948));
  EXPECT_EQ("tt0040725 XFtt0040725 " + alias_term, film_key_of(path, "page:a"));
  // The film changes year in a later run: the page is about another film now.
  index_records(path, {film("tt0040725", title, 1949, "Drama", "ballet")}, options(path));
  const std::string derived = corpus::derived_film_id(title, 1948);
  EXPECT_EQ(derived + " " + boolean_term(schema::kFilmPrefix, derived),
            film_key_of(path, "page:a"));
}

// What a page joined goes away: the page goes back to its derived key. Table: what answered to
// the page's key (a film record, or a page naming the film's id) -> the id removed.
TEST(IndexWriterTest, PageLeavesARemovedFilm) {
  struct Case {
    Record answering;
    const char* removed;
  };
  const Case cases[] = {
      {film("tt0040725", "The Red Shoes", 1948, "Drama", "ballet"), "tt0040725"},
      {page("page:b", "The Red Shoes", 1948, "a ballet", "tt0040725"), "page:b"},
  };
  for (const Case& c : cases) {
    const std::string path = temp_index("db");
    index_records(path, {c.answering, page("page:a", "The Red Shoes", 1948, "a ballerina dances")},
                  options(path));
    ASSERT_EQ("tt0040725 XFtt0040725 XWfilm:the-red-shoes-1948", film_key_of(path, "page:a"))
        << c.removed;
    {
      IndexWriter writer(options(path));
      writer.remove(c.removed);
      EXPECT_EQ(1u, writer.finish().rekeyed_pages) << c.removed;
    }
    EXPECT_EQ("film:the-red-shoes-1948 XFfilm:the-red-shoes-1948", film_key_of(path, "page:a"))
        << c.removed;
  }
}

// Films and their pages in either order, sharded or not, give the same index; re-indexing
// everything again changes nothing, and re-indexing one page replaces only that page.
TEST(IndexWriterTest, JoinedPagesDoNotDependOnOrder) {
  auto films = [] {
    std::vector<Record> v;
    for (int i = 0; i < 40; ++i) {
      v.push_back(film("tt" + std::to_string(i), "Film " + std::to_string(i), 1990, "Drama",
                       "a story number " + std::to_string(i)));
    }
    return v;
  };
  auto pages = [] {
    std::vector<Record> v;
    for (int i = 0; i < 40; ++i) {
      v.push_back(page("page:" + std::to_string(i), "Film " + std::to_string(i), 1990,
                       "a page about story " + std::to_string(i)));
    }
    return v;
  };
  auto concat = [](std::vector<Record> a, std::vector<Record> b) {
    for (auto& r : b) a.push_back(std::move(r));
    return a;
  };
  const std::string films_first = temp_index("films_first");
  const std::string pages_first = temp_index("pages_first");
  index_records(films_first, concat(films(), pages()), options(films_first, 16, 2, 1));
  // Routed by their derived keys, most pages land in another shard than their film.
  IndexWriter::Stats stats;
  {
    IndexWriter writer(options(pages_first, 16, 2, 2));
    for (auto& r : concat(pages(), films())) writer.add(std::move(r));
    stats = writer.finish();
  }
  EXPECT_EQ(40u, stats.rekeyed_pages);
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    EXPECT_EQ("tt" + n + " XFtt" + n + " XWfilm:film-" + n + "-1990",
              film_key_of(pages_first, "page:" + n));
  }
  EXPECT_EQ(all_terms(films_first), all_terms(pages_first));

  index_records(pages_first, concat(pages(), films()), options(pages_first, 7, 1));
  EXPECT_EQ(all_terms(films_first), all_terms(pages_first));
  {
    IndexWriter writer(options(pages_first));
    writer.add(page("page:3", "Film 3", 1990, "a page about story 3"));
    stats = writer.finish();
  }
  EXPECT_EQ(1u, stats.records);
  EXPECT_EQ(1u, stats.replaced);
  EXPECT_EQ(0u, stats.rekeyed_pages);
  EXPECT_EQ(80u, Xapian::Database(pages_first).get_doccount());
  EXPECT_EQ(all_terms(films_first), all_terms(pages_first));
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

// A build in two shards shares the second shard's spelling words out at finish() (the words
// the index shard has raise their frequency there, the others go to one shard each): the
// spelling table must come out exactly as from one database, every word with its frequency.
TEST(IndexWriterTest, ShardedBuildsKeepTheSpellingOfOneDatabase) {
  const std::vector<std::string> words = {"ballerina", "impresario", "composer", "orchestra",
                                          "premiere",  "rehearsal",  "costume",  "staircase",
                                          "railway",   "monte",      "carlo",    "lermontov"};
  std::vector<Record> records;
  for (std::size_t i = 0; i < 40; ++i) {
    // Some words in every film, some in a few, one in this film only.
    std::string text = words[i % words.size()] + " " + words[(i * 7) % words.size()] +
                       " dancer" + " uniqueword" + std::string(1, static_cast<char>('a' + i % 26)) +
                       std::string(1, static_cast<char>('a' + i / 26));
    records.push_back(film("f" + std::to_string(i), "Film " + words[i % 5], 1940 + i % 20,
                           "Drama", text));
  }
  auto spelling_of = [](const std::string& path) {
    Xapian::Database db(path);
    std::string out;
    for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) {
      out += *w + ":" + std::to_string(w.get_termfreq()) + " ";
    }
    return out;
  };
  const std::string one = temp_index("one");
  const std::string two = temp_index("two");
  index_records(one, records, options(one, 4, 2, 1));
  index_records(two, records, options(two, 4, 2, 2));
  const std::string expect = spelling_of(one);
  EXPECT_NE(std::string::npos, expect.find("dancer:40 "));
  EXPECT_NE(std::string::npos, expect.find("uniquewordab:1 "));
  EXPECT_EQ(expect, spelling_of(two));
  EXPECT_EQ("ballerina", Xapian::Database(two).get_spelling_suggestion("balerina"));
}

TEST(IndexWriterTest, RejectsBadOptions) {
  EXPECT_THROW(IndexWriter(options("")), filmsearch::ConfigError);
  EXPECT_THROW(IndexWriter(options(temp_index("db"), 0)), filmsearch::ConfigError);
}

}  // namespace
}  // namespace filmsearch::index
