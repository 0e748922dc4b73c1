// The sample corpus in corpus/ stays clean (issue 12, item 19): read as filmsearch-index reads it,
// no id is in two files, no name carries a label ("Director: ...") or a line break, and each genre
// has one spelling. New data added to corpus/ is held to the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "corpus/reader.h"

namespace filmsearch::corpus {
namespace {

std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A name with a label or a line break in it: "Director: Neil Jordan", "Neil Jordan\nCast: ...".
bool labelled(const std::string& name) {
  const std::string l = lower_ascii(name);
  return name.find('\n') != std::string::npos || l.starts_with("director") ||
         l.find("cast:") != std::string::npos || l.find("starring:") != std::string::npos;
}

TEST(SampleCorpusTest, NoDuplicateIdsLabelledNamesOrGenreSpellings) {
  std::map<std::string, std::vector<std::string>> where;    // id -> origins
  std::map<std::string, std::set<std::string>> spellings;   // lower-cased genre -> as written
  std::vector<std::string> bad_names;
  std::vector<std::string> problems;
  ReadCallbacks callbacks;
  callbacks.on_record = [&](Record&& r) {
    where[r.id].push_back(r.origin);
    for (const auto& g : r.genres) spellings[lower_ascii(g)].insert(g);
    for (const auto* names : {&r.directors, &r.cast}) {
      for (const auto& n : *names) {
        if (labelled(n)) bad_names.push_back(r.origin + ": \"" + n + "\"");
      }
    }
  };
  callbacks.on_diagnostic = [&](const Diagnostic& d) {
    if (d.severity == Diagnostic::Severity::kError) problems.push_back(d.to_string());
  };
  read_inputs({FILMSEARCH_CORPUS_DIR}, {}, callbacks);
  ASSERT_GT(where.size(), 100u) << "corpus/ was not read";
  EXPECT_TRUE(problems.empty()) << problems.front();

  std::string duplicates;
  for (const auto& [id, origins] : where) {
    if (origins.size() < 2) continue;
    duplicates += id + " (";
    for (const auto& o : origins) duplicates += o + (&o == &origins.back() ? ")\n" : ", ");
  }
  EXPECT_EQ("", duplicates);
  std::string names;
  for (const auto& n : bad_names) names += n + "\n";
  EXPECT_EQ("", names);
  std::string genres;
  for (const auto& [folded, written] : spellings) {
    if (written.size() < 2) continue;
    for (const auto& w : written) genres += w + (w == *written.rbegin() ? "\n" : " | ");
  }
  EXPECT_EQ("", genres);
}

}  // namespace
}  // namespace filmsearch::corpus
