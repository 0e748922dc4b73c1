#include "corpus/page_parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "corpus/html_text.h"
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

// One token per section: kind, "(speaker)" for quotes or "(source)" for reviews, "~" when not
// ranked, "!spoiler" when the whole section is a spoiler, "+spoiler" when part of it is.
std::string render_sections(const Record& record) {
  std::string out;
  for (const Section& s : record.sections) {
    if (!out.empty()) out += '|';
    out += kind_name(s.kind);
    const std::string& who = !s.speaker.empty() ? s.speaker : s.source;
    if (!who.empty()) out += "(" + who + ")";
    if (!s.ranked) out += "~";
    if (s.all_spoiler()) {
      out += "!spoiler";
    } else if (!s.spoiler_spans.empty()) {
      out += "+spoiler";
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The record's metadata in one line.
std::string render_metadata(const Record& record) {
  std::ostringstream out;
  out << type_name(record.type) << " id=" << record.id << " film_id=" << record.film_id
      << " title=" << record.title << " year=" << (record.year ? std::to_string(*record.year) : "-")
      << " lang=" << record.lang;
  if (!record.directors.empty()) out << " directors=" << join(record.directors);
  if (!record.genres.empty()) out << " genres=" << join(record.genres);
  if (!record.cast.empty()) out << " cast=" << join(record.cast);
  if (record.runtime_min) out << " runtime=" << *record.runtime_min;
  if (record.rating) out << " rating=" << *record.rating;
  if (record.votes) out << " votes=" << *record.votes;
  if (!record.author.empty()) out << " author=" << record.author;
  if (!record.date.empty()) out << " date=" << record.date;
  return out.str();
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string all_text(const Record& record) {
  std::string out;
  for (const Section& s : record.sections) out += s.heading + "\n" + s.text + "\n";
  return out;
}

TEST(PageParserTest, FindsSections) {
  struct Case {
    const char* page;
    const char* expect;
  };
  const Case cases[] = {
      {"Plot\nA heist goes wrong in a small town bank on a Friday.\n", "plot"},
      {"Plot\nA heist goes wrong in a small town bank on a Friday.\nSpoilers\nHe dies.\n",
       "plot|other!spoiler"},
      // "Spoiler-free review" is not a spoiler heading.
      {"Spoiler-free review\nGreat film, and the score is better still.\n", "review"},
      {"Memorable Quotes\n- Rick: \"Here's looking at you, kid.\"\n- Ilsa: \"Play it, Sam.\"\n",
       "quote(Rick)|quote(Ilsa)"},
      // A spoiler heading with nothing under it makes no section.
      {"Plot\nA heist goes wrong.\nEnding Explained\nCast\n- Al Pacino as Sonny\n", "plot|cast"},
      // Sub-headings without a keyword continue the enclosing kind.
      {"Detailed Plot Synopsis\nThe Beginning\nA boy finds a map in the attic of his house.\n"
       "The Middle\nThe map leads the boy and his friends to a cave.\n",
       "plot|plot"},
      // Furniture is dropped; where-to-watch is kept, unranked; "Rate" drops its block.
      {"Synopsis\nA mouse in Paris learns to cook.\nJump to:\nWhere to Watch\nOn Example+.\n"
       "Rate\nThere are no reviews yet. Be the first one to write one.\nStars in the sky.\n",
       "synopsis|other~"},
      // A disclaimer turns a summary page's text after it into a spoiler plot.
      {"Plot Summary\n- A mouse in Paris dreams of cooking in a great restaurant one day.\n"
       "The synopsis below may give away important plot points.\n- The mouse wins.\n",
       "synopsis|plot!spoiler"},
      // ...unless it says it won't.
      {"Summary\nThis review won't give away the ending.\nA mouse cooks.\n", "synopsis"},
      // Disclaimers are the spoiler policy's (is_spoiler_disclaimer), in other words too.
      {"Summary\nA mouse cooks.\nFair warning: what follows discloses major plot points.\n"
       "The critic loves the soup.\n",
       "synopsis|plot!spoiler"},
      {"Summary\nA mouse cooks.\nThis is written without revealing major plot points.\n"
       "The critic loves the soup.\n",
       "synopsis"},
      {"Summary\nA mouse cooks.\nNo spoilers below, promise.\nThe critic loves the soup.\n",
       "synopsis"},
      // FAQ: questions head their answers; an answer telling a death is a spoiler.
      {"FAQ\nIs it a true story?\nNo.\nHow does it end?\nThe chef dies in a fire.\n",
       "faq|faq!spoiler"},
      // Inline warnings in reviews.
      {"Reviews\nLovely film. SPOILER ALERT the rat wins.\n", "review+spoiler"},
      {"Reviews\n- The Daily Example: \"A triumph.\"\n- Film Weekly: \"Too long.\"\n",
       "review(The Daily Example)|review(Film Weekly)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.expect, render_sections(read_page(c.page, PageFormat::kText, "t.txt")))
        << c.page;
  }
}

// Section headings in other languages come from the rules' data tables, like English ones.
TEST(PageParserTest, FindsSectionsByHeadingsInOtherLanguages) {
  struct Case {
    const char* page;
    const char* expect;
  };
  const Case cases[] = {
      {"Handlung\nEin Junge findet eine Karte auf dem Dachboden seines Hauses.\nBesetzung\n"
       "- Ken Oda als Vater\nKommentare\nToller Film!\n",
       "plot|cast"},
      {"Sinopsis\nUn ratón en París aprende a cocinar en un gran restaurante.\nCríticas\n"
       "Una película preciosa, llena de humor y de ternura.\n",
       "synopsis|review"},
      {"R\xC3\xA9sum\xC3\xA9\nUne souris à Paris apprend à cuisiner dans un grand restaurant.\n"
       "Anecdotes\nLe tournage a duré deux ans dans trois pays différents.\n",
       "synopsis|trivia"},
      {"\xD0\xA1\xD1\x8E\xD0\xB6\xD0\xB5\xD1\x82\n"  // Сюжет
       "\xD0\x9C\xD0\xB0\xD0\xBB\xD1\x8C\xD1\x87\xD0\xB8\xD0\xBA "
       "\xD0\xBD\xD0\xB0\xD1\x85\xD0\xBE\xD0\xB4\xD0\xB8\xD1\x82 "
       "\xD0\xBA\xD0\xB0\xD1\x80\xD1\x82\xD1\x83.\n",  // Мальчик находит карту.
       "plot"},
      {"\xE5\x89\xA7\xE6\x83\x85\xE7\xAE\x80\xE4\xBB\x8B\n"  // 剧情简介
       "\xE4\xB8\x80\xE5\x8F\xAA\xE8\x80\x81\xE9\xBC\xA0\xE5\xAD\xA6\xE5\x81\x9A"
       "\xE9\xA5\xAD\xE3\x80\x82\n"  // 一只老鼠学做饭。
       "\xE5\xBD\xB1\xE8\xAF\x84\n"  // 影评
       "\xE5\xBE\x88\xE5\xA5\xBD\xE7\x9C\x8B\xE3\x80\x82\n",  // 很好看。
       "synopsis|review"},
      {"\xE3\x81\x82\xE3\x82\x89\xE3\x81\x99\xE3\x81\x98\n"  // あらすじ
       "\xE3\x83\x8D\xE3\x82\xBA\xE3\x83\x9F\xE3\x81\x8C\xE6\x96\x99\xE7\x90\x86"
       "\xE3\x82\x92\xE5\xAD\xA6\xE3\x81\xB6\xE3\x80\x82\n"  // ネズミが料理を学ぶ。
       "\xEA\xB4\x80\xEB\xA0\xA8\xEA\xB8\xB0\xEC\x82\xAC\n"  // 관련기사
       "\xEB\x8B\xA4\xEB\xA5\xB8 \xEA\xB8\xB0\xEC\x82\xAC.\n",  // 다른 기사.
       "synopsis"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.expect, render_sections(read_page(c.page, PageFormat::kText, "t.txt")))
        << c.page;
  }
}

// The learned tagger reads the sections about the film (synopsis, plot, review, quotes, FAQ,
// trivia), not text the reader could not place: a blog's notes on its own scores, a page's
// technical panel. Regression: before, such "other" sections of film pages got learned spans
// (a page without any spoiler had some).
TEST(PageParserTest, LearnedSpoilersOnlyInSectionsAboutTheFilm) {
  const std::string page =
      "---\ntitle: Lanterns\nyear: 1987\n---\n"
      "## Review\n\nIn the end, the keeper dies in the storm and his son is revealed to be the "
      "one who lit the false lamp.\n\n"
      "## My Rating System\n\nI will explain how my scores work at the end of the year, and it "
      "turns out most films land in the middle. The ending of each post says whether I would "
      "watch it again.\n\n"
      "## Screen format\n\n2.35 : 1. See the full technical notes. The final cut runs long.\n";
  Record record = parse_page(page, PageFormat::kMarkdown, "lanterns.md");
  apply_spoiler_policy(record);
  EXPECT_EQ("review!spoiler|other|other", render_sections(record));
  for (const Section& s : record.sections) {
    if (s.kind == SectionKind::kOther) EXPECT_TRUE(s.possible_spoiler_spans.empty()) << s.heading;
  }
}

TEST(PageParserTest, ReadsMetadata) {
  struct Case {
    const char* page;
    PageFormat format;
    const char* expect;
  };
  const Case cases[] = {
      {"Heat (1995) - Plot Summary\n- Director: Michael Mann\n- Runtime (length): 2h 50min\n"
       "- IMDb rating: 8.3/10 (1.2M votes)\n", PageFormat::kText,
       "film id=page:heat film_id=film:heat-1995 title=Heat year=1995 lang=en "
       "directors=Michael Mann runtime=170 rating=8.3 votes=1200000"},
      {"Le Samouraï (1967)\nGenre: Crime, Drama\nStarring: Alain Delon and Nathalie Delon\n"
       "Running time: 105 min\nSee it on https://www.imdb.com/title/tt0062229/ now.\n", PageFormat::kText,
       "film id=page:heat film_id=tt0062229 title=Le Samouraï year=1967 lang=en "
       "genres=Crime, Drama cast=Alain Delon, Nathalie Delon runtime=105"},
      // No year: the film id is the slug alone; ASCII folding of accents.
      {"# Amélie\nA waitress in Montmartre.\n", PageFormat::kMarkdown,
       "film id=page:heat film_id=film:amelie title=Amélie year=- lang=en"},
      {"News Site\nBallet Returns\nBy JOHN O'HARA | March 3, 2024\nThe ballet returned to town.\n", PageFormat::kText,
       "article id=page:heat film_id= title=Ballet Returns year=- lang=en author=John O'hara "
       "date=2024-03-03"},
      {"新闻\n红舞鞋上演\nBy Li Wei | 2025-09-09\n重庆芭蕾舞团的红舞鞋在北京上演，观众反响热烈。\n", PageFormat::kText,
       "article id=page:heat film_id= title=红舞鞋上演 year=- lang=zh author=Li Wei "
       "date=2025-09-09"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.expect,
              render_metadata(read_page(c.page, c.format, "/some/dir/heat.txt")))
        << c.page;
  }
}

TEST(HtmlTextTest, KeepsBlocksAndDropsFurniture) {
  struct Case {
    const char* html;
    const char* expect;
  };
  const Case cases[] = {
      {"<h1>Title</h1><p>Some <b>bold</b>\n text.</p>", "# Title\n\nSome bold text.\n"},
      {"<ul><li>One</li><li>Two &amp; three</li></ul>", "- One\n- Two & three\n"},
      {"<p>a<br>b</p><script>x<y</script><style>p{}</style>", "a\nb\n"},
      {"<nav><a>Home</a></nav><div class=\"cookie-notice\">We use cookies</div><p>Body</p>"
       "<footer>(c)</footer>",
       "Body\n"},
      {"<dl><dt>Director</dt><dd>Ana</dd><dt>Year</dt><dd>1999</dd></dl>",
       "Director: Ana\nYear: 1999\n"},
      {"<p>&#233;t&#xE9; &eacute; &nbsp;&unknown; 3 &lt; 4</p>", "été é &unknown; 3 < 4\n"},
      {"<h3>Cast<h3><p>x</p>", "### Cast\n\nx\n"},
      {"<p># not a heading</p>", "\\# not a heading\n"},
      {"<p>a < b</p><!-- hidden <p>no</p> -->", "a < b\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, html_to_text(c.html)) << c.html;
}

// Pages written for these tests, of shapes the seeds do not have.
TEST(PageParserTest, ParsesFixturePages) {
  struct Case {
    const char* file;
    PageFormat format;
    const char* metadata;
    const char* sections;
  };
  const Case cases[] = {
      {"fanwiki_the_lighthouse_keeper.md", PageFormat::kMarkdown,
       "film id=page:fanwiki_the_lighthouse_keeper film_id=film:the-lighthouse-keeper-1999 "
       "title=The Lighthouse Keeper year=1999 lang=en directors=Ailsa Brodie "
       "genres=Mystery, Drama cast=Tom Fraser, Mhairi Ross runtime=104 rating=7.2 votes=1200000",
       "synopsis|plot|plot|other!spoiler|review+spoiler|quote(Euan)|quote(Inspector Hay)|other~"},
      {"night_train_1999.html", PageFormat::kHtml,
       "film id=page:night_train_1999 film_id=tt0123456 title=Night Train to Lisbon year=1999 "
       "lang=en directors=Ana Ribeiro genres=Thriller, Romance cast=Marta Sousa, Pedro Alves "
       "runtime=112 rating=6.9 votes=12345",
       "synopsis|cast|review+spoiler|faq|faq!spoiler"},
  };
  for (const Case& c : cases) {
    std::filesystem::path path = std::filesystem::path(FILMSEARCH_TEST_DATA) / "pages" / c.file;
    std::optional<std::string> page = read_file(path);
    ASSERT_TRUE(page) << path;
    Record record = read_page(*page, c.format, path.string());
    EXPECT_EQ(c.metadata, render_metadata(record)) << c.file;
    EXPECT_EQ(c.sections, render_sections(record)) << c.file;
    std::string text = all_text(record);
    for (const char* furniture :
         {"Random page", "Sign in", "Top 250", "cookies", "Trending", "All rights reserved",
          "Privacy", "Wicker Man", "not a title", "color: red"}) {
      EXPECT_EQ(std::string::npos, text.find(furniture)) << c.file << ": " << furniture;
    }
  }
}

TEST(PageParserTest, HtmlPageDetails) {
  std::filesystem::path path =
      std::filesystem::path(FILMSEARCH_TEST_DATA) / "pages" / "night_train_1999.html";
  std::optional<std::string> page = read_file(path);
  ASSERT_TRUE(page);
  Record record = read_page(*page, PageFormat::kHtml, path.string());
  ASSERT_EQ(5u, record.sections.size());
  EXPECT_EQ("A translator boards the night train from Madrid & meets a stranger\n"
            "who claims to know her father.",
            record.sections[0].text);
  EXPECT_EQ("What happens at the end?", record.sections[4].heading);
  EXPECT_EQ("The stranger dies at Coimbra and Inês finishes the journey alone.",
            record.sections[4].text);
  const Section& review = record.sections[2];
  ASSERT_EQ(1u, review.spoiler_spans.size());
  EXPECT_EQ("SPOILER ALERT: the stranger is her father, and he jumps from the train at Coimbra.",
            review.text.substr(review.spoiler_spans[0].begin));
}

// The seed pages, as received (a copy is in corpus/pages/).
class SeedPageTest : public testing::Test {
 protected:
  Record parse(const char* file) {
    std::filesystem::path path = std::filesystem::path(FILMSEARCH_CORPUS_DIR) / "pages" / file;
    std::optional<std::string> page = read_file(path);
    if (!page) return {};
    return read_page(*page, PageFormat::kText, path.string());
  }
};

TEST_F(SeedPageTest, FilmPageWithEverything) {
  Record record = parse("000_b9310d9ccb5f310d.txt");
  if (record.id.empty()) GTEST_SKIP() << "corpus/pages missing";
  EXPECT_EQ(
      "film id=page:000_b9310d9ccb5f310d film_id=film:the-red-shoes-1948 title=The Red Shoes "
      "year=1948 lang=en directors=Michael Powell genres=Drama, Music, Romance "
      "cast=Moira Shearer, Anton Walbrook, Marius Goring, Robert Helpmann, Léonide Massine "
      "runtime=135 rating=8.1 votes=44000",
      render_metadata(record));
  EXPECT_EQ(
      "synopsis|plot|plot|plot|cast|quote(Boris Lermontov)|quote(Victoria Page)|"
      "quote(Boris Lermontov)|quote(Boris Lermontov)|quote(Victoria Page)!spoiler|trivia|review|"
      "review(The New York Times)|review(Variety)|review|trivia|trivia|other~|other~|other~|"
      "trivia|faq|faq|faq!spoiler|other~",
      render_sections(record));
  ASSERT_GE(record.sections.size(), 5u);
  EXPECT_EQ("Plot Summary – Badly Explained", record.sections[0].heading);
  EXPECT_EQ("Introduction to Victoria and Julian", record.sections[1].heading);
  EXPECT_EQ("“Why do you want to dance?” – Lermontov challenges Vicky to define her passion for "
            "dance.",
            record.sections[5].text);
  std::string text = all_text(record);
  for (const char* furniture : {"Trailer", "Rotten Tomatoes", "There are no reviews", "Rate"}) {
    EXPECT_EQ(std::string::npos, text.find(furniture)) << furniture;
  }
}

TEST_F(SeedPageTest, PlotSummaryPage) {
  Record record = parse("001_f634b9851a1b32a1.txt");
  if (record.id.empty()) GTEST_SKIP() << "corpus/pages missing";
  EXPECT_EQ(
      "film id=page:001_f634b9851a1b32a1 film_id=film:the-red-shoes-1948 title=The Red Shoes "
      "year=1948 lang=en",
      render_metadata(record));
  EXPECT_EQ("synopsis|synopsis|synopsis|synopsis|plot!spoiler", render_sections(record));
  std::string text = all_text(record);
  for (const char* furniture : {"Showing all", "Jump to", "See also", "Taglines", "Contribute",
                                "Recently Viewed", "may give away", "Poster"}) {
    EXPECT_EQ(std::string::npos, text.find(furniture)) << furniture;
  }
  // The long synopsis keeps its paragraphs.
  EXPECT_NE(std::string::npos, text.find("\nVicky, completely distraught, commits suicide"));
}

TEST_F(SeedPageTest, NewsArticle) {
  Record record = parse("002_31b4901ef4129c91.txt");
  if (record.id.empty()) GTEST_SKIP() << "corpus/pages missing";
  EXPECT_EQ(
      "article id=page:002_31b4901ef4129c91 film_id= title=Chongqing Ballet's \"The Red Shoes\" "
      "Stages in Beijing year=- lang=en author=Natalia Vakhrusheva date=2025-09-09",
      render_metadata(record));
  EXPECT_EQ("article", render_sections(record));
  std::string text = all_text(record);
  EXPECT_TRUE(text.starts_with("\nBeijing — The Chongqing-produced ballet")) << text;
  EXPECT_TRUE(text.ends_with("upheld national dignity with their lives.\n")) << text;
  for (const char* furniture : {"iChongqing Title", "MUST READ", "New Era", "cookie", "Privacy",
                                "67158993", "ICP", "I Agree", "About Us", "Back", "inquiries"}) {
    EXPECT_EQ(std::string::npos, text.find(furniture)) << furniture;
  }
}

}  // namespace
}  // namespace filmsearch::corpus
