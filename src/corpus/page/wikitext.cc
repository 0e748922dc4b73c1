#include "corpus/page/wikitext.h"

#include <string>
#include <string_view>
#include <vector>

#include "corpus/page/text.h"

namespace filmsearch::corpus::page {
namespace {

// Infobox parameters and the label the page reader knows them by.
struct InfoboxKey {
  std::string_view param;
  std::string_view label;
};
constexpr InfoboxKey kInfoboxKeys[] = {
    {"director", "Director"},       {"directors", "Director"},    {"genre", "Genre"},
    {"genres", "Genre"},            {"starring", "Starring"},     {"released", "Released"},
    {"release_date", "Released"},   {"release date", "Released"}, {"year", "Year"},
    {"runtime", "Runtime"},         {"running_time", "Runtime"},  {"running time", "Runtime"},
    {"first_aired", "Released"},    {"creator", "Director"},
};

// End of the template or link opened at s[at] ("{{" or "[["), nesting counted; npos when open.
std::size_t matching_close(std::string_view s, std::size_t at, std::string_view open,
                           std::string_view close) {
  int depth = 0;
  for (std::size_t i = at; i + 1 < s.size(); ++i) {
    if (s.substr(i, 2) == open) {
      ++depth;
      ++i;
    } else if (s.substr(i, 2) == close) {
      if (--depth == 0) return i + 2;
      ++i;
    }
  }
  return std::string_view::npos;
}

// Splits a template's inside on top-level '|' (not inside nested templates or links).
std::vector<std::string_view> template_parts(std::string_view inside) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < inside.size(); ++i) {
    if (i + 1 < inside.size() && (inside.substr(i, 2) == "{{" || inside.substr(i, 2) == "[[")) {
      ++depth;
      ++i;
    } else if (i + 1 < inside.size() &&
               (inside.substr(i, 2) == "}}" || inside.substr(i, 2) == "]]")) {
      --depth;
      ++i;
    } else if (inside[i] == '|' && depth == 0) {
      parts.push_back(inside.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  parts.push_back(inside.substr(begin));
  return parts;
}

std::string inline_text(std::string_view s);

// What a template shows inline: list templates their items, date templates their year-month-day,
// everything else nothing.
std::string template_text(std::string_view inside) {
  std::vector<std::string_view> parts = template_parts(inside);
  std::string name = to_lower(trim(parts[0]));
  if (name == "plainlist" || name == "ubl" || name == "unbulleted list" || name == "hlist" ||
      name == "flatlist" || name == "plain list") {
    std::string out;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      // {{plainlist| * a * b}} puts the items on lines after "*".
      std::string item = inline_text(parts[i]);
      std::size_t start = 0;
      while (start <= item.size()) {
        std::size_t end = item.find('*', start);
        if (end == std::string::npos) end = item.size();
        std::string_view piece = trim(std::string_view(item).substr(start, end - start));
        start = end + 1;
        if (piece.empty()) continue;
        if (!out.empty()) out += ", ";
        out += piece;
      }
    }
    return out;
  }
  if (name.starts_with("film date") || name.starts_with("start date") ||
      name.starts_with("release date")) {
    std::string out;
    for (std::size_t i = 1; i < parts.size() && i < 4; ++i) {
      std::string_view p = trim(parts[i]);
      if (p.empty() || p.find('=') != std::string_view::npos) break;
      if (!out.empty()) out += '-';
      out += p;
    }
    return out;
  }
  return {};
}

// Inline markup to text: [[a|b]] -> b, [[a]] -> a, [url text] -> text, '''b''' -> b,
// templates by template_text, <ref>..</ref> and other tags dropped, <br> -> ", ".
std::string inline_text(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.substr(i, 2) == "{{") {
      std::size_t end = matching_close(s, i, "{{", "}}");
      if (end == std::string_view::npos) break;
      out += template_text(s.substr(i + 2, end - i - 4));
      i = end;
    } else if (s.substr(i, 2) == "[[") {
      std::size_t end = matching_close(s, i, "[[", "]]");
      if (end == std::string_view::npos) break;
      std::string_view inside = s.substr(i + 2, end - i - 4);
      std::string lower_inside = to_lower(inside.substr(0, 9));
      bool hidden = lower_inside.starts_with("file:") || lower_inside.starts_with("image:") ||
                    lower_inside.starts_with("category:");
      if (!hidden) {
        std::vector<std::string_view> parts = template_parts(inside);
        out += inline_text(parts.back());
      }
      i = end;
    } else if (s[i] == '[' && s.substr(i + 1, 4) == "http") {
      std::size_t end = s.find(']', i);
      if (end == std::string_view::npos) break;
      std::string_view inside = s.substr(i + 1, end - i - 1);
      std::size_t space = inside.find(' ');
      if (space != std::string_view::npos) out += inline_text(inside.substr(space + 1));
      i = end + 1;
    } else if (s.substr(i, 4) == "<!--") {
      std::size_t end = s.find("-->", i);
      i = end == std::string_view::npos ? s.size() : end + 3;
    } else if (s.substr(i, 4) == "<ref") {
      std::size_t tag_end = s.find('>', i);
      if (tag_end == std::string_view::npos) break;
      if (s[tag_end - 1] == '/') {
        i = tag_end + 1;
      } else {
        std::size_t end = s.find("</ref>", tag_end);
        i = end == std::string_view::npos ? s.size() : end + 6;
      }
    } else if (s.substr(i, 3) == "<br") {
      std::size_t end = s.find('>', i);
      out += ", ";
      i = end == std::string_view::npos ? s.size() : end + 1;
    } else if (s[i] == '<' && i + 1 < s.size() && (is_alpha(s[i + 1]) || s[i + 1] == '/')) {
      std::size_t end = s.find('>', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
    } else if (s.substr(i, 2) == "''") {
      while (i < s.size() && s[i] == '\'') ++i;
    } else {
      out += s[i++];
    }
  }
  return out;
}

}  // namespace

bool looks_like_wikitext(std::string_view content) {
  std::string head = to_lower(content.substr(0, 64 * 1024));
  if (head.find("{{infobox") != std::string::npos) return true;
  int headings = 0;
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t end = head.find('\n', pos);
    if (end == std::string::npos) end = head.size();
    std::string_view line = trim(std::string_view(head).substr(pos, end - pos));
    if (line.size() > 4 && line.starts_with("==") && line.ends_with("==")) ++headings;
    pos = end + 1;
  }
  return headings >= 2 && (head.find("[[") != std::string::npos ||
                           head.find("{{") != std::string::npos);
}

std::string wikitext_to_lines(std::string_view w) {
  std::string out;
  std::string body;
  std::size_t i = 0;
  // Block templates (infoboxes, navboxes, hatnotes) come out whole; an infobox leaves its
  // fields as labelled lines at the top.
  std::string fields;
  std::string name;
  while (i < w.size()) {
    if (w.substr(i, 2) == "{{") {
      std::size_t end = matching_close(w, i, "{{", "}}");
      if (end == std::string_view::npos) {
        i = w.size();
        break;
      }
      std::string_view inside = w.substr(i + 2, end - i - 4);
      if (to_lower(trim(inside.substr(0, 8))).starts_with("infobox")) {
        for (std::string_view part : template_parts(inside)) {
          std::size_t eq = part.find('=');
          if (eq == std::string_view::npos) continue;
          std::string key = to_lower(trim(part.substr(0, eq)));
          std::string value(trim(inline_text(part.substr(eq + 1))));
          for (char& c : value) c = c == '\n' ? ' ' : c;
          if (value.empty()) continue;
          if ((key == "name" || key == "title") && name.empty()) name = value;
          for (const InfoboxKey& k : kInfoboxKeys) {
            if (k.param == key) fields += std::string(k.label) + ": " + value + "\n";
          }
        }
      } else {
        body += template_text(inside);
      }
      i = end;
    } else if (w.substr(i, 2) == "{|") {
      std::size_t end = w.find("\n|}", i);
      i = end == std::string_view::npos ? w.size() : end + 3;
    } else {
      std::size_t next = std::min(w.find("{{", i), w.find("{|", i));
      if (next == std::string_view::npos) next = w.size();
      body += inline_text(w.substr(i, next - i));
      i = next;
    }
  }
  if (!name.empty()) out += "# " + name + "\n\n";
  out += fields;
  out += '\n';
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find('\n', pos);
    if (end == std::string::npos) end = body.size();
    std::string_view line = trim(std::string_view(body).substr(pos, end - pos));
    pos = end + 1;
    std::size_t level = 0;
    while (level < line.size() && line[level] == '=') ++level;
    if (level >= 2 && line.size() > 2 * level && line.ends_with(std::string(level, '='))) {
      out += '\n';
      out.append(level, '#');
      out += ' ';
      out += trim(line.substr(level, line.size() - 2 * level));
      out += "\n\n";
    } else if (line.starts_with("*") || line.starts_with("#")) {
      std::size_t marks = 0;
      while (marks < line.size() && (line[marks] == '*' || line[marks] == '#')) ++marks;
      out += "- ";
      out += trim(line.substr(marks));
      out += '\n';
    } else {
      out += std::string(line) + "\n";
    }
  }
  return out;
}

}  // namespace filmsearch::corpus::page
