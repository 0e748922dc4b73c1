// The request and result types and their JSON are plain data: a program that renders results
// (the server's HTTP side, a client) includes them without Xapian.
#include "search/facet_counts.h"
#include "search/render.h"
#include "search/request.h"
#include "search/request_json.h"
#include "search/result.h"

#ifdef XAPIAN_INCLUDED_XAPIAN_H
#error "a plain data header of search/ includes <xapian.h>"
#endif

#include <gtest/gtest.h>

namespace filmsearch::search {
namespace {

TEST(PlainHeadersTest, RequestAndResultRoundTripWithoutXapian) {
  SearchRequest request{.query = "red shoes", .limit = 3, .facets = {"genre"}};
  const SearchRequest back = request_from_json(request_to_json(request), {});
  EXPECT_EQ("red shoes", back.query);
  EXPECT_EQ(3, back.limit);
  EXPECT_EQ(std::vector<std::string>{"genre"}, back.facets);

  SearchResult result;
  result.total = 1;
  result.total_exact = true;
  result.hits.push_back(Hit{.id = "f1", .title = "The Red Shoes"});
  result.facets["genre"].values.push_back({"Drama", 1});
  const nlohmann::ordered_json j = to_json(result, "red shoes");
  EXPECT_EQ("The Red Shoes", j["hits"][0]["title"]);
  EXPECT_EQ("Drama", j["facets"]["genre"]["values"][0]["value"]);
}

}  // namespace
}  // namespace filmsearch::search
