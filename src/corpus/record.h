// The corpus model: what a film, a review or an article is, independent of how it was read
// (JSON Lines, CSV, a saved web page) and of how it is indexed. Plain data; no Xapian here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::corpus {

enum class RecordType { kFilm, kReview, kArticle };

// What a section of text is. Names (see kind_name) are the `kind` strings of the record format.
enum class SectionKind { kSynopsis, kPlot, kReview, kQuote, kCast, kFaq, kTrivia, kArticle, kOther };

std::string_view type_name(RecordType type);          // "film", "review", "article"
std::optional<RecordType> parse_type(std::string_view name);  // nullopt when unknown
std::string_view kind_name(SectionKind kind);         // "synopsis", "plot", ..., "other"
std::optional<SectionKind> parse_kind(std::string_view name);  // nullopt when unknown

// A spoiler span: byte offsets [begin, end) into its section's text, on UTF-8 boundaries.
struct SpoilerSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  // How sure the tagger is that this is a spoiler, in [0, 1]: 1 for what the input or an author's
  // warning or markup says, the learned tagger's probability otherwise.
  float confidence = 1.0F;
  bool operator==(const SpoilerSpan&) const = default;
};

struct Section {
  SectionKind kind = SectionKind::kOther;
  std::string heading;  // as written on the page ("Detailed Plot Synopsis"); may be empty
  std::string text;     // UTF-8, valid
  std::string speaker;  // quotes: who says it
  std::string author;   // reviews: who wrote it
  std::string source;   // reviews: where it appeared ("The New York Times")
  std::string date;     // ISO 8601 when known
  // Sorted, non-overlapping. A whole-section spoiler is one span [0, text.size()).
  std::vector<SpoilerSpan> spoiler_spans;
  // Text that may be a spoiler (the tagger's lower, `hide` threshold): hidden by `--spoilers
  // hide`, not marked by `tag`. Sorted, non-overlapping, disjoint from spoiler_spans.
  std::vector<SpoilerSpan> possible_spoiler_spans;
  // true: the input said which text is spoiler ("spoiler": true/false, "spoiler_spans"); the
  // spoiler policy (corpus/spoilers.h) keeps it as given.
  bool spoilers_given = false;
  // false: shown but never ranked (page furniture kept for context, e.g. where-to-watch).
  bool ranked = true;

  bool all_spoiler() const {
    return !text.empty() && spoiler_spans.size() == 1 && spoiler_spans[0].begin == 0 &&
           spoiler_spans[0].end == text.size();
  }
};

// One record of the corpus. A review's text is its single kReview section.
struct Record {
  std::string id;       // unique; re-indexing the same id replaces the record
  RecordType type = RecordType::kFilm;
  std::string film_id;  // the film this record is about: a film's own id, a review's film
  std::string title;
  std::optional<int> year;
  std::vector<std::string> genres;
  std::vector<std::string> directors;
  std::vector<std::string> cast;
  std::vector<std::string> topics;  // articles
  std::optional<int> runtime_min;
  std::optional<double> rating;     // films: 0-10 audience rating; reviews: the reviewer's 1-10
  std::optional<std::int64_t> votes;
  std::string lang;     // BCP 47 ("en", "zh"); empty means English
  std::string source;   // "IMDb user review", "BBC News", a site name
  std::string author;
  std::string date;     // ISO 8601 when known
  std::string url;
  std::vector<Section> sections;
  std::string origin;   // where it was read: "file:line", for messages; not stored
};

}  // namespace filmsearch::corpus
