// The spoiler tagger's training data loaders (bench/spoilers/training_data.h) refuse every record
// the training blocklist lists, hashing text exactly as the blocklist's header defines.
#include "training_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "error.h"

namespace filmsearch::bench {
namespace {

std::string write_file(const std::string& name, const std::string& content) {
  const std::string path = testing::TempDir() + "/spoiler_training_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(SpoilerTrainingTest, HashesTextAsTheBlocklistDefines) {
  // Expected values from the blocklist header's Python definition.
  struct Case {
    const char* text;
    const char* normal;
    const char* hash;
  };
  const Case cases[] = {
      {"Finally the <i>Captain</i> sinks with his SHIP, and the Stra\xC3\x9F" "e is flooded.",
       "finally the captain sinks with his ship and the strasse is flooded", "044fdc4538e0a329"},
      {"\xEF\xBC\xB4\xEF\xBD\x88\xEF\xBD\x85 twin was the killer all along.",
       "the twin was the killer all along", "27275d698bcdde00"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.normal, blocklist_normal_form(c.text));
    EXPECT_EQ(c.hash, sha256_hex16(blocklist_normal_form(c.text)));
  }
  EXPECT_EQ("e371a1040821b77f", sha256_hex16("tt9999999"));
}

TEST(SpoilerTrainingTest, LoadersRefuseBlockedRecords) {
  const Blocklist blocklist = Blocklist::from_string(
      "# test\ntext 044fdc4538e0a329\ntext 27275d698bcdde00\nfilm e371a1040821b77f\n", "test");
  EXPECT_TRUE(blocklist.blocks_film("tt9999999"));
  EXPECT_FALSE(blocklist.blocks_film("tt0000001"));

  const std::string csv = write_file(
      "tvtropes.csv",
      "sentence,spoiler,verb,page,trope\n"
      "\"Finally the Captain sinks with his ship,  and the Strasse is flooded .\",True,True,P,T\n"
      "The crew sings every episode.,False,True,P,T\n"
      "Nothing happens here.,False,True,Q,T\n");
  LoadCounts counts;
  const auto pages = load_tvtropes(csv, blocklist, &counts);
  EXPECT_EQ(3u, counts.read);
  EXPECT_EQ(1u, counts.refused);
  ASSERT_EQ(2u, pages.size());
  EXPECT_EQ((std::vector<std::string>{"The crew sings every episode."}), pages[0].sentences);
  EXPECT_EQ((std::vector<std::string>{"Nothing happens here."}), pages[1].sentences);

  const std::string jsonl = write_file(
      "reddit.jsonl",
      R"({"row": 0, "thread_title": "A", "label": "Spoiler", "text_plain": "The twin was the killer all along.", "spoiler_spans": [[0, 34]]})"
      "\n"
      R"({"row": 1, "thread_title": "A", "label": "Spoiler", "text_plain": "Great show. The twin did it.", "spoiler_spans": [[12, 28]]})"
      "\n");
  LoadCounts reddit_counts;
  const auto comments = load_reddit(jsonl, blocklist, &reddit_counts);
  EXPECT_EQ(2u, reddit_counts.read);
  EXPECT_EQ(1u, reddit_counts.refused);
  ASSERT_EQ(1u, comments.size());
  EXPECT_EQ((std::vector<int>{0, 1}), comments[0].labels);
}

TEST(SpoilerTrainingTest, AMalformedBlocklistNamesItsLine) {
  try {
    Blocklist::from_string("# header\ntext 0123\nsentence abc\n", "blocklist.txt");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ("blocklist.txt:3", e.where());
  }
}

}  // namespace
}  // namespace filmsearch::bench
