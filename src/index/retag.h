// Re-tagging the spoilers of an index without its corpus: every stored record goes through the
// current spoiler policy again (corpus::retag_spoilers), and only the documents whose spans
// changed are rebuilt and rewritten. The index records which tagger it was tagged with
// (schema::kSpoilerTaggerKey), so a new model can be brought to an old index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "corpus/spoilers.h"

namespace filmsearch::index {

struct RetagOptions {
  std::string path;                      // the index folder (plain or sharded)
  corpus::SpoilerPolicyOptions policy = {};  // the policy to tag with (default: learned tagger on)
  std::size_t batch_records = 4000;      // rewritten documents per commit
};

struct RetagStats {
  std::uint64_t records = 0;  // stored records read
  std::uint64_t changed = 0;  // documents rewritten because their spans changed
  std::string previous;       // the tagger the index recorded before ("" when none was)
  std::string current;        // the tagger it records now
};

// Re-tags every record of the index at options.path and records the tagger in its metadata
// (every shard of a sharded index). Documents whose spoiler spans, possible spans and
// confidences come out the same are not rewritten. Commits after each batch and at the end; an
// interrupted run leaves an index that is right record by record, and a second run finishes it.
// Throws filmsearch::Error when the index cannot be opened (missing, or locked by a writer) or
// holds a record that cannot be decoded; Xapian::Error when writing fails.
RetagStats retag_index(const RetagOptions& options);

// The tagger recorded in the index at `path` (its first shard's, when sharded); "" when none is
// recorded. Throws filmsearch::Error when the index cannot be opened.
std::string recorded_spoiler_tagger(const std::string& path);

}  // namespace filmsearch::index
