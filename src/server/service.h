// The filmsearch HTTP API (README, "Server"): routes, JSON errors, the bounded pool of search
// workers (each a search session over one shared IndexReader, which a refresher thread moves
// to each new revision, preparing its facet table there), and the web page. Transport-free: it takes an HttpRequest and answers through Respond, so tests
// and the HTTP layer share it.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "server/http.h"

namespace filmsearch::server {

struct ServiceOptions {
  std::string index_path;
  int workers = 2;                            // search threads, each with its own session
  std::size_t queue = 64;                     // searches waiting; beyond it 503 + Retry-After
  std::chrono::milliseconds budget{1000};     // default per-request budget (budget_ms <= 5000)
  std::string web_root;                       // serve the page from here; "" = embedded copy
  bool ui = true;                             // false: no page at /
  std::chrono::milliseconds refresh_every{200};  // how often the reader looks for a revision
  // Writes (POST /documents, DELETE /documents/{id}, GET /tasks/{n}) need the header
  // "Authorization: Bearer <admin_key>"; "" turns them off (403).
  std::string admin_key;
  std::size_t tasks_kept = 1000;  // finished tasks remembered for GET /tasks/{n}
};

class Service {
 public:
  // Starts the workers. Does not need the index to exist yet: until it does, /health answers
  // 503 and searches 503 "no_index".
  explicit Service(const ServiceOptions& options);
  ~Service();  // stop()
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // The Handler of HttpServer: never blocks; searches go to the workers.
  void handle(HttpRequest&& request, Respond respond);

  // Answers what is queued with 503 and joins the workers. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace filmsearch::server
