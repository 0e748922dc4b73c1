#include "corpus/spoiler_features.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>

#include "corpus/spoilers.h"

namespace filmsearch::corpus::spoiler_features {
namespace {

bool is_ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

constexpr std::uint64_t fnv(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

// Word lists for the dense features; every word is lowercase ASCII.
constexpr std::array<std::string_view, 14> kNarrative = {
    "then", "after", "afterwards", "finally", "eventually", "when", "later", "until",
    "before", "once", "soon", "meanwhile", "ultimately", "becomes"};
constexpr std::array<std::string_view, 11> kHabitual = {
    "often", "usually", "always", "whenever", "every", "sometimes", "tends",
    "generally", "frequently", "typically", "series"};
constexpr std::array<std::string_view, 22> kEvaluative = {
    "great", "good", "bad", "best", "worst", "boring", "amazing", "love", "loved", "hate",
    "recommend", "acting", "movie", "film", "watch", "performance", "excellent", "awful",
    "terrible", "wonderful", "brilliant", "funny"};
constexpr std::array<std::string_view, 6> kFirstPerson = {"i", "me", "my", "we", "us", "our"};
constexpr std::array<std::string_view, 9> kThirdPerson = {"he",  "she", "his",  "her", "him",
                                                          "they", "them", "their", "himself"};

// Which of the word lists above each listed word is in, as bits.
enum WordClass : std::uint8_t {
  kIsNarrative = 1, kIsHabitual = 2, kIsEvaluative = 4, kIsFirstPerson = 8, kIsThirdPerson = 16
};

// The hash a word's unigram feature has: the word lists are looked up by it, so a word is hashed
// once. (std::unordered_map hashed each word again and was a fifth of the scorer's time.)
constexpr std::uint64_t unigram_hash(std::string_view w) { return fnv(fnv(kFnvOffset, "u "), w); }

// The listed words in an open-addressing table keyed by unigram_hash: a word is looked up by its
// hash and then compared, so a collision can never misclassify one.
class WordClasses {
 public:
  WordClasses() {
    const auto add = [&](const auto& words, std::uint8_t bit) {
      for (std::string_view w : words) {
        Slot& slot = find(unigram_hash(w), w);
        slot.word = w;
        slot.classes |= bit;
      }
    };
    add(kNarrative, kIsNarrative);
    add(kHabitual, kIsHabitual);
    add(kEvaluative, kIsEvaluative);
    add(kFirstPerson, kIsFirstPerson);
    add(kThirdPerson, kIsThirdPerson);
  }

  // The classes of `w`, whose unigram_hash is `hash`; 0 for a word in no list.
  std::uint8_t of(std::uint64_t hash, std::string_view w) const {
    for (std::size_t i = hash & kMask;; i = (i + 1) & kMask) {
      const Slot& slot = slots_[i];
      if (slot.word.empty()) return 0;
      if (slot.hash == hash && slot.word == w) return slot.classes;
    }
  }

 private:
  static constexpr std::size_t kSize = 256;  // well over twice the listed words
  static constexpr std::size_t kMask = kSize - 1;
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view word;
    std::uint8_t classes = 0;
  };
  Slot& find(std::uint64_t hash, std::string_view w) {
    for (std::size_t i = hash & kMask;; i = (i + 1) & kMask) {
      Slot& slot = slots_[i];
      if (slot.word.empty() || slot.word == w) {
        slot.hash = hash;
        return slot;
      }
    }
  }
  std::array<Slot, kSize> slots_{};
};

const WordClasses& word_classes() {
  static const WordClasses classes;
  return classes;
}

// For each ASCII byte: its lowercase form when it is a letter or digit, else 0.
constexpr std::array<char, 128> kAsciiWordByte = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if (c >= 'A' && c <= 'Z') t[c] = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) t[c] = static_cast<char>(c);
  }
  return t;
}();

// The length of the typographic punctuation at `i` (quotes, dashes, ellipsis, no-break space),
// which separates words like ASCII punctuation does; 0 for anything else.
std::size_t separator_length(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  if (at(i) == 0xC2 && i + 1 < s.size() && at(i + 1) == 0xA0) return 2;
  if (at(i) != 0xE2 || i + 2 >= s.size() || at(i + 1) != 0x80) return 0;
  switch (at(i + 2)) {
    case 0x93: case 0x94: case 0x98: case 0x99: case 0x9C: case 0x9D: case 0xA6:
      return 3;
    default:
      return 0;
  }
}

}  // namespace

std::vector<Sentence> split_sentences(std::string_view text) {
  std::vector<Sentence> out;
  const auto push = [&](std::size_t b, std::size_t e) {
    while (b < e && is_space(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && is_space(static_cast<unsigned char>(text[e - 1]))) --e;
    bool any = false;
    for (std::size_t i = b; i < e && !any; ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      any = is_ascii_alnum(c) || c >= 0x80;
    }
    if (any) out.push_back({b, e});
  };
  std::size_t begin = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t end = 0;  // one past the sentence's last byte, when it ends here
    if (c == '.' || c == '!' || c == '?') {
      std::size_t j = i + 1;
      while (j < text.size() && (text[j] == '.' || text[j] == '!' || text[j] == '?' ||
                                 text[j] == '"' || text[j] == ')' || text[j] == '\'')) {
        ++j;
      }
      if (j == text.size() || is_space(static_cast<unsigned char>(text[j]))) end = j;
      i = j;
    } else if (c == 0xE3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               static_cast<unsigned char>(text[i + 2]) == 0x82) {
      end = i + 3;  // 。
      i += 3;
    } else if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBC &&
               (static_cast<unsigned char>(text[i + 2]) == 0x81 ||
                static_cast<unsigned char>(text[i + 2]) == 0x9F)) {
      end = i + 3;  // ！ ？
      i += 3;
    } else if (c == '\n') {
      // A blank line (only white space between two line breaks) ends a paragraph.
      std::size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) ++j;
      if (j < text.size() && text[j] == '\n') end = i;
      i = j;
    } else {
      ++i;
    }
    if (end > begin) {
      push(begin, end);
      begin = end;
    }
  }
  push(begin, text.size());
  return out;
}

void featurize(std::string_view sentence, std::size_t index, std::size_t count, Features* out) {
  out->hashes.clear();
  out->dense.fill(0.0F);
  // Words: runs of ASCII letters and digits, apostrophes inside them, and any non-ASCII letter
  // bytes; ASCII is lowercased, the typographic apostrophe is read as "'".
  // Written through a cursor into a buffer of the largest size it can need (every byte, plus a
  // space before each word): appending byte by byte was a tenth of the scorer's time.
  // Buffers reused across calls on this thread: allocating them per sentence showed in profiles.
  thread_local std::string lowered;
  thread_local std::vector<std::pair<std::size_t, std::size_t>> words;  // into `lowered`
  if (lowered.size() < 2 * sentence.size() + 1) lowered.resize(2 * sentence.size() + 1);
  words.clear();
  std::size_t used = 0;
  std::size_t capitalised = 0;
  bool digits = false;
  std::size_t i = 0;
  while (i < sentence.size()) {
    const unsigned char c = static_cast<unsigned char>(sentence[i]);
    if (!(is_ascii_alnum(c) || c >= 0x80)) {
      ++i;
      continue;
    }
    if (const std::size_t skip = separator_length(sentence, i); skip > 0) {
      i += skip;
      continue;
    }
    if (used > 0) lowered[used++] = ' ';
    const std::size_t start = used;
    const bool upper = c >= 'A' && c <= 'Z';
    while (i < sentence.size()) {
      const unsigned char d = static_cast<unsigned char>(sentence[i]);
      // ASCII first (most bytes): a letter or digit, lowercased; an apostrophe inside a word.
      if (d < 0x80) {
        if (const char l = kAsciiWordByte[d]; l != 0) {
          digits = digits || (d >= '0' && d <= '9');
          lowered[used++] = l;
          ++i;
          continue;
        }
        if (d == '\'' && i + 1 < sentence.size() &&
            is_ascii_alnum(static_cast<unsigned char>(sentence[i + 1]))) {
          lowered[used++] = '\'';
          ++i;
          continue;
        }
        break;
      }
      if (const std::size_t skip = separator_length(sentence, i); skip > 0) {
        // A typographic apostrophe inside a word ("won’t") is read as "'".
        const bool apostrophe = skip == 3 && static_cast<unsigned char>(sentence[i + 2]) == 0x99 &&
                                i + 3 < sentence.size() &&
                                is_ascii_alnum(static_cast<unsigned char>(sentence[i + 3]));
        if (!apostrophe) break;
        lowered[used++] = '\'';
        i += skip;
        continue;
      }
      lowered[used++] = static_cast<char>(d);  // a byte of a non-ASCII letter
      ++i;
    }
    if (upper && !words.empty()) ++capitalised;
    words.emplace_back(start, used);
  }
  const std::string_view text(lowered.data(), used);  // the words, lowercased, one space apart
  const auto word = [&](std::size_t k) {
    return text.substr(words[k].first, words[k].second - words[k].first);
  };
  std::size_t narrative = 0, habitual = 0, evaluative = 0, first_person = 0, third_person = 0;
  // The three hashes a word takes part in are computed in one pass over its bytes, three
  // independent multiply chains: its unigram, the bigram of the previous word and it, and the
  // prefix of the next bigram ("b " + word + " ").
  constexpr std::uint64_t kUnigramStart = fnv(kFnvOffset, "u ");
  constexpr std::uint64_t kBigramStart = fnv(kFnvOffset, "b ");
  std::uint64_t prefix = fnv(fnv(kBigramStart, "^"), " ");  // "b ^ ": the sentence start
  const auto& classes = word_classes();
  out->hashes.reserve(2 * words.size() + 1);
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::string_view w = word(k);
    std::uint64_t u = kUnigramStart;
    std::uint64_t b = prefix;
    std::uint64_t next = kBigramStart;
    for (unsigned char c : w) {
      u = (u ^ c) * kFnvPrime;
      b = (b ^ c) * kFnvPrime;
      next = (next ^ c) * kFnvPrime;
    }
    out->hashes.push_back(u);
    out->hashes.push_back(b);
    prefix = (next ^ static_cast<unsigned char>(' ')) * kFnvPrime;
    if (w.size() > 12) continue;  // no listed word is longer
    const std::uint8_t c = classes.of(u, w);
    if (c == 0) continue;
    narrative += (c & kIsNarrative) != 0;
    habitual += (c & kIsHabitual) != 0;
    evaluative += (c & kIsEvaluative) != 0;
    first_person += (c & kIsFirstPerson) != 0;
    third_person += (c & kIsThirdPerson) != 0;
  }
  if (!words.empty()) out->hashes.push_back(fnv(prefix, "$"));
  auto& d = out->dense;
  const float n = static_cast<float>(words.size());
  d[0] = count > 1 ? static_cast<float>(index) / static_cast<float>(count - 1) : 0.0F;
  d[1] = (index == 0 && count > 1) ? 1.0F : 0.0F;
  d[2] = (index + 1 == count && count > 1) ? 1.0F : 0.0F;
  d[3] = std::log1p(n) / 4.0F;
  d[4] = static_cast<float>(std::min(count_reveal_cues(text), 2)) / 2.0F;
  d[5] = static_cast<float>(std::min<std::size_t>(narrative, 3)) / 3.0F;
  d[6] = static_cast<float>(std::min<std::size_t>(habitual, 3)) / 3.0F;
  d[7] = static_cast<float>(std::min<std::size_t>(evaluative, 3)) / 3.0F;
  d[8] = static_cast<float>(std::min<std::size_t>(first_person, 3)) / 3.0F;
  d[9] = n > 1 ? static_cast<float>(capitalised) / (n - 1) : 0.0F;
  d[10] = digits ? 1.0F : 0.0F;
  // Not the text's length: in the training data long texts (wiki pages) hold more spoilers,
  // which would tag every long page.
  d[11] = static_cast<float>(std::min<std::size_t>(third_person, 3)) / 3.0F;
}

std::array<float, kContext> context_features(const std::vector<float>& z, std::size_t i, float mean,
                                             float max) {
  const bool has_prev = i > 0;
  const bool has_next = i + 1 < z.size();
  return {z[i],
          has_prev ? z[i - 1] : 0.0F,
          has_next ? z[i + 1] : 0.0F,
          has_prev ? 1.0F : 0.0F,
          has_next ? 1.0F : 0.0F,
          mean,
          max};
}

}  // namespace filmsearch::corpus::spoiler_features
