// Facet counts: exact counts of genre, year, decade, type, kind and lang values over every match
// of a query (never a sample), read from the value slots of index/schema.h by a MatchSpy.
// Grouped by film, a film counts once per value however many of its documents match.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "search/facet_counts.h"

namespace filmsearch::search {

// Counts the values of `facets` over the documents Xapian shows it. Run it over a match with
// check_at_least = the database's document count so that every match is seen.
class FacetSpy : public Xapian::MatchSpy {
 public:
  // `facets`: facet names (is_facet) (others are ignored). `by_film`: count distinct films
  // (value slot kFilmKey; a document without one counts alone) rather than documents.
  FacetSpy(std::vector<std::string> facets, bool by_film);

  void operator()(const Xapian::Document& doc, double weight) override;

  // Counts `documents` matching documents whose facet key (index/facet_key.h, value slot
  // kFacetKey) is `key`, as operator() counts each of them: the form in which Xapian's
  // ValueCountMatchSpy on that slot reports them. Returns false (counting nothing) for a key
  // this build cannot read (an index of an older build).
  bool add_facet_key(std::string_view key, std::uint64_t documents);

  // The counts of `facet` (empty when it was not counted), top `top` values.
  FacetCounts counts(std::string_view facet, std::size_t top) const;
  // Documents seen, or distinct films when by_film.
  std::uint64_t matches() const { return by_film_ ? groups_.size() : documents_; }
  // Documents seen.
  std::uint64_t documents() const { return documents_; }

 private:
  struct Facet {
    std::string name;
    Xapian::valueno slot = 0;
    std::size_t key_index = 0;  // where facet keys hold its slot's value
    bool multi = false;   // kListSeparator-joined values
    bool number = false;  // sortable_serialise'd
    std::unordered_map<std::string, std::uint64_t> counts;  // folded value -> count
    std::unordered_map<std::string, std::string> labels;    // folded value -> shown spelling
    std::unordered_set<std::string> seen;  // by_film: film key + '\0' + value already counted
  };
  void count(Facet& facet, const std::string& value, const std::string& key, std::uint64_t n);
  // Counts the raw slot value `raw` of `facet` for `n` documents of group key_.
  void count_raw(Facet& facet, const std::string& raw, std::uint64_t n);

  std::vector<Facet> facets_;
  bool by_film_ = false;
  std::uint64_t documents_ = 0;
  std::unordered_set<std::string> groups_;
  std::string key_;
};

// Counts every match of `query` over `db` into `spy` (as FacetSpy over each match would) from
// the matches' facet keys (value slot kFacetKey, index/facet_key.h), counted by Xapian's
// ValueCountMatchSpy: one match per shard, which a remote shard runs on its side and answers in
// one message, and no document read. Returns false, leaving `spy` as it was, when a match has no
// facet key this build reads (an index of an older build). Throws Xapian::Error.
bool count_by_facet_keys(const Xapian::Database& db, const Xapian::Query& query, FacetSpy* spy);

}  // namespace filmsearch::search
