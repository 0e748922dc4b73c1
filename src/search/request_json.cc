#include "search/request_json.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "index/schema.h"

namespace filmsearch::search {
namespace {

using Json = nlohmann::ordered_json;

std::string_view type_of(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

int integer(const Json& v, const std::string& field, int min) {
  if (!v.is_number_integer()) {
    throw RequestError(field, "expected an integer, got " + std::string(type_of(v)));
  }
  // Compared as 64-bit, so 1e12 or -1e12 is refused rather than wrapped.
  const auto value = v.get<std::int64_t>();
  if (value < min) throw RequestError(field, "must be at least " + std::to_string(min));
  if (value > std::numeric_limits<int>::max()) throw RequestError(field, "too large");
  return static_cast<int>(value);
}

std::string string(const Json& v, const std::string& field) {
  if (!v.is_string()) throw RequestError(field, "expected a string, got " + std::string(type_of(v)));
  return v.get<std::string>();
}

// A string or an array of strings; a string with commas is one value (genres have no commas,
// but a filter value is never split behind the caller's back).
void strings(const Json& v, const std::string& field, std::vector<std::string>* to) {
  if (v.is_string()) {
    to->push_back(v.get<std::string>());
    return;
  }
  if (!v.is_array()) {
    throw RequestError(field, "expected a string or an array of strings, got " +
                                  std::string(type_of(v)));
  }
  for (const auto& item : v) to->push_back(string(item, field));
}

// One value of filter `field` ("genre", "year") through add_filter, the reader of every filter
// (flags, query text, JSON): a value with a sensible reading ("decade": "40s", "type": "movie")
// is applied and its note kept; one without is a RequestError naming the field.
void add_filter_value(const std::string& field, const std::string& path, const Json& v,
                      Filters* out, std::vector<std::string>* notes) {
  const index::schema::Field* schema_field = index::schema::find_field(field);
  const bool numeric = schema_field != nullptr && schema_field->numeric;
  std::string value;
  if (v.is_string()) {
    value = v.get<std::string>();
  } else if (numeric && v.is_number()) {
    value = v.dump();
  } else {
    throw RequestError(path, std::string(numeric ? "expected a number or a string" : "expected a string") +
                                 ", got " + std::string(type_of(v)));
  }
  const FilterReading reading = add_filter(field, value, out);
  if (!reading.applied) throw RequestError(path, reading.note);
  if (!reading.note.empty() && notes != nullptr) notes->push_back(reading.note);
}

std::string filter_field_names() {
  std::string names;
  for (const auto& f : index::schema::kFields) {
    if (!f.has(index::schema::FieldRole::kFilter)) continue;
    names += names.empty() ? "" : ", ";
    names += f.name;
  }
  return names + ", year_min, year_max";
}

Filters filters_from_json(const Json& f, std::vector<std::string>* notes) {
  if (!f.is_object()) throw RequestError("filters", "expected an object, got " + std::string(type_of(f)));
  Filters out;
  for (const auto& [key, v] : f.items()) {
    const std::string path = "filters." + key;
    if (key == "year_min" || key == "year_max") {
      if (!v.is_string() && !v.is_number()) {
        throw RequestError(path, "expected a number or a string, got " + std::string(type_of(v)));
      }
      const std::string year = v.is_string() ? v.get<std::string>() : v.dump();
      add_filter_value("year", path, key == "year_min" ? year + ".." : ".." + year, &out, notes);
      continue;
    }
    const index::schema::Field* field = index::schema::find_field(key);
    if (field == nullptr || !field->has(index::schema::FieldRole::kFilter)) {
      throw RequestError(path, "unknown filter (" + filter_field_names() + ")");
    }
    if (v.is_array()) {
      for (const auto& item : v) add_filter_value(key, path, item, &out, notes);
    } else {
      add_filter_value(key, path, v, &out, notes);
    }
  }
  return out;
}

// 1948 as "1948", 7.5 as "7.5": a range bound as a filter value reads it back.
std::string number_text(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return Json(v).dump();
}

std::vector<std::string> facets_from_json(const Json& v) {
  std::vector<std::string> names;
  if (v.is_string()) {
    names = facet_list(v.get<std::string>());
  } else {
    strings(v, "facets", &names);
  }
  for (const auto& name : names) {
    if (!is_facet(name)) {
      throw RequestError("facets", "unknown facet \"" + name +
                                       "\" (genre, year, decade, type, kind, lang)");
    }
  }
  return names;
}

}  // namespace

SearchRequest request_from_json(const nlohmann::ordered_json& j, const SearchRequest& defaults,
                                const RequestJsonOptions& options) {
  if (!j.is_object()) throw RequestError("", "expected a JSON object, got " + std::string(type_of(j)));
  SearchRequest r = defaults;
  for (const auto& [key, v] : j.items()) {
    bool skip = false;
    for (auto name : options.ignored) skip = skip || key == name;
    if (skip) continue;
    if (key == "query") r.query = string(v, key);
    else if (key == "filters") r.filters.merge(filters_from_json(v, &r.notes));
    else if (key == "facets") r.facets = facets_from_json(v);
    else if (key == "facet_top") r.facet_top = integer(v, key, 1);
    else if (key == "limit") r.limit = integer(v, key, 0);
    else if (key == "offset") r.offset = integer(v, key, 0);
    else if (key == "snippets") r.snippets = integer(v, key, 0);
    else if (key == "typos") r.typos = integer(v, key, 0);
    else if (key == "prefix_last") {
      if (!v.is_boolean()) throw RequestError(key, "expected true or false, got " + std::string(type_of(v)));
      r.prefix_last = v.get<bool>();
    }
    else if (key == "sort") {
      if (!parse_sort(string(v, key), &r.sort)) {
        throw RequestError(key, "expected relevance, year, -year, rating or title");
      }
    } else if (key == "spoilers") {
      if (!parse_spoiler_mode(string(v, key), &r.spoilers)) {
        throw RequestError(key, "expected tag, hide, exclude or show");
      }
    } else if (key == "group_by") {
      if (!parse_group_by(string(v, key), &r.group_by)) {
        throw RequestError(key, "expected film, document or section");
      }
    } else if (options.unknown_keys_are_errors) {
      throw RequestError(key, "unknown field (query, filters, facets, facet_top, limit, offset, "
                              "snippets, typos, prefix_last, sort, spoilers, group_by)");
    }
  }
  return r;
}

nlohmann::ordered_json request_to_json(const SearchRequest& r) {
  static constexpr const char* kSorts[] = {"relevance", "year", "-year", "rating", "title"};
  static constexpr const char* kGroups[] = {"film", "document", "section"};
  Json filters = Json::object();
  for (const auto& [field, values] : r.filters.values) filters[field] = values;
  for (const auto& [field, range] : r.filters.ranges) {
    if (range.lo && range.hi && *range.lo == *range.hi) {
      filters[field] = number_text(*range.lo);
    } else {
      filters[field] = (range.lo ? number_text(*range.lo) : "") + ".." +
                       (range.hi ? number_text(*range.hi) : "");
    }
  }
  return {{"query", r.query},
          {"filters", filters},
          {"facets", r.facets},
          {"facet_top", r.facet_top},
          {"limit", r.limit},
          {"offset", r.offset},
          {"snippets", r.snippets},
          {"typos", r.typos},
          {"prefix_last", r.prefix_last},
          {"sort", kSorts[static_cast<int>(r.sort)]},
          {"spoilers", std::string(spoiler_mode_name(r.spoilers))},
          {"group_by", kGroups[static_cast<int>(r.group_by)]}};
}

}  // namespace filmsearch::search
