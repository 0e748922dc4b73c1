#include "corpus/page/rules.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/page/text.h"
#include "corpus/spoilers.h"

namespace filmsearch::corpus::page {

namespace {

struct KeywordRow {
  std::string_view phrase;
  SectionKind kind;
  Treatment treatment;
};


// First match wins, so specific phrases come before general ones ("plot summary" is a synopsis,
// "detailed plot" a plot, "plot" alone a plot).
constexpr KeywordRow kHeadingKeywords[] = {
    {"see also", SectionKind::kOther, Treatment::kDrop},
    {"must read", SectionKind::kOther, Treatment::kDrop},
    {"related articles", SectionKind::kOther, Treatment::kDrop},
    {"related news", SectionKind::kOther, Treatment::kDrop},
    {"related stories", SectionKind::kOther, Treatment::kDrop},
    {"recommended", SectionKind::kOther, Treatment::kDrop},
    {"recently viewed", SectionKind::kOther, Treatment::kDrop},
    {"you may also like", SectionKind::kOther, Treatment::kDrop},
    {"read next", SectionKind::kOther, Treatment::kDrop},
    {"more from", SectionKind::kOther, Treatment::kDrop},
    {"trending", SectionKind::kOther, Treatment::kDrop},
    {"latest news", SectionKind::kOther, Treatment::kDrop},
    {"rate", SectionKind::kOther, Treatment::kDrop},
    {"rate this", SectionKind::kOther, Treatment::kDrop},
    {"leave a reply", SectionKind::kOther, Treatment::kDrop},
    {"leave a comment", SectionKind::kOther, Treatment::kDrop},
    {"comments", SectionKind::kOther, Treatment::kDrop},
    {"share this", SectionKind::kOther, Treatment::kDrop},
    {"navigation", SectionKind::kOther, Treatment::kDrop},
    {"where to watch", SectionKind::kOther, Treatment::kUnranked},
    {"how to watch", SectionKind::kOther, Treatment::kUnranked},
    {"watch online", SectionKind::kOther, Treatment::kUnranked},
    {"streaming", SectionKind::kOther, Treatment::kUnranked},
    {"related products", SectionKind::kOther, Treatment::kUnranked},
    {"shop", SectionKind::kOther, Treatment::kUnranked},
    {"buy", SectionKind::kOther, Treatment::kUnranked},
    {"merchandise", SectionKind::kOther, Treatment::kUnranked},
    {"similar movies", SectionKind::kOther, Treatment::kUnranked},
    {"similar films", SectionKind::kOther, Treatment::kUnranked},
    {"more like this", SectionKind::kOther, Treatment::kUnranked},
    {"you might like", SectionKind::kOther, Treatment::kUnranked},
    {"bonus content", SectionKind::kOther, Treatment::kUnranked},
    {"external links", SectionKind::kOther, Treatment::kUnranked},
    {"references", SectionKind::kOther, Treatment::kUnranked},
    {"further reading", SectionKind::kOther, Treatment::kUnranked},
    {"detailed plot", SectionKind::kPlot, Treatment::kRanked},
    {"full plot", SectionKind::kPlot, Treatment::kRanked},
    {"plot synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"detailed synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"full synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"ending explained", SectionKind::kPlot, Treatment::kRanked},
    {"plot summary", SectionKind::kSynopsis, Treatment::kRanked},
    {"plot summaries", SectionKind::kSynopsis, Treatment::kRanked},
    {"summary", SectionKind::kSynopsis, Treatment::kRanked},
    {"synopsis", SectionKind::kSynopsis, Treatment::kRanked},
    {"storyline", SectionKind::kSynopsis, Treatment::kRanked},
    {"premise", SectionKind::kSynopsis, Treatment::kRanked},
    {"overview", SectionKind::kSynopsis, Treatment::kRanked},
    {"plot", SectionKind::kPlot, Treatment::kRanked},
    {"story", SectionKind::kPlot, Treatment::kRanked},
    {"review", SectionKind::kReview, Treatment::kRanked},
    {"reviews", SectionKind::kReview, Treatment::kRanked},
    {"reception", SectionKind::kReview, Treatment::kRanked},
    {"critical response", SectionKind::kReview, Treatment::kRanked},
    {"critics", SectionKind::kReview, Treatment::kRanked},
    {"audience reactions", SectionKind::kReview, Treatment::kRanked},
    {"audience reaction", SectionKind::kReview, Treatment::kRanked},
    {"verdict", SectionKind::kReview, Treatment::kRanked},
    {"quotes", SectionKind::kQuote, Treatment::kRanked},
    {"quotations", SectionKind::kQuote, Treatment::kRanked},
    {"memorable lines", SectionKind::kQuote, Treatment::kRanked},
    {"famous lines", SectionKind::kQuote, Treatment::kRanked},
    {"cast", SectionKind::kCast, Treatment::kRanked},
    {"characters", SectionKind::kCast, Treatment::kRanked},
    {"starring", SectionKind::kCast, Treatment::kRanked},
    {"faq", SectionKind::kFaq, Treatment::kRanked},
    {"frequently asked", SectionKind::kFaq, Treatment::kRanked},
    {"trivia", SectionKind::kTrivia, Treatment::kRanked},
    {"awards", SectionKind::kTrivia, Treatment::kRanked},
    {"accolades", SectionKind::kTrivia, Treatment::kRanked},
    {"behind the scenes", SectionKind::kTrivia, Treatment::kRanked},
    {"production", SectionKind::kTrivia, Treatment::kRanked},
    {"box office", SectionKind::kTrivia, Treatment::kRanked},
    {"did you know", SectionKind::kTrivia, Treatment::kRanked},
    {"goofs", SectionKind::kTrivia, Treatment::kRanked},
    {"soundtrack", SectionKind::kTrivia, Treatment::kRanked},
    {"fun facts", SectionKind::kTrivia, Treatment::kRanked},
    {"legacy", SectionKind::kTrivia, Treatment::kRanked},
    {"filming", SectionKind::kTrivia, Treatment::kRanked},
};


struct MetaRow {
  std::string_view key;
  MetaField field;
};

constexpr MetaRow kMetadataKeys[] = {
    {"director", MetaField::kDirectors},     {"directors", MetaField::kDirectors},
    {"directed by", MetaField::kDirectors},  {"genre", MetaField::kGenres},
    {"genres", MetaField::kGenres},          {"release year", MetaField::kYear},
    {"year", MetaField::kYear},              {"released", MetaField::kYear},
    {"release date", MetaField::kYear},      {"runtime", MetaField::kRuntime},
    {"running time", MetaField::kRuntime},   {"length", MetaField::kRuntime},
    {"duration", MetaField::kRuntime},       {"imdb rating", MetaField::kRating},
    {"rating", MetaField::kRating},          {"user rating", MetaField::kRating},
    {"audience rating", MetaField::kRating}, {"votes", MetaField::kVotes},
    {"imdb votes", MetaField::kVotes},       {"cast", MetaField::kCast},
    {"starring", MetaField::kCast},          {"stars", MetaField::kCast},
    {"rotten tomatoes", MetaField::kIgnored}, {"tomatometer", MetaField::kIgnored},
    {"metacritic", MetaField::kIgnored},     {"metascore", MetaField::kIgnored},
    {"imdb", MetaField::kIgnored},           {"imdb id", MetaField::kIgnored},
    // French, German, Spanish, Italian, Portuguese, Czech, Polish, Russian, Chinese, Japanese,
    // Korean. Keys are matched after ASCII lowering, so words with capitals outside ASCII are
    // listed as pages write them.
    {"r\xC3\xA9" "alisateur", MetaField::kDirectors}, {"r\xC3\xA9" "alisatrice", MetaField::kDirectors},
    {"r\xC3\xA9" "alisation", MetaField::kDirectors}, {"realisation", MetaField::kDirectors},
    {"mise en sc\xC3\xA8ne", MetaField::kDirectors}, {"regie", MetaField::kDirectors},
    {"regisseur", MetaField::kDirectors},    {"regisseurin", MetaField::kDirectors},
    {"direcci\xC3\xB3n", MetaField::kDirectors}, {"dirigida por", MetaField::kDirectors},
    {"director/a", MetaField::kDirectors},   {"dire\xC3\xA7\xC3\xA3o", MetaField::kDirectors},
    {"realizador", MetaField::kDirectors},   {"regista", MetaField::kDirectors},
    {"regia", MetaField::kDirectors},        {"re\xC5\xBEie", MetaField::kDirectors},
    {"re\xC5\xBCyseria", MetaField::kDirectors},
    {"\xD1\x80\xD0\xB5\xD0\xB6\xD0\xB8\xD1\x81\xD1\x81\xD1\x91\xD1\x80", MetaField::kDirectors},  // режиссёр
    {"\xD1\x80\xD0\xB5\xD0\xB6\xD0\xB8\xD1\x81\xD1\x81\xD0\xB5\xD1\x80", MetaField::kDirectors},  // режиссер
    {"\xD0\xA0\xD0\xB5\xD0\xB6\xD0\xB8\xD1\x81\xD1\x81\xD1\x91\xD1\x80", MetaField::kDirectors},  // Режиссёр
    {"\xD0\xA0\xD0\xB5\xD0\xB6\xD0\xB8\xD1\x81\xD1\x81\xD0\xB5\xD1\x80", MetaField::kDirectors},  // Режиссер
    {"\xE5\xAF\xBC\xE6\xBC\x94", MetaField::kDirectors},  // 导演
    {"\xE5\xB0\x8E\xE6\xBC\x94", MetaField::kDirectors},  // 導演
    {"\xE7\x9B\xA3\xE7\x9D\xA3", MetaField::kDirectors},  // 監督
    {"\xEA\xB0\x90\xEB\x8F\x85", MetaField::kDirectors},  // 감독
    {"g\xC3\xA9nero", MetaField::kGenres},  {"g\xC3\xAAnero", MetaField::kGenres},
    {"genere", MetaField::kGenres},          {"\xC5\xBE\xC3\xA1nr", MetaField::kGenres},
    {"\xC5\xBD\xC3\xA1nr", MetaField::kGenres}, {"gatunek", MetaField::kGenres},
    {"\xD0\xB6\xD0\xB0\xD0\xBD\xD1\x80", MetaField::kGenres},  // жанр
    {"\xD0\x96\xD0\xB0\xD0\xBD\xD1\x80", MetaField::kGenres},  // Жанр
    {"\xE7\xB1\xBB\xE5\x9E\x8B", MetaField::kGenres},  // 类型
    {"\xE9\xA1\x9E\xE5\x9E\x8B", MetaField::kGenres},  // 類型
    {"\xE3\x82\xB8\xE3\x83\xA3\xE3\x83\xB3\xE3\x83\xAB", MetaField::kGenres},  // ジャンル
    {"\xEC\x9E\xA5\xEB\xA5\xB4", MetaField::kGenres},  // 장르
    {"ann\xC3\xA9" "e", MetaField::kYear},     {"jahr", MetaField::kYear},
    {"erscheinungsjahr", MetaField::kYear},  {"produktionsjahr", MetaField::kYear},
    {"a\xC3\xB1o", MetaField::kYear},       {"ano", MetaField::kYear},
    {"anno", MetaField::kYear},              {"rok", MetaField::kYear},
    {"rok produkcji", MetaField::kYear},     {"\xD0\xB3\xD0\xBE\xD0\xB4", MetaField::kYear},  // год
    {"\xD0\x93\xD0\xBE\xD0\xB4", MetaField::kYear},  // Год
    {"\xE5\xB9\xB4\xE4\xBB\xBD", MetaField::kYear},  // 年份
    {"\xE8\xA3\xBD\xE4\xBD\x9C\xE5\xB9\xB4", MetaField::kYear},  // 製作年
    {"\xEC\xA0\x9C\xEC\x9E\x91\xEC\x97\xB0\xEB\x8F\x84", MetaField::kYear},  // 제작연도
    {"dur\xC3\xA9" "e", MetaField::kRuntime},  {"laufzeit", MetaField::kRuntime},
    {"l\xC3\xA4nge", MetaField::kRuntime},  {"dauer", MetaField::kRuntime},
    {"duraci\xC3\xB3n", MetaField::kRuntime}, {"dura\xC3\xA7\xC3\xA3o", MetaField::kRuntime},
    {"durata", MetaField::kRuntime},         {"d\xC3\xA9lka", MetaField::kRuntime},
    {"st\xC3\xB3p\xC3\xA1\xC5\xBE", MetaField::kRuntime}, {"czas trwania", MetaField::kRuntime},
    {"\xD0\xB2\xD1\x80\xD0\xB5\xD0\xBC\xD1\x8F", MetaField::kRuntime},  // время
    {"\xD0\x92\xD1\x80\xD0\xB5\xD0\xBC\xD1\x8F", MetaField::kRuntime},  // Время
    {"\xE7\x89\x87\xE9\x95\xBF", MetaField::kRuntime},  // 片长
    {"\xE7\x89\x87\xE9\x95\xB7", MetaField::kRuntime},  // 片長
    {"\xE4\xB8\x8A\xE6\x98\xA0\xE6\x99\x82\xE9\x96\x93", MetaField::kRuntime},  // 上映時間
    {"\xEC\x83\x81\xEC\x98\x81\xEC\x8B\x9C\xEA\xB0\x84", MetaField::kRuntime},  // 상영시간
    {"avec", MetaField::kCast},              {"acteurs", MetaField::kCast},
    {"darsteller", MetaField::kCast},
    {"besetzung", MetaField::kCast},         {"reparto", MetaField::kCast},
    {"elenco", MetaField::kCast},            {"interpreti", MetaField::kCast},
    {"hraj\xC3\xAD", MetaField::kCast},     {"obsada", MetaField::kCast},
    {"\xD0\x92 \xD1\x80\xD0\xBE\xD0\xBB\xD1\x8F\xD1\x85", MetaField::kCast},  // В ролях
    {"\xD0\xB2 \xD1\x80\xD0\xBE\xD0\xBB\xD1\x8F\xD1\x85", MetaField::kCast},  // в ролях
    {"\xE4\xB8\xBB\xE6\xBC\x94", MetaField::kCast},  // 主演
    {"\xE6\xBC\x94\xE5\x91\x98", MetaField::kCast},  // 演员
    {"\xE5\x87\xBA\xE6\xBC\x94", MetaField::kCast},  // 出演
    {"\xE3\x82\xAD\xE3\x83\xA3\xE3\x82\xB9\xE3\x83\x88", MetaField::kCast},  // キャスト
    {"\xEC\xB6\x9C\xEC\x97\xB0", MetaField::kCast},  // 출연
};


}  // namespace


HeadingKind classify_heading(std::string_view heading) {
  std::string h = to_lower(heading);
  HeadingKind result;
  result.spoiler = is_spoiler_heading(heading);
  for (const KeywordRow& row : kHeadingKeywords) {
    if (has_phrase(h, row.phrase)) {
      result.kind = row.kind;
      result.treatment = row.treatment;
      result.known = true;
      break;
    }
  }
  if (result.spoiler && !result.known) {
    result.known = true;  // "Spoilers": its own section of kind other
  }
  return result;
}

// A short line that reads like a title: few words, no sentence punctuation, mostly capitalized
// words ("Introduction to Victoria and Julian", "Love and Career Conflict").
bool is_title_like(std::string_view t) {
  if (t.empty() || t.size() > 80) return false;
  std::vector<std::string_view> words = split_words(t);
  if (words.empty() || words.size() > 10) return false;
  char last = t.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '"' || last == ')' ||
      last == '?' ||
      t.ends_with("\xE2\x80\x9D")) {
    return false;
  }
  if (t.find(". ") != std::string_view::npos || t.find(": ") != std::string_view::npos) {
    return false;
  }
  int long_words = 0;
  int capitalized = 0;
  for (std::string_view w : words) {
    std::size_t i = 0;
    // Skip opening quotes (ASCII or typographic) before the first letter.
    while (i < w.size() && !is_alnum(w[i]) && static_cast<unsigned char>(w[i]) < 0xC0) ++i;
    if (i < w.size() && static_cast<unsigned char>(w[i]) >= 0xE2 && i + 3 <= w.size() &&
        !is_alnum(w[i])) {
      i += 3;  // a typographic quote
    }
    if (w.size() - i > 3) {
      ++long_words;
      if (i < w.size() && (is_upper(w[i]) || static_cast<unsigned char>(w[i]) >= 0xC3)) {
        ++capitalized;
      }
    }
  }
  std::size_t first = 0;
  while (first < t.size() && !is_alnum(t[first]) && static_cast<unsigned char>(t[first]) < 0x80) {
    ++first;
  }
  bool starts_upper = first < t.size() && (is_upper(t[first]) || is_digit(t[first]) ||
                                           static_cast<unsigned char>(t[first]) >= 0x80);
  return starts_upper && long_words > 0 && capitalized * 2 >= long_words;
}

std::optional<MetaField> find_metadata_field(std::string_view key) {
  for (const MetaRow& row : kMetadataKeys) {
    if (row.key == key) return row.field;
  }
  return std::nullopt;
}

bool is_news_agency(std::string_view name) {
  // Lowercased names and abbreviations of the wire services most pages carry.
  static constexpr std::string_view kAgencies[] = {
      "associated press", "the associated press", "ap", "reuters", "thomson reuters", "afp",
      "agence france-presse", "agence france presse", "dpa", "deutsche presse-agentur", "apa",
      "ansa", "efe", "agencia efe", "xinhua", "kyodo", "kyodo news", "yonhap", "pa media",
      "press association", "upi", "united press international", "bloomberg", "tass",
      "interfax", "ctk", "\xC4\x8CTK", "sda", "belga", "anp", "agência brasil", "lusa"};
  const std::string lowered = to_lower(trim(name));
  for (std::string_view a : kAgencies) {
    if (lowered == a) return true;
  }
  return false;
}

}  // namespace filmsearch::corpus::page
