// Permanent shards: an index folder holding shard-00 … shard-(N-1) (one Xapian database each),
// a spelling database shared by them, and a Xapian stub file (DIR/XAPIANDB) listing all of them,
// so Xapian and every filmsearch tool open DIR as one database. Records are routed by a stable
// hash of their film key, so a film, its reviews and its pages share a shard.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/record.h"
#include "index/writer.h"

namespace filmsearch::index {

// FNV-1a, 64 bits, over the bytes of `bytes`: the same on every machine and build (unlike
// std::hash), so routing written today is routing read tomorrow.
std::uint64_t fnv1a64(std::string_view bytes);

// The shard of a film key among `shards` (fnv1a64 mod shards; 0 when shards <= 1).
unsigned shard_of_film(std::string_view film_key, unsigned shards);

// The key a record is routed by: its film key (index::film_key), else its id.
std::string routing_key(const corpus::Record& record);

// What DIR/XAPIANDB says about a sharded index.
struct ShardLayout {
  unsigned shards = 0;                   // number of document shards
  std::vector<std::string> shard_paths;  // DIR/shard-00 …, in routing order
  std::string spelling_path;             // DIR/spelling: the "did you mean" table of all shards
};

// The stub file of a sharded index folder (DIR/XAPIANDB).
std::string stub_path(const std::string& dir);

// The layout of the sharded index at `dir`, or nullopt when `dir` is not one (missing, or a plain
// Xapian database). Throws filmsearch::Error when its stub was not written by filmsearch-index or
// is malformed (naming the file and line).
std::optional<ShardLayout> read_shard_layout(const std::string& dir);

// Writes a sharded index: one IndexWriter per shard, records routed by routing_key(). A page
// whose film key is derived from its title and year (has_derived_film_key) goes to the shard of
// the one film answering to that key when it is known (earlier in the run, or in the index),
// and moves there when that film arrives later in the run. Spelling words of every shard go to
// the one spelling database, so suggestions equal those of a single index.
class ShardedIndexWriter {
 public:
  struct Options {
    unsigned shards = 0;  // 0: the count stored in the index (an error for a new index)
    // For every shard (its path is set per shard; `threads` is shared out among the shards; the
    // build partitions of IndexWriter::Options::shards are not used: the shards are the
    // parallelism).
    IndexWriter::Options writer;
  };

  // Opens or creates the sharded index at options.writer.path. Throws filmsearch::ConfigError
  // when the folder holds a plain (unsharded) index, or a sharded one with another shard count
  // (routing would change: the films already indexed would not be found again), and
  // filmsearch::Error when a shard cannot be opened (naming it).
  explicit ShardedIndexWriter(Options options);
  ~ShardedIndexWriter();
  ShardedIndexWriter(const ShardedIndexWriter&) = delete;
  ShardedIndexWriter& operator=(const ShardedIndexWriter&) = delete;

  // As IndexWriter::add, routed to one shard; a record whose id is in another shard (its film
  // key changed) is removed there.
  void add(corpus::Record&& record);
  // As IndexWriter::remove, in every shard.
  void remove(std::string_view id);
  // Commits every shard, then the spelling database.
  void commit();
  // finish() of every shard; the counts summed (Stats::shards is the shard count).
  IndexWriter::Stats finish();
  IndexWriter::Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Per shard and in total: documents, films (distinct film keys) and bytes on disk.
struct ShardStats {
  std::string name;  // "shard-00", ..., "total"
  std::uint64_t documents = 0;
  std::uint64_t films = 0;
  std::uint64_t bytes = 0;
};
// The stats of the index at `dir` (sharded or not: a plain index is one shard). Throws
// filmsearch::Error when it cannot be read.
std::vector<ShardStats> shard_stats(const std::string& dir);

// The routing problems of the sharded index at `dir`: a film key found in two shards, or in a
// shard it does not route to; one line each ("film tt0040725 is in shard-00 and shard-02").
// Empty when the index is consistent (a plain index always is).
std::vector<std::string> check_shards(const std::string& dir);

}  // namespace filmsearch::index
