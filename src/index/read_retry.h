// Reads that race a commit. A reader of an index that a writer commits to (another process,
// or our own writer thread) can find its revision discarded (Xapian::DatabaseModifiedError),
// or, before glass notices, meet a block the writer already reused (DatabaseCorruptError
// "Expected block N to be level 1"), a termlist already gone (DocNotFoundError), or the
// indexer's atomic swap of its compacted index. One mechanism for the writer's lookups and the
// searcher: retry on a refreshed database, with backoff, bounded by time (on a loaded machine,
// or under ASan, a fixed number of immediate retries lost the race: see
// tests/reliability/readers_during_writes_test and IndexWriterTest).
#pragma once

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace filmsearch::index {

// Returns read(). When it throws one of the errors above, calls refresh(fresh) and tries
// again: immediately twice, then after 1, 2, 4... up to 50 ms. `fresh` asks for the index to be
// opened again rather than Database::reopen()ed: after a corrupt-looking error, and from the
// third attempt on. Rethrows the error once `limit` has passed since the first try; any other
// exception passes through at once.
template <typename Read, typename Refresh>
auto retry_racing_reads(Read&& read, Refresh&& refresh,
                        std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto start = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    bool fresh = attempt > 2;
    auto out_of_time = [&] { return std::chrono::steady_clock::now() - start > limit; };
    try {
      return read();
    } catch (const Xapian::DatabaseModifiedError&) {
      if (out_of_time()) throw;
    } catch (const Xapian::DatabaseCorruptError&) {
      if (out_of_time()) throw;
      fresh = true;
    } catch (const Xapian::DocNotFoundError&) {
      if (out_of_time()) throw;
      fresh = true;
    }
    if (attempt > 2) {
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
          std::chrono::milliseconds(50), std::chrono::milliseconds(1 << std::min(attempt - 2, 6))));
    }
    refresh(fresh);
  }
}

}  // namespace filmsearch::index
