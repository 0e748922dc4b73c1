// plain-xapian-index: the "plain Xapian" peer's indexer. One Xapian document per section, text
// indexed by Xapian's own TermGenerator with its defaults and the English stemmer; no analysis
// of ours. Prints one JSON summary line on stdout. See bench/README.md for the exact layout.
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "filmbench_rows.h"

namespace {

// Value slots and prefixes of the peer's index (plain_xapian_query.cc reads the same ones).
constexpr Xapian::valueno kFilmIdSlot = 0;  // film id: collapse key
constexpr Xapian::valueno kGenresSlot = 1;  // genres joined by '|', for facet counts
constexpr Xapian::valueno kYearSlot = 2;    // sortable_serialise(year), for ranges and decades
constexpr const char* kGenrePrefix = "XG";  // boolean filter term: XG + lower-case genre

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::int64_t directory_bytes(const std::string& dir) {
  std::int64_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += static_cast<std::int64_t>(entry.file_size());
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"Plain Xapian peer: index filmbench JSON Lines, one document per section."};
  std::string db_path;
  std::vector<std::string> inputs;
  app.add_option("--db", db_path, "Xapian database directory (created or overwritten)")->required();
  app.add_option("paths", inputs, "filmbench .jsonl or .jsonl.xz files, films first")
      ->required()
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);

  const auto start = std::chrono::steady_clock::now();
  filmbench::ReadStats stats;
  {
    Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator termgen;
    termgen.set_stemmer(Xapian::Stem("english"));
    filmbench::read_records(
        inputs,
        [&](const filmbench::Record& rec) {
          std::string genres;
          for (const auto& g : rec.genres) {
            if (!genres.empty()) genres += '|';
            genres += g;
          }
          for (const auto& row : rec.rows) {
            Xapian::Document doc;
            doc.set_data(rec.film_id);
            doc.add_value(kFilmIdSlot, rec.film_id);
            if (!genres.empty()) doc.add_value(kGenresSlot, genres);
            if (rec.year != 0) doc.add_value(kYearSlot, Xapian::sortable_serialise(rec.year));
            for (const auto& g : rec.genres) doc.add_boolean_term(kGenrePrefix + lower_ascii(g));
            termgen.set_document(doc);
            termgen.index_text(rec.title);
            termgen.increase_termpos();
            termgen.index_text(row.text);
            db.add_document(doc);
          }
        },
        stats);
    db.commit();  // explicit: the destructor would swallow a failure
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json summary = {
      {"tool", "plain-xapian-index"},
      {"records", stats.records},
      {"sections", stats.sections},
      {"bad_lines", stats.bad_lines},
      {"text_bytes", stats.text_bytes},
      {"seconds", seconds},
      {"mb_per_s", static_cast<double>(stats.text_bytes) / 1e6 / seconds},
      {"records_per_s", static_cast<double>(stats.records) / seconds},
      {"index_bytes", directory_bytes(db_path)},
      {"peak_rss_mb", static_cast<double>(filmbench::peak_rss_bytes()) / 1e6},
  };
  std::cout << summary.dump() << '\n';
  return 0;
} catch (const Xapian::Error& e) {
  std::cerr << "plain-xapian-index: " << e.get_description() << '\n';
  return 1;
} catch (const std::exception& e) {
  std::cerr << "plain-xapian-index: " << e.what() << '\n';
  return 1;
}
