// Front matter of a Markdown page (Hugo, Jekyll, Zola): a YAML block between "---" lines or a
// TOML block between "+++" lines at the very top. Its keys become record fields, never text.
// YAML goes through yaml-cpp (libyaml-cpp-dev); TOML front matter is flat in practice
// (key = "value", key = ["a", "b"], [table] headers skipped), so a small reader covers it.
// Internal to src/corpus/page/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::corpus::page {

struct FrontMatter {
  std::size_t body_offset = 0;  // where the Markdown after the block starts
  std::string title;
  std::string date;    // ISO 8601 date when the value is one
  std::string author;
  std::optional<int> year;
  std::vector<std::string> genres;      // genres, genre
  std::vector<std::string> tags;        // tags, categories, keywords
  std::vector<std::string> directors;   // director, directors
  std::vector<std::string> cast;        // cast, actors, starring
  std::optional<int> runtime_min;       // runtime, duration
  std::string imdb_id;                  // from imdb_id, imdb_link, imdb, or any imdb URL value
  std::string lang;                     // lang, language
  std::string error;  // not empty when the block did not parse (its fields are then empty)
};

// The front matter at the start of `content`, or nullopt when the page has none (then the
// whole page is body). A block that does not parse still ends at its closing line: error says
// why, and the body starts after it.
std::optional<FrontMatter> read_front_matter(std::string_view content);

}  // namespace filmsearch::corpus::page
