// What a document stores for the query tool: the record itself (titles, people, section text
// with spoiler spans), so queries never read the corpus again.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/record.h"

struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace filmsearch::index {

// Serializes a record (a compact binary encoding). Sections with ranked=false are kept.
std::string encode_record(const corpus::Record& record);

// The record serialized by encode_record. Throws filmsearch::Error when `data` is not one.
corpus::Record decode_record(std::string_view data);

// The zstd dictionary an index compresses its stored records with: trained on the first records
// of its first run, kept in its metadata (schema::kRecordDictionaryKey) and never changed, so
// every record that used it can be read. Immutable: share one between threads.
class RecordDictionary {
 public:
  // A dictionary trained on `samples` (encode_record() results); nullptr when they are too few
  // or too small to learn from (under 100 records or 256 KB).
  static std::shared_ptr<const RecordDictionary> train(const std::vector<std::string>& samples);
  // The dictionary kept in `db`, or nullptr when it has none. Throws filmsearch::Error when the
  // metadata holds something else.
  static std::shared_ptr<const RecordDictionary> load(const Xapian::Database& db);
  // As above, but returns `known` itself when `db` keeps the same dictionary (the usual case
  // after a reopen, or for the shard another reader loaded): no zstd tables are built again.
  static std::shared_ptr<const RecordDictionary> load(
      const Xapian::Database& db, const std::shared_ptr<const RecordDictionary>& known);
  // Keeps it in `db`'s metadata; committed with db's next commit.
  void save(Xapian::WritableDatabase& db) const;

  // zstd's id of the dictionary, written in every record frame compressed with it.
  unsigned id() const { return id_; }

  // `bytes` is a zstd dictionary (as train() makes); throws filmsearch::Error when not.
  explicit RecordDictionary(std::string bytes);
  ~RecordDictionary();
  RecordDictionary(const RecordDictionary&) = delete;
  RecordDictionary& operator=(const RecordDictionary&) = delete;

 private:
  friend void store_record(const corpus::Record&, Xapian::Document*, const RecordDictionary*);
  friend corpus::Record stored_record(const Xapian::Document&, const RecordDictionary*);

  std::string bytes_;
  unsigned id_ = 0;
  ZSTD_CDict_s* cdict_ = nullptr;
  ZSTD_DDict_s* ddict_ = nullptr;
};

// Stores `record` in `doc`: encode_record() compressed with zstd (with `dictionary` when given),
// in value slot schema::Slot::kRecord. Not in the document data, which glass compresses itself
// with zlib: per document that was twice zstd's CPU, and 16% of indexing CPU.
void store_record(const corpus::Record& record, Xapian::Document* doc,
                  const RecordDictionary* dictionary = nullptr);

// The record store_record() put in `doc`; for a document of an index written before records
// moved to their slot, the one in its data. `dictionary` is the index's (RecordDictionary::load);
// records compressed without one read either way. Throws filmsearch::Error when `doc` holds no
// valid record or needs another dictionary (Xapian::Error when reading the document fails).
corpus::Record stored_record(const Xapian::Document& doc,
                             const RecordDictionary* dictionary = nullptr);

}  // namespace filmsearch::index
