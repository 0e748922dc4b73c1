#include "search/render.h"

#include <cmath>
#include <cstdio>

namespace filmsearch::search {
namespace {

// Scores and times with a few significant digits, so JSON stays short and stable.
double round_to(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

nlohmann::ordered_json to_json(const SearchResult& result, std::string_view query) {
  nlohmann::ordered_json j;
  j["query"] = std::string(query);
  j["total"] = result.total;
  j["total_exact"] = result.total_exact;
  nlohmann::ordered_json hits = nlohmann::ordered_json::array();
  for (const auto& h : result.hits) {
    nlohmann::ordered_json hit;
    hit["id"] = h.id;
    hit["film_id"] = h.film_id;
    hit["type"] = h.type;
    hit["title"] = h.title;
    hit["year"] = h.year ? nlohmann::ordered_json(*h.year) : nlohmann::ordered_json(nullptr);
    hit["genres"] = h.genres;
    hit["rating"] = h.rating ? nlohmann::ordered_json(*h.rating) : nlohmann::ordered_json(nullptr);
    hit["votes"] = h.votes ? nlohmann::ordered_json(*h.votes) : nlohmann::ordered_json(nullptr);
    hit["runtime"] =
        h.runtime ? nlohmann::ordered_json(*h.runtime) : nlohmann::ordered_json(nullptr);
    hit["directors"] = h.directors;
    hit["cast"] = h.cast;
    hit["score"] = round_to(h.score, 1e4);
    nlohmann::ordered_json snippets = nlohmann::ordered_json::array();
    for (const auto& s : h.snippets) {
      nlohmann::ordered_json highlights = nlohmann::ordered_json::array();
      for (const auto& [b, e] : s.highlights) highlights.push_back({b, e});
      snippets.push_back({{"text", s.text},
                          {"highlights", highlights},
                          {"section", std::string(corpus::kind_name(s.section))},
                          {"heading", s.heading},
                          {"spoiler", s.spoiler}});
    }
    hit["snippets"] = std::move(snippets);
    hit["hidden_spoiler_match"] = h.hidden_spoiler_match;
    hits.push_back(std::move(hit));
  }
  j["hits"] = std::move(hits);
  nlohmann::ordered_json facets = nlohmann::ordered_json::object();
  for (const auto& [name, counts] : result.facets) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (const auto& v : counts.values) values.push_back({{"value", v.value}, {"count", v.count}});
    facets[name] = {{"values", values}, {"distinct", counts.distinct}};
  }
  j["facets"] = std::move(facets);
  j["did_you_mean"] =
      result.did_you_mean.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(result.did_you_mean);
  j["notes"] = result.notes;
  j["took_ms"] = round_to(result.took_ms, 1e3);
  return j;
}

std::string dump_line(const nlohmann::ordered_json& json) {
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

namespace {

// The first `most` of `names`, with ", …" when there are more.
std::string join(const std::vector<std::string>& names, std::size_t most) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < most; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > most) out += ", …";
  return out;
}

}  // namespace

void render_record_text(const corpus::Record& r, const TextStyle& style, std::ostream& out) {
  const char* bold = style.colour ? "\x1b[1m" : "";
  const char* reset = style.colour ? "\x1b[0m" : "";
  const char* yellow = style.colour ? "\x1b[33m" : "";
  const char* dim = style.colour ? "\x1b[2m" : "";
  out << bold << (r.title.empty() ? r.id : r.title) << reset;
  if (r.year) out << " (" << *r.year << ')';
  out << dim << "  " << corpus::type_name(r.type) << ' ' << r.id;
  for (std::size_t i = 0; i < r.genres.size(); ++i) out << (i ? ", " : " · ") << r.genres[i];
  out << reset << '\n';
  auto line = [&](const char* label, const std::string& value) {
    if (!value.empty()) out << dim << label << ": " << reset << value << '\n';
  };
  if (r.film_id != r.id) line("film", r.film_id);
  line("directed by", join(r.directors, r.directors.size()));
  line("cast", join(r.cast, r.cast.size()));
  line("topics", join(r.topics, r.topics.size()));
  if (r.runtime_min) line("runtime", std::to_string(*r.runtime_min) + " min");
  if (r.rating) {
    line("rating", fixed(*r.rating, 1) + (r.votes ? " (" + std::to_string(*r.votes) + " votes)" : ""));
  }
  line("language", r.lang);
  line("source", r.source);
  line("author", r.author);
  line("date", r.date);
  line("url", r.url);
  for (const auto& s : r.sections) {
    out << '\n' << dim << '[' << corpus::kind_name(s.kind);
    if (!s.heading.empty()) out << ": " << s.heading;
    if (!s.ranked) out << ", not searched";
    out << ']' << reset << '\n';
    std::size_t at = 0;
    for (const auto& span : s.spoiler_spans) {
      if (span.begin < at || span.end > s.text.size()) continue;
      out.write(s.text.data() + at, static_cast<std::streamsize>(span.begin - at));
      if (style.mask_spoilers) {
        out << yellow << "[spoiler hidden: --spoilers show to read it]" << reset;
      } else if (style.mark_spoilers) {
        out << yellow << "[spoiler]" << reset << s.text.substr(span.begin, span.end - span.begin)
            << yellow << "[/spoiler]" << reset;
      } else {
        out << s.text.substr(span.begin, span.end - span.begin);
      }
      at = span.end;
    }
    out << s.text.substr(at) << '\n';
  }
}

void render_text(const SearchResult& result, std::string_view query, const TextStyle& style,
                 std::ostream& out) {
  const char* bold = style.colour ? "\x1b[1m" : "";
  const char* reset = style.colour ? "\x1b[0m" : "";
  const char* yellow = style.colour ? "\x1b[33m" : "";
  const char* dim = style.colour ? "\x1b[2m" : "";
  out << (result.total_exact ? "" : "about ") << result.total
      << (result.total == 1 ? " match" : " matches") << " for \""
      << std::string(query.substr(0, 200)) << (query.size() > 200 ? "…" : "") << "\" ("
      << fixed(result.took_ms, 1) << " ms)\n";
  if (!result.did_you_mean.empty()) {
    out << "Did you mean: " << bold << result.did_you_mean << reset << "?\n";
  }
  for (const auto& n : result.notes) out << dim << "note: " << n << reset << '\n';
  int rank = 0;
  for (const auto& h : result.hits) {
    out << '\n' << ++rank << ". " << bold << (h.title.empty() ? h.id : h.title) << reset;
    if (h.year) out << " (" << *h.year << ')';
    out << dim << "  " << h.type << ' ' << h.id;
    for (std::size_t i = 0; i < h.genres.size(); ++i) out << (i ? ", " : " · ") << h.genres[i];
    out << " · score " << fixed(h.score, 3) << reset << '\n';
    // What users look for, briefly: rating, votes, runtime, directors, the first of the cast.
    std::string about;
    auto add = [&](const std::string& part) { about += (about.empty() ? "" : " · ") + part; };
    if (h.rating) add("rated " + fixed(*h.rating, 1) + (h.votes ? " (" + std::to_string(*h.votes) + " votes)" : ""));
    if (h.runtime) add(std::to_string(*h.runtime) + " min");
    if (!h.directors.empty()) add("directed by " + join(h.directors, 2));
    if (!h.cast.empty()) add("with " + join(h.cast, 3));
    if (!about.empty()) out << "   " << dim << about << reset << '\n';
    for (const auto& s : h.snippets) {
      out << "   ";
      if (s.spoiler && style.mark_spoilers) out << yellow << "[spoiler] " << reset;
      out << dim << '[' << corpus::kind_name(s.section);
      if (!s.heading.empty()) out << ": " << s.heading;
      out << "] " << reset;
      // A person reading a terminal cannot un-see it: the fragment is masked (JSON keeps it).
      if (s.spoiler && style.mask_spoilers) {
        out << yellow << "spoiler hidden: --spoilers show to read it" << reset << '\n';
        continue;
      }
      out << (style.colour ? render_marked(s, bold, reset) : s.text) << '\n';
    }
    if (h.hidden_spoiler_match) out << "   " << yellow << "(match in hidden spoiler)" << reset << '\n';
  }
  if (!result.facets.empty()) out << '\n';
  for (const auto& [name, counts] : result.facets) {
    out << name << ':';
    for (const auto& v : counts.values) out << "  " << v.value << ' ' << v.count;
    out << dim << "  (" << counts.distinct << " values)" << reset << '\n';
  }
}

}  // namespace filmsearch::search
