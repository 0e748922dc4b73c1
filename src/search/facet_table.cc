#include "search/facet_table.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "index/schema.h"
#include "text/analyzer.h"

namespace filmsearch::search {
namespace {

namespace schema = index::schema;

constexpr std::uint32_t kNoFilm = 0xFFFFFFFFu;

// The position of facet `name` among kFields (columns_ is indexed by it).
std::size_t facet_index(std::string_view name) {
  std::size_t i = 0;
  while (i < std::size(schema::kFields) && schema::kFields[i].name != name) ++i;
  return i;
}

void set_bit(std::vector<std::uint64_t>& bits, std::uint32_t i, bool* was_set) {
  std::uint64_t& word = bits[i >> 6];
  const std::uint64_t mask = std::uint64_t{1} << (i & 63);
  *was_set = (word & mask) != 0;
  word |= mask;
}

}  // namespace

FacetTable::FacetTable(const Xapian::Database& db)
    : FacetTable(db, db.get_uuid() + ":" + std::to_string(db.get_revision())) {}

FacetTable::FacetTable(const Xapian::Database& db, std::string revision)
    : db_(db), revision_(std::move(revision)), last_docid_(db.get_lastdocid()) {}

const std::vector<std::uint32_t>& FacetTable::film_ordinals() {
  if (have_films_) return film_;
  std::vector<std::uint32_t> film(static_cast<std::size_t>(last_docid_) + 1, kNoFilm);
  std::unordered_map<std::string, std::uint32_t> ordinal;
  std::uint32_t next = 0;
  const Xapian::valueno slot = schema::slot(schema::Slot::kFilmKey);
  for (auto it = db_.valuestream_begin(slot); it != db_.valuestream_end(slot); ++it) {
    const Xapian::docid did = it.get_docid();
    if (did >= film.size()) continue;
    auto [at, added] = ordinal.try_emplace(*it, next);
    if (added) ++next;
    film[did] = at->second;
  }
  // A document without a key (an article of no film) is a group of its own.
  for (auto& f : film) {
    if (f == kNoFilm) f = next++;
  }
  film_ = std::move(film);
  films_ = next;
  have_films_ = true;
  return film_;
}

std::uint32_t FacetTable::film_count() {
  film_ordinals();
  return films_;
}

const DocSet& FacetTable::documents() {
  if (!documents_) {
    DocSet all(last_docid_);
    for (auto it = db_.postlist_begin(""); it != db_.postlist_end(""); ++it) {
      if (*it <= last_docid_) all.insert(*it);
    }
    documents_ = std::move(all);
  }
  return *documents_;
}

void FacetTable::build_all() {
  film_ordinals();
  documents();
  for (const auto& f : schema::kFields) {
    if (is_facet(f.name)) column(f.name);
  }
}

const FacetTable::Column* FacetTable::column(std::string_view name) {
  if (!is_facet(name)) return nullptr;
  const schema::Field& spec = *schema::find_field(name);
  const Xapian::valueno slot = schema::slot(*spec.slot);
  std::optional<Column>& cached = columns_[facet_index(name)];
  if (cached) return &*cached;

  const std::vector<std::uint32_t>& film = film_ordinals();
  Column c;
  c.offsets.assign(film.size() + 1, 0);
  // Spellings that fold alike ("Drama", "drama") are one value, labelled by the first in byte
  // order (capitalized before lowercase), as FacetSpy does.
  std::unordered_map<std::string, std::uint32_t> spelling_id;  // as stored -> value id
  std::unordered_map<std::string, std::uint32_t> value_id;     // folded -> value id
  std::unordered_map<std::uint64_t, std::uint32_t> pair_id;
  auto add = [&](Xapian::docid did, std::string_view value) {
    if (value.empty()) return;
    auto spelling = spelling_id.find(std::string(value));
    if (spelling == spelling_id.end()) {
      const std::string folded = spec.numeric ? std::string(value) : text::Analyzer::fold(value);
      auto [v, added_value] =
          value_id.try_emplace(folded, static_cast<std::uint32_t>(c.labels.size()));
      if (added_value) c.labels.emplace_back(value);
      if (value < c.labels[v->second]) c.labels[v->second] = std::string(value);
      spelling = spelling_id.emplace(std::string(value), v->second).first;
    }
    const std::uint32_t id = spelling->second;
    const std::uint64_t key = (std::uint64_t{film[did]} << 32) | id;
    auto [p, added_pair] = pair_id.try_emplace(key, static_cast<std::uint32_t>(c.pair_value.size()));
    if (added_pair) c.pair_value.push_back(id);
    c.pairs.push_back(p->second);
  };
  // Documents come in docid order, so the pairs are appended in CSR order; offsets[d + 1] is
  // first the count of document d, then prefix-summed.
  for (auto it = db_.valuestream_begin(slot); it != db_.valuestream_end(slot); ++it) {
    const Xapian::docid did = it.get_docid();
    if (did >= film.size()) continue;
    const std::size_t before = c.pairs.size();
    const std::string raw = *it;
    if (spec.numeric) {
      const double v = Xapian::sortable_unserialise(raw);
      add(did, std::to_string(static_cast<long long>(std::llround(v))));
    } else if (spec.multi) {
      std::size_t start = 0;
      while (start <= raw.size()) {
        std::size_t end = raw.find(schema::kListSeparator, start);
        if (end == std::string::npos) end = raw.size();
        add(did, std::string_view(raw).substr(start, end - start));
        start = end + 1;
      }
    } else {
      add(did, raw);
    }
    c.offsets[did + 1] = static_cast<std::uint32_t>(c.pairs.size() - before);
  }
  for (std::size_t d = 1; d < c.offsets.size(); ++d) c.offsets[d] += c.offsets[d - 1];
  cached = std::move(c);
  return &*cached;
}

TableFacetSpy::TableFacetSpy(FacetTable& table, const std::vector<std::string>& facets,
                             bool by_film)
    : by_film_(by_film) {
  if (by_film_) {
    film_ = &table.film_ordinals();
    film_seen_.assign(table.film_count() / 64 + 1, 0);
  }
  for (const auto& name : facets) {
    const FacetTable::Column* column = table.column(name);
    if (column == nullptr) continue;
    Counted c;
    c.name = name;
    c.column = column;
    c.counts.assign(column->labels.size(), 0);
    if (by_film_) c.pair_seen.assign(column->pair_value.size() / 64 + 1, 0);
    counted_.push_back(std::move(c));
  }
}

void TableFacetSpy::operator()(const Xapian::Document& doc, double) { add(doc.get_docid()); }

void TableFacetSpy::add(Xapian::docid did) {
  ++documents_;
  if (by_film_) {
    // A docid past the table means a table of another revision: the Searcher never lets that
    // happen; count nothing rather than read out of bounds.
    if (did >= film_->size()) return;
    bool seen = false;
    set_bit(film_seen_, (*film_)[did], &seen);
    if (!seen) ++films_seen_;
  }
  for (auto& c : counted_) {
    const auto& offsets = c.column->offsets;
    if (did + 1 >= offsets.size()) continue;
    for (std::uint32_t i = offsets[did]; i < offsets[did + 1]; ++i) {
      const std::uint32_t pair = c.column->pairs[i];
      if (by_film_) {
        bool seen = false;
        set_bit(c.pair_seen, pair, &seen);
        if (seen) continue;
      }
      ++c.counts[c.column->pair_value[pair]];
    }
  }
}

FacetCounts TableFacetSpy::counts(std::string_view facet, std::size_t top) const {
  FacetCounts out;
  for (const auto& c : counted_) {
    if (c.name != facet) continue;
    out = FacetCounts{};
    for (std::size_t v = 0; v < c.counts.size(); ++v) {
      if (c.counts[v] > 0) out.values.push_back({c.column->labels[v], c.counts[v]});
    }
    out.distinct = out.values.size();
    keep_top(top, &out);
  }
  return out;
}

}  // namespace filmsearch::search
