#include "corpus/values.h"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace filmsearch::corpus {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }


// A whole number, "1948" or "1948.0" (a float with no fraction), and nothing else.
std::optional<std::int64_t> whole_number(std::string_view s) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return value;
  double d = 0;
  auto [dend, dec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (dec == std::errc() && dend == s.data() + s.size() && !s.empty() && std::isfinite(d) &&
      std::floor(d) == d && std::fabs(d) < 9e15) {
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

// Units of a duration, lowercased (ASCII) as pages write them, in the languages of the page
// reader's label tables.
constexpr std::string_view kHourUnits[] = {
    "h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden", "heure", "heures", "hora",
    "horas", "ora", "ore", "hod", "hodin", "hodiny", "godz", "godzina", "godziny",
    "\xD1\x87",                                          // ч
    "\xD1\x87\xD0\xB0\xD1\x81",                          // час
    "\xD1\x87\xD0\xB0\xD1\x81\xD0\xB0",                  // часа
    "\xD1\x87\xD0\xB0\xD1\x81\xD0\xBE\xD0\xB2",          // часов
    "\xE5\xB0\x8F\xE6\x97\xB6",                          // 小时
    "\xE5\xB0\x8F\xE6\x99\x82",                          // 小時
    "\xE6\x99\x82\xE9\x96\x93",                          // 時間
    "\xEC\x8B\x9C\xEA\xB0\x84"};                         // 시간
constexpr std::string_view kMinuteUnits[] = {
    "m", "min", "mins", "minute", "minutes", "minuten", "minuti", "minuto", "minutos", "minut",
    "minuty", "mn",
    "\xD0\xBC\xD0\xB8\xD0\xBD",                          // мин
    "\xD0\xBC\xD0\xB8\xD0\xBD\xD1\x83\xD1\x82",          // минут
    "\xD0\xBC\xD0\xB8\xD0\xBD\xD1\x83\xD1\x82\xD1\x8B",  // минуты
    "\xE5\x88\x86",                                      // 分
    "\xE5\x88\x86\xE9\x92\x9F",                          // 分钟
    "\xE5\x88\x86\xE9\x90\x98",                          // 分鐘
    "\xEB\xB6\x84"};                                     // 분

template <std::size_t N>
bool listed(const std::string_view (&units)[N], std::string_view unit) {
  for (std::string_view u : units) {
    if (u == unit) return true;
  }
  return false;
}

}  // namespace

std::string_view trim_ascii_space(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<std::int64_t> parse_year(std::string_view text) {
  text = trim_ascii_space(text);
  if (auto v = whole_number(text)) return v;
  for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
    if (i > 0 && is_digit(text[i - 1])) continue;
    if (!is_digit(text[i]) || !is_digit(text[i + 1]) || !is_digit(text[i + 2]) ||
        !is_digit(text[i + 3])) {
      continue;
    }
    const std::size_t e = i + 4;
    if (e < text.size() && is_digit(text[e])) continue;
    // "1948.5" is a number, not a year.
    if (e + 1 < text.size() && text[e] == '.' && is_digit(text[e + 1])) continue;
    const int year = (text[i] - '0') * 1000 + (text[i + 1] - '0') * 100 +
                     (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
    if (year >= 1870 && year <= 2100) return year;
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_runtime(std::string_view text) {
  text = trim_ascii_space(text);
  if (auto v = whole_number(text)) return v;
  // "1:30"
  if (const std::size_t colon = text.find(':');
      colon != std::string_view::npos && colon > 0 && colon + 3 <= text.size() &&
      is_digit(text[colon + 1]) && is_digit(text[colon + 2]) &&
      (colon + 3 == text.size() || !is_digit(text[colon + 3]))) {
    const auto h = whole_number(text.substr(0, colon));
    const int m = (text[colon + 1] - '0') * 10 + (text[colon + 2] - '0');
    if (h && *h >= 0 && m < 60) return *h * 60 + m;
    return std::nullopt;
  }
  double minutes = 0;
  bool any = false, had_hours = false, had_minutes = false;
  // Words before the first number ("approx. 95 min", "USA: 95 min") are the label's notes.
  std::size_t i = 0;
  while (i < text.size() && !is_digit(text[i])) ++i;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i == text.size() || !is_digit(text[i])) break;
    double n = 0;
    auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), n,
                                     std::chars_format::fixed);
    if (ec != std::errc() || n < 0) break;
    i = static_cast<std::size_t>(end - text.data());
    while (i < text.size() && is_space(text[i])) ++i;
    // The unit: ASCII letters, or a run of non-ASCII characters (分, 時間, мин).
    std::string unit;
    if (i < text.size() && is_ascii_alpha(text[i])) {
      while (i < text.size() && is_ascii_alpha(text[i])) unit += lower(text[i++]);
    } else {
      while (i < text.size() && static_cast<unsigned char>(text[i]) >= 0x80) unit += text[i++];
    }
    const bool hours = listed(kHourUnits, unit);
    const bool mins = unit.empty() || listed(kMinuteUnits, unit);
    if (!hours && !mins) {
      if (!any) return std::nullopt;  // "3 reels"
      break;
    }
    // A second value of the same or a larger unit starts another duration.
    if ((hours && (had_hours || had_minutes)) || (mins && had_minutes)) break;
    minutes += hours ? n * 60 : n;
    (hours ? had_hours : had_minutes) = true;
    any = true;
    if (i < text.size() && text[i] == '.') ++i;  // "Std.", "Min."
    while (i < text.size() && is_space(text[i])) ++i;
    if (i < text.size() && text[i] == ',') ++i;  // "2h, 15min"
  }
  if (!any) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(minutes));
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  std::string current;
  auto flush = [&] {
    std::string_view t = trim_ascii_space(current);
    if (!t.empty()) items.emplace_back(t);
    current.clear();
  };
  if (text.find('|') != std::string_view::npos) {
    for (char c : text) {
      if (c == '|') {
        flush();
      } else {
        current += c;
      }
    }
    flush();
    return items;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ',' || c == ';' || c == '/') {
      flush();
    } else if (text.substr(i, 5) == " and ") {
      flush();
      i += 4;
    } else if (text.substr(i, 3) == " & ") {
      flush();
      i += 2;
    } else {
      current += c;
    }
  }
  flush();
  return items;
}

}  // namespace filmsearch::corpus
