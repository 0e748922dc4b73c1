// The searcher: one entry point from a SearchRequest to ranked hits with snippets, exact facet
// counts and "did you mean", over a filmsearch index opened read-only. By default a film is one
// hit and its score draws on the evidence across its documents (its page, its reviews...).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corpus/record.h"
#include "search/request.h"
#include "search/result.h"

namespace filmsearch::search {

// How a Searcher opens its index.
struct SearcherOptions {
  // Remote shards (stub `remote` lines): milliseconds to wait for a connection and each reply.
  unsigned remote_timeout_ms = 10000;
  // When a shard cannot be opened or stops answering, search the others and say so in
  // SearchResult::notes ("partial results: shard LABEL: ..."); default: fail, naming the shard.
  bool allow_partial = false;
};

// Searches one index. Not thread safe: one Searcher per thread (each opens the index).
class Searcher {
 public:
  // Opens the index at `index_path` read-only: a folder (one index, or a sharded one), or a Xapian
  // stub file listing local and remote shards (search/shard_set.h). Throws filmsearch::Error "no
  // index at PATH — build one with filmsearch-index" when there is none, and "shard LABEL: ..."
  // when a shard cannot be opened.
  explicit Searcher(const std::string& index_path, SearcherOptions options = {});
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  // Runs `request`. Never throws for any query text; an index changed by a writer meanwhile is
  // reopened and the search retried (results as of the writer's last commit). Throws
  // filmsearch::Error (or Xapian::Error) when the index cannot be read.
  SearchResult search(const SearchRequest& request);

  // The number of documents in the index.
  std::uint64_t document_count() const;

  // Moves to the index's newest committed revision (Database::reopen); a long-lived searcher
  // (the server's) calls it before each request. Returns true when the revision changed. Does
  // not follow an index folder swapped for another: open a new Searcher for that.
  bool refresh();
  // The open revision (Xapian's; grows with each commit).
  std::uint64_t revision() const;
  // The stored record with id `id`, or nullopt when there is none. Throws like search().
  std::optional<corpus::Record> record(const std::string& id);

 private:
  SearchResult search_once(const SearchRequest& request);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace filmsearch::search
