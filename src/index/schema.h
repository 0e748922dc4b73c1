// The index schema, in one place: every term prefix, value slot and facet of a filmsearch index.
// The document builder writes it, the query parser and searcher read it; README.md's schema
// table mirrors it. Prefixes follow Omega's convention: single capitals reserved, ours start X.
#pragma once

#include <xapian.h>

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "corpus/record.h"

namespace filmsearch::index::schema {

// Boolean terms: filters, wdf 0, no positions. Values are folded (text::Analyzer::fold).
inline constexpr std::string_view kIdPrefix = "Q";        // Q<id>: unique; replace/delete key
inline constexpr std::string_view kFilmPrefix = "XF";     // XF<film_id>: every document of a film
inline constexpr std::string_view kTypePrefix = "XT";     // XTfilm | XTreview | XTarticle
inline constexpr std::string_view kGenrePrefix = "XG";    // XGdrama, XGscience fiction
inline constexpr std::string_view kYearPrefix = "XY";     // XY1948
inline constexpr std::string_view kDecadePrefix = "XD";   // XD1940s
inline constexpr std::string_view kKindPrefix = "XK";     // XKquote: has a ranked section of kind
inline constexpr std::string_view kLangPrefix = "XL";     // XLen, XLzh (empty lang -> en)
inline constexpr std::string_view kSpoilerPrefix = "XV";  // XVspoiler: has spoiler text
// XWfilm:the-red-shoes-1948: a film's derived key, or a page's joined to it (film_alias()).
inline constexpr std::string_view kFilmAliasPrefix = "XW";
// XEthe red shoes: a film's whole title (title_key_term()), for the films titled exactly as a
// query is written; XIred shoes: the same without a leading "the", "a" or "an".
inline constexpr std::string_view kTitleKeyPrefix = "XE";
inline constexpr std::string_view kTitleKeyNoArticlePrefix = "XI";
// XUtext: ranked text indexed without positions (the default), and without stopwords
// (text::is_stopword); phrase queries check these documents against their stored text. Its wdf
// is the stopwords' (left out), so document lengths are as if they were indexed.
inline constexpr std::string_view kUnpositionedTerm = "XUtext";

// Free-text terms: analyzer tokens through TermMaker (stemmed), with positions.
inline constexpr std::string_view kTextPrefix = "";        // ranked text outside spoiler spans
inline constexpr std::string_view kSpoilerTextPrefix = "XZ";  // ranked text inside spoiler spans
inline constexpr std::string_view kTitlePrefix = "S";      // title words (also indexed unprefixed)
inline constexpr std::string_view kCastPrefix = "XA";      // cast name words (cast:shearer)
inline constexpr std::string_view kDirectorPrefix = "XR";  // director name words

// Value slots: ranges, sorting, collapsing and facet counts.
enum class Slot : Xapian::valueno {
  kYear = 0,       // sortable_serialise(year)
  kRating = 1,     // sortable_serialise(rating 0-10)
  kRuntime = 2,    // sortable_serialise(minutes)
  kFilmKey = 3,    // film_id (or the id of a film-less document): collapse key for --group-by film
  kTitleSort = 4,  // folded title, for --sort title
  kType = 5,       // "film" | "review" | "article"
  kGenres = 6,     // display genres joined by kListSeparator ("Drama\x1fMusic"): facet counts
  kDecade = 7,     // "1940s"
  kLang = 8,       // "en"
  kKinds = 9,      // ranked section kinds present, joined by kListSeparator
  kVotes = 10,     // sortable_serialise(votes)
  kDisplayTitle = 11,  // title to show: the record's own, or for a review its film's (inherited)
  kRecord = 12,    // the stored record, zstd-compressed (index/stored_record.h)
  // kFilmKey's value, kListSeparator, the record's id: the order of equal scores and values,
  // unique, so results do not depend on docids (which differ between shard layouts).
  kOrderKey = 13,
  // The film key and every facet slot's value in one string (index/facet_key.h): what facets
  // over remote shards count with Xapian's ValueCountMatchSpy.
  kFacetKey = 14,
};
inline constexpr char kListSeparator = '\x1f';

constexpr Xapian::valueno slot(Slot s) { return static_cast<Xapian::valueno>(s); }

// The fields of the query language (`genre:drama`, `cast:shearer`), of filmsearch-query's flags
// (`--genre drama`), of batch JSON "filters" and of facets: one row each, read by the query
// parser, the filters, both facet counters, batch JSON and --help. A new field is one row (and
// what the document builder writes for it).
enum class FieldRole : unsigned {
  kWords = 1,   // field:word searches the field's words (ranked, prefixed terms)
  kFilter = 2,  // field:value, --field value and batch "filters" restrict the matches
  kFacet = 4,   // --facets field counts its values over every match
};
constexpr unsigned operator|(FieldRole a, FieldRole b) {
  return static_cast<unsigned>(a) | static_cast<unsigned>(b);
}
constexpr unsigned operator|(unsigned a, FieldRole b) { return a | static_cast<unsigned>(b); }

inline constexpr std::string_view kTypeValues[] = {"film", "review", "article"};
// corpus::kind_name of every SectionKind (tests/index/schema_test.cc keeps them equal).
inline constexpr std::string_view kKindValues[] = {"synopsis", "plot",    "review",
                                                   "quote",    "cast",    "faq",
                                                   "trivia",   "article", "other"};

struct Field {
  std::string_view name;        // as written: genre:drama, --genre, "genre" in batch filters
  std::string_view prefix;      // term prefix of its words or filter values ("": none)
  std::optional<Slot> slot;     // value slot for ranges and facet counts (nullopt: none)
  bool multi = false;           // the slot holds kListSeparator-joined values
  bool numeric = false;         // the slot holds sortable_serialise'd numbers: filters are ranges
  unsigned roles = 0;           // FieldRole bits
  std::span<const std::string_view> values = {};  // the accepted values, when a closed set
  std::string_view help = "";   // what a value looks like, for --help and error messages

  bool has(FieldRole role) const { return (roles & static_cast<unsigned>(role)) != 0; }
};

inline constexpr Field kFields[] = {
    {"title", kTitlePrefix, std::nullopt, false, false, 0 | FieldRole::kWords, {},
     "words of the title"},
    {"cast", kCastPrefix, std::nullopt, false, false, 0 | FieldRole::kWords, {},
     "words of a cast member's name"},
    {"director", kDirectorPrefix, std::nullopt, false, false, 0 | FieldRole::kWords, {},
     "words of a director's name"},
    {"genre", kGenrePrefix, Slot::kGenres, true, false, FieldRole::kFilter | FieldRole::kFacet,
     {}, "a genre, e.g. drama or \"science fiction\""},
    {"year", "", Slot::kYear, false, true, FieldRole::kFilter | FieldRole::kFacet, {},
     "a year or a range: 1948, 1940..1950, 1940.., ..1950"},
    {"decade", kDecadePrefix, Slot::kDecade, false, false,
     FieldRole::kFilter | FieldRole::kFacet, {}, "a decade: 1940s (or 40s)"},
    {"type", kTypePrefix, Slot::kType, false, false, FieldRole::kFilter | FieldRole::kFacet,
     kTypeValues, "film, review or article"},
    {"kind", kKindPrefix, Slot::kKinds, true, false, FieldRole::kFilter | FieldRole::kFacet,
     kKindValues, "a section kind: synopsis, plot, review, quote, cast, faq, trivia, article, other"},
    {"lang", kLangPrefix, Slot::kLang, false, false, FieldRole::kFilter | FieldRole::kFacet, {},
     "a language: a BCP 47 code (en, fr, zh-Hant) or its name (English, français)"},
    {"rating", "", Slot::kRating, false, true, 0 | FieldRole::kFilter, {},
     "a rating 0-10 or a range: 7.5.., 6..8"},
};

// The field named `name` (lowercase; "actor" is "cast"), or nullptr.
constexpr const Field* find_field(std::string_view name) {
  if (name == "actor") name = "cast";
  for (const auto& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// Metadata: the zstd dictionary of the stored records (index::RecordDictionary), when trained.
inline constexpr std::string_view kRecordDictionaryKey = "filmsearch.record_dictionary";
// Metadata: what tagged the spoilers of the stored records (corpus::spoiler_tagger_version),
// written by a fresh build and by `filmsearch-index --retag` (index/retag.h).
inline constexpr std::string_view kSpoilerTaggerKey = "filmsearch.spoiler_tagger";

// Document data: empty. The stored record (slot kRecord) is what queries show, so they never
// read the corpus; indexes written before it keep the record in the document data.

// Spelling data ("did you mean"): Xapian's spelling table, fed with folded words of titles,
// names and ranked text.

// Within-document frequency added per token, by where it occurs: BM25's field weights.
inline constexpr Xapian::termcount kTitleWdf = 3;
constexpr Xapian::termcount section_wdf(corpus::SectionKind kind) {
  switch (kind) {
    case corpus::SectionKind::kSynopsis:
    case corpus::SectionKind::kPlot:
      return 2;
    default:
      return 1;
  }
}

}  // namespace filmsearch::index::schema
