// Fuzzes corpus::record_from_json on any parsed JSON value: it either throws InputError or
// returns a record whose sections are valid UTF-8 with sound spoiler spans; and the record
// survives record_to_json -> text -> record_from_json unchanged (what --dump promises).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "corpus/record_json.h"
#include "error.h"
#include "fuzz_checks.h"

namespace {

using filmsearch::corpus::Record;

// Every field but origin, unambiguously (lengths before strings).
std::string render(const Record& r) {
  std::string out;
  const auto put = [&out](const std::string& s) { out += std::to_string(s.size()) + ":" + s; };
  const auto put_list = [&](const std::vector<std::string>& v) {
    out += "[" + std::to_string(v.size());
    for (const auto& s : v) put(s);
    out += "]";
  };
  put(r.id);
  out += std::string(filmsearch::corpus::type_name(r.type));
  put(r.film_id);
  put(r.title);
  out += r.year ? std::to_string(*r.year) : "-";
  put_list(r.genres);
  put_list(r.directors);
  put_list(r.cast);
  put_list(r.topics);
  out += r.runtime_min ? std::to_string(*r.runtime_min) : "-";
  out += r.rating ? nlohmann::json(*r.rating).dump() : "-";
  out += r.votes ? std::to_string(*r.votes) : "-";
  put(r.lang);
  put(r.source);
  put(r.author);
  put(r.date);
  put(r.url);
  for (const auto& s : r.sections) {
    out += "{" + std::string(filmsearch::corpus::kind_name(s.kind));
    put(s.heading);
    put(s.text);
    put(s.speaker);
    put(s.author);
    put(s.source);
    put(s.date);
    for (const auto& span : s.spoiler_spans) {
      out += std::to_string(span.begin) + "-" + std::to_string(span.end) + ",";
    }
    out += s.ranked ? "r}" : "u}";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;

  Record record;
  std::vector<filmsearch::corpus::Diagnostic> warnings;
  try {
    record = filmsearch::corpus::record_from_json(j, "fuzz.jsonl:1", &warnings);
  } catch (const filmsearch::InputError&) {
    return 0;  // an unusable record is reported, which is the contract
  }
  filmsearch::fuzz::check_record(record);
  for (const auto& w : warnings) {
    FUZZ_CHECK(w.severity == filmsearch::corpus::Diagnostic::Severity::kWarning, w.message);
  }

  // The rvalue overload must read the same record.
  nlohmann::json copy = j;
  const Record moved = filmsearch::corpus::record_from_json(std::move(copy), "fuzz.jsonl:1",
                                                            nullptr);
  FUZZ_CHECK(render(moved) == render(record), "rvalue overload differs");

  const std::string dumped = filmsearch::corpus::record_to_json(record).dump();
  std::vector<filmsearch::corpus::Diagnostic> again_warnings;
  Record again;
  try {
    again = filmsearch::corpus::record_from_json(nlohmann::json::parse(dumped), "fuzz.jsonl:2",
                                                 &again_warnings);
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, std::string("re-reading the dump threw: ") + e.what() + " for " + dumped);
  }
  FUZZ_CHECK(render(again) == render(record),
             "round trip differs:\n  " + render(record) + "\n  " + render(again));
  // Nothing is left to repair in a dump: re-reading it may only repeat warnings about the
  // content itself ("review has no film_id"), never add one.
  for (const auto& w : again_warnings) {
    bool repeated = false;
    for (const auto& first : warnings) repeated = repeated || first.message == w.message;
    FUZZ_CHECK(repeated, "re-reading the dump warns: " + w.message + " for " + dumped);
  }
  return 0;
}
