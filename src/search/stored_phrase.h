// Phrases in text indexed without word positions. Sections are indexed with their wdf only unless
// asked (index::DocumentBuilder::Options::section_positions), and such documents carry the term
// index::schema::kUnpositionedTerm. For them a phrase is checked against the stored record: its
// ranked sections are walked again by the indexer's own code (DocumentBuilder::
// for_each_section_term), so the check sees exactly the terms and positions the index would
// have held. Only documents that already contain every indexed word of the phrase (all but its
// stopwords, which such text does not index) are read.
#pragma once

#include <xapian.h>

#include <chrono>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::index {
class DocumentBuilder;
class RecordDictionary;
}

namespace filmsearch::search {

// What the stored-text checks of one phrase did in a query: shared by its source and the
// source's clones (the ranked match and the facet counts), readable after the match.
struct StoredPhraseCheck {
  std::string phrase;       // as the user wrote it, or its terms space separated
  std::size_t checked = 0;  // documents whose stored text was read
  bool stopped = false;     // the budget ran out: documents after the last checked one did not
                            // match, whether or not they have the phrase
  bool timed_out = false;   // stopped by the search's deadline (rather than max_checks)
};

// At most this many stored-text checks per phrase and query (about 60 us each on filmbench
// reviews: 3 s). A phrase of stopwords only ("of the", "to be or not to be") has no indexed
// word to choose its candidates and would read every unpositioned document (100,000 filmbench
// reviews, 7 s with facets); it stops here, says so (StoredPhraseCheck::stopped), and the
// searcher tells the user. Phrases with a word to go by stay under it on filmbench ("the end"
// reads 26,000 reviews, "good movie" 26,000, "special effects" 4,500).
inline constexpr std::size_t kMaxStoredPhraseChecks = 50000;

// A weightless posting source: the unpositioned documents whose stored text contains `terms`
// (index terms with their prefix, in phrase order, as given to OP_PHRASE) at consecutive
// positions within one ranked section. `stopword[k]` says terms[k] is a stopword's term: not
// indexed without positions, so not looked up (a phrase of stopwords only reads every
// unpositioned document). Documents that cannot be decoded do not match.
class StoredPhraseSource : public Xapian::PostingSource {
 public:
  // `deadline`: checks stop at this time as at `max_checks` (none by default).
  StoredPhraseSource(std::vector<std::string> terms, std::vector<bool> stopword,
                     std::size_t max_checks = kMaxStoredPhraseChecks,
                     std::optional<std::chrono::steady_clock::time_point> deadline = {});
  ~StoredPhraseSource() override;

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return 0; }
  // Estimated as high as possible, so Xapian's AND checks the cheap term lists before this one.
  Xapian::doccount get_termfreq_est() const override { return termfreq_max_; }
  Xapian::doccount get_termfreq_max() const override { return termfreq_max_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return current_; }
  StoredPhraseSource* clone() const override;
  std::string get_description() const override;

  // Stored-text checks this source and its clones made (for tests and measurements).
  std::size_t checks() const { return memos_->report->checked; }
  // What this source and its clones checked, for the query's user; `label` names the phrase
  // there.
  std::shared_ptr<const StoredPhraseCheck> report() const { return memos_->report; }
  void set_label(std::string_view label) { memos_->report->phrase = std::string(label); }

 private:
  // Moves to the first document >= did that has every term and the phrase; at_end_ if none.
  void advance(Xapian::docid did);
  // True when the stored record of `did` has the phrase (remembered across clones).
  bool has_phrase(Xapian::docid did);
  bool check_stored_text(Xapian::docid did);

  // Checked documents of one database, by its docid. A search over shards gives each shard a
  // clone of the source, initialised with that shard (its own docids): one memo per shard.
  struct Memo {
    std::string revision;  // of the database the docids are in
    std::vector<bool> checked;
    std::vector<bool> matched;
    std::shared_ptr<const index::RecordDictionary> dictionary;  // its stored records'
    std::shared_ptr<StoredPhraseCheck> report;                  // Memos::report
  };
  // Shared by a source and all its clones: a memo per database (by uuid) and one report.
  struct Memos {
    std::map<std::string, std::shared_ptr<Memo>> by_database;
    std::shared_ptr<StoredPhraseCheck> report = std::make_shared<StoredPhraseCheck>();
  };

  std::vector<std::string> terms_;
  std::vector<bool> stopword_;  // of terms_, by index
  std::vector<std::size_t> term_ids_;  // terms_[k] -> index of its first occurrence in terms_
  std::size_t max_checks_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  Xapian::Database db_;
  std::vector<Xapian::PostingIterator> lists_;  // the marker term's and each distinct term's
  Xapian::doccount termfreq_max_ = 0;
  Xapian::docid current_ = 0;
  bool matched_ = false;  // current_ has been checked and has the phrase
  bool at_end_ = false;
  std::unique_ptr<index::DocumentBuilder> builder_;  // created at init(): owns ICU iterators
  std::vector<std::pair<std::uint32_t, std::size_t>> seen_;  // (position, term id) per token
  std::shared_ptr<Memos> memos_ = std::make_shared<Memos>();
  std::shared_ptr<Memo> memo_;  // of the database init() was given
};

// The query for the phrase `terms` (index terms, each `prefix` + word, in order; `stopword[k]`
// when word k is a stopword). OP_PHRASE; for section text (prefix "" or
// schema::kSpoilerTextPrefix, the only text that may lack positions) OP_MAX'd with the AND of
// its other terms filtered by StoredPhraseSource, so a document matched both ways counts once.
// Either way a match weighs what its indexed terms weigh (a phrase of stopwords only matches
// unpositioned text with weight 0). One term is just that term.
// `checks`, when given, receives the report of the phrase's StoredPhraseSource (none for a
// phrase that cannot lack positions), named `label` (the phrase as the user wrote it; empty:
// its terms).
Xapian::Query phrase_query(const std::vector<std::string>& terms,
                           const std::vector<bool>& stopword, std::string_view prefix,
                           std::vector<std::shared_ptr<const StoredPhraseCheck>>* checks = nullptr,
                           std::string_view label = {},
                           std::size_t max_checks = kMaxStoredPhraseChecks,
                           std::optional<std::chrono::steady_clock::time_point> deadline = {});

}  // namespace filmsearch::search
