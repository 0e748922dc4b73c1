// Facet table: the facet value slots of one index revision decoded once into arrays indexed by
// docid, so counting facets over every match is a few array lookups per document instead of
// reading, splitting and hashing value strings. Each document maps to a small film ordinal
// (slot kFilmKey) and, per facet, to the ids of its values and of its (film, value) pairs, which
// lets a count "once per film" dedupe with a bitset.
//
// Cost: each part is built on first use by reading its value slot sequentially
// (Xapian::ValueIterator). On filmbench (145,010 documents) the film ordinals plus the genre and
// decade columns take about 280 million instructions (140-220 ms on the shared 2-core machine)
// and about 7 MB. A Searcher keeps the table for its database revision (a reopen drops it) and
// builds it only once counting document by document has cost about as much (Searcher's
// use_table), so batch mode pays it once and a one-off query with few matches never does.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/schema.h"
#include "search/facets.h"
#include "search/match_set.h"

namespace filmsearch::search {

class FacetTable {
 public:
  // One facet's values over the documents.
  struct Column {
    std::vector<std::string> labels;       // value id -> value as displayed ("Drama", "1948")
    std::vector<std::uint32_t> pair_value;  // pair id -> value id
    // CSR: the pairs of docid d are pairs[offsets[d] .. offsets[d + 1]), in slot order (a
    // repeated value repeats its pair).
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> pairs;
  };

  // Reads nothing yet; film_ordinals()/column() read `db` (the table keeps a handle on it).
  explicit FacetTable(const Xapian::Database& db);
  // As above, for a database whose revision Xapian cannot give (several shards): `revision` is
  // the caller's key for it (ShardSet::revision_key).
  FacetTable(const Xapian::Database& db, std::string revision);

  // The revision of the database this table describes (tables of other revisions are stale).
  const std::string& revision() const { return revision_; }

  // Docid -> film ordinal (documents of one film key share it; a document with no key, or no
  // document at that docid, has its own). Sized last docid + 1. Built on first use.
  const std::vector<std::uint32_t>& film_ordinals();
  std::uint32_t film_count();

  // Every document of the database (for MatchAll in match_set()). Built on first use.
  const DocSet& documents();

  // The column of facet `name` (is_facet), built on first use; nullptr for any other
  // name. Throws Xapian::Error when the index cannot be read.
  const Column* column(std::string_view name);

  // Builds every part now (film ordinals, documents, every facet's column). After it the
  // accessors only read, so one table can be shared by threads (IndexReader does). Throws
  // Xapian::Error when the index cannot be read.
  void build_all();

 private:
  const Xapian::Database db_;  // a handle: shares the caller's database
  std::string revision_;
  Xapian::docid last_docid_ = 0;
  std::vector<std::uint32_t> film_;
  std::uint32_t films_ = 0;
  bool have_films_ = false;
  std::optional<DocSet> documents_;
  std::array<std::optional<Column>, std::size(index::schema::kFields)> columns_;
};

// Counts facets like FacetSpy, with the same results, from a FacetTable: no value is read or
// hashed per document. The table must outlive the spy and be of the database being searched.
class TableFacetSpy : public Xapian::MatchSpy {
 public:
  // `facets`: facet names (is_facet) (others are ignored). `by_film`: count distinct films.
  TableFacetSpy(FacetTable& table, const std::vector<std::string>& facets, bool by_film);

  void operator()(const Xapian::Document& doc, double weight) override;
  // Counts the document `did` (what operator() does for a match), e.g. each member of a
  // match_set().
  void add(Xapian::docid did);

  // As FacetSpy::counts and FacetSpy::matches.
  FacetCounts counts(std::string_view facet, std::size_t top) const;
  std::uint64_t matches() const { return by_film_ ? films_seen_ : documents_; }

 private:
  struct Counted {
    std::string name;
    const FacetTable::Column* column = nullptr;
    std::vector<std::uint64_t> counts;      // value id -> count
    std::vector<std::uint64_t> pair_seen;  // bitset over pair ids (by_film)
  };

  const std::vector<std::uint32_t>* film_ = nullptr;
  std::vector<Counted> counted_;
  std::vector<std::uint64_t> film_seen_;  // bitset over film ordinals (by_film)
  bool by_film_ = false;
  std::uint64_t documents_ = 0;
  std::uint64_t films_seen_ = 0;
};

}  // namespace filmsearch::search
