#include "corpus/page_parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/film_id.h"
#include "corpus/page/front_matter.h"
#include "corpus/page/html_reader.h"
#include "corpus/page/lines.h"
#include "corpus/page/metadata.h"
#include "corpus/page/rules.h"
#include "corpus/page/section_builder.h"
#include "corpus/page/structured_data.h"
#include "corpus/page/text.h"
#include "corpus/page/wikitext.h"
#include "corpus/spoilers.h"

namespace filmsearch::corpus {

using namespace page;  // the page reader's own parts (src/corpus/page/)

namespace {

// How many kinds of film metadata labelled lines gave (directors, genres, cast, runtime).
int film_label_kinds(const Record& r) {
  return !r.directors.empty() + !r.genres.empty() + !r.cast.empty() + r.runtime_min.has_value();
}

bool same_folded(std::string_view a, std::string_view b) {
  return to_lower(trim(a)) == to_lower(trim(b));
}

// Letters and digits of `s`, ASCII lowered ("Aktuálně.cz" -> "aktuálněcz").
std::string folded(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) out += lower(c);
  }
  return out;
}

// The host of a URL without "www." ("https://www.example.com/a" -> "example.com").
std::string host_of(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find('/'));
  if (url.starts_with("www.")) url.remove_prefix(4);
  return to_lower(url);
}

// True when `part` of a title names the site: its name (og:site_name) or its host.
bool names_site(std::string_view part, std::string_view site, std::string_view host) {
  std::string p = folded(part);
  if (p.empty()) return false;
  if (!site.empty() && (p == folded(site) || folded(site).find(p) != std::string::npos ||
                        p.find(folded(site)) != std::string::npos)) {
    return true;
  }
  std::string h = folded(host);
  return p.size() >= 3 && !h.empty() && h.find(p) != std::string::npos;
}

// The headline of a <title>: "Headline | Site", "Site - Headline", "Site » Blog » Headline".
// Breadcrumb separators keep the last part; " | " drops a short last part; dashes drop a part
// that names the site (og:site_name or the host of the page's URL).
std::string strip_site_name(std::string title, std::string_view site, std::string_view host) {
  for (std::string_view crumb : {" \xC2\xBB ", " \xE2\x80\xBA ", " > "}) {
    std::size_t p = title.rfind(crumb);
    if (p != std::string::npos && split_words(title.substr(p + crumb.size())).size() >= 1) {
      title = std::string(trim(std::string_view(title).substr(p + crumb.size())));
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ",
                                 " \xE2\x80\xA2 ", " \xC2\xB7 "}) {
      std::size_t p = title.rfind(sep);
      if (p != std::string::npos && p > 0) {
        std::string_view last = std::string_view(title).substr(p + sep.size());
        if (names_site(last, site, host) || (sep == " | " && split_words(last).size() <= 4)) {
          title = std::string(trim(std::string_view(title).substr(0, p)));
          changed = true;
          continue;
        }
      }
      std::size_t q = title.find(sep);
      if (q != std::string::npos && names_site(std::string_view(title).substr(0, q), site, host)) {
        title = std::string(trim(std::string_view(title).substr(q + sep.size())));
        changed = true;
      }
    }
  }
  return title;
}

// "Lust for Youth: Lust for Youth" (an artist's self-titled album, a show's pilot named after
// it) -> "Lust for Youth": a title that says the same thing twice either side of ": " or " - ".
std::string without_repeat(const std::string& title) {
  for (std::string_view sep : {": ", " - ", " \xE2\x80\x93 "}) {
    const std::size_t p = title.find(sep);
    if (p == std::string::npos || p == 0) continue;
    const std::string_view a = std::string_view(title).substr(0, p);
    const std::string_view b = std::string_view(title).substr(p + sep.size());
    if (same_folded(a, b)) return std::string(trim(a));
  }
  return title;
}

// Turns spoiler markers left by the HTML reader into spans of each section.
void apply_spoiler_markers(Record& record) {
  for (Section& s : record.sections) {
    for (std::string_view marker : {kSpoilerOpen, kSpoilerClose}) {
      for (std::size_t p = s.heading.find(marker); p != std::string::npos;
           p = s.heading.find(marker, p)) {
        s.heading.erase(p, marker.size());
      }
    }
    if (s.text.find(kSpoilerOpen) == std::string::npos &&
        s.text.find(kSpoilerClose) == std::string::npos) {
      continue;
    }
    std::string clean;
    std::vector<SpoilerSpan> spans = std::move(s.spoiler_spans);
    std::vector<SpoilerSpan> marked;
    constexpr std::size_t kClosed = std::string::npos;
    std::size_t open = kClosed;
    std::vector<std::pair<std::size_t, std::size_t>> removed;  // (offset in old text, bytes)
    for (std::size_t i = 0; i < s.text.size();) {
      std::string_view rest = std::string_view(s.text).substr(i);
      if (rest.starts_with(kSpoilerOpen)) {
        if (open == kClosed) open = clean.size();
        removed.emplace_back(i, kSpoilerOpen.size());
        i += kSpoilerOpen.size();
      } else if (rest.starts_with(kSpoilerClose)) {
        if (open != kClosed && clean.size() > open) marked.push_back({open, clean.size()});
        open = kClosed;
        removed.emplace_back(i, kSpoilerClose.size());
        i += kSpoilerClose.size();
      } else {
        clean += s.text[i++];
      }
    }
    if (open != kClosed && clean.size() > open) marked.push_back({open, clean.size()});
    // Spans found in the marked-up text move left by the markers before them.
    auto shift = [&](std::size_t offset) {
      std::size_t moved = 0;
      for (const auto& [at, bytes] : removed) {
        if (at < offset) moved += std::min(bytes, offset - at);
      }
      return offset - moved;
    };
    for (SpoilerSpan& span : spans) {
      span = {shift(span.begin), shift(span.end)};
      marked.push_back(span);
    }
    s.text = std::move(clean);
    s.spoiler_spans = merge_spoiler_spans(std::move(marked));
  }
}

}  // namespace

Record parse_page(std::string_view content, PageFormat format, std::string_view file_name) {
  Record record;
  record.id = "page:" + file_stem(file_name);
  record.origin = std::string(file_name);
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  const bool html = format == PageFormat::kHtml;

  // What the page's markup says (HTML) or its front matter (Markdown), before the text.
  std::optional<PageFacts> facts;
  std::optional<FrontMatter> front;
  bool wiki = false;  // MediaWiki wikitext (an export of a wiki page)
  std::vector<Line> lines;
  if (html) {
    HtmlReadOptions options;
    options.main_content_only = [](const HtmlMarkup& m) {
      return read_facts(m).subject == Subject::kArticle;
    };
    HtmlPage page = read_html(content, options);
    facts = read_facts(page.markup);
    if (facts->title.empty() || same_folded(facts->title, facts->site_name)) {
      facts->title = !page.markup.h1.empty() ? page.markup.h1.front() : page.markup.title;
    }
    facts->title = strip_site_name(facts->title, facts->site_name, host_of(facts->url));
    if (facts->imdb_id.empty()) {
      facts->imdb_id = page.markup.first_imdb_title_link;
    }
    lines = split_lines(page.text, /*markdown=*/true);
  } else {
    if (format == PageFormat::kMarkdown) {
      front = read_front_matter(content);
      if (front) content.remove_prefix(front->body_offset);
    }
    wiki = looks_like_wikitext(content);
    if (wiki) {
      lines = split_lines(wikitext_to_lines(content), /*markdown=*/true);
    } else {
      lines = split_lines(content, format == PageFormat::kMarkdown);
    }
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

  // Labelled metadata lines anywhere on the page, before sectioning. They are read into a
  // record of their own: an article's "Rating: 4/5" is not a film's rating.
  Record labels;
  std::vector<std::size_t> label_lines;
  // Date labels ("Published: ...", "Reviewed:") say when an article appeared: not film metadata,
  // so they neither make a page a film nor leave its text.
  auto date_label = [](std::string_view text) {
    std::size_t colon = std::min(text.find(':'), text.find("\xEF\xBC\x9A"));
    return colon != std::string_view::npos &&
           find_metadata_field(metadata_key(text.substr(0, colon))) == MetaField::kDate;
  };
  for (std::size_t i = body_begin; i < lines.size(); ++i) {
    if (lines[i].md_level == 0 && apply_metadata(lines[i].text, labels)) {
      if (!date_label(lines[i].text)) label_lines.push_back(i);
      continue;
    }
    // A label alone with its value on the next line ("<h5>Director:</h5> <a>...</a>",
    // "<p>Reviewed:</p><p>June 7, 2019</p>"). Only a label that ends in a colon: "Cast" alone is
    // a section heading.
    std::string_view label = strip_trailing_decoration(lines[i].text);
    bool colon = lines[i].text.ends_with(":") || lines[i].text.ends_with("\xEF\xBC\x9A");
    if (!colon || label.size() > 40 || i + 1 >= lines.size() || lines[i + 1].md_level > 0 ||
        lines[i + 1].bullet || lines[i + 1].text.size() > 200) {
      continue;
    }
    const std::string joined = std::string(label) + ": " + lines[i + 1].text;
    if (apply_metadata(joined, labels)) {
      if (!date_label(joined)) {
        label_lines.push_back(i);
        label_lines.push_back(i + 1);
      }
      ++i;
    }
  }

  // What the page is. Structured data first; then labelled film metadata; then a byline. An
  // HTML page with no sign of being about one film is an article (a namesake, a news story).
  bool article;
  if (facts && facts->subject != Subject::kUnknown) {
    article = facts->subject == Subject::kArticle;
  } else if (front) {
    article = !front->year && front->genres.empty() && front->directors.empty() &&
              film_label_kinds(labels) == 0;
  } else if (html || wiki) {
    article = film_label_kinds(labels) < 2;
  } else {
    article = byline_line.has_value() && label_lines.empty();
  }
  if (!article || !html) {
    for (std::size_t i : label_lines) lines[i].text.clear();
  }
  if (!article) {
    if (labels.year) record.year = labels.year;
    record.directors = std::move(labels.directors);
    record.genres = std::move(labels.genres);
    record.cast = std::move(labels.cast);
    record.runtime_min = labels.runtime_min;
    record.rating = labels.rating;
    record.votes = labels.votes;
  }
  if (article) {
    record.type = RecordType::kArticle;
    record.author = byline.author;
    record.date = !byline.date.empty() ? byline.date : labels.date;
    if (byline_line) body_begin = std::max(body_begin, *byline_line + 1);
  }

  SectionKind default_kind = SectionKind::kArticle;
  if (!article) {
    // Text before any heading: what the title's suffix names ("- Plot Summary"), else a synopsis.
    HeadingKind hk = classify_heading(title_suffix);
    default_kind = hk.known ? hk.kind : SectionKind::kSynopsis;
  }
  // An HTML title line is the page's heading, not its masthead: the body starts at the top
  // when the markup named the title (nothing before the <h1> is lost).
  if (html && facts && !facts->title.empty() && title_line && *title_line > 0) {
    lines[*title_line].text.clear();
    body_begin = 0;
  }
  std::string voted_title = build_sections(lines, body_begin, default_kind, record);
  if (record.title.empty()) record.title = std::move(voted_title);
  apply_spoiler_markers(record);

  // Structured data wins over what the text suggested.
  if (facts) {
    const PageFacts& f = *facts;
    if (!f.title.empty()) {
      std::string title = f.title;
      std::string t, rest;
      int y = 0;
      if (split_title_year(title, t, y, rest)) {
        if (!article && !record.year) record.year = y;
        title = t;
      }
      strip_site_suffix(title);
      record.title = without_repeat(title);
    }
    if (!article) {
      if (f.year) record.year = f.year;
      if (!f.directors.empty()) record.directors = f.directors;
      if (!f.genres.empty()) record.genres = f.genres;
      if (!f.cast.empty()) record.cast = f.cast;
      if (f.runtime_min) record.runtime_min = f.runtime_min;
      if (f.rating) record.rating = f.rating;
      if (f.votes) record.votes = f.votes;
    } else {
      if (!f.author.empty()) record.author = f.author;
      if (!f.date.empty()) record.date = f.date;
    }
    record.url = f.url;
    if (!f.lang.empty()) record.lang = f.lang;
    if (!f.site_name.empty()) record.source = f.site_name;
  }
  if (front) {
    const FrontMatter& fm = *front;
    if (!fm.title.empty()) record.title = fm.title;
    if (fm.year) record.year = fm.year;
    if (!fm.genres.empty()) record.genres = fm.genres;
    if (!fm.directors.empty()) record.directors = fm.directors;
    if (!fm.cast.empty()) record.cast = fm.cast;
    if (fm.runtime_min) record.runtime_min = fm.runtime_min;
    if (!fm.author.empty()) record.author = fm.author;
    if (!fm.date.empty()) record.date = fm.date;
    if (!fm.lang.empty()) record.lang = fm.lang;
    record.topics = fm.tags;
  }
  if (record.lang.empty()) record.lang = detect_lang(record);
  if (!article) {
    if (facts && !facts->imdb_id.empty()) record.film_id = facts->imdb_id;
    else if (front && !front->imdb_id.empty()) record.film_id = front->imdb_id;
    else if (!html) record.film_id = find_imdb_id(content);
    // A page without a title never joins a film by its derived key: the reader gives it its
    // own id instead.
    if (record.film_id.empty() && !record.title.empty()) {
      record.film_id = derived_film_id(record.title, record.year);
    }
  } else if (facts && facts->review && !facts->reviewed_title.empty()) {
    record.film_id = derived_film_id(facts->reviewed_title, facts->reviewed_year);
  }
  return record;
}

}  // namespace filmsearch::corpus
