#include "index/stored_record.h"

#include <gtest/gtest.h>

#include <string>

#include "corpus/record_json.h"
#include "error.h"
#include "index/schema.h"

namespace filmsearch::index {
namespace {

using corpus::Record;
using corpus::Section;
using corpus::SectionKind;

Section section(SectionKind kind, std::string text, std::vector<corpus::SpoilerSpan> spans = {}) {
  Section s;
  s.kind = kind;
  s.text = std::move(text);
  s.spoiler_spans = std::move(spans);
  return s;
}

Record full_record() {
  Record r;
  r.id = "page:000";
  r.film_id = "film:the-red-shoes-1948";
  r.title = "The Red Shoes";
  r.year = 1948;
  r.genres = {"Drama", "Music", "Romance"};
  r.directors = {"Michael Powell"};
  r.cast = {"Moira Shearer", "Léonide Massine"};
  r.runtime_min = 135;
  r.rating = 8.1;
  r.votes = 44000;
  r.lang = "en";
  r.url = "https://example.org/red-shoes";
  Section quote = section(SectionKind::kQuote, "Take off the red shoes!", {{0, 23}});
  quote.speaker = "Victoria Page";
  r.sections.push_back(quote);
  Section rv = section(SectionKind::kReview, "A masterpiece. SPOILER: she dies.", {{15, 33}});
  rv.heading = "Professional reviews";
  rv.author = "Roger";
  rv.source = "Chicago Sun-Times";
  rv.date = "2005-01-01";
  r.sections.push_back(rv);
  Section furniture = section(SectionKind::kOther, "Watch on Netflix");
  furniture.ranked = false;
  r.sections.push_back(furniture);
  return r;
}

TEST(StoredRecordTest, RoundTrips) {
  struct Case {
    const char* name;
    Record record;
  };
  Record empty;
  Record negative;
  negative.id = "n";
  negative.year = -44;
  negative.votes = 0;
  Record review;
  review.id = "imdb-review:1";
  review.type = corpus::RecordType::kReview;
  review.film_id = "tt1";
  review.rating = 7;
  review.sections.push_back(section(SectionKind::kReview, "Good."));
  const Case cases[] = {
      {"full film page", full_record()},
      {"empty record", empty},
      {"negative year, zero votes", negative},
      {"review", review},
  };
  for (const auto& c : cases) {
    Record back = decode_record(encode_record(c.record));
    EXPECT_EQ(corpus::record_to_json(c.record).dump(), corpus::record_to_json(back).dump())
        << c.name;
    // Unranked sections are kept (record_to_json does not show `ranked`).
    ASSERT_EQ(c.record.sections.size(), back.sections.size()) << c.name;
    for (std::size_t i = 0; i < back.sections.size(); ++i) {
      EXPECT_EQ(c.record.sections[i].ranked, back.sections[i].ranked) << c.name;
    }
  }
}

// Format 2 keeps each span's confidence (to 1/255), the possible spoiler spans and whether the
// input gave the spans; format 1 (no confidence) still decodes.
TEST(StoredRecordTest, KeepsSpoilerConfidenceAndPossibleSpans) {
  Record r;
  r.id = "r";
  r.type = corpus::RecordType::kReview;
  corpus::Section s = section(SectionKind::kReview, "Fine cast. He dies. She lives on.");
  s.spoiler_spans = {{11, 19, 0.8F}};
  s.possible_spoiler_spans = {{20, 33, 0.3F}};
  r.sections.push_back(s);
  Record given = r;
  given.sections[0].spoilers_given = true;
  for (const Record& in : {r, given}) {
    const Record back = decode_record(encode_record(in));
    ASSERT_EQ(1u, back.sections.size());
    const corpus::Section& b = back.sections[0];
    EXPECT_EQ(in.sections[0].spoilers_given, b.spoilers_given);
    ASSERT_EQ(1u, b.spoiler_spans.size());
    EXPECT_EQ(11u, b.spoiler_spans[0].begin);
    EXPECT_EQ(19u, b.spoiler_spans[0].end);
    EXPECT_NEAR(0.8, b.spoiler_spans[0].confidence, 1.0 / 255);
    ASSERT_EQ(1u, b.possible_spoiler_spans.size());
    EXPECT_NEAR(0.3, b.possible_spoiler_spans[0].confidence, 1.0 / 255);
  }
  // A record without sections is encoded alike in both formats but for the version byte.
  Record plain;
  plain.id = "p";
  plain.title = "Plain";
  std::string v1 = encode_record(plain);
  v1[0] = 1;
  EXPECT_EQ("Plain", decode_record(v1).title);
}

TEST(StoredRecordTest, RejectsCorruptData) {
  std::string good = encode_record(full_record());
  const std::string bad[] = {
      "",
      "\x03" + good.substr(1),          // unknown version
      good.substr(0, good.size() / 2),  // truncated
      good + "x",                       // trailing bytes
  };
  for (const auto& data : bad) {
    EXPECT_THROW(decode_record(data), filmsearch::Error) << data.size();
  }
}

// A document keeps its record in slot kRecord, compressed; an index written before that kept
// it in the document data, which still reads.
TEST(StoredRecordTest, DocumentsKeepTheirRecord) {
  const Record record = full_record();
  const std::string json = corpus::record_to_json(record).dump();
  Xapian::Document doc;
  store_record(record, &doc);
  EXPECT_EQ("", doc.get_data());
  const std::string packed = doc.get_value(schema::slot(schema::Slot::kRecord));
  EXPECT_LT(packed.size(), encode_record(record).size());
  EXPECT_EQ(json, corpus::record_to_json(stored_record(doc)).dump());

  Xapian::Document old_style;
  old_style.set_data(encode_record(record));
  EXPECT_EQ(json, corpus::record_to_json(stored_record(old_style)).dump());

  const std::string bad[] = {
      "x",                                 // not a zstd frame
      packed.substr(0, packed.size() / 2),  // truncated
      packed.substr(0, 4) + std::string(packed.size() - 4, '\0'),  // damaged
      // A header claiming 2^31 bytes for 20: memory must follow the data, not the header
      // (found by fuzz/stored_record_fuzzer; it timed out allocating).
      std::string("\x28\xb5\x2f\xfd\x92\x00\x00\x00\x27\x10\xff\x5f\x27\x70\x00\x2f\xb6\xf6\x00\x55", 20),
  };
  for (const auto& value : bad) {
    Xapian::Document damaged;
    damaged.add_value(schema::slot(schema::Slot::kRecord), value);
    EXPECT_THROW(stored_record(damaged), filmsearch::Error) << value.size();
  }
  EXPECT_THROW(stored_record(Xapian::Document()), filmsearch::Error);  // no record at all
}

TEST(StoredRecordTest, DictionaryTrainsOnlyOnEnoughRecords) {
  std::vector<std::string> samples;
  for (int i = 0; i < 99; ++i) samples.push_back(encode_record(full_record()));
  EXPECT_EQ(nullptr, RecordDictionary::train(samples));  // under 100 records
  EXPECT_THROW(RecordDictionary("not a dictionary"), filmsearch::Error);
}

}  // namespace
}  // namespace filmsearch::index
