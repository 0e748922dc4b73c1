#include "corpus/record_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>

#include "corpus/spoilers.h"
#include "corpus/values.h"
#include "error.h"

namespace filmsearch::corpus {
namespace {

using Json = nlohmann::json;
// What record_to_json writes: keys in the order written (id and type first), as people read.
using WrittenJson = nlohmann::ordered_json;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

template <typename T>
std::optional<T> parse_number(std::string_view s) {
  s = trim_ascii_space(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value)) return std::nullopt;
  }
  return value;
}

// An integer written as an integer, a whole float ("1948.0") or digits with thousands
// separators ("12,345") when `allow_commas`.
std::optional<std::int64_t> parse_integer_text(std::string_view s, bool allow_commas) {
  s = trim_ascii_space(s);
  if (auto v = parse_number<std::int64_t>(s)) return v;
  if (auto d = parse_number<double>(s)) {
    if (std::floor(*d) == *d && std::fabs(*d) < 9e15) return static_cast<std::int64_t>(*d);
    return std::nullopt;
  }
  if (allow_commas && s.find(',') != std::string_view::npos) {
    std::string digits;
    for (char c : s) {
      if (c != ',') digits += c;
    }
    return parse_number<std::int64_t>(digits);
  }
  return std::nullopt;
}

// "8.1", "8.1/10".
std::optional<double> parse_rating_text(std::string_view s) {
  s = trim_ascii_space(s);
  if (s.size() > 3 && s.substr(s.size() - 3) == "/10") s.remove_suffix(3);
  return parse_number<double>(s);
}

bool is_cont(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string render_spans(const std::vector<SpoilerSpan>& spans) {
  std::string out;
  for (const auto& s : spans) {
    out += "[" + std::to_string(s.begin) + "," + std::to_string(s.end) + ")";
  }
  return out.empty() ? "none" : out;
}

// Reads one record; `J` is `Json` (strings are moved out) or `const Json` (copied).
template <typename J>
class RecordReader {
 public:
  RecordReader(const std::string& origin, std::vector<Diagnostic>* warnings,
               const RecordJsonOptions& options)
      : origin_(origin), warnings_(warnings), options_(options) {
    const auto colon = origin.rfind(':');
    if (colon != std::string::npos && colon + 1 < origin.size() &&
        std::all_of(origin.begin() + colon + 1, origin.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      source_ = origin.substr(0, colon);
      line_ = std::stoull(origin.substr(colon + 1));
    } else {
      source_ = origin;
    }
  }

  Record read(J& j) {
    if (!j.is_object()) fail("", std::string("a record must be a JSON object, not ") + j.type_name());
    Record r;
    r.origin = origin_;

    if (auto it = j.find("id"); it != j.end() && !it->is_null()) {
      if (!it->is_string() && !it->is_number()) fail("id", "must be a string");
      r.id = take_string(*it, "id");
    }
    read_string(j, "film_id", r.film_id);
    read_string(j, "title", r.title);
    read_string(j, "lang", r.lang);
    read_string(j, "source", r.source);
    read_string(j, "author", r.author);
    read_string(j, "date", r.date);
    read_string(j, "url", r.url);

    const auto text_it = j.find("text");
    const bool has_text = text_it != j.end() && !text_it->is_null();
    if (auto it = j.find("type"); it != j.end() && !it->is_null()) {
      if (!it->is_string()) fail("type", "must be a string: film, review or article");
      const auto type =
          parse_type(lower_ascii(trim_ascii_space(it->template get_ref<const std::string&>())));
      if (!type) {
        fail("type", "unknown type \"" + it->template get<std::string>() +
                         "\" (expected film, review or article)");
      }
      r.type = *type;
    } else if (has_text && !r.film_id.empty()) {
      r.type = RecordType::kReview;
    }

    if (r.id.empty()) {
      r.id = derived_id(origin_);
      if (options_.report_derived_id) warn("id", "record has no id; using " + r.id);
    }
    if (r.type == RecordType::kFilm && r.film_id.empty()) r.film_id = r.id;
    if (r.type == RecordType::kReview && r.film_id.empty()) {
      warn("film_id", "review has no film_id; it belongs to no film");
    }

    read_int(j, "year", r.year, parse_year);
    read_int(j, "runtime_min", r.runtime_min, parse_runtime);
    if (auto it = j.find("votes"); it != j.end() && !it->is_null()) {
      if (auto v = integer_of(*it, "votes", [](std::string_view s) {
            return parse_integer_text(s, true);
          })) {
        r.votes = *v;
      }
    }
    if (auto it = j.find("rating"); it != j.end() && !it->is_null()) {
      if (it->is_number()) {
        r.rating = it->template get<double>();
      } else if (auto v = it->is_string()
                              ? parse_rating_text(it->template get_ref<const std::string&>())
                              : std::nullopt) {
        r.rating = *v;
        coerced("rating", "a string");
      } else {
        dropped("rating", *it, "a number");
      }
    }
    read_list(j, "genres", r.genres);
    read_list(j, "directors", r.directors);
    read_list(j, "cast", r.cast);
    read_list(j, "topics", r.topics);

    const SectionKind default_kind = r.type == RecordType::kReview    ? SectionKind::kReview
                                     : r.type == RecordType::kArticle ? SectionKind::kArticle
                                                                      : SectionKind::kOther;
    if (has_text) {
      // A record's own "text": a review's review, an article's body, a film's synopsis.
      Section s;
      s.kind = r.type == RecordType::kFilm ? SectionKind::kSynopsis : default_kind;
      if (!text_it->is_string() && !text_it->is_number()) fail("text", "must be a string");
      s.text = take_string(*text_it, "text");
      read_spoilers(j, s, "");
      r.sections.push_back(std::move(s));
    }
    if (auto it = j.find("sections"); it != j.end() && !it->is_null()) {
      if (it->is_array()) {
        std::size_t n = 0;
        for (auto& element : *it) read_section(element, default_kind, n++, r.sections);
      } else if (it->is_object() || it->is_string()) {
        coerced("sections", std::string("a single ") + (it->is_object() ? "object" : "string"));
        read_section(*it, default_kind, 0, r.sections);
      } else {
        fail("sections", std::string("must be a list of sections, not ") + it->type_name());
      }
    }
    return r;
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw InputError(origin_, field.empty() ? message : "field \"" + field + "\": " + message);
  }

  void warn(const std::string& field, const std::string& message) {
    if (!warnings_) return;
    warnings_->push_back({Diagnostic::Severity::kWarning, source_, line_,
                          "field \"" + field + "\": " + message});
  }

  void coerced(const std::string& field, const std::string& from) {
    if (options_.report_coercions) warn(field, "converted from " + from);
  }

  void dropped(const std::string& field, const Json& value, const std::string& expected) {
    std::string shown = value.dump();
    if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
    warn(field, "expected " + expected + ", got " + shown + "; ignored");
  }

  std::string take_string(J& v, const std::string& field) {
    if (v.is_string()) {
      if constexpr (std::is_const_v<J>) {
        return v.template get<std::string>();
      } else {
        return std::move(v.template get_ref<std::string&>());
      }
    }
    coerced(field, "a number");
    return v.dump();
  }

  void read_string(J& j, const char* key, std::string& out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    if (it->is_string() || it->is_number()) {
      out = take_string(*it, key);
    } else {
      dropped(key, *it, "a string");
    }
  }

  template <typename Parse>
  std::optional<std::int64_t> integer_of(const Json& v, const std::string& field, Parse parse) {
    if (v.is_number_integer()) return v.template get<std::int64_t>();
    if (v.is_number_float()) {
      const double d = v.template get<double>();
      if (std::floor(d) == d && std::fabs(d) < 9e15) {
        coerced(field, "a float");
        return static_cast<std::int64_t>(d);
      }
    } else if (v.is_string()) {
      if (auto parsed = parse(v.template get_ref<const std::string&>())) {
        coerced(field, "a string");
        return parsed;
      }
    }
    dropped(field, v, "a whole number");
    return std::nullopt;
  }

  template <typename Parse>
  void read_int(J& j, const char* key, std::optional<int>& out, Parse parse) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    if (auto v = integer_of(*it, key, parse)) {
      if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
        dropped(key, *it, "a whole number in range");
        return;
      }
      out = static_cast<int>(*v);
    }
  }

  void read_list(J& j, const char* key, std::vector<std::string>& out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    if (it->is_string()) {
      coerced(key, "a single string");
      out = split_list(it->template get_ref<const std::string&>());
    } else if (it->is_array()) {
      out.reserve(it->size());
      for (auto& element : *it) {
        if (element.is_string() || element.is_number()) {
          out.push_back(take_string(element, key));
        } else if (!element.is_null()) {
          dropped(key, element, "a string in the list");
        }
      }
    } else {
      dropped(key, *it, "a list of strings");
    }
  }

  std::optional<bool> bool_of(const Json& v, const std::string& field) {
    if (v.is_boolean()) return v.template get<bool>();
    if (v.is_number_integer() && (v == 0 || v == 1)) {
      coerced(field, "a number");
      return v == 1;
    }
    if (v.is_string()) {
      const std::string s = lower_ascii(trim_ascii_space(v.template get_ref<const std::string&>()));
      if (s == "true" || s == "false") {
        coerced(field, "a string");
        return s == "true";
      }
    }
    if (!v.is_null()) dropped(field, v, "true or false");
    return std::nullopt;
  }

  // Applies "spoiler" and "spoiler_spans" of `obj` (a section, or the record for its "text") to
  // `section`. `prefix` names the fields in messages ("sections[2].").
  void read_spoilers(const J& obj, Section& section, const std::string& prefix) {
    const auto flag_it = obj.find("spoiler");
    const auto spans_it = obj.find("spoiler_spans");
    const auto possible_it = obj.find("possible_spoiler_spans");
    const bool has_flag = flag_it != obj.end() && !flag_it->is_null();
    const bool has_spans = spans_it != obj.end() && !spans_it->is_null();
    const bool has_possible = possible_it != obj.end() && !possible_it->is_null();
    std::optional<bool> whole;
    if (has_flag) whole = bool_of(*flag_it, prefix + "spoiler");
    // An explicit flag or list wins over the spoiler policy (corpus/spoilers.h).
    section.spoilers_given = whole.has_value() || has_spans || has_possible;
    if (whole.value_or(false)) {
      if (!section.text.empty()) section.spoiler_spans = {{0, section.text.size()}};
      return;
    }
    if (has_spans) read_spans(*spans_it, section, prefix + "spoiler_spans", section.spoiler_spans);
    if (has_possible) {
      std::vector<SpoilerSpan> possible;
      read_spans(*possible_it, section, prefix + "possible_spoiler_spans", possible);
      std::vector<SpoilerSpan> kept;
      for (const SpoilerSpan& p : possible) {
        if (!overlaps_spoiler(section.spoiler_spans, p.begin, p.end)) kept.push_back(p);
      }
      section.possible_spoiler_spans = std::move(kept);
    }
  }

  // Reads a list of [begin, end] or [begin, end, confidence] pairs (or {"begin", "end",
  // "confidence"} objects) into `out`: clamped, widened to whole UTF-8 characters, merged.
  void read_spans(const Json& v, const Section& section, const std::string& field,
                  std::vector<SpoilerSpan>& out) {
    if (!v.is_array()) {
      dropped(field, v, "a list of [begin, end] pairs");
      return;
    }
    std::vector<SpoilerSpan> given;
    for (const auto& element : v) {
      std::optional<std::int64_t> b, e;
      float confidence = 1.0F;
      const auto as_offset = [](const Json& x) -> std::optional<std::int64_t> {
        if (x.is_number_integer()) return x.get<std::int64_t>();
        // A whole float within int64 ("12.0"); 6.7e97 is no offset (found by
        // fuzz/record_json_fuzzer: converting it was undefined behaviour).
        const double d = x.is_number_float() ? x.get<double>() : 0.5;
        if (std::floor(d) == d && std::fabs(d) < 9.0e18) return static_cast<std::int64_t>(d);
        return std::nullopt;
      };
      const auto as_confidence = [&](const Json& x) {
        const double c = x.is_number() ? x.get<double>() : -1.0;
        if (c >= 0.0 && c <= 1.0) {
          confidence = static_cast<float>(c);
        } else {
          dropped(field, x, "a confidence between 0 and 1");
        }
      };
      if (element.is_array() && (element.size() == 2 || element.size() == 3)) {
        b = as_offset(element[0]);
        e = as_offset(element[1]);
        if (element.size() == 3) as_confidence(element[2]);
      } else if (element.is_object() && element.contains("begin") && element.contains("end")) {
        b = as_offset(element["begin"]);
        e = as_offset(element["end"]);
        if (element.contains("confidence")) as_confidence(element["confidence"]);
      }
      if (!b || !e || *b < 0 || *e < *b) {
        dropped(field, element, "a [begin, end] pair with 0 <= begin <= end");
        continue;
      }
      given.push_back({static_cast<std::size_t>(*b), static_cast<std::size_t>(*e), confidence});
    }
    // Clamp, widen to whole UTF-8 characters, then the one merge (corpus/spoilers.h).
    const std::string& text = section.text;
    std::vector<SpoilerSpan> spans;
    for (SpoilerSpan s : given) {
      s.begin = std::min(s.begin, text.size());
      s.end = std::min(s.end, text.size());
      while (s.begin > 0 && s.begin < text.size() && is_cont(text[s.begin])) --s.begin;
      while (s.end < text.size() && is_cont(text[s.end])) ++s.end;
      if (s.begin < s.end) spans.push_back(s);
    }
    std::vector<SpoilerSpan> merged = merge_spoiler_spans(std::move(spans));
    if (merged != given) {
      warn(field, "repaired " + render_spans(given) + " to " + render_spans(merged) +
                      " (text is " + std::to_string(text.size()) + " bytes)");
    }
    out = std::move(merged);
  }

  void read_section(J& v, SectionKind default_kind, std::size_t index,
                    std::vector<Section>& out) {
    const std::string prefix = "sections[" + std::to_string(index) + "].";
    Section s;
    s.kind = default_kind;
    if (v.is_string()) {
      coerced("sections[" + std::to_string(index) + "]", "a string");
      s.text = take_string(v, prefix + "text");
      out.push_back(std::move(s));
      return;
    }
    if (!v.is_object()) {
      dropped("sections[" + std::to_string(index) + "]", v, "a section object");
      return;
    }
    if (auto it = v.find("kind"); it != v.end() && !it->is_null()) {
      std::optional<SectionKind> kind;
      if (it->is_string())
        kind =
            parse_kind(lower_ascii(trim_ascii_space(it->template get_ref<const std::string&>())));
      if (kind) {
        s.kind = *kind;
      } else {
        dropped(prefix + "kind", *it, "a section kind");
        s.kind = SectionKind::kOther;
      }
    }
    auto text_it = v.find("text");
    if (text_it == v.end() || !(text_it->is_string() || text_it->is_number())) {
      warn(prefix + "text", "section has no text; section skipped");
      return;
    }
    s.text = take_string(*text_it, prefix + "text");
    read_string(v, "heading", s.heading);
    read_string(v, "speaker", s.speaker);
    read_string(v, "author", s.author);
    read_string(v, "source", s.source);
    read_string(v, "date", s.date);
    if (auto it = v.find("ranked"); it != v.end() && !it->is_null()) {
      if (auto b = bool_of(*it, prefix + "ranked")) s.ranked = *b;
    }
    read_spoilers(v, s, prefix);
    out.push_back(std::move(s));
  }

  const std::string& origin_;
  std::vector<Diagnostic>* warnings_;
  const RecordJsonOptions& options_;
  std::string source_;
  std::size_t line_ = 0;
};

WrittenJson spans_json(const std::vector<SpoilerSpan>& spans) {
  WrittenJson out = WrittenJson::array();
  for (const auto& span : spans) {
    if (span.confidence >= 1.0F) {
      out.push_back({span.begin, span.end});
    } else {
      // Three decimals: enough to rank by, and stable in dumps.
      out.push_back({span.begin, span.end, std::round(span.confidence * 1000.0F) / 1000.0});
    }
  }
  return out;
}

// Written so that reading it back gives the same spans: listed spans are read as given.
void write_spoilers(const Section& s, WrittenJson& out) {
  if (s.all_spoiler() && s.spoiler_spans[0].confidence >= 1.0F) {
    out["spoiler"] = true;
  } else if (!s.spoiler_spans.empty()) {
    out["spoiler_spans"] = spans_json(s.spoiler_spans);
  }
  if (!s.possible_spoiler_spans.empty()) {
    out["possible_spoiler_spans"] = spans_json(s.possible_spoiler_spans);
  } else if (s.spoiler_spans.empty() && s.spoilers_given) {
    out["spoiler"] = false;
  }
}

void put(WrittenJson& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

void put(WrittenJson& j, const char* key, const std::vector<std::string>& value) {
  if (!value.empty()) j[key] = value;
}

}  // namespace

std::string derived_id(const std::string& origin) {
  std::string source = origin;
  std::string line;
  const auto colon = origin.rfind(':');
  if (colon != std::string::npos && colon + 1 < origin.size() &&
      std::all_of(origin.begin() + colon + 1, origin.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    source = origin.substr(0, colon);
    line = origin.substr(colon + 1);
  }
  std::string stem = source.substr(source.rfind('/') == std::string::npos ? 0 : source.rfind('/') + 1);
  for (const char* z : {".gz", ".xz"}) {
    if (stem.size() > 3 && stem.ends_with(z)) stem.resize(stem.size() - 3);
  }
  if (const auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
  if (stem == "-" || stem.empty()) stem = "stdin";
  return "auto:" + stem + (line.empty() ? "" : ":" + line);
}

Record record_from_json(const nlohmann::json& j, const std::string& origin,
                        std::vector<Diagnostic>* warnings, const RecordJsonOptions& options) {
  return RecordReader<const Json>(origin, warnings, options).read(j);
}

Record record_from_json(nlohmann::json&& j, const std::string& origin,
                        std::vector<Diagnostic>* warnings, const RecordJsonOptions& options) {
  return RecordReader<Json>(origin, warnings, options).read(j);
}

nlohmann::ordered_json record_to_json(const Record& r) {
  WrittenJson j = WrittenJson::object();
  j["id"] = r.id;
  j["type"] = std::string(type_name(r.type));
  if (!r.film_id.empty() && !(r.type == RecordType::kFilm && r.film_id == r.id)) {
    j["film_id"] = r.film_id;
  }
  put(j, "title", r.title);
  if (r.year) j["year"] = *r.year;
  put(j, "genres", r.genres);
  put(j, "directors", r.directors);
  put(j, "cast", r.cast);
  put(j, "topics", r.topics);
  if (r.runtime_min) j["runtime_min"] = *r.runtime_min;
  if (r.rating) j["rating"] = *r.rating;
  if (r.votes) j["votes"] = *r.votes;
  put(j, "lang", r.lang);
  put(j, "source", r.source);
  put(j, "author", r.author);
  put(j, "date", r.date);
  put(j, "url", r.url);

  const bool review_text = r.type == RecordType::kReview && r.sections.size() == 1 &&
                           r.sections[0].kind == SectionKind::kReview &&
                           r.sections[0].heading.empty() && r.sections[0].speaker.empty() &&
                           r.sections[0].author.empty() && r.sections[0].source.empty() &&
                           r.sections[0].date.empty() && r.sections[0].ranked;
  if (review_text) {
    j["text"] = r.sections[0].text;
    write_spoilers(r.sections[0], j);
  } else if (!r.sections.empty()) {
    WrittenJson sections = WrittenJson::array();
    for (const Section& s : r.sections) {
      WrittenJson o = WrittenJson::object();
      o["kind"] = std::string(kind_name(s.kind));
      put(o, "heading", s.heading);
      o["text"] = s.text;
      put(o, "speaker", s.speaker);
      put(o, "author", s.author);
      put(o, "source", s.source);
      put(o, "date", s.date);
      write_spoilers(s, o);
      if (!s.ranked) o["ranked"] = false;
      sections.push_back(std::move(o));
    }
    j["sections"] = std::move(sections);
  }
  return j;
}

}  // namespace filmsearch::corpus
