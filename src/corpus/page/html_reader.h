// HTML to the page reader's lines and to what the page's markup says about itself. The tree is
// built by gumbo (libgumbo, Google's implementation of the WHATWG HTML5 parsing algorithm), so a
// saved page is read the way a browser reads it: unclosed and misnested tags, entities, raw-text
// elements and stray '<' all follow the standard. On that tree this file decides which blocks
// are content and which are furniture (navigation, headers, footers, asides, menus, cookie and
// newsletter boxes, recommendation panels, comments, link lists), and which are spoilers by
// markup. Internal to src/corpus/page/.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace filmsearch::corpus::page {

// Spoiler markers in the text read_html returns: what lies between kSpoilerOpen and
// kSpoilerClose (on one line) was marked as a spoiler by the page's markup. Private-use code
// points, so they never occur in page text (read_html drops any that do).
inline constexpr std::string_view kSpoilerOpen = "\xEE\x80\x80";   // U+E000
inline constexpr std::string_view kSpoilerClose = "\xEE\x80\x81";  // U+E001

// `text` without kSpoilerOpen and kSpoilerClose.
std::string without_spoiler_markers(std::string_view text);

// What the markup says, by source, before any of it is believed (structured_data.h decides).
struct HtmlMarkup {
  std::string title;      // <title>, whitespace collapsed
  std::string lang;       // <html lang>
  std::string canonical;  // <link rel="canonical" href>
  // <meta name|property|itemprop=... content=...>: the key lowercased, in page order.
  std::vector<std::pair<std::string, std::string>> meta;
  std::vector<std::string> json_ld;  // the text of each <script type="application/ld+json">
  // itemprop=... outside <meta>: the value is content=, datetime=, href= or the element's text.
  std::vector<std::pair<std::string, std::string>> itemprops;
  std::vector<std::string> times;  // <time datetime> in content, in page order
  std::vector<std::string> h1;     // <h1> texts in content, in page order
  std::string first_imdb_title_link;  // the first href naming /title/tt... in content
  // Texts of the first elements that look like a byline (rel=author; class, id or data-testid
  // naming byline or author) and like a dateline (class naming date, published, timestamp).
  std::vector<std::string> bylines;
  std::vector<std::string> datelines;
};

struct HtmlPage {
  // Content as lines in the Markdown form split_lines reads: "# " headings, "- " list items,
  // "Key: Value" for <dt>/<dd> and two-cell table rows, blank lines between blocks.
  std::string text;
  HtmlMarkup markup;
};

struct HtmlReadOptions {
  // Asked once the markup is read; true: when the page has one clear main container
  // (itemprop=articleBody, a class naming an article body, a dominant <article>, <main>), only
  // its content is text. Unset (the default): every block that is not furniture is text.
  // parse_page answers true for articles; film pages spread their content over many blocks.
  std::function<bool(const HtmlMarkup&)> main_content_only = nullptr;
};

// Parses `html` (UTF-8; invalid bytes are replaced) and returns its content text and markup.
// Never throws on malformed HTML. Deeply nested markup is read to a fixed depth; what lies
// deeper is kept as text of its ancestor.
HtmlPage read_html(std::string_view html, const HtmlReadOptions& options = {});

}  // namespace filmsearch::corpus::page
