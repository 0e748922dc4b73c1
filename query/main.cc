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
#include "index/schema.h"
#include "search/query_parser.h"
#include "search/render.h"
#include "search/request_json.h"
#include "search/searcher.h"

namespace {

namespace search = filmsearch::search;

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

// Arguments that are query text although they begin with '-' ("-musical ballet", quoted, so it
// holds a space) are moved after a "--", where CLI11 reads them as the positional query; an
// argument that is the value of the option before it is left alone.
std::vector<std::string> query_args_last(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc), moved;
  std::vector<std::string> out;
  bool after_separator = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    after_separator = after_separator || a == "--";
    const bool text = !after_separator && i > 0 && a.size() > 1 && a[0] == '-' &&
                      a.find_first_of(" \t") != std::string::npos &&
                      a.find('=') == std::string::npos;
    if (text) {
      moved.push_back(a);
    } else {
      out.push_back(a);
    }
  }
  if (moved.empty()) return out;
  if (!after_separator) out.push_back("--");
  out.insert(out.end(), moved.begin(), moved.end());
  return out;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

int run(int argc, char** argv) {
  namespace schema = filmsearch::index::schema;
  CLI::App app{"Search a filmsearch index: ranked films with snippets, spoiler tags and facets."};
  app.footer(
      "Query syntax: words (any may match; all rank first), \"a phrase\", -word or NOT word, "
      "a OR b, (groups), field:value (" + search::field_names() + "), year:1940..1950, prefix*.\n"
      "A query beginning with '-' works when quoted (\"-musical ballet\") or after --.\n"
      "Exit codes: 0 results (also none), 1 the index cannot be read, 2 bad options or filter "
      "values.");
  app.set_version_flag("--version", std::string("filmsearch-query ") + FILMSEARCH_VERSION +
                                        " (Xapian " + Xapian::version_string() + ")");
  search::SearchRequest request;
  const char* env_index = std::getenv("FILMSEARCH_INDEX");
  std::string index_path = env_index && *env_index ? env_index : "./films.db";
  std::string format = "text", batch, group_by = "film", spoilers = "tag", sort = "relevance";
  std::string facets;
  std::vector<std::string> query_words;
  app.add_option("query", query_words, "the query, wherever it stands (see below and README)");
  app.add_option("--index", index_path,
                 "the index folder, a sharded index folder, or a Xapian stub file listing "
                 "shards (auto PATH, remote HOST:PORT lines) (default: $FILMSEARCH_INDEX or "
                 "./films.db)");
  search::SearcherOptions searcher_options;
  app.add_option("--remote-timeout", searcher_options.remote_timeout_ms,
                 "milliseconds to wait for a remote shard to connect and to answer (default "
                 "10000)")
      ->check(CLI::Range(1u, 3600000u));
  app.add_flag("--allow-partial", searcher_options.allow_partial,
               "when a shard cannot be reached, answer from the others and say so in the notes "
               "(default: fail, naming the shard)");
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
  app.add_option("--facets", facets, "comma-separated: " + search::facet_names());
  app.add_option("--facet-top", request.facet_top, "values shown per facet (default 10)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--typos", request.typos,
                 "typo tolerance: most edits per word (one for words of 5+ letters, two for 9+; "
                 "default 2, 0 off)")
      ->check(CLI::Range(0, 2));
  app.add_flag("--prefix-last", request.prefix_last,
               "search as you type: the last word, when no space follows it, is a prefix");
  app.add_option("--group-by", group_by, "film | document | section (default film)")
      ->check(CLI::IsMember({"film", "document", "section"}));
  app.add_option("--spoilers", spoilers, "tag | hide | exclude | show (default tag)")
      ->check(CLI::IsMember({"tag", "hide", "exclude", "show"}));
  app.add_option("--sort", sort, "relevance | year | -year | rating | title (default relevance)")
      ->check(CLI::IsMember({"relevance", "year", "-year", "rating", "title"}));
  // One flag per filter field of the schema: one value each (repeat the flag, or separate
  // values with commas: any of them), so a flag never swallows the query after it.
  std::vector<std::pair<std::string, std::vector<std::string>>> filter_flags;
  filter_flags.reserve(std::size(schema::kFields));
  for (const auto& field : schema::kFields) {
    if (!field.has(schema::FieldRole::kFilter)) continue;
    auto& [name, values] = filter_flags.emplace_back(std::string(field.name), std::vector<std::string>{});
    auto* opt = app.add_option("--" + name, values,
                               "only " + std::string(field.help) +
                                   (field.numeric ? "" : " (repeatable, or a,b: any of them)"));
    opt->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    if (!field.numeric) opt->delimiter(',');
  }
  try {
    const std::vector<std::string> args = query_args_last(argc, argv);
    std::vector<const char*> ptrs;
    for (const auto& a : args) ptrs.push_back(a.c_str());
    app.parse(static_cast<int>(ptrs.size()), ptrs.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  request.query = join(query_words);
  for (const auto& [name, values] : filter_flags) {
    for (const auto& v : values) {
      const search::FilterReading r = search::add_filter(name, v, &request.filters);
      if (r.ok) continue;
      // A flag is not a guess: its sensible reading is offered, not taken.
      std::string note = r.note;
      const std::size_t read_as = note.find("; read as ");
      if (read_as != std::string::npos) {
        note = note.substr(0, read_as) + "; did you mean " + note.substr(read_as + 10) + "?";
      }
      throw filmsearch::ConfigError("--" + name + " " + v + ": " + note);
    }
  }
  for (const auto& f : search::facet_list(facets)) {
    if (!search::is_facet(f)) {
      throw filmsearch::ConfigError("--facets: unknown facet \"" + f + "\" (" +
                                    search::facet_names() + ")");
    }
    request.facets.push_back(f);
  }
  search::parse_group_by(group_by, &request.group_by);
  search::parse_spoiler_mode(spoilers, &request.spoilers);
  search::parse_sort(sort, &request.sort);

  search::TextStyle style;
  style.colour = isatty(STDOUT_FILENO) != 0;
  style.mark_spoilers = request.spoilers != search::SpoilerMode::kShow;
  style.mask_spoilers = request.spoilers == search::SpoilerMode::kTag;

  search::Searcher searcher(index_path, searcher_options);
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
