// Lines of a page: text, Markdown or the Markdown-like text the HTML reader produces, split into
// lines with heading levels and list markers read, and furniture lines (menus, cookie notices,
// copyright) recognised. Internal to src/corpus/page/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::corpus::page {

struct Line {
  std::string text;      // trimmed, list marker and Markdown markup removed
  int md_level = 0;      // Markdown/HTML heading level, 0 when not a heading line
  bool bullet = false;   // a list item
  bool indented = false; // indented by 2+ columns (a continuation of a list item)
};

// Removes Markdown inline markup: images, links (keeping their text), emphasis, code marks.
std::string strip_markdown_inline(std::string_view s);

// Splits `content` into lines; with `markdown`, reads '#' and setext headings, "> " quotes,
// numbered lists and inline markup. List markers ("- ", "* ", "• ") are read in both modes.
std::vector<Line> split_lines(std::string_view content, bool markdown);

// "Taglines | Synopsis | Plot Keywords | Parents Guide": three or more short parts.
bool is_navigation_line(std::string_view t);

// True for a line that is never content ("Sign in", "Privacy Policy", a cookie notice).
bool is_furniture_line(std::string_view text);

}  // namespace filmsearch::corpus::page
