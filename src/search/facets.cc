#include "search/facets.h"

#include <algorithm>
#include <cmath>

#include "index/facet_key.h"
#include "index/schema.h"
#include "text/analyzer.h"

namespace filmsearch::search {

void keep_top(std::size_t top, FacetCounts* counts) {
  auto by_count = [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  };
  auto& values = counts->values;
  std::size_t keep = std::min(top, values.size());
  std::partial_sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(keep),
                    values.end(), by_count);
  values.resize(keep);
}
namespace {

namespace schema = index::schema;

}  // namespace

bool is_facet(std::string_view name) {
  const schema::Field* f = schema::find_field(name);
  return f != nullptr && f->name == name && f->has(schema::FieldRole::kFacet) && f->slot;
}

std::vector<std::string> facet_list(std::string_view text) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) names.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

std::string facet_names() {
  std::string out;
  for (const auto& f : schema::kFields) {
    if (!is_facet(f.name)) continue;
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

FacetSpy::FacetSpy(std::vector<std::string> facets, bool by_film) : by_film_(by_film) {
  for (const auto& name : facets) {
    if (!is_facet(name)) continue;
    const schema::Field& field = *schema::find_field(name);
    Facet f;
    f.name = name;
    f.slot = schema::slot(*field.slot);
    // index::facet_key: the film key, then the facet fields' slots in kFields order.
    for (const auto& other : schema::kFields) {
      if (!is_facet(other.name)) continue;
      ++f.key_index;
      if (other.name == field.name) break;
    }
    f.multi = field.multi;
    f.number = field.numeric;
    facets_.push_back(std::move(f));
  }
}

void FacetSpy::count(Facet& facet, const std::string& raw, const std::string& key,
                     std::uint64_t n) {
  if (raw.empty()) return;
  // "Drama" and "drama" are one value (as the filter matches them), shown by its first
  // spelling in byte order (capitalized before lowercase), as FacetTable does.
  const std::string value = facet.number ? raw : text::Analyzer::fold(raw);
  auto [label, added] = facet.labels.try_emplace(value, raw);
  if (!added && raw < label->second) label->second = raw;
  if (by_film_) {
    std::string seen_key = key;
    seen_key += '\0';
    seen_key += value;
    if (!facet.seen.insert(std::move(seen_key)).second) return;
    n = 1;  // a film counts once per value
  }
  facet.counts[value] += n;
}

void FacetSpy::count_raw(Facet& f, const std::string& raw, std::uint64_t n) {
  if (raw.empty()) return;
  if (f.number) {
    double v = Xapian::sortable_unserialise(raw);
    count(f, std::to_string(static_cast<long long>(std::llround(v))), key_, n);
  } else if (f.multi) {
    std::size_t start = 0;
    while (start <= raw.size()) {
      std::size_t end = raw.find(schema::kListSeparator, start);
      if (end == std::string::npos) end = raw.size();
      count(f, raw.substr(start, end - start), key_, n);
      start = end + 1;
    }
  } else {
    count(f, raw, key_, n);
  }
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  ++documents_;
  if (by_film_) {
    key_ = doc.get_value(schema::slot(schema::Slot::kFilmKey));
    // A document of no film (an article) is its own group.
    if (key_.empty()) key_ = "#" + std::to_string(doc.get_docid());
    groups_.insert(key_);
  }
  for (auto& f : facets_) count_raw(f, doc.get_value(f.slot), 1);
}

bool FacetSpy::add_facet_key(std::string_view key, std::uint64_t documents) {
  const std::optional<std::vector<std::string>> values = index::decode_facet_key(key);
  if (!values) return false;
  documents_ += documents;
  if (by_film_) {
    // Never empty in a key this build writes: a document of no film has its own id as its film
    // key (document_builder.cc); operator() would count an empty one per document.
    if (values->front().empty()) return false;
    key_ = values->front();
    groups_.insert(key_);
  }
  for (auto& f : facets_) count_raw(f, (*values)[f.key_index], documents);
  return true;
}

FacetCounts FacetSpy::counts(std::string_view facet, std::size_t top) const {
  FacetCounts out;
  for (const auto& f : facets_) {
    if (f.name != facet) continue;
    out.distinct = f.counts.size();
    for (const auto& [value, n] : f.counts) out.values.push_back({f.labels.at(value), n});
    keep_top(top, &out);
  }
  return out;
}

bool count_by_facet_keys(const Xapian::Database& db, const Xapian::Query& query, FacetSpy* spy) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  Xapian::ValueCountMatchSpy keys(schema::slot(schema::Slot::kFacetKey));
  enquire.add_matchspy(&keys);
  enquire.get_mset(0, 0, db.get_doccount());
  // The spy skips documents without a value: then the index predates facet keys.
  Xapian::doccount keyed = 0;
  for (auto it = keys.values_begin(); it != keys.values_end(); ++it) keyed += it.get_termfreq();
  if (keyed != keys.get_total()) return false;
  for (auto it = keys.values_begin(); it != keys.values_end(); ++it) {
    const auto values = index::decode_facet_key(*it);
    if (!values || values->front().empty()) return false;
  }
  for (auto it = keys.values_begin(); it != keys.values_end(); ++it) {
    spy->add_facet_key(*it, it.get_termfreq());
  }
  return true;
}

}  // namespace filmsearch::search
