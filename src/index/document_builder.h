// corpus::Record -> Xapian::Document, exactly as index/schema.h describes: boolean filter terms,
// value slots, and the free text (title, people, ranked sections) through the one text::Analyzer,
// with positions, field weights as wdf, and spoiler-span text under its own prefix.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "corpus/record.h"
#include "corpus/spoilers.h"
#include "index/schema.h"
#include "index/stored_record.h"
#include "index/terms.h"
#include "text/analyzer.h"

namespace filmsearch::index {

// What a review inherits from its film, so `genre:drama` or `year:1948` also finds the reviews
// of a drama from 1948. Used only for fields the review does not have itself.
struct FilmInfo {
  std::string title;
  std::optional<int> year;
  std::vector<std::string> genres;

  static FilmInfo of(const corpus::Record& film);
  bool operator==(const FilmInfo&) const = default;
};

// The boolean term `prefix` + `value`. Values too long for a Xapian term (245 bytes) are cut and
// given a hash suffix, so distinct long values stay distinct. Used for Q ids and XF film ids.
std::string boolean_term(std::string_view prefix, std::string_view value);

// The key of the group a document belongs to (value slot kFilmKey, term XF): its film_id, or for
// a film its own id; empty for a record about no film (an article without film_id).
std::string_view film_key(const corpus::Record& record);

// The derived film key a film answers to besides its own key: what the page parser gives a page
// about it that names no IMDb id (corpus::derived_film_id of its title and year,
// "film:the-red-shoes-1948"). Empty unless `record` is of type film with a film key that is not
// itself a derived key (a film under its own id, or a page that names an id such as tt0040725),
// with a title that has something to slug. build() adds it as the term XW<alias>; the writer
// joins the pages that have only the derived key to the one film key answering to it
// (writer.cc).
std::string film_alias(const corpus::Record& record);

// The term of a whole title: `prefix` (schema::kTitleKeyPrefix) and the title's folded words
// (as the analyzer gives them) joined by single spaces, "XEthe red shoes"; "" for no words.
// build() adds it to films and their pages, and for a title with a leading "the", "a" or "an"
// also the rest under schema::kTitleKeyNoArticlePrefix ("XIred shoes"). The query parser looks
// up the words of a query the same way, so the films titled as it is written rank first.
std::string title_key_term(std::string_view prefix, const std::vector<std::string>& folded_words);

// Whether `record` is a page (type film, film_id not its id) whose film key is derived from its
// title and year: the pages that join the film answering to that key (film_alias). A film whose
// own id is a derived key is not one: its pages group with it already.
bool has_derived_film_key(const corpus::Record& record);

// Positions: every field and section starts kPositionGap positions after the previous one ended,
// so a phrase never matches across two of them, and the first one at kPositionGap too: Xapian
// 1.4's glass backend answers skip_to(0) on an empty position list (a word of a document that
// has it only in unpositioned section text) with position 0, so OP_PHRASE took a section's
// "love" at 0 and the title "L.A. Story" (story at 1) for "love story". With no real position
// below kPositionGap, that phantom 0 lines up with nothing in a phrase of up to kPositionGap
// words.
inline constexpr std::uint32_t kPositionGap = 100;

// Folded words counted for Xapian's spelling table ("did you mean").
using SpellingCounts = std::unordered_map<std::string, std::uint32_t>;

// Builds documents. Not thread safe (it owns an Analyzer and stem caches): one per thread.
class DocumentBuilder {
 public:
  struct Options {
    // Word positions for the ranked sections of every record. Off by default: without them
    // filmbench's index is 15% smaller and indexes with 9% less CPU than with positions in
    // films only, and 70% smaller than with positions everywhere. Without them section words
    // get their wdf only, stopwords (text::is_stopword) are left out, the document gets the
    // term schema::kUnpositionedTerm, and phrase queries check such documents against their
    // stored text instead (search/stored_phrase.h), through for_each_section_term below, which
    // still yields every word. Titles and names always keep positions.
    bool section_positions = false;
    // Count the body words of reviews for the spelling table. Off by default: reviews are 80%
    // of filmbench's text and bring their writers' misspellings, and the table's per-word cost
    // was 16% of indexing CPU on a films+reviews sample; titles, names and the text of films
    // and articles (the words people search for) are always counted.
    bool review_spelling = false;
    // The index's dictionary for stored records (see store_record); none: plain zstd.
    std::shared_ptr<const RecordDictionary> record_dictionary;
  };

  DocumentBuilder();
  explicit DocumentBuilder(Options options);

  // The document for `record`. `film` is what a review inherits (nullptr: nothing known; ignored
  // for other types). When `spelling` is not null, the record's spelling words (folded titles,
  // names, and ranked-text words of at least 3 letters) are counted into it. Sets the data to
  // encode_record(record). `joined_to`, when not empty, is the film key a page with a derived
  // key (has_derived_film_key) joins: the document is grouped under it (term XF, slot kFilmKey)
  // and answers to the page's own derived key (XW), while the stored record keeps that key.
  // Throws nothing for any record content.
  Xapian::Document build(const corpus::Record& record, const FilmInfo* film = nullptr,
                         SpellingCounts* spelling = nullptr, std::string_view joined_to = {});

  // The inherited-field values a document of `record` gets (title, year, genres slots), for
  // comparing a stored review against a newly arrived film without rebuilding it.
  static std::string inherited_signature(const corpus::Record& record, const FilmInfo* film);
  static std::string inherited_signature(const Xapian::Document& doc);

  // The terms of a ranked section in text order, exactly as build() indexes them for a record
  // in language `lang`: calls visit(term, token) for each token that makes a term, where term is
  // prefixed with schema::kSpoilerTextPrefix inside spoiler spans. Token positions start at 0
  // and are consecutive, as in the index (build() only offsets them by section). For checking
  // phrases against stored text.
  template <typename Visit>
  void for_each_section_term(const corpus::Section& section, std::string_view lang,
                             Visit&& visit) {
    walk_section(section, term_maker(language_of(lang)), 0,
                 [&](const std::string& term, const text::Token& token, bool) {
                   visit(term, token);
                 });
  }

  // The language code build() indexes a record in: "en-GB" -> "en", "" -> "en".
  static std::string language_of(std::string_view lang);

 private:
  // Calls visit(term, token, stopword) for each term of a ranked section, in order; stopword:
  // the unprefixed term is a stopword's (TermMaker::is_stopword_term).
  template <typename Visit>
  void walk_section(const corpus::Section& section, TermMaker& terms, std::uint32_t start,
                    Visit&& visit);
  TermMaker& term_maker(std::string_view lang);
  // Adds the tokens of `text` as terms (unprefixed, and with `prefix` when not empty), with
  // positions from next_position_; returns the number of tokens.
  void index_words(std::string_view text, std::string_view prefix, bool also_unprefixed,
                   Xapian::termcount wdf, TermMaker& terms, Xapian::Document* doc,
                   SpellingCounts* spelling, std::size_t min_spelling_bytes);
  void index_section(const corpus::Section& section, TermMaker& terms, Xapian::Document* doc,
                     SpellingCounts* spelling);
  // Adds the title key terms (title_key_term) of the title index_words() just tokenized.
  void add_title_keys(Xapian::Document* doc);

  Options options_;
  text::Analyzer analyzer_;
  std::map<std::string, std::unique_ptr<TermMaker>, std::less<>> term_makers_;
  std::vector<text::Token> tokens_;
  std::string term_;
  std::uint32_t next_position_ = 0;
};

template <typename Visit>
void DocumentBuilder::walk_section(const corpus::Section& section, TermMaker& terms,
                                   std::uint32_t start, Visit&& visit) {
  analyzer_.tokenize(section.text, &tokens_, start);
  for (const auto& token : tokens_) {
    const auto [t, stopword] = terms.term_of(token);
    if (t.empty()) continue;
    if (corpus::overlaps_spoiler(section.spoiler_spans, token.begin, token.begin + 1)) {
      term_.assign(schema::kSpoilerTextPrefix);
      term_ += t;
      visit(term_, token, stopword);
    } else {
      visit(t, token, stopword);
    }
  }
}

}  // namespace filmsearch::index
