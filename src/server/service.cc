#include "server/service.h"

#include <sys/stat.h>
#include <xapian.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "corpus/record_json.h"
#include "index/writer.h"
#include "error.h"
#include "search/render.h"
#include "search/request_json.h"
#include "search/index_reader.h"
#include "search/searcher.h"
#include "server/router.h"
#include "server/web_assets.h"

namespace filmsearch::server {
namespace {

using Json = nlohmann::ordered_json;

// Bounds of one search request (400 past them, naming the field).
constexpr int kMaxLimit = 100;
constexpr int kMaxOffset = 10000;
constexpr int kMaxFacetTop = 100;
constexpr int kMaxSnippets = 5;
constexpr std::size_t kMaxQueryBytes = 16 * 1024;
constexpr int kMaxBudgetMs = 5000;
constexpr std::size_t kMaxMultiSearch = 20;

HttpResponse json_response(int status, const Json& body) {
  return {status, "application/json", search::dump_line(body), {}};
}

HttpResponse error_response(int status, std::string_view code, std::string_view message,
                            std::string_view field = {}) {
  Json j = {{"code", code}, {"message", message}};
  if (!field.empty()) j["field"] = field;
  return json_response(status, j);
}

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// A request that cannot be searched as given: becomes 400 with its field.
struct BadRequest {
  std::string field, message;
};

// What one /search asks for: the engine's request plus the server's budget.
struct SearchJob {
  search::SearchRequest request;
  std::chrono::milliseconds budget;
  Json qid;  // multi-search only
};

SearchJob search_job(const Json& body, std::chrono::milliseconds default_budget,
                     bool with_qid) {
  SearchJob job;
  job.budget = default_budget;
  try {
    job.request = search::request_from_json(body, {}, {{"budget_ms", "qid"}, true});
  } catch (const search::RequestError& e) {
    throw BadRequest{e.field(), e.message()};
  }
  if (auto it = body.find("budget_ms"); it != body.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1 ||
        it->get<std::int64_t>() > kMaxBudgetMs) {
      throw BadRequest{"budget_ms", "expected an integer from 1 to " + std::to_string(kMaxBudgetMs)};
    }
    job.budget = std::chrono::milliseconds(it->get<int>());
  }
  if (auto it = body.find("qid"); it != body.end()) {
    if (!with_qid) throw BadRequest{"qid", "only in a multi-search"};
    job.qid = *it;
  }
  const auto& r = job.request;
  if (r.query.size() > kMaxQueryBytes) {
    throw BadRequest{"query", "longer than " + std::to_string(kMaxQueryBytes) + " bytes"};
  }
  if (r.limit > kMaxLimit) throw BadRequest{"limit", "at most " + std::to_string(kMaxLimit)};
  if (r.offset > kMaxOffset) throw BadRequest{"offset", "at most " + std::to_string(kMaxOffset)};
  if (r.facet_top > kMaxFacetTop) {
    throw BadRequest{"facet_top", "at most " + std::to_string(kMaxFacetTop)};
  }
  if (r.snippets > kMaxSnippets) {
    throw BadRequest{"snippets", "at most " + std::to_string(kMaxSnippets)};
  }
  return job;
}

// GET /search's parameters as the JSON body POST /search takes, so one reader checks both.
Json body_from_query(const QueryParams& params) {
  Json body = Json::object();
  Json filters = Json::object();
  for (const auto& [key, value] : params) {
    if (key == "q" || key == "query") {
      body["query"] = value;
    } else if (key == "genre" || key == "decade" || key == "type" || key == "kind" ||
               key == "lang") {
      if (!filters.contains(key)) filters[key] = Json::array();
      filters[key].push_back(value);
    } else if (key == "year" || key == "year_min" || key == "year_max") {
      filters[key] = value;
    } else if (key == "limit" || key == "offset" || key == "snippets" || key == "facet_top" ||
               key == "budget_ms") {
      // A number when it reads as one; otherwise the string, which the reader refuses by name.
      auto number = parse_int(value);
      body[key] = number ? Json(*number) : Json(value);
    } else if (key == "facets" || key == "sort" || key == "spoilers" || key == "group_by") {
      body[key] = value;
    } else {
      throw BadRequest{key, "unknown parameter (q, genre, year, decade, type, kind, lang, "
                            "facets, facet_top, limit, offset, snippets, sort, spoilers, "
                            "group_by, budget_ms)"};
    }
  }
  if (!filters.empty()) body["filters"] = std::move(filters);
  return body;
}

// Equal strings, in time that depends only on their lengths (for keys).
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

}  // namespace

struct Service::Impl {
  ServiceOptions options;

  // The index as the workers last saw it, for /health and /stats without a search.
  std::atomic<std::int64_t> documents{-1};  // -1: no index
  std::atomic<std::uint64_t> revision{0};
  std::mutex index_error_mu;
  std::string index_error;

  std::atomic<std::uint64_t> searches{0}, rejected{0};

  // The search queue.
  struct Worker;
  using Job = std::function<void(Worker&)>;
  std::mutex mu;
  std::condition_variable wake;
  std::deque<std::pair<Job, Respond>> queue;
  bool stopping = false;
  std::vector<std::thread> threads;

  // The shared reader of the index (null while there is none) and the thread that follows it.
  std::mutex reader_mu;
  std::shared_ptr<search::IndexReader> reader;
  std::thread refresher;
  std::condition_variable refresher_wake;

  struct Worker {
    Impl& service;
    std::shared_ptr<search::IndexReader> reader;  // what `searcher` is a session of
    std::optional<search::Searcher> searcher;

    // A session on the reader's newest revision; nullptr when there is no index (then `error`).
    search::Searcher* ready(std::string* error) {
      std::shared_ptr<search::IndexReader> now = service.current_reader(error);
      if (now != reader) {
        searcher.reset();
        reader = now;
        try {
          if (reader) searcher.emplace(reader);
        } catch (const Error& e) {
          *error = e.what();
        } catch (const Xapian::Error& e) {
          *error = e.get_description();
        }
      }
      return searcher ? &*searcher : nullptr;
    }
  };

  std::shared_ptr<search::IndexReader> current_reader(std::string* error) {
    {
      std::lock_guard lock(reader_mu);
      if (reader) return reader;
    }
    // No index when last looked: look again now rather than at the refresher's next turn, so
    // the first search after an index appears finds it (and "no index" is never stale).
    follow_index();
    std::lock_guard lock(reader_mu);
    if (!reader) {
      std::lock_guard error_lock(index_error_mu);
      *error = index_error;
    }
    return reader;
  }

  // Moves the reader to the index's newest revision (opening it when there was none, dropping it
  // when the index is gone), then publishes what /health shows. Runs on the refresher thread,
  // and on the writer's after a commit, never on a search worker: a new revision's facet table
  // is built here.
  void follow_index() {
    std::lock_guard follow(follow_mu);
    std::shared_ptr<search::IndexReader> r;
    {
      std::lock_guard lock(reader_mu);
      r = reader;
    }
    std::string error;
    struct stat st {};
    try {
      if (::stat(options.index_path.c_str(), &st) != 0) {
        r.reset();
        error = "no index at " + options.index_path;
      } else if (!r) {
        r = std::make_shared<search::IndexReader>(options.index_path, search::SearcherOptions{},
                                                  search::IndexReaderOptions{
                                                      .facet_table_per_revision = true});
      } else {
        r->refresh();
      }
    } catch (const Error& e) {
      error = e.what();
    } catch (const Xapian::Error& e) {
      error = e.get_description();
    }
    // A reader that cannot move now (an indexer mid-swap) keeps serving its revision: sessions
    // hold their files open. Only an index that is gone, or was never opened, answers no_index.
    if (!error.empty() && r && ::stat(options.index_path.c_str(), &st) != 0) r.reset();
    {
      std::lock_guard lock(reader_mu);
      reader = r;
    }
    if (r) {
      const auto now = r->current();
      documents = static_cast<std::int64_t>(now->documents);
      revision = now->number;
    } else {
      documents = -1;
      std::lock_guard lock(index_error_mu);
      index_error = error;
    }
  }
  std::mutex follow_mu;

  explicit Impl(const ServiceOptions& o) : options(o) {
    // Ready before the first request: /health answers from a first open of the index.
    follow_index();
    for (int i = 0; i < std::max(1, options.workers); ++i) {
      threads.emplace_back([this] { work(); });
    }
    refresher = std::thread([this] {
      std::unique_lock lock(mu);
      while (!stopping) {
        if (refresher_wake.wait_for(lock, options.refresh_every, [&] { return stopping; })) break;
        lock.unlock();
        follow_index();
        lock.lock();
      }
    });
    if (!options.admin_key.empty()) writer_thread = std::thread([this] { write_loop(); });
  }

  void work() {
    Worker worker{*this, nullptr, std::nullopt};
    std::unique_lock lock(mu);
    while (true) {
      wake.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping) return;
      auto [job, respond] = std::move(queue.front());
      queue.pop_front();
      lock.unlock();
      job(worker);
      lock.lock();
    }
  }

  // Queues `job`; answers 503 at once when the queue is full.
  void submit(Job job, Respond respond) {
    {
      std::lock_guard lock(mu);
      if (!stopping && queue.size() < options.queue) {
        queue.emplace_back(std::move(job), std::move(respond));
        wake.notify_one();
        return;
      }
    }
    ++rejected;
    HttpResponse r = error_response(503, "overloaded", "too many searches waiting; try again");
    r.headers.emplace_back("Retry-After", "1");
    respond(std::move(r));
  }

  void stop() {
    std::deque<std::pair<Job, Respond>> left;
    {
      std::lock_guard lock(mu);
      if (stopping) return;
      stopping = true;
      left.swap(queue);
      wake.notify_all();
      refresher_wake.notify_all();
    }
    for (auto& [job, respond] : left) {
      respond(error_response(503, "shutting_down", "the server is stopping"));
    }
    for (auto& t : threads) t.join();
    if (refresher.joinable()) refresher.join();
    stop_writer();
  }

  // Runs a search job on the worker's searcher: the response object, or an error response.
  static Json run_search(search::Searcher& searcher, const SearchJob& job) {
    search::SearchRequest request = job.request;
    request.budget = job.budget;
    search::SearchResult result = searcher.search(request);
    Json j = search::to_json(result, job.request.query);
    j["timed_out"] = result.timed_out;
    j["revision"] = searcher.revision();
    return j;
  }

  void on_worker(Respond respond, std::function<HttpResponse(search::Searcher&)> work) {
    submit(
        [respond, work = std::move(work)](Worker& worker) {
          std::string error;
          search::Searcher* searcher = worker.ready(&error);
          if (!searcher) return respond(error_response(503, "no_index", error));
          try {
            respond(work(*searcher));
          } catch (const Error& e) {
            respond(error_response(500, "search_failed", e.what()));
          } catch (const Xapian::Error& e) {
            respond(error_response(500, "search_failed", e.get_description()));
          } catch (const std::exception& e) {
            respond(error_response(500, "search_failed", e.what()));
          }
        },
        respond);
  }

  void search(const Json& body, Respond respond) {
    SearchJob job = search_job(body, options.budget, false);
    ++searches;
    on_worker(respond, [job = std::move(job)](search::Searcher& searcher) {
      return json_response(200, run_search(searcher, job));
    });
  }

  void multi_search(const Json& body, Respond respond) {
    if (!body.is_object()) throw BadRequest{"", "expected {\"queries\": [...]}"};
    for (const auto& [key, value] : body.items()) {
      if (key != "queries") throw BadRequest{key, "unknown field (queries)"};
    }
    auto it = body.find("queries");
    if (it == body.end() || !it->is_array()) throw BadRequest{"queries", "expected an array"};
    if (it->size() > kMaxMultiSearch) {
      throw BadRequest{"queries", "at most " + std::to_string(kMaxMultiSearch) + " searches"};
    }
    std::vector<SearchJob> jobs;
    for (std::size_t i = 0; i < it->size(); ++i) {
      try {
        jobs.push_back(search_job((*it)[i], options.budget, true));
      } catch (const BadRequest& e) {
        throw BadRequest{"queries[" + std::to_string(i) + "]" + (e.field.empty() ? "" : "." + e.field),
                         e.message};
      }
    }
    searches += jobs.size();
    on_worker(respond, [jobs = std::move(jobs)](search::Searcher& searcher) {
      Json results = Json::array();
      for (const auto& job : jobs) {
        Json one = Json::object();
        if (!job.qid.is_null()) one["qid"] = job.qid;
        Json result = run_search(searcher, job);
        for (auto& [key, value] : result.items()) one[key] = std::move(value);
        results.push_back(std::move(one));
      }
      return json_response(200, Json{{"results", std::move(results)}});
    });
  }

  void record(const std::string& id, bool film_only, Respond respond) {
    on_worker(respond, [id, film_only](search::Searcher& searcher) {
      std::optional<corpus::Record> r = searcher.record(id);
      if (!r || (film_only && r->type != corpus::RecordType::kFilm)) {
        return error_response(404, "not_found",
                              std::string(film_only ? "no film" : "no document") + " with id " + id,
                              "id");
      }
      return json_response(200, corpus::record_to_json(*r));
    });
  }

  HttpResponse health() {
    const std::int64_t docs = documents;
    if (docs < 0) {
      std::lock_guard lock(index_error_mu);
      return json_response(503, {{"status", "unavailable"}, {"message", index_error}});
    }
    return json_response(200, {{"status", "ok"}, {"documents", docs}, {"revision", revision.load()}});
  }

  HttpResponse stats() {
    std::size_t waiting = 0;
    {
      std::lock_guard lock(mu);
      waiting = queue.size();
    }
    Json j = {{"index", options.index_path},
              {"documents", documents.load() < 0 ? Json(nullptr) : Json(documents.load())},
              {"revision", revision.load()},
              {"workers", threads.size()},
              {"queue", {{"capacity", options.queue}, {"waiting", waiting}}},
              {"searches", searches.load()},
              {"rejected", rejected.load()},
              {"budget_ms", options.budget.count()}};
    return json_response(200, j);
  }

  HttpResponse static_file(const std::string& path) {
    std::optional<std::string> rel = safe_relative_path(path);
    if (!rel) return error_response(404, "not_found", "no such file");
    HttpResponse r;
    r.content_type = std::string(content_type_for(*rel));
    if (!options.web_root.empty()) {
      // The file as resolved (symlinks followed) must still lie under the root.
      std::error_code ec;
      const auto root = std::filesystem::canonical(options.web_root, ec);
      const auto file = std::filesystem::canonical(options.web_root + "/" + *rel, ec);
      const auto [root_end, file_at] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
      if (ec || root_end != root.end() || !std::filesystem::is_regular_file(file, ec)) {
        return error_response(404, "not_found", "no such file");
      }
      (void)file_at;
      std::ifstream in(file, std::ios::binary);
      std::ostringstream data;
      data << in.rdbuf();
      r.body = data.str();
    } else {
      const WebAsset* asset = find_web_asset(*rel);
      if (!asset) return error_response(404, "not_found", "no such file");
      r.body = std::string(asset->body);
    }
    r.headers = {{"Content-Security-Policy",
                  "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'"},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"},
                 {"Cache-Control", "no-cache"}};
    return r;
  }

  static Json parse_body(const HttpRequest& request) {
    Json body = Json::parse(request.body, nullptr, false);
    if (body.is_discarded()) {
      // Parse again for the message with its byte position (only on this error path).
      try {
        const Json again = Json::parse(request.body);
      } catch (const Json::exception& e) {  // parse_error, or out_of_range for 1e999
        throw BadRequest{"body", std::string("malformed JSON: ") + e.what()};
      }
      throw BadRequest{"body", "malformed JSON"};
    }
    return body;
  }


  // ---- Writes: one writer thread; each task opens the index, writes, commits, closes. ----
  struct Task {
    std::uint64_t id = 0;
    std::string kind;                // "add" or "delete"
    std::string status = "enqueued";  // processing, succeeded, partial, failed
    std::size_t received = 0, indexed = 0, deleted = 0;
    Json errors = Json::array();     // [{"line", "message"}]: records not indexed
    Json warnings = Json::array();   // [{"line", "message"}]: records indexed with a repair
    std::string code, message;       // why a failed task failed
    Json to_json() const {
      Json j = {{"task", id}, {"kind", kind}, {"status", status}, {"received", received},
                {"indexed", indexed}, {"deleted", deleted}, {"errors", errors},
                {"warnings", warnings}};
      if (!code.empty()) j["error"] = {{"code", code}, {"message", message}};
      return j;
    }
  };
  struct WriteJob {
    std::uint64_t task = 0;
    std::string body;       // add: NDJSON or a JSON array of records
    std::string delete_id;  // delete
    bool wait = false;
    Respond respond;
  };
  std::mutex tasks_mu;
  std::map<std::uint64_t, Task> tasks;
  std::uint64_t next_task = 1;
  std::mutex write_mu;
  std::condition_variable write_wake;
  std::deque<WriteJob> writes;
  bool write_stopping = false;
  std::thread writer_thread;

  std::optional<HttpResponse> refuse_writer(const HttpRequest& request) {
    if (options.admin_key.empty()) {
      return error_response(403, "writes_disabled",
                            "writes are off: start filmsearch-serve with --admin-key");
    }
    if (request.authorization.empty()) {
      HttpResponse r = error_response(401, "unauthorized",
                                      "writes need the header Authorization: Bearer <admin key>",
                                      "Authorization");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    if (!same_secret(request.authorization, "Bearer " + options.admin_key)) {
      return error_response(403, "forbidden", "wrong admin key", "Authorization");
    }
    return std::nullopt;
  }

  void update_task(const Task& task) {
    std::lock_guard lock(tasks_mu);
    tasks[task.id] = task;
    while (tasks.size() > options.tasks_kept && tasks.begin()->second.status != "enqueued" &&
           tasks.begin()->second.status != "processing") {
      tasks.erase(tasks.begin());
    }
  }

  void enqueue_write(WriteJob job, const std::string& kind) {
    Task task;
    task.kind = kind;
    {
      std::lock_guard lock(tasks_mu);
      task.id = job.task = next_task++;
    }
    update_task(task);
    std::lock_guard lock(write_mu);
    if (write_stopping) {
      job.respond(error_response(503, "shutting_down", "the server is stopping"));
      return;
    }
    writes.push_back(std::move(job));
    write_wake.notify_one();
  }

  void write_loop() {
    while (true) {
      WriteJob job;
      {
        std::unique_lock lock(write_mu);
        write_wake.wait(lock, [&] { return write_stopping || !writes.empty(); });
        if (writes.empty()) return;
        job = std::move(writes.front());
        writes.pop_front();
      }
      run_write(job);
    }
  }

  // Records of an NDJSON body or a JSON array, each error and repair with its line (NDJSON)
  // or its position in the array (1-based).
  std::vector<corpus::Record> read_records(const std::string& body, Task* task) {
    std::vector<corpus::Record> records;
    auto take = [&](const nlohmann::json& j, std::size_t line) {
      ++task->received;
      const std::string origin = "POST /documents:" + std::to_string(line);
      std::vector<corpus::Diagnostic> repairs;
      try {
        records.push_back(corpus::record_from_json(j, origin, &repairs));
        for (const auto& d : repairs) task->warnings.push_back({{"line", line}, {"message", d.message}});
      } catch (const InputError& e) {
        task->errors.push_back({{"line", line}, {"message", e.what()}});
      }
    };
    const std::size_t first = body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && body[first] == '[') {
      nlohmann::json array = nlohmann::json::parse(body, nullptr, false);
      if (array.is_discarded() || !array.is_array()) {
        task->errors.push_back({{"line", 1}, {"message", "not a valid JSON array of records"}});
        return records;
      }
      for (std::size_t i = 0; i < array.size(); ++i) take(array[i], i + 1);
      return records;
    }
    std::size_t start = 0, line = 0;
    while (start < body.size()) {
      std::size_t end = body.find('\n', start);
      if (end == std::string::npos) end = body.size();
      std::string_view text(body.data() + start, end - start);
      ++line;
      start = end + 1;
      if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
      if (j.is_discarded()) {
        ++task->received;
        task->errors.push_back({{"line", line}, {"message", "malformed JSON"}});
        continue;
      }
      take(j, line);
    }
    return records;
  }

  void run_write(WriteJob& job) {
    Task task;
    {
      std::lock_guard lock(tasks_mu);
      task = tasks[job.task];
    }
    task.status = "processing";
    std::vector<corpus::Record> records;
    if (task.kind == "add") records = read_records(job.body, &task);
    job.body.clear();
    update_task(task);
    auto fail = [&](int status, const std::string& code, const std::string& message) {
      task.status = "failed";
      task.code = code;
      task.message = message;
      update_task(task);
      job.respond(json_response(status, {{"code", code}, {"message", message}, {"task", task.id}}));
    };
    if (task.kind == "add" && records.empty()) {
      task.status = "failed";
      update_task(task);
      Json j = task.to_json();
      j["code"] = "bad_request";
      j["message"] = "no valid record in the body";
      return job.respond(json_response(400, j));
    }
    std::optional<index::IndexWriter> writer;
    try {
      index::IndexWriter::Options o;
      o.path = options.index_path;
      o.threads = 1;
      o.shards = 1;
      o.compact = false;  // in place: the reader moves to the commit (follow_index)
      writer.emplace(o);
    } catch (const Error& e) {
      const std::string message = e.what();
      if (message.find(" is locked by another writer") != std::string::npos) {
        return fail(409, "index_locked", message);
      }
      return fail(500, "write_failed", message);
    } catch (const Xapian::Error& e) {
      return fail(500, "write_failed", e.get_description());
    }
    if (!job.wait) {
      job.respond(json_response(202, {{"task", task.id}, {"status", "processing"},
                                      {"received", task.received}}));
    }
    try {
      for (auto& r : records) writer->add(std::move(r));
      if (!job.delete_id.empty()) writer->remove(job.delete_id);
      writer->commit();
      task.indexed = writer->stats().records;
      task.deleted = writer->stats().deleted;
      writer.reset();
    } catch (const Error& e) {
      if (job.wait) return fail(500, "write_failed", e.what());
      task.status = "failed", task.code = "write_failed", task.message = e.what();
      return update_task(task);
    } catch (const Xapian::Error& e) {
      if (job.wait) return fail(500, "write_failed", e.get_description());
      task.status = "failed", task.code = "write_failed", task.message = e.get_description();
      return update_task(task);
    }
    // Searchable before the task says so: the reader moves now, not at its next look.
    follow_index();
    task.status = task.errors.empty() ? "succeeded" : "partial";
    update_task(task);
    if (job.wait) job.respond(json_response(200, task.to_json()));
  }

  void handle_write(HttpRequest& request, const Target& target, Respond respond) {
    bool wait = false;
    for (const auto& [key, value] : target.query) {
      if (key != "wait") throw BadRequest{key, "unknown parameter (wait)"};
      if (value != "true" && value != "false") throw BadRequest{"wait", "expected true or false"};
      wait = value == "true";
    }
    WriteJob job;
    job.wait = wait;
    job.respond = respond;
    if (request.method == "POST") {
      job.body = std::move(request.body);
      return enqueue_write(std::move(job), "add");
    }
    job.delete_id = (*match_route("/documents/{id}", target.path))[0];
    enqueue_write(std::move(job), "delete");
  }

  void stop_writer() {
    std::deque<WriteJob> left;
    {
      std::lock_guard lock(write_mu);
      write_stopping = true;
      left.swap(writes);
      write_wake.notify_all();
    }
    for (auto& job : left) job.respond(error_response(503, "shutting_down", "the server is stopping"));
    if (writer_thread.joinable()) writer_thread.join();
  }

  HttpResponse task_status(const std::string& id) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
    std::lock_guard lock(tasks_mu);
    auto it = ec == std::errc() && end == id.data() + id.size() ? tasks.find(n) : tasks.end();
    if (it == tasks.end()) return error_response(404, "not_found", "no task " + id, "task");
    return json_response(200, it->second.to_json());
  }

  void handle(HttpRequest&& request, Respond respond) {
    std::optional<Target> target = parse_target(request.target);
    if (!target) {
      return respond(error_response(400, "bad_target", "the request target does not decode",
                                    "target"));
    }
    const std::string& path = target->path;
    const std::string& method = request.method;
    auto allow = [&](std::string_view methods) {
      HttpResponse r = error_response(405, "method_not_allowed",
                                      method + " is not allowed here (" + std::string(methods) + ")");
      r.headers.emplace_back("Allow", std::string(methods));
      respond(std::move(r));
    };
    try {
      if (path == "/search") {
        if (method == "GET") return search(body_from_query(target->query), respond);
        if (method == "POST") return search(parse_body(request), respond);
        return allow("GET, POST");
      }
      if (path == "/multi-search") {
        if (method == "POST") return multi_search(parse_body(request), respond);
        return allow("POST");
      }
      if (path == "/health" || path == "/version" || path == "/stats") {
        if (method != "GET" && method != "HEAD") return allow("GET, HEAD");
        if (path == "/health") return respond(health());
        if (path == "/stats") return respond(stats());
        return respond(json_response(200, {{"name", "filmsearch"},
                                           {"version", FILMSEARCH_VERSION},
                                           {"xapian", Xapian::version_string()}}));
      }
      if (path == "/documents") {
        if (method != "POST") return allow("POST");
        if (auto refused = refuse_writer(request)) return respond(std::move(*refused));
        return handle_write(request, *target, respond);
      }
      if (auto id = match_route("/documents/{id}", path)) {
        if (method == "GET") return record((*id)[0], false, respond);
        if (method != "DELETE") return allow("GET, DELETE");
        if (auto refused = refuse_writer(request)) return respond(std::move(*refused));
        return handle_write(request, *target, respond);
      }
      if (auto id = match_route("/films/{id}", path)) {
        if (method != "GET") return allow("GET");
        return record((*id)[0], true, respond);
      }
      if (auto id = match_route("/tasks/{n}", path)) {
        if (method != "GET") return allow("GET");
        if (auto refused = refuse_writer(request)) return respond(std::move(*refused));
        return respond(task_status((*id)[0]));
      }
      if (options.ui && (path == "/" || path.rfind("/assets/", 0) == 0)) {
        if (method != "GET" && method != "HEAD") return allow("GET, HEAD");
        return respond(static_file(path == "/" ? "index.html" : path.substr(8)));
      }
      respond(error_response(404, "not_found", "no route " + path));
    } catch (const BadRequest& e) {
      respond(error_response(400, "bad_request", e.message, e.field));
    }
  }
};

Service::Service(const ServiceOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Service::~Service() { stop(); }
void Service::handle(HttpRequest&& request, Respond respond) {
  impl_->handle(std::move(request), std::move(respond));
}
void Service::stop() { impl_->stop(); }

}  // namespace filmsearch::server
