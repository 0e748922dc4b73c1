// The HTTP API, in process on an ephemeral loopback port: every route, every error status, and
// the contract that /search answers exactly filmsearch-query --format json's object.
#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <filesystem>
#include <thread>

#include "index/shards.h"
#include "server_support.h"

namespace filmsearch::server::testing {
namespace {

using Json = nlohmann::ordered_json;

class ServerApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { index_ = new SuiteIndex("server_api_test"); }
  static void TearDownTestSuite() { delete index_; }
  void SetUp() override {
    ServiceOptions options;
    options.index_path = index_->path();
    server_ = std::make_unique<TestServer>(options);
  }
  std::uint16_t port() const { return server_->port(); }

  static SuiteIndex* index_;
  std::unique_ptr<TestServer> server_;
};
SuiteIndex* ServerApiTest::index_ = nullptr;

// filmsearch-query --format json for `args`, without took_ms.
Json cli_json(const std::string& index, const std::string& args) {
  const std::string command =
      std::string(FILMSEARCH_QUERY_BIN) + " --index " + index + " --format json " + args;
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  if (pipe) pclose(pipe);
  Json j = Json::parse(out);
  j.erase("took_ms");
  return j;
}

Json without_timing(Json j) {
  j.erase("took_ms");
  return j;
}

TEST_F(ServerApiTest, HealthVersionStats) {
  Reply health = request(port(), "GET", "/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json()["status"], "ok");
  EXPECT_EQ(health.json()["documents"], 25);
  EXPECT_GT(health.json()["revision"].get<int>(), 0);
  Reply version = request(port(), "GET", "/version");
  ASSERT_EQ(version.status, 200);
  EXPECT_EQ(version.json()["name"], "filmsearch");
  EXPECT_TRUE(version.json()["xapian"].is_string());
  Reply stats = request(port(), "GET", "/stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stats.json()["documents"], 25);
  EXPECT_EQ(stats.json()["queue"]["capacity"], 64);
}

TEST_F(ServerApiTest, SearchIsTheQueryToolsJsonPlusTimedOutAndRevision) {
  struct Row {
    std::string target, cli_args;
  };
  const Row rows[] = {
      {"/search?q=red+shoes", "'red shoes'"},
      {"/search?q=dance&genre=Musical&genre=Comedy&facets=genre,decade&limit=3&offset=1",
       "--genre Musical --genre Comedy --facets genre,decade --limit 3 --offset 1 dance"},
      {"/search?q=dance&year=1950..1959&sort=-year&spoilers=hide",
       "--year 1950..1959 --sort=-year --spoilers hide dance"},
      {"/search?q=train&spoilers=hide&group_by=document",
       "--spoilers hide --group-by document train"},
      {"/search?q=lermontof", "lermontof"},
      {"/search?q=%E6%98%A5", "春"},
  };
  for (const auto& row : rows) {
    Reply reply = request(port(), "GET", row.target);
    ASSERT_EQ(reply.status, 200) << row.target << ": " << reply.body;
    Json served = reply.json();
    EXPECT_EQ(served["timed_out"], false) << row.target;
    EXPECT_TRUE(served["revision"].is_number_unsigned()) << row.target;
    served.erase("timed_out");
    served.erase("revision");
    EXPECT_EQ(without_timing(served).dump(), cli_json(index_->path(), row.cli_args).dump())
        << row.target;
  }
}

TEST_F(ServerApiTest, PostSearchAnswersAsGet) {
  Reply get = request(port(), "GET", "/search?q=ballet&genre=Drama&facets=genre&limit=2");
  Reply post =
      request(port(), "POST", "/search",
              R"({"query":"ballet","filters":{"genre":"Drama"},"facets":["genre"],"limit":2})");
  ASSERT_EQ(get.status, 200);
  ASSERT_EQ(post.status, 200) << post.body;
  EXPECT_EQ(without_timing(get.json()).dump(), without_timing(post.json()).dump());
  EXPECT_EQ(get.json()["hits"][0]["id"], "tt0040725");
}

TEST_F(ServerApiTest, MultiSearchKeepsEachQid) {
  Reply reply =
      request(port(), "POST", "/multi-search",
              R"({"queries":[{"qid":"a","query":"vertigo"},{"qid":7,"query":"noon","limit":1}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const Json results = reply.json()["results"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["qid"], "a");
  EXPECT_EQ(results[0]["hits"][0]["id"], "tt0052357");
  EXPECT_EQ(results[1]["qid"], 7);
  EXPECT_EQ(results[1]["hits"][0]["id"], "tt0044706");
}

TEST_F(ServerApiTest, RecordsAsStored) {
  Reply film = request(port(), "GET", "/films/tt0040725");
  ASSERT_EQ(film.status, 200) << film.body;
  EXPECT_EQ(film.json()["title"], "The Red Shoes");
  EXPECT_EQ(film.json()["sections"][1]["spoiler"], true);
  Reply review = request(port(), "GET", "/documents/rv%3Aredshoes%3A1");
  ASSERT_EQ(review.status, 200) << review.body;
  EXPECT_EQ(review.json()["type"], "review");
  EXPECT_EQ(request(port(), "GET", "/films/rv:redshoes:1").json()["code"], "not_found");
  EXPECT_EQ(request(port(), "GET", "/films/tt9999999").status, 404);
  EXPECT_EQ(request(port(), "GET", "/documents/nope").status, 404);
}

TEST_F(ServerApiTest, ErrorsAreJsonWithTheRightStatus) {
  struct Row {
    std::string method, target, body;
    int status;
    std::string code, field;
  };
  const std::string big(70 * 1024, ' ');
  const Row rows[] = {
      {"POST", "/search", "{\"query\":", 400, "bad_request", "body"},
      {"POST", "/search", "[[[[[[[[", 400, "bad_request", "body"},
      {"POST", "/search", "[1]", 400, "bad_request", ""},
      {"POST", "/search", R"({"query":"x","limit":1000})", 400, "bad_request", "limit"},
      {"POST", "/search", R"({"query":"x","filters":{"genre":1}})", 400, "bad_request",
       "filters.genre"},
      {"POST", "/search", R"({"query":"x","budget_ms":9000})", 400, "bad_request", "budget_ms"},
      {"POST", "/search", "{\"query\":\"" + std::string(17 * 1024, 'a') + "\"}", 400, "bad_request",
       "query"},
      {"GET", "/search?q=x&limit=ten", "", 400, "bad_request", "limit"},
      {"GET", "/search?q=x&colour=red", "", 400, "bad_request", "colour"},
      {"GET", "/search?q=x&sort=sideways", "", 400, "bad_request", "sort"},
      {"GET", "/search?q=%zz", "", 400, "bad_target", "target"},
      {"GET", "/search?q=%00", "", 400, "bad_target", "target"},
      {"POST", "/multi-search", R"({"queries":[{"query":"a"},{"limit":-1}]})", 400, "bad_request",
       "queries[1].limit"},
      {"POST", "/multi-search", R"({"queries":[{"qid":1}],"x":1})", 400, "bad_request", "x"},
      {"GET", "/nope", "", 404, "not_found", ""},
      {"DELETE", "/search", "", 405, "method_not_allowed", ""},
      {"GET", "/multi-search", "", 405, "method_not_allowed", ""},
      {"POST", "/films/tt0040725", "{}", 405, "method_not_allowed", ""},
      {"POST", "/search", big, 413, "body_too_large", ""},
  };
  for (const auto& row : rows) {
    Reply reply = request(port(), row.method, row.target, row.body);
    const std::string what = row.method + " " + row.target.substr(0, 60);
    ASSERT_EQ(reply.status, row.status) << what << ": " << reply.body;
    EXPECT_EQ(reply.header("Content-Type"), "application/json") << what;
    Json j = reply.json();
    EXPECT_EQ(j["code"], row.code) << what;
    EXPECT_TRUE(j["message"].is_string()) << what;
    if (!row.field.empty()) EXPECT_EQ(j.value("field", ""), row.field) << what;
  }
  EXPECT_EQ(request(port(), "DELETE", "/search").header("Allow"), "GET, POST");
  // A header past 8 KB: 431 before anything is searched.
  Reply huge =
      request(port(), "GET", "/search?q=x", "", "X-Pad: " + std::string(9000, 'a') + "\r\n");
  EXPECT_EQ(huge.status, 431);
  Reply long_target = request(port(), "GET", "/search?q=" + std::string(9000, 'a'));
  EXPECT_EQ(long_target.status, 431);
}

TEST_F(ServerApiTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Connection c(port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send_all("GET /search?q=vertigo&limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
    Reply r = parse_reply(c.read_response());
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.json()["hits"][0]["id"], "tt0052357");
  }
}

TEST_F(ServerApiTest, TheWebPageAndNothingOutsideIt) {
  Reply page = request(port(), "GET", "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(page.body.find("<html"), std::string::npos);
  EXPECT_EQ(request(port(), "GET", "/assets/app.js").header("Content-Type"),
            "text/javascript; charset=utf-8");
  for (const char* target :
       {"/assets/../CMakeLists.txt", "/assets/..%2f..%2fCMakeLists.txt",
        "/assets/%2e%2e/%2e%2e/CMakeLists.txt", "/assets/.hidden", "/assets/",
        "/assets//etc/passwd", "/assets/app.js%00.html", "/assets/..\\..\\x", "/assets/nope.js"}) {
    Reply r = request(port(), "GET", target);
    EXPECT_TRUE(r.status == 404 || r.status == 400) << target << " " << r.status;
    EXPECT_EQ(r.body.find("cmake_minimum_required"), std::string::npos) << target;
  }
}

TEST(ServerWebRootTest, ServesTheFolderButNoSymlinkOutOfIt) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("server_web_root_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "web");
  std::ofstream(dir / "web" / "index.html") << "<html>dev copy</html>";
  std::ofstream(dir / "secret.txt") << "secret";
  fs::create_symlink(dir / "secret.txt", dir / "web" / "leak.txt");
  ServiceOptions options;
  options.index_path = (dir / "no.db").string();
  options.web_root = (dir / "web").string();
  TestServer server(options);
  EXPECT_EQ(request(server.port(), "GET", "/").body, "<html>dev copy</html>");
  Reply leak = request(server.port(), "GET", "/assets/leak.txt");
  EXPECT_EQ(leak.status, 404);
  EXPECT_EQ(leak.body.find("secret\""), std::string::npos);
  EXPECT_EQ(request(server.port(), "GET", "/assets/..%2fsecret.txt").status, 404);
  fs::remove_all(dir);
}

TEST(ServerQueueTest, AFullQueueAnswers503WithRetryAfter) {
  ServiceOptions options;
  options.index_path =
      ::testing::TempDir() + "/server_queue_test_" + std::to_string(::getpid()) + ".db";
  options.queue = 0;  // every search finds the queue full
  TestServer server(options);
  Reply r = request(server.port(), "GET", "/search?q=x");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("Retry-After"), "1");
  EXPECT_EQ(r.json()["code"], "overloaded");
}

TEST(ServerFreshnessTest, NoIndexThenAnIndexThenARecordAddedAndAFolderSwapped) {
  namespace fs = std::filesystem;
  const std::string path =
      ::testing::TempDir() + "/server_fresh_test_" + std::to_string(::getpid()) + ".db";
  fs::remove_all(path);
  ServiceOptions options;
  options.index_path = path;
  options.refresh_every = std::chrono::milliseconds(50);
  TestServer server(options);
  Reply none = request(server.port(), "GET", "/health");
  EXPECT_EQ(none.status, 503);
  EXPECT_EQ(none.json()["status"], "unavailable");
  Reply no_search = request(server.port(), "GET", "/search?q=x");
  EXPECT_EQ(no_search.status, 503);
  EXPECT_EQ(no_search.json()["code"], "no_index");

  build_index(path);
  auto found = [&](const std::string& target, const std::string& id) {
    // Generous: the machine may be loaded; the server looks every 50 ms and before each search.
    for (int i = 0; i < 200; ++i) {
      Reply r = request(server.port(), "GET", target);
      EXPECT_TRUE(r.status == 200) << r.status << " " << r.body;
      if (r.status == 200 && !r.json()["hits"].empty() && r.json()["hits"][0]["id"] == id)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  EXPECT_TRUE(found("/search?q=vertigo", "tt0052357"));

  // A record committed in place (the writer's commit, no compaction).
  {
    index::IndexWriter::Options o;
    o.path = path;
    o.threads = 1;
    o.compact = false;
    index::IndexWriter writer(o);
    corpus::Record r = corpus::record_from_json(
        nlohmann::json::parse(
            R"({"id":"tt9000001","type":"film","title":"Zanzibar Nocturne","year":1949})"),
        "new:1", nullptr);
    writer.add(std::move(r));
    writer.commit();
    EXPECT_TRUE(found("/search?q=zanzibar", "tt9000001"));
  }
  // A run that compacts and swaps a new folder in: a reopen would keep reading the old one.
  {
    index::IndexWriter::Options o;
    o.path = path;
    o.threads = 1;
    o.compact = true;
    o.compact_existing = true;  // filmsearch-index --compact
    index::IndexWriter writer(o);
    writer.add(corpus::record_from_json(
        nlohmann::json::parse(
            R"({"id":"tt9000002","type":"film","title":"Quixotic Harbour","year":1951})"),
        "new:2", nullptr));
    writer.finish();
  }
  EXPECT_TRUE(found("/search?q=quixotic", "tt9000002"));
  EXPECT_TRUE(found("/search?q=zanzibar", "tt9000001"));
  fs::remove_all(path);
}

}  // namespace
}  // namespace filmsearch::server::testing

namespace filmsearch::server::testing {
namespace {

constexpr const char* kKey = "test-admin-key-0123456789";
const std::string kBearer = std::string("Authorization: Bearer ") + kKey + "\r\n";

class ServerWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/server_write_test_" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove_all(path_);
    build_index(path_);
    ServiceOptions options;
    options.index_path = path_;
    options.admin_key = kKey;
    server_ = std::make_unique<TestServer>(options);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(path_);
  }
  std::uint16_t port() const { return server_->port(); }
  std::string path_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(ServerWriteTest, WritesNeedTheKey) {
  Reply none = request(port(), "POST", "/documents", "{}");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(request(port(), "POST", "/documents", "{}", "Authorization: Bearer nope\r\n").status,
            403);
  EXPECT_EQ(request(port(), "DELETE", "/documents/tt0040725", "", "Authorization: Bearer nope\r\n")
                .status,
            403);
  EXPECT_EQ(request(port(), "GET", "/tasks/1").status, 401);
  // Without --admin-key there are no writes at all.
  ServiceOptions options;
  options.index_path = path_;
  TestServer read_only(options);
  Reply off = request(read_only.port(), "POST", "/documents", "{}", kBearer);
  EXPECT_EQ(off.status, 403);
  EXPECT_EQ(off.json()["code"], "writes_disabled");
}

TEST_F(ServerWriteTest, AddWithWaitIsSearchableAndReportsEachBadLine) {
  const std::string body =
      R"({"id":"tt7000001","type":"film","title":"Glass Lantern","year":1957,"genres":["Drama"]})"
      "\n"
      "{not json\n"
      "\n"
      R"({"id":"x1","type":"spaceship"})"
      "\n";
  Reply r = request(port(), "POST", "/documents?wait=true", body, kBearer);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto task = r.json();
  EXPECT_EQ(task["status"], "partial");
  EXPECT_EQ(task["received"], 3);
  EXPECT_EQ(task["indexed"], 1);
  ASSERT_EQ(task["errors"].size(), 2u);
  EXPECT_EQ(task["errors"][0]["line"], 2);
  EXPECT_EQ(task["errors"][1]["line"], 4);
  EXPECT_NE(task["errors"][1]["message"].get<std::string>().find("spaceship"), std::string::npos);
  // Searchable as soon as the answer came.
  Reply found = request(port(), "GET", "/search?q=lantern");
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.json()["hits"].size(), 1u);
  EXPECT_EQ(found.json()["hits"][0]["id"], "tt7000001");
  // The task is remembered.
  Reply again =
      request(port(), "GET", "/tasks/" + std::to_string(task["task"].get<int>()), "", kBearer);
  EXPECT_EQ(again.json()["status"], "partial");
  EXPECT_EQ(request(port(), "GET", "/tasks/999", "", kBearer).status, 404);
}

TEST_F(ServerWriteTest, AJsonArrayAsync202ThenDelete) {
  Reply accepted =
      request(port(), "POST", "/documents",
              R"([{"id":"tt7000002","type":"film","title":"Paper Harbour"}])", kBearer);
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string task = "/tasks/" + std::to_string(accepted.json()["task"].get<int>());
  std::string status;
  for (int i = 0; i < 400 && status != "succeeded"; ++i) {
    status = request(port(), "GET", task, "", kBearer).json()["status"];
    if (status != "succeeded") std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(status, "succeeded");
  EXPECT_EQ(request(port(), "GET", "/search?q=harbour").json()["hits"][0]["id"], "tt7000002");
  Reply deleted = request(port(), "DELETE", "/documents/tt7000002?wait=true", "", kBearer);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.json()["deleted"], 1);
  EXPECT_EQ(request(port(), "GET", "/search?q=harbour").json()["total"], 0);
  EXPECT_EQ(request(port(), "GET", "/documents/tt7000002").status, 404);
}

TEST_F(ServerWriteTest, NothingValidIs400AndALockedIndexIs409) {
  Reply bad = request(port(), "POST", "/documents?wait=true", "{oops\n", kBearer);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["errors"][0]["line"], 1);
  EXPECT_EQ(request(port(), "POST", "/documents?colour=red", "{}", kBearer).status, 400);
  // Another writer (here: this process, as filmsearch-index would) holds the index.
  index::IndexWriter::Options o;
  o.path = path_;
  o.threads = 1;
  index::IndexWriter holder(o);
  Reply locked = request(port(), "POST", "/documents",
                         R"({"id":"tt7000003","type":"film","title":"Locked Out"})", kBearer);
  EXPECT_EQ(locked.status, 409) << locked.body;
  EXPECT_EQ(locked.json()["code"], "index_locked");
}

}  // namespace
}  // namespace filmsearch::server::testing

namespace filmsearch::server::testing {
namespace {

// The records of tests/server/films.jsonl, the first `skip` left out.
std::vector<corpus::Record> film_records(std::size_t skip = 0) {
  std::vector<corpus::Record> out;
  std::ifstream in(source_dir() + "/tests/server/films.jsonl");
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (static_cast<std::size_t>(number) <= skip) continue;
    out.push_back(corpus::record_from_json(nlohmann::json::parse(line),
                                           "films.jsonl:" + std::to_string(number), nullptr));
  }
  return out;
}

// What /search answers, without what differs between two servers of the same records.
std::string searched(std::uint16_t port, const std::string& target) {
  Reply reply = request(port, "GET", target);
  EXPECT_EQ(reply.status, 200) << target << ": " << reply.body;
  Json j = reply.json();
  for (const char* key : {"took_ms", "revision"}) j.erase(key);
  return j.dump();
}

// --index may name a sharded index folder or a stub file listing its shards: the server answers
// as over one index, and follows a run that adds records to the shards.
TEST(ServerShardsTest, AShardedFolderOrAStubServesAsOneIndexAndFollowsCommits) {
  const std::string base = ::testing::TempDir() + "/server_shards_" + std::to_string(::getpid());
  const std::string sharded = base + ".db";
  const std::string stub = base + ".stub";
  std::filesystem::remove_all(sharded);
  SuiteIndex single("server_shards_single");
  auto write = [&](std::vector<corpus::Record> records) {
    index::IndexWriter::Options w{.path = sharded, .threads = 1};
    index::ShardedIndexWriter writer({.shards = 3, .writer = w});
    for (auto& r : records) writer.add(std::move(r));
    writer.finish();
  };
  std::vector<corpus::Record> all = film_records();
  const corpus::Record last = all.back();
  all.pop_back();
  write(std::move(all));
  {
    std::ofstream out(stub);
    for (int i = 0; i < 3; ++i) out << "auto " << sharded << "/shard-0" << i << "\n";
    out << "auto " << sharded << "/spelling\n";
  }
  ServiceOptions one_options;
  one_options.index_path = single.path();
  TestServer one(one_options);
  const std::vector<std::string> targets = {"/search?q=ballet&facets=genre,decade",
                                             "/search?q=dance&genre=Comedy&sort=-year",
                                             "/search?q=lermontof",
                                             "/search?q=red+shoes&group_by=document"};
  std::vector<std::vector<std::string>> answers;
  for (const std::string& path : {sharded, stub}) {
    SCOPED_TRACE(path);
    ServiceOptions options;
    options.index_path = path;
    TestServer server(options);
    EXPECT_EQ(request(server.port(), "GET", "/health").json()["documents"], 24);
    answers.emplace_back();
    for (const auto& target : targets) answers.back().push_back(searched(server.port(), target));
    Reply film = request(server.port(), "GET", "/films/tt0040725");
    ASSERT_EQ(film.status, 200) << film.body;
    EXPECT_EQ(film.json()["title"], "The Red Shoes");
  }
  EXPECT_EQ(answers[0], answers[1]);
  EXPECT_NE(std::string::npos, answers[0][0].find("The Red Shoes")) << answers[0][0];
  // The last record added by another run: the server follows the shards' commits.
  ServiceOptions options;
  options.index_path = sharded;
  options.refresh_every = std::chrono::milliseconds(50);
  TestServer server(options);
  write({last});
  int documents = 0;
  for (int i = 0; i < 200 && documents != 25; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    documents = request(server.port(), "GET", "/health").json()["documents"].get<int>();
  }
  EXPECT_EQ(25, documents);
  // Now the same records as the single index: the same answers.
  for (const auto& target : targets) {
    EXPECT_EQ(searched(one.port(), target), searched(server.port(), target)) << target;
  }
  std::filesystem::remove_all(sharded);
  std::filesystem::remove(stub);
}

}  // namespace
}  // namespace filmsearch::server::testing
