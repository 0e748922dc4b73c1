// The result of a search as plain data (no Xapian): hits with their snippets, facet counts,
// "did you mean" and notes. render.h writes it as JSON and text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/record.h"
#include "search/facet_counts.h"

namespace filmsearch::search {

struct Snippet {
  std::string text;  // a sentence or two of the section, "…" where it was cut
  std::vector<std::pair<std::size_t, std::size_t>> highlights;  // [begin, end) bytes of `text`
  corpus::SectionKind section = corpus::SectionKind::kOther;
  std::string heading;   // the section's heading; may be empty
  bool spoiler = false;  // overlaps a spoiler span (always false in SpoilerMode::kShow)
};

// "[Take] off the red shoes" (highlights in brackets), for tests and plain output.
std::string render_marked(const Snippet& snippet, std::string_view open = "[",
                          std::string_view close = "]");

struct Hit {
  std::string id;       // the film's id with GroupBy::kFilm, else the document's id
  std::string film_id;  // the film this hit is about (may equal id; empty for an article)
  std::string type;     // "film", "review", "article"
  std::string title;
  std::optional<int> year;
  std::vector<std::string> genres;
  // From the film's record (a film hit, or a film document); unknown: nullopt / empty.
  std::optional<double> rating;         // audience rating 0-10
  std::optional<std::int64_t> votes;    // how many rated it
  std::optional<int> runtime;           // minutes
  std::vector<std::string> directors;
  std::vector<std::string> cast;        // the first few (kHitCast)
  double score = 0;     // relevance (0 when sorted by something else, or browsing)
  std::vector<Snippet> snippets;
  bool hidden_spoiler_match = false;  // SpoilerMode::kHide: the match lies in hidden spoiler text
};

// Cast members a hit carries, first billed first.
inline constexpr std::size_t kHitCast = 5;

struct SearchResult {
  // Matching hits (films with GroupBy::kFilm). Exact when facets were requested, otherwise
  // Xapian's estimate.
  std::uint64_t total = 0;
  bool total_exact = false;
  std::vector<Hit> hits;
  std::map<std::string, FacetCounts> facets;  // requested facet name -> counts
  // The query with its unknown words corrected (a long question: the corrected words only), or
  // "" when every word matched.
  std::string did_you_mean;
  std::vector<std::string> notes;             // what the parser dropped or capped
  double took_ms = 0;
};

}  // namespace filmsearch::search
