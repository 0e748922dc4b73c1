#include "corpus/csv_reader.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "corpus/record_json.h"
#include "error.h"

namespace filmsearch::corpus {
namespace {

// What a column holds: a record field (its JSON key), a section of text, or nothing we read.
struct Column {
  enum class Role { kIgnored, kField, kSection, kOwnText };
  Role role = Role::kIgnored;
  std::string key;                        // kField: the JSON key of the record format
  SectionKind kind = SectionKind::kOther;  // kSection
};

struct Alias {
  std::string_view header;  // normalized: lower case, '_' for spaces, '-' and '.'
  std::string_view key;
};

// Field columns. Keys are those of the JSON record format, so record_from_json does the rest.
constexpr Alias kFieldAliases[] = {
    {"id", "id"},
    {"imdb_id", "id"},
    {"imdbid", "id"},
    {"tconst", "id"},
    {"title", "title"},
    {"name", "title"},
    {"primarytitle", "title"},
    {"primary_title", "title"},
    {"movie_title", "title"},
    {"film_title", "title"},
    {"year", "year"},
    {"release_year", "year"},
    {"startyear", "year"},
    {"start_year", "year"},
    {"release_date", "year"},
    {"genres", "genres"},
    {"genre", "genres"},
    {"director", "directors"},
    {"directors", "directors"},
    {"cast", "cast"},
    {"stars", "cast"},
    {"star", "cast"},
    {"actors", "cast"},
    {"actor", "cast"},
    {"rating", "rating"},
    {"imdb_rating", "rating"},
    {"averagerating", "rating"},
    {"average_rating", "rating"},
    {"votes", "votes"},
    {"numvotes", "votes"},
    {"num_votes", "votes"},
    {"imdb_votes", "votes"},
    {"runtime", "runtime_min"},
    {"runtime_min", "runtime_min"},
    {"runtimeminutes", "runtime_min"},
    {"runtime_minutes", "runtime_min"},
    {"duration", "runtime_min"},
    {"lang", "lang"},
    {"language", "lang"},
    {"type", "type"},
    {"film_id", "film_id"},
    {"movie_id", "film_id"},
    {"topics", "topics"},
    {"topic", "topics"},
    {"source", "source"},
    {"author", "author"},
    {"reviewer", "author"},
    {"date", "date"},
    {"url", "url"},
};

struct TextAlias {
  std::string_view header;
  SectionKind kind;
};

constexpr TextAlias kTextAliases[] = {
    {"plot", SectionKind::kPlot},
    {"plot_synopsis", SectionKind::kPlot},
    {"synopsis", SectionKind::kSynopsis},
    {"overview", SectionKind::kSynopsis},
    {"summary", SectionKind::kSynopsis},
    {"description", SectionKind::kSynopsis},
    {"review", SectionKind::kReview},
    {"review_text", SectionKind::kReview},
    {"quote", SectionKind::kQuote},
    {"quotes", SectionKind::kQuote},
    {"trivia", SectionKind::kTrivia},
    {"article", SectionKind::kArticle},
};

std::string normalize_header(std::string_view name) {
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '-' || c == '.') c = '_';
    out += c;
  }
  return out;
}

Column map_column(std::string_view header) {
  const std::string name = normalize_header(header);
  Column column;
  if (name == "text" || name == "content") {
    column.role = Column::Role::kOwnText;
    return column;
  }
  for (const auto& alias : kFieldAliases) {
    if (alias.header == name) {
      column.role = Column::Role::kField;
      column.key = alias.key;
      return column;
    }
  }
  for (const auto& alias : kTextAliases) {
    if (alias.header == name) {
      column.role = Column::Role::kSection;
      column.kind = alias.kind;
      return column;
    }
  }
  return column;
}

// Splits a record that may continue over several lines. Returns false at end of input.
// On a bad row, `error` is set (the row's lines are consumed).
class RowReader {
 public:
  RowReader(LineReader& lines, char delimiter, const std::string& source,
            const std::function<void(const Diagnostic&)>& on_diagnostic)
      : lines_(lines), delimiter_(delimiter), source_(source), on_diagnostic_(on_diagnostic) {}

  bool next(std::vector<std::string>& fields, std::size_t& first_line, std::string& error) {
    fields.clear();
    error.clear();
    Line line;
    do {
      if (!lines_.next(line)) return false;
    } while (!line.too_long && line.text.empty());
    first_line = line.number;
    std::string field;
    bool in_quotes = false;
    bool field_started = false;
    while (true) {
      if (line.too_long) {
        error = "row longer than the maximum record size (" + std::to_string(line.size) +
                " bytes on line " + std::to_string(line.number) + "); skipped";
        if (in_quotes) skip_rest_of_quoted_field();
        return true;
      }
      if (line.repaired) report_repair(line.number);
      const std::string_view text = line.text;
      for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quotes) {
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              ++i;
            } else {
              in_quotes = false;
            }
          } else {
            field += c;
          }
        } else if (c == delimiter_) {
          fields.push_back(std::move(field));
          field.clear();
          field_started = false;
        } else if (c == '"' && !field_started) {
          in_quotes = true;
          field_started = true;
        } else {
          field += c;
          field_started = true;
        }
      }
      if (!in_quotes) break;
      field += '\n';  // a newline inside a quoted field
      if (!lines_.next(line)) {
        error = "unterminated quoted field (the quote opened on line " +
                std::to_string(first_line) + " never closes); row skipped";
        return true;
      }
    }
    fields.push_back(std::move(field));
    return true;
  }

 private:
  void report_repair(std::size_t line) {
    on_diagnostic_({Diagnostic::Severity::kWarning, source_, line,
                    "invalid UTF-8 replaced with U+FFFD"});
  }

  // After an over-long line inside quotes: drop lines until the quote closes (an odd number of
  // quotes on a line) so the next row starts in the right place.
  void skip_rest_of_quoted_field() {
    Line line;
    while (lines_.next(line)) {
      std::size_t quotes = 0;
      for (char c : line.text) quotes += c == '"';
      if (quotes % 2 == 1) return;
    }
  }

  LineReader& lines_;
  char delimiter_;
  const std::string& source_;
  const std::function<void(const Diagnostic&)>& on_diagnostic_;
};

}  // namespace

std::vector<std::string> split_csv_line(std::string_view line, char delimiter) {
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == delimiter) {
      fields.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
    } else {
      field += c;
      field_started = true;
    }
  }
  fields.push_back(std::move(field));
  return fields;
}

char sniff_delimiter(std::string_view header_line) {
  std::size_t tabs = 0, commas = 0, semicolons = 0;
  bool in_quotes = false;
  for (char c : header_line) {
    if (c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    tabs += c == '\t';
    commas += c == ',';
    semicolons += c == ';';
  }
  if (tabs > 0 && tabs >= commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

bool is_csv_header(std::string_view header_line) {
  const auto fields = split_csv_line(header_line, sniff_delimiter(header_line));
  if (fields.size() < 2) return false;
  for (const auto& f : fields) {
    if (map_column(f).role != Column::Role::kIgnored) return true;
  }
  return false;
}

void read_csv(LineReader& lines, const CsvOptions& options,
              const std::function<void(Record&&)>& on_record,
              const std::function<void(const Diagnostic&)>& on_diagnostic) {
  const std::string& source = options.source;
  const auto report = [&](Diagnostic::Severity severity, std::size_t line, std::string message) {
    if (on_diagnostic) on_diagnostic({severity, source, line, std::move(message)});
  };

  Line header_line;
  do {
    if (!lines.next(header_line)) return;
  } while (!header_line.too_long && header_line.text.empty());
  if (header_line.too_long) {
    report(Diagnostic::Severity::kError, header_line.number, "header row too long; file skipped");
    return;
  }
  const char delimiter = options.delimiter ? options.delimiter : sniff_delimiter(header_line.text);
  const std::vector<std::string> headers = split_csv_line(header_line.text, delimiter);
  std::vector<Column> columns;
  std::string ignored;
  bool has_id = false;
  bool any_known = false;
  for (const auto& h : headers) {
    columns.push_back(map_column(h));
    if (columns.back().role == Column::Role::kIgnored) {
      if (!h.empty()) ignored += (ignored.empty() ? "" : ", ") + h;
    } else {
      any_known = true;
    }
    has_id = has_id || columns.back().key == "id";
  }
  if (!any_known) {
    report(Diagnostic::Severity::kError, header_line.number,
           "no known column in the header row (see corpus/FORMAT.md); file skipped");
    return;
  }
  if (!ignored.empty()) {
    report(Diagnostic::Severity::kWarning, header_line.number, "columns ignored: " + ignored);
  }
  if (!has_id) {
    report(Diagnostic::Severity::kWarning, header_line.number,
           "no id column; ids are derived as " + derived_id(source) + ":<line>");
  }
  const bool tsv = delimiter == '\t';

  RowReader rows(lines, delimiter, source, on_diagnostic);
  std::vector<std::string> fields;
  std::vector<Diagnostic> warnings;
  std::size_t line = 0;
  std::string error;
  while (rows.next(fields, line, error)) {
    if (!error.empty()) {
      report(Diagnostic::Severity::kError, line, error);
      continue;
    }
    if (fields.size() != columns.size()) {
      report(Diagnostic::Severity::kError, line,
             "row has " + std::to_string(fields.size()) + " fields, the header has " +
                 std::to_string(columns.size()) + "; row skipped");
      continue;
    }
    nlohmann::json j = nlohmann::json::object();
    nlohmann::json sections = nlohmann::json::array();
    std::string review_text;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::string& value = fields[i];
      if (value.empty() || (tsv && value == "\\N")) continue;  // \N: IMDb's TSV null
      const Column& c = columns[i];
      switch (c.role) {
        case Column::Role::kIgnored:
          break;
        case Column::Role::kField:
          if (!j.contains(c.key)) j[c.key] = std::move(value);
          break;
        case Column::Role::kOwnText:
          j["text"] = std::move(value);
          break;
        case Column::Role::kSection:
          if (c.kind == SectionKind::kReview && review_text.empty()) {
            review_text = std::move(value);
          } else {
            sections.push_back({{"kind", std::string(kind_name(c.kind))}, {"text", std::move(value)}});
          }
          break;
      }
    }
    if (!review_text.empty()) {
      // A review column on a row that names its film makes the row a review of that film;
      // on a film's own row it is one more section.
      const bool is_review =
          j.contains("film_id") && !j.contains("text") &&
          (!j.contains("type") || j["type"] == "review");
      if (is_review) {
        j["text"] = std::move(review_text);
        j["type"] = "review";
      } else {
        sections.insert(sections.begin(), {{"kind", "review"}, {"text", std::move(review_text)}});
      }
    }
    if (!sections.empty()) j["sections"] = std::move(sections);
    warnings.clear();
    try {
      Record r = record_from_json(std::move(j), source + ":" + std::to_string(line), &warnings,
                                  {.report_coercions = false, .report_derived_id = has_id});
      for (const auto& w : warnings) {
        if (on_diagnostic) on_diagnostic(w);
      }
      if (on_record) on_record(std::move(r));
    } catch (const InputError& e) {
      for (const auto& w : warnings) {
        if (on_diagnostic) on_diagnostic(w);
      }
      report(Diagnostic::Severity::kError, line,
             std::string(e.what()).substr(e.where().empty() ? 0 : e.where().size() + 2) +
                 "; row skipped");
    }
  }
}

}  // namespace filmsearch::corpus
