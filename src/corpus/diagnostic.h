// A problem found in the input. Readers report one per skipped or repaired record and go on:
// bad records are data, not exceptions, and nothing valid is lost.
#pragma once

#include <cstddef>
#include <string>

namespace filmsearch::corpus {

struct Diagnostic {
  enum class Severity {
    kWarning,  // repaired and indexed (invalid UTF-8 replaced, id derived, value coerced)
    kError,    // skipped (malformed JSON line, binary file, unreadable file)
  };
  Severity severity = Severity::kError;
  std::string source;    // file path, or "-" for standard input
  std::size_t line = 0;  // 1-based line (or record number in a JSON array); 0 when not known
  std::string message;

  // "source:line: message" (no line when 0), as shown to users.
  std::string to_string() const {
    std::string s = source;
    if (line > 0) s += ":" + std::to_string(line);
    return s + ": " + message;
  }
};

}  // namespace filmsearch::corpus
