#include "search/request_json.h"

#include <charconv>
#include <limits>

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

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

Filters filters_from_json(const Json& f) {
  if (!f.is_object()) throw RequestError("filters", "expected an object, got " + std::string(type_of(f)));
  Filters out;
  for (const auto& [key, v] : f.items()) {
    const std::string field = "filters." + key;
    if (key == "genre") strings(v, field, &out.genres);
    else if (key == "decade") strings(v, field, &out.decades);
    else if (key == "type") strings(v, field, &out.types);
    else if (key == "kind") strings(v, field, &out.kinds);
    else if (key == "lang") strings(v, field, &out.langs);
    else if (key == "year_min" || key == "year_max") {
      std::optional<int> year = v.is_string() ? parse_int(v.get<std::string>()) : std::nullopt;
      if (!year) year = integer(v, field, std::numeric_limits<int>::min());
      (key == "year_min" ? out.year_min : out.year_max) = year;
    } else if (key == "year") {
      if (v.is_number_integer()) {
        out.year_min = out.year_max = integer(v, field, std::numeric_limits<int>::min());
      } else if (!v.is_string() || !parse_year_range(v.get<std::string>(), &out)) {
        throw RequestError(field, "expected a year or a range such as 1940..1950");
      }
    } else {
      throw RequestError(field, "unknown filter (genre, year, year_min, year_max, decade, type, "
                                "kind, lang)");
    }
  }
  return out;
}

std::vector<std::string> facets_from_json(const Json& v) {
  std::vector<std::string> names;
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t end = s.find(',', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) names.push_back(s.substr(start, end - start));
      start = end + 1;
    }
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

bool parse_year_range(std::string_view text, Filters* filters) {
  const std::size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    auto year = parse_int(text);
    if (!year) return false;
    filters->year_min = filters->year_max = *year;
    return true;
  }
  std::optional<int> low, high;
  if (dots > 0 && !(low = parse_int(text.substr(0, dots)))) return false;
  if (dots + 2 < text.size() && !(high = parse_int(text.substr(dots + 2)))) return false;
  if (!low && !high) return false;  // ".." alone
  if (low) filters->year_min = low;
  if (high) filters->year_max = high;
  return true;
}

SearchRequest request_from_json(const nlohmann::ordered_json& j, const SearchRequest& defaults,
                                const RequestJsonOptions& options) {
  if (!j.is_object()) throw RequestError("", "expected a JSON object, got " + std::string(type_of(j)));
  SearchRequest r = defaults;
  for (const auto& [key, v] : j.items()) {
    bool skip = false;
    for (auto name : options.ignored) skip = skip || key == name;
    if (skip) continue;
    if (key == "query") r.query = string(v, key);
    else if (key == "filters") r.filters.merge(filters_from_json(v));
    else if (key == "facets") r.facets = facets_from_json(v);
    else if (key == "facet_top") r.facet_top = integer(v, key, 1);
    else if (key == "limit") r.limit = integer(v, key, 0);
    else if (key == "offset") r.offset = integer(v, key, 0);
    else if (key == "snippets") r.snippets = integer(v, key, 0);
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
                              "snippets, sort, spoilers, group_by)");
    }
  }
  return r;
}

nlohmann::ordered_json request_to_json(const SearchRequest& r) {
  static constexpr const char* kSorts[] = {"relevance", "year", "-year", "rating", "title"};
  static constexpr const char* kGroups[] = {"film", "document", "section"};
  Json filters = Json::object();
  if (!r.filters.genres.empty()) filters["genre"] = r.filters.genres;
  if (r.filters.year_min) filters["year_min"] = *r.filters.year_min;
  if (r.filters.year_max) filters["year_max"] = *r.filters.year_max;
  if (!r.filters.decades.empty()) filters["decade"] = r.filters.decades;
  if (!r.filters.types.empty()) filters["type"] = r.filters.types;
  if (!r.filters.kinds.empty()) filters["kind"] = r.filters.kinds;
  if (!r.filters.langs.empty()) filters["lang"] = r.filters.langs;
  return {{"query", r.query},
          {"filters", filters},
          {"facets", r.facets},
          {"facet_top", r.facet_top},
          {"limit", r.limit},
          {"offset", r.offset},
          {"snippets", r.snippets},
          {"sort", kSorts[static_cast<int>(r.sort)]},
          {"spoilers", std::string(spoiler_mode_name(r.spoilers))},
          {"group_by", kGroups[static_cast<int>(r.group_by)]}};
}

}  // namespace filmsearch::search
