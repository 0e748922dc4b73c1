// Reads one saved web page (plain text copied from a browser, Markdown, or HTML) into one corpus
// Record: title, year and film metadata, typed sections (synopsis, plot, review, quote, cast,
// faq, trivia, article, other) with spoiler spans, and page furniture dropped or unranked.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "corpus/film_id.h"
#include "corpus/record.h"

namespace filmsearch::corpus {

enum class PageFormat { kText, kMarkdown, kHtml };

// Parses one saved web page (plain text, Markdown or HTML) into one Record.
//
// Returns a Record with:
//   - id = "page:" + the stem of `file_name` (no folders, no extension); origin = file_name;
//   - type kArticle when the page has a byline ("By NAME|Sep 09,2025") and no film metadata,
//     with author (an ALL-CAPS name title-cased), date (ISO 8601) and an empty film_id;
//     otherwise kFilm, with film_id = the first IMDb id on the page (tt + 7 or 8 digits), else
//     derived_film_id(title, year);
//   - title (site suffixes such as " - Plot Summary" removed) and year ("Title (1948)",
//     "Release year: 1948"); directors, genres, cast, runtime_min ("2h 15min" -> 135), rating
//     ("8.1/10") and votes ("44k" -> 44000) from metadata lines ("Director: ...", "- Genre: ...");
//   - lang: "en", "zh", "ko" or "ja" by the script most of the letters are in;
//   - sections in page order, none empty. Headings (Markdown '#', HTML h1-h6, emoji-led lines,
//     known section names, short title-like lines followed by text) pick the kind from a keyword
//     table; sub-headings without a keyword continue the enclosing kind. Quotes, FAQ answers,
//     professional reviews and list-style summaries become one section each. Where-to-watch,
//     shop and similar-film blocks are kept with ranked = false; navigation, cookie, licence
//     and "Rate"/"See also"-style blocks are dropped.
//   - spoiler spans: whole sections under a spoiler heading or after a disclaimer ("The
//     synopsis below may give away important plot points."), inline warnings in any ranked
//     section (find_inline_spoilers), and reveal cues in FAQ answers, quotes and plot sections
//     (find_reveal_spoilers).
// Never throws: a page with nothing recognizable yields a Record with whatever text it has.
// `content` should be UTF-8; it is not validated here (readers repair encodings).
Record parse_page(std::string_view content, PageFormat format, std::string_view file_name);

// derived_film_id: corpus/film_id.h (film identity has one home).

}  // namespace filmsearch::corpus
