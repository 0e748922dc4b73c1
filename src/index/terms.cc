#include "index/terms.h"

#include <algorithm>
#include <functional>

#include "text/korean.h"
#include "text/stopwords.h"

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
  for (std::string_view word : text::stopwords()) {
    stopword_terms_.push_back(stems_ ? stemmer_(std::string(word)) : std::string(word));
    longest_stopword_term_ = std::max(longest_stopword_term_, stopword_terms_.back().size());
  }
  std::sort(stopword_terms_.begin(), stopword_terms_.end());
  stopword_terms_.erase(std::unique(stopword_terms_.begin(), stopword_terms_.end()),
                        stopword_terms_.end());
}

bool TermMaker::is_stopword_term(std::string_view term) const {
  if (term.empty() || term.size() > longest_stopword_term_) return false;
  return std::binary_search(stopword_terms_.begin(), stopword_terms_.end(), term,
                            std::less<>());
}

const std::string& TermMaker::stem(const std::string& folded) {
  if (folded.empty() || (!stems_ && !text::has_hangul(folded))) return folded;
  return slot_of(folded).stem;
}

const TermMaker::Slot& TermMaker::slot_of(const std::string& folded) {
  const std::size_t hash = std::hash<std::string>{}(folded);
  if (!slots_.empty()) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.word.empty()) break;
      if (slot.hash == hash && slot.word == folded) return slot;
    }
  }
  return insert(hash, folded);
}

const TermMaker::Slot& TermMaker::insert(std::size_t hash, const std::string& folded) {
  // Keep the table at most half full; past kMaxCachedStems words start again from empty.
  if (2 * (used_ + 1) > slots_.size()) {
    std::vector<Slot> old;
    old.swap(slots_);
    if (used_ >= kMaxCachedStems) {
      old.clear();
      used_ = 0;
    }
    slots_.resize(std::max<std::size_t>(1024, old.size() * 2));
    const std::size_t mask = slots_.size() - 1;
    for (auto& slot : old) {
      if (slot.word.empty()) continue;
      std::size_t i = slot.hash & mask;
      while (!slots_[i].word.empty()) i = (i + 1) & mask;
      slots_[i] = std::move(slot);
    }
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (!slots_[i].word.empty()) i = (i + 1) & mask;
  Slot& slot = slots_[i];
  slot.hash = hash;
  slot.word = folded;
  // Hangul is Korean whatever the record's language says: its stem drops particles.
  if (text::has_hangul(folded)) {
    slot.stem = text::korean_stem(folded);
  } else {
    slot.stem = stems_ ? stemmer_(folded) : folded;
  }
  slot.stopword = is_stopword_term(slot.stem);
  ++used_;
  return slot;
}

const std::string& TermMaker::compound_term(const text::Compound& compound) {
  if (compound.word.size() > kMaxTermBytes) {
    scratch_.clear();
    return scratch_;
  }
  return stem(compound.word);
}

const std::string& TermMaker::term(const text::Token& token) { return term_of(token).text; }

TermMaker::Term TermMaker::term_of(const text::Token& token) {
  if (token.text.size() > kMaxTermBytes || token.text.empty()) {
    scratch_.clear();
    return {scratch_, false};
  }
  if (token.kind != text::TokenKind::kWord) {
    return {token.text, is_stopword_term(token.text)};
  }
  const Slot& slot = slot_of(token.text);
  return {slot.stem, slot.stopword};
}

}  // namespace filmsearch::index
