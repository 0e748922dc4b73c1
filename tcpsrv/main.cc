// filmsearch-tcpsrv: serves one shard of a filmsearch index over Xapian's remote protocol, for
// `remote HOST:PORT` lines of a stub file (README, "Shards"). Checks the shard, then runs Xapian's
// stock xapian-tcpsrv (package xapian-tools) on it: nothing of filmsearch's own has to cross the
// wire (facets are counted on the searching side; phrases over remote shards need an index built
// with --positions), so no server of our own is built against Xapian's internal classes.
//
// Exit codes: 1 the shard cannot be opened or xapian-tcpsrv cannot run; 2 bad usage; otherwise
// xapian-tcpsrv's (69: the port is in use).

#include <unistd.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* kTool = "filmsearch-tcpsrv";

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"Serve one filmsearch shard over Xapian's remote protocol (no authentication, no "
               "encryption: keep it on loopback, a private network or an SSH tunnel)."};
  app.set_version_flag("--version", std::string(kTool) + " " + FILMSEARCH_VERSION + " (Xapian " +
                                        Xapian::version_string() + ")");
  app.footer("Exit codes: 1 the shard cannot be opened or xapian-tcpsrv cannot run; 2 bad "
             "options; otherwise xapian-tcpsrv's (69: the port is in use).");
  std::string shard;
  unsigned port = 0;
  std::string interface = "127.0.0.1";
  unsigned idle_timeout_ms = 0;
  unsigned active_timeout_ms = 15000;
  bool one_shot = false;
  app.add_option("shard", shard, "the shard's folder (INDEX/shard-NN, or an unsharded index)")
      ->required();
  app.add_option("--port", port, "TCP port to listen on")->required()->check(CLI::Range(1u, 65535u));
  app.add_option("--interface", interface,
                 "address to listen on (default 127.0.0.1; another address exposes the index "
                 "to anyone who can reach it)");
  app.add_option("--idle-timeout", idle_timeout_ms,
                 "milliseconds before an idle connection is closed (default 0: never, since "
                 "filmsearch-query and servers keep their connection open between queries)");
  app.add_option("--active-timeout", active_timeout_ms,
                 "milliseconds a request may take before the connection is closed (default 15000)");
  app.add_flag("--one-shot", one_shot, "serve one connection, then exit (for tests)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(shard) / "XAPIANDB", ec)) {
    std::cerr << kTool << ": " << shard
              << " lists several shards; serve each shard folder with its own filmsearch-tcpsrv "
                 "(a searcher reads each shard's stored records with that shard's dictionary)\n";
    return 2;
  }
  try {
    Xapian::Database db(shard);
    std::cerr << kTool << ": serving " << shard << " (" << db.get_doccount() << " documents) on "
              << interface << ":" << port << '\n';
  } catch (const Xapian::Error& e) {
    std::cerr << kTool << ": cannot open " << shard << ": " << e.get_description() << '\n';
    return 1;
  }
  if (interface != "127.0.0.1" && interface != "::1" && interface != "localhost") {
    std::cerr << kTool << ": warning: Xapian's remote protocol has no authentication and no "
                          "encryption; " << interface << " must be reachable only from a private "
                          "network (or use an SSH tunnel to 127.0.0.1)\n";
  }
  std::vector<std::string> args = {"xapian-tcpsrv",
                                   "--port", std::to_string(port),
                                   "--interface", interface,
                                   "--idle-timeout", std::to_string(idle_timeout_ms),
                                   "--active-timeout", std::to_string(active_timeout_ms)};
  if (one_shot) args.push_back("--one-shot");
  args.push_back(shard);
  std::vector<char*> argv_out;
  for (auto& a : args) argv_out.push_back(a.data());
  argv_out.push_back(nullptr);
  // xapian-tcpsrv ends its whole process group on SIGTERM: make that group its own, not the
  // caller's (a script or test runner that started it).
  ::setpgid(0, 0);
  ::execvp("xapian-tcpsrv", argv_out.data());
  std::cerr << kTool << ": cannot run xapian-tcpsrv (" << std::strerror(errno)
            << "); it is in Debian's xapian-tools package\n";
  return 1;
} catch (const std::exception& e) {
  std::cerr << kTool << ": " << e.what() << '\n';
  return 1;
}
