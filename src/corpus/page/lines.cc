#include "corpus/page/lines.h"

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

#include "corpus/page/text.h"

namespace filmsearch::corpus::page {

// Removes Markdown inline markup: images, links (keeping their text), emphasis, code marks.
std::string strip_markdown_inline(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && !is_alnum(s[i + 1])) {
      out += s[i + 1];
      i += 2;
    } else if ((c == '!' && i + 1 < s.size() && s[i + 1] == '[') || c == '[') {
      bool image = c == '!';
      std::size_t open = image ? i + 1 : i;
      std::size_t close = s.find(']', open);
      if (close != std::string_view::npos && close + 1 < s.size() && s[close + 1] == '(') {
        std::size_t paren = s.find(')', close);
        if (paren != std::string_view::npos) {
          if (!image) out += strip_markdown_inline(s.substr(open + 1, close - open - 1));
          i = paren + 1;
          continue;
        }
      }
      out += c;
      ++i;
    } else if (c == '*' || c == '`' ||
               (c == '_' && (i + 1 < s.size() && s[i + 1] == '_'))) {
      // Emphasis marks; a lone "*" inside text ("***SPOILERS***") is markup in Markdown anyway.
      ++i;
      if (c == '_') ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::vector<Line> split_lines(std::string_view content, bool markdown) {
  std::vector<Line> lines;
  std::size_t pos = 0;
  while (pos <= content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view raw = content.substr(pos, end - pos);
    pos = end + 1;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    Line line;
    std::size_t indent = 0;
    while (indent < raw.size() && (raw[indent] == ' ' || raw[indent] == '\t')) ++indent;
    line.indented = indent >= 2;
    std::string_view t = trim(raw);
    // A one-line HTML comment in Markdown is not text.
    if (markdown && t.starts_with("<!--") && t.ends_with("-->")) continue;
    if (markdown) {
      if (t.starts_with("> ")) t = trim(t.substr(2));
      std::size_t hashes = 0;
      while (hashes < t.size() && t[hashes] == '#') ++hashes;
      if (hashes > 0 && hashes <= 6 && hashes < t.size() && t[hashes] == ' ') {
        line.md_level = static_cast<int>(hashes);
        t = trim(t.substr(hashes));
        while (!t.empty() && t.back() == '#') t.remove_suffix(1);
        t = trim(t);
      }
      // Setext headings: a line of '=' or '-' under text.
      if (!t.empty() && (t.find_first_not_of('=') == std::string_view::npos ||
                         (t.size() >= 3 && t.find_first_not_of('-') == std::string_view::npos))) {
        if (!lines.empty() && !lines.back().text.empty() && !lines.back().bullet &&
            lines.back().md_level == 0) {
          lines.back().md_level = t[0] == '=' ? 1 : 2;
        }
        continue;
      }
    }
    // List markers: "- ", "* ", "+ ", "• ", "1. ".
    for (std::string_view marker : {"- ", "* ", "+ ", "\xE2\x80\xA2 ", "\xE2\x80\xA2\t"}) {
      if (line.md_level == 0 && t.starts_with(marker)) {
        line.bullet = true;
        t = trim(t.substr(marker.size()));
        break;
      }
    }
    if (!line.bullet && markdown && !t.empty() && is_digit(t[0])) {
      std::size_t d = 0;
      while (d < t.size() && is_digit(t[d])) ++d;
      if (d < 4 && d + 1 < t.size() && t[d] == '.' && t[d + 1] == ' ') {
        line.bullet = true;
        t = trim(t.substr(d + 2));
      }
    }
    line.text = markdown ? std::string(trim(strip_markdown_inline(t))) : std::string(t);
    lines.push_back(std::move(line));
    if (end == content.size()) break;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Page furniture: lines that are never content.

bool is_navigation_line(std::string_view t) {
  // "Taglines | Synopsis | Plot Keywords | Parents Guide": three or more short parts.
  int parts = 1;
  std::size_t words_in_part = 0;
  bool all_short = true;
  for (std::string_view w : split_words(t)) {
    if (w == "|" || w == "\xC2\xB7" || w == "\xE2\x80\xA2") {
      ++parts;
      words_in_part = 0;
    } else if (++words_in_part > 4) {
      all_short = false;
    }
  }
  return parts >= 3 && all_short;
}

bool is_furniture_line(std::string_view text) {
  std::string t = to_lower(strip_trailing_decoration(text));
  if (t.empty()) return false;
  static constexpr std::array<std::string_view, 28> kExact = {
      "jump to",      "trailer",         "poster",        "rate",      "back",
      "i agree",      "leaving a message", "contribute to this page", "recently viewed",
      "share",        "print",           "advertisement", "skip to content", "sign in",
      "log in",       "menu",            "search",        "back to top", "read more",
      "load more",    "home",            "top",           "edit",      "see more",
      "show more",    "accept",          "close",         "subscribe"};
  if (std::find(kExact.begin(), kExact.end(), t) != kExact.end()) return true;
  static constexpr std::array<std::string_view, 15> kPrefixes = {
      "showing all ",   "there are no reviews yet", "be the first", "about us",
      "contact us",     "for any inquiries",        "by continuing to browse",
      "we use cookies", "this site uses cookies",   "accept all", "all rights reserved",
      "copyright",      "\xC2\xA9",                 "follow us on", "sign up for our"};
  for (std::string_view p : kPrefixes) {
    if (t.starts_with(p)) return true;
  }
  static constexpr std::array<std::string_view, 9> kContains = {
      "privacy policy",       "privacy statement",  "terms of use",    "terms of service",
      "icp\xE5\xA4\x87",      "\xE8\xAE\xB8\xE5\x8F\xAF\xE8\xAF\x81",  // ICP备, 许可证
      "can be reported by calling", "undesirable information", "cookie settings"};
  for (std::string_view c : kContains) {
    if (t.find(c) != std::string::npos) return true;
  }
  if (t.find("cookie") != std::string::npos &&
      (t.find("polic") != std::string::npos || t.find("consent") != std::string::npos ||
       t.find("we use") != std::string::npos || t.find("use of") != std::string::npos)) {
    return true;
  }
  return is_navigation_line(text);
}


}  // namespace filmsearch::corpus::page
