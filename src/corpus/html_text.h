// HTML to plain text: keeps the block structure as lines and marks headings, drops what is never
// content (scripts, styles, navigation, headers, footers, cookie banners, link lists). The tree
// is built by gumbo, a WHATWG HTML5 parser (see corpus/page/html_reader.h).
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
//   - <script>, <style>, <template>, <svg>, <head>, <noscript>, <iframe>, form controls and
//     hidden elements are dropped; so are <nav>, <footer>, <aside>, a <header> outside
//     <article>/<main>, navigation/banner roles, link lists and elements whose class or id names
//     furniture (menus, sidebars, related/recommended panels, comments, ads, cookie and
//     newsletter boxes), unless they hold most of the page's text;
//   - character references are decoded as HTML5 defines them; whitespace runs collapse to one
//     space; a text line that would read as a heading ("# ...") is escaped as "\# ...".
// Never throws on malformed HTML: it is read as a browser would (the WHATWG tree builder).
std::string html_to_text(std::string_view html);

// Decodes the character references in `text` ("&amp;" -> "&", "&#233;" -> "é"); unknown ones
// stay as written.
std::string decode_html_entities(std::string_view text);

}  // namespace filmsearch::corpus
