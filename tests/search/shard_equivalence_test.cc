// One searcher, several layouts of the same records, identical answers (in the style of Xapian's
// harness, which runs each API test per backend): one index; 3 permanent shards; the same 3
// shards through `remote :xapian-progsrv` stub lines; and through xapian-tcpsrv on 127.0.0.1.
// Every request of a table is rendered as filmsearch-query's JSON (without took_ms, and without
// the total when it is an estimate) and must match the single index's byte for byte.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "error.h"
#include "index/facet_key.h"
#include "index/schema.h"
#include "index/shards.h"
#include "index/writer.h"
#include "search/facets.h"
#include "search/render.h"
#include "search/searcher.h"
#include "search/shard_set.h"

namespace filmsearch::search {
namespace {

namespace fs = std::filesystem;

corpus::Section section(corpus::SectionKind kind, std::string text) {
  corpus::Section s;
  s.kind = kind;
  s.text = std::move(text);
  std::size_t at = s.text.find("SPOILER:");
  if (at != std::string::npos) s.spoiler_spans.push_back({at, s.text.size()});
  return s;
}

corpus::Record film(std::string id, std::string title, int year, std::vector<std::string> genres,
                    std::string synopsis, double rating = 0) {
  corpus::Record r;
  r.id = std::move(id);
  r.type = corpus::RecordType::kFilm;
  r.film_id = r.id;
  r.title = std::move(title);
  r.year = year;
  r.genres = std::move(genres);
  if (rating > 0) r.rating = rating;
  r.sections.push_back(section(corpus::SectionKind::kSynopsis, std::move(synopsis)));
  return r;
}

corpus::Record review(std::string id, std::string film_id, std::string text) {
  corpus::Record r;
  r.id = std::move(id);
  r.type = corpus::RecordType::kReview;
  r.film_id = std::move(film_id);
  r.sections.push_back(section(corpus::SectionKind::kReview, std::move(text)));
  return r;
}

// A page about a film that names no id: its film key is derived from its title and year, as
// the page parser derives it.
corpus::Record page(std::string id, std::string title, int year, std::string derived_key,
                    std::string text) {
  corpus::Record r;
  r.id = std::move(id);
  r.type = corpus::RecordType::kFilm;
  r.film_id = std::move(derived_key);
  r.title = std::move(title);
  r.year = year;
  r.sections.push_back(section(corpus::SectionKind::kPlot, std::move(text)));
  return r;
}

// Invented films, reviews, articles and pages: enough films that 3 shards all hold some, equal
// scores across films (identical reviews), spoilers, phrases, and a page that arrives before
// its film and one after.
std::vector<corpus::Record> records() {
  std::vector<corpus::Record> out;
  out.push_back(page("page:lantern", "The Glass Lantern", 1961, "film:the-glass-lantern-1961",
                     "A lighthouse keeper finds a glass lantern on the rocks."));
  out.push_back(film("tt9000012", "The Glass Lantern", 1961, {"Drama", "Mystery"},
                     "A lighthouse keeper and a storm that will not end.", 7.5));
  out.push_back(film("tt9000015", "Copper Meadow", 1974, {"Western"},
                     "Two sisters drive cattle across a copper meadow.", 6.1));
  out.push_back(film("tt9000003", "Night Ferry", 1999, {"Thriller", "Drama"},
                     "A ferry crossing at night hides a stolen violin.", 8.2));
  out.push_back(film("tt9000004", "Paper Orchestra", 1952, {"Music", "Comedy"},
                     "A school orchestra plays on paper instruments.", 7.0));
  out.push_back(film("tt9000005", "The Salt Road", 1948, {"Drama"},
                     "Salt traders walk the long road to the coast.", 6.8));
  out.push_back(film("tt9000006", "Winter Violin", 2003, {"Music", "Drama"},
                     "A violin maker teaches a deaf girl to feel music.", 8.8));
  out.push_back(film("tt9000007", "Harbour Lights", 1957, {"Romance"},
                     "Harbour lights and a sailor who never writes home.", 5.9));
  out.push_back(film("tt9000008", "Orchard Thieves", 1966, {"Comedy", "Crime"},
                     "Children steal apples from a grumpy orchard owner.", 6.4));
  // The same words in reviews of different films: equal scores, ordered by film key.
  for (const char* f : {"tt9000015", "tt9000005", "tt9000007", "tt9000008"}) {
    out.push_back(review(std::string("rv-") + f, f, "A quiet marvel of patience and tenderness."));
  }
  out.push_back(review("rv-ferry-1", "tt9000003",
                       "The stolen violin plot twists nicely. SPOILER: the captain took it."));
  out.push_back(review("rv-ferry-2", "tt9000003", "Night ferry scenes are tense and wet."));
  out.push_back(review("rv-violin-1", "tt9000006", "The violin maker is the heart of it."));
  out.push_back(review("rv-orch-1", "tt9000004", "Paper instruments make a joyful noise."));
  out.push_back(review("rv-orphan", "tt9999999", "A lost review of a violin documentary."));
  corpus::Record article;
  article.id = "art-1";
  article.type = corpus::RecordType::kArticle;
  article.title = "Festival shows Winter Violin";
  article.sections.push_back(section(corpus::SectionKind::kArticle,
                                     "The festival opened with a violin maker story."));
  out.push_back(article);
  out.push_back(page("page:meadow", "Copper Meadow", 1974, "film:copper-meadow-1974",
                     "Cattle, sisters and copper dust: a western of patience."));
  return out;
}

std::string temp_dir(const std::string& name) {
  static std::atomic<int> n{0};
  std::string path = testing::TempDir() + "shard_eq_" + name + "_" + std::to_string(::getpid()) +
                     "_" + std::to_string(n++);
  fs::remove_all(path);
  return path;
}

// A free TCP port on 127.0.0.1 (bound and released; the server binds it next).
unsigned free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// xapian-tcpsrv serving one shard on 127.0.0.1, killed (with its forked children) at the end.
class TcpServer {
 public:
  TcpServer(const std::string& db, unsigned port) : port_(port) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const std::string p = std::to_string(port);
      ::execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", p.c_str(),
               "--quiet", db.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);
  }
  ~TcpServer() { stop(); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Waits (bounded) until the server accepts connections.
  bool wait_ready() const {
    for (int i = 0; i < 200; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(port_));
      int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      ::close(fd);
      if (rc == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  unsigned port() const { return port_; }

 private:
  pid_t pid_ = -1;
  unsigned port_;
};

std::string render(const SearchResult& r, const std::string& query) {
  nlohmann::ordered_json j = to_json(r, query);
  j.erase("took_ms");
  if (!r.total_exact) j.erase("total");
  // Scores: summed per film in the same order on every layout; compared to 12 digits.
  for (auto& hit : j["hits"]) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", hit["score"].get<double>());
    hit["score"] = buf;
  }
  return dump_line(j);
}

struct Case {
  SearchRequest request;
  // false: needs filmsearch's phrase source on the server; over remote shards the search fails
  // with filmsearch::Error.
  bool remote_ok = true;
  // false: browsing sorted by a value with ties, which remote shards leave in docid order.
  bool remote_same = true;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  auto add = [&](SearchRequest r, bool remote_ok = true, bool remote_same = true) {
    out.push_back({std::move(r), remote_ok, remote_same});
  };
  const std::vector<std::string> all_facets = {"genre", "year", "decade", "type", "kind", "lang"};
  add({.query = "violin"});
  add({.query = "violin", .facets = all_facets});
  add({.query = "patience tenderness"});  // equal scores across films
  add({.query = "patience tenderness", .group_by = GroupBy::kDocument});
  add({.query = "patience", .group_by = GroupBy::kSection});
  add({.query = "lighthouse lantern"});  // a page that came before its film
  add({.query = "copper cattle", .facets = {"type"}});  // a page that came after its film
  add({.query = "violin genre:drama", .facets = {"genre"}});
  add({.query = "year:1940..1970", .facets = {"decade", "genre"}});
  add({.query = "", .facets = all_facets});  // browse
  add({.query = "", .limit = 3, .sort = SortOrder::kYear}, true, false);
  add({.query = "", .offset = 2, .limit = 3, .sort = SortOrder::kTitle}, true, false);
  add({.query = "orchestra OR harbour", .sort = SortOrder::kRating});
  add({.query = "violin", .offset = 1, .limit = 2});
  add({.query = "captain", .spoilers = SpoilerMode::kHide});
  add({.query = "captain", .spoilers = SpoilerMode::kExclude});
  add({.query = "captain", .spoilers = SpoilerMode::kShow});
  add({.query = "violni"});  // did you mean
  add({.query = "lighthuose keeper"});
  add({.query = "vio*"});
  add({.query = "violin -festival"});
  add({.query = "title:violin", .facets = {"type"}});
  add({.query = "\"violin maker\""}, false);
  add({.query = "\"violin maker\"", .facets = {"type"}}, false);
  add({.query = "type:review", .facets = {"genre"}, .filters = {}});
  return out;
}

class ShardEquivalenceTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    single_ = new std::string(temp_dir("single"));
    sharded_ = new std::string(temp_dir("sharded"));
    {
      index::IndexWriter writer({.path = *single_, .threads = 1, .review_spelling = true});
      for (auto& r : records()) writer.add(std::move(r));
      writer.finish();
    }
    {
      index::IndexWriter::Options w{.path = *sharded_, .threads = 1, .review_spelling = true};
      index::ShardedIndexWriter writer({.shards = 3, .writer = w});
      for (auto& r : records()) writer.add(std::move(r));
      writer.finish();
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*single_);
    fs::remove_all(*sharded_);
    delete single_;
    delete sharded_;
  }

  // A stub listing the 3 shards through `line(i)`, and the spelling table locally.
  static std::string write_stub(const std::string& name, auto line) {
    const std::string stub = temp_dir(name) + ".stub";
    std::ofstream out(stub);
    out << "# " << name << "\n";
    for (int i = 0; i < 3; ++i) out << line(i) << "\n";
    out << "auto " << *sharded_ << "/spelling\n";
    return stub;
  }
  static std::string shard(int i) { return *sharded_ + "/shard-0" + std::to_string(i); }

  // Every case on `index` must answer as on the single index.
  void expect_same(const std::string& index, bool remote) {
    Searcher expected(*single_);
    Searcher actual(index, {.remote_timeout_ms = 20000});
    for (const auto& c : cases()) {
      if (remote && !c.remote_ok) {
        EXPECT_THROW(actual.search(c.request), Error) << c.request.query;
        continue;
      }
      if (remote && !c.remote_same) continue;
      EXPECT_EQ(render(expected.search(c.request), c.request.query),
                render(actual.search(c.request), c.request.query))
          << c.request.query;
    }
  }

  static std::string* single_;
  static std::string* sharded_;
};
std::string* ShardEquivalenceTest::single_ = nullptr;
std::string* ShardEquivalenceTest::sharded_ = nullptr;

TEST_F(ShardEquivalenceTest, EveryShardHoldsFilms) {
  auto stats = index::shard_stats(*sharded_);
  ASSERT_EQ(4u, stats.size());
  for (int i = 0; i < 3; ++i) EXPECT_GT(stats[i].films, 0u) << stats[i].name;
  EXPECT_EQ(Xapian::Database(*single_).get_doccount(), stats[3].documents);
  EXPECT_TRUE(index::check_shards(*sharded_).empty());
}

TEST_F(ShardEquivalenceTest, LocalShardsAnswerAsOneIndex) { expect_same(*sharded_, false); }

TEST(ShardPagesTest, PageOfAnEarlierRunMovesToItsFilm) {
  // The pages' derived keys route elsewhere than their films: joining must move them.
  ASSERT_NE(index::shard_of_film("film:the-glass-lantern-1961", 3),
            index::shard_of_film("tt9000012", 3));
  ASSERT_NE(index::shard_of_film("film:copper-meadow-1974", 3),
            index::shard_of_film("tt9000015", 3));
  const std::string single = temp_dir("runs_single");
  const std::string sharded = temp_dir("runs_sharded");
  // Run 1: the pages only (no film answers to their keys); run 2: everything else.
  auto is_page = [](const corpus::Record& r) { return r.id.starts_with("page:"); };
  for (int run = 0; run < 2; ++run) {
    index::IndexWriter one({.path = single, .threads = 1});
    index::IndexWriter::Options w{.path = sharded, .threads = 1};
    index::ShardedIndexWriter sh({.shards = 3, .writer = w});
    for (auto& r : records()) {
      if (is_page(r) != (run == 0)) continue;
      corpus::Record copy = r;
      one.add(std::move(r));
      sh.add(std::move(copy));
    }
    one.finish();
    sh.finish();
  }
  EXPECT_TRUE(index::check_shards(sharded).empty());
  Searcher expected(single);
  Searcher actual(sharded);
  for (const char* q : {"lighthouse lantern", "copper cattle", "rocks"}) {
    SearchRequest r{.query = q, .facets = {"type"}};
    const std::string want = render(expected.search(r), q);
    EXPECT_EQ(want, render(actual.search(r), q)) << q;
    if (std::string(q) == "rocks") EXPECT_NE(want.find("\"id\":\"tt9000012\""), std::string::npos);
  }
  fs::remove_all(single);
  fs::remove_all(sharded);
}

TEST_F(ShardEquivalenceTest, ProgramShardsAnswerAsOneIndex) {
  expect_same(write_stub("progsrv", [](int i) { return "remote :xapian-progsrv " + shard(i); }),
              true);
}

// The facet counts of `spy` for every facet, one line: "genre:Drama=3,Music=2 type:film=4 |5".
std::string render_counts(const FacetSpy& spy, const std::vector<std::string>& facets) {
  std::string out;
  for (const auto& f : facets) {
    out += f + ":";
    for (const auto& v : spy.counts(f, 100).values) out += v.value + "=" + std::to_string(v.count) + ",";
    out += " ";
  }
  return out + "|" + std::to_string(spy.matches());
}

// Over remote shards facets are counted from facet keys by Xapian's own ValueCountMatchSpy,
// which runs on each shard's server: the same counts as reading every matching document of the
// single index, by film and by document.
TEST_F(ShardEquivalenceTest, FacetKeysOfRemoteShardsCountAsDocuments) {
  const std::vector<std::string> facets = {"genre", "year", "decade", "type", "kind", "lang"};
  Xapian::Database one(*single_);
  Xapian::Database remote(write_stub("keys", [](int i) {
    return "remote :xapian-progsrv " + shard(i);
  }));
  const Xapian::Query queries[] = {
      Xapian::Query::MatchAll,
      Xapian::Query("violin"),
      Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("patience"), Xapian::Query("lantern")),
  };
  for (const auto& q : queries) {
    for (bool by_film : {true, false}) {
      FacetSpy expected(facets, by_film);
      Xapian::Enquire enquire(one);
      enquire.set_query(q);
      enquire.add_matchspy(&expected);
      enquire.get_mset(0, 0, one.get_doccount());
      FacetSpy actual(facets, by_film);
      ASSERT_TRUE(count_by_facet_keys(remote, q, &actual)) << q.get_description();
      EXPECT_EQ(render_counts(expected, facets), render_counts(actual, facets))
          << q.get_description() << (by_film ? " by film" : " by document");
    }
  }
}

// An index of an older build has no facet keys: the caller must count another way.
TEST(FacetKeyTest, IndexWithoutKeysIsRefused) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document doc;
  doc.add_term("violin");
  doc.add_value(index::schema::slot(index::schema::Slot::kFilmKey), "tt1");
  db.add_document(doc);
  FacetSpy spy({"type"}, true);
  EXPECT_FALSE(count_by_facet_keys(db, Xapian::Query("violin"), &spy));
  EXPECT_EQ(0u, spy.matches());
  // A key of another shape (another number of values) is refused too.
  doc.add_value(index::schema::slot(index::schema::Slot::kFacetKey), std::string("\x02\x03tt1\x00"));
  db.replace_document(1, doc);
  EXPECT_FALSE(count_by_facet_keys(db, Xapian::Query("violin"), &spy));
  doc.add_value(index::schema::slot(index::schema::Slot::kFacetKey), index::facet_key(doc));
  db.replace_document(1, doc);
  EXPECT_TRUE(count_by_facet_keys(db, Xapian::Query("violin"), &spy));
  EXPECT_EQ(1u, spy.matches());
}

TEST_F(ShardEquivalenceTest, TcpShardsAnswerAsOneIndex) {
  std::vector<std::unique_ptr<TcpServer>> servers;
  for (int i = 0; i < 3; ++i) {
    servers.push_back(std::make_unique<TcpServer>(shard(i), free_port()));
    ASSERT_TRUE(servers.back()->wait_ready()) << "xapian-tcpsrv did not start";
  }
  expect_same(write_stub("tcp",
                         [&](int i) {
                           return "remote 127.0.0.1:" + std::to_string(servers[i]->port());
                         }),
              true);
}

TEST(ShardPositionsTest, RemoteShardsWithPositionsAnswerPhrases) {
  // Built with --positions, phrases need no stored-text check, so remote shards answer them.
  const std::string single = temp_dir("pos_single");
  const std::string sharded = temp_dir("pos_sharded");
  {
    index::IndexWriter writer({.path = single, .threads = 1, .section_positions = true});
    for (auto& r : records()) writer.add(std::move(r));
    writer.finish();
    index::IndexWriter::Options w{.path = sharded, .threads = 1, .section_positions = true};
    index::ShardedIndexWriter sw({.shards = 3, .writer = w});
    for (auto& r : records()) sw.add(std::move(r));
    sw.finish();
  }
  const std::string stub = sharded + ".stub";
  {
    std::ofstream out(stub);
    for (int i = 0; i < 3; ++i) out << "remote :xapian-progsrv " << sharded << "/shard-0" << i << "\n";
    out << "auto " << sharded << "/spelling\n";
  }
  Searcher expected(single);
  Searcher actual(stub);
  for (const char* q : {"\"violin maker\"", "\"the violin\"", "\"salt road\" OR \"copper meadow\""}) {
    SearchRequest r{.query = q, .facets = {"type", "genre"}};
    EXPECT_EQ(render(expected.search(r), q), render(actual.search(r), q)) << q;
  }
  fs::remove_all(single);
  fs::remove_all(sharded);
  fs::remove(stub);
}

TEST_F(ShardEquivalenceTest, DeadShardIsNamedOrLeftOutWhenAllowed) {
  auto server = std::make_unique<TcpServer>(shard(1), free_port());
  ASSERT_TRUE(server->wait_ready());
  const std::string label = "127.0.0.1:" + std::to_string(server->port());
  const std::string stub = write_stub("dead", [&](int i) {
    return i == 1 ? "remote " + label : "auto " + shard(i);
  });
  Searcher strict(stub, {.remote_timeout_ms = 2000});
  Searcher partial(stub, {.remote_timeout_ms = 2000, .allow_partial = true});
  ASSERT_FALSE(strict.search({.query = "violin"}).hits.empty());
  server->stop();
  try {
    strict.search({.query = "violin"});
    ADD_FAILURE() << "a dead shard answered";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shard " + label), std::string::npos) << e.what();
  }
  SearchResult r = partial.search({.query = "violin", .facets = {"type"}});
  ASSERT_FALSE(r.notes.empty());
  EXPECT_EQ(0u, r.notes.back().find("partial results: shard " + label + ": ")) << r.notes.back();
  // Opening with the shard already gone: named at once, or left out.
  try {
    Searcher late(stub, {.remote_timeout_ms = 2000});
    ADD_FAILURE() << "opened a dead shard";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shard " + label), std::string::npos) << e.what();
  }
}

TEST_F(ShardEquivalenceTest, SilentShardTimesOutNamed) {
  // A listener that never speaks: the connection is accepted by the kernel, no greeting comes.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(0, ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
  ASSERT_EQ(0, ::listen(fd, 4));
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string label = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  const std::string stub = write_stub("silent", [&](int i) {
    return i == 2 ? "remote " + label : "auto " + shard(i);
  });
  const auto start = std::chrono::steady_clock::now();
  try {
    Searcher s(stub, {.remote_timeout_ms = 300});
    ADD_FAILURE() << "a silent shard opened";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shard " + label), std::string::npos) << e.what();
  }
  // Bounded by the timeout (generously: the machine may be busy), not hung.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  Searcher partial(stub, {.remote_timeout_ms = 300, .allow_partial = true});
  SearchResult r = partial.search({.query = "violin"});
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes.back().find("partial results: shard " + label), std::string::npos);
  ::close(fd);
}

TEST(ShardCheckTest, FilmInTwoShardsOrTheWrongOneIsReported) {
  const std::string dir = temp_dir("check");
  {
    index::ShardedIndexWriter writer({.shards = 3, .writer = {.path = dir, .threads = 1}});
    for (auto& r : records()) writer.add(std::move(r));
    writer.finish();
  }
  ASSERT_TRUE(index::check_shards(dir).empty());
  // A review of tt9000003 (routed to shard-00) written straight into shard-01.
  const unsigned home = index::shard_of_film("tt9000003", 3);
  const unsigned other = (home + 1) % 3;
  {
    Xapian::WritableDatabase db(dir + "/shard-0" + std::to_string(other), Xapian::DB_OPEN);
    Xapian::Document doc;
    doc.add_boolean_term("XFtt9000003");
    doc.add_boolean_term("Qstray-review");
    db.add_document(doc);
    db.commit();
  }
  const std::string h = "shard-0" + std::to_string(home), o = "shard-0" + std::to_string(other);
  const std::vector<std::string> expect = {
      "film tt9000003 is in " + std::min(h, o) + " and " + std::max(h, o)};
  std::vector<std::string> got = index::check_shards(dir);
  // Listed once per shard pair; the stray shard also routes it elsewhere when it comes first.
  ASSERT_FALSE(got.empty());
  EXPECT_NE(std::find(got.begin(), got.end(), expect[0]), got.end()) << got[0];
  fs::remove_all(dir);
}

TEST(ShardRoutingTest, HashIsStable) {
  // Golden values: routing written by one build must be read by every other.
  EXPECT_EQ(0xcbf29ce484222325ull, index::fnv1a64(""));
  EXPECT_EQ(0xaf63dc4c8601ec8cull, index::fnv1a64("a"));
  EXPECT_EQ(0x85944171f73967e8ull, index::fnv1a64("foobar"));
  EXPECT_EQ(index::fnv1a64("tt0040725") % 4, index::shard_of_film("tt0040725", 4));
  EXPECT_EQ(0u, index::shard_of_film("tt0040725", 1));
}

TEST(ShardRoutingTest, StubLinesAreReadOrNamed) {
  const std::string dir = temp_dir("stub");
  fs::create_directories(dir);
  struct Row {
    const char* line;
    const char* expect;  // kind|label|detail, or the error's tail
  };
  const Row rows[] = {
      {"auto shard-00", "local|shard-00|shard-00"},
      {"glass /srv/films/a", "local|/srv/films/a|/srv/films/a"},
      {"remote 10.0.0.12:7001", "tcp|10.0.0.12:7001|10.0.0.12 7001"},
      {"remote [::1]:7002", "tcp|[::1]:7002|::1 7002"},
      {"remote :xapian-progsrv /srv/x", "program|:xapian-progsrv /srv/x|xapian-progsrv /srv/x"},
      {"remote 10.0.0.12", "is not HOST:PORT (or :PROGRAM ARGS)"},
      {"remote host:99999", "is not HOST:PORT (or :PROGRAM ARGS)"},
      {"tcp host 7001", "unknown database type \"tcp\" (filmsearch reads auto, glass and remote lines)"},
  };
  for (const auto& row : rows) {
    const std::string stub = dir + "/s.stub";
    std::ofstream(stub) << "# comment\n\n" << row.line << "\n";
    std::string got;
    try {
      ShardSpec s = read_shard_specs(stub).at(0);
      const char* kinds[] = {"local", "tcp", "program"};
      got = std::string(kinds[static_cast<int>(s.kind)]) + "|" + s.label + "|";
      if (s.kind == ShardSpec::Kind::kLocal) {
        got += fs::path(s.path).is_absolute() && s.path.rfind(dir, 0) == 0
                   ? s.path.substr(dir.size() + 1)
                   : s.path;
      } else if (s.kind == ShardSpec::Kind::kTcp) {
        got += s.host + " " + std::to_string(s.port);
      } else {
        got += s.program + " " + s.args;
      }
    } catch (const Error& e) {
      // The file and line named, then the reason.
      const std::string what = e.what();
      EXPECT_EQ(0u, what.find(stub + ":3: ")) << what;
      got = what.ends_with(row.expect) ? row.expect : what;
    }
    EXPECT_EQ(row.expect, got) << row.line;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace filmsearch::search
