// filmsearch-serve: options -> Service (the API and the page) behind HttpServer; stops
// gracefully on SIGTERM or SIGINT (requests in flight are answered, then exit 0).
#include <CLI/CLI.hpp>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <xapian.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "error.h"
#include "server/http.h"
#include "server/service.h"

namespace {

namespace server = filmsearch::server;

// "127.0.0.1:8080", "[::1]:8080", ":8080" (loopback), "0.0.0.0:8080".
void parse_listen(const std::string& value, server::HttpOptions* http) {
  const std::size_t colon = value.rfind(':');
  if (colon == std::string::npos) throw filmsearch::ConfigError("--listen " + value + ": expected HOST:PORT");
  std::string host = value.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!host.empty()) http->address = host;
  try {
    std::size_t used = 0;
    const int port = std::stoi(value.substr(colon + 1), &used);
    if (used != value.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("port");
    http->port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    throw filmsearch::ConfigError("--listen " + value + ": expected a port from 0 to 65535");
  }
}

int run(int argc, char** argv) {
  CLI::App app{"Serve a filmsearch index over HTTP: a JSON API and a search page."};
  app.set_version_flag("--version", std::string("filmsearch-serve ") + FILMSEARCH_VERSION +
                                        " (Xapian " + Xapian::version_string() + ")");
  app.footer("Exit codes: 0 stopped by SIGTERM or Ctrl-C; 1 the index cannot be read or the "
             "address cannot be listened on; 2 bad options.");
  server::ServiceOptions service;
  server::HttpOptions http;
  const char* env_index = std::getenv("FILMSEARCH_INDEX");
  service.index_path = env_index && *env_index ? env_index : "./films.db";
  std::string listen = "127.0.0.1:8080";
  int budget_ms = 1000, read_deadline_ms = 10000;
  bool no_ui = false;
  app.add_option("--index", service.index_path, "the index folder (default: $FILMSEARCH_INDEX or ./films.db)");
  app.add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080, loopback only)");
  app.add_option("--threads", service.workers, "search threads, each with its own reader (default 2)")
      ->check(CLI::Range(1, 256));
  app.add_option("--io-threads", http.io_threads, "HTTP threads (default 2)")->check(CLI::Range(1, 64));
  app.add_option("--queue", service.queue, "searches that may wait; beyond it 503 (default 64)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--budget-ms", budget_ms, "time budget of a search (default 1000)")
      ->check(CLI::Range(1, 5000));
  app.add_option("--read-deadline-ms", read_deadline_ms,
                 "a request must arrive whole within this (default 10000)")
      ->check(CLI::Range(100, 600000));
  app.add_option("--max-connections", http.max_connections, "open connections (default 10000)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--web-root", service.web_root, "serve the page from this folder (development)")
      ->check(CLI::ExistingDirectory);
  app.add_flag("--no-ui", no_ui, "no web page, only the API");
  std::string admin_key_file;
  app.add_option("--admin-key", service.admin_key,
                 "allow writes (POST /documents...) with Authorization: Bearer KEY");
  app.add_option("--admin-key-file", admin_key_file, "read the admin key from this file")
      ->check(CLI::ExistingFile);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  parse_listen(listen, &http);
  if (!admin_key_file.empty()) {
    std::ifstream in(admin_key_file);
    std::getline(in, service.admin_key);
  }
  if (!service.admin_key.empty()) {
    if (service.admin_key.size() < 16) {
      throw filmsearch::ConfigError("--admin-key: use at least 16 characters");
    }
    http.large_body_prefix = "/documents";
    http.large_body_authorization = "Bearer " + service.admin_key;
  }
  service.budget = std::chrono::milliseconds(budget_ms);
  service.ui = !no_ui;
  http.read_deadline = std::chrono::milliseconds(read_deadline_ms);

  // Idle connections cost a descriptor each: take all the soft limit allows.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  // Signals are taken by sigwait below, never by the worker or I/O threads started after this.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  server::Service api(service);
  server::HttpServer listener(http, [&api](server::HttpRequest&& request, server::Respond respond) {
    api.handle(std::move(request), std::move(respond));
  });
  listener.start();
  std::cerr << "filmsearch-serve: serving " << service.index_path << " on http://"
            << (http.address.find(':') != std::string::npos ? "[" + http.address + "]" : http.address)
            << ':' << listener.port() << "/" << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cerr << "filmsearch-serve: stopping" << std::endl;
  listener.stop();
  api.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  return run(argc, argv);
} catch (const filmsearch::ConfigError& e) {
  std::cerr << "filmsearch-serve: " << e.what() << '\n';
  return 2;
} catch (const filmsearch::Error& e) {
  std::cerr << "filmsearch-serve: " << e.what() << '\n';
  return 1;
} catch (const Xapian::Error& e) {
  std::cerr << "filmsearch-serve: " << e.get_description() << '\n';
  return 1;
} catch (const std::exception& e) {
  std::cerr << "filmsearch-serve: " << e.what() << '\n';
  return 1;
}
