// The router's pure parts: a row is a target and what it decodes to (or "refused").
#include "server/router.h"

#include <gtest/gtest.h>

namespace filmsearch::server {
namespace {

std::string show(const std::optional<Target>& t) {
  if (!t) return "refused";
  std::string out = t->path;
  for (const auto& [k, v] : t->query) out += " [" + k + "=" + v + "]";
  return out;
}

TEST(RouterTest, ParseTarget) {
  const std::pair<std::string, std::string> rows[] = {
      {"/search?q=red+shoes&genre=Drama", "/search [q=red shoes] [genre=Drama]"},
      {"/search?q=a%2Bb&q=%C3%A9t%C3%A9", "/search [q=a+b] [q=été]"},
      {"/search?&&flag&x=", "/search [flag=] [x=]"},
      {"/films/rv%3A1", "/films/rv:1"},
      {"/a+b", "/a+b"},  // '+' is a space only in the query string
      {"/search?q=%", "refused"},
      {"/search?q=%4", "refused"},
      {"/search?q=%zz", "refused"},
      {"/search?q=%00", "refused"},      // NUL
      {"/search?q=%C3", "refused"},      // cut UTF-8
      {"/search?q=%C0%AF", "refused"},   // overlong '/'
      {"search", "refused"},
      {"", "refused"},
      {"http://x/search", "refused"},
  };
  for (const auto& [target, expected] : rows) EXPECT_EQ(show(parse_target(target)), expected) << target;
}

TEST(RouterTest, MatchRoute) {
  EXPECT_EQ(match_route("/films/{id}", "/films/tt1"), std::vector<std::string>{"tt1"});
  EXPECT_FALSE(match_route("/films/{id}", "/films/"));
  EXPECT_FALSE(match_route("/films/{id}", "/films/a/b"));
  EXPECT_FALSE(match_route("/films/{id}", "/film/tt1"));
  EXPECT_EQ(match_route("/health", "/health"), std::vector<std::string>{});
  EXPECT_FALSE(match_route("/health", "/health/"));
}

TEST(RouterTest, SafeRelativePath) {
  const std::pair<std::string, bool> rows[] = {
      {"app.js", true}, {"img/logo.svg", true}, {"../x", false}, {"a/../../x", false},
      {"./app.js", false}, {".env", false}, {"/etc/passwd", false}, {"a//b", false},
      {"a\\..\\b", false}, {"", false}, {"a/", false},
  };
  for (const auto& [path, ok] : rows) EXPECT_EQ(safe_relative_path(path).has_value(), ok) << path;
}

}  // namespace
}  // namespace filmsearch::server
