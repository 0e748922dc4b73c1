#include "search/index_reader.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "error.h"
#include "search/facet_table.h"
#include "search/open_index_internal.h"
#include "search/shard_set.h"

namespace filmsearch::search {
namespace internal {

ShardSet open_index(const std::string& path, const SearcherOptions& options,
                    std::vector<std::shared_ptr<const index::RecordDictionary>> known) {
  // How long to keep retrying reads that race a writer's commits while opening.
  constexpr std::chrono::milliseconds kRetryFor{20000};
  const std::string missing =
      "no index at " + path + " \xE2\x80\x94 build one with filmsearch-index";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(missing);
  const auto start = std::chrono::steady_clock::now();
  const ShardSetOptions shard_options{.remote_timeout_ms = options.remote_timeout_ms,
                                      .allow_partial = options.allow_partial,
                                      .known_dictionaries = std::move(known)};
  for (int attempt = 1;; ++attempt) {
    try {
      return ShardSet(path, shard_options);
    } catch (const Xapian::DatabaseNotFoundError&) {
      throw Error(missing);
    } catch (const Xapian::DatabaseOpeningError& e) {
      // The indexer may be swapping its compacted index in: look again a few times.
      if (attempt >= 4) throw Error(missing + " (" + e.get_msg() + ")");
    } catch (const Xapian::DatabaseCorruptError&) {
      if (std::chrono::steady_clock::now() - start > kRetryFor) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace internal

namespace {

// What identifies the file or folder at `path`: an indexer that replaces the folder (or a stub
// rewritten by rename) changes it. {0, 0} when it cannot be read.
std::pair<dev_t, ino_t> identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {0, 0};
  return {st.st_dev, st.st_ino};
}

}  // namespace

struct IndexReader::Impl {
  std::string path;
  SearcherOptions options;
  IndexReaderOptions reader_options;

  std::mutex refresh_mu;  // one refresh at a time; guards everything below it
  std::optional<ShardSet> shards;
  std::pair<dev_t, ino_t> id{0, 0};
  std::uint64_t generation = 0;

  mutable std::mutex current_mu;
  std::shared_ptr<const IndexRevision> current;

  // Opens the path afresh. On failure the open shards stay, and so does the identity, so the
  // next refresh tries again.
  void open() {
    const auto now = identity(path);
    ShardSet opened = internal::open_index(path, options);
    shards.emplace(std::move(opened));
    id = now;
    ++generation;
  }

  // The revision `shards` is at, prepared.
  std::shared_ptr<const IndexRevision> prepare() {
    auto r = std::make_shared<IndexRevision>();
    r->generation = generation;
    r->key = shards->revision_key();
    r->number = shards->revision_number();
    r->documents = shards->db().get_doccount();
    r->dictionaries = shards->dictionaries();
    // Over remote shards a table would read every value with a round trip each.
    if (reader_options.facet_table_per_revision && !shards->has_remote()) {
      r->facet_table = std::make_shared<FacetTable>(shards->db(), r->key);
      r->facet_table->build_all();
    }
    return r;
  }

  void publish(std::shared_ptr<const IndexRevision> r) {
    std::lock_guard lock(current_mu);
    current = std::move(r);
  }
};

IndexReader::IndexReader(std::string index_path, SearcherOptions options,
                         IndexReaderOptions reader_options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = std::move(index_path);
  impl_->options = options;
  impl_->reader_options = reader_options;
  impl_->open();
  impl_->publish(impl_->prepare());
}

IndexReader::~IndexReader() = default;

const std::string& IndexReader::path() const { return impl_->path; }
const SearcherOptions& IndexReader::options() const { return impl_->options; }
const IndexReaderOptions& IndexReader::reader_options() const { return impl_->reader_options; }

std::shared_ptr<const IndexRevision> IndexReader::current() const {
  std::lock_guard lock(impl_->current_mu);
  return impl_->current;
}

bool IndexReader::refresh() {
  std::lock_guard lock(impl_->refresh_mu);
  const std::string before = current()->key;
  if (identity(impl_->path) != impl_->id) {
    impl_->open();
  } else {
    try {
      impl_->shards->reopen();
    } catch (const Xapian::DatabaseError&) {
      // The indexer swapped a compacted index into the folder: open it afresh.
      impl_->open();
    }
  }
  if (impl_->shards->revision_key() == before) return false;
  // Reading a revision that a writer recycles meanwhile fails: the next refresh tries again.
  impl_->publish(impl_->prepare());
  return true;
}

}  // namespace filmsearch::search
