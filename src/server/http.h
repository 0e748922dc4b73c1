// The HTTP/1.1 layer of filmsearch-serve, behind a small interface: Boost.Beast lives in
// http.cc alone (it costs ~1 minute and ~0.6 GB to compile). The layer reads requests within
// limits (header size, body size, a deadline for the whole request), hands each one to a
// Handler, and writes the response the handler gives back, from any thread, once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace filmsearch::server {

struct HttpRequest {
  std::string method;         // "GET", "POST"...
  std::string target;         // as sent: "/search?q=red+shoes"
  std::string content_type;   // the Content-Type header, or ""
  std::string authorization;  // the Authorization header, or ""
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // more headers (Retry-After...)
};

// Called once per response; safe to call from any thread.
using Respond = std::function<void(HttpResponse)>;
// Called on an I/O thread for each request: must not block (post the work elsewhere) and must
// call `respond` exactly once.
using Handler = std::function<void(HttpRequest&& request, Respond respond)>;

struct HttpOptions {
  std::string address = "127.0.0.1";  // loopback unless told otherwise
  std::uint16_t port = 8080;           // 0: any free port (see HttpServer::port)
  int io_threads = 2;
  std::size_t header_limit = 8 * 1024;       // request line + headers; past it 431
  std::size_t body_limit = 64 * 1024;        // past it 413
  // Targets starting with large_body_prefix (when set), from a client whose Authorization
  // header is exactly large_body_authorization, may send up to large_body_limit: only the
  // admin can make the server hold a large body.
  std::size_t large_body_limit = 32 << 20;
  std::string large_body_prefix;
  std::string large_body_authorization;
  // The whole request (headers and body) must arrive within this, or the connection is closed:
  // a client sending a byte at a time cannot hold it open. Also the wait for a next request on
  // a kept-alive connection, and for a response to be taken by the client.
  std::chrono::milliseconds read_deadline{10000};
  std::size_t max_connections = 10000;  // accepted beyond it: closed at once
};

class HttpServer {
 public:
  // Binds and listens (throws filmsearch::Error naming the address when it cannot); serves
  // nothing until start().
  HttpServer(const HttpOptions& options, Handler handler);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;  // the bound port
  void start();                // runs the I/O threads
  // Stops accepting; waits up to `grace` for requests in flight to be answered; closes every
  // connection and joins the I/O threads. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  std::size_t connections() const;  // open now

  struct Impl;  // http.cc's

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace filmsearch::server
