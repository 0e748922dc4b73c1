// Fuzzes search::QueryParser on any text, without an index and against a small in-memory one
// (so that prefix* expands and long queries are cut by term frequency): it never throws, the
// query renders to a description and runs, word ranges lie inside the query text, and a
// wildcard never expands past its cap.
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "corpus/input.h"
#include "fuzz_checks.h"
#include "search/query_parser.h"

namespace {

// A vocabulary where "a*", "s*" and "x*" have many expansions.
Xapian::Database make_database() {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const char* const words[] = {"red", "shoe", "ballet", "lermontov", "victoria", "dance",
                               "spoiler", "film", "drama", "music", "romance", "1948"};
  for (int d = 0; d < 60; ++d) {
    Xapian::Document doc;
    Xapian::termpos pos = 1;
    for (int w = 0; w < 12; ++w) {
      if ((d + w) % 3 == 0) doc.add_posting(words[w], pos++);
    }
    doc.add_posting("a" + std::to_string(d * 7), pos++);
    doc.add_posting("s" + std::to_string(d), pos++);
    doc.add_boolean_term("XGdrama");
    doc.add_boolean_term("Qid" + std::to_string(d));
    db.add_document(doc);
  }
  db.commit();
  return db;
}

void check(const filmsearch::search::ParsedQuery& parsed, std::string_view text,
           const Xapian::Database* db, std::size_t max_wildcard_terms) {
  std::string description;
  try {
    description = parsed.query.get_description();
  } catch (const Xapian::Error& e) {
    FUZZ_CHECK(false, "get_description threw " + e.get_description());
  }
  FUZZ_CHECK(!description.empty(), "empty description");
  FUZZ_CHECK(!parsed.query.empty(), "an empty Xapian::Query (MatchAll expected)");
  FUZZ_CHECK(parsed.has_words || description == Xapian::Query(Xapian::Query::MatchAll)
                                                     .get_description(),
             "no words but " + description);
  for (const auto& w : parsed.words) {
    const std::string where = filmsearch::fuzz::where("word", w.begin, w.end, text.size());
    FUZZ_CHECK(w.begin <= w.end && w.end <= text.size(), where);
    FUZZ_CHECK(filmsearch::corpus::is_valid_utf8(w.folded), where + " folded");
  }
  for (const auto& s : parsed.stems) FUZZ_CHECK(!s.empty(), "empty stem");
  if (db == nullptr) return;
  // The expanded query must run on the index it was made for.
  try {
    Xapian::Enquire enquire(*db);
    enquire.set_query(parsed.query);
    (void)enquire.get_mset(0, 10);
  } catch (const Xapian::Error& e) {
    FUZZ_CHECK(false, "the query does not run: " + e.get_description() + " for " + description);
  }
  // A capped wildcard expands to at most max_wildcard_terms terms of the index ("a*": the
  // vocabulary has 60 a-terms "a0".."a413"; without digits in the text they come only from
  // expansions).
  std::size_t a_terms = 0;
  for (auto t = parsed.query.get_unique_terms_begin(); t != parsed.query.get_terms_end(); ++t) {
    const std::string term = *t;
    if (term.size() > 1 && term[0] == 'a' && term[1] >= '0' && term[1] <= '9') ++a_terms;
  }
  const bool one_wildcard = text.find('*') == text.rfind('*');
  // (Non-ASCII text may fold to digits: "ａ７" is "a7".)
  bool digits = false;
  for (char c : text) digits = digits || (c >= '0' && c <= '9') || (c & 0x80);
  if (one_wildcard && !digits) {
    FUZZ_CHECK(a_terms <= max_wildcard_terms,
               std::to_string(a_terms) + " a-terms in " + description);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static filmsearch::search::QueryParser parser;
  static const Xapian::Database db = make_database();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  filmsearch::search::ParseOptions options;
  options.max_wildcard_terms = 5;
  options.include_spoiler_text = size % 2 == 0;
  check(parser.parse(text, nullptr, options), text, nullptr, options.max_wildcard_terms);
  check(parser.parse(text, &db, options), text, &db, options.max_wildcard_terms);
  return 0;
}
