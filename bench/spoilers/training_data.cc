#include "training_data.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "corpus/spoiler_features.h"
#include "corpus/spoilers.h"
#include "error.h"

namespace filmsearch::bench {
namespace {

// ---- SHA-256 (FIPS 180-4) ----

constexpr std::array<std::uint32_t, 64> kK = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

std::array<std::uint32_t, 8> sha256(std::string_view bytes) {
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string m(bytes);
  const std::uint64_t bit_length = static_cast<std::uint64_t>(bytes.size()) * 8;
  m += static_cast<char>(0x80);
  while (m.size() % 64 != 56) m += '\0';
  for (int i = 7; i >= 0; --i) m += static_cast<char>((bit_length >> (8 * i)) & 0xFF);
  for (std::size_t block = 0; block < m.size(); block += 64) {
    std::array<std::uint32_t, 64> w{};
    for (int t = 0; t < 16; ++t) {
      for (int k = 0; k < 4; ++k) {
        w[t] = (w[t] << 8) | static_cast<unsigned char>(m[block + 4 * t + k]);
      }
    }
    for (int t = 16; t < 64; ++t) {
      const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    std::array<std::uint32_t, 8> v = h;
    for (int t = 0; t < 64; ++t) {
      const std::uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
      const std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const std::uint32_t t1 = v[7] + s1 + ch + kK[t] + w[t];
      const std::uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
      const std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const std::uint32_t t2 = s0 + maj;
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (int i = 0; i < 8; ++i) h[i] += v[i];
  }
  return h;
}

std::string hex(const std::array<std::uint32_t, 8>& h, std::size_t digits) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (std::uint32_t word : h) {
    for (int i = 28; i >= 0; i -= 4) out += kHex[(word >> i) & 0xF];
  }
  return out.substr(0, digits);
}

std::string collapse_for_training(std::string_view s) {
  // White space runs become one space; no space before . , ; : ! ? ) ].
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    if ((c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' ||
         c == ']') &&
        !out.empty() && out.back() == ' ') {
      out.pop_back();
    }
    out += c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}


// Byte offset of the `n`-th code point of `s` (Python string offsets).
std::size_t byte_of_code_point(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  while (i < s.size() && n > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    --n;
  }
  return i;
}

}  // namespace

bool read_csv_record(std::istream& in, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, any = false;
  char c;
  while (in.get(c)) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          in.get(c);
          field += '"';
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!any) return false;
  fields.push_back(std::move(field));
  return true;
}

std::string sha256_hex16(std::string_view bytes) { return hex(sha256(bytes), 16); }
std::string sha256_hex(std::string_view bytes) { return hex(sha256(bytes), 64); }

std::string blocklist_normal_form(std::string_view text) {
  std::string untagged;
  untagged.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<') {
      const std::size_t close = text.find('>', i + 1);
      if (close != std::string_view::npos) {
        untagged += ' ';
        i = close;
        continue;
      }
    }
    untagged += text[i];
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) throw Error("ICU: no NFKC normalizer");
  icu::UnicodeString u = nfkc->normalize(icu::UnicodeString::fromUTF8(untagged), status);
  if (U_FAILURE(status)) throw Error("ICU: NFKC failed");
  u.foldCase(U_FOLD_CASE_DEFAULT);
  std::string folded;
  u.toUTF8String(folded);
  // Python's \w: letters, numbers and "_".
  std::string out;
  bool in_word = false;
  std::int32_t i = 0;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(folded.data());
  const auto length = static_cast<std::int32_t>(folded.size());
  while (i < length) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    const bool word = c == '_' || (c >= 0 && (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)));
    if (word) {
      if (!in_word && !out.empty()) out += ' ';
      out.append(folded, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
    }
    in_word = word;
  }
  return out;
}

Blocklist Blocklist::from_string(std::string_view content, const std::string& source) {
  Blocklist b;
  b.hash_ = sha256_hex(content);
  std::istringstream in{std::string(content)};
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string kind, value, extra;
    fields >> kind >> value;
    if (value.empty() || (fields >> extra)) {
      throw InputError(source + ":" + std::to_string(number), "expected \"KIND VALUE\"");
    }
    if (kind == "text") {
      b.texts_.insert(value);
    } else if (kind == "film") {
      b.films_.insert(value);
    } else if (kind == "id") {
      b.ids_.insert(value);
    } else {
      throw InputError(source + ":" + std::to_string(number), "unknown kind \"" + kind + "\"");
    }
  }
  return b;
}

Blocklist Blocklist::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot read the training blocklist");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return from_string(buffer.str(), path);
}

bool Blocklist::blocks_text(std::string_view text) const {
  return texts_.count(sha256_hex16(blocklist_normal_form(text))) > 0;
}

bool Blocklist::blocks_film(std::string_view film_id) const {
  return films_.count(sha256_hex16(film_id)) > 0;
}

int split_bucket(std::string_view group) {
  return static_cast<int>(std::stoull(sha256_hex16(group).substr(0, 8), nullptr, 16) % 100);
}

std::vector<LabelledText> load_tvtropes(const std::string& path, const Blocklist& blocklist,
                                        LoadCounts* counts) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot read");
  std::vector<LabelledText> pages;
  std::vector<std::string> f;
  read_csv_record(in, f);  // header
  std::size_t line = 1;
  while (read_csv_record(in, f)) {
    ++line;
    if (f.size() < 4) throw InputError(path + ":" + std::to_string(line), "expected 5 fields");
    ++counts->read;
    if (blocklist.blocks_text(f[0])) {
      ++counts->refused;
      continue;
    }
    if (pages.empty() || pages.back().group != f[3]) {
      pages.push_back({.id = "tvtropes:" + f[3], .group = f[3]});
    }
    pages.back().sentences.push_back(collapse_for_training(f[0]));
    pages.back().labels.push_back(f[1] == "True" ? 1 : 0);
    pages.back().label |= pages.back().labels.back();
  }
  return pages;
}

std::vector<LabelledText> load_reddit(const std::string& path, const Blocklist& blocklist,
                                      LoadCounts* counts) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot read");
  std::vector<LabelledText> out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) throw InputError(path + ":" + std::to_string(number), "bad JSON");
    ++counts->read;
    const std::string text = j.value("text_plain", "");
    if (blocklist.blocks_text(text) || blocklist.blocks_text(j.value("text_raw", ""))) {
      ++counts->refused;
      continue;
    }
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    for (const auto& s : j.value("spoiler_spans", nlohmann::json::array())) {
      spans.emplace_back(byte_of_code_point(text, s[0].get<std::size_t>()),
                         byte_of_code_point(text, s[1].get<std::size_t>()));
    }
    LabelledText t{.id = "reddit:" + std::to_string(j.value("row", 0)),
                   .group = j.value("thread_title", "")};
    t.label = j.value("label", "") == "Spoiler" ? 1 : 0;
    for (const auto& s : corpus::spoiler_features::split_sentences(text)) {
      std::size_t inside = 0;
      for (const auto& [b, e] : spans) {
        const std::size_t lo = std::max(b, s.begin), hi = std::min(e, s.end);
        if (hi > lo) inside += hi - lo;
      }
      t.sentences.push_back(text.substr(s.begin, s.end - s.begin));
      t.labels.push_back(2 * inside >= s.end - s.begin ? 1 : 0);
    }
    if (!t.sentences.empty()) out.push_back(std::move(t));
  }
  return out;
}

std::vector<LabelledText> load_filmbench_weak(const std::string& path, const Blocklist& blocklist,
                                              int negatives_per_positive, LoadCounts* counts) {
  const std::string command = "xz -dc '" + path + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw InputError(path, "cannot run xz");
  std::vector<LabelledText> positives, negatives;
  std::string line;
  char buffer[1 << 16];
  std::size_t number = 0;
  const auto mentions = [](const std::string& lower, std::initializer_list<const char*> words) {
    for (const char* w : words) {
      if (lower.find(w) != std::string::npos) return true;
    }
    return false;
  };
  while (true) {
    line.clear();
    bool got = false;
    while (std::fgets(buffer, sizeof buffer, pipe.get())) {
      got = true;
      line += buffer;
      if (!line.empty() && line.back() == '\n') break;
    }
    if (!got) break;
    ++number;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || j.value("type", "") != "review") continue;
    ++counts->read;
    const std::string id = j.value("id", "");
    const std::string film = j.value("film_id", "");
    const std::string text = j.value("text", "");
    if (blocklist.blocks_id(id) || blocklist.blocks_film(film) || blocklist.blocks_text(text)) {
      ++counts->refused;
      continue;
    }
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool spoil = lower.find("spoil") != std::string::npos;
    LabelledText t{.id = id, .group = film};
    if (!spoil) {
      // About `negatives_per_positive` per warned review (2% of reviews warn), by hash.
      if (split_bucket("neg:" + id) >= 2 * negatives_per_positive) continue;
      t.label = 0;
    } else {
      const auto warned = corpus::find_inline_spoilers(text);
      if (warned.empty() || corpus::denies_spoilers(text)) continue;
      t.label = 1;
    }
    const std::size_t from = t.label ? corpus::find_inline_spoilers(text)[0].begin : 0;
    for (const auto& s : corpus::spoiler_features::split_sentences(text)) {
      if (s.end <= from) continue;
      std::string sentence = text.substr(s.begin, s.end - s.begin);
      std::string ls = sentence;
      for (char& c : ls) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (mentions(ls, {"spoil", "warn", "alert"})) continue;
      t.sentences.push_back(std::move(sentence));
      t.labels.push_back(t.label);
    }
    if (t.sentences.empty()) continue;
    (t.label ? positives : negatives).push_back(std::move(t));
  }
  for (auto& n : negatives) positives.push_back(std::move(n));
  return positives;
}

}  // namespace filmsearch::bench
