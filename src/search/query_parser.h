// The query language of filmsearch, turned into a Xapian::Query built by hand: every word goes
// through text::Analyzer and index::TermMaker, as the indexed text did. Free text, "phrases",
// -word / NOT, AND / OR, (groups), field:value, year:1940..1950, decade:1940s, prefix*.
// Any text parses: what is not syntax is searched as words.
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "search/filters.h"
#include "search/stored_phrase.h"

namespace filmsearch::search {

// A word of the query as the user typed it, for highlighting and "did you mean".
struct QueryWord {
  std::string folded;     // analyzer form: "lermontof"
  std::string stem;       // its index term (TermMaker): "lermontof"
  std::size_t begin = 0;  // byte range of the word in the query text
  std::size_t end = 0;
  bool negated = false;   // under -word / NOT: never highlighted
  bool prefix = false;    // written as prefix*: never corrected
};

struct ParseOptions {
  // Search spoiler text too (the XZ-prefixed terms). false: --spoilers exclude.
  bool include_spoiler_text = true;
  // Most free-text terms kept in a query; the rarest (by the index's term frequency) win.
  std::size_t max_terms = 40;
  // Most index terms a prefix* expands to (the most frequent ones); a note says when capped.
  std::size_t max_wildcard_terms = 100;
  // Query language for stemming ("" = English).
  std::string lang;
  // Typo tolerance: most edits by which a query word missing from the index (or far rarer than
  // a close spelling) also matches its closest spelling in the index's vocabulary (Xapian's
  // spelling table), at half weight: one edit for words of 5+ letters, two for 9+. 0: off.
  // Needs a database.
  int typos = 2;
  // Search as you type: the last word of the text, when no space follows it, is a prefix*.
  bool prefix_last = false;
  // Phrases by word positions only, without the stored-text check (StoredPhraseSource): exact
  // when every document has positions (an index built with --positions), and needed over remote
  // shards, which cannot run the check. Default false.
  bool positions_only = false;
  // Stored-text phrase checks stop at this time, as at their maximum (StoredPhraseCheck::
  // stopped, timed_out). Default: none.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

// A query word that also searched a close spelling (typo tolerance).
// The query words around a word, folded; "" at either end.
struct Neighbours {
  std::string before;
  std::string after;
};

struct Correction {
  std::string word;  // folded, as typed: "hitchcok"
  std::string to;    // the index's spelling: "hitchcock"
  bool missing = false;  // the word itself is in no document (else only far rarer)
};

struct ParsedQuery {
  // The ranked part. Xapian::Query::MatchAll when the text has no words (only filters, or
  // nothing): an empty query browses everything.
  Xapian::Query query;
  // Positive filters found in the text (genre:drama, year:1940..1950...), to be ANDed with the
  // query; kept apart so facets can leave one out. Negated filters stay inside `query`.
  Filters filters;
  std::vector<QueryWord> words;  // free-text words, in query order (stopwords included)
  std::vector<std::string> stems;  // distinct stems to highlight (incl. prefix* expansions)
  std::vector<std::string> notes;  // what was dropped or capped, for the user
  std::vector<Correction> corrections;  // typo tolerance's spellings, in query order
  bool has_words = false;          // false: `query` is MatchAll
  // The stored-text checks of its phrases (search/stored_phrase.h), filled in by the match.
  std::vector<std::shared_ptr<const StoredPhraseCheck>> phrase_checks;
};

// Parses the query language. Owns an analyzer and a stemmer: not thread safe, one per thread.
class QueryParser {
 public:
  // `lang`: the stemming language of query words (BCP 47, "" = English).
  explicit QueryParser(std::string_view lang = "");
  ~QueryParser();
  QueryParser(QueryParser&&) noexcept;
  QueryParser& operator=(QueryParser&&) noexcept;

  // Parses `text`. `db` (may be null) supplies term frequencies for choosing the most
  // informative terms of a long query and for expanding prefix*; without it terms are kept in
  // query order (up to max_terms) and prefix* becomes a lazy OP_WILDCARD. Never throws on any
  // input text (invalid UTF-8, NUL bytes, unbalanced quotes or brackets, huge queries).
  ParsedQuery parse(std::string_view text, const Xapian::Database* db,
                    const ParseOptions& options = {});

  // The closest spelling of the folded word `word` in `db`'s vocabulary (its spelling table)
  // within the typo limits: one edit for words of 5+ letters, two for 9+, never more than
  // `max_edits`, counted between the stems ("balerina" and "ballerinas" are one apart). "" when
  // there is none, or the word has digits or is shorter.
  // With `neighbours` (the folded query words around it), a spelling the index holds right
  // beside one of them in a name or a title comes first ("cary grent": "grant", not "great").
  std::string close_spelling(const Xapian::Database& db, const std::string& word, int max_edits,
                             const Neighbours& neighbours = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The field names of the query language, in the order of index/schema.h's kFields:
// "title, cast, director, genre, year, decade, type, kind, lang, rating".
std::string field_names();

// Convenience: a one-off QueryParser(options.lang).parse(text, db, options).
ParsedQuery parse_query(std::string_view text, const Xapian::Database* db,
                        const ParseOptions& options = {});

}  // namespace filmsearch::search
