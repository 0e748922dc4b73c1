// The query language, row by row: text -> Xapian::Query::get_description() and filters.
#include "search/query_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace filmsearch::search {
namespace {

std::string render(const ParsedQuery& q) {
  std::string out = q.query.get_description();
  std::string f = describe(q.filters);
  if (!f.empty()) out += " | " + f;
  return out;
}

TEST(QueryParserTest, Syntax) {
  struct Case {
    std::string query;
    const char* expect;
  };
  const Case cases[] = {
      {"red shoes", "Query(((red SYNONYM XZred) OR (shoe SYNONYM XZshoe)))"},
      {"\"red shoes\"", "Query((((red PHRASE 2 shoe) MAX ((red AND shoe) FILTER "
       "PostingSource(StoredPhraseSource(red shoe)))) OR ((XZred PHRASE 2 XZshoe) MAX ((XZred AND "
       "XZshoe) FILTER PostingSource(StoredPhraseSource(XZred XZshoe))))))"},
      {"ballet -swan", "Query(((ballet SYNONYM XZballet) AND_NOT (swan SYNONYM XZswan)))"},
      {"ballet NOT swan", "Query(((ballet SYNONYM XZballet) AND_NOT (swan SYNONYM XZswan)))"},
      {"ballet AND drama", "Query(((ballet SYNONYM XZballet) AND (drama SYNONYM XZdrama)))"},
      {"ballet OR opera", "Query(((ballet SYNONYM XZballet) OR (opera SYNONYM XZopera)))"},
      // Lowercase operators are words.
      {"ballet and opera", "Query(((ballet SYNONYM XZballet) OR (opera SYNONYM XZopera)))"},
      {"(ballet OR opera) AND red",
       "Query((((ballet SYNONYM XZballet) OR (opera SYNONYM XZopera)) AND (red SYNONYM XZred)))"},
      {"title:shoes", "Query(Sshoe)"},
      {"Title:\"red shoes\"", "Query((Sred PHRASE 2 Sshoe))"},
      {"cast:shearer director:powell", "Query((XAshearer OR XRpowel))"},
      {"ballet genre:drama year:1940..1950",
       "Query((ballet SYNONYM XZballet)) | genre:drama year:1940..1950"},
      {"genre:Drama decade:1940s rating:8..",
       "Query(<alldocuments>) | genre:drama decade:1940s rating:8.."},
      {"genre:drama OR genre:comedy", "Query(<alldocuments>) | genre:drama|comedy"},
      {"type:article kind:quote lang:en", "Query(<alldocuments>) | type:article kind:quote lang:en"},
      {"year:..1950", "Query(<alldocuments>) | year:..1950"},
      {"-genre:horror ghost", "Query(((ghost SYNONYM XZghost) AND_NOT XGhorror))"},
      {"lermon*",
       "Query((WILDCARD SYNONYM lermon SYNONYM WILDCARD SYNONYM XZlermon))"},
      {"Amélie", "Query((ameli SYNONYM XZameli))"},
      // Hostile rows: never an error, searched as words.
      {"\"Star Wars: Episode IV",
       "Query(((star SYNONYM XZstar) OR (war SYNONYM XZwar) OR (episod SYNONYM XZepisod) OR "
       "(iv SYNONYM XZiv)))"},
      {"((ballet", "Query((ballet SYNONYM XZballet))"},
      {"ballet))", "Query((ballet SYNONYM XZballet))"},
      {"year:abc", "Query((abc SYNONYM XZabc))"},
      // Regression (fuzz/query_parser_fuzzer): a year or range bound that is not a finite number
      // within int was converted to int: undefined behaviour.
      {"year:1940.1e950", "Query((1940.1e950 SYNONYM XZ1940.1e950))"},
      {"year:1e12..", "Query((1e12 SYNONYM XZ1e12))"},
      {"year:..nan", "Query((nan SYNONYM XZnan))"},
      {"rating:inf..", "Query((inf SYNONYM XZinf))"},
      {"AND OR NOT", "Query(<alldocuments>)"},
      {"\"\"", "Query(<alldocuments>)"},
      {"", "Query(<alldocuments>)"},
      {"-", "Query(<alldocuments>)"},
      {"-ballet", "Query((<alldocuments> AND_NOT (ballet SYNONYM XZballet)))"},
      {std::string("bal\0lerina", 10), "Query(((bal SYNONYM XZbal) OR (lerina SYNONYM XZlerina)))"},
      // Only stopwords: kept, or "The Who" would find nothing.
      {"the who", "Query(((the SYNONYM XZthe) OR (who SYNONYM XZwho)))"},
      // A known-item question: tags, stopwords and question words out.
      {"[TOMT][MOVIE] A movie where a girl dances in red shoes and I remember she dies",
       "Query(((girl SYNONYM XZgirl) OR (danc SYNONYM XZdanc) OR (red SYNONYM XZred) OR "
       "(shoe SYNONYM XZshoe) OR (die SYNONYM XZdie)))"},
      // Regression: a '[' after a space that opens no tag looped for ever.
      {"ballet [a long bracketed remark that is no tag] x [",
       "Query(((ballet SYNONYM XZballet) OR (long SYNONYM XZlong) OR (bracket SYNONYM XZbracket) "
       "OR (remark SYNONYM XZremark) OR (tag SYNONYM XZtag) OR (x SYNONYM XZx)))"},
      {"Star Wars [1977]", "Query(((star SYNONYM XZstar) OR (war SYNONYM XZwar) OR "
       "(1977 SYNONYM XZ1977)))"},
      // Words joined by hyphens: loose words, the compound as a phrase through positions only,
      // and the compound as one word ("xmen", as the indexer adds it). A stopword among them,
      // "well", is only in the phrase.
      {"x-men", "Query((((x PHRASE 2 men) OR (XZx PHRASE 2 XZmen)) OR (x SYNONYM XZx) OR "
       "(men SYNONYM XZmen) OR (xmen SYNONYM XZxmen)))"},
      {"title:spider-man", "Query((Sspider OR Sman OR (Sspider PHRASE 2 Sman) OR Sspiderman))"},
      {"well-known", "Query((((well PHRASE 2 known) OR (XZwell PHRASE 2 XZknown)) OR "
       "(known SYNONYM XZknown) OR (wellknown SYNONYM XZwellknown)))"},
      // In a long question (8 words or more) a compound is its words only.
      {"a con-artist film where a man fakes his death and moves to town",
       "Query((((con SYNONYM XZcon) OR (artist SYNONYM XZartist)) OR (man SYNONYM XZman) OR "
       "(fake SYNONYM XZfake) OR (death SYNONYM XZdeath) OR (move SYNONYM XZmove) OR "
       "(town SYNONYM XZtown)))"},
      // Excluding a compound excludes the compound, written either way, not each of its words.
      {"-x-men ballet", "Query(((ballet SYNONYM XZballet) AND_NOT (((x PHRASE 2 men) OR "
       "(XZx PHRASE 2 XZmen)) OR (xmen SYNONYM XZxmen))))"},
      // Not joined: a space, a slash, an en dash.
      {"x - men", "Query(((x SYNONYM XZx) OR (men SYNONYM XZmen)))"},
      {"x/men", "Query(((x SYNONYM XZx) OR (men SYNONYM XZmen)))"},
      {"1939\u20131945", "Query(((1939 SYNONYM XZ1939) OR (1945 SYNONYM XZ1945)))"},
      // Repeated words count once, with their query frequency.
      {"shoes red shoes", "Query(((shoe#2 SYNONYM XZshoe#2) OR (red SYNONYM XZred)))"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.expect, render(parse_query(c.query, nullptr))) << c.query;
  }
}

// Issue 12, item 8: search as you type.
TEST(QueryParserTest, PrefixLast) {
  struct Case {
    const char* query;
    const char* expect;
  };
  const Case cases[] = {
      {"red sh", "Query(((WILDCARD SYNONYM sh SYNONYM WILDCARD SYNONYM XZsh) OR "
                 "(red SYNONYM XZred)))"},
      {"red sh ", "Query(((red SYNONYM XZred) OR (sh SYNONYM XZsh)))"},  // a space: a word
      {"title:sho", "Query(WILDCARD SYNONYM Ssho)"},
      {"ballet genre:dra", "Query((ballet SYNONYM XZballet)) | genre:dra"},  // filters: as typed
  };
  ParseOptions options;
  options.prefix_last = true;
  for (const auto& c : cases) {
    EXPECT_EQ(c.expect, render(parse_query(c.query, nullptr, options))) << c.query;
  }
}

TEST(QueryParserTest, ExcludeSpoilersSearchesPlainTermsOnly) {
  ParseOptions options;
  options.include_spoiler_text = false;
  EXPECT_EQ("Query((red OR shoe))", parse_query("red shoes", nullptr, options).query
                                          .get_description());
  EXPECT_EQ("Query(((red PHRASE 2 shoe) MAX ((red AND shoe) FILTER "
            "PostingSource(StoredPhraseSource(red shoe)))))",
            parse_query("\"red shoes\"", nullptr, options).query.get_description());
  // Text without positions has no stopwords: only "end" narrows the stored-text check, and a
  // phrase of stopwords only is checked on its own.
  EXPECT_EQ("Query(((the PHRASE 2 end) MAX (end FILTER "
            "PostingSource(StoredPhraseSource(the end)))))",
            parse_query("\"the end\"", nullptr, options).query.get_description());
  EXPECT_EQ("Query(((of PHRASE 2 the) MAX PostingSource(StoredPhraseSource(of the))))",
            parse_query("\"of the\"", nullptr, options).query.get_description());
}

TEST(QueryParserTest, WordsKeepTheirOffsetsAndStems) {
  ParsedQuery q = parse_query("Lermontof's -ballet \"red shoes\"", nullptr);
  std::string out;
  for (const auto& w : q.words) {
    out += w.folded + "/" + w.stem + "[" + std::to_string(w.begin) + "," +
           std::to_string(w.end) + ")" + (w.negated ? "!" : "") + " ";
  }
  EXPECT_EQ("lermontof/lermontof[0,11) ballet/ballet[13,19)! red/red[21,24) shoes/shoe[25,30) ",
            out);
  EXPECT_EQ("lermontof red shoe", [&] {
    std::string s;
    for (const auto& t : q.stems) s += (s.empty() ? "" : " ") + t;
    return s;
  }());
}

// Highlights follow what is searched: stopwords dropped from an OR query are not highlighted,
// but a phrase keeps all its words. Regression: "her" and "and" were highlighted.
TEST(QueryParserTest, HighlightsOnlySearchedWords) {
  struct Case {
    const char* query;
    const char* stems;
  };
  const Case cases[] = {
      {"ballerina torn between love and her art", "ballerina torn love art"},
      {"\"the red shoes\" ballet", "the red shoe ballet"},
      // Nothing but stopwords: they are searched, so they are highlighted.
      {"the who", "the who"},
  };
  for (const Case& c : cases) {
    ParsedQuery q = parse_query(c.query, nullptr);
    std::string s;
    for (const auto& t : q.stems) s += (s.empty() ? "" : " ") + t;
    EXPECT_EQ(c.stems, s) << c.query;
  }
}

TEST(QueryParserTest, LongQueriesAreCapped) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "word" + std::to_string(i % 300) + "x ";
  ParseOptions options;
  options.max_terms = 5;
  ParsedQuery q = parse_query(text, nullptr, options);
  // Without an index the first words win.
  EXPECT_EQ(
      "Query(((word0x#7 SYNONYM XZword0x#7) OR (word1x#7 SYNONYM XZword1x#7) OR "
      "(word2x#7 SYNONYM XZword2x#7) OR (word3x#7 SYNONYM XZword3x#7) OR "
      "(word4x#7 SYNONYM XZword4x#7)))",
      q.query.get_description());
  ASSERT_EQ(1u, q.notes.size());
  EXPECT_EQ("long query: searched its 5 most informative of 300 words", q.notes[0]);
}

TEST(QueryParserTest, HostileInputNeverThrows) {
  std::string huge(100000, 'a');
  for (std::size_t i = 0; i < huge.size(); i += 7) huge[i] = ' ';
  std::string nested(10000, '(');
  std::string bad_utf8 = "caf\xC3 \xFF\xFE ballet \xE2\x82";
  for (const std::string& q : {huge, nested, bad_utf8, std::string(5000, '"'),
                               std::string("genre:") + std::string(300, 'x')}) {
    EXPECT_NO_THROW(parse_query(q, nullptr)) << q.substr(0, 40);
  }
  EXPECT_EQ("Query(((caf SYNONYM XZcaf) OR (ballet SYNONYM XZballet)))",
            parse_query(bad_utf8, nullptr).query.get_description());
}

}  // namespace
}  // namespace filmsearch::search
