// A search request as JSON, both ways: the fields of a filmsearch-query batch line and of the
// server's POST /search body. One parser for both tools, so a field means the same everywhere.
// The response side is render.h's to_json().
#pragma once

#include <nlohmann/json.hpp>

#include <vector>
#include <string>
#include <string_view>

#include "error.h"
#include "search/facet_counts.h"
#include "search/request.h"

namespace filmsearch::search {

// A field of a request that cannot be used: InputError whose where() is the field's path
// ("limit", "filters.genre").
class RequestError : public InputError {
 public:
  RequestError(const std::string& field, const std::string& message)
      : InputError(field, message), field_(field), message_(message) {}
  const std::string& field() const { return field_; }
  const std::string& message() const { return message_; }

 private:
  std::string field_;
  std::string message_;
};

// Reads `j` over `defaults`:
//   {"query": "red shoes",
//    "filters": {"genre": "Drama" | ["Drama", ...], "decade", "type", "kind", "lang" (same),
//                "year": 1948 | "1940..1950", "year_min": 1940, "year_max": 1950},
//    "facets": ["genre", "decade"] | "genre,decade", "facet_top": 10,
//    "limit": 10, "offset": 0, "snippets": 2, "typos": 2, "prefix_last": false,
//    "sort": "relevance", "spoilers": "tag", "group_by": "film"}
// Filters are merged with those of `defaults`; every other field replaces its default. A filter
// value is read by search::add_filter, as flags and query text are: one with a sensible reading
// ("decade": "40s", "year": "1950..1940") is applied, and what was read instead is added to the
// request's `notes` (the result starts with them).
// Throws RequestError naming the field for a value of the wrong type, an unknown name (sort,
// facet...), a negative number, a filter value that has no reading, or (with
// `unknown_keys_are_errors`) a key it does not know; a field it knows is never dropped silently.
struct RequestJsonOptions {
  std::vector<std::string_view> ignored;  // keys read elsewhere ("qid", "budget_ms")
  // The server refuses a key it does not know (a misspelt "limt" would silently be ignored);
  // filmsearch-query's batch lines may carry their own keys ("target", "kind"...).
  bool unknown_keys_are_errors = true;
};
SearchRequest request_from_json(const nlohmann::ordered_json& j, const SearchRequest& defaults,
                                const RequestJsonOptions& options = {});

// The JSON object for `request`, in the form request_from_json reads (all fields written).
nlohmann::ordered_json request_to_json(const SearchRequest& request);

}  // namespace filmsearch::search
