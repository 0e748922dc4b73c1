#include "corpus/page/text.h"

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


namespace filmsearch::corpus::page {


std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// Decodes the code point at s[i] and advances i; invalid bytes decode as U+FFFD, one byte.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  std::uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

// Whitespace including NBSP and the ideographic space.
std::string_view trim(std::string_view s) {
  auto space_at_front = [](std::string_view t) -> std::size_t {
    if (t.empty()) return 0;
    if (t[0] == ' ' || t[0] == '\t' || t[0] == '\r' || t[0] == '\n' || t[0] == '\f') return 1;
    if (t.substr(0, 2) == "\xC2\xA0") return 2;
    if (t.substr(0, 3) == "\xE3\x80\x80") return 3;
    return 0;
  };
  auto space_at_back = [](std::string_view t) -> std::size_t {
    if (t.empty()) return 0;
    char c = t.back();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') return 1;
    if (t.ends_with("\xC2\xA0")) return 2;
    if (t.ends_with("\xE3\x80\x80")) return 3;
    return 0;
  };
  for (std::size_t n; (n = space_at_front(s)) > 0;) s.remove_prefix(n);
  for (std::size_t n; (n = space_at_back(s)) > 0;) s.remove_suffix(n);
  return s;
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t b = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > b) words.push_back(s.substr(b, i - b));
  }
  return words;
}

// True when `lower_text` contains `phrase` starting and ending at word boundaries.
bool has_phrase(std::string_view lower_text, std::string_view phrase) {
  for (std::size_t p = lower_text.find(phrase); p != std::string_view::npos;
       p = lower_text.find(phrase, p + 1)) {
    std::size_t e = p + phrase.size();
    if ((p == 0 || !is_alnum(lower_text[p - 1])) &&
        (e >= lower_text.size() || !is_alnum(lower_text[e]))) {
      return true;
    }
  }
  return false;
}

// Emoji and pictographic symbols that sites put before headings ("🍿 The Red Shoes", "⚠️").
bool is_pictograph(std::uint32_t cp) {
  return (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0x00A9 ||
         cp == 0x00AE;
}
bool is_emoji_joiner(std::uint32_t cp) {
  return cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

// Strips leading emoji (with their joiners and variation selectors); sets `had_emoji`.
std::string_view strip_leading_emoji(std::string_view s, bool& had_emoji) {
  had_emoji = false;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t at = i;
    std::uint32_t cp = next_code_point(s, i);
    if (is_pictograph(cp)) {
      had_emoji = true;
    } else if (!is_emoji_joiner(cp) && cp != ' ') {
      i = at;
      break;
    }
  }
  return trim(s.substr(i));
}

// Strips trailing emoji and a trailing colon ("Content warnings ⚠️:").
std::string_view strip_trailing_decoration(std::string_view s) {
  s = trim(s);
  while (!s.empty() && (s.back() == ':')) s = trim(s.substr(0, s.size() - 1));
  return s;
}

}  // namespace filmsearch::corpus::page
