// The searcher: one entry point from a SearchRequest to ranked hits with snippets, exact facet
// counts and "did you mean", over a filmsearch index opened read-only. By default a film is one
// hit and its score draws on the evidence across its documents (its page, its reviews...).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corpus/record.h"
#include "search/facets.h"
#include "search/filters.h"
#include "search/query_parser.h"
#include "search/snippets.h"

namespace filmsearch::search {

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

// How a Searcher opens its index.
struct SearcherOptions {
  // Remote shards (stub `remote` lines): milliseconds to wait for a connection and each reply.
  unsigned remote_timeout_ms = 10000;
  // When a shard cannot be opened or stops answering, search the others and say so in
  // SearchResult::notes ("partial results: shard LABEL: ..."); default: fail, naming the shard.
  bool allow_partial = false;
};

// Searches one index. Not thread safe: one Searcher per thread (each opens the index).
class Searcher {
 public:
  // Opens the index at `index_path` read-only: a folder (one index, or a sharded one), or a Xapian
  // stub file listing local and remote shards (search/shard_set.h). Throws filmsearch::Error "no
  // index at PATH — build one with filmsearch-index" when there is none, and "shard LABEL: ..."
  // when a shard cannot be opened.
  explicit Searcher(const std::string& index_path, SearcherOptions options = {});
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  // Runs `request`. Never throws for any query text; an index changed by a writer meanwhile is
  // reopened and the search retried (results as of the writer's last commit). Throws
  // filmsearch::Error (or Xapian::Error) when the index cannot be read.
  SearchResult search(const SearchRequest& request);

  // The number of documents in the index.
  std::uint64_t document_count() const;

  // Moves to the index's newest committed revision (Database::reopen); a long-lived searcher
  // (the server's) calls it before each request. Returns true when the revision changed. Does
  // not follow an index folder swapped for another: open a new Searcher for that.
  bool refresh();
  // The open revision (Xapian's; grows with each commit).
  std::uint64_t revision() const;
  // The stored record with id `id`, or nullopt when there is none. Throws like search().
  std::optional<corpus::Record> record(const std::string& id);

 private:
  SearchResult search_once(const SearchRequest& request);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace filmsearch::search
