// The set of documents a query matches, computed without Xapian's matcher: posting lists are
// read straight into a bitset and combined by the query's operators. Facet counting needs only
// this set (no scores, no order), and reading posting lists in a tight loop costs a fraction of a
// BoolWeight match with a MatchSpy over the same documents.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace filmsearch::search {

// A set of docids in [0, size): one bit each.
class DocSet {
 public:
  explicit DocSet(Xapian::docid last_docid = 0)
      : words_(static_cast<std::size_t>(last_docid) / 64 + 1, 0) {}

  void insert(Xapian::docid did) { words_[did >> 6] |= std::uint64_t{1} << (did & 63); }
  bool contains(Xapian::docid did) const {
    return (did >> 6) < words_.size() && (words_[did >> 6] >> (did & 63) & 1) != 0;
  }
  void unite(const DocSet& other);      // this |= other
  void intersect(const DocSet& other);  // this &= other
  void subtract(const DocSet& other);   // this &= ~other
  std::uint64_t count() const;

  // Calls f(docid) for each member, in ascending order.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      std::uint64_t bits = words_[w];
      while (bits != 0) {
        const int b = __builtin_ctzll(bits);
        f(static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(b)));
        bits &= bits - 1;
      }
    }
  }

 private:
  std::vector<std::uint64_t> words_;
};

// The documents of `db` that `query` matches, exactly as Xapian::Enquire would find them, when
// the query is built only from terms, MatchAll/MatchNothing and the operators AND, OR, SYNONYM,
// MAX, AND_NOT, FILTER, AND_MAYBE and SCALE_WEIGHT. nullopt for anything else (phrases, NEAR,
// value ranges, wildcards, elite sets, XOR, posting sources): use Xapian's matcher then.
// `all` is every document of `db` (for MatchAll), or null to read it from the database when
// needed. Throws Xapian::Error when the index cannot be read.
std::optional<DocSet> match_set(const Xapian::Database& db, const Xapian::Query& query,
                                const DocSet* all = nullptr);

// True when match_set() can evaluate `query` (it returns a set rather than nullopt).
bool match_set_supports(const Xapian::Query& query);

}  // namespace filmsearch::search
