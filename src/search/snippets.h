// Snippets: for a hit, the sentences of its best-matching sections that hold the query's words,
// with the words highlighted as written (byte ranges found by the one analyzer), each marked
// with its section kind, heading and whether it is spoiler text.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/record.h"
#include "search/request.h"
#include "search/result.h"
#include "text/analyzer.h"

namespace filmsearch::index {
class TermMaker;
}

namespace filmsearch::search {

struct SnippetRequest {
  std::vector<std::string> stems;     // index terms of the query words (ParsedQuery::stems)
  std::size_t max_fragments = 2;      // fragments per hit; 0: none
  SpoilerMode spoilers = SpoilerMode::kTag;
  std::size_t max_bytes = 260;        // a longer sentence is cut around its matches
};

struct SnippetResult {
  std::vector<Snippet> snippets;
  // Query words were found in spoiler text that was not shown (kHide) and in no shown fragment.
  bool hidden_spoiler_match = false;
};

// How often the query's stems occur in one section: its own evidence when sections are ranked
// each by itself (--group-by section).
struct SectionTerms {
  std::size_t length = 0;            // tokens in the section's searched text
  std::vector<std::size_t> counts;   // per stem of the request, in its order
};

// Makes snippets. Not thread safe (owns an analyzer and stemmers): one per thread.
class SnippetMaker {
 public:
  SnippetMaker();
  ~SnippetMaker();

  // Fragments from the ranked sections of `records` (the documents of one hit, best first).
  // Candidates are sentences holding query words, preferring more distinct words, then earlier
  // records; when none holds any, the opening sentence of the first record that can be shown.
  SnippetResult make(const std::vector<const corpus::Record*>& records,
                     const SnippetRequest& request);

  // Counts `request.stems` in `section` (of a record in language `lang`), as the index terms
  // them (hyphenated compounds too). Spoiler text is left out under SpoilerMode::kExclude, as
  // the search leaves it out. An unranked section counts nothing.
  SectionTerms count_terms(const corpus::Section& section, const std::string& lang,
                           const SnippetRequest& request);

 private:
  index::TermMaker& terms_for(const std::string& lang);

  text::Analyzer analyzer_;
  std::map<std::string, std::unique_ptr<index::TermMaker>, std::less<>> term_makers_;
  std::vector<text::Token> tokens_;
};

}  // namespace filmsearch::search
