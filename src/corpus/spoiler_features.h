// What the learned spoiler tagger sees of a sentence: hashed word unigrams and bigrams and a few
// dense features (position in the text, length, reveal cues, narrative, habitual and evaluative
// words, first- and third-person pronouns, names). The indexer and the training tool (bench/spoilers) both call this, so training
// and indexing never drift. Whitespace and punctuation never become features: re-wrapping or
// collapsing spaces changes no decision.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace filmsearch::corpus::spoiler_features {

// A sentence: byte offsets [begin, end) into its text.
struct Sentence {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Splits `text` into sentences: one ends at ". ! ? …" (and "。！？") followed by a space or the
// end, and at a blank line. A single line break inside a paragraph does not end one, so
// re-wrapping a text gives the same sentences. Returns sentences trimmed of white space that hold
// at least one letter or digit, in order, on UTF-8 boundaries.
std::vector<Sentence> split_sentences(std::string_view text);

inline constexpr std::size_t kDense = 12;    // dense features per sentence
inline constexpr std::size_t kContext = 7;   // stacking features per sentence

// The features of one sentence.
struct Features {
  std::vector<std::uint64_t> hashes;  // 64-bit FNV-1a of each unigram and bigram (with repeats)
  std::array<float, kDense> dense{};
};

// Fills `out` (cleared first) with the features of `sentence`, the `index`-th of `count`
// sentences of its text.
void featurize(std::string_view sentence, std::size_t index, std::size_t count, Features* out);

// The stacking features of sentence `i` given every sentence's first-stage score `z` of its text
// and their `mean` and `max`: its own score, its neighbours' (0 when absent) and whether they
// exist, the text's mean and max.
std::array<float, kContext> context_features(const std::vector<float>& z, std::size_t i, float mean,
                                             float max);

}  // namespace filmsearch::corpus::spoiler_features
