#include "index/retag.h"

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "error.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/shards.h"
#include "index/stored_record.h"

namespace filmsearch::index {
namespace {

std::vector<std::string> database_paths(const std::string& path) {
  if (std::optional<ShardLayout> layout = read_shard_layout(path)) return layout->shard_paths;
  return {path};
}

// What a review inherits: the film with its film key as id, in the same database (a sharded
// index routes a film and its reviews to one shard). nullptr when it is not there.
std::optional<FilmInfo> film_of(Xapian::Database& db, const corpus::Record& review,
                                const RecordDictionary* dictionary) {
  if (review.type != corpus::RecordType::kReview || review.film_id.empty()) return std::nullopt;
  const std::string term = boolean_term(schema::kIdPrefix, review.film_id);
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    const Xapian::Document doc = db.get_document(*it);
    if (doc.get_value(schema::slot(schema::Slot::kType)) != "film") continue;
    return FilmInfo::of(stored_record(doc, dictionary));
  }
  return std::nullopt;
}

bool has_term(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

class DatabaseRetagger {
 public:
  DatabaseRetagger(const std::string& path, const RetagOptions& options)
      : path_(path), options_(options) {
    try {
      db_ = Xapian::WritableDatabase(path, Xapian::DB_OPEN);
    } catch (const Xapian::DatabaseLockError&) {
      throw Error(path + " is locked by another writer");
    } catch (const Xapian::Error& e) {
      throw Error("cannot open index " + path + ": " + e.get_description());
    }
    dictionary_ = RecordDictionary::load(db_);
  }

  void run(RetagStats* stats) {
    std::size_t pending = 0;
    // Doc ids first: replacing documents while walking the posting list is not safe.
    const std::vector<Xapian::docid> ids(db_.postlist_begin(""), db_.postlist_end(""));
    for (Xapian::docid id : ids) {
      const Xapian::Document doc = db_.get_document(id);
      corpus::Record record = stored_record(doc, dictionary_.get());
      ++stats->records;
      const std::string before = encode_record(record);
      corpus::retag_spoilers(record, options_.policy);
      // Compared as stored: a confidence that rounds to the same byte is no change.
      if (encode_record(record) == before) continue;
      db_.replace_document(id, rebuild(doc, record));
      ++stats->changed;
      if (++pending >= options_.batch_records) {
        db_.commit();
        pending = 0;
      }
    }
    db_.set_metadata(std::string(schema::kSpoilerTaggerKey), stats->current);
    db_.commit();
    db_.close();
  }

 private:
  // The document for the re-tagged `record`, as the writer builds it: the same inherited fields,
  // the same film it was joined to, positions as the old document had them.
  Xapian::Document rebuild(const Xapian::Document& old, const corpus::Record& record) {
    const bool positions = !has_term(old, std::string(schema::kUnpositionedTerm));
    std::unique_ptr<DocumentBuilder>& builder = builders_[positions ? 1 : 0];
    if (!builder) {
      builder = std::make_unique<DocumentBuilder>(DocumentBuilder::Options{
          .section_positions = positions, .record_dictionary = dictionary_});
    }
    const std::optional<FilmInfo> film = film_of(db_, record, dictionary_.get());
    std::string joined_to;
    if (has_derived_film_key(record)) {
      const std::string key = old.get_value(schema::slot(schema::Slot::kFilmKey));
      if (key != film_key(record)) joined_to = key;
    }
    return builder->build(record, film ? &*film : nullptr, nullptr, joined_to);
  }

  std::string path_;
  const RetagOptions& options_;
  Xapian::WritableDatabase db_;
  std::shared_ptr<const RecordDictionary> dictionary_;
  std::unique_ptr<DocumentBuilder> builders_[2];
};

}  // namespace

std::string recorded_spoiler_tagger(const std::string& path) {
  const std::vector<std::string> paths = database_paths(path);
  try {
    return Xapian::Database(paths.front()).get_metadata(std::string(schema::kSpoilerTaggerKey));
  } catch (const Xapian::Error& e) {
    throw Error("cannot open index " + paths.front() + ": " + e.get_description());
  }
}

RetagStats retag_index(const RetagOptions& options) {
  RetagStats stats;
  stats.previous = recorded_spoiler_tagger(options.path);
  stats.current = corpus::spoiler_tagger_version(options.policy);
  for (const std::string& path : database_paths(options.path)) {
    DatabaseRetagger(path, options).run(&stats);
  }
  return stats;
}

}  // namespace filmsearch::index
