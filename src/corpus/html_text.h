// HTML to plain text for the page parser: keeps the block structure as lines and marks headings,
// drops what is never content (scripts, styles, navigation, headers, footers, forms, cookie
// banners). A small tolerant scanner, not a conforming HTML parser: saved pages are often broken.
#pragma once

#include <string>
#include <string_view>

namespace filmsearch::corpus {

// Returns the text of `html` (UTF-8) as lines, in Markdown form so the page parser reads one
// syntax:
//   - <h1>..<h6> become their own line "# text" .. "###### text";
//   - <li> becomes "- item"; <dt>Key</dt><dd>Value</dd> and <th>Key</th><td>Value</td> become
//     "Key: Value"; <br> is a line break; <p>, <div> and other blocks end lines; a blank line
//     separates blocks;
//   - <script>, <style>, <template>, <svg>, <head>, <nav>, <header>, <footer>, <aside>, <form>,
//     <noscript>, <iframe>, role="navigation" and elements whose class or id names a cookie or
//     consent banner, a menu, breadcrumbs, a sidebar, ads or a newsletter box are dropped with
//     their content;
//   - character references are decoded (named ones common on web pages, and all numeric ones);
//     whitespace runs collapse to one space; a text line that would read as a heading ("# ...")
//     is escaped as "\# ...".
// Never throws on malformed HTML: unclosed tags close at their parent's end, a stray '<' is text.
std::string html_to_text(std::string_view html);

// Decodes the character references in `text` ("&amp;" -> "&", "&#233;" -> "é"); unknown ones
// stay as written.
std::string decode_html_entities(std::string_view text);

}  // namespace filmsearch::corpus
