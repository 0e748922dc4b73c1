// Hostile queries against a real index through filmsearch-query: 10,000 words, a prefix* over a
// vocabulary of 20,000 words starting with it, 1,000 nested brackets, --limit 1000000. Each must
// answer (exit 0, one well-formed JSON object, the hits it should have); the wildcard expansion
// is capped with a note. No timing asserts: bounded work shows as the test finishing.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reliability_support.h"

namespace filmsearch::reliability {
namespace {

constexpr int kFilms = 200;
constexpr int kWordsPerFilm = 100;  // 20,000 distinct words starting with "a"

// "a" followed by `n` written in letters (base 26): aaaa, aaab, ... distinct for every n.
std::string a_word(int n) {
  std::string w;
  for (int i = 0; i < 4; ++i) {
    w.insert(w.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  }
  return "a" + w;
}

class LimitsTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::TempDir() + "filmsearch-limits-" + std::to_string(::getpid()));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    std::ofstream out(*dir_ + "/vocabulary.jsonl");
    for (int f = 0; f < kFilms; ++f) {
      std::string text = "A ballet film about red shoes.";
      for (int w = 0; w < kWordsPerFilm; ++w) text += " " + a_word(f * kWordsPerFilm + w);
      nlohmann::json r = {{"id", "film" + std::to_string(f)},
                          {"type", "film"},
                          {"title", "Film " + std::to_string(f)},
                          {"year", 1940 + f % 20},
                          {"genres", {"Drama"}},
                          {"sections", {{{"kind", "plot"}, {"text", text}}}}};
      out << r.dump() << '\n';
    }
    out.close();
    std::string output;
    ASSERT_EQ(0, run({FILMSEARCH_INDEX_BIN, "--index", *dir_ + "/index.db", "-q",
                      *dir_ + "/vocabulary.jsonl"},
                     &output))
        << output;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  // Runs one query; returns its JSON answer (fails the test when it did not answer).
  static nlohmann::json query(const std::string& text, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {FILMSEARCH_QUERY_BIN, "--index", *dir_ + "/index.db",
                                     "--format", "json", "--group-by", "document"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("--");
    argv.push_back(text);
    std::string output;
    const int code = run(argv, &output);
    EXPECT_EQ(0, code) << output.substr(0, 2000);
    const auto j = nlohmann::json::parse(output, nullptr, false);
    EXPECT_TRUE(j.is_object()) << output.substr(0, 2000);
    return j.is_object() ? j : nlohmann::json::object();
  }

  static std::string* dir_;
};

std::string* LimitsTest::dir_ = nullptr;

TEST_F(LimitsTest, TenThousandWordsAnswer) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += a_word(i * 7 % (kFilms * kWordsPerFilm)) + " ";
  text += "ballet";
  const auto j = query(text);
  EXPECT_GT(j.value("total", 0), 0) << j.dump().substr(0, 500);
  // The long query was cut to its most informative terms, and says so.
  EXPECT_NE(std::string::npos, j.value("notes", nlohmann::json::array()).dump().find("long query"))
      << j["notes"];
}

TEST_F(LimitsTest, WildcardOverALargeVocabularyIsCappedWithANote) {
  const auto j = query("a*");
  EXPECT_GT(j.value("total", 0), 0) << j.dump().substr(0, 500);
  const std::string notes = j.value("notes", nlohmann::json::array()).dump();
  EXPECT_NE(std::string::npos, notes.find("a*")) << notes;
}

TEST_F(LimitsTest, ThousandNestedBracketsAnswer) {
  const std::string text = std::string(1000, '(') + "ballet" + std::string(1000, ')');
  const auto j = query(text);
  EXPECT_EQ(kFilms, j.value("total", 0)) << j.dump().substr(0, 500);
  // Unbalanced the other way round too.
  const auto k = query(std::string(1000, ')') + "ballet" + std::string(1000, '('));
  EXPECT_EQ(kFilms, k.value("total", 0)) << k.dump().substr(0, 500);
}

TEST_F(LimitsTest, HugeLimitReturnsEveryHitOnce) {
  const auto j = query("ballet", {"--limit", "1000000", "--snippets", "0"});
  EXPECT_EQ(kFilms, j.value("total", 0));
  EXPECT_EQ(static_cast<std::size_t>(kFilms), j.value("hits", nlohmann::json::array()).size());
}

}  // namespace
}  // namespace filmsearch::reliability
