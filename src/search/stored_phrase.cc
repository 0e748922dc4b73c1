#include "search/stored_phrase.h"

#include <algorithm>

#include "error.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/stored_record.h"

namespace filmsearch::search {

StoredPhraseSource::StoredPhraseSource(std::vector<std::string> terms, std::vector<bool> stopword,
                                       std::size_t max_checks,
                                       std::optional<std::chrono::steady_clock::time_point> deadline)
    : terms_(std::move(terms)), stopword_(std::move(stopword)), max_checks_(max_checks),
      deadline_(deadline) {
  stopword_.resize(terms_.size());
  for (const auto& t : terms_) {
    if (!memos_->report->phrase.empty()) memos_->report->phrase += ' ';
    memos_->report->phrase += t;
  }
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    auto first = std::find(terms_.begin(), terms_.end(), terms_[k]);
    term_ids_.push_back(static_cast<std::size_t>(first - terms_.begin()));
  }
}

StoredPhraseSource::~StoredPhraseSource() = default;

void StoredPhraseSource::init(const Xapian::Database& db) {
  db_ = db;
  // What was found holds for one revision of one index (a reopened index may have new
  // documents under old docids).
  // Backends without revisions (in-memory) share nothing between runs.
  std::string uuid, revision;
  try {
    uuid = db.get_uuid();
    revision = uuid + ":" + std::to_string(db.get_revision());
  } catch (const Xapian::UnimplementedError&) {
  }
  std::shared_ptr<Memo>& memo = memos_->by_database[uuid];
  if (!memo || revision.empty() || memo->revision != revision) {
    if (memo) {  // another revision of a database already searched: start again
      memos_->report->checked = 0;
      memos_->report->stopped = false;
    }
    memo = std::make_shared<Memo>(
        Memo{revision, {}, {}, index::RecordDictionary::load(db), memos_->report});
  }
  memo_ = memo;
  lists_.clear();
  current_ = 0;
  matched_ = false;
  at_end_ = terms_.empty();
  termfreq_max_ = 0;
  if (at_end_) return;
  std::vector<std::string> wanted{std::string(index::schema::kUnpositionedTerm)};
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    if (term_ids_[k] == k && !stopword_[k]) wanted.push_back(terms_[k]);
  }
  termfreq_max_ = db.get_doccount();
  for (const auto& term : wanted) {
    termfreq_max_ = std::min(termfreq_max_, db.get_termfreq(term));
  }
  if (termfreq_max_ == 0) {
    at_end_ = true;
    return;
  }
  // Rarest list first: it proposes candidates, the others confirm them.
  std::sort(wanted.begin(), wanted.end(), [&](const std::string& a, const std::string& b) {
    return db.get_termfreq(a) < db.get_termfreq(b);
  });
  for (const auto& term : wanted) lists_.push_back(db.postlist_begin(term));
  if (!builder_) builder_ = std::make_unique<index::DocumentBuilder>();
}

void StoredPhraseSource::advance(Xapian::docid did) {
  const Xapian::PostingIterator end;
  while (!at_end_) {
    // Leapfrog: every list to the first docid >= did that all of them share.
    bool agreed = true;
    for (auto& list : lists_) {
      list.skip_to(did);
      if (list == end) {
        at_end_ = true;
        return;
      }
      if (*list != did) {
        did = *list;
        agreed = false;
        break;
      }
    }
    if (!agreed) continue;
    if (has_phrase(did)) {
      current_ = did;
      matched_ = true;
      return;
    }
    ++did;
  }
}

void StoredPhraseSource::next(double) { advance(current_ + 1); }

void StoredPhraseSource::skip_to(Xapian::docid did, double) {
  if (did > current_) {
    advance(did);
  } else if (did == current_ && !matched_) {
    advance(did + 1);  // check() found current_ without the phrase
  }
}

bool StoredPhraseSource::check(Xapian::docid did, double) {
  if (at_end_) return true;
  if (did == current_) return matched_;
  // Only `did` is looked at: the lists move to it, and the position after is indeterminate.
  current_ = did;
  matched_ = false;
  const Xapian::PostingIterator end;
  for (auto& list : lists_) {
    list.skip_to(did);
    if (list == end) {
      at_end_ = true;
      return true;
    }
    if (*list != did) return false;
  }
  matched_ = has_phrase(did);
  return matched_;
}

bool StoredPhraseSource::has_phrase(Xapian::docid did) {
  // A query runs the matcher more than once (ranking, then facet counts), each time on a clone
  // of this source: they share what was found.
  auto& memo = *memo_;
  if (did < memo.checked.size() && memo.checked[did]) return memo.matched[did];
  if (did >= memo.checked.size()) {
    memo.checked.resize(did + 1);
    memo.matched.resize(did + 1);
  }
  memo.checked[did] = true;
  // The clock is read every 16 checks (a check costs about 60 us): the first check past the
  // deadline stops, and so does every later one.
  if (deadline_ && !memo.report->timed_out && memo.report->checked % 16 == 0 &&
      std::chrono::steady_clock::now() >= *deadline_) {
    memo.report->timed_out = true;
  }
  if (memo.report->checked >= max_checks_ || memo.report->timed_out) {
    memo.report->stopped = true;
    memo.matched[did] = false;
    return false;
  }
  ++memo.report->checked;
  memo.matched[did] = check_stored_text(did);
  return memo.matched[did];
}

bool StoredPhraseSource::check_stored_text(Xapian::docid did) {
  corpus::Record record;
  try {
    record = index::stored_record(db_.get_document(did, Xapian::DOC_ASSUME_VALID),
                                  memo_->dictionary.get());
  } catch (const Error&) {
    return false;  // not a stored record: nothing to check against
  }
  const std::size_t n = terms_.size();
  for (const auto& section : record.sections) {
    if (!section.ranked) continue;
    seen_.clear();
    builder_->for_each_section_term(
        section, record.lang, [&](const std::string& term, const text::Token& token) {
          auto it = std::find(terms_.begin(), terms_.end(), term);
          seen_.emplace_back(token.position, it == terms_.end()
                                                 ? n
                                                 : static_cast<std::size_t>(it - terms_.begin()));
        });
    for (std::size_t i = 0; i + n <= seen_.size(); ++i) {
      std::size_t k = 0;
      while (k < n && seen_[i + k].second == term_ids_[k] &&
             seen_[i + k].first == seen_[i].first + k) {
        ++k;
      }
      if (k == n) return true;
    }
  }
  return false;
}

StoredPhraseSource* StoredPhraseSource::clone() const {
  auto* copy = new StoredPhraseSource(terms_, stopword_, max_checks_, deadline_);
  copy->memos_ = memos_;
  return copy;
}

std::string StoredPhraseSource::get_description() const {
  std::string d = "StoredPhraseSource(";
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    if (k) d += ' ';
    d += terms_[k];
  }
  return d + ")";
}

Xapian::Query phrase_query(const std::vector<std::string>& terms,
                           const std::vector<bool>& stopword, std::string_view prefix,
                           std::vector<std::shared_ptr<const StoredPhraseCheck>>* checks,
                           std::string_view label, std::size_t max_checks,
                           std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (terms.size() == 1) return Xapian::Query(terms.front());
  std::vector<Xapian::Query> words(terms.begin(), terms.end());
  Xapian::Query positioned(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                           static_cast<Xapian::termcount>(words.size()));
  if (prefix != index::schema::kTextPrefix && prefix != index::schema::kSpoilerTextPrefix) {
    return positioned;
  }
  std::vector<Xapian::Query> indexed;
  for (std::size_t k = 0; k < terms.size(); ++k) {
    if (k >= stopword.size() || !stopword[k]) indexed.push_back(words[k]);
  }
  auto* phrase_source = new StoredPhraseSource(terms, stopword, max_checks, deadline);
  if (!label.empty()) phrase_source->set_label(label);
  if (checks) checks->push_back(phrase_source->report());
  Xapian::Query source(phrase_source->release());
  Xapian::Query stored =
      indexed.empty() ? source
                      : Xapian::Query(Xapian::Query::OP_FILTER,
                                      Xapian::Query(Xapian::Query::OP_AND, indexed.begin(),
                                                    indexed.end()),
                                      source);
  return Xapian::Query(Xapian::Query::OP_MAX, positioned, stored);
}

}  // namespace filmsearch::search
