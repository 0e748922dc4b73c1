// Reads filmbench JSON Lines (.jsonl or .jsonl.xz) and flattens each record into the rows the
// benchmark peers index: one row per section. Both peers (FTS5 and plain Xapian) index exactly
// these rows, so their numbers compare the engines, not two readings of the corpus.
// Independent of the filmsearch library on purpose: a peer must not share our code paths.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace filmbench {

// One indexed unit of text. `film_id` groups rows into one hit: a film record's own id, a
// review's film_id, an article's own id.
struct Row {
  std::string text;  // the section's (or review's) text; empty for a title-only row
};

// A record as the peers see it.
struct Record {
  std::string doc_id;                // the record's "id"
  std::string film_id;               // grouping key (see Row)
  std::string type;                  // "film", "review", "article" (as given; default "film")
  std::string title;                 // own title, or for a review its film's title when that
                                     // film record was read earlier in the same run; else ""
  std::vector<std::string> genres;   // own genres, or a review's film's genres (same rule)
  int year = 0;                      // own year or the film's (same rule); 0 when unknown
  bool has_own_film_record = false;  // true for type "film" (the record defines film_id)
  std::vector<Row> rows;             // one per non-empty section; a record without any text
                                     // gets one empty row so that its title is still indexed
};

// Counters over one run; printed by the peers in their JSON summary line.
struct ReadStats {
  std::int64_t records = 0;     // records handed to the callback
  std::int64_t sections = 0;    // rows handed to the callback
  std::int64_t text_bytes = 0;  // bytes of row text plus each record's title once
  std::int64_t bad_lines = 0;   // lines that were not a JSON object with an "id" (skipped)
};

// Reads every file in `paths` in order (.xz decoded with liblzma, anything else read as plain
// JSON Lines) and calls `on_record` once per valid record. Bad lines are counted in
// `stats.bad_lines`, reported on stderr (file:line) and skipped. Throws std::runtime_error
// when a file cannot be opened or its xz stream is corrupt.
void read_records(const std::vector<std::string>& paths,
                  const std::function<void(const Record&)>& on_record, ReadStats& stats);

// Streams the lines of one file (.xz decoded on the fly). Throws std::runtime_error on open
// or decode failures.
void for_each_line(const std::string& path, const std::function<void(std::string_view)>& on_line);

// Peak resident set size of this process in bytes (from getrusage), for summaries.
std::int64_t peak_rss_bytes();

}  // namespace filmbench
