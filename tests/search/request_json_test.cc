// request_from_json: the one reader of search requests (batch lines, POST /search). A row is a
// JSON text and the request it gives, written back by request_to_json, or the error it raises.
#include "search/request_json.h"

#include <gtest/gtest.h>

namespace filmsearch::search {
namespace {

std::string read(const std::string& text) {
  try {
    SearchRequest r = request_from_json(nlohmann::ordered_json::parse(text), {}, {{"qid"}, true});
    return request_to_json(r).dump();
  } catch (const RequestError& e) {
    return "error " + e.field() + ": " + e.message();
  }
}

TEST(RequestJsonTest, ReadsEveryFieldOrNamesTheBadOne) {
  struct Row {
    std::string json, expected;
  };
  const std::string defaults_tail =
      R"("facet_top":10,"limit":10,"offset":0,"snippets":2,"typos":2,"prefix_last":false,"sort":"relevance","spoilers":"tag","group_by":"film"})";
  const Row rows[] = {
      {R"({"qid":7,"query":"red shoes"})",
       R"({"query":"red shoes","filters":{},"facets":[],)" + defaults_tail},
      {R"({"query":"x","filters":{"genre":["Drama","Music"],"year":"1940..1950","lang":"en"},)"
       R"("facets":"genre,decade","limit":3,"offset":20,"sort":"-year","spoilers":"hide",)"
       R"("group_by":"document","snippets":0,"facet_top":5})",
       R"({"query":"x","filters":{"genre":["Drama","Music"],"lang":["en"],"year":"1940..1950"},)"
       R"("facets":["genre","decade"],"facet_top":5,"limit":3,"offset":20,)"
       R"("snippets":0,"typos":2,"prefix_last":false,"sort":"-year","spoilers":"hide",)"
       R"("group_by":"document"})"},
      {R"({"filters":{"year":1948,"decade":"1940s"}})",
       R"({"query":"","filters":{"decade":["1940s"],"year":"1948"},"facets":[],)" +
           defaults_tail},
      {R"({"filters":{"year":"1940.."}})",
       R"({"query":"","filters":{"year":"1940.."},"facets":[],)" + defaults_tail},
      {R"({"filters":{"year_min":"1950"}})",
       R"({"query":"","filters":{"year":"1950.."},"facets":[],)" + defaults_tail},
      // Each of these used to be dropped without a word by the batch reader.
      {R"({"query":3})", "error query: expected a string, got a number"},
      {R"({"querry":"x"})", "error querry: unknown field (query, filters, facets, facet_top, "
                            "limit, offset, snippets, typos, prefix_last, sort, spoilers, "
                            "group_by)"},
      {R"({"filters":{"genre":3}})",
       "error filters.genre: expected a string, got a number"},
      {R"({"filters":{"genre":["Drama",null]}})",
       "error filters.genre: expected a string, got null"},
      {R"({"filters":{"colour":"red"}})",
       "error filters.colour: unknown filter (genre, year, decade, type, kind, lang, rating, "
       "year_min, year_max)"},
      {R"({"filters":{"year":".."}})",
       "error filters.year: year:.. is not a number or a range (a year or a range: 1948, "
       "1940..1950, 1940.., ..1950)"},
      {R"({"filters":{"year":"19x0"}})",
       "error filters.year: year:19x0 is not a number or a range (a year or a range: 1948, "
       "1940..1950, 1940.., ..1950)"},
      {R"({"filters":[]})", "error filters: expected an object, got an array"},
      {R"({"limit":-1})", "error limit: must be at least 0"},
      {R"({"limit":2.5})", "error limit: expected an integer, got a number"},
      {R"({"limit":"10"})", "error limit: expected an integer, got a string"},
      {R"({"offset":1e12})", "error offset: expected an integer, got a number"},
      {R"({"offset":1000000000000})", "error offset: too large"},
      {R"({"facet_top":0})", "error facet_top: must be at least 1"},
      {R"({"facets":"genre,colour"})",
       "error facets: unknown facet \"colour\" (genre, year, decade, type, kind, lang)"},
      {R"({"sort":"sideways"})", "error sort: expected relevance, year, -year, rating or title"},
      {R"({"spoilers":true})", "error spoilers: expected a string, got a boolean"},
      {R"({"group_by":"shelf"})", "error group_by: expected film, document or section"},
      {R"([1])", "error : expected a JSON object, got an array"},
  };
  for (const auto& row : rows) EXPECT_EQ(read(row.json), row.expected) << row.json;
}

TEST(RequestJsonTest, BatchLinesMayCarryTheirOwnKeys) {
  const auto j = nlohmann::ordered_json::parse(
      R"({"qid":"q1","query":"x","target":"tt1","kind":"title","limit":3})");
  EXPECT_EQ(request_from_json(j, {}, {{"qid"}, false}).limit, 3);
  EXPECT_THROW(request_from_json(j, {}, {{"qid"}, true}), RequestError);
  // Known keys are still checked.
  EXPECT_THROW(request_from_json(nlohmann::ordered_json::parse(R"({"limit":"3","target":1})"), {},
                                 {{}, false}),
               RequestError);
}

TEST(RequestJsonTest, FiltersMergeWithTheDefaults) {
  SearchRequest defaults;
  add_filter("genre", "Drama", &defaults.filters);
  defaults.limit = 3;
  SearchRequest r = request_from_json(
      nlohmann::ordered_json::parse(R"({"filters":{"genre":"Music","year_max":1950}})"), defaults);
  EXPECT_EQ(describe(r.filters), "genre:drama|music year:..1950");
  EXPECT_EQ(r.limit, 3);
}

// A filter value with a sensible reading is applied as read, and the request says so in its
// notes (the result starts with them); one without a reading names its field.
TEST(RequestJsonTest, FilterValuesAreReadOnceForEveryTool) {
  SearchRequest r = request_from_json(
      nlohmann::ordered_json::parse(R"({"filters":{"decade":"40s","year":"1950..1940"}})"), {});
  EXPECT_EQ(describe(r.filters), "year:1940..1950 decade:1940s");
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_NE(r.notes[0].find("1940s"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[1].find("1940..1950"), std::string::npos) << r.notes[1];
}

}  // namespace
}  // namespace filmsearch::search
