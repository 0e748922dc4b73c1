// The HTML and Markdown page reader on small pages written for these tests: structured data,
// furniture, page type, front matter, spoiler markup, charsets, and bad input through the
// reader. One table per feature; each row is a page and the record rendered in one line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/page/charset.h"
#include "corpus/page/front_matter.h"
#include "corpus/page_parser.h"
#include "corpus/reader.h"
#include "corpus/record.h"
#include "corpus/spoilers.h"

namespace filmsearch::corpus {
namespace {

// A page as the reader hands it on: parsed, then through the one spoiler policy
// (corpus/spoilers.h), which finds the warnings, markup and reveals in its text. Rules only: what
// the learned tagger adds is tested in spoilers_test.cc, and moves when the model is retrained.
Record read_page(std::string_view content, PageFormat format, std::string_view name) {
  Record record = parse_page(content, format, name);
  apply_spoiler_policy(record, {.learned = false});
  return record;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The fields the page reader fills, in one line; empty fields are left out.
std::string render(const Record& r) {
  std::ostringstream out;
  out << type_name(r.type);
  if (!r.film_id.empty()) out << " film_id=" << r.film_id;
  out << " title=" << r.title;
  if (r.year) out << " year=" << *r.year;
  if (!r.directors.empty()) out << " directors=" << join(r.directors);
  if (!r.genres.empty()) out << " genres=" << join(r.genres);
  if (!r.cast.empty()) out << " cast=" << join(r.cast);
  if (r.runtime_min) out << " runtime=" << *r.runtime_min;
  if (r.rating) out << " rating=" << *r.rating;
  if (r.votes) out << " votes=" << *r.votes;
  if (!r.author.empty()) out << " author=" << r.author;
  if (!r.date.empty()) out << " date=" << r.date;
  if (!r.lang.empty() && r.lang != "en") out << " lang=" << r.lang;
  if (!r.topics.empty()) out << " topics=" << join(r.topics);
  return out.str();
}

// All section text, each section on its own line, spoiler spans in [[ ]].
std::string render_text(const Record& r) {
  std::string out;
  for (const Section& s : r.sections) {
    std::string text;
    std::size_t at = 0;
    for (const SpoilerSpan& span : s.spoiler_spans) {
      text += s.text.substr(at, span.begin - at) + "[[" +
              s.text.substr(span.begin, span.end - span.begin) + "]]";
      at = span.end;
    }
    text += s.text.substr(at);
    for (char& c : text) c = c == '\n' ? '/' : c;
    out += (s.ranked ? "" : "~") + text + "\n";
  }
  return out;
}

Record html(const std::string& page) { return read_page(page, PageFormat::kHtml, "p.html"); }

struct Case {
  const char* page;
  const char* expect;
};

TEST(PageReaderTest, StructuredDataFirst) {
  const Case cases[] = {
      // JSON-LD Movie inside @graph: every film field, the duration in ISO 8601, the rating
      // scaled to 10, the IMDb id from the canonical URL.
      {R"P(<html><head><title>Page title | Site</title>
          <link rel="canonical" href="https://www.imdb.com/title/tt0123456/">
          <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","name":"Site"},
            {"@type":"Movie","name":"The Quiet Harbour","datePublished":"2003-05-01",
             "director":[{"@type":"Person","name":"Ines Vidal"}],"genre":["Drama","Mystery"],
             "actor":[{"@type":"Person","name":"Ola Berg"}],"duration":"PT1H52M",
             "aggregateRating":{"ratingValue":"4","bestRating":"5","ratingCount":"1200"}}]}
          </script></head><body><h1>Harbour</h1><p>A story.</p></body></html>)P",
       "film film_id=tt0123456 title=The Quiet Harbour year=2003 directors=Ines Vidal "
       "genres=Drama, Mystery cast=Ola Berg runtime=112 rating=8 votes=1200"},
      // JSON-LD NewsArticle: a person as author beats the agency; the headline, not <title>.
      {R"P(<html lang="de-DE"><head><title>Berlin feiert | Zeitung</title>
          <script type="application/ld+json">[{"@type":"NewsArticle","headline":"Berlin feiert",
            "datePublished":"2021-02-03T09:00:00+01:00",
            "author":[{"@type":"Organization","name":"dpa"},{"@type":"Person","name":"Eva Roth"}]}]
          </script></head><body><article><p>Text des Artikels.</p></article></body></html>)P",
       "article title=Berlin feiert author=Eva Roth date=2021-02-03 lang=de"},
      // Malformed JSON-LD is ignored; OpenGraph says what the page is.
      {R"P(<html><head><script type="application/ld+json">{"@type": "Movie", </script>
          <meta property="og:type" content="video.movie">
          <meta property="og:title" content="Night Ferry (1999)">
          <meta property="og:site_name" content="FilmBase"></head>
          <body><p>Plot of the film.</p></body></html>)P",
       "film film_id=film:night-ferry-1999 title=Night Ferry year=1999"},
      // OpenGraph article with article:published_time and author; the site's name is cut.
      {R"P(<html><head><meta property="og:type" content="article">
          <meta property="og:title" content="Cinema reopens downtown - Daily Star">
          <meta property="og:site_name" content="Daily Star">
          <meta property="article:published_time" content="2019-11-19T22:00:00Z">
          <meta name="author" content="Sam Lee"></head>
          <body><p>The cinema reopened.</p></body></html>)P",
       "article title=Cinema reopens downtown author=Sam Lee date=2019-11-19"},
      // An agency named as author in <meta> (and as the organization in JSON-LD) gives way to
      // the byline's person; the byline's second line is a job title, not part of the name.
      {R"P(<html><head><script type="application/ld+json">{"@type":"NewsArticle",
          "headline":"Studios and writers agree","author":{"@type":"Organization",
          "name":"Wire Desk"}}</script><meta name="author" content="Wire Desk">
          <meta itemprop="author" content="Associated Press"></head>
          <body><span class="plainByline">By KIM ITO<br>Film Writer</span>
          <p>The deal was signed.</p></body></html>)P",
       "article title=Studios and writers agree author=KIM ITO"},
      // A forum post's author link names the user by handle.
      {R"P(<html><head><meta property="og:type" content="article">
          <meta property="og:title" content="The cat that watched the film"></head><body>
          <a data-testid="post_author_link" href="/user/reel_fan/">u/reel_fan</a>
          <p>He sat through the whole film.</p></body></html>)P",
       "article title=The cat that watched the film author=reel_fan"},
      // Microdata and a dateline by class when nothing else states them.
      {R"P(<html><body><article><h1 itemprop="headline">Local film club turns 50</h1>
          <span class="byline">By Ana Ruiz</span><span class="date">March 3, 2024</span>
          <p>The club met again on Tuesday.</p></article></body></html>)P",
       "article title=Local film club turns 50 author=Ana Ruiz date=2024-03-03"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, render(html(c.page))) << c.page;
}

TEST(PageReaderTest, WhatAPageIs) {
  const Case cases[] = {
      // Labelled credits without structured data: a film.
      {"<html><body><h1>Lanterns (1987)</h1><p>Director: Ken Oda</p><p>Genre: Drama</p>"
       "<p>A lantern maker's last summer.</p></body></html>",
       "film film_id=film:lanterns-1987 title=Lanterns year=1987 directors=Ken Oda genres=Drama"},
      // A namesake: a stage show sharing a film's name, no film metadata. An article, joined to
      // no film.
      {"<html><head><title>Lanterns, the musical, opens at the Rex</title></head><body>"
       "<h1>Lanterns, the musical, opens at the Rex</h1><p>The stage show opened on Friday "
       "with a cast of twelve.</p></body></html>",
       "article title=Lanterns, the musical, opens at the Rex"},
      // A review of a film (schema.org Review of a Movie): an article joined to the film.
      {R"P(<html><head><script type="application/ld+json">{"@type":"Review","name":"A fine harbour",
          "author":{"@type":"Person","name":"Jo Park"},"datePublished":"2004-01-02",
          "itemReviewed":{"@type":"Movie","name":"The Quiet Harbour","dateCreated":"2003"}}
          </script></head><body><p>I liked it.</p></body></html>)P",
       "article film_id=film:the-quiet-harbour-2003 title=A fine harbour author=Jo Park "
       "date=2004-01-02"},
      // An untitled film page never joins a film by a derived key.
      {"<html><body><p>Director: Ken Oda</p><p>Genre: Drama</p><p>Some text.</p></body></html>",
       "film title= directors=Ken Oda genres=Drama"},
      // Labels in other languages (French, Chinese with a full-width colon).
      {"<html><body><h1>Les Lanternes (1987)</h1><p>R\xC3\xA9" "alisateur : Ken Oda</p>"
       "<p>Genre : Drame</p></body></html>",
       "film film_id=film:les-lanternes-1987 title=Les Lanternes year=1987 directors=Ken Oda "
       "genres=Drame"},
      {"<html><body><h1>\xE7\x81\xAF\xE7\xAC\xBC (1987)</h1>"
       "<p>\xE5\xAF\xBC\xE6\xBC\x94\xEF\xBC\x9A\xE5\xB0\x8F\xE7\x94\xB0</p>"
       "<p>\xE7\xB1\xBB\xE5\x9E\x8B\xEF\xBC\x9A\xE5\x89\xA7\xE6\x83\x85</p></body></html>",
       "film film_id=film:-1987 title=\xE7\x81\xAF\xE7\xAC\xBC year=1987 "
       "directors=\xE5\xB0\x8F\xE7\x94\xB0 genres=\xE5\x89\xA7\xE6\x83\x85 lang=zh"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, render(html(c.page))) << c.page;
}

TEST(PageReaderTest, FurnitureIsNotContent) {
  const Case cases[] = {
      // A recommendation panel lists other films' credits: never this film's.
      {"<html><body><h1>Lanterns (1987)</h1><p>Director: Ken Oda</p><p>Genre: Drama</p>"
       "<p>A lantern maker's last summer.</p>"
       "<div class=\"more-like-this\"><h2>More like this</h2><p>Director: Someone Else</p>"
       "<p>Genre: Horror</p></div></body></html>",
       "film film_id=film:lanterns-1987 title=Lanterns year=1987 directors=Ken Oda genres=Drama"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, render(html(c.page))) << c.page;

  const Case texts[] = {
      // Navigation, asides, footers, cookie boxes, comments, hidden and script text go.
      {"<html><body><nav><a href=/>Home</a></nav><div id=\"cookie-banner\">We use cookies</div>"
       "<main><h1>Title</h1><p>First paragraph.</p><p hidden>Hidden text.</p>"
       "<p style=\"display: none\">Also hidden.</p><script>var x = 1;</script>"
       "<aside>Trending now</aside><p>Second paragraph.</p></main>"
       "<section class=\"comments\"><p>Great post!</p></section>"
       "<footer>Copyright 2024</footer></body></html>",
       "First paragraph./Second paragraph.\n"},
      // A list of links is a menu even without a class saying so.
      {"<html><body><p>Body text of the page.</p><ul><li><a href=/a>Films</a></li>"
       "<li><a href=/b>Series</a></li><li><a href=/c>People</a></li></ul></body></html>",
       "Body text of the page.\n"},
  };
  for (const Case& c : texts) EXPECT_EQ(c.expect, render_text(html(c.page))) << c.page;

  // An article keeps its main container; teasers and boxes outside it go.
  const std::string body = std::string(120, 'a') + " " + std::string(120, 'b');
  std::string text = render_text(
      html("<html><head><meta property=\"og:type\" content=\"article\"></head><body>"
           "<div class=\"teaser\"><p>Read also: another story</p></div>"
           "<div itemprop=\"articleBody\"><p>" + body +
           "</p></div><div><p>Unrelated box</p></div></body></html>"));
  EXPECT_EQ(body + "\n", text);
}

TEST(PageReaderTest, SpoilerMarkup) {
  const Case cases[] = {
      // class="spoiler" marks its own text.
      {"<html><body><p>He goes home. <span class=\"spoiler\">She was the thief.</span> "
       "The end.</p></body></html>",
       "He goes home. [[She was the thief.]] The end.\n"},
      // <details> summarised "Spoiler" marks its content, not the summary.
      {"<html><body><p>Plot.</p><details><summary>Spoilers</summary><p>He dies.</p></details>"
       "</body></html>",
       "Plot.\n[[He dies.]]\n"},
      // A <details> about something else is not a spoiler.
      {"<html><body><details><summary>Credits</summary><p>Ken Oda</p></details></body></html>",
       "Credits/Ken Oda\n"},
      // A banner that says "spoiler" itself: what follows it is the spoiler, not the banner (a
      // warning line is dropped like any spoiler disclaimer).
      {"<html><body><div class=\"content\"><div id=\"spoiler\">Warning: spoilers below.</div>"
       "<p>The twist is the mother.</p></div></body></html>",
       "[[The twist is the mother.]]\n"},
      // The word in a link or a headline is not markup.
      {"<html><body><p>Read our <a href=\"/s\">spoiler-free review</a> first.</p></body></html>",
       "Read our spoiler-free review first.\n"},
      // A link's label describes the page it leads to: a warning there is about that page, so
      // the label is navigation, not text (regression: it made the whole summary a spoiler).
      {"<html><body><p>Two thieves fall out. <a href=\"/synopsis\">full synopsis (warning! may "
       "contain spoilers)</a></p><p><a href=\"/faq\">A Note About Spoilers</a></p>"
       "<p>Was it shot in Oslo?</p></body></html>",
       "Two thieves fall out./Was it shot in Oslo?\n"},
      // Private-use characters in the page cannot forge a span.
      {"<html><body><p>a\xEE\x80\x80" "b\xEE\x80\x81" "c</p></body></html>", "abc\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, render_text(html(c.page))) << c.page;
}

TEST(PageReaderTest, FrontMatterIsFieldsNotText) {
  const Case cases[] = {
      {"---\ntitle: Lanterns\nyear: 1987\ngenres:\n- Drama\n- Family\ndirector: Ken Oda\n"
       "imdb_link: https://www.imdb.com/title/tt7654321\ndate: 2022-09-02 17:54:55+09:00\n"
       "tags: [review, japan]\n---\n## Thoughts\n\nA quiet film.\n",
       "film film_id=tt7654321 title=Lanterns year=1987 directors=Ken Oda "
       "genres=Drama, Family date=2022-09-02 topics=review, japan"},
      {"+++\ntitle = \"Notes from the festival\"\ndate = 2023-05-20\nauthor = \"Kim Ito\"\n"
       "tags = [\"festival\", \"news\"]\n[params]\ntitle = \"not this\"\n+++\nDay one.\n",
       "article title=Notes from the festival author=Kim Ito date=2023-05-20 "
       "topics=festival, news"},
      // Broken YAML: no fields, and the block is still not text.
      {"---\ntitle: [unclosed\n---\nBody.\n", "article title="},
      // A rule without a closing fence is Markdown, not front matter.
      {"---\nJust a rule above.\n", "film title="},
  };
  for (const Case& c : cases) {
    Record r = read_page(c.page, PageFormat::kMarkdown, "post.md");
    EXPECT_EQ(c.expect, render(r)) << c.page;
    std::string text = render_text(r);
    EXPECT_EQ(std::string::npos, text.find("title")) << text;
    EXPECT_EQ(std::string::npos, text.find("imdb_link")) << text;
  }
  ASSERT_TRUE(page::read_front_matter("---\ntitle: [unclosed\n---\nBody.\n"));
  EXPECT_NE("", page::read_front_matter("---\ntitle: [unclosed\n---\nBody.\n")->error);
}

TEST(PageReaderTest, Wikitext) {
  const char* page =
      "{{Short description|1987 film}}\n"
      "{{Infobox film\n| name = Lanterns\n| director = [[Ken Oda]]\n"
      "| starring = {{plainlist|\n* [[Mia Sato]]\n* Jun Abe}}\n"
      "| released = {{Film date|1987|5|1}}\n| runtime = 104 minutes\n"
      "| genre = Drama<ref>{{cite web|title=x}}</ref>\n}}\n"
      "'''''Lanterns''''' is a 1987 [[Japan|Japanese]] film.<ref name=a/>\n"
      "== Plot ==\nA lantern maker<!-- hidden --> spends his last summer "
      "[https://example.org by the sea].\n[[File:Lantern.jpg|thumb|A lantern]]\n"
      "== Cast ==\n* Mia Sato as Aki\n{| class=wikitable\n|-\n| cell\n|}\n"
      "[[Category:1987 films]]\n";
  Record r = read_page(page, PageFormat::kText, "lanterns.wiki");
  EXPECT_EQ("film film_id=film:lanterns-1987 title=Lanterns year=1987 directors=Ken Oda "
            "genres=Drama cast=Mia Sato, Jun Abe runtime=104",
            render(r));
  EXPECT_EQ(
      "Lanterns is a 1987 Japanese film.\n"
      "A lantern maker spends his last summer by the sea.\n"
      "Mia Sato as Aki\n",
      render_text(r));
}

TEST(PageReaderTest, Charsets) {
  struct CharsetCase {
    std::string bytes;
    const char* charset;
    const char* text;  // the <p> text after decoding
  };
  const CharsetCase cases[] = {
      {"<meta charset=\"iso-8859-1\"><p>Caf\xE9 cr\xE8me</p>", "windows-1252", "Caf\xC3\xA9 cr\xC3\xA8me"},
      {"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"
       "<p>\x83\x65\x83\x58\x83\x67</p>",
       "shift_jis", "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88"},
      {"<meta charset=gbk><p>\xB5\xE7\xD3\xB0</p>", "GB18030", "\xE7\x94\xB5\xE5\xBD\xB1"},
      {"<meta charset=\"windows-1251\"><p>\xCA\xE8\xED\xEE</p>", "windows-1251",
       "\xD0\x9A\xD0\xB8\xD0\xBD\xD0\xBE"},
      {"\xEF\xBB\xBF<p>\xC3\xA9t\xC3\xA9</p>", "UTF-8", "\xC3\xA9t\xC3\xA9"},
      // No declaration, not UTF-8: what browsers assume.
      {"<p>na\xEFve</p>", "windows-1252", "na\xC3\xAFve"},
      // Declared UTF-8 but Latin-1 bytes: read as windows-1252, with a warning.
      {"<meta charset=utf-8><p>na\xEFve</p>", "windows-1252", "na\xC3\xAFve"},
  };
  for (const CharsetCase& c : cases) {
    page::DecodedPage d = page::decode_page(c.bytes);
    EXPECT_EQ(c.charset, d.charset) << c.bytes;
    std::string text = render_text(html(d.text));
    EXPECT_EQ(std::string(c.text) + "\n", text) << c.bytes;
  }
  page::DecodedPage unknown = page::decode_page("<meta charset=\"x-klingon\"><p>a</p>");
  EXPECT_EQ("unknown charset \"x-klingon\"; read as UTF-8", unknown.warning);
  EXPECT_EQ("", page::decode_page("<meta charset=utf-8><p>ok</p>").warning);
}

TEST(PageReaderTest, MalformedHtmlIsReadAsABrowserWould) {
  const Case cases[] = {
      {"<p>one<p>two</table></i><div <p>three &amp &bogus; <", "one/two/three & &bogus; <\n"},
      {"<b><i>bold italic</b> italic</i>", "bold italic italic\n"},
      {"<table><tr><td>Director</td><td>Ken Oda</td></table>", "Director Ken Oda\n"},
      // Nesting far deeper than any real page keeps its text.
      {nullptr, nullptr},
  };
  for (const Case& c : cases) {
    if (c.page == nullptr) continue;
    EXPECT_EQ(c.expect, render_text(html(c.page))) << c.page;
  }
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "<div>";
  deep += "deep text";
  EXPECT_EQ("deep text\n", render_text(html(deep)));
}

// Bad files through the reader: a clear "file: message" and nothing valid lost.
TEST(PageReaderTest, BadFilesThroughTheReader) {
  const std::string dir = testing::TempDir() + "filmsearch_page_reader/";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir + name, std::ios::binary) << bytes;
  };
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 7919) % 256);
  write("a_binary.html", binary);
  write("b_unknown.html", "<meta charset=\"x-klingon\"><title>Caf\xE9</title><p>Un caf\xE9.</p>");
  write("c_good.html", "<html><head><title>Good page</title></head><body><p>Fine.</p></body>");
  std::vector<std::string> lines;
  read_inputs({dir}, {},
              {.on_record = [&](Record&& r) { lines.push_back("record " + r.title); },
               .on_diagnostic = [&](const Diagnostic& d) {
                 lines.push_back(std::filesystem::path(d.source).filename().string() + ": " +
                                 d.message);
               }});
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  EXPECT_EQ(
      "a_binary.html: binary file (not text); skipped\n"
      "b_unknown.html: unknown charset \"x-klingon\"; read as windows-1252\n"
      "record Caf\xC3\xA9\n"
      "record Good page\n",
      all);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace filmsearch::corpus

namespace filmsearch::corpus {
namespace {

// Two pages of one name in two folders are two records; a file given by name keeps its stem.
TEST(PageReaderTest, IdsFromThePathBelowTheFolderGiven) {
  const std::string dir = testing::TempDir() + "filmsearch_page_ids/";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "site/a");
  std::filesystem::create_directories(dir + "site/b");
  std::ofstream(dir + "site/a/index.html") << "<title>A</title><p>Page a.</p>";
  std::ofstream(dir + "site/b/index.html") << "<title>B</title><p>Page b.</p>";
  std::ofstream(dir + "single.html") << "<title>C</title><p>Page c.</p>";
  std::string ids;
  read_inputs({dir + "site/", dir + "single.html"}, {},
              {.on_record = [&](Record&& r) { ids += r.id + " "; }});
  EXPECT_EQ("page:a/index page:b/index page:single ", ids);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace filmsearch::corpus
