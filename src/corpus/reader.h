// The one entry point from input paths to Records: walks folders, opens plain/gzip/xz files and
// standard input, picks the reader by extension or by content, and reports every bad file or
// record as a Diagnostic while reading everything valid. The indexer and `--dump` call this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/diagnostic.h"
#include "corpus/input.h"
#include "corpus/record.h"
#include "corpus/spoilers.h"

namespace filmsearch::corpus {

struct ReadOptions {
  // Documents the caller's intent only: the reader behaves the same either way (it reports
  // every problem as a Diagnostic and goes on); a tool in strict mode turns error diagnostics
  // into a failing exit code.
  bool strict = false;
  // The longest line, record or page read, in bytes (default 256 MiB). A longer one is reported
  // as an error and skipped without being held in memory.
  std::size_t max_record_bytes = kDefaultMaxRecordBytes;
  // The spoiler policy every record goes through (default: with the learned tagger).
  SpoilerPolicyOptions spoilers = {};
};

struct ReadCallbacks {
  std::function<void(Record&&)> on_record = {};               // each usable record, in order
  std::function<void(const Diagnostic&)> on_diagnostic = {};  // each problem; may be empty
  // Input bytes consumed since the last call, for progress (bytes on disk: compressed bytes for
  // .gz/.xz, so the calls add up to total_input_bytes); may be empty.
  std::function<void(std::uint64_t)> on_bytes = {};
};

// How a file is read.
enum class InputFormat {
  kUnknown,    // decided from the content (standard input, unknown extensions)
  kJsonLines,  // .jsonl, .ndjson: one record object per line
  kJson,       // .json: an array of records, one record object, or JSON Lines
  kCsv,        // .csv
  kTsv,        // .tsv, .tab
  kText,       // .txt: a page
  kMarkdown,   // .md, .markdown: a page
  kHtml,       // .html, .htm: a page
};

// The format for a file name, by extension after stripping .gz or .xz ("films.jsonl.xz" ->
// kJsonLines). kUnknown for other names and for "-".
InputFormat format_for_path(std::string_view path);

// The sum of the sizes on disk of the files read_inputs would read (0 for standard input and
// for paths that cannot be read). Never throws.
std::uint64_t total_input_bytes(const std::vector<std::string>& paths);

// Reads every path in order. A path is a file, a folder (read recursively in sorted order;
// hidden entries, files named README*, FORMAT*, LICENSE* or ATTRIBUTION* and files of unknown
// formats are skipped there; symlink loops, unreadable files and folders are reported and
// skipped) or "-" for standard input (format sniffed; gzip and xz recognised). A missing path,
// a binary file, an unreadable or corrupt file, a malformed record are error diagnostics; an
// empty file, repaired UTF-8 and repaired records are warnings. Records and diagnostics arrive
// in input order. Throws only what the callbacks throw.
void read_inputs(const std::vector<std::string>& paths, const ReadOptions& options,
                 const ReadCallbacks& callbacks);

}  // namespace filmsearch::corpus
