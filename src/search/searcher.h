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
#include "search/index_reader.h"
#include "search/request.h"
#include "search/result.h"

namespace filmsearch::search {

// A search session over one index. Not thread safe: one Searcher per thread. Sessions over one
// IndexReader share what each revision costs to prepare (facet table, record dictionaries) and
// follow the reader's revision; each keeps only its own database handle (Xapian's are not
// thread safe), so a session is cheap to make.
class Searcher {
 public:
  // A session over `reader`, at its current revision; before each search it moves to the
  // reader's newest (IndexReader::refresh moves the reader). Throws like IndexReader's
  // constructor.
  explicit Searcher(std::shared_ptr<IndexReader> reader);
  // Opens the index at `index_path` read-only: a folder (one index, or a sharded one), or a Xapian
  // stub file listing local and remote shards (search/shard_set.h). Throws filmsearch::Error "no
  // index at PATH — build one with filmsearch-index" when there is none, and "shard LABEL: ..."
  // when a shard cannot be opened.
  // A session over a reader of its own (filmsearch-query, tests).
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

  // Moves the reader, and this session, to the index's newest committed revision (the folder
  // reopened, or opened afresh when the indexer replaced it). Returns true when this session's
  // revision changed. A server's sessions need not call it: they follow their reader.
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
