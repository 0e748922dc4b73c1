#include "corpus/page/structured_data.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/page/metadata.h"
#include "corpus/page/rules.h"
#include "corpus/page/text.h"

namespace filmsearch::corpus::page {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kFilmTypes[] = {"movie", "tvseries", "tvepisode", "tvseason",
                                           "tvminiseries", "movieseries", "creativeworkseries"};
constexpr std::string_view kReviewTypes[] = {"review", "criticreview", "userreview",
                                             "reviewnewsarticle"};
constexpr std::string_view kArticleTypes[] = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "report", "scholarlyarticle", "techarticle",
    "socialmediaposting", "discussionforumposting", "liveblogposting", "blog", "posting",
    "advertisercontentarticle", "satiricalarticle", "medicalscholarlyarticle", "qapage"};

template <std::size_t N>
bool one_of(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

// The lowered @type names of an entity ("Movie" or ["Movie", "CreativeWork"]).
std::vector<std::string> types_of(const Json& entity) {
  std::vector<std::string> out;
  auto it = entity.find("@type");
  if (it == entity.end()) return out;
  if (it->is_string()) {
    out.push_back(to_lower(it->get_ref<const std::string&>()));
  } else if (it->is_array()) {
    for (const Json& t : *it) {
      if (t.is_string()) out.push_back(to_lower(t.get_ref<const std::string&>()));
    }
  }
  for (std::string& t : out) {
    // "http://schema.org/Movie" -> "movie"
    if (std::size_t slash = t.rfind('/'); slash != std::string::npos) t = t.substr(slash + 1);
  }
  return out;
}

template <std::size_t N>
bool has_type(const Json& entity, const std::string_view (&list)[N]) {
  for (const std::string& t : types_of(entity)) {
    if (one_of(list, t)) return true;
  }
  return false;
}

// Text of a JSON value: a string, a number, or an object's "name"/"@value".
std::string text_of(const Json& v) {
  if (v.is_string()) return std::string(trim(v.get_ref<const std::string&>()));
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v.get<double>());
    return buffer;
  }
  if (v.is_object()) {
    for (const char* key : {"name", "@value", "headline"}) {
      auto it = v.find(key);
      if (it != v.end() && it->is_string()) return std::string(trim(it->get_ref<const std::string&>()));
    }
  }
  if (v.is_array() && !v.empty()) return text_of(v.front());
  return {};
}

std::string field_text(const Json& entity, const char* key) {
  auto it = entity.find(key);
  return it == entity.end() ? std::string() : text_of(*it);
}

// Names of a person field: "x", {"name": "x"}, ["x", {"name": "y"}].
std::vector<std::string> names_of(const Json& entity, const char* key) {
  std::vector<std::string> out;
  auto it = entity.find(key);
  if (it == entity.end()) return out;
  auto add = [&](const Json& v) {
    std::string name = text_of(v);
    if (!name.empty() && name.size() < 120 && !name.starts_with("http")) add_unique(out, name);
  };
  if (it->is_array()) {
    for (const Json& v : *it) add(v);
  } else {
    add(*it);
  }
  return out;
}

std::optional<double> number_of(const Json& entity, const char* key) {
  auto it = entity.find(key);
  if (it == entity.end()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  std::string s = text_of(*it);
  std::replace(s.begin(), s.end(), ',', '.');
  std::size_t i = 0;
  if (s.empty() || !(is_digit(s[0]) || s[0] == '.')) return std::nullopt;
  return parse_number(s, i);
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " and ") + n;
  return out;
}

std::string decode_basic_entities(std::string s) {
  // JSON-LD and <meta> values sometimes carry HTML references a second time ("&amp;#39;").
  for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"&amp;", "&"},
                          {"&#39;", "'"}, {"&#039;", "'"}, {"&quot;", "\""}, {"&apos;", "'"},
                          {"&#8217;", "\xE2\x80\x99"}, {"&#8216;", "\xE2\x80\x98"},
                          {"&#8220;", "\xE2\x80\x9C"}, {"&#8221;", "\xE2\x80\x9D"}}) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
      s.replace(p, from.size(), to);
    }
  }
  return s;
}

// Every entity of a JSON-LD block: top level, arrays, @graph, in order.
void collect_entities(const Json& j, std::vector<const Json*>& out, int depth = 0) {
  if (depth > 4 || out.size() > 200) return;
  if (j.is_array()) {
    for (const Json& e : j) collect_entities(e, out, depth + 1);
  } else if (j.is_object()) {
    if (j.contains("@type")) out.push_back(&j);
    auto graph = j.find("@graph");
    if (graph != j.end()) collect_entities(*graph, out, depth + 1);
    auto main = j.find("mainEntity");
    if (main != j.end() && main->is_object()) collect_entities(*main, out, depth + 1);
  }
}

std::string meta_value(const HtmlMarkup& m, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    for (const auto& [k, v] : m.meta) {
      if (k == key && !v.empty()) return v;
    }
  }
  return {};
}

std::string itemprop_value(const HtmlMarkup& m, std::string_view key) {
  for (const auto& [k, v] : m.itemprops) {
    if (k == key && !v.empty()) return v;
  }
  return {};
}

std::optional<int> year_of_date(std::string_view date) {
  if (date.size() >= 4 && is_digit(date[0]) && is_digit(date[1]) && is_digit(date[2]) &&
      is_digit(date[3])) {
    int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    if (y >= 1870 && y <= 2100) return y;
  }
  return find_year(date);
}

// A forum user's handle as pages print it: "u/name", "@name", one word.
bool is_handle(std::string_view a) {
  return (a.starts_with("u/") || a.starts_with("@")) && a.size() > 2 &&
         a.find_first_of(" \t\n") == std::string_view::npos;
}

// An author value that is a person: not a URL, not a site, not too long; "By X" -> "X"; a
// forum handle "u/name" or "@name" -> "name".
std::string clean_author(std::string a) {
  a = decode_basic_entities(std::string(trim(a)));
  std::string l = to_lower(a);
  // "By Jane Doe", and "ByJane Doe" where the page put "By" and the name in two elements.
  if (l.starts_with("by ") || (l.starts_with("by") && a.size() > 2 && is_upper(a[2]))) {
    a = std::string(trim(std::string_view(a).substr(2)));
  }
  if (is_handle(a)) a.erase(0, a[0] == '@' ? 1 : 2);
  if (a.starts_with("http") || a.find('/') != std::string::npos || a.size() > 100) return {};
  return a;
}

// "By Jane Doe | March 3, 2024", "Jane Doe, Staff Writer", "Von Hans Meier": the name, when
// the text reads as one (one to five capitalized words); empty otherwise.
std::string author_of_byline(std::string_view line) {
  if (is_handle(trim(line))) return clean_author(std::string(line));  // any case: "u/reel_fan"
  std::string text = clean_author(std::string(line));
  std::string_view rest = text;
  for (std::string_view lead : {"von ", "par ", "por ", "di ", "door ", "av "}) {
    if (to_lower(rest.substr(0, lead.size())) == lead) rest.remove_prefix(lead.size());
  }
  std::size_t cut = rest.size();
  for (std::string_view sep : {"|", " - ", ",", "\xC2\xB7", "\xE2\x80\xA2", " on ", " On ",
                               "Updated", "Published", "Posted", "\n", " Monday", " Tuesday",
                               " Wednesday", " Thursday", " Friday", " Saturday", " Sunday"}) {
    cut = std::min(cut, rest.find(sep) == std::string_view::npos ? rest.size() : rest.find(sep));
  }
  for (std::size_t i = 0; i < cut; ++i) {
    if (is_digit(rest[i])) {
      cut = i;
      break;
    }
  }
  std::string_view name = trim(rest.substr(0, cut));
  std::vector<std::string_view> words = split_words(name);
  if (words.empty() || words.size() > 5) return {};
  for (std::string_view w : words) {
    bool capital = is_upper(w[0]) || static_cast<unsigned char>(w[0]) >= 0x80;
    if (!capital && w != "and" && w != "und" && w != "et" && w != "y" && w != "e" && w != "de" &&
        w != "van" && w != "von" && w != "der") {
      return {};
    }
  }
  return std::string(name);
}

void apply_film(const Json& e, PageFacts& f) {
  f.subject = Subject::kFilm;
  f.title = decode_basic_entities(field_text(e, "name"));
  for (const char* key : {"datePublished", "dateCreated", "startDate", "copyrightYear"}) {
    if (!f.year) f.year = year_of_date(field_text(e, key));
  }
  f.directors = names_of(e, "director");
  if (f.directors.empty()) f.directors = names_of(e, "creator");
  f.genres = names_of(e, "genre");
  f.cast = names_of(e, "actor");
  if (f.cast.empty()) f.cast = names_of(e, "actors");
  if (auto d = parse_iso_duration(field_text(e, "duration"))) f.runtime_min = d;
  auto rating = e.find("aggregateRating");
  if (rating != e.end() && rating->is_object()) {
    std::optional<double> value = number_of(*rating, "ratingValue");
    std::optional<double> best = number_of(*rating, "bestRating");
    if (value && *value >= 0) {
      double scale = best && *best > 0 ? 10.0 / *best : 1.0;
      if (*value * scale <= 10) f.rating = std::round(*value * scale * 10) / 10;
    }
    std::optional<double> count = number_of(*rating, "ratingCount");
    if (!count) count = number_of(*rating, "reviewCount");
    if (count) f.votes = static_cast<std::int64_t>(*count);
  }
  f.description = decode_basic_entities(field_text(e, "description"));
  std::string url = field_text(e, "url");
  if (f.url.empty()) f.url = url;
}

void apply_article(const Json& e, PageFacts& f) {
  f.subject = Subject::kArticle;
  f.title = decode_basic_entities(field_text(e, "headline"));
  if (f.title.empty()) f.title = decode_basic_entities(field_text(e, "name"));
  // People first: an agency or a publisher named as the author is what a byline replaces.
  std::vector<std::string> people, organizations;
  auto it = e.find("author");
  if (it != e.end()) {
    std::vector<const Json*> items;
    if (it->is_array()) {
      for (const Json& a : *it) items.push_back(&a);
    } else {
      items.push_back(&*it);
    }
    for (const Json* a : items) {
      std::string c = clean_author(text_of(*a));
      if (c.empty()) continue;
      bool organization = a->is_object() && !types_of(*a).empty() && types_of(*a)[0] != "person";
      add_unique(organization ? organizations : people, c);
    }
  }
  f.author = join_names(people);
  f.author_organization = join_names(organizations);
  for (const char* key : {"datePublished", "dateCreated", "uploadDate", "dateModified"}) {
    if (f.date.empty()) f.date = iso_date_of(field_text(e, key));
  }
  f.description = decode_basic_entities(field_text(e, "description"));
  std::string lang = field_text(e, "inLanguage");
  if (!lang.empty()) f.lang = lang;
}

}  // namespace

std::optional<int> parse_iso_duration(std::string_view value) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (value[0] != 'P' && value[0] != 'p') {
    if (auto r = parse_runtime(value)) return r;
    return std::nullopt;
  }
  double minutes = 0;
  double n = 0;
  bool in_time = false, any = false;
  for (std::size_t i = 1; i < value.size(); ++i) {
    char c = value[i];
    if (is_digit(c)) {
      n = n * 10 + (c - '0');
    } else if (c == 'T' || c == 't') {
      in_time = true;
    } else if (c == 'H' || c == 'h') {
      minutes += n * 60, n = 0, any = true;
    } else if (c == 'M' || c == 'm') {
      minutes += in_time ? n : n * 43200, n = 0, any = true;
    } else if (c == 'S' || c == 's') {
      minutes += n / 60, n = 0, any = true;
    } else if (c == 'D' || c == 'd') {
      minutes += n * 1440, n = 0, any = true;
    } else if (c != '.') {
      return std::nullopt;
    }
  }
  if (!any || minutes <= 0 || minutes > 100000) return std::nullopt;
  return static_cast<int>(std::lround(minutes));
}

std::string iso_date_of(std::string_view value) {
  value = trim(value);
  if (value.size() >= 10 && is_digit(value[0]) && is_digit(value[3]) && value[4] == '-' &&
      is_digit(value[5]) && value[7] == '-' && is_digit(value[8]) && is_digit(value[9])) {
    return std::string(value.substr(0, 10));
  }
  // "20191119" and "2019-11-19T..." without separators.
  if (value.size() >= 8 && std::all_of(value.begin(), value.begin() + 8, is_digit) &&
      (value.size() == 8 || !is_digit(value[8]))) {
    std::string v(value.substr(0, 8));
    std::string out = v.substr(0, 4) + "-" + v.substr(4, 2) + "-" + v.substr(6, 2);
    if (year_of_date(out) && out[5] <= '1' && out[8] <= '3') return out;
  }
  if (auto d = parse_date(value)) return *d;
  return {};
}

PageFacts read_facts(const HtmlMarkup& m) {
  PageFacts f;
  // JSON-LD first: the page's own statement about its main subject.
  std::vector<Json> blocks;
  for (const std::string& text : m.json_ld) {
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
    if (!j.is_discarded()) blocks.push_back(std::move(j));
  }
  std::vector<const Json*> entities;
  for (const Json& j : blocks) collect_entities(j, entities);
  const Json* film = nullptr;
  const Json* review = nullptr;
  const Json* article = nullptr;
  for (const Json* e : entities) {
    if (!film && has_type(*e, kFilmTypes)) film = e;
    if (!review && has_type(*e, kReviewTypes)) review = e;
    if (!article && has_type(*e, kArticleTypes)) article = e;
  }
  std::string og_type = to_lower(meta_value(m, {"og:type"}));
  if (review) {
    auto item = review->find("itemReviewed");
    if (item != review->end() && item->is_object() && has_type(*item, kFilmTypes)) {
      f.reviewed_title = decode_basic_entities(field_text(*item, "name"));
      for (const char* key : {"datePublished", "dateCreated"}) {
        if (!f.reviewed_year) f.reviewed_year = year_of_date(field_text(*item, key));
      }
    }
  }
  if (film && !(article && og_type.starts_with("article"))) {
    apply_film(*film, f);
  } else if (article) {
    apply_article(*article, f);
  } else if (review) {
    apply_article(*review, f);
    f.review = true;
    if (f.title.empty() && !f.reviewed_title.empty()) f.title = f.reviewed_title;
  }
  if (article && review && f.subject == Subject::kArticle) f.review = !f.reviewed_title.empty();

  // OpenGraph, Twitter and <meta>: fill what JSON-LD left empty.
  if (f.subject == Subject::kUnknown) {
    if (og_type.starts_with("video.movie") || og_type.starts_with("video.tv_show") ||
        og_type.starts_with("video.episode")) {
      f.subject = Subject::kFilm;
    } else if (og_type.starts_with("article") || og_type == "blog" || og_type == "news") {
      f.subject = Subject::kArticle;
    }
  }
  f.site_name = decode_basic_entities(meta_value(m, {"og:site_name", "application-name"}));
  if (f.title.empty()) {
    f.title = decode_basic_entities(meta_value(m, {"og:title", "twitter:title", "title",
                                                   "dc.title", "sailthru.title", "headline"}));
  }
  if (f.title.empty()) f.title = decode_basic_entities(itemprop_value(m, "headline"));
  if (f.date.empty()) {
    f.date = iso_date_of(meta_value(
        m, {"article:published_time", "og:article:published_time", "datepublished",
            "article.published", "date", "pubdate", "publishdate", "publish-date",
            "publish_date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
            "dcterms.issued", "sailthru.date", "parsely-pub-date", "citation_publication_date",
            "article_date_original", "og:published_time", "timestamp", "release_date"}));
  }
  if (f.date.empty()) f.date = iso_date_of(itemprop_value(m, "datepublished"));
  if (f.date.empty()) f.date = iso_date_of(itemprop_value(m, "datecreated"));
  if (f.date.empty() && f.subject != Subject::kFilm && !m.times.empty()) {
    f.date = iso_date_of(m.times.front());
  }
  // A name the page also gives as its publisher, its site or an organization author is an
  // agency ("Associated Press" in <meta itemprop=author>): a byline's person comes first.
  auto organization = [&](const std::string& a) {
    std::string folded = to_lower(a);
    return folded == to_lower(f.author_organization) || folded == to_lower(f.site_name) ||
           is_news_agency(a);
  };
  if (f.author.empty()) {
    std::string a = clean_author(meta_value(
        m, {"article:author", "author", "dc.creator", "sailthru.author", "parsely-author",
            "byl", "citation_author", "twitter:creator:name"}));
    if (organization(a)) {
      if (f.author_organization.empty()) f.author_organization = a;
    } else {
      f.author = a;
    }
  }
  if (f.author.empty()) {
    std::string a = itemprop_value(m, "author");
    if (a.size() < 60) a = clean_author(a);
    if (a.size() < 60 && organization(a)) {
      if (f.author_organization.empty()) f.author_organization = a;
    } else if (a.size() < 60) {
      f.author = a;
    }
  }
  for (const std::string& line : m.bylines) {
    if (!f.author.empty()) break;
    f.author = author_of_byline(line);
  }
  if (f.author.empty()) f.author = f.author_organization;
  for (const std::string& line : m.datelines) {
    if (!f.date.empty()) break;
    f.date = iso_date_of(line);
  }
  if (f.description.empty()) {
    f.description = decode_basic_entities(
        meta_value(m, {"og:description", "description", "twitter:description"}));
  }
  if (f.subject == Subject::kFilm) {
    if (f.directors.empty()) {
      std::string d = itemprop_value(m, "director");
      if (!d.empty() && d.size() < 200) f.directors = split_list(d);
    }
    if (f.genres.empty()) {
      for (const auto& [k, v] : m.itemprops) {
        if (k == "genre" && v.size() < 60) add_unique(f.genres, v);
      }
    }
    if (!f.runtime_min) f.runtime_min = parse_iso_duration(itemprop_value(m, "duration"));
  }
  std::string lang = f.lang.empty() ? m.lang : f.lang;
  if (lang.empty()) lang = meta_value(m, {"og:locale", "content-language", "language"});
  lang = to_lower(lang);
  std::size_t cut = lang.find_first_of("-_");
  if (cut != std::string::npos) lang = lang.substr(0, cut);
  f.lang = lang.size() >= 2 && lang.size() <= 3 ? lang : std::string();
  f.url = !m.canonical.empty() ? m.canonical : meta_value(m, {"og:url"});
  // IMDb ids: the canonical URL, og:url, then the first /title/ link in the content.
  for (const std::string& u : {f.url, meta_value(m, {"og:url"})}) {
    if (!f.imdb_id.empty()) break;
    std::size_t p = u.find("/title/tt");
    if (p != std::string::npos && u.find("imdb.") != std::string::npos) {
      f.imdb_id = find_imdb_id(std::string_view(u).substr(p + 7));
    }
  }
  return f;
}

}  // namespace filmsearch::corpus::page
