// Fuzzes reading stored records (index/stored_record.h) from any bytes: decode_record either
// throws filmsearch::Error or returns a record that survives encode_record -> decode_record
// unchanged; a document whose record slot holds the bytes (plain, or as if compressed with the
// index's dictionary) reads the same way, never crashing, never allocating without bound.
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "error.h"
#include "fuzz_checks.h"
#include "index/schema.h"
#include "index/stored_record.h"

namespace {

using filmsearch::corpus::Record;

// A dictionary like an index's, trained once on synthetic records.
const filmsearch::index::RecordDictionary* dictionary() {
  static const std::shared_ptr<const filmsearch::index::RecordDictionary> d = [] {
    std::vector<std::string> samples;
    const char* words[] = {"ballet", "red", "shoes", "dancer", "the", "film", "a", "love"};
    for (int i = 0; i < 400; ++i) {
      Record r;
      r.id = "tt" + std::to_string(1000000 + i);
      r.title = std::string(words[i % 8]) + " " + words[(i * 3) % 8];
      r.year = 1900 + i % 120;
      filmsearch::corpus::Section s;
      for (int w = 0; w < 150; ++w) s.text += std::string(words[(i * 5 + w * w) % 8]) + ' ';
      r.sections.push_back(s);
      samples.push_back(filmsearch::index::encode_record(r));
    }
    return filmsearch::index::RecordDictionary::train(samples);
  }();
  return d.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    // Byte for byte: stored text need not be valid UTF-8 to survive.
    const std::string encoded =
        filmsearch::index::encode_record(filmsearch::index::decode_record(bytes));
    const std::string again =
        filmsearch::index::encode_record(filmsearch::index::decode_record(encoded));
    FUZZ_CHECK(encoded == again, std::to_string(encoded.size()));
  } catch (const filmsearch::Error&) {
  }
  Xapian::Document doc;
  doc.add_value(filmsearch::index::schema::slot(filmsearch::index::schema::Slot::kRecord), bytes);
  for (const auto* d : {static_cast<const filmsearch::index::RecordDictionary*>(nullptr),
                        dictionary()}) {
    try {
      (void)filmsearch::index::stored_record(doc, d);
    } catch (const filmsearch::Error&) {
    }
  }
  return 0;
}
