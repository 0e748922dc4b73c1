#include "corpus/record.h"

#include <array>
#include <utility>

namespace filmsearch::corpus {
namespace {

constexpr std::array<std::pair<RecordType, std::string_view>, 3> kTypeNames = {{
    {RecordType::kFilm, "film"},
    {RecordType::kReview, "review"},
    {RecordType::kArticle, "article"},
}};

constexpr std::array<std::pair<SectionKind, std::string_view>, 9> kKindNames = {{
    {SectionKind::kSynopsis, "synopsis"},
    {SectionKind::kPlot, "plot"},
    {SectionKind::kReview, "review"},
    {SectionKind::kQuote, "quote"},
    {SectionKind::kCast, "cast"},
    {SectionKind::kFaq, "faq"},
    {SectionKind::kTrivia, "trivia"},
    {SectionKind::kArticle, "article"},
    {SectionKind::kOther, "other"},
}};

}  // namespace

std::string_view type_name(RecordType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "film";
}

std::optional<RecordType> parse_type(std::string_view name) {
  for (const auto& [t, n] : kTypeNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

std::string_view kind_name(SectionKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "other";
}

std::optional<SectionKind> parse_kind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

}  // namespace filmsearch::corpus
