#include "index/writer.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <chrono>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "corpus/page_parser.h"
#include "error.h"
#include "index/document_builder.h"
#include "index/read_retry.h"
#include "index/schema.h"
#include "index/stored_record.h"

// The pipeline: the caller's thread (add) groups records into chunks and resolves what reviews
// inherit; worker threads turn chunks into Xapian documents; one writer thread applies chunks to
// the database strictly in the order they were queued, so a later record with the same id wins
// and a remove() lands after the adds before it. Each batch is a Xapian transaction: Xapian's own
// threshold flushes are off inside it, and a writer destroyed without commit() cancels it, so the
// index only ever moves from one of our commits to the next.
//
// Pages that name no IMDb id carry a derived film key ("film:the-red-shoes-1948", see
// corpus::derived_film_id); a film answers to the same key through its term XW<alias>
// (film_alias), and so does a page that names the film's id (tt0040725), with that id. A page
// joins the one film key answering to its derived key: at add() when it is known (this run's
// records, or the index's through XW), else at the commit after it arrives, through the same
// fix-up job that updates reviews. A joined page is indexed under the film key but stores its
// record as read, derived key included, and keeps XW<its derived key>, so it can be found again
// when that key's films change. When two film keys answer to one derived key (a remake in the
// same year under the same title), a page cannot tell which it is about: it keeps its derived
// key and groups with neither.

namespace filmsearch::index {
namespace {

// A chunk is the unit of work handed to a worker: big enough to amortise the hand-off, small
// enough to keep both cores busy at the end of a batch.
constexpr std::size_t kChunkRecords = 128;
// The stored records' dictionary is trained on the first records of a run into an index without
// one: this many (at most a batch), or this many bytes of them, whichever comes first (training
// on 4 MB takes about 0.3 s, during which nothing else runs).
constexpr std::size_t kTrainingRecords = 5000;
constexpr std::size_t kTrainingBytes = 4 << 20;
constexpr std::size_t kChunkBytes = 1 << 20;

std::size_t text_bytes(const corpus::Record& r) {
  std::size_t n = r.title.size();
  for (const auto& s : r.sections) n += s.text.size();
  return n;
}

// The pid of the process holding the index's lock, when it can be found: Xapian 1.4 locks
// `flintlock` with an open-file-description lock, which the kernel does not attribute to a pid,
// so look for another process with that file open (only processes we may inspect are seen).
std::optional<long> lock_holder(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path lock_file =
      std::filesystem::canonical(std::filesystem::path(path) / "flintlock", ec);
  if (ec) return std::nullopt;
  const long self = static_cast<long>(::getpid());
  std::vector<long> holders;
  for (const auto& proc : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = proc.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(name);
    if (pid == self) continue;
    std::error_code fd_ec;
    for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", fd_ec)) {
      std::error_code link_ec;
      if (std::filesystem::read_symlink(fd.path(), link_ec) == lock_file) {
        holders.push_back(pid);
        break;
      }
    }
  }
  if (holders.empty()) return std::nullopt;
  // Older Xapian builds hold the lock in a forked child: name the writer, its parent.
  for (long pid : holders) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    long ppid = 0;
    if (std::getline(stat, line)) {
      auto close_paren = line.rfind(')');
      if (close_paren != std::string::npos) {
        std::sscanf(line.c_str() + close_paren + 1, " %*c %ld", &ppid);
      }
    }
    if (std::find(holders.begin(), holders.end(), ppid) == holders.end()) return pid;
  }
  return holders.front();
}

// The shard of `key` (a film key, or a spelling word) among `shards`: by hash, so a key always
// goes to the same one (fresh_shard_of, share_spelling).
unsigned shard_of_key(std::string_view key, unsigned shards) {
  if (shards <= 1) return 0;
  return static_cast<unsigned>(std::hash<std::string_view>{}(key) % shards);
}

// Whether `doc` holds the boolean term `term`.
bool has_term(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator t = doc.termlist_begin();
  t.skip_to(term);
  return t != doc.termlist_end() && *t == term;
}

}  // namespace

struct IndexWriter::Impl {
  enum class JobKind { kAdd, kRemove, kCommit };

  struct Entry {
    corpus::Record record;
    std::shared_ptr<const FilmInfo> film;
    std::string joined_to;  // the film key a page with a derived key joins (see add())
    bool is_new = false;  // certainly not in the index yet: add_document, and count its spelling
  };
  struct Built {
    std::string id_term;
    Xapian::Document doc;
    corpus::RecordType type;
    bool is_new;
    std::size_t sections;
    std::size_t bytes;
  };
  // What a commit updates, after the records before it: documents that depend on a film that
  // arrived (or changed) since the last commit.
  struct FixUps {
    // Film key -> the film: its reviews inherit its title, year and genres.
    std::vector<std::pair<std::string, std::shared_ptr<const FilmInfo>>> reviews;
    // Derived film key -> the one film key answering to it now, or "" (none, or ambiguous): the
    // pages with that key (or joined under it) are re-keyed to it, or back to the derived key.
    std::vector<std::pair<std::string, std::string>> pages;
  };
  struct Job {
    std::size_t shard = 0;
    std::uint64_t seq = 0;
    JobKind kind = JobKind::kAdd;
    std::vector<Entry> entries;
    std::size_t bytes = 0;
    std::vector<Built> built;
    SpellingCounts spelling;
    std::string remove_id;
    std::shared_ptr<const FixUps> fixups;
    bool last = false;  // kCommit from finish(): the shard's last commit
    std::promise<void> done;
  };
  // One Xapian database written by one thread. Shard 0 is the index itself.
  struct Shard {
    std::string path;
    Xapian::WritableDatabase db;
    // Caller thread.
    std::unique_ptr<Job> current;
    std::uint64_t next_seq = 0;
    // Under mu.
    std::map<std::uint64_t, std::unique_ptr<Job>> results;
    // Writer thread.
    std::uint64_t applied_seq = 0;
    std::size_t records_in_batch = 0;
    bool in_transaction = false;
    // Spelling counts not yet given to Xapian: a batch's in the index (committed with the batch,
    // so an interrupted run never leaves documents without their spelling words), the whole
    // run's in a temporary shard (one add_spelling per distinct word instead of one per word per
    // batch; shared out among the shards for their last commits, see share_spelling()).
    SpellingCounts batch_spelling;
    bool temporary = false;  // a shard merged into the index at finish(), else discarded
    bool finishing = false;  // the next commit is the shard's last (finish())
    std::unique_ptr<DocumentBuilder> fixup_builder;
    std::thread writer;
  };

  Options options;
  std::vector<std::unique_ptr<Shard>> shards;
  std::optional<Xapian::Database> snapshot;  // the index as opened; for lookups from add()
  bool fresh = false;                        // the index was empty when opened
  std::size_t chunk_records = kChunkRecords;
  std::size_t batch_per_shard = 0;

  // Caller-thread state.
  std::unordered_map<std::string, std::shared_ptr<const FilmInfo>> films;  // nullptr: no film
  std::unordered_map<std::string, std::shared_ptr<const FilmInfo>> films_since_commit;
  std::unordered_set<std::string> uninherited;  // film ids with reviews added without their film
  // Derived film keys (film_alias): the alias each film (or page naming its film's id) of this
  // run answers to now ("" none, or removed), with its film key; the records of this run
  // answering to each alias (usually one); what the index answered when asked, as (id, key)
  // (see film_answering); the aliases whose films changed since the last commit, where pages
  // may have to move; the derived keys of this run's pages. About 0.4 KB per film of the run
  // (18 MB for filmbench's 43,000 films).
  struct Answer {
    std::string alias;
    std::string key;
  };
  std::unordered_map<std::string, Answer> run_alias;
  std::unordered_map<std::string, std::vector<std::string>> run_films_by_alias;
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>>
      indexed_films_by_alias;
  std::unordered_set<std::string> aliases_since_commit;
  std::unordered_set<std::string> page_aliases;
  std::unordered_map<std::string, std::uint32_t> seen_ids;  // id -> shard it went to
  bool finished = false;
  // The stored records' dictionary (index/stored_record.h): the index's, or trained on the first
  // records of this run when it has none; those records are held back until it is trained
  // (then nothing else touches the databases yet), so every record of the run uses it.
  std::shared_ptr<const RecordDictionary> dictionary;
  bool training = false;
  std::vector<corpus::Record> held;
  std::vector<std::string> samples;
  std::size_t sample_bytes = 0;

  // Shared state.
  mutable std::mutex mu;
  std::condition_variable work_cv;    // workers: work queued or stopping
  std::condition_variable result_cv;  // writers: a result arrived or stopping
  std::condition_variable space_cv;   // caller: room in the pipeline or failure
  std::deque<std::unique_ptr<Job>> work;
  std::size_t in_flight = 0;
  std::size_t max_in_flight = 8;
  bool stopping = false;
  std::exception_ptr failure;
  Stats stats;

  std::vector<std::thread> workers;

  explicit Impl(Options o) : options(std::move(o)) {}

  static std::string shard_path(const std::string& path, std::size_t i) {
    return path + "/shard-" + std::to_string(i);
  }

  void open() {
    if (options.path.empty()) throw ConfigError("no index path given");
    if (options.batch_records == 0) throw ConfigError("batch size must be at least 1 record");
    // "db/" and "db" are one index; the compactor's sibling folder needs the plain name.
    while (options.path.size() > 1 && options.path.back() == '/') options.path.pop_back();
    auto main = std::make_unique<Shard>();
    main->path = options.path;
    try {
      main->db = Xapian::WritableDatabase(options.path, Xapian::DB_CREATE_OR_OPEN);
    } catch (const Xapian::DatabaseLockError&) {
      std::string msg = options.path + " is locked by another writer";
      if (auto pid = lock_holder(options.path)) msg += " (pid " + std::to_string(*pid) + ")";
      throw Error(msg);
    } catch (const Xapian::Error& e) {
      throw Error("cannot open index " + options.path + ": " + e.get_description());
    }
    // Shards of a run killed before finish(): never part of the index; we hold its lock now.
    for (std::size_t i = 1; std::filesystem::exists(shard_path(options.path, i)); ++i) {
      std::filesystem::remove_all(shard_path(options.path, i));
    }
    fresh = main->db.get_doccount() == 0;
    if (fresh && !options.spoiler_tagger.empty()) {
      main->db.set_metadata(std::string(schema::kSpoilerTaggerKey), options.spoiler_tagger);
    }
    dictionary = RecordDictionary::load(main->db);
    training = !dictionary;
    if (!fresh) snapshot.emplace(options.path);
    unsigned n = options.threads ? options.threads : std::thread::hardware_concurrency();
    if (n == 0) n = 2;
    options.threads = n;
    unsigned n_shards = options.shards ? options.shards : (n >= 2 ? 2 : 1);
    if (!fresh) n_shards = 1;
    options.shards = n_shards;
    shards.push_back(std::move(main));
    for (unsigned i = 1; i < n_shards; ++i) {
      auto shard = std::make_unique<Shard>();
      shard->path = shard_path(options.path, i);
      // A temporary shard is thrown away when the run does not reach finish(), so it needs no
      // durability: no fsync at its commits, and its blocks may be updated in place.
      shard->temporary = true;
      shard->db = Xapian::WritableDatabase(
          shard->path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
      shards.push_back(std::move(shard));
    }
    stats.shards = n_shards;
    batch_per_shard = std::max<std::size_t>(1, options.batch_records / n_shards);
    max_in_flight = 4 * n + 4 * n_shards;
    // A batch boundary must fall between chunks, so chunks never exceed a batch.
    chunk_records = std::min(kChunkRecords, batch_per_shard);
    for (unsigned i = 0; i < n; ++i) workers.emplace_back([this] { work_loop(); });
    for (auto& shard : shards) {
      Shard* s = shard.get();
      s->writer = std::thread([this, s] { write_loop(*s); });
    }
  }

  void stop() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    work_cv.notify_all();
    result_cv.notify_all();
    space_cv.notify_all();
    for (auto& t : workers) t.join();
    workers.clear();
    for (auto& s : shards) {
      if (s->writer.joinable()) s->writer.join();
    }
  }

  void check_failure() {
    std::lock_guard lock(mu);
    if (failure) std::rethrow_exception(failure);
  }

  // ---- caller thread ----

  // Runs `read` on the snapshot, retried when it races our own writer thread's commits (see
  // index/read_retry.h; found by tests/reliability/crash_safety_test: re-indexing into a
  // non-empty index failed); the snapshot is opened afresh for each retry. A later revision
  // answers the same: what this run wrote is known from seen_ids and films.
  template <typename Read>
  auto read_snapshot(Read&& read) {
    return retry_racing_reads(
        [&] {
          if (!snapshot) snapshot.emplace(options.path);
          return read(*snapshot);
        },
        [&](bool) { snapshot.reset(); });
  }

  std::shared_ptr<const FilmInfo> film_of(const std::string& film_id) {
    auto it = films.find(film_id);
    if (it != films.end()) return it->second;
    std::shared_ptr<const FilmInfo> info;
    if (snapshot) {
      const std::string term = boolean_term(schema::kIdPrefix, film_id);
      info = read_snapshot([&](Xapian::Database& db) -> std::shared_ptr<const FilmInfo> {
        Xapian::PostingIterator p = db.postlist_begin(term);
        if (p == db.postlist_end(term)) return nullptr;
        Xapian::Document doc = db.get_document(*p);
        if (doc.get_value(schema::slot(schema::Slot::kType)) != "film") return nullptr;
        return std::make_shared<FilmInfo>(FilmInfo::of(stored_record(doc, dictionary.get())));
      });
    }
    films.emplace(film_id, info);
    return info;
  }

  // The film key a page with derived film key `alias` joins: the one key answering to it, among
  // this run's records and the index's, or "" when none does or several do (a film and a page
  // naming its id answer with one key).
  std::string film_answering(const std::string& alias) {
    std::string found;
    bool several = false;
    auto answers = [&](const std::string& key) {
      if (found.empty()) found = key;
      several = several || found != key;
    };
    if (auto run = run_films_by_alias.find(alias); run != run_films_by_alias.end()) {
      for (const auto& id : run->second) answers(run_alias.at(id).key);
    }
    if (snapshot) {
      auto [it, inserted] = indexed_films_by_alias.try_emplace(alias);
      if (inserted) {
        const std::string term = boolean_term(schema::kFilmAliasPrefix, alias);
        it->second = read_snapshot([&](Xapian::Database& db) {
          std::vector<std::pair<std::string, std::string>> answering;  // (id, key)
          for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
            Xapian::Document doc = db.get_document(*p);
            std::string key = doc.get_value(schema::slot(schema::Slot::kFilmKey));
            // A film under its own id (the common case, told without decoding its record).
            if (has_term(doc, boolean_term(schema::kIdPrefix, key))) {
              answering.emplace_back(key, key);
              continue;
            }
            // A page naming the film's id; not a page joined under the alias.
            corpus::Record page = stored_record(doc, dictionary.get());
            if (!has_derived_film_key(page)) answering.emplace_back(page.id, key);
          }
          return answering;
        });
      }
      for (const auto& [id, key] : it->second) {
        // What this run added again answers as it is now (above), or not at all when removed.
        if (!run_alias.count(id)) answers(key);
      }
    }
    return several ? std::string() : found;
  }

  // The alias the index's document `id` answers to as a film, "" when none; `expect` is the
  // likely answer (checked without decoding the stored record).
  std::string indexed_alias(const std::string& id, const std::string& expect) {
    if (!snapshot) return {};
    return read_snapshot([&](Xapian::Database& db) -> std::string {
      const std::string q = boolean_term(schema::kIdPrefix, id);
      Xapian::PostingIterator p = db.postlist_begin(q);
      if (p == db.postlist_end(q)) return {};
      Xapian::Document doc = db.get_document(*p);
      Xapian::TermIterator t = doc.termlist_begin();
      t.skip_to(std::string(schema::kFilmAliasPrefix));
      if (t == doc.termlist_end() || !(*t).starts_with(schema::kFilmAliasPrefix)) return {};
      if (!expect.empty() && *t == boolean_term(schema::kFilmAliasPrefix, expect)) return expect;
      // Another alias (hashed into its term when long), or a joined page: ask the stored record.
      return film_alias(stored_record(doc, dictionary.get()));
    });
  }

  // Record `id` (a film, or a page naming its film's id) answers to `alias` with film key `key`
  // now (alias "": removed, or nothing to derive). The pages are looked at again at the next
  // commit, under this alias and under the one it had before.
  void set_film_alias(const std::string& id, const std::string& key, const std::string& alias,
                      bool maybe_indexed) {
    auto [it, inserted] = run_alias.try_emplace(id);
    std::string before = inserted ? (maybe_indexed ? indexed_alias(id, alias) : std::string())
                                   : it->second.alias;
    if (!before.empty() && (before != alias || it->second.key != key)) {
      auto& ids = run_films_by_alias[before];
      ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
      alias_changed(before);
    }
    it->second = Answer{alias, key};
    if (!alias.empty()) {
      auto& ids = run_films_by_alias[alias];
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      alias_changed(alias);
    }
  }

  void alias_changed(const std::string& alias) {
    // A fresh index holds only this run's pages: one added later is joined as it is added.
    if (!fresh || page_aliases.count(alias)) aliases_since_commit.insert(alias);
  }

  // A record goes where its id went before (so it replaces itself), else by its film key
  // (`joined_to` for a joined page), so a film, its reviews and its pages share a shard.
  std::uint32_t route(const corpus::Record& record, const std::string& joined_to,
                      bool* first_time) {
    auto [it, inserted] = seen_ids.try_emplace(record.id, 0);
    *first_time = inserted;
    if (inserted && shards.size() > 1) {
      const auto n = static_cast<unsigned>(shards.size());
      it->second = joined_to.empty() ? fresh_shard_of(record, n) : shard_of_key(joined_to, n);
    }
    return it->second;
  }

  void add(corpus::Record&& record) {
    if (finished) throw Error("index writer used after finish()");
    if (training) {
      samples.push_back(encode_record(record));
      sample_bytes += samples.back().size();
      held.push_back(std::move(record));
      // Never more than a batch: the first commit comes when it would without training.
      if (held.size() >= std::min(kTrainingRecords, options.batch_records) ||
          sample_bytes >= kTrainingBytes) {
        end_training();
      }
      return;
    }
    Entry entry;
    if (has_derived_film_key(record)) {
      // A page that named its film's id before and names none now answers no more; first, so
      // that it does not join what it was itself.
      set_film_alias(record.id, "", "", /*maybe_indexed=*/static_cast<bool>(snapshot));
      page_aliases.insert(record.film_id);
      // Joined before routing, so the page goes to its film's shard.
      entry.joined_to = film_answering(record.film_id);
    }
    bool first_time = false;
    Shard& shard = *shards[route(record, entry.joined_to, &first_time)];
    entry.is_new = first_time &&
                   !(snapshot && read_snapshot([&](Xapian::Database& db) {
                       return db.term_exists(boolean_term(schema::kIdPrefix, record.id));
                     }));
    if (record.type == corpus::RecordType::kFilm) {
      // A joined page is not its film: the film's reviews go on inheriting from the film.
      std::string key(film_key(record));
      if (entry.joined_to.empty()) {
        auto info = std::make_shared<const FilmInfo>(FilmInfo::of(record));
        films[key] = info;
        films_since_commit[key] = info;
      }
      // A film, or a page naming its film's id: what answers to a derived key.
      if (!has_derived_film_key(record)) {
        set_film_alias(record.id, key, film_alias(record), /*maybe_indexed=*/!entry.is_new);
      }
    } else if (record.type == corpus::RecordType::kReview && !record.film_id.empty()) {
      entry.film = film_of(record.film_id);
      if (!entry.film) uninherited.insert(record.film_id);
    }
    if (!shard.current) {
      shard.current = std::make_unique<Job>();
      shard.current->entries.reserve(chunk_records);
    }
    Job& job = *shard.current;
    job.bytes += text_bytes(record);
    entry.record = std::move(record);
    job.entries.push_back(std::move(entry));
    if (job.entries.size() >= chunk_records || job.bytes >= kChunkBytes) flush_chunk(shard);
  }

  std::size_t index_of(const Shard& shard) const {
    for (std::size_t i = 0; i < shards.size(); ++i) {
      if (shards[i].get() == &shard) return i;
    }
    return 0;
  }

  // Hands the shard's current chunk to the workers, waiting while the pipeline is full.
  void flush_chunk(Shard& shard) {
    if (!shard.current || shard.current->entries.empty()) return;
    std::unique_ptr<Job> job = std::move(shard.current);
    job->shard = index_of(shard);
    std::unique_lock lock(mu);
    space_cv.wait(lock, [&] { return in_flight < max_in_flight || failure || stopping; });
    if (failure) std::rethrow_exception(failure);
    job->seq = shard.next_seq++;
    ++in_flight;
    work.push_back(std::move(job));
    work_cv.notify_one();
  }

  // Queues a job the shard's writer thread handles itself, after the shard's earlier work.
  void enqueue_direct(std::size_t i, std::unique_ptr<Job> job) {
    Shard& shard = *shards[i];
    flush_chunk(shard);
    std::lock_guard lock(mu);
    job->shard = i;
    job->seq = shard.next_seq++;
    shard.results.emplace(job->seq, std::move(job));
    result_cv.notify_all();
  }

  // Trains the dictionary on the records held (when they are enough), keeps it in every
  // database, and adds them.
  void end_training() {
    training = false;
    dictionary = RecordDictionary::train(samples);
    if (dictionary) {
      for (auto& shard : shards) dictionary->save(shard->db);
    }
    std::vector<std::string>().swap(samples);
    std::vector<corpus::Record> records;
    records.swap(held);
    for (auto& r : records) add(std::move(r));
  }

  void remove(std::string_view id) {
    if (finished) throw Error("index writer used after finish()");
    if (training) end_training();
    auto it = seen_ids.find(std::string(id));
    // In a fresh build an id never added cannot be anywhere; else it is in shard 0 (the index).
    if (it == seen_ids.end() && fresh) return;
    // A removed film answers to no alias: its pages go back to their derived key.
    set_film_alias(std::string(id), "", "", /*maybe_indexed=*/static_cast<bool>(snapshot));
    auto job = std::make_unique<Job>();
    job->kind = JobKind::kRemove;
    job->remove_id = std::string(id);
    enqueue_direct(it == seen_ids.end() ? 0 : it->second, std::move(job));
  }

  // `last`: from finish(); temporary shards then give Xapian their whole run's spelling.
  void commit(bool last = false) {
    if (finished) throw Error("index writer used after finish()");
    if (training) end_training();
    if (last && shards.size() > 1) {
      // Every document first; then the temporary shards' spelling, shared out while the
      // writers wait (share_spelling), goes in with the last commits.
      commit_round(false);
      share_spelling();
    }
    commit_round(last);
  }

  // The temporary shards' whole-run spelling words, shared out among the temporary shards
  // before their last commits: Xapian indexes each new word under its n-grams, the costly part,
  // so each word goes to one of them, by hash, and the last commits share that work. Never to
  // the index shard: its last commit is durable before the merge, and a run killed between the
  // two left it with the spelling of documents it did not hold, which the rerun then counted
  // again (issue 12, item 20). A word the index shard also has is merged by the compactor,
  // which adds the frequencies. Called with every writer waiting.
  void share_spelling() {
    const std::size_t temporary = shards.size() - 1;
    std::vector<SpellingCounts> parts(shards.size());
    for (std::size_t i = 1; i < shards.size(); ++i) {
      for (auto& [word, n] : shards[i]->batch_spelling) {
        parts[1 + shard_of_key(word, static_cast<unsigned>(temporary))][word] += n;
      }
      SpellingCounts().swap(shards[i]->batch_spelling);
    }
    for (std::size_t i = 1; i < shards.size(); ++i) shards[i]->batch_spelling = std::move(parts[i]);
  }

  void commit_round(bool last) {
    auto fixups = std::make_shared<FixUps>();
    for (auto& [key, info] : films_since_commit) {
      // A fresh index holds only this run's reviews: those added before their film are known.
      if (!fresh || uninherited.count(key)) fixups->reviews.emplace_back(key, info);
    }
    films_since_commit.clear();
    // Resolved here, where this run's films of every shard are known.
    for (const auto& alias : aliases_since_commit) {
      fixups->pages.emplace_back(alias, film_answering(alias));
    }
    aliases_since_commit.clear();
    std::vector<std::future<void>> done;
    for (std::size_t i = 0; i < shards.size(); ++i) {
      auto job = std::make_unique<Job>();
      job->kind = JobKind::kCommit;
      job->fixups = fixups;
      job->last = last;
      done.push_back(job->done.get_future());
      enqueue_direct(i, std::move(job));
    }
    for (auto& f : done) f.get();
  }

  // Merges the shards into the index and compacts it, then swaps the result in atomically (the
  // old files are removed after the swap). Called with every shard committed.
  void merge_and_compact() {
    const bool wanted = options.compact && (fresh || options.compact_existing);
    if (!wanted && shards.size() == 1) return;
    const std::string tmp = options.path + ".compacting";
    std::filesystem::remove_all(tmp);
    for (std::size_t i = 1; i < shards.size(); ++i) shards[i]->db.close();
    Xapian::Database sources;
    for (const auto& s : shards) sources.add_database(Xapian::Database(s->path));
    sources.compact(tmp, Xapian::DBCOMPACT_MULTIPASS);
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, options.path.c_str(), RENAME_EXCHANGE) != 0) {
      int err = errno;
      std::filesystem::remove_all(tmp);
      throw Error("cannot swap the compacted index into " + options.path + ": " +
                  std::strerror(err));
    }
    shards[0]->db.close();
    std::filesystem::remove_all(tmp);  // the old files, shards included
    std::lock_guard lock(mu);
    stats.compacted = true;
  }

  // ---- worker threads ----

  DocumentBuilder::Options builder_options() const {
    DocumentBuilder::Options o;
    o.section_positions = options.section_positions;
    o.review_spelling = options.review_spelling;
    o.record_dictionary = dictionary;
    return o;
  }

  void work_loop() {
    std::optional<DocumentBuilder> builder;
    for (;;) {
      std::unique_ptr<Job> job;
      {
        std::unique_lock lock(mu);
        work_cv.wait(lock, [&] { return stopping || !work.empty(); });
        if (stopping) return;
        job = std::move(work.front());
        work.pop_front();
      }
      try {
        if (!builder) builder.emplace(builder_options());
        build(*builder, job.get());
      } catch (...) {
        std::lock_guard lock(mu);
        if (!failure) failure = std::current_exception();
        space_cv.notify_all();
      }
      std::lock_guard lock(mu);
      Shard& shard = *shards[job->shard];
      shard.results.emplace(job->seq, std::move(job));
      result_cv.notify_all();
    }
  }

  void build(DocumentBuilder& builder, Job* job) {
    job->built.reserve(job->entries.size());
    for (auto& e : job->entries) {
      std::size_t sections = std::count_if(e.record.sections.begin(), e.record.sections.end(),
                                           [](const auto& s) { return s.ranked; });
      Built b{boolean_term(schema::kIdPrefix, e.record.id),
              builder.build(e.record, e.film.get(),
                            options.spelling && e.is_new ? &job->spelling : nullptr, e.joined_to),
              e.record.type,
              e.is_new,
              sections,
              text_bytes(e.record)};
      job->built.push_back(std::move(b));
    }
    job->entries.clear();
    job->entries.shrink_to_fit();
  }

  // ---- writer threads, one per shard ----

  void write_loop(Shard& shard) {
    for (;;) {
      std::unique_ptr<Job> job;
      bool failed;
      {
        std::unique_lock lock(mu);
        result_cv.wait(lock, [&] { return stopping || shard.results.count(shard.applied_seq); });
        if (stopping) break;
        auto it = shard.results.find(shard.applied_seq);
        job = std::move(it->second);
        shard.results.erase(it);
        failed = failure != nullptr;
        if (failed && job->kind == JobKind::kCommit) job->done.set_exception(failure);
      }
      ++shard.applied_seq;
      if (!failed) {
        try {
          apply(shard, job.get());
        } catch (...) {
          std::lock_guard lock(mu);
          if (!failure) failure = std::current_exception();
          if (job->kind == JobKind::kCommit) job->done.set_exception(failure);
          space_cv.notify_all();
        }
      }
      if (job->kind == JobKind::kAdd) {
        std::lock_guard lock(mu);
        --in_flight;
        space_cv.notify_all();
      }
    }
    // Whatever was written since the last commit is dropped.
    if (shard.in_transaction) {
      try {
        shard.db.cancel_transaction();
      } catch (...) {
      }
    }
  }

  void begin_batch(Shard& shard) {
    if (!shard.in_transaction) {
      shard.db.begin_transaction(true);
      shard.in_transaction = true;
    }
  }

  void apply(Shard& shard, Job* job) {
    switch (job->kind) {
      case JobKind::kAdd:
        apply_adds(shard, job);
        break;
      case JobKind::kRemove: {
        begin_batch(shard);
        std::string term = boolean_term(schema::kIdPrefix, job->remove_id);
        if (shard.db.term_exists(term)) {
          shard.db.delete_document(term);
          std::lock_guard lock(mu);
          ++stats.deleted;
        }
        break;
      }
      case JobKind::kCommit:
        shard.finishing = job->last;
        begin_batch(shard);
        fix_up_reviews(shard, job->fixups->reviews);
        fix_up_pages(shard, job->fixups->pages);
        commit_batch(shard);
        job->done.set_value();
        break;
    }
  }

  void apply_adds(Shard& shard, Job* job) {
    begin_batch(shard);
    Xapian::WritableDatabase& db = shard.db;
    Stats delta;
    for (auto& b : job->built) {
      bool replaced = false;
      if (b.is_new) {
        db.add_document(b.doc);
      } else {
        Xapian::PostingIterator p = db.postlist_begin(b.id_term);
        if (p != db.postlist_end(b.id_term)) {
          db.replace_document(*p, b.doc);
          replaced = true;
        } else {
          db.add_document(b.doc);
        }
      }
      ++delta.records;
      delta.replaced += replaced;
      delta.films += b.type == corpus::RecordType::kFilm;
      delta.reviews += b.type == corpus::RecordType::kReview;
      delta.articles += b.type == corpus::RecordType::kArticle;
      delta.sections += b.sections;
      delta.text_bytes += b.bytes;
    }
    if (shard.batch_spelling.empty()) {
      shard.batch_spelling = std::move(job->spelling);
    } else {
      for (auto& [word, n] : job->spelling) shard.batch_spelling[word] += n;
    }
    shard.records_in_batch += job->built.size();
    {
      std::lock_guard lock(mu);
      stats.records += delta.records;
      stats.replaced += delta.replaced;
      stats.films += delta.films;
      stats.reviews += delta.reviews;
      stats.articles += delta.articles;
      stats.sections += delta.sections;
      stats.text_bytes += delta.text_bytes;
    }
    job->built.clear();
    if (shard.records_in_batch >= batch_per_shard) commit_batch(shard);
  }

  // Rewrites the reviews of these films whose inherited fields differ from the film's now.
  void fix_up_reviews(Shard& shard, const decltype(FixUps::reviews)& films) {
    Xapian::WritableDatabase& db = shard.db;
    std::uint64_t updated = 0;
    for (const auto& [key, info] : films) {
      std::string term = boolean_term(schema::kFilmPrefix, key);
      std::vector<Xapian::docid> ids(db.postlist_begin(term), db.postlist_end(term));
      for (Xapian::docid id : ids) {
        Xapian::Document doc = db.get_document(id);
        if (doc.get_value(schema::slot(schema::Slot::kType)) != "review") continue;
        corpus::Record review = stored_record(doc, dictionary.get());
        if (DocumentBuilder::inherited_signature(doc) ==
            DocumentBuilder::inherited_signature(review, info.get())) {
          continue;
        }
        db.replace_document(id, fixup_builder(shard).build(review, info.get(), nullptr));
        ++updated;
      }
    }
    std::lock_guard lock(mu);
    stats.updated_reviews += updated;
  }

  // Moves the pages with these derived film keys to the film now answering to each, or back to
  // the derived key when none (or several) does.
  void fix_up_pages(Shard& shard, const decltype(FixUps::pages)& aliases) {
    Xapian::WritableDatabase& db = shard.db;
    std::uint64_t rekeyed = 0;
    for (const auto& [alias, film] : aliases) {
      const std::string derived_term = boolean_term(schema::kFilmPrefix, alias);
      const std::string alias_term = boolean_term(schema::kFilmAliasPrefix, alias);
      // Pages still under the derived key, and pages joined under it (beside the films).
      std::vector<Xapian::docid> ids(db.postlist_begin(derived_term),
                                     db.postlist_end(derived_term));
      // One database holds every film (a fresh build in shards only fixes up keys its pages
      // have): when the film answering is the alias's only document, nothing moves.
      if (ids.empty() && !film.empty() && shards.size() == 1 && db.get_termfreq(alias_term) == 1) {
        continue;
      }
      ids.insert(ids.end(), db.postlist_begin(alias_term), db.postlist_end(alias_term));
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      const std::string& key = film.empty() ? alias : film;
      for (Xapian::docid id : ids) {
        Xapian::Document doc = db.get_document(id);
        if (doc.get_value(schema::slot(schema::Slot::kType)) != "film") continue;
        // Already there: the film itself (the common case), or a page joined to it before.
        if (doc.get_value(schema::slot(schema::Slot::kFilmKey)) == key) continue;
        const corpus::Record page = stored_record(doc, dictionary.get());
        // A film, or a page naming its film's id: they answer to the alias, and stay.
        if (!has_derived_film_key(page)) continue;
        db.replace_document(id, fixup_builder(shard).build(page, nullptr, nullptr, film));
        ++rekeyed;
      }
    }
    std::lock_guard lock(mu);
    stats.rekeyed_pages += rekeyed;
  }

  DocumentBuilder& fixup_builder(Shard& shard) {
    if (!shard.fixup_builder) {
      shard.fixup_builder = std::make_unique<DocumentBuilder>(builder_options());
    }
    return *shard.fixup_builder;
  }

  void commit_batch(Shard& shard) {
    begin_batch(shard);
    // One call per distinct word: Xapian's cost is per call, not per count.
    if ((!shard.temporary || shard.finishing) && options.spelling_sink) {
      if (!shard.batch_spelling.empty()) options.spelling_sink(shard.batch_spelling);
      SpellingCounts().swap(shard.batch_spelling);
    } else if (!shard.temporary || shard.finishing) {
      for (const auto& [word, n] : shard.batch_spelling) {
        shard.db.add_spelling(word, n);
      }
      SpellingCounts().swap(shard.batch_spelling);
    }
    shard.db.commit_transaction();
    shard.in_transaction = false;
    shard.records_in_batch = 0;
    std::lock_guard lock(mu);
    ++stats.commits;
  }
};

IndexWriter::IndexWriter(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->open();
}

IndexWriter::~IndexWriter() { impl_->stop(); }

void IndexWriter::add(corpus::Record&& record) {
  impl_->check_failure();
  impl_->add(std::move(record));
}

void IndexWriter::remove(std::string_view id) {
  impl_->check_failure();
  impl_->remove(id);
}

void IndexWriter::commit() {
  impl_->check_failure();
  impl_->commit();
}

unsigned fresh_shard_of(const corpus::Record& record, unsigned shards) {
  std::string_view key = film_key(record);
  return shard_of_key(key.empty() ? record.id : key, shards);
}

IndexWriter::Stats IndexWriter::finish() {
  impl_->check_failure();
  impl_->commit(/*last=*/true);
  impl_->stop();
  impl_->finished = true;
  impl_->merge_and_compact();
  for (auto& s : impl_->shards) s->db.close();
  return stats();
}

IndexWriter::Stats IndexWriter::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

const IndexWriter::Options& IndexWriter::options() const { return impl_->options; }

}  // namespace filmsearch::index
