// The shared reader and its sessions: sessions on several threads share one revision's facet
// table and dictionaries, follow the reader when it moves to a commit, and follow an index
// folder replaced by another.
#include "search/index_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "error.h"
#include "index/writer.h"
#include "search/facet_table.h"
#include "search/searcher.h"
#include "test_records.h"

namespace filmsearch::search {
namespace {

using test_records::film;

std::string temp_path(const std::string& name) {
  static std::atomic<int> n{0};
  return testing::TempDir() + "index_reader_test_" + name + "_" + std::to_string(::getpid()) +
         "_" + std::to_string(n++);
}

// Writes `records` into the index at `path` (created, or committed to in place).
void write(const std::string& path, std::vector<corpus::Record> records) {
  index::IndexWriter::Options options;
  options.path = path;
  options.threads = 1;
  options.compact = false;
  index::IndexWriter writer(options);
  for (auto& r : records) writer.add(std::move(r));
  writer.finish();
}

// "ids | genre facet", e.g. "f1 f2 | Drama:2 Comedy:1".
std::string render(const SearchResult& r) {
  std::string out;
  for (const auto& h : r.hits) out += h.id + " ";
  out += "|";
  auto it = r.facets.find("genre");
  if (it != r.facets.end()) {
    for (const auto& v : it->second.values) out += " " + v.value + ":" + std::to_string(v.count);
  }
  return out;
}

// Sorted by year, so the order does not depend on scores.
const SearchRequest kHeists{
    .query = "heist", .snippets = 0, .facets = {"genre"}, .sort = SortOrder::kYear};

TEST(IndexReaderTest, SessionsOnThreadsShareOneRevisionAndFollowTheReader) {
  const std::string path = temp_path("follow");
  write(path, {film("f1", "The Bank Job", 1970, {"Drama"}, "A heist at a bank."),
               film("f2", "Rififi", 1955, {"Crime"}, "A silent heist of a jeweller.")});
  auto reader = std::make_shared<IndexReader>(path, SearcherOptions{},
                                              IndexReaderOptions{.facet_table_per_revision = true});
  const auto first = reader->current();
  ASSERT_NE(nullptr, first->facet_table);
  EXPECT_EQ(2u, first->documents);
  EXPECT_EQ(first->key, first->facet_table->revision());

  // Sessions on four threads, each its own, over the one reader: the same answers.
  std::vector<std::string> seen(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      Searcher session(reader);
      for (int i = 0; i < 20; ++i) seen[t] = render(session.search(kHeists));
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& s : seen) EXPECT_EQ("f2 f1 | Crime:1 Drama:1", s);

  Searcher session(reader);
  write(path, {film("f3", "Topkapi", 1964, {"Crime"}, "A heist at a palace museum.")});
  // A session follows its reader, not the folder: the commit shows once the reader moves.
  EXPECT_EQ("f2 f1 | Crime:1 Drama:1", render(session.search(kHeists)));
  EXPECT_TRUE(reader->refresh());
  EXPECT_FALSE(reader->refresh());
  const auto second = reader->current();
  EXPECT_EQ(3u, second->documents);
  EXPECT_EQ(first->generation, second->generation);
  EXPECT_GT(second->number, first->number);
  ASSERT_NE(nullptr, second->facet_table);
  EXPECT_NE(first->facet_table, second->facet_table);
  EXPECT_EQ(second->key, second->facet_table->revision());
  EXPECT_EQ("f2 f3 f1 | Crime:2 Drama:1", render(session.search(kHeists)));
  // Record dictionaries are shared, not rebuilt per revision or per session.
  EXPECT_EQ(first->dictionaries, second->dictionaries);
  std::filesystem::remove_all(path);
}

TEST(IndexReaderTest, FollowsAFolderReplacedByAnother) {
  const std::string path = temp_path("swap");
  const std::string next = temp_path("swap_next");
  write(path, {film("f1", "The Bank Job", 1970, {"Drama"}, "A heist at a bank.")});
  write(next, {film("g1", "Heat", 1995, {"Crime"}, "A heist in Los Angeles."),
               film("g2", "Thief", 1981, {"Crime"}, "A safecracker's last heist.")});
  auto reader = std::make_shared<IndexReader>(path);
  Searcher session(reader);
  EXPECT_EQ("f1 | Drama:1", render(session.search(kHeists)));
  const auto before = reader->current();
  std::filesystem::remove_all(path);
  std::filesystem::rename(next, path);
  EXPECT_TRUE(reader->refresh());
  EXPECT_GT(reader->current()->generation, before->generation);
  // Without facet_table_per_revision the reader shares no table; the session counts itself.
  EXPECT_EQ(nullptr, reader->current()->facet_table);
  EXPECT_EQ("g2 g1 | Crime:2", render(session.search(kHeists)));
  std::filesystem::remove_all(path);
}

TEST(IndexReaderTest, NoIndexIsAClearError) {
  const std::string path = temp_path("missing");
  try {
    IndexReader reader(path);
    FAIL() << "opened a missing index";
  } catch (const Error& e) {
    EXPECT_NE(std::string::npos, std::string(e.what()).find("no index at " + path)) << e.what();
  }
}

}  // namespace
}  // namespace filmsearch::search
