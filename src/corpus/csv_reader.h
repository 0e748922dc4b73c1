// CSV and TSV tables of films or reviews: RFC 4180 quoting (quoted fields may hold delimiters,
// doubled quotes and newlines), a header row naming the columns, mapped to record fields by
// name with common aliases (IMDb, Kaggle and TMDB exports). See corpus/FORMAT.md.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/diagnostic.h"
#include "corpus/input.h"
#include "corpus/record.h"

namespace filmsearch::corpus {

struct CsvOptions {
  // ',' or '\t'; 0 (the default) guesses from the header row (the most frequent of tab, comma
  // and semicolon outside quotes).
  char delimiter = 0;
  // The source name used in diagnostics, origins and derived ids ("films.csv").
  std::string source;
};

// Reads every row after the header of `lines` and calls `on_record` for each usable row.
// A row that cannot be used (wrong number of fields, an unterminated quote, an unknown type,
// a row too long for the LineReader) is reported through `on_diagnostic` as an error with its
// line number and skipped; repairs are reported as warnings. A header without any known
// column is one error and no records. Throws only what LineReader throws (corrupt compressed
// data) and what the callbacks throw.
void read_csv(LineReader& lines, const CsvOptions& options,
              const std::function<void(Record&&)>& on_record,
              const std::function<void(const Diagnostic&)>& on_diagnostic);

// Splits one complete CSV/TSV line (no embedded newlines) into fields with RFC 4180 quoting.
// For tests and sniffing; read_csv handles quoted newlines itself.
std::vector<std::string> split_csv_line(std::string_view line, char delimiter);

// The delimiter a header line most likely uses: '\t', ';' or ',' (the default).
char sniff_delimiter(std::string_view header_line);

// True when `header_line` names at least one column read_csv understands (for sniffing stdin).
bool is_csv_header(std::string_view header_line);

}  // namespace filmsearch::corpus
