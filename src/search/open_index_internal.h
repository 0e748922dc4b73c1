// Opening an index for reading, shared by IndexReader and the sessions over it (Searcher): one
// place for the "no index" message and for waiting out an indexer's swap of its folder.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "search/index_reader.h"
#include "search/shard_set.h"

namespace filmsearch::search::internal {

// Opens every shard of `path` (shard_set.h), sharing `known` dictionaries (by shard). Throws
// filmsearch::Error "no index at PATH — build one with filmsearch-index" when there is none
// (after looking again a few times: the indexer may be swapping its folder), and ShardSet's
// errors.
ShardSet open_index(const std::string& path, const SearcherOptions& options,
                    std::vector<std::shared_ptr<const index::RecordDictionary>> known = {});

}  // namespace filmsearch::search::internal
