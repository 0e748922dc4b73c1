// IndexWriter: adds, replaces and deletes records in a filmsearch index. Analysis runs on worker
// threads; one thread writes to Xapian, in the order records were given, and commits in batches,
// so an interrupted run leaves the index as of its last commit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "corpus/record.h"
#include "corpus/spoilers.h"

namespace filmsearch::index {

// The shard a new record goes to in a fresh build written as `shards` shards (see
// IndexWriter::Options::shards): by its film key, or its id when it has none, so a film and its
// reviews share one. Shard 0 is the index itself until finish() merges the others into it.
unsigned fresh_shard_of(const corpus::Record& record, unsigned shards);

class IndexWriter {
 public:
  struct Options {
    std::string path;  // the index folder; created when missing
    // Records per batch: the writer commits after this many records (and at commit()), split
    // evenly over shards. Measured on filmbench, 4000 beat 20000 on both CPU (-16%) and peak
    // memory (260 MB vs 570 MB): Xapian's in-memory changes stay small.
    std::size_t batch_records = 4000;
    // Analysis threads; 0 means std::thread::hardware_concurrency().
    unsigned threads = 0;
    // Feed Xapian's spelling table ("did you mean") with the words of new records: titles,
    // names, and ranked-text words of 3+ letters. The index gets one add_spelling call per
    // distinct word per batch, committed with the batch; a temporary shard (see `shards`) one
    // per distinct word of its whole run, at finish() (measured on 5,000 films + 20,000
    // reviews, with the DB_NO_SYNC shards below: about 4% less CPU; spelling still costs about
    // 22% of the CPU, mostly per distinct word, and the run-long counts add about 70 MB of
    // peak memory on filmbench). Replaced records add nothing (so re-indexing is idempotent).
    bool spelling = true;
    // Xapian databases written in parallel when the index is empty at open (a fresh build);
    // merged into one at finish(). 0 means 2 when there are at least 2 threads, else 1.
    // Records are routed by film, so a film and its reviews share a shard. Two shards cost
    // about 15% more CPU (merging, and each shard's inverter repeats common terms) but take
    // the single Xapian writer thread off the critical path on an idle 2-core machine.
    // Shards other than the index are temporary (discarded by a run that does not finish),
    // so they are written without fsync (DB_NO_SYNC) and updated in place (DB_DANGEROUS);
    // the index itself keeps Xapian's durable commits, and so does the compacted result.
    unsigned shards = 0;
    // At finish() of a fresh build (an index empty at open), rewrite the index compactly with
    // Xapian's compactor (about 40% smaller, a few seconds for filmbench) and swap it in
    // atomically. A run into an index that already held documents commits in place instead
    // (adding one record must not cost a rewrite of the whole index, and readers see each
    // commit by reopening), unless compact_existing is set too.
    bool compact = true;
    bool compact_existing = false;  // filmsearch-index --compact
    // Word positions in ranked sections (see DocumentBuilder::Options::section_positions).
    bool section_positions = false;
    // Review words in the spelling table (see DocumentBuilder::Options::review_spelling).
    bool review_spelling = false;
    // When set, the spelling counts of each batch go to this function (called on the writer
    // thread, before the batch commits) instead of this index's spelling table: a sharded index
    // keeps one table for all its shards (index/shards.h). Default: unset.
    std::function<void(const std::unordered_map<std::string, std::uint32_t>&)> spelling_sink;
    // What tagged the spoilers of the records given (corpus::spoiler_tagger_version): a fresh
    // build records it in the index's metadata (schema::kSpoilerTaggerKey); a run into an index
    // that holds documents leaves the recorded one, which `filmsearch-index --retag` updates.
    std::string spoiler_tagger = corpus::spoiler_tagger_version();
  };

  // Counts since the writer was opened. Safe to read from any thread through stats().
  struct Stats {
    std::uint64_t records = 0;          // records written (added or replaced)
    std::uint64_t films = 0;            // of which films
    std::uint64_t reviews = 0;          // of which reviews
    std::uint64_t articles = 0;         // of which articles
    std::uint64_t sections = 0;         // ranked sections indexed
    std::uint64_t replaced = 0;         // records that replaced a document with the same id
    std::uint64_t deleted = 0;          // documents removed by remove()
    std::uint64_t updated_reviews = 0;  // reviews rewritten to inherit a film that came later
    std::uint64_t rekeyed_pages = 0;    // pages moved to a film that came later (or back off it)
    std::uint64_t text_bytes = 0;       // bytes of ranked text analysed
    std::uint64_t commits = 0;          // batch commits, summed over shards
    unsigned shards = 1;                // databases written in parallel
    bool compacted = false;             // finish() rewrote the index compactly
  };

  // Opens (or creates) the index at options.path and starts the threads. Throws
  // filmsearch::Error "PATH is locked by another writer (pid N)" when another writer holds it,
  // filmsearch::ConfigError for bad options, and filmsearch::Error for other failures.
  explicit IndexWriter(Options options);
  // Stops the threads. Work not committed by commit() or finish() is abandoned: the index stays
  // as of its last commit. (A fresh build in shards commits only the first shard's batches into
  // the index before finish(); the others are merged in at finish().)
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Queues a record. A record whose id is already in the index (or was added earlier) replaces
  // it. A review inherits its film's title, year and genres when the film is known (added
  // earlier, or already in the index); a film added later updates its reviews at the next
  // commit(). A page whose film key was derived from its title and year
  // (corpus::derived_film_id) joins the film with that title and year: its film key (film_id,
  // term XF, slot kFilmKey) becomes the film's id, now when the film is known, else at the
  // commit() after the film arrives; it inherits nothing. When two films have that title and
  // year, the page keeps its derived key. In an index without a record dictionary (see
  // index/stored_record.h) the first records of the run, at most a batch, are held until one is
  // trained on them. May block while the queue is full. Throws filmsearch::Error when writing
  // failed.
  void add(corpus::Record&& record);

  // Queues the removal of the document with this id (after the records added before it).
  void remove(std::string_view id);

  // Waits until everything queued is written, updates the reviews and pages of films added (or
  // removed) since the last commit(), and commits. Throws filmsearch::Error (or Xapian::Error)
  // when writing failed.
  void commit();

  // commit(), merges shards and compacts (see Options), then closes the index. The writer cannot
  // be used afterwards.
  Stats finish();

  Stats stats() const;
  const Options& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace filmsearch::index
