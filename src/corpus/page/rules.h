// The page reader's rules as data: section headings and the kind of section each names (and
// whether it is ranked, unranked furniture, or dropped), and what a title-like line looks like.
// Internal to src/corpus/page/.
#pragma once

#include <optional>
#include <string_view>

#include "corpus/record.h"

namespace filmsearch::corpus::page {

enum class Treatment { kRanked, kUnranked, kDrop };

struct HeadingKind {
  SectionKind kind = SectionKind::kOther;
  Treatment treatment = Treatment::kRanked;
  bool spoiler = false;
  bool known = false;  // matched the keyword table
};

// The kind of section a heading names ("Plot Summary" -> synopsis, "See also" -> dropped);
// known = false when no row matches. spoiler is set for headings announcing spoilers.
HeadingKind classify_heading(std::string_view heading);

// A short line that reads like a title: few words, no sentence punctuation, mostly capitalized
// words ("Introduction to Victoria and Julian", "Love and Career Conflict").
bool is_title_like(std::string_view t);

// The record field a metadata label names ("Director", "Genres", "Running time").
enum class MetaField { kDirectors, kGenres, kYear, kRuntime, kRating, kVotes, kCast, kIgnored };

// The field of a lowered metadata key without notes ("runtime"); nullopt when not a label.
std::optional<MetaField> find_metadata_field(std::string_view key);

// True when `name` is a news agency that pages name as their author when they carry its wire
// copy ("Associated Press", "Reuters", "dpa"): a byline's person is the author then.
bool is_news_agency(std::string_view name);

}  // namespace filmsearch::corpus::page
