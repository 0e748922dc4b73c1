#include "search/filters.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "index/schema.h"
#include "text/analyzer.h"
#include "text/language.h"

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

Xapian::Query value_range(schema::Slot slot, const NumberRange& r) {
  const Xapian::valueno s = schema::slot(slot);
  if (r.lo && r.hi) {
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, s, Xapian::sortable_serialise(*r.lo),
                         Xapian::sortable_serialise(*r.hi));
  }
  if (r.lo) return Xapian::Query(Xapian::Query::OP_VALUE_GE, s, Xapian::sortable_serialise(*r.lo));
  if (r.hi) return Xapian::Query(Xapian::Query::OP_VALUE_LE, s, Xapian::sortable_serialise(*r.hi));
  return Xapian::Query();
}

std::string fmt_number(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// "1948", "7.5": nullopt unless the whole text is a finite number of sane size.
std::optional<double> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  std::string str(s);
  char* end = nullptr;
  double d = std::strtod(str.c_str(), &end);
  // "1e999", "inf", "nan": no number (found by fuzz/query_parser_fuzzer); nor a year past int.
  if (end != str.c_str() + str.size() || !std::isfinite(d) || std::fabs(d) >= 1e9) {
    return std::nullopt;
  }
  return d;
}

// "1940..1950", "1948", "..1950", "8..": nullopt when not a range of numbers.
std::optional<NumberRange> parse_range(std::string_view v) {
  NumberRange r;
  const std::size_t dots = v.find("..");
  if (dots == std::string_view::npos) {
    r.lo = r.hi = parse_number(v);
    if (!r.lo) return std::nullopt;
    return r;
  }
  std::string_view a = v.substr(0, dots), b = v.substr(dots + 2);
  if (!a.empty() && !(r.lo = parse_number(a))) return std::nullopt;
  if (!b.empty() && !(r.hi = parse_number(b))) return std::nullopt;
  if (!r.lo && !r.hi) return std::nullopt;
  return r;
}

// "1940s", "1940", "40s", "40": the decade's first year, or nullopt.
std::optional<int> parse_decade(std::string_view v) {
  if (!v.empty() && (v.back() == 's' || v.back() == 'S')) v.remove_suffix(1);
  if (!v.empty() && v.front() == '\'') v.remove_prefix(1);  // '40s
  if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  int year = std::atoi(std::string(v).c_str());
  if (v.size() == 2) year += year >= 30 ? 1900 : 2000;  // "40s": the 1940s; "10s": the 2010s
  if (v.size() != 2 && v.size() != 4) return std::nullopt;
  if (year % 10 != 0) return std::nullopt;
  return year;
}

std::string join_values(std::span<const std::string_view> values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? " or " : ", ";
    out += values[i];
  }
  return out;
}

// Words users write for a closed set's value: "movie" is a film.
std::string_view synonym(std::string_view field, std::string_view folded) {
  if (field == "type" && (folded == "movie" || folded == "movies" || folded == "films")) {
    return "film";
  }
  if (field == "type" && folded == "reviews") return "review";
  if (field == "type" && folded == "articles") return "article";
  if (field == "kind" && folded == "quotes") return "quote";
  return "";
}

const std::vector<std::string> kNoValues;

}  // namespace

bool Filters::empty() const {
  for (const auto& [field, list] : values) {
    if (!list.empty()) return false;
  }
  for (const auto& [field, r] : ranges) {
    if (r.lo || r.hi) return false;
  }
  return true;
}

bool Filters::has(std::string_view field) const {
  auto v = values.find(field);
  if (v != values.end() && !v->second.empty()) return true;
  auto r = ranges.find(field);
  return r != ranges.end() && (r->second.lo || r->second.hi);
}

const std::vector<std::string>& Filters::of(std::string_view field) const {
  auto v = values.find(field);
  return v == values.end() ? kNoValues : v->second;
}

void Filters::merge(const Filters& other) {
  for (const auto& [field, list] : other.values) {
    auto& to = values[field];
    to.insert(to.end(), list.begin(), list.end());
  }
  for (const auto& [field, r] : other.ranges) {
    NumberRange& to = ranges[field];
    if (r.lo) to.lo = to.lo ? std::max(*to.lo, *r.lo) : r.lo;
    if (r.hi) to.hi = to.hi ? std::min(*to.hi, *r.hi) : r.hi;
  }
}

FilterReading add_filter(std::string_view field_name, std::string_view value, Filters* filters) {
  FilterReading reading;
  const schema::Field* field = schema::find_field(field_name);
  if (field == nullptr || !field->has(schema::FieldRole::kFilter)) {
    reading.ok = false;
    reading.note = std::string(field_name) + " is not a filter";
    return reading;
  }
  const std::string name(field->name);
  const std::string written = name + ":" + std::string(value);
  auto fail = [&](std::string why) {
    reading.ok = false;
    reading.note = written + " " + why + " (" + std::string(field->help) + ")";
    return reading;
  };
  if (field->numeric) {
    auto r = parse_range(value);
    if (!r) return fail("is not a number or a range");
    if (r->lo && r->hi && *r->lo > *r->hi) {
      std::swap(r->lo, r->hi);
      reading.ok = false;
      reading.note = written + " is an empty range; read as " + name + ":" + fmt_number(*r->lo) +
                     ".." + fmt_number(*r->hi);
    }
    NumberRange& to = filters->ranges[name];
    if (r->lo) to.lo = to.lo ? std::max(*to.lo, *r->lo) : r->lo;
    if (r->hi) to.hi = to.hi ? std::min(*to.hi, *r->hi) : r->hi;
    reading.applied = true;
    return reading;
  }
  std::string folded = text::Analyzer::fold(value);
  if (folded.empty()) return fail("has no value");
  if (name == "decade") {
    auto start = parse_decade(folded);
    if (!start) return fail("is not a decade");
    folded = std::to_string(*start) + "s";
    if (folded != text::Analyzer::fold(value)) {
      reading.note = written + " read as decade:" + folded;
    }
  } else if (name == "lang") {
    auto code = text::normalize_language(value);
    if (!code || code->empty()) return fail("is not a language ICU knows");
    folded = *code;
  } else if (!field->values.empty()) {
    const auto known = [&](std::string_view v) {
      return std::find(field->values.begin(), field->values.end(), v) != field->values.end();
    };
    if (!known(folded)) {
      const std::string_view instead = synonym(name, folded);
      if (instead.empty()) return fail("is not a " + name);
      reading.ok = false;
      reading.note = written + " is not a " + name + " (" + join_values(field->values) +
                     "); read as " + name + ":" + std::string(instead);
      folded = std::string(instead);
    }
  } else {
    folded = std::string(value);  // as written: shown in describe(), folded when matched
  }
  filters->values[name].push_back(std::move(folded));
  reading.applied = true;
  return reading;
}

Xapian::Query filter_query(const Filters& f, std::string_view except) {
  std::vector<Xapian::Query> parts;
  for (const auto& field : schema::kFields) {
    if (!field.has(schema::FieldRole::kFilter) || field.name == except) continue;
    Xapian::Query q;
    if (field.numeric) {
      auto r = f.ranges.find(field.name);
      if (r != f.ranges.end() && field.slot) q = value_range(*field.slot, r->second);
    } else {
      q = any_of(field.prefix, f.of(field.name));
    }
    if (!q.empty()) parts.push_back(std::move(q));
  }
  if (parts.empty()) return Xapian::Query();
  if (parts.size() == 1) return parts.front();
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

std::string describe(const Filters& f) {
  std::string out;
  for (const auto& field : schema::kFields) {
    if (!f.has(field.name)) continue;
    if (!out.empty()) out += ' ';
    out += field.name;
    out += ':';
    if (field.numeric) {
      const NumberRange& r = f.ranges.find(field.name)->second;
      if (r.lo) out += fmt_number(*r.lo);
      out += "..";
      if (r.hi) out += fmt_number(*r.hi);
      continue;
    }
    const auto& values = f.of(field.name);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out += '|';
      out += text::Analyzer::fold(values[i]);
    }
  }
  return out;
}

}  // namespace filmsearch::search
