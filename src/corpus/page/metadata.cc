#include "corpus/page/metadata.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/page/rules.h"
#include "corpus/page/text.h"
#include "corpus/values.h"

namespace filmsearch::corpus::page {

std::string metadata_key(std::string_view raw_key) {
  std::string key;
  int depth = 0;
  for (char c : raw_key) {
    if (c == '(') ++depth;
    else if (c == ')') depth = std::max(0, depth - 1);
    else if (depth == 0) key += lower(c);
  }
  return std::string(trim(key));
}


// Parses a decimal number at s[i] ("8.1", "44", "1,234"); advances i.
std::optional<double> parse_number(std::string_view s, std::size_t& i) {
  while (i < s.size() && !is_digit(s[i])) ++i;
  if (i >= s.size()) return std::nullopt;
  double value = 0;
  while (i < s.size() && (is_digit(s[i]) || (s[i] == ',' && i + 3 < s.size() + 0 &&
                                             i + 1 < s.size() && is_digit(s[i + 1])))) {
    if (s[i] != ',') value = value * 10 + (s[i] - '0');
    ++i;
  }
  if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
    ++i;
    double scale = 0.1;
    while (i < s.size() && is_digit(s[i])) {
      value += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  return value;
}

std::optional<int> label_runtime(std::string_view value) {
  std::optional<std::int64_t> minutes = parse_runtime(value);
  if (!minutes || *minutes <= 0 || *minutes > 2000) return std::nullopt;
  return static_cast<int>(*minutes);
}

std::optional<int> label_year(std::string_view value) {
  std::optional<std::int64_t> year = parse_year(value);
  if (!year || *year < 1870 || *year > 2100) return std::nullopt;
  return static_cast<int>(*year);
}

// "44k" -> 44000, "1.2M" -> 1200000, "44,123" -> 44123.
std::optional<std::int64_t> parse_count(std::string_view value) {
  std::size_t i = 0;
  std::optional<double> n = parse_number(value, i);
  if (!n) return std::nullopt;
  double scale = 1;
  if (i < value.size()) {
    char c = lower(value[i]);
    if (c == 'k') scale = 1e3;
    if (c == 'm') scale = 1e6;
  }
  return static_cast<std::int64_t>(std::llround(*n * scale));
}

std::optional<int> find_year(std::string_view s) {
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    if ((i == 0 || !is_digit(s[i - 1])) && (i + 4 == s.size() || !is_digit(s[i + 4])) &&
        is_digit(s[i]) && is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3])) {
      int year = std::stoi(std::string(s.substr(i, 4)));
      if (year >= 1870 && year <= 2100) return year;
    }
  }
  return std::nullopt;
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (value.empty()) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

bool has_film_label(std::string_view text) {
  for (std::size_t colon = text.find(':'); colon != std::string_view::npos;
       colon = text.find(':', colon + 1)) {
    // The one to three words before the colon.
    std::size_t begin = colon;
    for (int words = 0; words < 3 && begin > 0; ++words) {
      while (begin > 0 && text[begin - 1] == ' ') --begin;
      while (begin > 0 && text[begin - 1] != ' ' && text[begin - 1] != ':') --begin;
      std::optional<MetaField> field =
          find_metadata_field(metadata_key(text.substr(begin, colon - begin)));
      if (field && (*field == MetaField::kDirectors || *field == MetaField::kGenres ||
                    *field == MetaField::kCast || *field == MetaField::kRuntime)) {
        return true;
      }
    }
  }
  return false;
}

// Applies "Key: value" to the record when Key is a metadata key; returns whether it was one.
bool apply_metadata(std::string_view line, Record& record) {
  if (line.size() > 300) return false;
  // ":" or the full-width "：" of Chinese and Japanese pages.
  std::size_t colon = line.find(':');
  std::size_t wide = line.find("\xEF\xBC\x9A");
  std::size_t colon_bytes = 1;
  if (wide != std::string_view::npos && wide < colon) colon = wide, colon_bytes = 3;
  if (colon == std::string_view::npos || colon == 0 || colon > 40) return false;
  std::optional<MetaField> field = find_metadata_field(metadata_key(line.substr(0, colon)));
  if (!field) return false;
  std::string_view value = trim(line.substr(colon + colon_bytes));
  // Link labels sites put after a value ("Crime | Drama more", "Comedy See more »").
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view tail : {"more", "(more)", "see more", "more \xC2\xBB", "\xC2\xBB", "...",
                                  "full summary", "see all", "add/edit", "(see all)"}) {
      if (value.size() > tail.size() && to_lower(value.substr(value.size() - tail.size())) == tail &&
          (tail[0] == '(' || static_cast<unsigned char>(tail[0]) >= 0x80 || tail[0] == '.' ||
           value[value.size() - tail.size() - 1] == ' ')) {
        value = trim(value.substr(0, value.size() - tail.size()));
        stripped = true;
      }
    }
  }
  if (value.empty()) return false;
  switch (*field) {
    case MetaField::kDirectors:
      for (std::string& d : split_list(value)) add_unique(record.directors, std::move(d));
      break;
    case MetaField::kGenres:
      for (std::string& g : split_list(value)) add_unique(record.genres, std::move(g));
      break;
    case MetaField::kYear:
      if (auto year = label_year(value)) record.year = year;
      break;
    case MetaField::kRuntime:
      if (auto runtime = label_runtime(value)) record.runtime_min = runtime;
      break;
    case MetaField::kRating: {
      std::size_t i = 0;
      if (auto rating = parse_number(value, i); rating && *rating <= 10) record.rating = rating;
      // "8.1/10 (44k votes)"
      std::string v = to_lower(value);
      std::size_t votes = v.find("vote");
      if (votes == std::string::npos) votes = v.find("rating");
      std::size_t open = v.rfind('(', votes);
      if (votes != std::string::npos && open != std::string::npos) {
        if (auto count = parse_count(value.substr(open + 1))) record.votes = count;
      }
      break;
    }
    case MetaField::kVotes:
      if (auto count = parse_count(value)) record.votes = count;
      break;
    case MetaField::kCast:
      for (std::string& c : split_list(value)) add_unique(record.cast, std::move(c));
      break;
    case MetaField::kDate:
      if (auto date = parse_date(value)) record.date = *date;
      break;
    case MetaField::kIgnored:
      break;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Titles, bylines, dates, languages, ids.

// "The Red Shoes (1948) - Plot Summary Poster" -> title "The Red Shoes", year 1948, rest
// "- Plot Summary Poster". Returns false when there is no "(YYYY)".
bool split_title_year(std::string_view line, std::string& title, int& year, std::string& rest) {
  for (std::size_t p = line.find('('); p != std::string_view::npos; p = line.find('(', p + 1)) {
    if (p + 6 <= line.size() && line[p + 5] == ')') {
      std::string_view digits = line.substr(p + 1, 4);
      if (std::all_of(digits.begin(), digits.end(), is_digit) && p > 0) {
        int y = std::stoi(std::string(digits));
        if (y < 1870 || y > 2100) continue;
        title = std::string(trim(line.substr(0, p)));
        year = y;
        rest = std::string(trim(line.substr(p + 6)));
        return !title.empty();
      }
    }
  }
  return false;
}

// Separators between a title and a site suffix ("Title - Plot Summary", "Title | IMDb").
constexpr std::array<std::string_view, 4> kTitleSeparators = {
    " - ", " | ", " \xE2\x80\x93 ", " \xE2\x80\x94 "};

// Removes a site suffix naming a page kind or a site ("Title - Plot Summary", "Title | IMDb");
// a title with a dash of its own ("Mission: Impossible - Fallout") is left alone. Returns the
// suffix, if one was removed.
std::string strip_site_suffix(std::string& title) {
  for (std::string_view sep : kTitleSeparators) {
    std::size_t p = title.rfind(sep);
    if (p == std::string::npos || p == 0) continue;
    std::string suffix(trim(std::string_view(title).substr(p + sep.size())));
    std::string lower_suffix = to_lower(suffix);
    bool known = classify_heading(suffix).known;
    for (std::string_view site : {"imdb", "wikipedia", "rotten tomatoes", "letterboxd", "wiki",
                                  "fandom", "metacritic"}) {
      known = known || has_phrase(lower_suffix, site);
    }
    if (known) {
      title = std::string(trim(std::string_view(title).substr(0, p)));
      return suffix;
    }
  }
  return {};
}

// Title-cases a name written in capitals ("NATALIA VAKHRUSHEVA" -> "Natalia Vakhrusheva").
std::string title_case_if_shouted(std::string_view name) {
  bool any_lower = std::any_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  std::string out(name);
  if (any_lower) return out;
  bool word_start = true;
  for (char& c : out) {
    if (is_alpha(c)) {
      if (!word_start) c = lower(c);
      word_start = false;
    } else {
      word_start = c == ' ' || c == '-';
    }
  }
  return out;
}

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

// A date in numbers other than ISO: "2018.09.28", "2018/9/28", "2018年9月28日" (year first) and
// "28.09.2018" (day first, as European pages write it). "9/28/2018" is left alone: month or day
// first cannot be told.
std::optional<std::string> numeric_date(std::string_view t) {
  auto number = [&](std::size_t& i, std::size_t min, std::size_t max) -> std::optional<int> {
    std::size_t b = i;
    while (i < t.size() && is_digit(t[i]) && i - b < max) ++i;
    if (i - b < min || (i < t.size() && is_digit(t[i]))) return std::nullopt;
    return std::stoi(std::string(t.substr(b, i - b)));
  };
  auto skip = [&](std::size_t& i, std::string_view sep) {
    if (t.substr(i, sep.size()) != sep) return false;
    i += sep.size();
    while (i < t.size() && t[i] == ' ') ++i;
    return true;
  };
  auto make = [](int y, int m, int d) -> std::optional<std::string> {
    if (y < 1870 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
    return std::string(buffer);
  };
  for (std::size_t start = 0; start < t.size(); ++start) {
    if (!is_digit(t[start]) || (start > 0 && is_digit(t[start - 1]))) continue;
    // Year first.
    for (auto [sep1, sep2] : {std::pair<std::string_view, std::string_view>{".", "."},
                              {"/", "/"},
                              {"\xE5\xB9\xB4", "\xE6\x9C\x88"}}) {  // 年 月
      std::size_t i = start;
      auto y = number(i, 4, 4);
      if (!y || !skip(i, sep1)) continue;
      auto m = number(i, 1, 2);
      if (!m || !skip(i, sep2)) continue;
      if (auto d = number(i, 1, 2)) {
        if (auto date = make(*y, *m, *d)) return date;
      }
    }
    // Day first: "28.09.2018", "3. 3. 2024".
    std::size_t i = start;
    auto d = number(i, 1, 2);
    if (!d || !skip(i, ".")) continue;
    auto m = number(i, 1, 2);
    if (!m || !skip(i, ".")) continue;
    if (auto y = number(i, 4, 4)) {
      if (auto date = make(*y, *m, *d)) return date;
    }
  }
  return std::nullopt;
}

// "Sep 09,2025", "September 9, 2025", "9 Sep 2025", "2025-09-09", "2025.09.09", "9.9.2025",
// "2025年9月9日" -> "2025-09-09"; nullopt else.
std::optional<std::string> parse_date(std::string_view text) {
  std::string t = to_lower(text);
  // ISO first.
  for (std::size_t i = 0; i + 10 <= t.size(); ++i) {
    if (is_digit(t[i]) && is_digit(t[i + 1]) && is_digit(t[i + 2]) && is_digit(t[i + 3]) &&
        t[i + 4] == '-' && is_digit(t[i + 5]) && is_digit(t[i + 6]) && t[i + 7] == '-' &&
        is_digit(t[i + 8]) && is_digit(t[i + 9])) {
      return std::string(text.substr(i, 10));
    }
  }
  if (auto date = numeric_date(t)) return date;
  int month = 0;
  std::size_t month_end = 0;
  for (std::size_t i = 0; i + 3 <= t.size() && month == 0; ++i) {
    if (i > 0 && is_alpha(t[i - 1])) continue;
    for (std::size_t m = 0; m < kMonths.size(); ++m) {
      if (t.compare(i, 3, kMonths[m]) == 0) {
        month = static_cast<int>(m) + 1;
        month_end = i + 3;
        while (month_end < t.size() && is_alpha(t[month_end])) ++month_end;
        break;
      }
    }
  }
  std::optional<int> year = find_year(t);
  if (month == 0 || !year) return std::nullopt;
  // The day: a 1-2 digit number, preferably right after the month.
  int day = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!is_digit(t[i]) || (i > 0 && is_digit(t[i - 1]))) continue;
    std::size_t e = i;
    while (e < t.size() && is_digit(t[e])) ++e;
    if (e - i <= 2) {
      int d = std::stoi(t.substr(i, e - i));
      if (d >= 1 && d <= 31) {
        day = d;
        if (i >= month_end) break;
      }
    }
  }
  if (day == 0) return std::nullopt;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", *year, month, day);
  return std::string(buffer);
}


// "By NATALIA VAKHRUSHEVA|Sep 09,2025", "By Jane Doe, September 9, 2025", "By Jane Doe".
std::optional<Byline> parse_byline(std::string_view line) {
  if (line.size() > 120 || line.size() < 5 || to_lower(line.substr(0, 3)) != "by ") {
    return std::nullopt;
  }
  std::string_view rest = trim(line.substr(3));
  std::size_t cut = rest.size();
  for (std::string_view sep : {"|", " - ", ",", "\xC2\xB7", "\xE2\x80\xA2", " on "}) {
    cut = std::min(cut, rest.find(sep) == std::string_view::npos ? rest.size() : rest.find(sep));
  }
  std::string_view name = trim(rest.substr(0, cut));
  std::vector<std::string_view> words = split_words(name);
  if (words.empty() || words.size() > 5) return std::nullopt;
  for (std::string_view w : words) {
    if (!is_upper(w[0]) && static_cast<unsigned char>(w[0]) < 0x80) return std::nullopt;
  }
  Byline byline;
  byline.author = title_case_if_shouted(name);
  if (auto date = parse_date(rest.substr(cut))) byline.date = *date;
  return byline;
}

std::string detect_lang(const Record& record) {
  std::size_t latin = 0, han = 0, hangul = 0, kana = 0;
  auto count = [&](std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
      std::uint32_t cp = next_code_point(s, i);
      if ((cp < 0x80 && is_alpha(static_cast<char>(cp))) || (cp >= 0xC0 && cp <= 0x24F)) ++latin;
      else if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) ++han;
      else if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF)) ++hangul;
      else if (cp >= 0x3040 && cp <= 0x30FF) ++kana;
    }
  };
  count(record.title);
  for (const Section& s : record.sections) count(s.text);
  // A Han character carries about as much as a short Latin word; weigh scripts per character
  // anyway: mixed pages are rare and the majority script is what matters.
  if (kana > 0 && kana * 10 >= han && kana + han > latin && kana + han > hangul) return "ja";
  if (hangul > latin && hangul > han) return "ko";
  if (han > latin) return "zh";
  return "en";
}

// The first IMDb title id on the page ("tt0040725"), not inside a longer word or number.
std::string find_imdb_id(std::string_view content) {
  for (std::size_t p = content.find("tt"); p != std::string_view::npos;
       p = content.find("tt", p + 1)) {
    if (p > 0 && is_alnum(content[p - 1])) continue;
    std::size_t e = p + 2;
    while (e < content.size() && is_digit(content[e])) ++e;
    std::size_t digits = e - p - 2;
    if ((digits == 7 || digits == 8) && (e == content.size() || !is_alnum(content[e]))) {
      return std::string(content.substr(p, e - p));
    }
  }
  return {};
}

std::string file_stem(std::string_view file_name) {
  std::size_t slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  std::size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) file_name = file_name.substr(0, dot);
  return std::string(file_name);
}


}  // namespace filmsearch::corpus::page
