#include "corpus/page_parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/film_id.h"
#include "corpus/html_text.h"
#include "corpus/page/lines.h"
#include "corpus/page/metadata.h"
#include "corpus/page/rules.h"
#include "corpus/page/section_builder.h"
#include "corpus/page/text.h"

namespace filmsearch::corpus {

using namespace page;  // the page reader's own parts (src/corpus/page/)

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
  SectionKind default_kind = SectionKind::kArticle;
  if (!article) {
    // Text before any heading: what the title's suffix names ("- Plot Summary"), else a synopsis.
    HeadingKind hk = classify_heading(title_suffix);
    default_kind = hk.known ? hk.kind : SectionKind::kSynopsis;
  }
  std::string voted_title = build_sections(lines, body_begin, default_kind, record);
  if (record.title.empty()) record.title = std::move(voted_title);
  record.lang = detect_lang(record);
  if (!article) {
    record.film_id = find_imdb_id(content);
    if (record.film_id.empty()) record.film_id = derived_film_id(record.title, record.year);
  }
  return record;
}

}  // namespace filmsearch::corpus
