#include "corpus/page_parser.h"

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

#include "corpus/html_text.h"
#include "corpus/spoilers.h"

namespace filmsearch::corpus {
namespace {

// ---------------------------------------------------------------------------------------------
// Small text helpers (ASCII case folding is enough: every keyword below is ASCII).

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

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

// ---------------------------------------------------------------------------------------------
// Lines.

struct Line {
  std::string text;      // trimmed, list marker and Markdown markup removed
  int md_level = 0;      // Markdown/HTML heading level, 0 when not a heading line
  bool bullet = false;   // a list item
  bool indented = false; // indented by 2+ columns (a continuation of a list item)
};

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

// ---------------------------------------------------------------------------------------------
// Headings and their kinds.

enum class Treatment { kRanked, kUnranked, kDrop };

struct HeadingKind {
  SectionKind kind = SectionKind::kOther;
  Treatment treatment = Treatment::kRanked;
  bool spoiler = false;
  bool known = false;  // matched the keyword table
};

struct KeywordRow {
  std::string_view phrase;
  SectionKind kind;
  Treatment treatment;
};

// First match wins, so specific phrases come before general ones ("plot summary" is a synopsis,
// "detailed plot" a plot, "plot" alone a plot).
constexpr KeywordRow kHeadingKeywords[] = {
    {"see also", SectionKind::kOther, Treatment::kDrop},
    {"must read", SectionKind::kOther, Treatment::kDrop},
    {"related articles", SectionKind::kOther, Treatment::kDrop},
    {"related news", SectionKind::kOther, Treatment::kDrop},
    {"related stories", SectionKind::kOther, Treatment::kDrop},
    {"recommended", SectionKind::kOther, Treatment::kDrop},
    {"recently viewed", SectionKind::kOther, Treatment::kDrop},
    {"you may also like", SectionKind::kOther, Treatment::kDrop},
    {"read next", SectionKind::kOther, Treatment::kDrop},
    {"more from", SectionKind::kOther, Treatment::kDrop},
    {"trending", SectionKind::kOther, Treatment::kDrop},
    {"latest news", SectionKind::kOther, Treatment::kDrop},
    {"rate", SectionKind::kOther, Treatment::kDrop},
    {"rate this", SectionKind::kOther, Treatment::kDrop},
    {"leave a reply", SectionKind::kOther, Treatment::kDrop},
    {"leave a comment", SectionKind::kOther, Treatment::kDrop},
    {"comments", SectionKind::kOther, Treatment::kDrop},
    {"share this", SectionKind::kOther, Treatment::kDrop},
    {"navigation", SectionKind::kOther, Treatment::kDrop},
    {"where to watch", SectionKind::kOther, Treatment::kUnranked},
    {"how to watch", SectionKind::kOther, Treatment::kUnranked},
    {"watch online", SectionKind::kOther, Treatment::kUnranked},
    {"streaming", SectionKind::kOther, Treatment::kUnranked},
    {"related products", SectionKind::kOther, Treatment::kUnranked},
    {"shop", SectionKind::kOther, Treatment::kUnranked},
    {"buy", SectionKind::kOther, Treatment::kUnranked},
    {"merchandise", SectionKind::kOther, Treatment::kUnranked},
    {"similar movies", SectionKind::kOther, Treatment::kUnranked},
    {"similar films", SectionKind::kOther, Treatment::kUnranked},
    {"more like this", SectionKind::kOther, Treatment::kUnranked},
    {"you might like", SectionKind::kOther, Treatment::kUnranked},
    {"bonus content", SectionKind::kOther, Treatment::kUnranked},
    {"external links", SectionKind::kOther, Treatment::kUnranked},
    {"references", SectionKind::kOther, Treatment::kUnranked},
    {"further reading", SectionKind::kOther, Treatment::kUnranked},
    {"detailed plot", SectionKind::kPlot, Treatment::kRanked},
    {"full plot", SectionKind::kPlot, Treatment::kRanked},
    {"plot synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"detailed synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"full synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"ending explained", SectionKind::kPlot, Treatment::kRanked},
    {"plot summary", SectionKind::kSynopsis, Treatment::kRanked},
    {"plot summaries", SectionKind::kSynopsis, Treatment::kRanked},
    {"summary", SectionKind::kSynopsis, Treatment::kRanked},
    {"synopsis", SectionKind::kSynopsis, Treatment::kRanked},
    {"storyline", SectionKind::kSynopsis, Treatment::kRanked},
    {"premise", SectionKind::kSynopsis, Treatment::kRanked},
    {"overview", SectionKind::kSynopsis, Treatment::kRanked},
    {"plot", SectionKind::kPlot, Treatment::kRanked},
    {"story", SectionKind::kPlot, Treatment::kRanked},
    {"review", SectionKind::kReview, Treatment::kRanked},
    {"reviews", SectionKind::kReview, Treatment::kRanked},
    {"reception", SectionKind::kReview, Treatment::kRanked},
    {"critical response", SectionKind::kReview, Treatment::kRanked},
    {"critics", SectionKind::kReview, Treatment::kRanked},
    {"audience reactions", SectionKind::kReview, Treatment::kRanked},
    {"audience reaction", SectionKind::kReview, Treatment::kRanked},
    {"verdict", SectionKind::kReview, Treatment::kRanked},
    {"quotes", SectionKind::kQuote, Treatment::kRanked},
    {"quotations", SectionKind::kQuote, Treatment::kRanked},
    {"memorable lines", SectionKind::kQuote, Treatment::kRanked},
    {"famous lines", SectionKind::kQuote, Treatment::kRanked},
    {"cast", SectionKind::kCast, Treatment::kRanked},
    {"characters", SectionKind::kCast, Treatment::kRanked},
    {"starring", SectionKind::kCast, Treatment::kRanked},
    {"faq", SectionKind::kFaq, Treatment::kRanked},
    {"frequently asked", SectionKind::kFaq, Treatment::kRanked},
    {"trivia", SectionKind::kTrivia, Treatment::kRanked},
    {"awards", SectionKind::kTrivia, Treatment::kRanked},
    {"accolades", SectionKind::kTrivia, Treatment::kRanked},
    {"behind the scenes", SectionKind::kTrivia, Treatment::kRanked},
    {"production", SectionKind::kTrivia, Treatment::kRanked},
    {"box office", SectionKind::kTrivia, Treatment::kRanked},
    {"did you know", SectionKind::kTrivia, Treatment::kRanked},
    {"goofs", SectionKind::kTrivia, Treatment::kRanked},
    {"soundtrack", SectionKind::kTrivia, Treatment::kRanked},
    {"fun facts", SectionKind::kTrivia, Treatment::kRanked},
    {"legacy", SectionKind::kTrivia, Treatment::kRanked},
    {"filming", SectionKind::kTrivia, Treatment::kRanked},
};

HeadingKind classify_heading(std::string_view heading) {
  std::string h = to_lower(heading);
  HeadingKind result;
  result.spoiler = is_spoiler_heading(heading);
  for (const KeywordRow& row : kHeadingKeywords) {
    if (has_phrase(h, row.phrase)) {
      result.kind = row.kind;
      result.treatment = row.treatment;
      result.known = true;
      break;
    }
  }
  if (result.spoiler && !result.known) {
    result.known = true;  // "Spoilers": its own section of kind other
  }
  return result;
}

// A short line that reads like a title: few words, no sentence punctuation, mostly capitalized
// words ("Introduction to Victoria and Julian", "Love and Career Conflict").
bool is_title_like(std::string_view t) {
  if (t.empty() || t.size() > 80) return false;
  std::vector<std::string_view> words = split_words(t);
  if (words.empty() || words.size() > 10) return false;
  char last = t.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '"' || last == ')' ||
      last == '?' ||
      t.ends_with("\xE2\x80\x9D")) {
    return false;
  }
  if (t.find(". ") != std::string_view::npos || t.find(": ") != std::string_view::npos) {
    return false;
  }
  int long_words = 0;
  int capitalized = 0;
  for (std::string_view w : words) {
    std::size_t i = 0;
    // Skip opening quotes (ASCII or typographic) before the first letter.
    while (i < w.size() && !is_alnum(w[i]) && static_cast<unsigned char>(w[i]) < 0xC0) ++i;
    if (i < w.size() && static_cast<unsigned char>(w[i]) >= 0xE2 && i + 3 <= w.size() &&
        !is_alnum(w[i])) {
      i += 3;  // a typographic quote
    }
    if (w.size() - i > 3) {
      ++long_words;
      if (i < w.size() && (is_upper(w[i]) || static_cast<unsigned char>(w[i]) >= 0xC3)) {
        ++capitalized;
      }
    }
  }
  std::size_t first = 0;
  while (first < t.size() && !is_alnum(t[first]) && static_cast<unsigned char>(t[first]) < 0x80) {
    ++first;
  }
  bool starts_upper = first < t.size() && (is_upper(t[first]) || is_digit(t[first]) ||
                                           static_cast<unsigned char>(t[first]) >= 0x80);
  return starts_upper && long_words > 0 && capitalized * 2 >= long_words;
}

// ---------------------------------------------------------------------------------------------
// Metadata.

enum class MetaField { kDirectors, kGenres, kYear, kRuntime, kRating, kVotes, kCast, kIgnored };

struct MetaRow {
  std::string_view key;
  MetaField field;
};

constexpr MetaRow kMetadataKeys[] = {
    {"director", MetaField::kDirectors},     {"directors", MetaField::kDirectors},
    {"directed by", MetaField::kDirectors},  {"genre", MetaField::kGenres},
    {"genres", MetaField::kGenres},          {"release year", MetaField::kYear},
    {"year", MetaField::kYear},              {"released", MetaField::kYear},
    {"release date", MetaField::kYear},      {"runtime", MetaField::kRuntime},
    {"running time", MetaField::kRuntime},   {"length", MetaField::kRuntime},
    {"duration", MetaField::kRuntime},       {"imdb rating", MetaField::kRating},
    {"rating", MetaField::kRating},          {"user rating", MetaField::kRating},
    {"audience rating", MetaField::kRating}, {"votes", MetaField::kVotes},
    {"imdb votes", MetaField::kVotes},       {"cast", MetaField::kCast},
    {"starring", MetaField::kCast},          {"stars", MetaField::kCast},
    {"rotten tomatoes", MetaField::kIgnored}, {"tomatometer", MetaField::kIgnored},
    {"metacritic", MetaField::kIgnored},     {"metascore", MetaField::kIgnored},
    {"imdb", MetaField::kIgnored},           {"imdb id", MetaField::kIgnored},
};

// "Runtime (length)" -> "runtime": the key without parenthesized notes.
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

std::optional<MetaField> find_metadata_field(std::string_view key) {
  for (const MetaRow& row : kMetadataKeys) {
    if (row.key == key) return row.field;
  }
  return std::nullopt;
}

// Splits a list value on commas, slashes, pipes and " and ".
std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> items;
  std::string current;
  auto flush = [&]() {
    std::string_view t = trim(current);
    if (!t.empty()) items.emplace_back(t);
    current.clear();
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == ',' || c == '/' || c == '|' || c == ';') {
      flush();
    } else if (value.substr(i, 5) == " and " || value.substr(i, 3) == " & ") {
      flush();
      i += value[i + 1] == '&' ? 2 : 4;
    } else {
      current += c;
    }
  }
  flush();
  return items;
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

// "2h 15min" -> 135, "135 min" -> 135, "1 hour 30 minutes" -> 90, "95" -> 95.
std::optional<int> parse_runtime(std::string_view value) {
  std::string v = to_lower(value);
  std::size_t i = 0;
  double minutes = 0;
  bool any = false;
  while (true) {
    std::optional<double> n = parse_number(v, i);
    if (!n) break;
    while (i < v.size() && v[i] == ' ') ++i;
    if (i < v.size() && v[i] == 'h') {
      minutes += *n * 60;
    } else {
      minutes += *n;
    }
    any = true;
    while (i < v.size() && is_alpha(v[i])) ++i;
  }
  if (!any || minutes <= 0 || minutes > 2000) return std::nullopt;
  return static_cast<int>(std::lround(minutes));
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

// Applies "Key: value" to the record when Key is a metadata key; returns whether it was one.
bool apply_metadata(std::string_view line, Record& record) {
  if (line.size() > 200) return false;
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 40) return false;
  std::optional<MetaField> field = find_metadata_field(metadata_key(line.substr(0, colon)));
  if (!field) return false;
  std::string_view value = trim(line.substr(colon + 1));
  if (value.empty()) return false;
  switch (*field) {
    case MetaField::kDirectors:
      for (std::string& d : split_list(value)) add_unique(record.directors, std::move(d));
      break;
    case MetaField::kGenres:
      for (std::string& g : split_list(value)) add_unique(record.genres, std::move(g));
      break;
    case MetaField::kYear:
      if (auto year = find_year(value)) record.year = year;
      break;
    case MetaField::kRuntime:
      if (auto runtime = parse_runtime(value)) record.runtime_min = runtime;
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

// "Sep 09,2025", "September 9, 2025", "9 Sep 2025", "2025-09-09" -> "2025-09-09"; nullopt else.
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

struct Byline {
  std::string author;
  std::string date;
};

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

// ASCII folding of Latin-1 Supplement and Latin Extended-A letters, for slugs.
constexpr std::string_view kFoldC0 = "AAAAAAACEEEEIIIIDNOOOOO-OUUUUYTsaaaaaaaceeeeiiiidnooooo-ouuuuyty";
constexpr std::string_view kFold100 =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsS"
    "sSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(kFoldC0.size() == 64 && kFold100.size() == 128);

std::string slug(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  bool dash = false;
  while (i < text.size()) {
    std::uint32_t cp = next_code_point(text, i);
    char c = 0;
    if (cp < 0x80 && is_alnum(static_cast<char>(cp))) c = lower(static_cast<char>(cp));
    else if (cp >= 0xC0 && cp <= 0xFF) c = lower(kFoldC0[cp - 0xC0]);
    else if (cp >= 0x100 && cp <= 0x17F) c = lower(kFold100[cp - 0x100]);
    // Apostrophes join ("Schindler's" -> "schindlers").
    if (cp == '\'' || cp == 0x2019) continue;
    if (c != 0 && c != '-') {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += c;
    } else {
      dash = true;
    }
  }
  return out;
}

std::string file_stem(std::string_view file_name) {
  std::size_t slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  std::size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) file_name = file_name.substr(0, dot);
  return std::string(file_name);
}

// ---------------------------------------------------------------------------------------------
// Items inside sections.

constexpr std::string_view kOpenQuotes[] = {"\xE2\x80\x9C", "\"", "\xE2\x80\x98", "''"};

bool starts_with_quote(std::string_view s) {
  for (std::string_view q : kOpenQuotes) {
    if (s.starts_with(q)) return true;
  }
  return false;
}

// Removes one pair of surrounding quotes ("“text”" -> "text").
std::string_view unquote(std::string_view s) {
  s = trim(s);
  if (s.starts_with("\xE2\x80\x9C") && s.ends_with("\xE2\x80\x9D") && s.size() >= 6) {
    return trim(s.substr(3, s.size() - 6));
  }
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return trim(s.substr(1, s.size() - 2));
  return s;
}

// "Boris Lermontov: “Why do you want to dance?” – ..." -> {"Boris Lermontov", "“Why ...”  – ..."}.
// The name is short (at most 5 words) and the text after the colon is non-empty.
bool split_attribution(std::string_view item, std::string& who, std::string& text,
                       bool require_quote) {
  std::size_t colon = item.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 60) return false;
  std::string_view name = trim(item.substr(0, colon));
  std::string_view rest = trim(item.substr(colon + 2));
  if (rest.empty() || split_words(name).size() > 5) return false;
  if (require_quote && !starts_with_quote(rest)) return false;
  if (name.find_first_of(".!?\"") != std::string_view::npos) return false;
  who = std::string(name);
  text = std::string(rest);
  return true;
}

// Disclaimers that make what follows a spoiler ("The synopsis below may give away important plot
// points.", "Spoilers below!"), as a line of their own.
bool is_spoiler_disclaimer(std::string_view line) {
  if (line.size() > 160) return false;
  std::string l = to_lower(line);
  for (std::string_view cue : {"may give away", "might give away", "gives away", "will give away",
                               "may reveal", "reveals the ending", "may contain spoilers",
                               "contains spoilers", "spoiler warning"}) {
    std::size_t p = l.find(cue);
    if (p == std::string::npos) continue;
    // "won't give away", "does not give away": negated.
    std::string_view before = std::string_view(l).substr(0, p);
    if (before.find("n't") != std::string_view::npos || has_phrase(before, "not") ||
        has_phrase(before, "no")) {
      continue;
    }
    return true;
  }
  std::vector<SpoilerSpan> spans = find_inline_spoilers(line);
  return !spans.empty() && spans[0].begin == 0 && line.size() < 60;
}

// Cast entries "Victoria Page (Moira Shearer): ..." and "Moira Shearer as Victoria Page".
std::string actor_of(std::string_view item) {
  std::size_t colon = item.find(':');
  std::string_view head = item.substr(0, colon == std::string_view::npos ? item.size() : colon);
  std::size_t open = head.find('(');
  std::size_t close = head.find(')', open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos && close != std::string_view::npos && close > open + 1) {
    return std::string(trim(head.substr(open + 1, close - open - 1)));
  }
  std::size_t as = head.find(" as ");
  if (as != std::string_view::npos && split_words(head.substr(0, as)).size() <= 4) {
    return std::string(trim(head.substr(0, as)));
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// The section builder: receives content lines and headings in page order.

class SectionBuilder {
 public:
  explicit SectionBuilder(Record& record) : record_(record) {}

  // Starts a section for a heading; `level` orders Markdown headings (0: not Markdown).
  void heading(std::string_view text, int level, bool strong) {
    HeadingKind hk = classify_heading(text);
    bool sub = !hk.known && (level == 0 ? !strong : (major_level_ > 0 && level > major_level_));
    flush();
    if (sub && have_major_) {
      // A sub-heading continues the enclosing kind and spoiler state.
      heading_ = std::string(text);
      return;
    }
    have_major_ = true;
    major_level_ = level;
    heading_ = std::string(text);
    kind_ = hk.known ? hk.kind : SectionKind::kOther;
    treatment_ = hk.treatment;
    spoiler_ = hk.spoiler;
  }

  // Sets the kind of text before any heading (from the page title's suffix, or the page type).
  void set_default(SectionKind kind) { kind_ = kind; }

  // A disclaimer line: what follows is a spoiler, as plot when it was a summary.
  void disclaimer() {
    flush();
    if (kind_ == SectionKind::kSynopsis) kind_ = SectionKind::kPlot;
    spoiler_ = true;
    heading_.clear();
  }

  void line(const Line& l) {
    if (treatment_ == Treatment::kDrop) return;
    if (l.indented && !l.bullet && !lines_.empty() && in_item_) {
      lines_.back() += "\n" + l.text;  // a continuation paragraph of a list item
      return;
    }
    in_item_ = l.bullet;
    switch (kind_) {
      case SectionKind::kQuote:
        flush();
        quote_item(l.text);
        return;
      case SectionKind::kFaq:
        faq_line(l);
        return;
      case SectionKind::kReview:
        if (l.bullet) {
          std::string who, text;
          if (split_attribution(l.text, who, text, /*require_quote=*/true)) {
            flush();
            Section s = make_section(std::string(unquote(text)));
            s.source = who;
            push(std::move(s));
            return;
          }
        }
        if (l.bullet && l.text.size() >= 200) flush();  // one review per long list item
        break;
      case SectionKind::kSynopsis:
        // Lists of user summaries: one section per long item.
        if (l.bullet && l.text.size() >= 80) flush();
        break;
      case SectionKind::kCast: {
        std::string actor = actor_of(l.text);
        if (!actor.empty()) add_unique(record_.cast, actor);
        break;
      }
      default:
        break;
    }
    lines_.push_back(l.text);
  }

  void finish() { flush(); }

 private:
  Section make_section(std::string text) const {
    Section s;
    s.kind = kind_;
    s.heading = heading_;
    s.text = std::move(text);
    s.ranked = treatment_ == Treatment::kRanked;
    return s;
  }

  void push(Section s) {
    if (trim(s.text).empty()) return;
    std::vector<SpoilerSpan> spans;
    if (spoiler_) {
      spans.push_back({0, s.text.size()});
    } else if (s.ranked) {
      spans = find_inline_spoilers(s.text);
      if (s.kind == SectionKind::kFaq || s.kind == SectionKind::kQuote ||
          s.kind == SectionKind::kPlot) {
        for (const SpoilerSpan& r : find_reveal_spoilers(s.text)) spans.push_back(r);
      }
    }
    s.spoiler_spans = merge_spoiler_spans(std::move(spans));
    record_.sections.push_back(std::move(s));
  }

  void flush() {
    if (lines_.empty()) return;
    std::string text;
    for (const std::string& l : lines_) {
      if (!text.empty()) text += '\n';
      text += l;
    }
    lines_.clear();
    push(make_section(std::move(text)));
  }

  void quote_item(std::string_view item) {
    std::string who, text;
    Section s;
    if (split_attribution(item, who, text, /*require_quote=*/false)) {
      s = make_section(text);
      s.speaker = who;
    } else {
      s = make_section(std::string(item));
    }
    push(std::move(s));
  }

  // Questions become headings of their answers; each answer is a section of its own.
  void faq_line(const Line& l) {
    std::string_view t = l.text;
    if (t.ends_with("?") && t.size() < 200) {
      flush();
      question_ = std::string(t);
      return;
    }
    flush();
    Section s = make_section(std::string(t));
    if (!question_.empty()) s.heading = question_;
    question_.clear();
    push(std::move(s));
  }

  Record& record_;
  SectionKind kind_ = SectionKind::kOther;
  Treatment treatment_ = Treatment::kRanked;
  bool spoiler_ = false;
  bool have_major_ = false;
  int major_level_ = 0;
  bool in_item_ = false;
  std::string heading_;
  std::string question_;
  std::vector<std::string> lines_;
};

// True when the next content line after `i` is body text (or a list) rather than another
// title-like line, so that a short line at `i` reads as a heading.
bool followed_by_body(const std::vector<Line>& lines, std::size_t i) {
  for (std::size_t j = i + 1; j < lines.size(); ++j) {
    const Line& next = lines[j];
    if (next.text.empty()) continue;
    if (next.md_level > 0) return false;
    if (next.bullet) return true;
    return !is_title_like(next.text) && next.text.size() > 40;
  }
  return false;
}

}  // namespace

Record parse_page(std::string_view content, PageFormat format, std::string_view file_name) {
  Record record;
  record.id = "page:" + file_stem(file_name);
  record.origin = std::string(file_name);
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);

  std::vector<Line> lines;
  if (format == PageFormat::kHtml) {
    lines = split_lines(html_to_text(content), /*markdown=*/true);
  } else {
    lines = split_lines(content, format == PageFormat::kMarkdown);
  }
  // Furniture lines go first; they would otherwise read as headings or text.
  std::vector<Line> kept;
  for (Line& l : lines) {
    if (l.text.empty() || is_furniture_line(l.text)) continue;
    kept.push_back(std::move(l));
  }
  lines = std::move(kept);

  // The title: a level-1 heading; else an early "Title (1948)" line; else, on a page with a
  // byline, the line before it; else the name most headings share ("X: Detailed Plot Synopsis",
  // "X Reviews").
  std::size_t body_begin = 0;  // lines before this are the masthead
  std::optional<std::size_t> title_line;
  std::optional<std::size_t> byline_line;
  std::string title_suffix;
  Byline byline;
  for (std::size_t i = 0; i < lines.size() && i < 12; ++i) {
    if (auto b = parse_byline(lines[i].text); b && i > 0) {
      byline_line = i;
      byline = *b;
      if (byline.date.empty() && i + 1 < lines.size()) {
        if (auto d = parse_date(lines[i + 1].text); d && lines[i + 1].text.size() < 40) {
          byline.date = *d;
          lines[i + 1].text.clear();
        }
      }
      break;
    }
  }
  for (std::size_t i = 0; i < lines.size() && !title_line; ++i) {
    if (lines[i].md_level == 1) title_line = i;
  }
  if (!title_line) {
    for (std::size_t i = 0; i < lines.size() && i < 3 && !title_line; ++i) {
      std::string t, rest;
      int y = 0;
      if (!lines[i].bullet && split_title_year(lines[i].text, t, y, rest)) title_line = i;
    }
  }
  if (!title_line && byline_line) title_line = *byline_line - 1;
  if (title_line) {
    std::string text = lines[*title_line].text;
    std::string t, rest;
    int y = 0;
    if (split_title_year(text, t, y, rest)) {
      record.year = y;
      title_suffix = rest;
      text = t;
    }
    std::string suffix = strip_site_suffix(text);
    if (title_suffix.empty()) title_suffix = suffix;
    record.title = text;
    body_begin = *title_line + 1;
  }

  // Metadata lines anywhere on the page, before sectioning.
  bool film_metadata = false;
  for (std::size_t i = body_begin; i < lines.size(); ++i) {
    if (lines[i].md_level == 0 && apply_metadata(lines[i].text, record)) {
      lines[i].text.clear();
      film_metadata = true;
    }
  }
  bool article = byline_line.has_value() && !film_metadata;
  if (article) {
    record.type = RecordType::kArticle;
    record.author = byline.author;
    record.date = byline.date;
    body_begin = std::max(body_begin, *byline_line + 1);
  }

  SectionBuilder builder(record);
  if (article) {
    builder.set_default(SectionKind::kArticle);
  } else {
    // Text before any heading: what the title's suffix names ("- Plot Summary"), else a synopsis.
    HeadingKind hk = classify_heading(title_suffix);
    builder.set_default(hk.known ? hk.kind : SectionKind::kSynopsis);
  }

  // Title candidates from headings, when the page had no title line.
  std::vector<std::pair<std::string, int>> title_votes;
  auto vote_title = [&](std::string_view heading) {
    std::string candidate;
    std::size_t colon = heading.find(": ");
    if (colon != std::string_view::npos) {
      candidate = std::string(trim(heading.substr(0, colon)));
    } else {
      // "The Red Shoes Reviews", "How to Watch The Red Shoes?": drop the keyword words.
      std::string h(heading);
      while (!h.empty() && (h.back() == '?' || h.back() == '!')) h.pop_back();
      std::vector<std::string_view> words = split_words(h);
      for (std::string_view lead : {"How to Watch", "Where to Watch", "Watch"}) {
        if (h.starts_with(std::string(lead) + " ")) {
          candidate = h.substr(lead.size() + 1);
          break;
        }
      }
      if (candidate.empty() && words.size() >= 2) {
        std::string last = to_lower(words.back());
        std::string last_two = words.size() >= 3
                                   ? to_lower(std::string(words[words.size() - 2]) + " " + last)
                                   : std::string();
        std::size_t drop = 0;
        if (!last_two.empty() && classify_heading(last_two).known) drop = 2;
        else if (classify_heading(last).known) drop = 1;
        if (drop > 0 && words.size() > drop) {
          const char* end = words[words.size() - drop].data();
          candidate = std::string(trim(std::string_view(h.data(), end - h.data())));
        }
      }
    }
    if (candidate.empty() || split_words(candidate).size() > 8) return;
    for (auto& [name, votes] : title_votes) {
      if (name == candidate) {
        ++votes;
        return;
      }
    }
    title_votes.emplace_back(candidate, 1);
  };

  for (std::size_t i = body_begin; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (l.text.empty()) continue;
    bool had_emoji = false;
    std::string_view stripped = strip_leading_emoji(l.text, had_emoji);
    bool emoji_heading = had_emoji && !l.bullet && stripped.size() <= 100 &&
                         stripped.find(". ") == std::string_view::npos;
    if (l.md_level > 0 || emoji_heading) {
      std::string h(strip_trailing_decoration(stripped));
      vote_title(h);
      builder.heading(h, l.md_level, /*strong=*/true);
      continue;
    }
    if (!l.bullet) {
      std::string_view h = strip_trailing_decoration(l.text);
      // A known section name on its own line ("Awards", "See also") is a heading even when
      // not capitalized like a title.
      bool keyword = !h.empty() && h.size() <= 60 && split_words(h).size() <= 6 &&
                     (is_upper(h[0]) || static_cast<unsigned char>(h[0]) >= 0x80) &&
                     h.back() != '.' && h.back() != ',' && h.back() != ';' && h.back() != '?' &&
                     h.find(". ") == std::string_view::npos && classify_heading(h).known;
      if (keyword || (is_title_like(l.text) && followed_by_body(lines, i))) {
        if (keyword) vote_title(h);
        builder.heading(h, 0, /*strong=*/keyword);
        continue;
      }
      if (is_spoiler_disclaimer(l.text)) {
        builder.disclaimer();
        continue;
      }
    }
    builder.line(l);
  }
  builder.finish();

  if (record.title.empty()) {
    int best = 1;  // a name must be shared by two headings
    for (const auto& [name, votes] : title_votes) {
      if (votes > best) {
        best = votes;
        record.title = name;
      }
    }
  }
  record.lang = detect_lang(record);
  if (!article) {
    record.film_id = find_imdb_id(content);
    if (record.film_id.empty()) record.film_id = derived_film_id(record.title, record.year);
  }
  return record;
}

std::string derived_film_id(std::string_view title, std::optional<int> year) {
  std::string id(kDerivedFilmIdPrefix);
  id += slug(title);
  if (year) {
    id += '-';
    id += std::to_string(*year);
  }
  return id;
}

}  // namespace filmsearch::corpus
