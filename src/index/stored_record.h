// What a document stores for the query tool: the record itself (titles, people, section text
// with spoiler spans), so queries never read the corpus again.
#pragma once

#include <string>
#include <string_view>

#include "corpus/record.h"

namespace filmsearch::index {

// Serializes a record into a document's data. Sections with ranked=false are kept.
std::string encode_record(const corpus::Record& record);

// The record stored by encode_record. Throws filmsearch::Error when `data` is not one.
corpus::Record decode_record(std::string_view data);

}  // namespace filmsearch::index
