// The filmsearch record format (corpus/FORMAT.md) as JSON: one record object <-> one Record.
// Reading is forgiving (types coerced when unambiguous, spoiler spans repaired, missing ids
// derived) and says what it repaired; writing produces exactly the format read.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "corpus/diagnostic.h"
#include "corpus/record.h"

namespace filmsearch::corpus {

struct RecordJsonOptions {
  // true: a value of the wrong type that was converted ("1948" for a year) is reported as a
  // warning. CSV turns this off: there every value is a string.
  bool report_coercions = true;
  // true: a record without an id is reported when its id is derived.
  bool report_derived_id = true;
};

// Builds a Record from one JSON record object. `origin` is "file:line" (or "file:N" for the Nth
// record of a JSON array); it becomes Record::origin, the source of warnings and, for a record
// without an id, part of its derived id "auto:<file stem>:<line>".
// Repairs (coerced values, spoiler spans moved or merged, derived id, dropped unusable values)
// are appended to `warnings` (may be null) as Severity::kWarning diagnostics naming the field.
// Throws InputError(origin, message) when the record is unusable: not an object, an unknown
// "type", or a field whose value cannot be read as its type where guessing would lose data
// ("sections" not a list).
// The rvalue overload moves strings out of `j` (the fast path for readers).
Record record_from_json(const nlohmann::json& j, const std::string& origin,
                        std::vector<Diagnostic>* warnings, const RecordJsonOptions& options = {});
Record record_from_json(nlohmann::json&& j, const std::string& origin,
                        std::vector<Diagnostic>* warnings, const RecordJsonOptions& options = {});

// The JSON record object for `record`, in the format record_from_json reads: empty fields are
// omitted, a whole-section spoiler is written as "spoiler": true, a review whose only content is
// its text is written with top-level "text" and "spoiler_spans". Record::origin is not written.
// record_from_json(record_to_json(r)) gives back r (apart from origin) for any r that
// record_from_json produced. Keys come in a fixed reading order: id, type, film_id, title, year,
// genres, people, numbers, then sections (kind, heading, text, ...).
nlohmann::ordered_json record_to_json(const Record& record);

// "auto:<stem>:<line>" for a record read at `origin` ("dir/reviews.jsonl.xz:17" ->
// "auto:reviews:17"; standard input "-:3" -> "auto:stdin:3").
std::string derived_id(const std::string& origin);

}  // namespace filmsearch::corpus
