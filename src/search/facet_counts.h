// Facet names and counts as plain data (no Xapian): what a search request names and a result
// carries. Counting them is facets.h's (FacetSpy) and facet_table.h's (TableFacetSpy).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::search {

// True for the facet fields of index/schema.h's kFields (genre, year, decade, type, kind, lang).
bool is_facet(std::string_view name);
// The facet names, in the order of kFields: "genre, year, decade, type, kind, lang".
std::string facet_names();
// The names of a comma-separated facet list ("genre,decade"; empty items skipped), as written:
// the form of --facets and of a request's "facets" string. Checking them is is_facet's.
std::vector<std::string> facet_list(std::string_view text);

struct FacetValue {
  std::string value;  // as displayed: "Drama", "1948", "1940s", "review", "quote", "en"
  std::uint64_t count = 0;
  bool operator==(const FacetValue&) const = default;
};

struct FacetCounts {
  std::vector<FacetValue> values;  // the top values, most frequent first (ties: by value)
  std::size_t distinct = 0;        // how many distinct values the matches have
};

// Sorts `counts->values` most frequent first (ties: by value) and keeps the first `top`.
void keep_top(std::size_t top, FacetCounts* counts);

}  // namespace filmsearch::search
