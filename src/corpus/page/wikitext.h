// MediaWiki wikitext, as exported from Wikipedia or a fan wiki, to the Markdown-like lines the
// page reader reads: "== Plot ==" headings, infobox parameters as labelled lines ("Director:
// ..."), templates, references, comments, tables and file links removed, links kept as their
// text. Internal to src/corpus/page/.
#pragma once

#include <string>
#include <string_view>

namespace filmsearch::corpus::page {

// True when `content` reads as wikitext: an "{{Infobox" template, or two or more lines of the
// form "== Heading ==" together with [[links]] or {{templates}}.
bool looks_like_wikitext(std::string_view content);

// Returns the page as lines: "# name" from the infobox's name parameter, then one "Key: value"
// line per infobox parameter the page reader knows (director, genre, starring, released,
// runtime, ...), then the article with "## " / "### " headings and "- " list items.
std::string wikitext_to_lines(std::string_view wikitext);

}  // namespace filmsearch::corpus::page
