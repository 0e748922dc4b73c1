#include "text/stopwords.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

namespace filmsearch::text {
namespace {

constexpr std::array kStopwords = std::to_array<std::string_view>({
    "a", "about", "above", "after", "again", "against", "all", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "down", "during", "each", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into",
    "is", "it", "its", "itself", "just", "me", "more", "most", "my",
    "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "too", "under", "until", "up", "very", "was", "we", "were",
    "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "would", "you", "your", "yours", "yourself", "im", "ive", "dont",
    "didnt", "thats", "theres", "isnt", "wasnt", "ill", "id", "youre", "also",
    "like", "get", "got", "one", "really", "think", "something", "s", "t",
    "m", "d", "ll", "re", "ve", "may", "might", "must", "us",
    "let", "lot", "well", "even", "still", "much", "many", "every",
});

}  // namespace

std::span<const std::string_view> stopwords() { return kStopwords; }

bool is_stopword(std::string_view folded) {
  static const std::vector<std::string_view> sorted = [] {
    std::vector<std::string_view> v(kStopwords.begin(), kStopwords.end());
    std::sort(v.begin(), v.end());
    return v;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), folded);
}

}  // namespace filmsearch::text
