// What an index holds, for `filmsearch-index --stats`: per shard documents, films and size (the
// shard table of shards.h), and over the whole index records per type and language, sections
// per kind, revisions and the "did you mean" vocabulary.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "index/shards.h"

namespace filmsearch::index {

struct IndexStats {
  std::vector<ShardStats> shards;                    // shard_stats(): each shard, then "total"
  std::vector<std::uint64_t> revisions;              // Xapian revision of each shard, in order
  std::map<std::string, std::uint64_t> types;        // "film" | "review" | "article" -> records
  std::map<std::string, std::uint64_t> languages;    // BCP 47 code -> records
  std::map<std::string, std::uint64_t> sections;     // section kind -> sections (all, ranked or not)
  std::uint64_t section_count = 0;                   // sections of every kind
  std::uint64_t unreadable_records = 0;              // stored records that could not be decoded
  std::uint64_t spelling_words = 0;                  // words "did you mean" can suggest
};

// The stats of the index at `dir` (sharded or not). Reads every stored record once, to count
// sections. Throws filmsearch::Error when the index cannot be read.
IndexStats index_stats(const std::string& dir);

}  // namespace filmsearch::index
