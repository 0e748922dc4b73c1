// filmsearch-query: options -> SearchRequest -> Searcher::search -> text | json | jsonl.
// Batch mode reads one query per line (plain text or JSON) and writes one JSON object per line.
#include <CLI/CLI.hpp>
#include <unistd.h>
#include <xapian.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "error.h"
#include "search/render.h"
#include "search/request_json.h"
#include "search/searcher.h"

namespace {

namespace search = filmsearch::search;

// "1940..1950", "1948", "1940..", "..1950" into the filter's bounds; ConfigError otherwise.
void parse_year_flag(const std::string& value, search::Filters* filters) {
  auto number = [&](std::string_view s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
      throw filmsearch::ConfigError("--year " + value +
                                    ": expected a year or a range such as 1940..1950");
    }
    return v;
  };
  std::string_view v(value);
  std::size_t dots = v.find("..");
  if (dots == std::string_view::npos) {
    filters->year_min = filters->year_max = number(v);
    return;
  }
  if (dots > 0) filters->year_min = number(v.substr(0, dots));
  if (dots + 2 < v.size()) filters->year_max = number(v.substr(dots + 2));
  if (dots == 0 && dots + 2 == v.size()) number("");  // ".." alone
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

int run_batch(search::Searcher& searcher, const search::SearchRequest& defaults,
              std::istream& in, const std::string& format, const search::TextStyle& style) {
  std::string line;
  std::size_t number = 0;
  bool failed = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    search::SearchRequest request = defaults;
    nlohmann::ordered_json qid = std::to_string(number);
    request.query = line;
    if (line.front() == '{') {
      // A JSON line; one that does not parse is searched as text (any text is a query).
      nlohmann::ordered_json j = nlohmann::ordered_json::parse(line, nullptr, false);
      if (j.is_object()) {
        if (j.contains("qid")) qid = j["qid"];
        try {
          request = search::request_from_json(j, defaults, {{"qid"}, false});
          if (!j.contains("query")) request.query.clear();
        } catch (const search::RequestError& e) {
          // Never a silent search without the field: an error line in its place.
          std::cerr << "filmsearch-query: line " << number << ": " << e.what() << '\n';
          std::cout << search::dump_line({{"qid", qid},
                                          {"error", {{"code", "bad_request"},
                                                     {"message", e.message()},
                                                     {"field", e.field()}}}})
                    << '\n';
          failed = true;
          continue;
        }
      }
    }
    search::SearchResult result = searcher.search(request);
    if (format == "text") {
      std::cout << "== " << (qid.is_string() ? qid.get<std::string>() : qid.dump()) << '\n';
      search::render_text(result, request.query, style, std::cout);
      std::cout << '\n';
    } else {
      nlohmann::ordered_json out = {{"qid", qid}};
      nlohmann::ordered_json j = search::to_json(result, request.query);
      for (auto& [key, value] : j.items()) out[key] = std::move(value);
      std::cout << search::dump_line(out) << '\n';
    }
  }
  return failed ? 1 : 0;
}

int run(int argc, char** argv) {
  CLI::App app{"Search a filmsearch index: ranked films with snippets, spoiler tags and facets."};
  search::SearchRequest request;
  const char* env_index = std::getenv("FILMSEARCH_INDEX");
  std::string index_path = env_index && *env_index ? env_index : "./films.db";
  std::string format = "text", batch, group_by = "film", spoilers = "tag", sort = "relevance";
  std::string year, facets;
  app.add_option("query", request.query, "the query (see README: \"phrases\", -word, OR, "
                                         "genre:drama, year:1940..1950, prefix*)");
  app.add_option("--index", index_path, "the index folder (default: $FILMSEARCH_INDEX or ./films.db)");
  app.add_option("--format", format, "text | json | jsonl (default text; jsonl with --batch)")
      ->check(CLI::IsMember({"text", "json", "jsonl"}));
  app.add_option("--batch", batch, "read queries from FILE (- for standard input), one per line: "
                                   "plain text or {\"qid\",\"query\",\"filters\"}");
  app.add_option("--limit", request.limit, "hits to show (default 10)")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--offset", request.offset, "hits to skip (default 0)")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--snippets", request.snippets, "fragments per hit (default 2)")
      ->check(CLI::Range(0, 20));
  app.add_option("--facets", facets, "comma-separated: genre,year,decade,type,kind,lang");
  app.add_option("--facet-top", request.facet_top, "values shown per facet (default 10)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--group-by", group_by, "film | document | section (default film)")
      ->check(CLI::IsMember({"film", "document", "section"}));
  app.add_option("--spoilers", spoilers, "tag | hide | exclude | show (default tag)")
      ->check(CLI::IsMember({"tag", "hide", "exclude", "show"}));
  app.add_option("--sort", sort, "relevance | year | -year | rating | title (default relevance)")
      ->check(CLI::IsMember({"relevance", "year", "-year", "rating", "title"}));
  app.add_option("--genre", request.filters.genres, "only this genre (repeatable: any of them)");
  app.add_option("--year", year, "a year or a range: 1948, 1940..1950, 1940.., ..1950");
  app.add_option("--type", request.filters.types, "film | review | article (repeatable)");
  app.add_option("--kind", request.filters.kinds,
                 "documents with a section of this kind: synopsis, plot, review, quote... "
                 "(repeatable)");
  app.add_option("--lang", request.filters.langs, "language code, e.g. en (repeatable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!year.empty()) parse_year_flag(year, &request.filters);
  for (const auto& f : split_commas(facets)) {
    if (!search::is_facet(f)) {
      throw filmsearch::ConfigError("--facets: unknown facet \"" + f +
                                    "\" (genre, year, decade, type, kind, lang)");
    }
    request.facets.push_back(f);
  }
  search::parse_group_by(group_by, &request.group_by);
  search::parse_spoiler_mode(spoilers, &request.spoilers);
  search::parse_sort(sort, &request.sort);

  search::TextStyle style;
  style.colour = isatty(STDOUT_FILENO) != 0;
  style.mark_spoilers = request.spoilers != search::SpoilerMode::kShow;

  search::Searcher searcher(index_path);
  if (!batch.empty()) {
    if (!app.get_option("--format")->count()) format = "jsonl";
    if (batch == "-") return run_batch(searcher, request, std::cin, format, style);
    std::ifstream in(batch, std::ios::binary);
    if (!in) throw filmsearch::Error("cannot read " + batch);
    return run_batch(searcher, request, in, format, style);
  }
  search::SearchResult result = searcher.search(request);
  if (format == "text") {
    search::render_text(result, request.query, style, std::cout);
  } else {
    nlohmann::ordered_json j = search::to_json(result, request.query);
    std::cout << (format == "json" ? j.dump(2, ' ', false,
                                            nlohmann::ordered_json::error_handler_t::replace)
                                   : search::dump_line(j))
              << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  return run(argc, argv);
} catch (const filmsearch::ConfigError& e) {
  std::cerr << "filmsearch-query: " << e.what() << '\n';
  return 2;
} catch (const filmsearch::Error& e) {
  std::cerr << "filmsearch-query: " << e.what() << '\n';
  return 1;
} catch (const Xapian::Error& e) {
  std::cerr << "filmsearch-query: " << e.get_description() << '\n';
  return 1;
} catch (const std::exception& e) {
  std::cerr << "filmsearch-query: " << e.what() << '\n';
  return 1;
}
