// Search filters: the boolean restrictions of a query (genre, year, decade, type, kind, lang,
// rating: the filter fields of index/schema.h's kFields), whether they came from the query text
// (`genre:drama`), from flags (`--genre`) or from batch JSON. Kept apart from the ranked query so
// facet counts can drop one facet's filter at a time. Values are checked here, once, for all.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Xapian {
class Query;
}

namespace filmsearch::search {

// Inclusive bounds of a numeric field (year, rating); nullopt: unbounded on that side.
struct NumberRange {
  std::optional<double> lo;
  std::optional<double> hi;
};

// Every list is OR within (genre drama OR comedy) and AND across (genre AND year). Values are
// matched folded (text::Analyzer::fold), so "Drama" and "drama" are the same filter.
struct Filters {
  // Field name (a non-numeric filter field of kFields) -> any of these values. Empty: any.
  std::map<std::string, std::vector<std::string>, std::less<>> values;
  // Numeric field name ("year", "rating") -> its bounds, narrowed by every filter on it.
  std::map<std::string, NumberRange, std::less<>> ranges;

  bool empty() const;
  // True when the filter of field `field` ("genre", "year"...) is set.
  bool has(std::string_view field) const;
  // Adds every filter of `other` to this one (lists are concatenated, bounds narrowed).
  void merge(const Filters& other);
  // The values of `field` (empty when it has none).
  const std::vector<std::string>& of(std::string_view field) const;
};

// What add_filter made of one value.
struct FilterReading {
  bool ok = true;        // read as written (possibly normalized: "English" -> "en", "40s")
  bool applied = false;  // a filter was added (as written, or by the sensible reading in `note`)
  // Empty when read as written; otherwise what was wrong and what is accepted, and what was
  // done instead: "type:movie is not a type (film, review or article); read as type:film".
  std::string note;
};

// Reads `value` of the filter field `field` into `filters`: a closed set's values are checked
// (type, kind), years and ratings must be numbers or ranges ("1940..1950"; a reversed range is
// read swapped), decades are "1940s" or "40s" (the 1940s), languages are normalized to BCP 47
// (text::normalize_language). A value that cannot be read adds nothing and says why in `note`;
// one with a sensible reading ("type:movie" -> film, "1950..1940" -> 1940..1950) adds that and
// says so. A field that is not a filter field is not read (ok false). Never throws.
FilterReading add_filter(std::string_view field, std::string_view value, Filters* filters);

// The filters as one Xapian query (boolean terms and value ranges), leaving out the filter of
// field `except` ("" keeps all; "rating" leaves out the rating range). Returns an empty
// Xapian::Query when nothing is left to filter on.
Xapian::Query filter_query(const Filters& filters, std::string_view except = "");

// Short readable form for tests and notes: "genre:drama|comedy year:1940..1950", in the order of
// kFields.
std::string describe(const Filters& filters);

}  // namespace filmsearch::search
