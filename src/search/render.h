// Output of search results: the JSON schema of filmsearch-query (README, "Output") and a
// readable text form, optionally with ANSI colour. Shared by the tool and the benchmarks.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>

#include "search/result.h"

namespace filmsearch::search {

// {"query", "total", "total_exact", "hits": [{"id", "film_id", "type", "title", "year",
// "genres", "score", "snippets": [{"text", "highlights": [[b, e)...], "section", "heading",
// "spoiler"}], "hidden_spoiler_match"}], "facets": {name: {"values": [{"value", "count"}],
// "distinct"}}, "did_you_mean" (string or null), "notes", "took_ms"}.
nlohmann::ordered_json to_json(const SearchResult& result, std::string_view query);

// Serializes `json` on one line; invalid UTF-8 in strings is replaced, never an exception.
std::string dump_line(const nlohmann::ordered_json& json);

struct TextStyle {
  bool colour = false;  // ANSI bold highlights and a coloured "[spoiler]" label
  bool mark_spoilers = true;  // false with SpoilerMode::kShow
  // Print a spoiler fragment as a masked line (its section and how to read it): true for
  // SpoilerMode::kTag in a terminal, where the reader cannot un-see it; JSON keeps the text.
  bool mask_spoilers = false;
};

// A readable listing: a header line, "Did you mean", numbered hits with their snippets, facets.
void render_text(const SearchResult& result, std::string_view query, const TextStyle& style,
                 std::ostream& out);

}  // namespace filmsearch::search
