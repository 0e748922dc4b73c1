#include "search/match_set.h"

#include <bit>

namespace filmsearch::search {
namespace {

using Op = Xapian::Query::op;

// Every document of `db` (the posting list of the empty term).
DocSet every_document(const Xapian::Database& db, Xapian::docid last) {
  DocSet out(last);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) out.insert(*it);
  return out;
}

// Adds the documents of the term query `q` (LEAF_TERM) to `out`.
void add_postings(const Xapian::Database& db, const Xapian::Query& q, Xapian::docid last,
                  DocSet* out) {
  auto t = q.get_terms_begin();
  if (t == q.get_terms_end()) return;
  const std::string term = *t;
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    if (*it <= last) out->insert(*it);
  }
}

DocSet evaluate(const Xapian::Database& db, const Xapian::Query& q, Xapian::docid last,
                const DocSet* all) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return DocSet(last);
    case Xapian::Query::LEAF_MATCH_ALL:
      return all != nullptr ? *all : every_document(db, last);
    case Xapian::Query::LEAF_TERM: {
      DocSet out(last);
      add_postings(db, q, last, &out);
      return out;
    }
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
      DocSet out(last);
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
        const Xapian::Query sub = q.get_subquery(i);
        if (sub.get_type() == Xapian::Query::LEAF_TERM) {
          add_postings(db, sub, last, &out);  // no set of its own for a plain term
        } else {
          out.unite(evaluate(db, sub, last, all));
        }
      }
      return out;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
      if (q.get_num_subqueries() == 0) return DocSet(last);
      DocSet out = evaluate(db, q.get_subquery(0), last, all);
      for (std::size_t i = 1; i < q.get_num_subqueries(); ++i) {
        out.intersect(evaluate(db, q.get_subquery(i), last, all));
      }
      return out;
    }
    case Xapian::Query::OP_AND_NOT: {
      if (q.get_num_subqueries() == 0) return DocSet(last);
      DocSet out = evaluate(db, q.get_subquery(0), last, all);
      for (std::size_t i = 1; i < q.get_num_subqueries(); ++i) {
        out.subtract(evaluate(db, q.get_subquery(i), last, all));
      }
      return out;
    }
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      // Only the first subquery decides what matches.
      if (q.get_num_subqueries() == 0) return DocSet(last);
      return evaluate(db, q.get_subquery(0), last, all);
    default:
      return DocSet(last);  // not reached: match_set_supports() said no
  }
}

}  // namespace

void DocSet::unite(const DocSet& other) {
  for (std::size_t i = 0; i < words_.size() && i < other.words_.size(); ++i) {
    words_[i] |= other.words_[i];
  }
}

void DocSet::intersect(const DocSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) {
    words_[i] &= i < other.words_.size() ? other.words_[i] : 0;
  }
}

void DocSet::subtract(const DocSet& other) {
  for (std::size_t i = 0; i < words_.size() && i < other.words_.size(); ++i) {
    words_[i] &= ~other.words_[i];
  }
}

std::uint64_t DocSet::count() const {
  std::uint64_t n = 0;
  for (std::uint64_t w : words_) n += static_cast<std::uint64_t>(std::popcount(w));
  return n;
}

bool match_set_supports(const Xapian::Query& q) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_TERM:
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
        if (!match_set_supports(q.get_subquery(i))) return false;
      }
      return true;
    default:
      return false;
  }
}

std::optional<DocSet> match_set(const Xapian::Database& db, const Xapian::Query& query,
                                const DocSet* all) {
  if (!match_set_supports(query)) return std::nullopt;
  return evaluate(db, query, db.get_lastdocid(), all);
}

}  // namespace filmsearch::search
