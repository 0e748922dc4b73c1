// Index terms from analyzer tokens: Snowball stemming (Xapian::Stem) by the record's language,
// English by default; numbers and Chinese/Japanese words are kept as they are. The document
// builder and the query parser both use it, so a query word meets the term its text produced.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "text/analyzer.h"

namespace filmsearch::index {

// Not thread safe (it caches stems): one per thread.
class TermMaker {
 public:
  // `lang` is a BCP 47 code ("en", "fr", "de"...). Empty means English; a language without a
  // Snowball stemmer (zh, ja, ko...) means no stemming.
  explicit TermMaker(std::string_view lang = "");

  // The unprefixed term for a token; empty when the token cannot be a term (over Xapian's
  // term length limit). The reference stays valid until the next call.
  const std::string& term(const text::Token& token);

  // term(token), and whether it is a stopword's term (is_stopword_term), decided once per
  // distinct word: the indexer asks both for every token.
  struct Term {
    const std::string& text;
    bool stopword;
  };
  Term term_of(const text::Token& token);

  // The stem of a folded word (cached).
  const std::string& stem(const std::string& folded);

  // The term of a compound's word written without its hyphens (text::hyphen_compounds:
  // "spiderman"); empty over Xapian's term length limit. The indexer adds it, the query parser
  // searches it.
  const std::string& compound_term(const text::Compound& compound);

  // True when `term` (unprefixed, as term() makes it) is the term of a stopword
  // (text::stopwords()) in this language. Decided on terms, not words: "gets" makes the term
  // of the stopword "get", so a query word and the text it should meet always agree.
  bool is_stopword_term(std::string_view term) const;

 private:
  // The stem cache: open addressing over a power-of-two table of (word, stem) slots, probed
  // linearly from the word's hash. Measured against std::unordered_map on review text (most
  // lookups are hits on a few thousand common words): the node-based map spent most of its time
  // walking bucket chains; a flat table keeps short words and stems inline (SSO).
  struct Slot {
    std::size_t hash = 0;
    std::string word;  // empty: free
    std::string stem;
    bool stopword = false;  // is_stopword_term(stem)
  };
  const Slot& slot_of(const std::string& folded);
  const Slot& insert(std::size_t hash, const std::string& folded);

  Xapian::Stem stemmer_;
  bool stems_ = false;
  std::vector<std::string> stopword_terms_;  // sorted
  std::size_t longest_stopword_term_ = 0;
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
  std::string scratch_;
};

// The stemmer language name for a BCP 47 code, or "" when Xapian has none ("zh").
std::string stemmer_language(std::string_view lang);

}  // namespace filmsearch::index
