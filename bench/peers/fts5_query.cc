// fts5-query: the SQLite FTS5 peer's query side. For each query of a JSON Lines batch: bm25 over
// the section rows written by fts5-index, best section per film, top films; optionally snippets
// of the two best sections of each hit and exact genre/decade facet counts over all matching
// films. One JSON line per query on stdout: {"qid", "hits": [film ids], "took_ms", ...}.
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

// Query filters as given in the batch file's "filters" object.
struct Filters {
  std::string genre;  // exact genre of the film record ("Drama"); "" = any
  int year_min = 0;   // inclusive; 0 = unbounded
  int year_max = 0;   // inclusive; 0 = unbounded
};

// Words of free text: runs of ASCII letters/digits and non-ASCII bytes (close enough to
// unicode61's notion of a token for building a query; FTS5 tokenizes each quoted word again).
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::set<std::string> seen;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && seen.insert(current).second) words.push_back(current);
    current.clear();
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c)) {
      current += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
    } else {
      flush();
    }
  }
  flush();
  return words;
}

// `"w1" OR "w2" OR ...`: every word quoted so no input is FTS5 syntax.
std::string fts5_query_of(const std::string& text) {
  std::string q;
  for (const auto& w : words_of(text)) {
    if (!q.empty()) q += " OR ";
    q += '"';
    q += w;  // words contain no '"' by construction
    q += '"';
  }
  return q;
}

// The filter clauses appended to a `... WHERE sections MATCH ?1` query; parameters ?2..?4.
std::string filter_sql(const Filters& f) {
  std::string sql;
  if (!f.genre.empty()) sql += " AND film_id IN (SELECT film_id FROM films WHERE genre = ?2)";
  if (f.year_min != 0 || f.year_max != 0) {
    sql += " AND film_id IN (SELECT film_id FROM film_years WHERE year BETWEEN ?3 AND ?4)";
  }
  return sql;
}

class Database {
 public:
  explicit Database(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + msg);
    }
  }
  ~Database() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A prepared statement for `sql`, reset and with bindings cleared; cached per SQL text.
  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
          SQLITE_OK) {
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
      }
      it = cache_.emplace(sql, stmt).first;
    }
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }

  // Binds the match expression and the filters to ?1..?4.
  static void bind(sqlite3_stmt* stmt, const std::string& match, const Filters& f) {
    sqlite3_bind_text(stmt, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
    if (!f.genre.empty()) {
      sqlite3_bind_text(stmt, 2, f.genre.data(), static_cast<int>(f.genre.size()), SQLITE_STATIC);
    }
    if (f.year_min != 0 || f.year_max != 0) {
      sqlite3_bind_int(stmt, 3, f.year_min != 0 ? f.year_min : -1000000);
      sqlite3_bind_int(stmt, 4, f.year_max != 0 ? f.year_max : 1000000);
    }
  }

  // Steps `stmt` once; true while there is a row, throws on errors.
  bool step(sqlite3_stmt* stmt) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("query failed: ") + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

std::string column_text(sqlite3_stmt* stmt, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))) : "";
}

// The best two rows of one film, by bm25 (lower is better in FTS5).
struct FilmMatch {
  double best = 0;
  sqlite3_int64 rows[2] = {0, 0};
  double scores[2] = {0, 0};
  int nrows = 0;
};

struct Options {
  int limit = 10;                   // films per query
  bool snippets = false;            // two snippet() fragments per hit
  std::vector<std::string> facets;  // "genre", "decade"
};

nlohmann::json run_query(Database& db, const std::string& text, const Filters& filters,
                         const Options& opt) {
  nlohmann::json out = nlohmann::json::object();
  const std::string match = fts5_query_of(text);
  out["hits"] = nlohmann::json::array();
  out["total"] = 0;
  if (match.empty()) return out;
  const std::string where = " WHERE sections MATCH ?1" + filter_sql(filters);

  // One pass over all matching rows: best section per film, and the runner-up for snippets.
  sqlite3_stmt* stmt = db.prepare("SELECT rowid, film_id, bm25(sections) FROM sections" + where);
  Database::bind(stmt, match, filters);
  std::unordered_map<std::string, FilmMatch> films;
  while (db.step(stmt)) {
    const sqlite3_int64 rowid = sqlite3_column_int64(stmt, 0);
    const double score = sqlite3_column_double(stmt, 2);
    auto [it, inserted] = films.try_emplace(column_text(stmt, 1));
    FilmMatch& m = it->second;
    if (m.nrows == 0) {
      m.rows[0] = rowid, m.scores[0] = score, m.nrows = 1;
    } else if (score < m.scores[0]) {
      m.rows[1] = m.rows[0], m.scores[1] = m.scores[0];
      m.rows[0] = rowid, m.scores[0] = score, m.nrows = 2;
    } else if (m.nrows == 1 || score < m.scores[1]) {
      m.rows[1] = rowid, m.scores[1] = score, m.nrows = 2;
    }
    m.best = m.scores[0];
  }
  std::vector<std::pair<const std::string*, const FilmMatch*>> ranked;
  ranked.reserve(films.size());
  for (const auto& [id, m] : films) ranked.emplace_back(&id, &m);
  const auto top = std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(opt.limit));
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top), ranked.end(),
                    [](const auto& a, const auto& b) {
                      return a.second->best != b.second->best ? a.second->best < b.second->best
                                                              : *a.first < *b.first;
                    });
  ranked.resize(top);
  out["total"] = films.size();
  for (const auto& [id, m] : ranked) out["hits"].push_back(*id);

  if (opt.snippets) {
    nlohmann::json snippets = nlohmann::json::array();
    sqlite3_stmt* snip = db.prepare(
        "SELECT snippet(sections, -1, '[', ']', '...', 24) FROM sections "
        "WHERE sections MATCH ?1 AND rowid = ?5");
    for (const auto& [id, m] : ranked) {
      nlohmann::json fragments = nlohmann::json::array();
      for (int i = 0; i < m->nrows; ++i) {
        sqlite3_reset(snip);
        sqlite3_bind_text(snip, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
        sqlite3_bind_int64(snip, 5, m->rows[i]);
        if (db.step(snip)) fragments.push_back(column_text(snip, 0));
      }
      snippets.push_back(std::move(fragments));
    }
    out["snippets"] = std::move(snippets);
  }

  // Facets: exact counts over every matching film, as a GROUP BY over the matches.
  const std::string matching_films = "(SELECT film_id FROM sections" + where + ")";
  for (const auto& facet : opt.facets) {
    std::string sql;
    if (facet == "genre") {
      sql = "SELECT genre, count(*) FROM films WHERE film_id IN " + matching_films +
            " GROUP BY genre ORDER BY 2 DESC, 1";
    } else if (facet == "decade") {
      sql = "SELECT (year / 10) * 10, count(*) FROM film_years WHERE film_id IN " + matching_films +
            " GROUP BY 1 ORDER BY 2 DESC, 1";
    } else {
      throw std::runtime_error("unknown facet " + facet + " (genre, decade)");
    }
    sqlite3_stmt* fs = db.prepare(sql);
    Database::bind(fs, match, filters);
    nlohmann::json counts = nlohmann::json::array();
    while (db.step(fs)) {
      counts.push_back({column_text(fs, 0), sqlite3_column_int64(fs, 1)});
    }
    out["facets"][facet] = std::move(counts);
  }
  return out;
}

Filters filters_of(const nlohmann::json& q) {
  Filters f;
  const auto it = q.find("filters");
  if (it == q.end() || !it->is_object()) return f;
  if (const auto g = it->find("genre"); g != it->end() && g->is_string()) f.genre = *g;
  if (const auto y = it->find("year_min"); y != it->end() && y->is_number_integer())
    f.year_min = *y;
  if (const auto y = it->find("year_max"); y != it->end() && y->is_number_integer())
    f.year_max = *y;
  return f;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"SQLite FTS5 peer: run a JSON Lines batch of queries, one JSON line per query."};
  std::string db_path;
  std::string queries_path;
  std::string facets;
  Options opt;
  app.add_option("--db", db_path, "SQLite file written by fts5-index")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--queries", queries_path, "JSON Lines: {\"qid\", \"query\", \"filters\"?}")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--limit", opt.limit, "films per query (default 10)")->check(CLI::PositiveNumber);
  app.add_flag("--snippets", opt.snippets, "two snippet() fragments per hit");
  app.add_option("--facets", facets, "comma-separated: genre,decade (default none)");
  CLI11_PARSE(app, argc, argv);
  for (std::size_t start = 0; start < facets.size();) {
    const auto comma = std::min(facets.find(',', start), facets.size());
    if (comma > start) opt.facets.push_back(facets.substr(start, comma - start));
    start = comma + 1;
  }

  Database db(db_path);
  std::ifstream in(queries_path);
  std::string line;
  std::int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto q = nlohmann::json::parse(line, nullptr, false);
    if (!q.is_object() || !q.contains("query") || !q["query"].is_string()) {
      std::cerr << queries_path << ':' << line_no << ": skipped: no \"query\" string\n";
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    nlohmann::json out = run_query(db, q["query"].get<std::string>(), filters_of(q), opt);
    const double took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    out["qid"] = q.contains("qid") ? q["qid"] : nlohmann::json(std::to_string(line_no));
    out["took_ms"] = took_ms;
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "fts5-query: " << e.what() << '\n';
  return 1;
}
