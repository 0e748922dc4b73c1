// Korean words as users type them: a written word (eojeol) is a stem followed by particles
// (josa: 과, 은, 에서...) and the plural 들, so "아이들과" ("with the children") must meet "아이들"
// and "아이". korean_stem() strips them by a rule table, as a stemmer does for English.
#pragma once

#include <string>
#include <string_view>

namespace filmsearch::text {

// True when `word` (UTF-8) holds a Hangul syllable.
bool has_hangul(std::string_view word);

// `word` without its trailing particles and plural marker, longest particle first, repeatedly
// ("아이들과" -> "아이들" -> "아이"); a one-syllable particle only when two syllables remain
// ("아이" stays), a longer one when one does; words that are not all Hangul
// syllables are returned as they are. Chosen over Hangul bigrams because a stem is one term per
// word (bigrams multiply the postings and match across word boundaries), and over an analyzer
// (mecab-ko) because none is packaged in Debian 12.
std::string korean_stem(std::string_view word);

}  // namespace filmsearch::text
