// Support for the server tests: an index of tests/server/films.jsonl, the service on an
// ephemeral 127.0.0.1 port in this process, and a small blocking HTTP client over raw sockets
// (so the attack tests can send what no real client would).
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "corpus/record_json.h"
#include "index/writer.h"
#include "server/http.h"
#include "server/service.h"

namespace filmsearch::server::testing {

inline std::string source_dir() { return FILMSEARCH_SOURCE_DIR; }

// Writes an index of tests/server/films.jsonl at `path` (replacing nothing: `path` is new).
inline void build_index(const std::string& path) {
  index::IndexWriter::Options options;
  options.path = path;
  options.threads = 1;
  index::IndexWriter writer(options);
  std::ifstream in(source_dir() + "/tests/server/films.jsonl");
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    writer.add(corpus::record_from_json(nlohmann::json::parse(line),
                                        "films.jsonl:" + std::to_string(number), nullptr));
  }
  writer.finish();
}

// The index of tests/server/films.jsonl for one test suite, under GoogleTest's temp dir and
// named per process (ctest runs a suite's tests as parallel processes); removed with the object.
class SuiteIndex {
 public:
  explicit SuiteIndex(const std::string& name)
      : path_(::testing::TempDir() + "/" + name + "_" + std::to_string(::getpid()) + ".db") {
    std::filesystem::remove_all(path_);
    build_index(path_);
  }
  ~SuiteIndex() { std::filesystem::remove_all(path_); }
  SuiteIndex(const SuiteIndex&) = delete;
  SuiteIndex& operator=(const SuiteIndex&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The service behind the HTTP layer, on 127.0.0.1 and a free port.
class TestServer {
 public:
  explicit TestServer(ServiceOptions service, HttpOptions http = {})
      : service_(std::make_unique<Service>(service)) {
    http.address = "127.0.0.1";
    http.port = 0;
    Service* api = service_.get();
    http_ = std::make_unique<HttpServer>(http, [api](HttpRequest&& request, Respond respond) {
      api->handle(std::move(request), std::move(respond));
    });
    http_->start();
  }
  ~TestServer() {
    http_->stop(std::chrono::milliseconds(2000));
    service_->stop();
  }
  std::uint16_t port() const { return http_->port(); }
  HttpServer& http() { return *http_; }

 private:
  std::unique_ptr<Service> service_;
  std::unique_ptr<HttpServer> http_;
};

// A connected TCP socket to 127.0.0.1:port (closed on destruction); -1 when connect failed.
class Connection {
 public:
  explicit Connection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // Sends all of `data`; false once the peer closed or reset.
  bool send_all(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads until the peer closes, a whole response (by Content-Length) has arrived, or
  // `timeout` passes.
  std::string read_response(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!complete(out)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }

  // True when the peer has closed the connection (reads EOF or an error within `timeout`).
  bool closed_by_peer(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) {
        char buffer[4096];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) return true;
      }
    }
    return false;
  }

  static bool complete(const std::string& response) {
    const std::size_t end = response.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const std::string head = response.substr(0, end);
    const std::size_t at = head.find("Content-Length: ");
    if (at == std::string::npos) return true;
    const std::size_t length = std::stoul(head.substr(at + 16));
    return response.size() >= end + 4 + length;
  }

 private:
  int fd_ = -1;
};

struct Reply {
  int status = 0;     // 0: no response
  std::string head;   // status line and headers
  std::string body;
  nlohmann::ordered_json json() const { return nlohmann::ordered_json::parse(body); }
  std::string header(const std::string& name) const {
    const std::size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    const std::size_t start = at + name.size() + 4;
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

inline Reply parse_reply(const std::string& raw) {
  Reply r;
  const std::size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  r.head = raw.substr(0, end);
  r.body = raw.substr(end + 4);
  return r;
}

// One request on a new connection.
inline Reply request(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = "", const std::string& extra_headers = "") {
  Connection c(port);
  if (!c.ok()) return {};
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
  if (!body.empty() || method == "POST") {
    raw += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  raw += "Connection: close\r\n\r\n" + body;
  if (!c.send_all(raw)) return {};
  return parse_reply(c.read_response());
}

// This process's resident memory in kB (VmRSS).
inline long rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

}  // namespace filmsearch::server::testing
