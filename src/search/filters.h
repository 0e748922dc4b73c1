// Search filters: the boolean restrictions of a query (genre, year, decade, type, kind, lang,
// rating), whether they came from the query text (`genre:drama`) or from flags (`--genre`).
// Kept apart from the ranked query so facet counts can drop one facet's filter at a time.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::search {

// Every list is OR within (genre drama OR comedy) and AND across (genre AND year). Values are
// matched folded (text::Analyzer::fold), so "Drama" and "drama" are the same filter.
struct Filters {
  std::vector<std::string> genres;   // "Drama", "science fiction"; empty: any genre
  std::optional<int> year_min;       // inclusive; nullopt: no lower bound
  std::optional<int> year_max;       // inclusive; nullopt: no upper bound
  std::vector<std::string> decades;  // "1940s"; empty: any decade
  std::optional<double> rating_min;  // inclusive, 0-10
  std::optional<double> rating_max;  // inclusive, 0-10
  std::vector<std::string> types;    // "film", "review", "article"
  std::vector<std::string> kinds;    // section kinds: "quote", "plot"...
  std::vector<std::string> langs;    // "en", "zh"

  bool empty() const;
  // True when the filter of facet `facet` ("genre", "year", "decade", "type", "kind", "lang") is
  // set. "year" covers year_min/year_max.
  bool has(std::string_view facet) const;
  // Adds every filter of `other` to this one (lists are concatenated, bounds narrowed).
  void merge(const Filters& other);
};

// The filters as one Xapian query (boolean terms and value ranges), leaving out the filter of
// facet `except` ("" keeps all; "rating" leaves out the rating range). Returns an empty
// Xapian::Query when nothing is left to filter on.
Xapian::Query filter_query(const Filters& filters, std::string_view except = "");

// Short readable form for tests and notes: "genre:drama|comedy year:1940..1950".
std::string describe(const Filters& filters);

}  // namespace filmsearch::search
