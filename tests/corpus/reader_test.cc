// Tests of the corpus readers: the JSON record format, input decoding (gzip, xz, UTF-8, binary,
// long lines), CSV/TSV, JSON arrays and the folder walk. Each case renders what was read, records
// and diagnostics alike, into a compact string.
#include "corpus/reader.h"

#include <fcntl.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/csv_reader.h"
#include "corpus/input.h"
#include "corpus/record_json.h"
#include "corpus/spoilers.h"
#include "error.h"

namespace filmsearch::corpus {
namespace {

namespace fs = std::filesystem;

const std::string kData = std::string(FILMSEARCH_TEST_DATA) + "/readers";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

// "film tt1 film_id=tt1 'Title' 1948 genres=A,B ... | plot#Heading=text!" where a section's
// text is cut at 24 bytes, "!" marks a whole-section spoiler, {b,e} spoiler spans, "~" unranked.
std::string render(const Record& r) {
  std::string out = std::string(type_name(r.type)) + " " + r.id;
  if (!r.film_id.empty() && r.film_id != r.id) out += " film_id=" + r.film_id;
  if (!r.title.empty()) out += " '" + r.title + "'";
  if (r.year) out += " " + std::to_string(*r.year);
  if (!r.genres.empty()) out += " genres=" + join(r.genres);
  if (!r.directors.empty()) out += " directors=" + join(r.directors);
  if (!r.cast.empty()) out += " cast=" + join(r.cast);
  if (!r.topics.empty()) out += " topics=" + join(r.topics);
  if (r.runtime_min) out += " runtime=" + std::to_string(*r.runtime_min);
  if (r.rating) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *r.rating);
    out += std::string(" rating=") + buf;
  }
  if (r.votes) out += " votes=" + std::to_string(*r.votes);
  for (const auto& [name, value] :
       {std::pair{"lang", &r.lang}, {"source", &r.source}, {"author", &r.author},
        {"date", &r.date}, {"url", &r.url}}) {
    if (!value->empty()) out += std::string(" ") + name + "=" + *value;
  }
  for (const Section& s : r.sections) {
    out += " | " + std::string(kind_name(s.kind));
    if (!s.heading.empty()) out += "#" + s.heading;
    for (const auto* v : {&s.speaker, &s.author, &s.source, &s.date}) {
      if (!v->empty()) out += "@" + *v;
    }
    out += "=" + (s.text.size() > 24 ? s.text.substr(0, 24) + "..." : s.text);
    if (s.all_spoiler()) {
      out += "!";
    } else {
      for (const auto& span : s.spoiler_spans) {
        out += "{" + std::to_string(span.begin) + "," + std::to_string(span.end) + "}";
      }
    }
    if (!s.ranked) out += "~";
  }
  return out;
}

// "W name:3: message" with the source relative to `base` so temp paths do not show.
std::string render(const Diagnostic& d, const std::string& base = "") {
  Diagnostic shown = d;
  if (!base.empty() && shown.source.starts_with(base)) shown.source.erase(0, base.size());
  return std::string(d.severity == Diagnostic::Severity::kWarning ? "W " : "E ") +
         shown.to_string();
}

std::string render(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += (out.empty() ? "" : "\n") + render(d);
  return out;
}

// Everything read_inputs reports, one line per record or diagnostic, in order.
std::string read_to_string(const std::vector<std::string>& paths, const std::string& base,
                           ReadOptions options = {}) {
  std::string out;
  read_inputs(paths, options,
              {.on_record = [&](Record&& r) { out += render(r) + "\n"; },
               .on_diagnostic = [&](const Diagnostic& d) { out += render(d, base) + "\n"; }});
  return out;
}

// A fresh folder under the test temp dir.
std::string temp_dir(const std::string& name) {
  const std::string dir = testing::TempDir() + "filmsearch_reader_" + name + "/";
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string gzip(const std::string& bytes) {
  z_stream zs{};
  EXPECT_EQ(Z_OK, deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY));
  std::string out(deflateBound(&zs, bytes.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(Z_STREAM_END, deflate(&zs, Z_FINISH));
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string xz(const std::string& bytes) {
  std::string out(lzma_stream_buffer_bound(bytes.size()), '\0');
  std::size_t pos = 0;
  EXPECT_EQ(LZMA_OK, lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                             reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                             bytes.size(),
                                             reinterpret_cast<std::uint8_t*>(out.data()), &pos,
                                             out.size()));
  out.resize(pos);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The record format

struct JsonCase {
  const char* json;
  const char* expect;    // the rendered record, or "throws: message"
  const char* warnings;  // rendered warnings, one per line
};

void check_json_cases(const std::vector<JsonCase>& cases) {
  for (const auto& c : cases) {
    std::vector<Diagnostic> warnings;
    std::string got;
    try {
      got = render(record_from_json(nlohmann::json::parse(c.json), "films.jsonl:7", &warnings));
    } catch (const InputError& e) {
      got = std::string("throws: ") + e.what();
    }
    EXPECT_EQ(c.expect, got) << c.json;
    EXPECT_EQ(c.warnings, render(warnings)) << c.json;
  }
}

TEST(RecordJsonTest, ReadsEachRecordType) {
  check_json_cases({
      {R"({"id": "tt0040725", "type": "film", "title": "The Red Shoes", "year": 1948,
           "genres": ["Drama"], "directors": ["Michael Powell", "Emeric Pressburger"],
           "cast": ["Moira Shearer"], "runtime_min": 134, "rating": 8.1, "votes": 37000,
           "sections": [{"kind": "plot", "heading": "Plot", "text": "She dances.",
                         "spoiler": true},
                        {"kind": "quote", "text": "Why do you want to dance?",
                         "speaker": "Lermontov"},
                        {"kind": "other", "text": "Watch on TV", "ranked": false}]})",
       "film tt0040725 'The Red Shoes' 1948 genres=Drama directors=Michael Powell,Emeric "
       "Pressburger cast=Moira Shearer runtime=134 rating=8.1 votes=37000 | plot#Plot=She "
       "dances.! | quote@Lermontov=Why do you want to dance... | other=Watch on TV~",
       ""},
      {R"({"id": "imdb-review:1", "type": "review", "film_id": "tt0040725",
           "text": "Wonderful colour.", "rating": 9, "author": "ann"})",
       "review imdb-review:1 film_id=tt0040725 rating=9 author=ann | review=Wonderful colour.",
       ""},
      // No type: film_id + text make a review.
      {R"({"id": "r2", "film_id": "tt1", "text": "Dull."})", "review r2 film_id=tt1 | review=Dull.",
       ""},
      {R"({"id": "bbc:1", "type": "article", "title": "Oscars", "topics": ["entertainment"],
           "source": "BBC News", "sections": [{"kind": "article", "text": "The winners."}]})",
       "article bbc:1 'Oscars' topics=entertainment source=BBC News | article=The winners.", ""},
      // A film's own text is its synopsis; unknown fields are ignored.
      {R"({"id": "f1", "title": "X", "text": "About X.", "colour": "red"})",
       "film f1 'X' | synopsis=About X.", ""},
      {R"({"id": "douban:1", "title": "流浪地球", "lang": "zh"})", "film douban:1 '流浪地球' lang=zh",
       ""},
      // Review spoilers: explicit spans, a whole-review flag, an explicit "no spoilers".
      {R"({"id": "r3", "type": "review", "film_id": "tt1", "text": "Good. He dies.",
           "spoiler_spans": [[6, 14]]})",
       "review r3 film_id=tt1 | review=Good. He dies.{6,14}", ""},
      {R"({"id": "r4", "type": "review", "film_id": "tt1", "text": "He dies.", "spoiler": true})",
       "review r4 film_id=tt1 | review=He dies.!", ""},
  });
}

TEST(RecordJsonTest, CoercesWhenUnambiguous) {
  check_json_cases({
      {R"({"id": 40725, "year": "1948", "rating": "8.1", "votes": "37,000",
           "runtime_min": "2h 14min", "genres": "Drama|Music", "cast": "A, B"})",
       "film 40725 1948 genres=Drama,Music cast=A,B runtime=134 rating=8.1 votes=37000",
       "W films.jsonl:7: field \"id\": converted from a number\n"
       "W films.jsonl:7: field \"year\": converted from a string\n"
       "W films.jsonl:7: field \"runtime_min\": converted from a string\n"
       "W films.jsonl:7: field \"votes\": converted from a string\n"
       "W films.jsonl:7: field \"rating\": converted from a string\n"
       "W films.jsonl:7: field \"genres\": converted from a single string\n"
       "W films.jsonl:7: field \"cast\": converted from a single string"},
      {R"({"id": "f", "year": 1948.0, "runtime_min": "135 min", "title": 1917})",
       "film f '1917' 1948 runtime=135",
       "W films.jsonl:7: field \"title\": converted from a number\n"
       "W films.jsonl:7: field \"year\": converted from a float\n"
       "W films.jsonl:7: field \"runtime_min\": converted from a string"},
      {R"({"id": "f", "year": "1948-09-06", "rating": "7.5/10", "runtime_min": "1:30"})",
       "film f 1948 runtime=90 rating=7.5",
       "W films.jsonl:7: field \"year\": converted from a string\n"
       "W films.jsonl:7: field \"runtime_min\": converted from a string\n"
       "W films.jsonl:7: field \"rating\": converted from a string"},
      // Not coercible: dropped and named, the rest of the record kept.
      {R"({"id": "f", "year": "soon", "rating": [8], "genres": {"a": 1}, "title": true})",
       "film f",
       "W films.jsonl:7: field \"title\": expected a string, got true; ignored\n"
       "W films.jsonl:7: field \"year\": expected a whole number, got \"soon\"; ignored\n"
       "W films.jsonl:7: field \"rating\": expected a number, got [8]; ignored\n"
       "W films.jsonl:7: field \"genres\": expected a list of strings, got {\"a\":1}; ignored"},
      {R"({"id": "f", "year": 1948.5, "sections": [{"kind": "plot"}, 5, "Just text.",
           {"kind": "ending", "text": "T", "spoiler": "true"}]})",
       "film f | other=Just text. | other=T!",
       "W films.jsonl:7: field \"year\": expected a whole number, got 1948.5; ignored\n"
       "W films.jsonl:7: field \"sections[0].text\": section has no text; section skipped\n"
       "W films.jsonl:7: field \"sections[1]\": expected a section object, got 5; ignored\n"
       "W films.jsonl:7: field \"sections[2]\": converted from a string\n"
       "W films.jsonl:7: field \"sections[3].kind\": expected a section kind, got \"ending\"; "
       "ignored\n"
       "W films.jsonl:7: field \"sections[3].spoiler\": converted from a string"},
      // A record without an id gets a stable one from where it was read.
      {R"({"title": "Anon"})", "film auto:films:7 'Anon'",
       "W films.jsonl:7: field \"id\": record has no id; using auto:films:7"},
      {R"({"id": "r", "type": "review", "text": "Orphan."})", "review r | review=Orphan.",
       "W films.jsonl:7: field \"film_id\": review has no film_id; it belongs to no film"},
  });
}

TEST(RecordJsonTest, RejectsUnusableRecords) {
  check_json_cases({
      {R"([1, 2])", "throws: films.jsonl:7: a record must be a JSON object, not array", ""},
      {R"({"id": "x", "type": "documentary"})",
       "throws: films.jsonl:7: field \"type\": unknown type \"documentary\" (expected film, "
       "review or article)",
       ""},
      {R"({"id": ["x"]})", "throws: films.jsonl:7: field \"id\": must be a string", ""},
      {R"({"id": "x", "sections": 3})",
       "throws: films.jsonl:7: field \"sections\": must be a list of sections, not number", ""},
  });
}

TEST(RecordJsonTest, RepairsSpoilerSpans) {
  // "café!" is 6 bytes: c a f 0xC3 0xA9 !
  check_json_cases({
      {R"({"id": "s", "sections": [{"kind": "plot", "text": "café! ok", "spoiler_spans": [[0, 3]]}]})",
       "film s | plot=café! ok{0,3}", ""},
      // Sorted and merged, clamped to the text, widened to whole characters.
      {R"({"id": "s", "sections": [{"kind": "plot", "text": "café! ok",
           "spoiler_spans": [[7, 99], [0, 2], [1, 4]]}]})",
       "film s | plot=café! ok{0,5}{7,9}",
       "W films.jsonl:7: field \"sections[0].spoiler_spans\": repaired [7,99)[0,2)[1,4) to "
       "[0,5)[7,9) (text is 9 bytes)"},
      {R"({"id": "s", "sections": [{"kind": "plot", "text": "abc",
           "spoiler_spans": [[2, 1], "x", [0, 3]]}]})",
       "film s | plot=abc!",
       "W films.jsonl:7: field \"sections[0].spoiler_spans\": expected a [begin, end] pair with "
       "0 <= begin <= end, got [2,1]; ignored\n"
       "W films.jsonl:7: field \"sections[0].spoiler_spans\": expected a [begin, end] pair with "
       "0 <= begin <= end, got \"x\"; ignored"},
      // A whole float counts; one beyond any offset is dropped (found by the record_json
      // fuzzer: converting 6.7e97 to an integer was undefined behaviour).
      {R"({"id": "s", "sections": [{"kind": "plot", "text": "abc",
           "spoiler_spans": [[0.0, 2.0], [1, 6.7e97]]}]})",
       "film s | plot=abc{0,2}",
       "W films.jsonl:7: field \"sections[0].spoiler_spans\": expected a [begin, end] pair with "
       "0 <= begin <= end, got [1,6.7e+97]; ignored"},
  });
}

// Reading leaves detection to the one spoiler policy (corpus/spoilers.h), which the readers run.
TEST(RecordJsonTest, ReviewWithoutFlagsUsesInlineDetection) {
  const std::string text =
      "Great film. SPOILER ALERT: the dancer dies at the end. END SPOILERS. See it.";
  nlohmann::json j = {{"id", "r"}, {"type", "review"}, {"film_id", "tt1"}, {"text", text}};
  Record r = record_from_json(j, "x.jsonl:1", nullptr);
  ASSERT_EQ(1u, r.sections.size());
  EXPECT_FALSE(r.sections[0].spoilers_given);
  apply_spoiler_policy(r, {.learned = false});
  EXPECT_EQ(find_inline_spoilers(text), r.sections[0].spoiler_spans);
  // An explicit flag wins over detection, learned or not.
  j["spoiler"] = false;
  Record given = record_from_json(j, "x.jsonl:1", nullptr);
  EXPECT_TRUE(given.sections[0].spoilers_given);
  apply_spoiler_policy(given);
  EXPECT_TRUE(given.sections[0].spoiler_spans.empty());
  EXPECT_TRUE(given.sections[0].possible_spoiler_spans.empty());
}

TEST(RecordJsonTest, RoundTrips) {
  struct Case {
    const char* json;
    const char* written;  // record_to_json(record_from_json(json)).dump()
  };
  const Case cases[] = {
      {R"({"id": "tt1", "type": "film", "title": "T", "year": 1948, "genres": ["Drama"],
           "directors": ["D"], "cast": ["C"], "runtime_min": 90, "rating": 8.1, "votes": 5,
           "lang": "en", "source": "S", "url": "http://x",
           "sections": [{"kind": "plot", "heading": "Plot", "text": "He dies.", "spoiler": true},
                        {"kind": "quote", "text": "Q", "speaker": "Sp"},
                        {"kind": "faq", "text": "A? B.", "spoiler_spans": [[3, 5]]},
                        {"kind": "other", "text": "Shop", "ranked": false}]})",
       R"({"cast":["C"],"directors":["D"],"genres":["Drama"],"id":"tt1","lang":"en","rating":8.1,"runtime_min":90,"sections":[{"heading":"Plot","kind":"plot","spoiler":true,"text":"He dies."},{"kind":"quote","speaker":"Sp","text":"Q"},{"kind":"faq","spoiler_spans":[[3,5]],"text":"A? B."},{"kind":"other","ranked":false,"text":"Shop"}],"source":"S","title":"T","type":"film","url":"http://x","votes":5,"year":1948})"},
      {R"({"id": "r1", "type": "review", "film_id": "tt1", "text": "Fine. He dies.",
           "spoiler_spans": [[6, 14]], "rating": 9, "author": "ann", "date": "2020-01-02"})",
       R"({"author":"ann","date":"2020-01-02","film_id":"tt1","id":"r1","rating":9.0,"spoiler_spans":[[6,14]],"text":"Fine. He dies.","type":"review"})"},
      {R"({"id": "r2", "type": "review", "film_id": "tt1", "text": "All spoiler.", "spoiler": true})",
       R"({"film_id":"tt1","id":"r2","spoiler":true,"text":"All spoiler.","type":"review"})"},
      // A review that says "spoiler alert" but was marked spoiler-free keeps that on the way back.
      {R"({"id": "r3", "type": "review", "film_id": "tt1", "spoiler": false,
           "text": "SPOILER ALERT: she dies at the end of it all."})",
       R"({"film_id":"tt1","id":"r3","spoiler":false,"text":"SPOILER ALERT: she dies at the end of it all.","type":"review"})"},
      // A review with a headed section keeps its sections.
      {R"({"id": "r4", "type": "review", "film_id": "tt1",
           "sections": [{"kind": "review", "heading": "Verdict", "text": "Good."}]})",
       R"({"film_id":"tt1","id":"r4","sections":[{"heading":"Verdict","kind":"review","text":"Good."}],"type":"review"})"},
      {R"({"id": "a", "type": "article", "topics": ["film"], "sections": [{"text": "Body."}]})",
       R"({"id":"a","sections":[{"kind":"article","text":"Body."}],"topics":["film"],"type":"article"})"},
      // A film pointing at another film id keeps it; a film's own id is implied.
      {R"({"id": "wiki:X", "film_id": "tt9", "title": "X"})",
       R"({"film_id":"tt9","id":"wiki:X","title":"X","type":"film"})"},
  };
  for (const auto& c : cases) {
    const Record first = record_from_json(nlohmann::json::parse(c.json), "x.jsonl:1", nullptr);
    const nlohmann::json written = record_to_json(first);
    EXPECT_EQ(c.written, written.dump()) << c.json;
    std::vector<Diagnostic> warnings;
    const Record second = record_from_json(written, "x.jsonl:1", &warnings);
    EXPECT_EQ(render(first), render(second)) << c.json;
    EXPECT_EQ(written, record_to_json(second)) << c.json;
    EXPECT_EQ("", render(warnings)) << c.json;
  }
}

TEST(RecordJsonTest, DerivedIds) {
  EXPECT_EQ("auto:reviews:17", derived_id("data/reviews.jsonl.xz:17"));
  EXPECT_EQ("auto:films:3", derived_id("films.json:3"));
  EXPECT_EQ("auto:stdin:2", derived_id("-:2"));
  EXPECT_EQ("auto:page", derived_id("dir/page.html"));
}

// ---------------------------------------------------------------------------------------------
// Inputs

TEST(InputTest, Utf8) {
  struct Case {
    std::string in;
    std::string repaired;
  };
  const Case cases[] = {
      {"plain", "plain"},
      {"caf\xC3\xA9", "caf\xC3\xA9"},
      {"caf\xE9!", "caf\xEF\xBF\xBD!"},             // Latin-1 é
      {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},     // overlong '/'
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // surrogate: 3 bad bytes
      {"\xE2\x82", "\xEF\xBF\xBD"},                 // truncated at the end
      {"\xF0\x9F\x8E\xAC film", "\xF0\x9F\x8E\xAC film"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.repaired, repair_utf8(c.in)) << c.in;
    EXPECT_EQ(c.in == c.repaired, is_valid_utf8(c.in)) << c.in;
  }
}

TEST(InputTest, LooksBinary) {
  EXPECT_FALSE(looks_binary("{\"id\": 1}\n"));
  EXPECT_FALSE(looks_binary("Latin-1 caf\xE9 is still text\n"));
  EXPECT_FALSE(looks_binary("cut in the middle \xE2\x82"));
  EXPECT_TRUE(looks_binary(std::string("PK\x03\x04\0\0", 6)));
  EXPECT_TRUE(looks_binary("\x89PNG\x01\x02\x03\x04\xFF\xFE\xFD\x05\x06"));
}

TEST(InputTest, LinesEndingsAndLongLines) {
  const std::string dir = temp_dir("lines");
  write_file(dir + "l.txt", "\xEF\xBB\xBF" "one\r\ntwo\n\nthree-is-long\nbad\xFF\nlast");
  InputStream in(dir + "l.txt");
  LineReader lines(in, 8);
  std::string got;
  Line line;
  while (lines.next(line)) {
    got += std::to_string(line.number) + ":" +
           (line.too_long ? "TOO LONG(" + std::to_string(line.size) + ")" : std::string(line.text)) +
           (line.repaired ? "(repaired)" : "") + " ";
  }
  EXPECT_EQ("1:one 2:two 3: 4:TOO LONG(13) 5:bad\xEF\xBF\xBD(repaired) 6:last ", got);
}

// Issue 12, item 2: a language ICU does not know is undetermined, and said once per file and
// value, not once per record; a known one is kept as written (the index normalizes it).
TEST(ReaderTest, UnknownLanguageOncePerFile) {
  const std::string dir = temp_dir("languages");
  const std::string lines =
      "{\"id\": \"f1\", \"title\": \"One\", \"lang\": \"Klingon\"}\n"
      "{\"id\": \"f2\", \"title\": \"Two\", \"lang\": \"Klingon\"}\n"
      "{\"id\": \"f3\", \"title\": \"Three\", \"lang\": \"fran\xC3\xA7\x61is\"}\n"
      "{\"id\": \"f4\", \"title\": \"Four\", \"lang\": \"xx\"}\n";
  write_file(dir + "a.jsonl", lines);
  write_file(dir + "b.jsonl", lines.substr(0, lines.find('\n') + 1));
  EXPECT_EQ(
      "W a.jsonl:1: field \"lang\": unknown language \"Klingon\"; read as undetermined (said "
      "once for this file)\n"
      "film f1 'One'\n"
      "film f2 'Two'\n"
      "film f3 'Three' lang=fran\xC3\xA7\x61is\n"
      "W a.jsonl:4: field \"lang\": unknown language \"xx\"; read as undetermined (said once "
      "for this file)\n"
      "film f4 'Four'\n"
      "W b.jsonl:1: field \"lang\": unknown language \"Klingon\"; read as undetermined (said "
      "once for this file)\n"
      "film f1 'One'\n",
      read_to_string({dir + "a.jsonl", dir + "b.jsonl"}, dir));
}

TEST(ReaderTest, JsonLines) {
  const std::string dir = temp_dir("jsonl");
  write_file(dir + "films.jsonl",
             "{\"id\": \"f1\", \"title\": \"One\"}\r\n"
             "\n"
             "{\"id\": \"f2\", \"title\": \"Two\"\n"  // malformed: the next lines still count
             "{\"id\": \"f3\", \"title\": \"caf\xE9\"}\n"
             "{\"title\": \"No id\"}\n"
             "[\"not an object\"]\n"
             "{\"id\": \"f4\", \"title\": \"Last, no newline\"}");
  EXPECT_EQ(
      "film f1 'One'\n"
      "E films.jsonl:3: malformed JSON: parse error at column 28: syntax error while parsing "
      "object - unexpected end of input; expected '}'; record skipped\n"
      "W films.jsonl:4: invalid UTF-8 replaced with U+FFFD\n"
      "film f3 'caf\xEF\xBF\xBD'\n"
      "W films.jsonl:5: field \"id\": record has no id; using auto:films:5\n"
      "film auto:films:5 'No id'\n"
      "E films.jsonl:6: a record must be a JSON object, not array; record skipped\n"
      "film f4 'Last, no newline'\n",
      read_to_string({dir + "films.jsonl"}, dir));
}

TEST(ReaderTest, EmptyBinaryAndMissingFiles) {
  const std::string dir = temp_dir("bad_files");
  write_file(dir + "empty.jsonl", "");
  write_file(dir + "image.jsonl", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  write_file(dir + "empty.jsonl.gz", gzip(""));
  EXPECT_EQ(
      "W empty.jsonl: empty file\n"
      "E image.jsonl: binary file (not text); skipped\n"
      "W empty.jsonl.gz: empty file\n"
      "E missing.jsonl: No such file or directory; skipped\n",
      read_to_string({dir + "empty.jsonl", dir + "image.jsonl", dir + "empty.jsonl.gz",
                      dir + "missing.jsonl"},
                     dir));
}

TEST(ReaderTest, CompressedInputs) {
  const std::string dir = temp_dir("compressed");
  std::string jsonl;
  for (int i = 0; i < 3000; ++i) {
    jsonl += "{\"id\": \"r" + std::to_string(i) +
             "\", \"type\": \"review\", \"film_id\": \"tt1\", \"text\": \"Review number " +
             std::to_string(i) + " of a film I liked.\"}\n";
  }
  write_file(dir + "reviews.jsonl.gz", gzip(jsonl));
  write_file(dir + "reviews.jsonl.xz", xz(jsonl));
  // Concatenated gzip members are one stream (as `cat a.gz b.gz > c.gz` makes).
  write_file(dir + "two.jsonl.gz", gzip("{\"id\": \"a\"}\n") + gzip("{\"id\": \"b\"}\n"));
  // Compression is recognised by content, whatever the name says.
  write_file(dir + "plain-named.jsonl", xz("{\"id\": \"c\"}\n"));
  const std::string truncated = xz(jsonl);
  write_file(dir + "truncated.jsonl.xz", truncated.substr(0, truncated.size() / 2));

  for (const char* name : {"reviews.jsonl.gz", "reviews.jsonl.xz"}) {
    std::vector<std::string> ids;
    std::vector<Diagnostic> diagnostics;
    std::uint64_t bytes = 0;
    read_inputs({dir + name}, {},
                {.on_record = [&](Record&& r) { ids.push_back(r.id); },
                 .on_diagnostic = [&](const Diagnostic& d) { diagnostics.push_back(d); },
                 .on_bytes = [&](std::uint64_t n) { bytes += n; }});
    ASSERT_EQ(3000u, ids.size()) << name;
    EXPECT_EQ("r2999", ids.back()) << name;
    EXPECT_EQ("", render(diagnostics)) << name;
    // Progress counts bytes on disk, which is what total_input_bytes adds up.
    EXPECT_EQ(fs::file_size(dir + name), bytes) << name;
    EXPECT_EQ(fs::file_size(dir + name), total_input_bytes({dir + name})) << name;
  }
  EXPECT_EQ("film a\nfilm b\nfilm c\n",
            read_to_string({dir + "two.jsonl.gz", dir + "plain-named.jsonl"}, dir));

  std::size_t read_before_error = 0;
  std::string errors;
  read_inputs({dir + "truncated.jsonl.xz"}, {},
              {.on_record = [&](Record&&) { ++read_before_error; },
               .on_diagnostic = [&](const Diagnostic& d) { errors += render(d, dir) + "\n"; }});
  EXPECT_GT(read_before_error, 0u);
  EXPECT_LT(read_before_error, 3000u);
  EXPECT_EQ("E truncated.jsonl.xz: truncated xz data; rest of the file skipped\n", errors);
}

TEST(ReaderTest, HugeRecordAndRecordSizeLimit) {
  const std::string dir = temp_dir("huge");
  const std::string text(50u << 20, 'a');
  write_file(dir + "huge.jsonl", "{\"id\": \"small\"}\n{\"id\": \"huge\", \"sections\": "
                                 "[{\"kind\": \"plot\", \"text\": \"" + text +
                                     "\"}]}\n{\"id\": \"after\"}\n");
  std::vector<std::string> got;
  std::size_t huge_size = 0;
  read_inputs({dir + "huge.jsonl"}, {},
              {.on_record =
                   [&](Record&& r) {
                     got.push_back(r.id);
                     if (r.id == "huge") huge_size = r.sections.at(0).text.size();
                   },
               .on_diagnostic = [&](const Diagnostic& d) { got.push_back(render(d, dir)); }});
  EXPECT_EQ((std::vector<std::string>{"small", "huge", "after"}), got);
  EXPECT_EQ(text.size(), huge_size);

  // Over the limit: reported and skipped, the rest read.
  EXPECT_EQ(
      "film small\n"
      "E huge.jsonl:2: record of 52428858 bytes is longer than the maximum (1048576 bytes); "
      "skipped\n"
      "film after\n",
      read_to_string({dir + "huge.jsonl"}, dir, {.max_record_bytes = 1u << 20}));
}

TEST(ReaderTest, JsonArrayAndSingleObject) {
  const std::string dir = temp_dir("json");
  write_file(dir + "broken.json", "[{\"id\": \"ok\"}, {\"id\": \"x\",, }, {\"id\": \"never\"}]");
  write_file(dir + "lines.json", "{\"id\": \"l1\"}\n{\"id\": \"l2\"}\n");
  write_file(dir + "latin1.json", "[{\"id\": \"l\", \"title\": \"caf\xE9\"}]");
  EXPECT_EQ(
      "film a1 'First'\n"
      "E array.json:2: field \"type\": unknown type \"documentary\" (expected film, review or "
      "article); record skipped\n"
      "E array.json:3: a record must be a JSON object, not string; record skipped\n"
      "W array.json:4: field \"id\": record has no id; using auto:array:4\n"
      "film auto:array:4 'No id'\n"
      "film tt0040725 'The Red Shoes' | plot=She dances.!\n",
      read_to_string({kData + "/array.json", kData + "/single.json"}, kData + "/"));
  EXPECT_EQ(
      "film ok\n"
      "E broken.json:2: malformed JSON after record 1: parse error at line 1, column 27: syntax "
      "error while parsing object key - unexpected ','; expected string literal; rest of the "
      "file skipped\n"
      "film l1\nfilm l2\n"
      "W latin1.json: invalid UTF-8 replaced with U+FFFD (line 1)\n"
      "film l 'caf\xEF\xBF\xBD'\n",
      read_to_string({dir + "broken.json", dir + "lines.json", dir + "latin1.json"}, dir));
}

TEST(ReaderTest, CsvAndTsv) {
  EXPECT_EQ(
      "film tt0040725 'The Red Shoes' 1948 genres=Drama,Music,Romance directors=Michael "
      "Powell,Emeric Pressburger cast=Moira Shearer,Anton Walbrook runtime=134 rating=8.1 "
      "votes=37000 | plot=Vicky joins the ballet.\n... | synopsis=A ballet film.\n"
      "film tt0047396 'Rear Window' 1954 genres=Mystery,Thriller directors=Alfred Hitchcock "
      "cast=James Stewart runtime=112 rating=8.5 votes=500000 | synopsis=A photographer "
      "watches h...\n"
      "E films.csv:5: row has 4 fields, the header has 11; row skipped\n"
      "W films.csv:6: field \"year\": expected a whole number, got \"19x9\"; ignored\n"
      "film tt0000001 'No Year'\n"
      "W reviews.tsv:1: no id column; ids are derived as auto:reviews:<line>\n"
      "review auto:reviews:2 film_id=tt0040725 rating=10 author=ann | review=A masterpiece of "
      "colour.\n"
      "review auto:reviews:3 film_id=tt0047396 rating=9 author=bob | review=Gripping from start "
      "to e...\n",
      read_to_string({kData + "/films.csv", kData + "/reviews.tsv"}, kData + "/"));

  const std::string dir = temp_dir("csv");
  write_file(dir + "q.csv",
             "\xEF\xBB\xBF" "Title,Genre,Quote,Language,Unused\r\n"
             "\"Say \"\"Hi\"\"\",Comedy,\"one,\r\ntwo\",en,x\r\n"
             "Open,Drama,\"never closed,en,x\r\n");
  EXPECT_EQ(
      "W q.csv:1: columns ignored: Unused\n"
      "W q.csv:1: no id column; ids are derived as auto:q:<line>\n"
      "film auto:q:2 'Say \"Hi\"' genres=Comedy lang=en | quote=one,\ntwo\n"
      "E q.csv:4: unterminated quoted field (the quote opened on line 4 never closes); row "
      "skipped\n",
      read_to_string({dir + "q.csv"}, dir));
}

// The one spoiler pass runs on every record whatever its format: a CSV or TSV review used to get
// no spoiler detection at all.
TEST(ReaderTest, OneSpoilerPolicyForEveryFormat) {
  const std::string dir = temp_dir("policy");
  const std::string review = "Lovely colour. SPOILER ALERT: the butler did it.";
  write_file(dir + "r.jsonl",
             R"({"id": "j1", "type": "review", "film_id": "tt1", "text": ")" + review + "\"}\n");
  write_file(dir + "r.csv", "id,type,film_id,text\nc1,review,tt1," + review + "\n");
  write_file(dir + "r.tsv", "id\ttype\tfilm_id\ttext\nt1\treview\ttt1\t" + review + "\n");
  std::string out;
  read_inputs({dir + "r.jsonl", dir + "r.csv", dir + "r.tsv"}, {},
              {.on_record = [&](Record&& r) {
                for (const Section& s : r.sections) {
                  out += r.id + ":";
                  for (const auto& span : s.spoiler_spans) {
                    out += "{" + std::to_string(span.begin) + "," + std::to_string(span.end) + "}";
                  }
                  out += " ";
                }
              }});
  EXPECT_EQ("j1:{15,48} c1:{15,48} t1:{15,48} ", out);
}

TEST(ReaderTest, CsvLineSplitting) {
  struct Case {
    const char* line;
    char delimiter;
    const char* fields;  // joined with '|'
  };
  const Case cases[] = {
      {"a,b,,c", ',', "a|b||c"},
      {"\"a,b\",\"c\"\"d\"", ',', "a,b|c\"d"},
      {"x\ty \"q\"\tz", '\t', "x|y \"q\"|z"},
      {"", ',', ""},
  };
  for (const auto& c : cases) {
    std::string got;
    for (const auto& f : split_csv_line(c.line, c.delimiter)) got += (got.empty() ? "" : "|") + f;
    EXPECT_EQ(c.fields, got) << c.line;
  }
  EXPECT_EQ('\t', sniff_delimiter("id\ttitle\tyear"));
  EXPECT_EQ(',', sniff_delimiter("id,\"a\tb\",year"));
  EXPECT_TRUE(is_csv_header("tconst,primaryTitle"));
  EXPECT_FALSE(is_csv_header("Hello, world"));
}

TEST(ReaderTest, FolderWalk) {
  // Sorted, recursive; README*, hidden entries and unknown extensions skipped.
  EXPECT_EQ(
      "film tt0040725 'The Red Shoes' 1948\n"
      "film csv1 'From CSV'\n"
      "review r1 film_id=tt0040725 | review=Lovely.\n",
      read_to_string({kData + "/folder"}, kData + "/"));
  EXPECT_EQ(fs::file_size(kData + "/folder/b.jsonl") + fs::file_size(kData + "/folder/c.csv") +
                fs::file_size(kData + "/folder/sub/a.jsonl"),
            total_input_bytes({kData + "/folder"}));
  // Named explicitly, a README is read.
  EXPECT_NE("", read_to_string({kData + "/folder/README.md"}, kData + "/"));
}

TEST(ReaderTest, SymlinkLoopAndBrokenLink) {
  const std::string dir = temp_dir("walk");
  fs::create_directories(dir + "d/inner");
  write_file(dir + "d/inner/ok.jsonl", "{\"id\": \"ok\"}\n");
  fs::create_directory_symlink("..", dir + "d/inner/up");
  fs::create_symlink("nowhere.jsonl", dir + "d/broken.jsonl");
  EXPECT_EQ(
      "E d/broken.jsonl: No such file or directory; skipped\n"
      "film ok\n"
      "E d/inner/up: symbolic link loop (folder already being read); skipped\n",
      read_to_string({dir + "d"}, dir));
}

TEST(ReaderTest, UnreadableFileInFolder) {
  const std::string dir = temp_dir("unreadable");
  fs::create_directories(dir + "d");
  write_file(dir + "d/a.jsonl", "{\"id\": \"a\"}\n");
  write_file(dir + "d/secret.jsonl", "{\"id\": \"secret\"}\n");
  write_file(dir + "d/z.jsonl", "{\"id\": \"z\"}\n");
  ::chmod((dir + "d/secret.jsonl").c_str(), 0);
  // Root reads files whatever their mode: then there is nothing to test here (the next test
  // makes a file that nobody can read).
  if (::access((dir + "d/secret.jsonl").c_str(), R_OK) == 0) {
    GTEST_SKIP() << "running as root: a file with mode 000 is still readable";
  }
  const std::string got = read_to_string({dir + "d"}, dir);
  ::chmod((dir + "d/secret.jsonl").c_str(), 0644);
  EXPECT_EQ(
      "film a\n"
      "E d/secret.jsonl: cannot open: Permission denied; skipped\n"
      "film z\n",
      got);
}

// A file whose reads fail for every user, root included: /proc/self/mem fails with EIO at
// offset 0 (nothing is mapped there).
TEST(ReaderTest, FileThatCannotBeReadInFolder) {
  if (!fs::exists("/proc/self/mem")) GTEST_SKIP() << "no /proc/self/mem here";
  const std::string dir = temp_dir("eio");
  fs::create_directories(dir + "d");
  write_file(dir + "d/a.jsonl", "{\"id\": \"a\"}\n");
  fs::create_symlink("/proc/self/mem", dir + "d/broken.jsonl");
  write_file(dir + "d/z.jsonl", "{\"id\": \"z\"}\n");
  EXPECT_EQ(
      "film a\n"
      "E d/broken.jsonl: cannot open: Input/output error; skipped\n"
      "film z\n",
      read_to_string({dir + "d"}, dir));
}

TEST(ReaderTest, StandardInput) {
  struct Case {
    std::string bytes;
    const char* expect;
  };
  const Case cases[] = {
      {"{\"id\": \"a\"}\n{\"id\": \"b\"}\n", "film a\nfilm b\n"},
      {gzip("{\"id\": \"gz\"}\n"), "film gz\n"},
      {xz("[{\"id\": \"xz\"}]"), "film xz\n"},
      {"id,title\nc1,From stdin\n", "film c1 'From stdin'\n"},
      {"{\"title\": \"No id\"}\n",
       "W -:1: field \"id\": record has no id; using auto:stdin:1\nfilm auto:stdin:1 'No id'\n"},
  };
  const std::string dir = temp_dir("stdin");
  for (const auto& c : cases) {
    write_file(dir + "in", c.bytes);
    const int saved = ::dup(STDIN_FILENO);
    const int fd = ::open((dir + "in").c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    ::dup2(fd, STDIN_FILENO);
    ::close(fd);
    const std::string got = read_to_string({"-"}, "");
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    EXPECT_EQ(c.expect, got);
  }
}

TEST(ReaderTest, FormatForPath) {
  struct Case {
    const char* path;
    InputFormat format;
  };
  const Case cases[] = {
      {"a/films.jsonl.xz", InputFormat::kJsonLines}, {"x.NDJSON", InputFormat::kJsonLines},
      {"x.json.gz", InputFormat::kJson},             {"x.csv", InputFormat::kCsv},
      {"x.tsv", InputFormat::kTsv},                  {"page.htm", InputFormat::kHtml},
      {"page.markdown", InputFormat::kMarkdown},     {"page.txt", InputFormat::kText},
      {"-", InputFormat::kUnknown},                  {"x.pdf", InputFormat::kUnknown},
  };
  for (const auto& c : cases) EXPECT_EQ(c.format, format_for_path(c.path)) << c.path;
}

// Optional: the first records of the real benchmark corpus read without a single diagnostic.
TEST(ReaderTest, RealCorpusReadsCleanly) {
  const std::string dir = "/work/shared/corpus/filmbench/";
  if (!fs::exists(dir + "films.jsonl.xz")) GTEST_SKIP() << "no " << dir;
  struct Enough {};
  for (const char* name : {"films.jsonl.xz", "reviews.jsonl.xz", "articles.jsonl.xz",
                           "douban.jsonl.xz"}) {
    std::size_t records = 0;
    std::vector<Diagnostic> diagnostics;
    try {
      read_inputs({dir + name}, {},
                  {.on_record =
                       [&](Record&& r) {
                         // Written back, a real record reads the same.
                         const Record again = record_from_json(record_to_json(r), r.origin, nullptr);
                         EXPECT_EQ(render(r), render(again));
                         EXPECT_EQ(record_to_json(r), record_to_json(again));
                         if (++records == 1000) throw Enough{};
                       },
                   .on_diagnostic = [&](const Diagnostic& d) { diagnostics.push_back(d); }});
    } catch (const Enough&) {
    }
    EXPECT_EQ(1000u, records) << name;
    EXPECT_EQ("", render(diagnostics)) << name;
  }
}

}  // namespace
}  // namespace filmsearch::corpus
