#include "index/shards.h"

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "error.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/stored_record.h"

namespace filmsearch::index {
namespace {

constexpr std::string_view kStubHeader = "# filmsearch shards=";
constexpr std::string_view kHashName = "fnv1a64";
// Each shard's own record of its place, checked at open: "v1 fnv1a64 <N> <i>".
constexpr std::string_view kShardingKey = "filmsearch.sharding";
constexpr unsigned kMaxShards = 256;

std::string shard_name(unsigned i) {
  std::string n = std::to_string(i);
  return "shard-" + (n.size() < 2 ? "0" + n : n);
}

std::string sharding_value(unsigned shards, unsigned i) {
  return "v1 " + std::string(kHashName) + " " + std::to_string(shards) + " " + std::to_string(i);
}

std::string trim_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::uint64_t folder_bytes(const std::string& dir) {
  std::uint64_t n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  }
  return n;
}

}  // namespace

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

unsigned shard_of_film(std::string_view film_key, unsigned shards) {
  if (shards <= 1) return 0;
  return static_cast<unsigned>(fnv1a64(film_key) % shards);
}

std::string routing_key(const corpus::Record& record) {
  std::string_view key = film_key(record);
  return std::string(key.empty() ? std::string_view(record.id) : key);
}

std::string stub_path(const std::string& dir) { return trim_slashes(dir) + "/XAPIANDB"; }

std::optional<ShardLayout> read_shard_layout(const std::string& dir_in) {
  const std::string dir = trim_slashes(dir_in);
  const std::string stub = stub_path(dir);
  std::ifstream in(stub);
  if (!in) return std::nullopt;
  std::string line;
  if (!std::getline(in, line) || line.rfind(kStubHeader, 0) != 0) {
    throw Error(stub + ":1: not a filmsearch shard list (it must start with \"" +
                std::string(kStubHeader) + "N hash=" + std::string(kHashName) + "\")");
  }
  std::istringstream header(line.substr(kStubHeader.size()));
  unsigned n = 0;
  std::string hash;
  header >> n >> hash;
  if (n == 0 || n > kMaxShards || hash != "hash=" + std::string(kHashName)) {
    throw Error(stub + ":1: bad shard count or hash in \"" + line + "\"");
  }
  ShardLayout layout;
  layout.shards = n;
  for (unsigned i = 0; i < n; ++i) layout.shard_paths.push_back(dir + "/" + shard_name(i));
  layout.spelling_path = dir + "/spelling";
  return layout;
}

struct ShardedIndexWriter::Impl {
  Options options;
  ShardLayout layout;
  std::vector<std::unique_ptr<IndexWriter>> writers;
  std::mutex spelling_mu;
  Xapian::WritableDatabase spelling;
  std::optional<Xapian::Database> snapshot;  // every shard as opened (existing index only)
  // The stored records' dictionary of each shard as opened (to move pages of earlier runs).
  std::vector<std::shared_ptr<const RecordDictionary>> dictionaries;
  // Alias (derived film key) -> the film keys answering to it: this run's films, and the
  // index's when looked up.
  std::unordered_map<std::string, std::set<std::string>> alias_films;
  std::unordered_set<std::string> aliases_looked_up;
  std::unordered_set<std::string> moved_aliases;  // move_indexed_pages() done
  // Pages routed by their derived key because no film answered to it yet: alias -> (shard, page).
  std::unordered_map<std::string, std::vector<std::pair<unsigned, corpus::Record>>> waiting_pages;
  // Id -> shard of the records added this run (a record re-added under another film key moves).
  std::unordered_map<std::string, unsigned> placed;

  explicit Impl(Options o) : options(std::move(o)) {
    const std::string dir = trim_slashes(options.writer.path);
    if (dir.empty()) throw ConfigError("no index path given");
    std::error_code ec;
    std::optional<ShardLayout> existing = read_shard_layout(dir);
    if (!existing && std::filesystem::exists(dir + "/iamglass", ec)) {
      throw ConfigError(dir + " holds an unsharded index; --shards applies to a new index only");
    }
    if (existing && options.shards != 0 && options.shards != existing->shards) {
      throw ConfigError(dir + " has " + std::to_string(existing->shards) + " shards, not " +
                        std::to_string(options.shards) +
                        ": films are routed by the shard count, so it cannot change");
    }
    if (!existing && options.shards == 0) {
      throw ConfigError("--shards N is needed to create a sharded index at " + dir);
    }
    const unsigned n = existing ? existing->shards : options.shards;
    if (n > kMaxShards) throw ConfigError("at most " + std::to_string(kMaxShards) + " shards");
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error("cannot create " + dir + ": " + ec.message());
    layout = existing ? *existing : ShardLayout{};
    if (!existing) {
      layout.shards = n;
      for (unsigned i = 0; i < n; ++i) layout.shard_paths.push_back(dir + "/" + shard_name(i));
      layout.spelling_path = dir + "/spelling";
    }
    try {
      spelling = Xapian::WritableDatabase(layout.spelling_path, Xapian::DB_CREATE_OR_OPEN);
    } catch (const Xapian::Error& e) {
      throw Error("cannot open " + layout.spelling_path + ": " + e.get_description());
    }
    // Each shard records its place; a shard copied into the wrong slot is refused.
    Xapian::Database all;
    bool any_documents = false;
    for (unsigned i = 0; i < n; ++i) {
      const std::string& path = layout.shard_paths[i];
      if (!std::filesystem::exists(path, ec)) continue;
      Xapian::Database shard(path);
      const std::string place = shard.get_metadata(std::string(kShardingKey));
      if (!place.empty() && place != sharding_value(n, i)) {
        throw ConfigError(path + " says it is \"" + place + "\", not \"" + sharding_value(n, i) +
                          "\": shards were moved or mixed");
      }
      any_documents = any_documents || shard.get_doccount() > 0;
      dictionaries.resize(i + 1);
      dictionaries[i] = RecordDictionary::load(shard);
      all.add_database(shard);
    }
    if (any_documents) snapshot = all;

    const bool spell = options.writer.spelling;
    unsigned threads = options.writer.threads;
    if (threads == 0) threads = std::max(2u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i) {
      IndexWriter::Options w = options.writer;
      w.path = layout.shard_paths[i];
      w.shards = 1;
      w.threads = std::max(1u, threads / n);
      if (spell) {
        w.spelling_sink = [this](const std::unordered_map<std::string, std::uint32_t>& counts) {
          std::lock_guard lock(spelling_mu);
          for (const auto& [word, count] : counts) spelling.add_spelling(word, count);
          spelling.commit();
        };
      }
      writers.push_back(std::make_unique<IndexWriter>(std::move(w)));
    }
    // The stub last: a folder whose stub is written has every shard in it.
    if (!existing) write_stub(dir);
  }

  void write_stub(const std::string& dir) {
    const std::string tmp = stub_path(dir) + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << kStubHeader << layout.shards << " hash=" << kHashName
          << "\n# Written by filmsearch-index: films are routed by this count; do not edit.\n";
      for (unsigned i = 0; i < layout.shards; ++i) out << "auto " << shard_name(i) << '\n';
      out << "auto spelling\n";
      if (!out.flush()) throw Error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, stub_path(dir));
  }

  // The film keys answering to `alias` in the index as opened (films, not joined pages).
  std::set<std::string>& films_of_alias(const std::string& alias) {
    auto& films = alias_films[alias];
    if (!snapshot || !aliases_looked_up.insert(alias).second) return films;
    const std::string term = boolean_term(schema::kFilmAliasPrefix, alias);
    for (auto p = snapshot->postlist_begin(term); p != snapshot->postlist_end(term); ++p) {
      Xapian::Document doc = snapshot->get_document(*p);
      const std::string key = doc.get_value(schema::slot(schema::Slot::kFilmKey));
      // A film's own key is its id; a page joined to it has the same key but another id.
      Xapian::TermIterator t = doc.termlist_begin();
      const std::string id_term = boolean_term(schema::kIdPrefix, key);
      t.skip_to(id_term);
      if (!key.empty() && t != doc.termlist_end() && *t == id_term) films.insert(key);
    }
    return films;
  }

  // The shard that holds `id` in the index as opened, if any.
  std::optional<unsigned> shard_in_index(const std::string& id) {
    if (!snapshot) return std::nullopt;
    const std::string term = boolean_term(schema::kIdPrefix, id);
    auto p = snapshot->postlist_begin(term);
    if (p == snapshot->postlist_end(term)) return std::nullopt;
    return static_cast<unsigned>((*p - 1) % layout.shards);
  }

  void put(unsigned shard, corpus::Record&& record) {
    const std::string id = record.id;
    auto [at, added] = placed.try_emplace(id, shard);
    std::optional<unsigned> before = added ? shard_in_index(id) : std::optional(at->second);
    if (before && *before != shard) writers[*before]->remove(id);
    at->second = shard;
    writers[shard]->add(std::move(record));
  }

  // Pages of earlier runs still under `alias` (no film answered to it then) in another shard
  // than their film's: re-added to `shard`, where they join the film (and removed where they were).
  void move_indexed_pages(const std::string& alias, unsigned shard) {
    if (!snapshot || !moved_aliases.insert(alias).second) return;
    const std::string term = boolean_term(schema::kFilmPrefix, alias);
    std::vector<corpus::Record> pages;
    for (auto p = snapshot->postlist_begin(term); p != snapshot->postlist_end(term); ++p) {
      const unsigned from = static_cast<unsigned>((*p - 1) % layout.shards);
      if (from == shard) continue;  // its writer joins it there
      corpus::Record page = stored_record(snapshot->get_document(*p), dictionaries[from].get());
      if (!placed.count(page.id)) pages.push_back(std::move(page));
    }
    for (auto& page : pages) put(shard, std::move(page));
  }

  void add(corpus::Record&& record) {
    const unsigned n = layout.shards;
    if (has_derived_film_key(record)) {
      const std::string alias = record.film_id;
      const auto& films = films_of_alias(alias);
      if (films.size() == 1) {
        put(shard_of_film(*films.begin(), n), std::move(record));
        return;
      }
      const unsigned shard = shard_of_film(alias, n);
      if (films.empty()) waiting_pages[alias].emplace_back(shard, record);
      put(shard, std::move(record));
      return;
    }
    const std::string key = routing_key(record);
    const unsigned shard = shard_of_film(key, n);
    std::string alias = film_alias(record);
    put(shard, std::move(record));
    if (alias.empty()) return;
    auto& films = films_of_alias(alias);
    films.insert(key);
    if (films.size() == 1) move_indexed_pages(alias, shard);
    auto waiting = waiting_pages.find(alias);
    if (waiting == waiting_pages.end()) return;
    if (films.size() == 1) {
      // The film the pages were waiting for: they join it in its shard.
      for (auto& [from, page] : waiting->second) {
        if (from != shard) put(shard, corpus::Record(page));
      }
    }
    waiting_pages.erase(waiting);
  }
};

ShardedIndexWriter::ShardedIndexWriter(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
ShardedIndexWriter::~ShardedIndexWriter() = default;

void ShardedIndexWriter::add(corpus::Record&& record) { impl_->add(std::move(record)); }

void ShardedIndexWriter::remove(std::string_view id) {
  for (auto& w : impl_->writers) w->remove(id);
  impl_->placed.erase(std::string(id));
}

void ShardedIndexWriter::commit() {
  for (auto& w : impl_->writers) w->commit();
}

IndexWriter::Stats ShardedIndexWriter::finish() {
  IndexWriter::Stats total;
  bool all_compacted = true;
  for (std::size_t i = 0; i < impl_->writers.size(); ++i) {
    IndexWriter::Stats s = impl_->writers[i]->finish();
    total.records += s.records;
    total.films += s.films;
    total.reviews += s.reviews;
    total.articles += s.articles;
    total.sections += s.sections;
    total.replaced += s.replaced;
    total.deleted += s.deleted;
    total.updated_reviews += s.updated_reviews;
    total.rekeyed_pages += s.rekeyed_pages;
    total.text_bytes += s.text_bytes;
    total.commits += s.commits;
    all_compacted = all_compacted && s.compacted;
    // Each shard's place, for the check at the next open.
    Xapian::WritableDatabase db(impl_->layout.shard_paths[i], Xapian::DB_OPEN);
    db.set_metadata(std::string(kShardingKey),
                    sharding_value(impl_->layout.shards, static_cast<unsigned>(i)));
    db.commit();
    db.close();
  }
  {
    std::lock_guard lock(impl_->spelling_mu);
    impl_->spelling.commit();
    impl_->spelling.close();
  }
  total.shards = impl_->layout.shards;
  total.compacted = all_compacted;
  return total;
}

IndexWriter::Stats ShardedIndexWriter::stats() const {
  IndexWriter::Stats total;
  for (const auto& w : impl_->writers) {
    IndexWriter::Stats s = w->stats();
    total.records += s.records;
    total.films += s.films;
    total.reviews += s.reviews;
    total.articles += s.articles;
    total.sections += s.sections;
    total.text_bytes += s.text_bytes;
  }
  total.shards = impl_->layout.shards;
  return total;
}

namespace {

std::uint64_t count_films(const Xapian::Database& db) {
  std::uint64_t n = 0;
  const std::string prefix(schema::kFilmPrefix);
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) ++n;
  return n;
}

}  // namespace

std::vector<ShardStats> shard_stats(const std::string& dir) {
  std::vector<ShardStats> out;
  ShardStats total{.name = "total"};
  try {
    std::optional<ShardLayout> layout = read_shard_layout(dir);
    std::vector<std::pair<std::string, std::string>> shards;
    if (layout) {
      for (unsigned i = 0; i < layout->shards; ++i) {
        shards.emplace_back(shard_name(i), layout->shard_paths[i]);
      }
    } else {
      shards.emplace_back("index", dir);
    }
    for (const auto& [name, path] : shards) {
      Xapian::Database db(path);
      ShardStats s{.name = name,
                   .documents = db.get_doccount(),
                   .films = count_films(db),
                   .bytes = folder_bytes(path)};
      total.documents += s.documents;
      total.films += s.films;
      total.bytes += s.bytes;
      out.push_back(s);
    }
    if (layout) total.bytes += folder_bytes(layout->spelling_path);
  } catch (const Xapian::Error& e) {
    throw Error("cannot read " + dir + ": " + e.get_description());
  }
  out.push_back(total);
  return out;
}

std::vector<std::string> check_shards(const std::string& dir) {
  std::vector<std::string> problems;
  std::optional<ShardLayout> layout = read_shard_layout(dir);
  if (!layout) return problems;
  try {
    // Film key -> the first shard holding it; record id -> likewise.
    std::unordered_map<std::string, unsigned> film_shard, id_shard;
    for (unsigned i = 0; i < layout->shards; ++i) {
      Xapian::Database db(layout->shard_paths[i]);
      const std::string place = db.get_metadata(std::string(kShardingKey));
      if (!place.empty() && place != sharding_value(layout->shards, i)) {
        problems.push_back(shard_name(i) + " says it is \"" + place + "\"");
      }
      const std::string fp(schema::kFilmPrefix);
      for (auto t = db.allterms_begin(fp); t != db.allterms_end(fp); ++t) {
        const std::string key = (*t).substr(fp.size());
        auto [at, added] = film_shard.try_emplace(key, i);
        if (!added) {
          problems.push_back("film " + key + " is in " + shard_name(at->second) + " and " +
                             shard_name(i));
          continue;
        }
        // A page joined to a film lives with the film, not where its own derived key routes.
        if (shard_of_film(key, layout->shards) != i) {
          problems.push_back("film " + key + " is in " + shard_name(i) + " but routes to " +
                             shard_name(shard_of_film(key, layout->shards)));
        }
      }
      const std::string ip(schema::kIdPrefix);
      for (auto t = db.allterms_begin(ip); t != db.allterms_end(ip); ++t) {
        const std::string id = (*t).substr(ip.size());
        auto [at, added] = id_shard.try_emplace(id, i);
        if (!added) {
          problems.push_back("record " + id + " is in " + shard_name(at->second) + " and " +
                             shard_name(i));
        }
      }
    }
  } catch (const Xapian::Error& e) {
    throw Error("cannot read " + dir + ": " + e.get_description());
  }
  return problems;
}

}  // namespace filmsearch::index
