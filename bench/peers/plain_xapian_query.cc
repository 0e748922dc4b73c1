// plain-xapian-query: the "plain Xapian" peer's query side. QueryParser defaults with the
// English stemmer (STEM_SOME, default operator OR), BM25 (Enquire's default), collapsed on the
// film id slot, top films; optional exact genre/decade facets over all matching films.
// One JSON line per query on stdout: {"qid", "hits": [film ids], "took_ms", ...}.
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

// Written by plain_xapian_index.cc.
constexpr Xapian::valueno kFilmIdSlot = 0;
constexpr Xapian::valueno kGenresSlot = 1;
constexpr Xapian::valueno kYearSlot = 2;
constexpr const char* kGenrePrefix = "XG";

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Counts genres and decades over distinct films among the documents the matcher sees. A film
// has one document per section, so counting documents (ValueCountMatchSpy) would count a
// film once per matching section; this spy remembers the films it has counted.
class FilmFacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double /*wt*/) override {
    if (!films_.insert(doc.get_value(kFilmIdSlot)).second) return;
    const std::string genres = doc.get_value(kGenresSlot);
    for (std::size_t start = 0; start < genres.size();) {
      const auto bar = std::min(genres.find('|', start), genres.size());
      ++genre_counts_[genres.substr(start, bar - start)];
      start = bar + 1;
    }
    const std::string year = doc.get_value(kYearSlot);
    if (!year.empty()) {
      const int y = static_cast<int>(Xapian::sortable_unserialise(year));
      ++decade_counts_[std::to_string(y / 10 * 10)];
    }
  }
  const std::map<std::string, std::int64_t>& genre_counts() const { return genre_counts_; }
  const std::map<std::string, std::int64_t>& decade_counts() const { return decade_counts_; }

 private:
  std::unordered_set<std::string> films_;
  std::map<std::string, std::int64_t> genre_counts_;
  std::map<std::string, std::int64_t> decade_counts_;
};

// [[value, count], ...] by descending count, then value.
nlohmann::json counts_json(const std::map<std::string, std::int64_t>& counts) {
  std::vector<std::pair<std::string, std::int64_t>> v(counts.begin(), counts.end());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [value, n] : v) out.push_back({value, n});
  return out;
}

struct Options {
  int limit = 10;                   // films per query
  std::vector<std::string> facets;  // "genre", "decade"
};

nlohmann::json run_query(Xapian::Database& db, Xapian::QueryParser& qp, const nlohmann::json& q,
                         const Options& opt) {
  Xapian::Query query;
  try {
    query = qp.parse_query(q["query"].get<std::string>());
  } catch (const Xapian::QueryParserError&) {
    query = Xapian::Query();  // what a default application does: no results, not a crash
  }
  if (const auto f = q.find("filters"); f != q.end() && f->is_object()) {
    if (const auto g = f->find("genre"); g != f->end() && g->is_string()) {
      query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                            Xapian::Query(kGenrePrefix + lower_ascii(g->get<std::string>())));
    }
    const int lo = f->value("year_min", -1000000);
    const int hi = f->value("year_max", 1000000);
    if (f->contains("year_min") || f->contains("year_max")) {
      query = Xapian::Query(
          Xapian::Query::OP_FILTER, query,
          Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kYearSlot, Xapian::sortable_serialise(lo),
                        Xapian::sortable_serialise(hi)));
    }
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_collapse_key(kFilmIdSlot);
  FilmFacetSpy spy;
  Xapian::doccount check_at_least = 0;
  if (!opt.facets.empty()) {
    enquire.add_matchspy(&spy);
    check_at_least = db.get_doccount();  // exact counts: the matcher must see every match
  }
  const Xapian::MSet mset =
      enquire.get_mset(0, static_cast<Xapian::doccount>(opt.limit), check_at_least);
  nlohmann::json out = nlohmann::json::object();
  out["hits"] = nlohmann::json::array();
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    out["hits"].push_back(it.get_document().get_data());
  }
  out["total"] = mset.get_matches_estimated();
  for (const auto& facet : opt.facets) {
    if (facet == "genre") {
      out["facets"]["genre"] = counts_json(spy.genre_counts());
    } else if (facet == "decade") {
      out["facets"]["decade"] = counts_json(spy.decade_counts());
    } else {
      throw std::runtime_error("unknown facet " + facet + " (genre, decade)");
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"Plain Xapian peer: run a JSON Lines batch of queries, one JSON line per query."};
  std::string db_path;
  std::string queries_path;
  std::string facets;
  Options opt;
  app.add_option("--db", db_path, "Xapian database written by plain-xapian-index")->required();
  app.add_option("--queries", queries_path, "JSON Lines: {\"qid\", \"query\", \"filters\"?}")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--limit", opt.limit, "films per query (default 10)")->check(CLI::PositiveNumber);
  app.add_option("--facets", facets, "comma-separated: genre,decade (default none)");
  CLI11_PARSE(app, argc, argv);
  for (std::size_t start = 0; start < facets.size();) {
    const auto comma = std::min(facets.find(',', start), facets.size());
    if (comma > start) opt.facets.push_back(facets.substr(start, comma - start));
    start = comma + 1;
  }

  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_OR);
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
    nlohmann::json out = run_query(db, qp, q, opt);
    const double took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    out["qid"] = q.contains("qid") ? q["qid"] : nlohmann::json(std::to_string(line_no));
    out["took_ms"] = took_ms;
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return 0;
} catch (const Xapian::Error& e) {
  std::cerr << "plain-xapian-query: " << e.get_description() << '\n';
  return 1;
} catch (const std::exception& e) {
  std::cerr << "plain-xapian-query: " << e.what() << '\n';
  return 1;
}
