// filmsearch-index: reads films, reviews and articles (folders, JSON Lines, JSON, CSV/TSV, pages;
// .gz/.xz; "-" for standard input) into a filmsearch index, or --dump shows the records it would
// index. Options -> corpus::read_inputs -> index::IndexWriter, with progress and a summary.
//
// Exit codes: 0 done; 1 failed (the index could not be written, an input could not be read at
// all); 2 bad usage (unknown option, missing --index, an input path that does not exist), or
// any bad record with --strict (after indexing the valid ones); 130 interrupted by Ctrl-C (what
// was indexed so far is committed).

#include <unistd.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "corpus/reader.h"
#include "corpus/record_json.h"
#include "error.h"
#include "index/retag.h"
#include "index/shards.h"
#include "index/writer.h"

namespace {

namespace corpus = filmsearch::corpus;
namespace index = filmsearch::index;
using Clock = std::chrono::steady_clock;

constexpr const char* kTool = "filmsearch-index";
constexpr std::size_t kMaxShownDiagnostics = 20;

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  // A second Ctrl-C ends the process at once; the index stays as of its last commit.
  std::signal(SIGINT, SIG_DFL);
}

// Thrown from the record callback to stop reading after Ctrl-C.
struct Interrupted {};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string format(const char* fmt, double a, double b = 0, double c = 0, double d = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, a, b, c, d);
  return buf;
}

// Prints diagnostics as "file:line: message" (the first kMaxShownDiagnostics of them) and keeps
// counts of skipped records by reason for the summary.
class DiagnosticLog {
 public:
  void add(const corpus::Diagnostic& d) {
    std::lock_guard lock(mu_);
    bool error = d.severity == corpus::Diagnostic::Severity::kError;
    (error ? errors_ : warnings_) += 1;
    if (error) ++reasons_[d.message.substr(0, d.message.find(':'))];
    if (shown_ < kMaxShownDiagnostics) {
      ++shown_;
      std::cerr << (error ? "" : "warning: ") << d.to_string() << '\n';
    }
  }
  std::size_t errors() const { return errors_; }
  void summarize(std::ostream& out) const {
    std::size_t total = errors_ + warnings_;
    if (total > shown_) out << "... and " << (total - shown_) << " more problems not shown\n";
    if (errors_ > 0) {
      out << "skipped " << errors_ << (errors_ == 1 ? " record or file:" : " records or files:");
      const char* sep = " ";
      for (const auto& [reason, n] : reasons_) {
        out << sep << n << ' ' << reason;
        sep = ", ";
      }
      out << '\n';
    }
    if (warnings_ > 0) out << "repaired " << warnings_ << " records (warnings above)\n";
  }

 private:
  mutable std::mutex mu_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  std::size_t shown_ = 0;
  std::map<std::string, std::size_t> reasons_;
};

// Progress on stderr: a bar redrawn in place on a terminal, a plain line every 5 s otherwise.
class Progress {
 public:
  Progress(bool enabled, std::uint64_t total_bytes, std::function<std::uint64_t()> indexed)
      : enabled_(enabled),
        tty_(::isatty(STDERR_FILENO)),
        total_(total_bytes),
        indexed_(std::move(indexed)) {
    if (enabled_) thread_ = std::thread([this] { run(); });
  }
  ~Progress() { stop(); }

  void add_bytes(std::uint64_t n) { bytes_ += n; }
  void add_record() { ++records_; }
  std::uint64_t records_read() const { return records_; }

  void stop() {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      stopped_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (tty_ && drawn_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  void run() {
    const auto period = tty_ ? std::chrono::milliseconds(250) : std::chrono::seconds(5);
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, period, [&] { return stopped_; })) draw();
  }

  void draw() {
    double elapsed = seconds_since(start_);
    double mb = bytes_ / 1e6;
    double rate = elapsed > 0 ? mb / elapsed : 0;
    std::string line = std::to_string(records_.load()) + " records read, " +
                       std::to_string(indexed_()) + " indexed, " +
                       format("%.1f MB read, %.1f MB/s", mb, rate);
    if (total_ > 0) {
      double frac = std::min(1.0, static_cast<double>(bytes_) / total_);
      line += format(", %.0f%%", 100 * frac);
      if (frac > 0.01 && frac < 1) {
        line += format(", ETA %.0f s", elapsed * (1 - frac) / frac);
      }
      if (tty_) {
        constexpr int kWidth = 24;
        int filled = static_cast<int>(frac * kWidth);
        line = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] " + line;
      }
    }
    if (tty_) {
      std::cerr << "\r\033[K" << line << std::flush;
      drawn_ = true;
    } else {
      std::cerr << kTool << ": " << line << '\n';
    }
  }

  bool enabled_;
  bool tty_;
  std::uint64_t total_;
  std::function<std::uint64_t()> indexed_;
  Clock::time_point start_ = Clock::now();
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> records_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

void print_summary(const index::IndexWriter::Stats& s, double elapsed, bool interrupted) {
  std::cerr << (interrupted ? "interrupted: committed " : "indexed ") << s.records << " records ("
            << s.films << " films, " << s.reviews << " reviews, " << s.articles << " articles), "
            << s.sections << " sections, "
            << format("%.1f MB of text in %.1f s (%.2f MB/s, %.0f records/s)", s.text_bytes / 1e6,
                      elapsed, elapsed > 0 ? s.text_bytes / 1e6 / elapsed : 0,
                      elapsed > 0 ? s.records / elapsed : 0)
            << '\n';
  if (s.replaced || s.deleted || s.updated_reviews || s.rekeyed_pages) {
    std::cerr << "replaced " << s.replaced << ", deleted " << s.deleted << ", reviews updated for "
              << "their film " << s.updated_reviews << ", pages moved to their film "
              << s.rekeyed_pages << '\n';
  }
}

// Paths that do not exist are a usage error, reported before anything is opened.
bool check_paths(const std::vector<std::string>& paths) {
  bool ok = true;
  for (const auto& p : paths) {
    std::error_code ec;
    if (p != "-" && !std::filesystem::exists(p, ec)) {
      std::cerr << kTool << ": " << p << ": no such file or directory\n";
      ok = false;
    }
  }
  return ok;
}

// One index or a sharded one (index/shards.h), behind the calls the tool makes.
class AnyWriter {
 public:
  AnyWriter(const index::IndexWriter::Options& options, unsigned shards) {
    if (shards != 0 || index::read_shard_layout(options.path)) {
      sharded_.emplace(index::ShardedIndexWriter::Options{.shards = shards, .writer = options});
    } else {
      single_.emplace(options);
    }
  }
  void add(corpus::Record&& r) { single_ ? single_->add(std::move(r)) : sharded_->add(std::move(r)); }
  void remove(const std::string& id) { single_ ? single_->remove(id) : sharded_->remove(id); }
  index::IndexWriter::Stats stats() const { return single_ ? single_->stats() : sharded_->stats(); }
  index::IndexWriter::Stats finish() { return single_ ? single_->finish() : sharded_->finish(); }

 private:
  std::optional<index::IndexWriter> single_;
  std::optional<index::ShardedIndexWriter> sharded_;
};

void print_stats(const std::vector<index::ShardStats>& stats) {
  std::printf("%-10s %12s %10s %12s\n", "shard", "documents", "films", "MB");
  for (const auto& s : stats) {
    std::printf("%-10s %12llu %10llu %12.1f\n", s.name.c_str(),
                static_cast<unsigned long long>(s.documents),
                static_cast<unsigned long long>(s.films), s.bytes / 1e6);
  }
}

int dump(const std::vector<std::string>& paths, const corpus::ReadOptions& read_options) {
  DiagnosticLog log;
  corpus::ReadCallbacks callbacks;
  callbacks.on_record = [](corpus::Record&& r) {
    std::cout << corpus::record_to_json(r).dump(-1, ' ', false,
                                                nlohmann::ordered_json::error_handler_t::replace)
              << '\n';
  };
  callbacks.on_diagnostic = [&](const corpus::Diagnostic& d) { log.add(d); };
  corpus::read_inputs(paths, read_options, callbacks);
  std::cout.flush();
  log.summarize(std::cerr);
  return read_options.strict && log.errors() > 0 ? 2 : 0;
}

int retag(const index::RetagOptions& options, bool quiet) {
  const auto start = Clock::now();
  const index::RetagStats s = index::retag_index(options);
  if (!quiet) {
    std::cerr << "retagged " << s.records << " records: " << s.changed
              << " rewritten (their spoiler spans changed), " << (s.records - s.changed)
              << " unchanged, in " << format("%.1f s", seconds_since(start)) << '\n'
              << "spoiler tagger: " << s.current << " (was: "
              << (s.previous.empty() ? "not recorded" : s.previous) << ")\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"Index films, reviews and articles into a filmsearch index."};
  index::IndexWriter::Options options;
  std::vector<std::string> paths;
  std::vector<std::string> delete_ids;
  bool dump_only = false;
  bool strict = false;
  bool quiet = false;
  app.add_option("paths", paths,
                 "files or folders to index (recursive; .gz/.xz read directly; - is stdin)");
  app.add_option("--index", options.path, "the index folder (created when missing)");
  // One id per --delete, so `--delete ID file.jsonl` never takes the file for an id.
  app.add_option("--delete", delete_ids,
                 "remove the record with this id before indexing (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--dump", dump_only,
               "print the records of PATHS as JSON Lines, as they would be indexed; no index");
  app.add_flag("--strict", strict, "exit 2 when any record was bad (after indexing the rest)");
  app.add_option("--threads", options.threads, "analysis threads (default: all cores)")
      ->check(CLI::Range(0u, 256u));
  app.add_option("--writers", options.shards,
                 "databases written in parallel when building a new unsharded index, merged at "
                 "the end (default: 2 when there are 2+ threads)")
      ->check(CLI::Range(0u, 16u));
  unsigned shards = 0;
  app.add_option("--shards", shards,
                 "write a permanent sharded index: INDEX/shard-00 ... and a stub INDEX/XAPIANDB "
                 "listing them; films are routed by a hash of their key (an existing sharded "
                 "index keeps its count)")
      ->check(CLI::Range(1u, 256u));
  bool show_stats = false;
  bool check = false;
  app.add_flag("--stats", show_stats,
               "print documents, films and disk size of the index, per shard and in total");
  app.add_flag("--check", check,
               "check that no film and no record is in two shards, or in a shard it does not "
               "route to (exit 1 if any is)");
  app.add_option("--batch", options.batch_records,
                 "records per commit (default 4000; more uses more memory)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000000}));
  bool no_spelling = false;
  app.add_flag("--no-spelling", no_spelling,
               "do not build spelling data for \"did you mean\" (faster, smaller index)");
  app.add_flag("--positions,--review-positions", options.section_positions,
               "store word positions for the text of sections (faster phrase queries, index "
               "about twice as large; by default phrases are checked against the stored text; "
               "--review-positions is the old name)");
  bool review_spelling = false;
  app.add_flag("--review-spelling", review_spelling,
               "also add the words of reviews to the spelling data (slower; by default only "
               "titles, names and film and article text)");
  app.add_flag("--compact", options.compact_existing,
               "rewrite an existing index compactly at the end (a new index always is; runs "
               "into an existing one otherwise commit in place)");
  bool retag_only = false;
  app.add_flag("--retag", retag_only,
               "re-tag the spoilers of every record stored in --index with this build's tagger "
               "(no corpus needed) and rewrite only the documents whose spans changed");
  bool no_learned_spoilers = false;
  app.add_flag("--no-learned-spoilers", no_learned_spoilers,
               "spoiler rules only (authors' markup, warnings, spoiler headings): no learned "
               "tagger, so no unwarned spoilers are found");
  app.add_flag("--quiet,-q", quiet, "no progress and no summary; problems are still shown");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and exits 0; every other parse error is bad usage.
    return app.exit(e) == 0 ? 0 : 2;
  }
  options.spelling = !no_spelling;
  options.review_spelling = review_spelling;
  const corpus::ReadOptions read_options{.strict = strict,
                                         .spoilers = {.learned = !no_learned_spoilers}};
  options.spoiler_tagger = corpus::spoiler_tagger_version(read_options.spoilers);

  if (dump_only) {
    if (paths.empty()) throw CLI::RequiredError("PATHS");
    if (!check_paths(paths)) return 2;
    return dump(paths, read_options);
  }
  if (options.path.empty()) {
    std::cerr << kTool << ": --index is required (or --dump)\n" << app.help();
    return 2;
  }
  if (retag_only) {
    if (!paths.empty() || !delete_ids.empty() || show_stats || check) {
      std::cerr << kTool << ": --retag takes no paths, no --delete, --stats or --check\n";
      return 2;
    }
    if (!std::filesystem::exists(options.path)) {
      std::cerr << kTool << ": " << options.path << ": no such index\n";
      return 2;
    }
    return retag({.path = options.path, .policy = read_options.spoilers,
                  .batch_records = options.batch_records},
                 quiet);
  }
  if (show_stats || check) {
    if (!paths.empty() || !delete_ids.empty()) {
      std::cerr << kTool << ": --stats and --check take no paths and no --delete\n";
      return 2;
    }
    if (show_stats) print_stats(index::shard_stats(options.path));
    if (check) {
      const std::vector<std::string> problems = index::check_shards(options.path);
      for (const auto& p : problems) std::cout << options.path << ": " << p << '\n';
      if (!problems.empty()) return 1;
      std::cout << options.path << ": every film is in the one shard it routes to\n";
    }
    return 0;
  }
  if (paths.empty() && delete_ids.empty()) {
    std::cerr << kTool << ": nothing to do: give paths to index or --delete ids\n";
    return 2;
  }
  if (!check_paths(paths)) return 2;

  const auto start = Clock::now();
  // Ctrl-C from here on commits what is done (even while the index is being opened).
  std::signal(SIGINT, on_sigint);
  AnyWriter writer(options, shards);
  for (const auto& id : delete_ids) writer.remove(id);

  DiagnosticLog log;
  bool interrupted = false;
  {
    Progress progress(!quiet && !paths.empty(), corpus::total_input_bytes(paths),
                      [&] { return writer.stats().records; });
    corpus::ReadCallbacks callbacks;
    callbacks.on_record = [&](corpus::Record&& r) {
      if (g_interrupted.load()) throw Interrupted{};
      progress.add_record();
      writer.add(std::move(r));
    };
    callbacks.on_diagnostic = [&](const corpus::Diagnostic& d) { log.add(d); };
    callbacks.on_bytes = [&](std::uint64_t n) { progress.add_bytes(n); };
    try {
      if (!paths.empty()) corpus::read_inputs(paths, read_options, callbacks);
    } catch (const Interrupted&) {
      interrupted = true;
    }
    interrupted = interrupted || g_interrupted.load();
    progress.stop();
  }
  if (interrupted && !quiet) std::cerr << kTool << ": interrupted; committing what is done\n";
  const index::IndexWriter::Stats stats = writer.finish();
  std::signal(SIGINT, SIG_DFL);
  if (!quiet || interrupted) print_summary(stats, seconds_since(start), interrupted);
  if (!quiet) {
    // Records tagged by another tagger stay as they were: say how to bring them up to date.
    const std::string recorded = index::recorded_spoiler_tagger(options.path);
    if (recorded != options.spoiler_tagger) {
      std::cerr << "note: the index records spoilers tagged by "
                << (recorded.empty() ? "an unrecorded tagger" : recorded)
                << "; this build tags with " << options.spoiler_tagger
                << ": run filmsearch-index --index " << options.path << " --retag\n";
    }
  }
  log.summarize(std::cerr);
  if (interrupted) return 130;
  return strict && log.errors() > 0 ? 2 : 0;
} catch (const filmsearch::InputError& e) {
  std::cerr << kTool << ": " << e.what() << '\n';
  return 2;
} catch (const filmsearch::ConfigError& e) {
  std::cerr << kTool << ": " << e.what() << '\n';
  return 2;
} catch (const CLI::Error& e) {
  std::cerr << kTool << ": " << e.what() << '\n';
  return 2;
} catch (const filmsearch::Error& e) {
  std::cerr << kTool << ": " << e.what() << '\n';
  return 1;
} catch (const Xapian::Error& e) {
  std::cerr << kTool << ": " << e.get_description() << '\n';
  return 1;
} catch (const std::exception& e) {
  std::cerr << kTool << ": " << e.what() << '\n';
  return 1;
}
