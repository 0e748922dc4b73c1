// The one coercion of values written as text (corpus/values.h), as every reader uses it: a JSON
// or CSV string field and a page's labelled value. One table per value kind.
#include "corpus/values.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace filmsearch::corpus {
namespace {

template <typename T>
std::string show(const std::optional<T>& v) {
  return v ? std::to_string(*v) : "none";
}

struct Case {
  const char* text;
  const char* expect;
};

TEST(ValuesTest, Years) {
  const Case cases[] = {
      {"1948", "1948"},
      {" 1948.0 ", "1948"},
      {"48", "48"},  // a whole number is the caller's to range-check
      {"1948-09-06", "1948"},
      {"6 September 1948 (UK)", "1948"},
      {"1948\xE5\xB9\xB4", "1948"},  // 1948年
      {"soon", "none"},
      {"1948.5", "none"},
      {"No. 12345", "none"},
      {"1850-01-01", "none"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, show(parse_year(c.text))) << c.text;
}

TEST(ValuesTest, Runtimes) {
  const Case cases[] = {
      {"135", "135"},
      {"135 min", "135"},
      {"135 minutes", "135"},
      {"2h 14min", "134"},
      {"2h14m", "134"},
      {"2h, 15min", "135"},
      {"1 hour 30 minutes", "90"},
      {"1.5 hours", "90"},
      {"1:30", "90"},
      {"approx. 95 min", "95"},
      // Regression: the page grammar added every number ("95 min (USA) | 102 min" was 197).
      {"95 min (USA) | 102 min (Germany)", "95"},
      {"95 min, 102 min", "95"},
      // Regression: units it did not know were minutes ("2 Std. 15 Min." was 17).
      {"2 Std. 15 Min.", "135"},
      {"1\xE6\x99\x82\xE9\x96\x93" "55\xE5\x88\x86", "115"},  // 1時間55分
      {"120\xE5\x88\x86\xE9\x92\x9F", "120"},                // 120分钟
      {"95 \xD0\xBC\xD0\xB8\xD0\xBD.", "95"},               // 95 мин.
      {"soon", "none"},
      {"3 reels", "none"},
      {"1:75", "none"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, show(parse_runtime(c.text))) << c.text;
}

TEST(ValuesTest, Lists) {
  auto render = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& i : items) out += (out.empty() ? "" : "; ") + i;
    return out;
  };
  const Case cases[] = {
      {"Drama|Music", "Drama; Music"},
      {"Action & Adventure | Drama", "Action & Adventure; Drama"},
      {"Drama, Romance", "Drama; Romance"},
      {"Joel Coen and Ethan Coen", "Joel Coen; Ethan Coen"},
      {"Crime / Thriller; Mystery", "Crime; Thriller; Mystery"},
      {" , Drama,, ", "Drama"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expect, render(split_list(c.text))) << c.text;
}

}  // namespace
}  // namespace filmsearch::corpus
