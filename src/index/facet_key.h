// The facet key of a document (value slot kFacetKey): its film key and the raw values of every
// facet slot, in one string. Counting these strings over the matches (Xapian's built-in
// ValueCountMatchSpy, which stock xapian-tcpsrv runs and sends back) gives the facet counts once
// per film exactly, on local and remote shards alike, without reading any document.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::index {

// The facet key of `doc`, from the values it already holds: the kFilmKey value, then the value
// of each facet field's slot (schema::kFields order, facet fields only), each as a length
// (unsigned LEB128) and its bytes, after a leading count of the values.
std::string facet_key(const Xapian::Document& doc);

// The values of a facet key (film key first, then the facet slots' values in facet_key's
// order), or nullopt when `key` is not one this build writes (malformed, or another number of
// facet fields: an index of an older build).
std::optional<std::vector<std::string>> decode_facet_key(std::string_view key);

}  // namespace filmsearch::index
