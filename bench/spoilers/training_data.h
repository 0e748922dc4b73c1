// The labelled text the spoiler tagger is trained and measured on, read from ../shared (never
// copied into the project), and the training blocklist every training record is checked against.
#pragma once

#include <cstdint>
#include <istream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::bench {

// A text split into labelled sentences: a TV Tropes page, a Reddit comment, a filmbench review.
struct LabelledText {
  std::string id;                       // "tvtropes:Page", "reddit:row 12", a review id
  std::string group;                    // what splits go by: the page, the thread, the film
  std::vector<std::string> sentences;
  std::vector<int> labels;              // per sentence, 1 spoiler, 0 not
  int label = 0;                        // the text's own label (any spoiler / author warned)
};

// First 16 hex digits of SHA-256 of `bytes`.
std::string sha256_hex16(std::string_view bytes);
// Full SHA-256 of `bytes`, 64 hex digits.
std::string sha256_hex(std::string_view bytes);

// The text normalisation of training-blocklist.txt: HTML tags replaced by spaces, NFKC,
// full case folding, \w+ runs joined by single spaces (ICU).
std::string blocklist_normal_form(std::string_view text);

// The blocklist: "text HASH", "film HASH" and "id ID" lines; '#' lines are comments.
class Blocklist {
 public:
  // Reads `path`. Throws filmsearch::InputError naming the file and line of a malformed line.
  static Blocklist read(const std::string& path);
  static Blocklist from_string(std::string_view content, const std::string& source);

  bool blocks_text(std::string_view text) const;
  bool blocks_film(std::string_view film_id) const;
  bool blocks_id(std::string_view id) const { return ids_.count(std::string(id)) > 0; }
  const std::string& hash() const { return hash_; }  // SHA-256 of the file's bytes
  std::size_t size() const { return texts_.size() + films_.size() + ids_.size(); }

 private:
  std::set<std::string> texts_, films_, ids_;
  std::string hash_;
};

// Counts of what a loader read and what the blocklist refused.
struct LoadCounts {
  std::size_t read = 0;
  std::size_t refused = 0;
};

// TV Tropes CSV (sentence, spoiler, verb, page, trope): one LabelledText per page, sentences in
// file order with white space collapsed and no space before punctuation (the wiki's stripped
// markup left extra spaces exactly where spoilers were). Refuses blocked sentences.
std::vector<LabelledText> load_tvtropes(const std::string& path, const Blocklist& blocklist,
                                        LoadCounts* counts);

// Reddit SpoilerShield comments_spans.jsonl: one LabelledText per comment; a sentence is a
// spoiler when at least half of it lies in an author's span. Refuses blocked comments.
std::vector<LabelledText> load_reddit(const std::string& path, const Blocklist& blocklist,
                                      LoadCounts* counts);

// filmbench reviews (xz JSON Lines) as weak labels: label 1 when the author warned (an
// unnegated warning), with every sentence mentioning spoil/warn/alert removed and only the
// sentences after the warning kept; label 0 for reviews that never mention "spoil", about
// `negatives_per_positive` of them per warned review, chosen by hash. Refuses blocked reviews
// and films.
std::vector<LabelledText> load_filmbench_weak(const std::string& path, const Blocklist& blocklist,
                                              int negatives_per_positive, LoadCounts* counts);

// Reads one RFC 4180 CSV record into `fields` (quoted fields may hold commas, quotes and
// newlines). Returns false at the end of `in`.
bool read_csv_record(std::istream& in, std::vector<std::string>& fields);

// A stable hash of a group name in [0, 100), for splits.
int split_bucket(std::string_view group);

}  // namespace filmsearch::bench
