// The databases a search runs over: one index folder, a sharded index folder (its XAPIANDB stub,
// see index/shards.h), or a Xapian stub file mixing local and remote shards. Each shard is opened
// on its own (remote ones with explicit timeouts) and the set is combined into one
// Xapian::Database, so the searcher can name a shard that fails and read each shard's stored
// records with that shard's dictionary.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "index/stored_record.h"

namespace filmsearch::search {

// One line of a stub (or the folder itself).
struct ShardSpec {
  enum class Kind {
    kLocal,    // `auto PATH` or `glass PATH` (relative to the stub's folder)
    kTcp,      // `remote HOST:PORT` (IPv6 as `[ADDR]:PORT`)
    kProgram,  // `remote :PROGRAM ARGS` (the program speaks the protocol on stdin/stdout)
  };
  Kind kind = Kind::kLocal;
  std::string label;  // as written: "shard-00", "127.0.0.1:7001", ":xapian-progsrv shard-02"
  std::string path;   // kLocal: the database folder
  std::string host;   // kTcp
  unsigned port = 0;  // kTcp
  std::string program;  // kProgram
  std::string args;     // kProgram: its arguments, one string as Xapian takes them
};

// The shards `index_path` names: a folder holding XAPIANDB, or a stub file, read line by line
// (Xapian's syntax: `auto`, `glass`, `remote`; `#` comments; blank lines); any other folder is
// one local shard. Throws filmsearch::Error "FILE:LINE: ..." for a line it cannot read.
std::vector<ShardSpec> read_shard_specs(const std::string& index_path);

struct ShardSetOptions {
  // Remote shards: milliseconds to wait for a connection and for each reply (Xapian's default is
  // 10 s); a shard that does not answer in time fails the search, naming it.
  unsigned remote_timeout_ms = 10000;
  // Leave out shards that cannot be opened instead of failing (see unavailable()).
  bool allow_partial = false;
  // Dictionaries another ShardSet of the same index already loaded (its dictionaries()): a
  // shard keeping the same one shares it rather than building it again. Default none.
  std::vector<std::shared_ptr<const index::RecordDictionary>> known_dictionaries = {};
};

class ShardSet {
 public:
  // Opens every shard of `index_path`. Throws filmsearch::Error "shard LABEL: ..." when one
  // cannot be opened (unless options.allow_partial and another can), and the errors of
  // read_shard_specs().
  ShardSet(const std::string& index_path, ShardSetOptions options = {});

  // The shards combined (Xapian interleaves docids: shard i's docid d is (d - 1) * size() + i + 1).
  const Xapian::Database& db() const { return db_; }
  std::size_t size() const { return shards_.size(); }
  // The shard of a combined docid, and its label.
  std::size_t shard_of(Xapian::docid did) const { return (did - 1) % shards_.size(); }
  const std::string& label(std::size_t shard) const { return shards_[shard].spec.label; }
  // The stored-record dictionary of a shard (null when it has none).
  const index::RecordDictionary* dictionary(std::size_t shard) const {
    return shards_[shard].dictionary.get();
  }
  // Every shard's dictionary, by shard (for ShardSetOptions::known_dictionaries).
  std::vector<std::shared_ptr<const index::RecordDictionary>> dictionaries() const;
  bool has_remote() const { return has_remote_; }
  // Shards left out (allow_partial), as "LABEL: reason".
  const std::vector<std::string>& unavailable() const { return unavailable_; }

  // A key that changes whenever any shard moves to another revision (a remote shard, whose
  // revision Xapian does not report, by its document count and last docid).
  std::string revision_key() const;
  // A number that grows with every commit to any shard: the sum of the local shards' revisions
  // (a remote shard, which cannot tell its revision, adds its last docid). Equals
  // Database::get_revision() for a single local index.
  std::uint64_t revision_number() const;

  // Moves every shard to its newest revision (Database::reopen) and reloads dictionaries that
  // changed.
  void reopen();

  // The shards that do not answer now (a remote one that died or timed out), as
  // "shard LABEL: reason"; empty when all answer.
  std::vector<std::string> probe();

  // Drops the shards that do not answer (probe()), recording them in unavailable(). Returns
  // false when none is left.
  bool drop_unavailable();

 private:
  struct Shard {
    ShardSpec spec;
    Xapian::Database db;
    std::shared_ptr<const index::RecordDictionary> dictionary;
  };
  void open(const std::string& index_path);
  void combine();

  ShardSetOptions options_;
  std::vector<Shard> shards_;
  Xapian::Database db_;
  bool has_remote_ = false;
  std::vector<std::string> unavailable_;
};

}  // namespace filmsearch::search
