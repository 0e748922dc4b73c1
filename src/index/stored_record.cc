#include "index/stored_record.h"

#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <memory>

#include "error.h"
#include "index/schema.h"

// The format is a small binary encoding rather than the record's JSON: on 10,000 filmbench
// records it is 6% smaller than compact JSON (4% after zlib; CBOR of the JSON is 3% smaller) and
// it decodes with no parser. store_record() compresses it with zstd into a value slot, which
// glass stores as it is (document data it would deflate again).
//
// Layout (version 1): a version byte, then the record's fields in declaration order. Strings and
// counts are LEB128 varints (strings: byte length then bytes); optional numbers sit behind a
// presence bit in one flags byte; integers are zigzag varints; the rating is an IEEE double
// (8 bytes, little endian). Spans are (begin, length) varints and, from version 2, a confidence
// byte (0-255 for 0-1); version 2 adds each section's possible spoiler spans and a flags byte
// (bit 0: spoilers_given). Version 1 records still decode (confidence 1, no possible spans).

namespace filmsearch::index {
namespace {

constexpr std::uint8_t kFormatVersion = 2;
constexpr std::uint8_t kFormatVersionWithoutConfidence = 1;
constexpr std::uint8_t kSpoilersGiven = 1;

std::uint8_t confidence_byte(float c) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(c, 0.0F, 1.0F) * 255.0F));
}

// Without a dictionary, zstd level 1: on filmbench reviews as good as level 3 (0.57 of the size;
// glass's zlib gave 0.55) at 1.6 times the speed. With one (110 KB, zstd's usual size, trained
// on the index's first records), level 3: 0.40 of the size at 200 MB/s (level 1: 0.46).
constexpr int kCompressionLevel = 1;
constexpr int kDictionaryCompressionLevel = 3;
constexpr std::size_t kDictionaryBytes = 110 * 1024;  // at most
// Fewer or smaller samples than this teach a dictionary little (and zstd's trainer may fail).
constexpr std::size_t kMinTrainingRecords = 100;
constexpr std::size_t kMinTrainingBytes = 256 * 1024;
// A stored record never decompresses to more than this (a corrupt frame header could ask for
// any size).
constexpr unsigned long long kMaxRecordBytes = 1ull << 31;

// One compression and one decompression context per thread, made on first use.
ZSTD_CCtx* compression_context() {
  thread_local std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(),
                                                                         &ZSTD_freeCCtx);
  if (!cctx) throw Error("out of memory for zstd");
  return cctx.get();
}

ZSTD_DCtx* decompression_context() {
  thread_local std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(),
                                                                         &ZSTD_freeDCtx);
  if (!dctx) throw Error("out of memory for zstd");
  return dctx.get();
}

enum PresenceBit : std::uint8_t {
  kHasYear = 1,
  kHasRuntime = 2,
  kHasRating = 4,
  kHasVotes = 8,
};

class Encoder {
 public:
  explicit Encoder(std::string* out) : out_(out) {}

  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_->push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_->push_back(static_cast<char>(v));
  }
  void signed_varint(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void byte(std::uint8_t b) { out_->push_back(static_cast<char>(b)); }
  void str(std::string_view s) {
    varint(s.size());
    out_->append(s);
  }
  void list(const std::vector<std::string>& items) {
    varint(items.size());
    for (const auto& s : items) str(s);
  }
  void real(double d) {
    std::uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; ++i) byte(static_cast<std::uint8_t>(bits >> (8 * i)));
  }

 private:
  std::string* out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  bool at_end() const { return pos_ == in_.size(); }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::uint8_t b = byte();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    corrupt("varint too long");
  }
  std::int64_t signed_varint() {
    std::uint64_t u = varint();
    return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  std::uint8_t byte() {
    if (pos_ >= in_.size()) corrupt("truncated");
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::string str() {
    std::uint64_t n = varint();
    if (n > in_.size() - pos_) corrupt("string runs past the end");
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::vector<std::string> list() {
    std::uint64_t n = count();
    std::vector<std::string> items;
    items.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) items.push_back(str());
    return items;
  }
  // A count of items that each take at least one byte: bounded by what is left.
  std::uint64_t count() {
    std::uint64_t n = varint();
    if (n > in_.size() - pos_) corrupt("count runs past the end");
    return n;
  }
  double real() {
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(byte()) << (8 * i);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }

  [[noreturn]] static void corrupt(const char* why) {
    throw Error(std::string("stored record is corrupt: ") + why);
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_record(const corpus::Record& r) {
  std::string out;
  std::size_t estimate = 64 + r.title.size();
  for (const auto& s : r.sections) estimate += s.text.size() + s.heading.size() + 16;
  out.reserve(estimate);

  Encoder e(&out);
  e.byte(kFormatVersion);
  e.str(r.id);
  e.byte(static_cast<std::uint8_t>(r.type));
  e.str(r.film_id);
  e.str(r.title);
  std::uint8_t flags = (r.year ? kHasYear : 0) | (r.runtime_min ? kHasRuntime : 0) |
                       (r.rating ? kHasRating : 0) | (r.votes ? kHasVotes : 0);
  e.byte(flags);
  if (r.year) e.signed_varint(*r.year);
  if (r.runtime_min) e.signed_varint(*r.runtime_min);
  if (r.rating) e.real(*r.rating);
  if (r.votes) e.signed_varint(*r.votes);
  e.list(r.genres);
  e.list(r.directors);
  e.list(r.cast);
  e.list(r.topics);
  e.str(r.lang);
  e.str(r.source);
  e.str(r.author);
  e.str(r.date);
  e.str(r.url);
  e.varint(r.sections.size());
  for (const auto& s : r.sections) {
    e.byte(static_cast<std::uint8_t>(s.kind));
    e.byte(s.ranked ? 1 : 0);
    e.str(s.heading);
    e.str(s.text);
    e.str(s.speaker);
    e.str(s.author);
    e.str(s.source);
    e.str(s.date);
    e.byte(s.spoilers_given ? kSpoilersGiven : 0);
    for (const auto* spans : {&s.spoiler_spans, &s.possible_spoiler_spans}) {
      e.varint(spans->size());
      for (const auto& span : *spans) {
        e.varint(span.begin);
        e.varint(span.end - span.begin);
        e.byte(confidence_byte(span.confidence));
      }
    }
  }
  return out;
}

corpus::Record decode_record(std::string_view data) {
  Decoder d(data);
  const std::uint8_t version = d.byte();
  if (version != kFormatVersion && version != kFormatVersionWithoutConfidence) {
    Decoder::corrupt("unknown format version");
  }
  corpus::Record r;
  r.id = d.str();
  std::uint8_t type = d.byte();
  if (type > static_cast<std::uint8_t>(corpus::RecordType::kArticle)) {
    Decoder::corrupt("bad record type");
  }
  r.type = static_cast<corpus::RecordType>(type);
  r.film_id = d.str();
  r.title = d.str();
  std::uint8_t flags = d.byte();
  if (flags & kHasYear) r.year = static_cast<int>(d.signed_varint());
  if (flags & kHasRuntime) r.runtime_min = static_cast<int>(d.signed_varint());
  if (flags & kHasRating) r.rating = d.real();
  if (flags & kHasVotes) r.votes = d.signed_varint();
  r.genres = d.list();
  r.directors = d.list();
  r.cast = d.list();
  r.topics = d.list();
  r.lang = d.str();
  r.source = d.str();
  r.author = d.str();
  r.date = d.str();
  r.url = d.str();
  std::uint64_t sections = d.count();
  r.sections.reserve(sections);
  for (std::uint64_t i = 0; i < sections; ++i) {
    corpus::Section s;
    std::uint8_t kind = d.byte();
    if (kind > static_cast<std::uint8_t>(corpus::SectionKind::kOther)) {
      Decoder::corrupt("bad section kind");
    }
    s.kind = static_cast<corpus::SectionKind>(kind);
    s.ranked = d.byte() != 0;
    s.heading = d.str();
    s.text = d.str();
    s.speaker = d.str();
    s.author = d.str();
    s.source = d.str();
    s.date = d.str();
    const bool with_confidence = version == kFormatVersion;
    if (with_confidence) s.spoilers_given = (d.byte() & kSpoilersGiven) != 0;
    for (auto* list : {&s.spoiler_spans, &s.possible_spoiler_spans}) {
      if (list == &s.possible_spoiler_spans && !with_confidence) break;
      std::uint64_t spans = d.count();
      list->reserve(spans);
      for (std::uint64_t j = 0; j < spans; ++j) {
        corpus::SpoilerSpan span;
        span.begin = d.varint();
        span.end = span.begin + d.varint();
        if (span.end > s.text.size() || span.end < span.begin) {
          Decoder::corrupt("bad spoiler span");
        }
        if (with_confidence) span.confidence = static_cast<float>(d.byte()) / 255.0F;
        list->push_back(span);
      }
    }
    r.sections.push_back(std::move(s));
  }
  if (!d.at_end()) Decoder::corrupt("trailing bytes");
  return r;
}

RecordDictionary::RecordDictionary(std::string bytes) : bytes_(std::move(bytes)) {
  id_ = ZDICT_getDictID(bytes_.data(), bytes_.size());
  cdict_ = ZSTD_createCDict(bytes_.data(), bytes_.size(), kDictionaryCompressionLevel);
  ddict_ = ZSTD_createDDict(bytes_.data(), bytes_.size());
  if (id_ == 0 || cdict_ == nullptr || ddict_ == nullptr) {
    ZSTD_freeCDict(cdict_);
    ZSTD_freeDDict(ddict_);
    throw Error("not a zstd dictionary");
  }
}

RecordDictionary::~RecordDictionary() {
  ZSTD_freeCDict(cdict_);
  ZSTD_freeDDict(ddict_);
}

std::shared_ptr<const RecordDictionary> RecordDictionary::train(
    const std::vector<std::string>& samples) {
  std::string joined;
  std::vector<std::size_t> sizes;
  for (const auto& sample : samples) {
    if (sample.empty()) continue;
    joined += sample;
    sizes.push_back(sample.size());
  }
  if (sizes.size() < kMinTrainingRecords || joined.size() < kMinTrainingBytes) return nullptr;
  // zstd's advice: a dictionary about a hundredth of its samples; a tenth of them at most.
  std::string dictionary(std::min(kDictionaryBytes, joined.size() / 10), '\0');
  const std::size_t n =
      ZDICT_trainFromBuffer(dictionary.data(), dictionary.size(), joined.data(), sizes.data(),
                            static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) return nullptr;  // records too alike or too few to learn from
  dictionary.resize(n);
  return std::make_shared<const RecordDictionary>(std::move(dictionary));
}

std::shared_ptr<const RecordDictionary> RecordDictionary::load(const Xapian::Database& db) {
  std::string bytes = db.get_metadata(std::string(schema::kRecordDictionaryKey));
  if (bytes.empty()) return nullptr;
  return std::make_shared<const RecordDictionary>(std::move(bytes));
}

std::shared_ptr<const RecordDictionary> RecordDictionary::load(
    const Xapian::Database& db, const std::shared_ptr<const RecordDictionary>& known) {
  std::string bytes = db.get_metadata(std::string(schema::kRecordDictionaryKey));
  if (bytes.empty()) return nullptr;
  if (known && known->bytes_ == bytes) return known;
  return std::make_shared<const RecordDictionary>(std::move(bytes));
}

void RecordDictionary::save(Xapian::WritableDatabase& db) const {
  db.set_metadata(std::string(schema::kRecordDictionaryKey), bytes_);
}

void store_record(const corpus::Record& record, Xapian::Document* doc,
                  const RecordDictionary* dictionary) {
  const std::string raw = encode_record(record);
  std::string packed(ZSTD_compressBound(raw.size()), '\0');
  const std::size_t n =
      dictionary ? ZSTD_compress_usingCDict(compression_context(), packed.data(), packed.size(),
                                            raw.data(), raw.size(), dictionary->cdict_)
                 : ZSTD_compressCCtx(compression_context(), packed.data(), packed.size(),
                                     raw.data(), raw.size(), kCompressionLevel);
  if (ZSTD_isError(n)) throw Error(std::string("cannot compress record: ") + ZSTD_getErrorName(n));
  packed.resize(n);
  doc->add_value(schema::slot(schema::Slot::kRecord), std::move(packed));
}

corpus::Record stored_record(const Xapian::Document& doc, const RecordDictionary* dictionary) {
  const std::string packed = doc.get_value(schema::slot(schema::Slot::kRecord));
  if (packed.empty()) return decode_record(doc.get_data());  // an index from before kRecord
  const unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
      size > kMaxRecordBytes) {
    throw Error("stored record is corrupt: bad zstd frame");
  }
  const unsigned needs = ZSTD_getDictID_fromFrame(packed.data(), packed.size());
  if (needs != 0 && (dictionary == nullptr || dictionary->id() != needs)) {
    throw Error("stored record needs zstd dictionary " + std::to_string(needs) +
                (dictionary ? ", not " + std::to_string(dictionary->id()) : std::string()));
  }
  // Streamed, so memory grows with what the frame really holds, not with what its header
  // claims (a damaged header could claim gigabytes; found by fuzz/stored_record_fuzzer).
  ZSTD_DCtx* dctx = decompression_context();
  ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters);
  if (needs != 0) ZSTD_DCtx_refDDict(dctx, dictionary->ddict_);
  std::string raw(std::min<unsigned long long>(size, packed.size() * 16 + 4096), '\0');
  ZSTD_inBuffer in{packed.data(), packed.size(), 0};
  std::size_t produced = 0;
  for (;;) {
    const std::size_t consumed = in.pos;
    ZSTD_outBuffer out{raw.data(), raw.size(), produced};
    const std::size_t left = ZSTD_decompressStream(dctx, &out, &in);
    if (ZSTD_isError(left)) {
      throw Error(std::string("stored record is corrupt: ") + ZSTD_getErrorName(left));
    }
    const bool progress = out.pos > produced || in.pos > consumed;
    produced = out.pos;
    if (left == 0) break;  // the frame is complete
    if (produced == raw.size() && raw.size() < size) {
      raw.resize(std::min<unsigned long long>(size, 2 * raw.size()));
    } else if (!progress) {
      throw Error("stored record is corrupt: truncated zstd frame");
    }
  }
  if (produced != size || in.pos != in.size) {
    throw Error("stored record is corrupt: zstd frame of another size than its header says");
  }
  return decode_record(raw);
}

}  // namespace filmsearch::index
