#include "text/korean.h"

#include <array>

namespace filmsearch::text {
namespace {

// Hangul syllables U+AC00..U+D7A3 are three bytes in UTF-8: EA B0 80 .. ED 9E A3.
bool is_syllable_at(std::string_view s, std::size_t i) {
  if (i + 3 > s.size()) return false;
  const auto b0 = static_cast<unsigned char>(s[i]);
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  const unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) |
                      (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
  return (b0 & 0xF0u) == 0xE0u && cp >= 0xAC00 && cp <= 0xD7A3;
}

bool all_syllables(std::string_view s) {
  if (s.empty() || s.size() % 3 != 0) return false;
  for (std::size_t i = 0; i < s.size(); i += 3) {
    if (!is_syllable_at(s, i)) return false;
  }
  return true;
}

// Case particles, auxiliary particles and their common combinations, longest first, so "에서는"
// goes before "는". The plural "들" is stripped like a particle, after them.
constexpr std::array<std::string_view, 47> kParticles = {
    "에서부터", "으로부터", "에게서", "한테서", "께서는", "에서는", "에서도", "으로는",
    "이라고", "에게는", "까지는", "부터는", "처럼", "보다", "까지", "부터", "에서", "에게",
    "한테", "께서", "으로", "이랑", "이나", "마다", "조차", "마저", "밖에", "이다", "라고",
    "하고", "과", "와", "은", "는", "이", "가", "을", "를", "의", "에", "로", "도", "만",
    "랑", "나", "께", "들",
};

}  // namespace

bool has_hangul(std::string_view word) {
  for (std::size_t i = 0; i + 3 <= word.size(); ++i) {
    if (is_syllable_at(word, i)) return true;
  }
  return false;
}

std::string korean_stem(std::string_view word) {
  if (!all_syllables(word)) return std::string(word);
  bool stripped = true;
  while (stripped) {
    stripped = false;
    for (std::string_view p : kParticles) {
      // A one-syllable particle is also the last syllable of many nouns (아이, 고양이): it
      // goes only when two syllables remain.
      const std::size_t keep = p.size() == 3 ? 6 : 3;
      if (word.size() >= p.size() + keep && word.substr(word.size() - p.size()) == p) {
        word.remove_suffix(p.size());
        stripped = true;
        break;
      }
    }
  }
  return std::string(word);
}

}  // namespace filmsearch::text
