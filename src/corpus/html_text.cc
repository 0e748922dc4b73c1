#include "corpus/html_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace filmsearch::corpus {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The named references that occur on film and news pages; others stay as written.
constexpr std::array<std::pair<std::string_view, std::uint32_t>, 40> kNamedEntities = {{
    {"amp", '&'},        {"lt", '<'},         {"gt", '>'},         {"quot", '"'},
    {"apos", '\''},      {"nbsp", 0xA0},      {"ndash", 0x2013},   {"mdash", 0x2014},
    {"hellip", 0x2026},  {"lsquo", 0x2018},   {"rsquo", 0x2019},   {"ldquo", 0x201C},
    {"rdquo", 0x201D},   {"laquo", 0xAB},     {"raquo", 0xBB},     {"copy", 0xA9},
    {"reg", 0xAE},       {"trade", 0x2122},   {"middot", 0xB7},    {"bull", 0x2022},
    {"eacute", 0xE9},    {"egrave", 0xE8},    {"aacute", 0xE1},    {"agrave", 0xE0},
    {"iacute", 0xED},    {"oacute", 0xF3},    {"uacute", 0xFA},    {"ntilde", 0xF1},
    {"ccedil", 0xE7},    {"uuml", 0xFC},      {"ouml", 0xF6},      {"auml", 0xE4},
    {"Eacute", 0xC9},    {"szlig", 0xDF},     {"pound", 0xA3},     {"euro", 0x20AC},
    {"star", 0x2606},    {"times", 0xD7},     {"ecirc", 0xEA},     {"acirc", 0xE2},
}};

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_void_tag(std::string_view name) {
  return is_one_of(name, {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "area",
                          "base", "col", "embed", "param", "track"});
}
// Raw-text elements: their content is not markup and is skipped to the closing tag.
bool is_raw_text_tag(std::string_view name) {
  return is_one_of(name, {"script", "style", "textarea", "title"});
}
bool is_dropped_tag(std::string_view name) {
  return is_one_of(name, {"head", "nav", "header", "footer", "aside", "form", "noscript",
                          "template", "svg", "iframe", "select", "button", "dialog"});
}
bool is_block_tag(std::string_view name) {
  return is_one_of(name, {"p", "div", "section", "article", "main", "ul", "ol", "dl", "table",
                          "tr", "blockquote", "pre", "figure", "figcaption", "body", "hr",
                          "address", "details", "summary", "caption", "tbody", "thead"});
}

// True for attributes that mark page furniture: role="navigation", or a class/id naming a
// cookie banner, a menu, breadcrumbs, a sidebar, ads or a newsletter box.
bool is_furniture_attributes(std::string_view attributes) {
  std::string a = to_lower(attributes);
  if (a.find("role=\"navigation\"") != std::string::npos ||
      a.find("role=navigation") != std::string::npos) {
    return true;
  }
  for (std::string_view key : {"class=", "id="}) {
    for (std::size_t p = a.find(key); p != std::string::npos; p = a.find(key, p + 1)) {
      if (p > 0 && !is_space(a[p - 1])) continue;
      std::size_t v = p + key.size();
      std::size_t end;
      if (v < a.size() && (a[v] == '"' || a[v] == '\'')) {
        end = a.find(a[v], v + 1);
        ++v;
      } else {
        end = v;
        while (end < a.size() && !is_space(a[end])) ++end;
      }
      std::string_view value = std::string_view(a).substr(v, end == std::string::npos ? a.npos : end - v);
      for (std::string_view word : {"cookie", "consent", "gdpr", "breadcrumb", "newsletter",
                                    "advert", "navbar", "sidebar", "menu"}) {
        if (value.find(word) != std::string_view::npos) return true;
      }
    }
  }
  return false;
}

// Builds the output lines; whitespace collapses inside a line.
class TextBuilder {
 public:
  void text(std::string_view s) {
    for (char c : s) {
      if (is_space(c)) {
        pending_space_ = !line_.empty();
      } else {
        if (pending_space_) line_ += ' ';
        pending_space_ = false;
        line_ += c;
      }
    }
  }
  void raw(std::string_view s) {
    pending_space_ = false;
    line_ += s;
  }
  // Ends the current line; `blank` asks for an empty line after it (a block boundary).
  void end_line(bool blank) {
    pending_space_ = false;
    if (!line_.empty()) {
      std::string_view l = line_;
      std::size_t hashes = 0;
      while (hashes < l.size() && l[hashes] == '#') ++hashes;
      bool looks_like_heading = hashes > 0 && hashes < l.size() && l[hashes] == ' ';
      if (looks_like_heading && prefix_.empty()) out_ += '\\';
      out_ += prefix_;
      // Trailing spaces come from collapsed whitespace; a heading/list prefix alone is dropped.
      while (!line_.empty() && line_.back() == ' ') line_.pop_back();
      out_ += line_;
      out_ += '\n';
      line_.clear();
      last_blank_ = false;
    }
    prefix_.clear();
    if (blank && !last_blank_ && !out_.empty()) {
      out_ += '\n';
      last_blank_ = true;
    }
  }
  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }
  bool line_empty() const { return line_.empty(); }
  std::string finish() {
    end_line(false);
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    if (!out_.empty()) out_ += '\n';
    return std::move(out_);
  }

 private:
  std::string out_;
  std::string line_;
  std::string prefix_;
  bool pending_space_ = false;
  bool last_blank_ = true;
};

struct Tag {
  std::string name;  // lowercase
  bool closing = false;
  bool self_closing = false;
  std::string_view attributes;
  std::size_t end = 0;  // just past '>'
};

// Parses the tag at text[pos] == '<'; returns false when it is not a tag (a stray '<').
bool parse_tag(std::string_view html, std::size_t pos, Tag& tag) {
  std::size_t i = pos + 1;
  tag.closing = i < html.size() && html[i] == '/';
  if (tag.closing) ++i;
  std::size_t name_begin = i;
  while (i < html.size() && (std::isalnum(static_cast<unsigned char>(html[i])) || html[i] == '-' ||
                             html[i] == ':')) {
    ++i;
  }
  if (i == name_begin) return false;
  tag.name = to_lower(html.substr(name_begin, i - name_begin));
  std::size_t attr_begin = i;
  char quote = 0;
  while (i < html.size()) {
    char c = html[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      break;
    }
    ++i;
  }
  if (i >= html.size()) return false;
  tag.attributes = html.substr(attr_begin, i - attr_begin);
  tag.self_closing = !tag.attributes.empty() && tag.attributes.back() == '/';
  tag.end = i + 1;
  return true;
}

std::size_t find_ci(std::string_view haystack, std::string_view lower_needle, std::size_t from) {
  for (std::size_t i = from; i + lower_needle.size() <= haystack.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < lower_needle.size() && match; ++j) {
      match = lower(haystack[i + j]) == lower_needle[j];
    }
    if (match) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string decode_html_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '&') {
      out += text[i++];
      continue;
    }
    std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += text[i++];
      continue;
    }
    std::string_view name = text.substr(i + 1, semi - i - 1);
    bool decoded = false;
    if (name.size() > 1 && name[0] == '#') {
      std::uint32_t cp = 0;
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::size_t k = hex ? 2 : 1;
      bool ok = k < name.size();
      for (; k < name.size() && ok; ++k) {
        char c = name[k];
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0 || cp > 0x10FFFF) ok = false;
        else cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
      }
      if (ok) {
        append_utf8(out, cp);
        decoded = true;
      }
    } else {
      for (const auto& [entity, cp] : kNamedEntities) {
        if (entity == name) {
          append_utf8(out, cp);
          decoded = true;
          break;
        }
      }
    }
    if (decoded) {
      i = semi + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  TextBuilder builder;
  // Open elements, innermost last, each with whether it drops its content.
  std::vector<std::pair<std::string, bool>> open;
  int dropping = 0;
  bool after_dt = false;
  std::size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      std::size_t next = html.find('<', i);
      if (next == std::string_view::npos) next = html.size();
      if (dropping == 0) {
        std::string decoded = decode_html_entities(html.substr(i, next - i));
        // &nbsp; collapses like a space.
        std::string spaced;
        spaced.reserve(decoded.size());
        for (std::size_t k = 0; k < decoded.size();) {
          if (decoded.compare(k, 2, "\xC2\xA0") == 0) {
            spaced += ' ';
            k += 2;
          } else {
            spaced += decoded[k++];
          }
        }
        builder.text(spaced);
      }
      i = next;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?')) {
      std::size_t end = html.find('>', i);
      i = end == std::string_view::npos ? html.size() : end + 1;
      continue;
    }
    Tag tag;
    if (!parse_tag(html, i, tag)) {
      if (dropping == 0) builder.text("<");
      ++i;
      continue;
    }
    i = tag.end;
    const std::string& name = tag.name;
    if (!tag.closing && is_raw_text_tag(name)) {
      std::size_t end = find_ci(html, "</" + name, i);
      if (end == std::string_view::npos) {
        i = html.size();
      } else {
        std::size_t close = html.find('>', end);
        i = close == std::string_view::npos ? html.size() : close + 1;
      }
      continue;
    }
    if (tag.closing) {
      auto it = std::find_if(open.rbegin(), open.rend(),
                             [&](const auto& e) { return e.first == name; });
      if (it == open.rend()) continue;  // stray closing tag
      std::size_t keep = static_cast<std::size_t>(open.rend() - it) - 1;
      for (std::size_t k = keep; k < open.size(); ++k) dropping -= open[k].second ? 1 : 0;
      open.resize(keep);
      if (dropping > 0) continue;
      if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
        builder.end_line(true);
      } else if (name == "dt" || name == "th") {
        builder.raw(": ");
        after_dt = true;
      } else if (name == "li" || name == "dd" || name == "td") {
        if (name != "td") builder.end_line(false);
      } else if (is_block_tag(name)) {
        builder.end_line(true);
      }
      continue;
    }
    // An opening tag.
    bool drop = is_dropped_tag(name) || is_furniture_attributes(tag.attributes);
    if (!is_void_tag(name) && !tag.self_closing) {
      // <p> and <li> close an open sibling of the same name (the usual unclosed forms).
      if ((name == "p" || name == "li" || name == "dt" || name == "dd") && !open.empty() &&
          open.back().first == name) {
        if (open.back().second) --dropping;
        open.pop_back();
      }
      open.emplace_back(name, drop);
      if (drop) ++dropping;
    }
    if (dropping > 0) continue;
    if (name == "br") {
      builder.end_line(false);
    } else if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      builder.end_line(true);
      builder.set_prefix(std::string(static_cast<std::size_t>(name[1] - '0'), '#') + " ");
    } else if (name == "li") {
      builder.end_line(false);
      builder.set_prefix("- ");
    } else if (name == "dt" || name == "tr") {
      builder.end_line(false);
      after_dt = false;
    } else if (name == "dd" || name == "td") {
      if (!after_dt) builder.text(" ");
      after_dt = false;
    } else if (name == "img") {
      builder.text(" ");
    } else if (is_block_tag(name)) {
      builder.end_line(true);
    }
  }
  return builder.finish();
}

}  // namespace filmsearch::corpus
