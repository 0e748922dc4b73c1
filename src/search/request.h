// A search request as plain data (no Xapian): what filmsearch-query and filmsearch-serve fill
// in, request_json.h reads and writes, and Searcher runs. Every field has its default and
// effect beside it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "search/filters.h"

namespace filmsearch::search {

// How spoiler text may appear (and be searched).
enum class SpoilerMode {
  kTag,      // searched; spoiler fragments may be shown and are marked (default)
  kHide,     // searched; spoiler text never shown; a hit says when its match was hidden
  kExclude,  // not searched and never shown
  kShow,     // searched and shown without marking
};

// "tag", "hide", "exclude", "show"; parse returns false for anything else.
std::string_view spoiler_mode_name(SpoilerMode mode);
bool parse_spoiler_mode(std::string_view name, SpoilerMode* mode);

enum class GroupBy {
  kFilm,      // one hit per film (its documents' evidence combined); default
  kDocument,  // one hit per document (a film record, a review, an article)
  kSection,   // one hit per matching section of a document
};
enum class SortOrder {
  kRelevance,  // best first (default)
  kYear,       // oldest first
  kYearDesc,   // newest first ("-year")
  kRating,     // highest rated first
  kTitle,      // by folded title
};

// "film", "document", "section" / "relevance", "year", "-year", "rating", "title".
// The parse functions return false for anything else.
bool parse_group_by(std::string_view name, GroupBy* out);
bool parse_sort(std::string_view name, SortOrder* out);

struct SearchRequest {
  std::string query;                          // our syntax; empty: browse everything
  int offset = 0;                             // first hit to return (negative: 0)
  int limit = 10;                             // hits to return (negative: 0)
  GroupBy group_by = GroupBy::kFilm;          // what one hit is
  SpoilerMode spoilers = SpoilerMode::kTag;   // how spoiler text is searched and shown
  int snippets = 2;                           // fragments per hit (0: none)
  std::vector<std::string> facets = {};       // facet names (is_facet); others ignored
  int facet_top = 10;                         // values shown per facet
  Filters filters = {};                       // ANDed with the filters written in the query
  SortOrder sort = SortOrder::kRelevance;
  // Typo tolerance: a word missing from the index (or far rarer than a close spelling) also
  // matches its closest spelling, ranked below exact matches: at most one edit for words of 5+
  // letters, two for 9+, and never more than this. 0: off.
  int typos = 2;
  // Search as you type: the last word, when no space follows it, is a prefix ("red sh" finds
  // "red shoes"). Default off.
  bool prefix_last = false;
  // What reading the request changed, e.g. a filter value's sensible reading ("decade:40s is
  // read as decade:1940s"); SearchResult::notes starts with these. Default none.
  std::vector<std::string> notes = {};
};

}  // namespace filmsearch::search
