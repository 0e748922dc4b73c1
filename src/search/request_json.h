// A search request as JSON, both ways: the fields of a filmsearch-query batch line and of the
// server's POST /search body. One parser for both tools, so a field means the same everywhere.
// The response side is render.h's to_json().
#pragma once

#include <nlohmann/json.hpp>

#include <vector>
#include <string>
#include <string_view>

#include "error.h"
#include "search/searcher.h"

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
//    "limit": 10, "offset": 0, "snippets": 2,
//    "sort": "relevance", "spoilers": "tag", "group_by": "film"}
// Filters are merged with those of `defaults`; every other field replaces its default.
// Throws RequestError naming the field for a value of the wrong type, an unknown name (sort,
// facet...), a negative number, or (with `unknown_keys_are_errors`) a key it does not know;
// a field it knows is never dropped silently.
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

// "1948", "1940..1950", "1940..", "..1950" into filters->year_min/year_max. Returns false for
// anything else (then `filters` is unchanged).
bool parse_year_range(std::string_view text, Filters* filters);

}  // namespace filmsearch::search
