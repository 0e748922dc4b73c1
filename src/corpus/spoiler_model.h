// The learned spoiler tagger: a hashed linear scorer over each sentence's features
// (corpus/spoiler_features.h), stacked with its neighbours' scores. The model is a small
// little-endian table built by bench/spoilers/spoiler-train and compiled into the library
// (src/corpus/spoiler_model.bin); it records its sources, their licences and counts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/spoiler_features.h"

namespace filmsearch::corpus {

// Everything a model file holds. The training tool fills it; encode_spoiler_model writes it.
struct SpoilerModelData {
  std::string provenance;   // JSON: sources, licences, counts, blocklist hash, metrics
  std::uint32_t bits = 18;  // the hashed weight table has 2^bits entries
  float scale = 1.0F;       // weight = scale * int8 entry
  float bias = 0.0F;        // first stage
  std::array<float, spoiler_features::kDense> dense{};        // first stage, dense weights
  std::array<float, spoiler_features::kContext> context{};    // second stage weights
  float context_bias = 0.0F;
  float tag_threshold = 0.5F;   // probability at or above which a sentence is a spoiler
  float hide_threshold = 0.3F;  // probability at or above which it is a possible spoiler
  std::vector<std::int8_t> weights;  // 2^bits entries
};

// Returns the bytes of a model file for `data`. Throws std::invalid_argument when weights does
// not hold 2^bits entries.
std::string encode_spoiler_model(const SpoilerModelData& data);

class SpoilerModel {
 public:
  SpoilerModel() = default;  // empty: scores nothing

  // Parses a model file. `bytes` must outlive the model (the weight table is not copied).
  // Throws filmsearch::InputError when it is not a model file or is truncated.
  static SpoilerModel parse(std::string_view bytes);

  // The model compiled into the library; empty when it was built without one.
  static const SpoilerModel& builtin();

  bool empty() const { return weights_ == nullptr; }
  float tag_threshold() const { return tag_threshold_; }
  float hide_threshold() const { return hide_threshold_; }
  std::string_view provenance() const { return provenance_; }
  // 16 hex digits of the FNV-1a 64 hash of the whole model file: two models with the same
  // fingerprint tag alike. Empty for the empty model.
  const std::string& fingerprint() const { return fingerprint_; }

  // The first-stage score (a log-odds) of one sentence's features.
  float linear_score(const spoiler_features::Features& features) const;

  // The probability that each of `sentences` (one text's sentences, in order) is a spoiler.
  std::vector<float> score(const std::vector<std::string_view>& sentences) const;

 private:
  std::string_view provenance_;
  std::string fingerprint_;
  std::uint32_t mask_ = 0;
  float scale_ = 0.0F;
  float bias_ = 0.0F;
  std::array<float, spoiler_features::kDense> dense_{};
  std::array<float, spoiler_features::kContext> context_{};
  float context_bias_ = 0.0F;
  float tag_threshold_ = 1.0F;
  float hide_threshold_ = 1.0F;
  const std::int8_t* weights_ = nullptr;
};

}  // namespace filmsearch::corpus
