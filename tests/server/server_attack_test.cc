// Attacks on the server, on 127.0.0.1 only, each bounded in time (seconds, also under ASan):
// the server stays up, its memory stays bounded and other clients are still served.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "server_support.h"

namespace filmsearch::server::testing {
namespace {

using namespace std::chrono_literals;

class ServerAttackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { index_ = new SuiteIndex("server_attack_test"); }
  static void TearDownTestSuite() { delete index_; }
  void SetUp() override {
    ServiceOptions options;
    options.index_path = index_->path();
    HttpOptions http;
    http.read_deadline = 1s;  // short, so the tests that wait for it take seconds
    server_ = std::make_unique<TestServer>(options, http);
  }
  std::uint16_t port() const { return server_->port(); }

  // Another client is served meanwhile: /health and a short search both answer 200.
  void expect_others_served(const std::string& during) {
    Reply health = request(port(), "GET", "/health");
    EXPECT_EQ(health.status, 200) << during;
    Reply search = request(port(), "GET", "/search?q=vertigo&limit=1");
    ASSERT_EQ(search.status, 200) << during;
    EXPECT_EQ(search.json()["hits"][0]["id"], "tt0052357") << during;
  }

  static SuiteIndex* index_;
  std::unique_ptr<TestServer> server_;
};
SuiteIndex* ServerAttackTest::index_ = nullptr;

// Raises this process's descriptor limit as far as allowed; returns it.
std::size_t raise_fd_limit() {
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  getrlimit(RLIMIT_NOFILE, &files);
  return files.rlim_cur;
}

TEST_F(ServerAttackTest, SlowlorisConnectionsAreCutAtTheDeadline) {
  raise_fd_limit();
  std::vector<Connection> slow;
  for (int i = 0; i < 1000; ++i) {
    slow.emplace_back(port());
    ASSERT_TRUE(slow.back().ok()) << i;
    slow.back().send_all("GET /health HTTP/1.1\r\nHost: x\r\nX-A: ");
  }
  expect_others_served("with 1,000 half-sent requests open");
  // One client dripping a byte every 100 ms is closed at the 1 s deadline, not kept alive by
  // its trickle.
  Connection drip(port());
  ASSERT_TRUE(drip.send_all("GET /health HTTP/1.1\r\n"));
  const auto start = std::chrono::steady_clock::now();
  bool cut = false;
  while (std::chrono::steady_clock::now() - start < 15s) {
    if (!drip.send_all("a") || drip.closed_by_peer(100ms)) {
      cut = true;
      break;
    }
  }
  EXPECT_TRUE(cut) << "a dripping client kept its connection for 15 s";
  for (auto& c : slow) EXPECT_TRUE(c.closed_by_peer(10s));
  expect_others_served("after the slow connections");
}

TEST_F(ServerAttackTest, AHugeHeaderLineGets431AndCostsNoMemory) {
  const long before = rss_kb();
  Connection c(port());
  ASSERT_TRUE(c.send_all("GET /health HTTP/1.1\r\nHost: x\r\nX-Huge: "));
  const std::string chunk(64 * 1024, 'a');
  std::size_t sent = 0;
  const auto start = std::chrono::steady_clock::now();
  while (sent < (256u << 20) && std::chrono::steady_clock::now() - start < 10s &&
         c.send_all(chunk)) {
    sent += chunk.size();
  }
  EXPECT_LT(sent, 256u << 20) << "the server read a 256 MB header line";
  const std::string reply = c.read_response(5s);
  if (!reply.empty()) EXPECT_EQ(parse_reply(reply).status, 431);
  EXPECT_LT(rss_kb() - before, 64 * 1024) << "kB of memory after a huge header";
  expect_others_served("after a huge header");
}

TEST_F(ServerAttackTest, AHugeChunkedBodyGets413AndCostsNoMemory) {
  const long before = rss_kb();
  Connection c(port());
  ASSERT_TRUE(
      c.send_all("POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
  std::size_t sent = 0;
  const auto start = std::chrono::steady_clock::now();
  while (sent < (256u << 20) && std::chrono::steady_clock::now() - start < 10s &&
         c.send_all(chunk)) {
    sent += 0x10000;
  }
  EXPECT_LT(sent, 256u << 20) << "the server read a 256 MB body";
  const std::string reply = c.read_response(5s);
  if (!reply.empty()) EXPECT_EQ(parse_reply(reply).status, 413);
  EXPECT_LT(rss_kb() - before, 64 * 1024) << "kB of memory after a huge body";
  // Declared up front: refused before a byte of it is read.
  Connection declared(port());
  ASSERT_TRUE(
      declared.send_all("POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n"));
  EXPECT_EQ(parse_reply(declared.read_response(5s)).status, 413);
  expect_others_served("after a huge body");
}

TEST_F(ServerAttackTest, TenThousandIdleConnections) {
  const std::size_t limit = raise_fd_limit();
  // Both ends are in this process: two descriptors per connection.
  const std::size_t wanted = 10000;
  const std::size_t count = std::min(wanted, limit > 600 ? (limit - 500) / 2 : 0);
  if (count < wanted) {
    std::cout << "only " << count << " idle connections: RLIMIT_NOFILE is " << limit << "\n";
  }
  const long before = rss_kb();
  std::vector<Connection> idle;
  idle.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    idle.emplace_back(port());
    ASSERT_TRUE(idle.back().ok()) << i;
  }
  expect_others_served("with idle connections open");
  EXPECT_LT(rss_kb() - before, 200 * 1024) << "kB for " << count << " idle connections";
  idle.clear();
  expect_others_served("after idle connections");
}

TEST_F(ServerAttackTest, MalformedJsonIsAlways400) {
  const std::string deep_open(60000, '[');
  const std::string deep_closed = std::string(30000, '[') + std::string(30000, ']');
  const std::string bodies[] = {
      "",
      "{",
      "}",
      "nul",
      "{\"query\":\"\\ud800\"}",
      "{\"query\":\"a\"}}",
      "\xff\xfe{}",
      "{\"query\": \"\x01\"}",
      deep_open,
      deep_closed,
      "{\"filters\":{\"genre\":" + deep_closed + "}}",
      "{\"limit\":1e999}",
      "{\"query\":\"" + std::string(1001, '\\') + "\"}",  // the last \ escapes the quote
  };
  for (const auto& body : bodies) {
    Reply r = request(port(), "POST", "/search", body);
    EXPECT_EQ(r.status, 400) << body.substr(0, 40) << ": " << r.body.substr(0, 200);
  }
  expect_others_served("after malformed JSON");
}

TEST_F(ServerAttackTest, AHundredThousandWordSearch) {
  std::string words;
  for (int i = 0; words.size() < 100000 * 6; ++i) words += (i % 2 ? "dance " : "to be ");
  // In a URL: refused by the header limit. As a body: refused by the body limit.
  std::string in_url = words.substr(0, 100000);
  std::replace(in_url.begin(), in_url.end(), ' ', '+');
  // The server answers as soon as the limit is passed and closes; when that close reaches the
  // client while it is still sending, the kernel resets the connection and the answer is lost
  // (status 0). Either way the request was refused, never searched.
  const int url_status = request(port(), "GET", "/search?q=" + in_url).status;
  EXPECT_TRUE(url_status == 431 || url_status == 0) << url_status;
  nlohmann::ordered_json body = {{"query", words}};
  const int body_status = request(port(), "POST", "/search", body.dump()).status;
  EXPECT_TRUE(body_status == 413 || body_status == 0) << body_status;
  // The longest query allowed (16 KB, ~2,700 words of stopwords and one real word) is answered.
  body["query"] = words.substr(0, 16 * 1024 - 6) + "dance";
  Reply r = request(port(), "POST", "/search", body.dump());
  EXPECT_EQ(r.status, 200) << r.body.substr(0, 200);
  expect_others_served("after a 100,000-word search");
}

TEST_F(ServerAttackTest, AThousandConcurrentSearches) {
  raise_fd_limit();
  std::vector<Connection> clients;
  for (int i = 0; i < 1000; ++i) {
    clients.emplace_back(port());
    ASSERT_TRUE(clients.back().ok());
  }
  const char* queries[] = {"dance", "red+shoes", "vertigo", "ballet+OR+gang", "the"};
  for (std::size_t i = 0; i < clients.size(); ++i) {
    ASSERT_TRUE(clients[i].send_all(std::string("GET /search?facets=genre,decade&q=") +
                                    queries[i % 5] +
                                    " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  }
  int ok = 0, busy = 0;
  for (auto& c : clients) {
    Reply r = parse_reply(c.read_response(60s));
    if (r.status == 200) ++ok;
    if (r.status == 503) {
      ++busy;
      EXPECT_EQ(r.header("Retry-After"), "1");
    }
    EXPECT_TRUE(r.status == 200 || r.status == 503) << r.status << " " << r.body.substr(0, 100);
  }
  EXPECT_GT(ok, 0);
  EXPECT_EQ(ok + busy, 1000);
  std::cout << ok << " answered, " << busy << " told to retry (queue of 64)\n";
  expect_others_served("after 1,000 concurrent searches");
}

}  // namespace
}  // namespace filmsearch::server::testing
