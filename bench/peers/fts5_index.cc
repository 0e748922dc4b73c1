// fts5-index: the SQLite FTS5 peer's indexer. Builds one FTS5 table with one row per section of
// the filmbench records, plus side tables for genre facets and filters, in one transaction.
// Prints one JSON summary line on stdout. See bench/README.md for what exactly is indexed.
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "filmbench_rows.h"

namespace {

// Throws with SQLite's message when `rc` is not one of the expected codes.
void check(sqlite3* db, int rc, const char* what, int ok = SQLITE_OK) {
  if (rc != ok) throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error(std::string(sql) + ": " + msg);
  }
}

// A prepared statement that is reset after each step.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    check(db, sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr), sql);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int i, std::string_view text) {
    check(db_,
          sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC),
          "bind");
  }
  void bind(int i, int value) { check(db_, sqlite3_bind_int(stmt_, i, value), "bind"); }
  void run() {
    check(db_, sqlite3_step(stmt_), "insert", SQLITE_DONE);
    sqlite3_reset(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"SQLite FTS5 peer: index filmbench JSON Lines, one row per section."};
  std::string db_path;
  std::vector<std::string> inputs;
  app.add_option("--db", db_path, "SQLite file to create (an existing file is replaced)")
      ->required();
  app.add_option("paths", inputs, "filmbench .jsonl or .jsonl.xz files, films first")
      ->required()
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);

  const auto start = std::chrono::steady_clock::now();
  std::filesystem::remove(db_path);
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) {
    throw std::runtime_error("cannot open " + db_path + ": " + sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> guard(db, &sqlite3_close);
  exec(db, "PRAGMA journal_mode=OFF");
  exec(db, "PRAGMA synchronous=OFF");
  exec(db,
       "CREATE VIRTUAL TABLE sections USING fts5(film_id UNINDEXED, doc_id UNINDEXED, title, "
       "text, tokenize='porter unicode61 remove_diacritics 2')");
  // Side tables: genres and years of film records, for facets and filters by film_id.
  exec(db,
       "CREATE TABLE films(film_id TEXT NOT NULL, genre TEXT NOT NULL, "
       "PRIMARY KEY(film_id, genre)) WITHOUT ROWID");
  exec(db,
       "CREATE TABLE film_years(film_id TEXT PRIMARY KEY, year INTEGER NOT NULL) WITHOUT ROWID");
  exec(db, "BEGIN");
  {
    Statement insert_row(db, "INSERT INTO sections(film_id, doc_id, title, text) VALUES(?,?,?,?)");
    Statement insert_genre(db, "INSERT OR IGNORE INTO films(film_id, genre) VALUES(?,?)");
    Statement insert_year(db, "INSERT OR REPLACE INTO film_years(film_id, year) VALUES(?,?)");
    filmbench::ReadStats stats;
    filmbench::read_records(
        inputs,
        [&](const filmbench::Record& rec) {
          for (const auto& row : rec.rows) {
            insert_row.bind(1, rec.film_id);
            insert_row.bind(2, rec.doc_id);
            insert_row.bind(3, rec.title);
            insert_row.bind(4, row.text);
            insert_row.run();
          }
          if (!rec.has_own_film_record) return;
          for (const auto& genre : rec.genres) {
            insert_genre.bind(1, rec.film_id);
            insert_genre.bind(2, genre);
            insert_genre.run();
          }
          if (rec.year != 0) {
            insert_year.bind(1, rec.film_id);
            insert_year.bind(2, rec.year);
            insert_year.run();
          }
        },
        stats);
    // The genre index is built after the bulk load: cheaper than maintaining it per insert.
    exec(db, "CREATE INDEX films_by_genre ON films(genre, film_id)");
    exec(db, "COMMIT");
    guard.reset();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto db_bytes = static_cast<std::int64_t>(std::filesystem::file_size(db_path));
    nlohmann::json summary = {
        {"tool", "fts5-index"},
        {"records", stats.records},
        {"sections", stats.sections},
        {"bad_lines", stats.bad_lines},
        {"text_bytes", stats.text_bytes},
        {"seconds", seconds},
        {"mb_per_s", static_cast<double>(stats.text_bytes) / 1e6 / seconds},
        {"records_per_s", static_cast<double>(stats.records) / seconds},
        {"index_bytes", db_bytes},
        {"peak_rss_mb", static_cast<double>(filmbench::peak_rss_bytes()) / 1e6},
    };
    std::cout << summary.dump() << '\n';
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "fts5-index: " << e.what() << '\n';
  return 1;
}
