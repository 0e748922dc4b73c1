// What a document stores for the query tool: the record itself (titles, people, section text
// with spoiler spans), so queries never read the corpus again.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

#include "corpus/record.h"

namespace filmsearch::index {

// Serializes a record (a compact binary encoding). Sections with ranked=false are kept.
std::string encode_record(const corpus::Record& record);

// The record serialized by encode_record. Throws filmsearch::Error when `data` is not one.
corpus::Record decode_record(std::string_view data);

// Stores `record` in `doc`: encode_record() compressed with zstd, in value slot
// schema::Slot::kRecord. Not in the document data, which glass compresses itself with zlib:
// per document that was twice zstd's CPU for a slightly smaller result, and 16% of indexing CPU.
void store_record(const corpus::Record& record, Xapian::Document* doc);

// The record store_record() put in `doc`; for a document of an index written before records
// moved to their slot, the one in its data. Throws filmsearch::Error when `doc` holds no valid
// record (or Xapian::Error when reading the document fails).
corpus::Record stored_record(const Xapian::Document& doc);

}  // namespace filmsearch::index
