// The shared side of searching one index: the database and its refresh, and what one revision
// of it costs to prepare (the facet table, the record dictionaries), prepared once and shared
// by every search session (Searcher) of a process, whatever thread it runs on. A session keeps
// only what Xapian cannot share between threads: its own database handle.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace filmsearch::index {
class RecordDictionary;
}

namespace filmsearch::search {

class FacetTable;

// How an index is opened (by an IndexReader, and by each session over it).
struct SearcherOptions {
  // Remote shards (stub `remote` lines): milliseconds to wait for a connection and each reply.
  unsigned remote_timeout_ms = 10000;
  // When a shard cannot be opened or stops answering, search the others and say so in
  // SearchResult::notes ("partial results: shard LABEL: ..."); default: fail, naming the shard.
  bool allow_partial = false;
};

struct IndexReaderOptions {
  // Build each new revision's facet table in refresh() (and the constructor), off the request
  // path, for every session to share; sessions then never build one themselves. Default false:
  // each session builds its own lazily, once counting without it has cost about as much (a
  // one-off query never pays for it). A server sets it.
  bool facet_table_per_revision = false;
};

// One revision of the index as the sessions share it. Immutable once published.
struct IndexRevision {
  std::uint64_t generation = 0;  // grows each time the index was opened afresh (folder replaced)
  std::string key;               // changes with any commit (ShardSet::revision_key)
  std::uint64_t number = 0;      // grows with commits (ShardSet::revision_number)
  std::uint64_t documents = 0;
  // The facet table of this revision, complete (FacetTable::build_all), so any thread may read
  // it; null unless IndexReaderOptions::facet_table_per_revision.
  std::shared_ptr<FacetTable> facet_table;
  // Each shard's stored-record dictionary (null where it has none).
  std::vector<std::shared_ptr<const index::RecordDictionary>> dictionaries;
};

// Thread safe: current() from any thread; refresh() from any thread (one runs at a time).
class IndexReader {
 public:
  // Opens the index at `index_path` read-only (a folder, a sharded folder, or a stub file:
  // search/shard_set.h) and prepares its revision. Throws filmsearch::Error "no index at PATH —
  // build one with filmsearch-index" when there is none, "shard LABEL: ..." when a shard cannot
  // be opened, Xapian::Error when it cannot be read.
  explicit IndexReader(std::string index_path, SearcherOptions options = {},
                       IndexReaderOptions reader_options = {});
  ~IndexReader();
  IndexReader(const IndexReader&) = delete;
  IndexReader& operator=(const IndexReader&) = delete;

  const std::string& path() const;
  const SearcherOptions& options() const;
  const IndexReaderOptions& reader_options() const;

  // The newest revision prepared. Never null.
  std::shared_ptr<const IndexRevision> current() const;

  // Moves to the index's newest committed revision: the same files reopened, or the path opened
  // afresh when the indexer replaced the folder (or stub) with another. A new revision is
  // prepared (its facet table built, when asked) before it is published, so searches keep using
  // the previous one meanwhile. Returns true when the revision moved. Throws like the
  // constructor; the previous revision stays current then.
  bool refresh();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace filmsearch::search
