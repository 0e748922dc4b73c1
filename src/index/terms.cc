#include "index/terms.h"

namespace filmsearch::index {
namespace {

// Xapian's limit is 245 bytes for a term including its prefix; leave room for ours.
constexpr std::size_t kMaxTermBytes = 240;
// Bounds the cache so a long run over many languages cannot grow without end.
constexpr std::size_t kMaxCachedStems = 1 << 20;

}  // namespace

std::string stemmer_language(std::string_view lang) {
  std::string code(lang.substr(0, lang.find_first_of("-_")));
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (code.empty()) return "english";
  static const std::pair<std::string_view, std::string_view> kCodes[] = {
      {"en", "english"}, {"fr", "french"},     {"de", "german"},     {"es", "spanish"},
      {"it", "italian"}, {"pt", "portuguese"}, {"nl", "dutch"},      {"sv", "swedish"},
      {"no", "norwegian"}, {"nb", "norwegian"}, {"da", "danish"},  {"fi", "finnish"},
      {"ru", "russian"}, {"hu", "hungarian"},  {"ro", "romanian"},   {"tr", "turkish"},
      {"ar", "arabic"},  {"eu", "basque"},     {"ca", "catalan"},    {"ga", "irish"},
      {"id", "indonesian"}, {"lt", "lithuanian"}, {"ne", "nepali"}, {"ta", "tamil"},
      {"el", "greek"},   {"hy", "armenian"},
  };
  for (const auto& [c, name] : kCodes) {
    if (code == c) return std::string(name);
  }
  return "";
}

TermMaker::TermMaker(std::string_view lang) {
  std::string name = stemmer_language(lang);
  if (!name.empty()) {
    stemmer_ = Xapian::Stem(name);
    stems_ = true;
  }
}

const std::string& TermMaker::stem(const std::string& folded) {
  if (!stems_) return folded;
  auto it = cache_.find(folded);
  if (it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxCachedStems) cache_.clear();
  return cache_.emplace(folded, stemmer_(folded)).first->second;
}

const std::string& TermMaker::term(const text::Token& token) {
  if (token.text.size() > kMaxTermBytes) {
    scratch_.clear();
    return scratch_;
  }
  if (token.kind != text::TokenKind::kWord) return token.text;
  return stem(token.text);
}

}  // namespace filmsearch::index
