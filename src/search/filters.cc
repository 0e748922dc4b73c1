#include "search/filters.h"

#include <algorithm>

#include "index/schema.h"
#include "text/analyzer.h"

namespace filmsearch::search {
namespace {

namespace schema = index::schema;

// OR of boolean terms `prefix` + folded value; empty when there are no values.
Xapian::Query any_of(std::string_view prefix, const std::vector<std::string>& values) {
  std::vector<std::string> terms;
  for (const auto& v : values) {
    std::string term(prefix);
    term += text::Analyzer::fold(v);
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(term);
  }
  if (terms.empty()) return Xapian::Query();
  if (terms.size() == 1) return Xapian::Query(terms.front());
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

Xapian::Query value_range(schema::Slot slot, std::optional<double> lo, std::optional<double> hi) {
  const Xapian::valueno s = schema::slot(slot);
  if (lo && hi) {
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, s, Xapian::sortable_serialise(*lo),
                         Xapian::sortable_serialise(*hi));
  }
  if (lo) return Xapian::Query(Xapian::Query::OP_VALUE_GE, s, Xapian::sortable_serialise(*lo));
  if (hi) return Xapian::Query(Xapian::Query::OP_VALUE_LE, s, Xapian::sortable_serialise(*hi));
  return Xapian::Query();
}

std::string fmt_number(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

bool Filters::empty() const {
  return genres.empty() && !year_min && !year_max && decades.empty() && !rating_min &&
         !rating_max && types.empty() && kinds.empty() && langs.empty();
}

bool Filters::has(std::string_view facet) const {
  if (facet == "genre") return !genres.empty();
  if (facet == "year") return year_min || year_max;
  if (facet == "decade") return !decades.empty();
  if (facet == "rating") return rating_min || rating_max;
  if (facet == "type") return !types.empty();
  if (facet == "kind") return !kinds.empty();
  if (facet == "lang") return !langs.empty();
  return false;
}

void Filters::merge(const Filters& other) {
  auto append = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
  };
  append(genres, other.genres);
  append(decades, other.decades);
  append(types, other.types);
  append(kinds, other.kinds);
  append(langs, other.langs);
  if (other.year_min) year_min = year_min ? std::max(*year_min, *other.year_min) : other.year_min;
  if (other.year_max) year_max = year_max ? std::min(*year_max, *other.year_max) : other.year_max;
  if (other.rating_min) {
    rating_min = rating_min ? std::max(*rating_min, *other.rating_min) : other.rating_min;
  }
  if (other.rating_max) {
    rating_max = rating_max ? std::min(*rating_max, *other.rating_max) : other.rating_max;
  }
}

Xapian::Query filter_query(const Filters& f, std::string_view except) {
  std::vector<Xapian::Query> parts;
  auto add = [&](std::string_view facet, Xapian::Query q) {
    if (facet != except && !q.empty()) parts.push_back(std::move(q));
  };
  add("genre", any_of(schema::kGenrePrefix, f.genres));
  add("decade", any_of(schema::kDecadePrefix, f.decades));
  add("type", any_of(schema::kTypePrefix, f.types));
  add("kind", any_of(schema::kKindPrefix, f.kinds));
  add("lang", any_of(schema::kLangPrefix, f.langs));
  auto as_double = [](std::optional<int> v) {
    return v ? std::optional<double>(*v) : std::nullopt;
  };
  add("year", value_range(schema::Slot::kYear, as_double(f.year_min), as_double(f.year_max)));
  add("rating", value_range(schema::Slot::kRating, f.rating_min, f.rating_max));
  if (parts.empty()) return Xapian::Query();
  if (parts.size() == 1) return parts.front();
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

std::string describe(const Filters& f) {
  std::string out;
  auto list = [&](std::string_view name, const std::vector<std::string>& values) {
    if (values.empty()) return;
    if (!out.empty()) out += ' ';
    out += name;
    out += ':';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out += '|';
      out += text::Analyzer::fold(values[i]);
    }
  };
  auto range = [&](std::string_view name, std::optional<double> lo, std::optional<double> hi) {
    if (!lo && !hi) return;
    if (!out.empty()) out += ' ';
    out += name;
    out += ':';
    if (lo) out += fmt_number(*lo);
    out += "..";
    if (hi) out += fmt_number(*hi);
  };
  list("genre", f.genres);
  range("year", f.year_min ? std::optional<double>(*f.year_min) : std::nullopt,
        f.year_max ? std::optional<double>(*f.year_max) : std::nullopt);
  list("decade", f.decades);
  range("rating", f.rating_min, f.rating_max);
  list("type", f.types);
  list("kind", f.kinds);
  list("lang", f.langs);
  return out;
}

}  // namespace filmsearch::search
