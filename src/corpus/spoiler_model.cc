#include "corpus/spoiler_model.h"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "error.h"

namespace filmsearch::corpus {

// The model compiled in by CMake (spoiler_model_data.cc, generated from spoiler_model.bin).
extern const unsigned char kBuiltinSpoilerModel[];
extern const std::size_t kBuiltinSpoilerModelSize;

namespace {

constexpr std::string_view kMagic("FSSPOIL\x01", 8);

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_f32(std::string& out, float f) {
  std::uint32_t v = 0;
  std::memcpy(&v, &f, 4);
  put_u32(out, v);
}

class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  std::string_view take(std::size_t n) {
    if (bytes_.size() - at_ < n) throw InputError("spoiler model", "truncated model file");
    std::string_view out = bytes_.substr(at_, n);
    at_ += n;
    return out;
  }
  std::uint32_t u32() {
    const std::string_view b = take(4);
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[i]);
    return v;
  }
  float f32() {
    const std::uint32_t v = u32();
    float f = 0;
    std::memcpy(&f, &v, 4);
    if (!std::isfinite(f)) throw InputError("spoiler model", "a weight is not finite");
    return f;
  }
  bool at_end() const { return at_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

float sigmoid(float z) { return 1.0F / (1.0F + std::exp(-z)); }

}  // namespace

std::string encode_spoiler_model(const SpoilerModelData& data) {
  if (data.bits > 24 || data.weights.size() != (std::size_t{1} << data.bits)) {
    throw std::invalid_argument("spoiler model: weights must hold 2^bits entries");
  }
  std::string out(kMagic);
  put_u32(out, static_cast<std::uint32_t>(data.provenance.size()));
  out += data.provenance;
  put_u32(out, data.bits);
  put_f32(out, data.scale);
  put_f32(out, data.bias);
  for (float w : data.dense) put_f32(out, w);
  for (float w : data.context) put_f32(out, w);
  put_f32(out, data.context_bias);
  put_f32(out, data.tag_threshold);
  put_f32(out, data.hide_threshold);
  out.append(reinterpret_cast<const char*>(data.weights.data()), data.weights.size());
  return out;
}

SpoilerModel SpoilerModel::parse(std::string_view bytes) {
  Cursor c(bytes);
  if (c.take(kMagic.size()) != kMagic) throw InputError("spoiler model", "not a model file");
  SpoilerModel m;
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char b : bytes) {
    h ^= b;
    h *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) m.fingerprint_ += kHex[(h >> shift) & 0xF];
  m.provenance_ = c.take(c.u32());
  const std::uint32_t bits = c.u32();
  if (bits > 24) throw InputError("spoiler model", "bad table size");
  m.mask_ = (std::uint32_t{1} << bits) - 1;
  m.scale_ = c.f32();
  m.bias_ = c.f32();
  for (float& w : m.dense_) w = c.f32();
  for (float& w : m.context_) w = c.f32();
  m.context_bias_ = c.f32();
  m.tag_threshold_ = c.f32();
  m.hide_threshold_ = c.f32();
  m.weights_ = reinterpret_cast<const std::int8_t*>(c.take(std::size_t{m.mask_} + 1).data());
  if (!c.at_end()) throw InputError("spoiler model", "trailing bytes");
  return m;
}

const SpoilerModel& SpoilerModel::builtin() {
  static const SpoilerModel model = [] {
    if (kBuiltinSpoilerModelSize == 0) return SpoilerModel();
    return parse(std::string_view(reinterpret_cast<const char*>(kBuiltinSpoilerModel),
                                  kBuiltinSpoilerModelSize));
  }();
  return model;
}

float SpoilerModel::linear_score(const spoiler_features::Features& features) const {
  if (empty()) return 0.0F;
  std::int32_t sum = 0;
  for (std::uint64_t h : features.hashes) sum += weights_[h & mask_];
  float z = bias_ + scale_ * static_cast<float>(sum);
  for (std::size_t k = 0; k < dense_.size(); ++k) z += dense_[k] * features.dense[k];
  return z;
}

std::vector<float> SpoilerModel::score(const std::vector<std::string_view>& sentences) const {
  std::vector<float> z(sentences.size(), 0.0F);
  if (empty() || sentences.empty()) return z;
  spoiler_features::Features f;
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    spoiler_features::featurize(sentences[i], i, sentences.size(), &f);
    z[i] = linear_score(f);
  }
  float mean = 0.0F;
  float max = z[0];
  for (float v : z) {
    mean += v;
    max = std::max(max, v);
  }
  mean /= static_cast<float>(z.size());
  std::vector<float> p(z.size());
  for (std::size_t i = 0; i < z.size(); ++i) {
    const auto ctx = spoiler_features::context_features(z, i, mean, max);
    float s = context_bias_;
    for (std::size_t k = 0; k < ctx.size(); ++k) s += context_[k] * ctx[k];
    p[i] = sigmoid(s);
  }
  return p;
}

}  // namespace filmsearch::corpus
