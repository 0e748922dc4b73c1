// Request targets without Beast: splitting "/path?query", percent-decoding, query strings and
// matching a path against route patterns ("/films/{id}"). Pure functions, fuzzed
// (fuzz/router_fuzzer.cc).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace filmsearch::server {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, for query strings). Returns
// nullopt for a malformed escape ("%4", "%zz"), an encoded or raw NUL, or invalid UTF-8: a
// target that could mean two things is refused, never guessed at.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

using QueryParams = std::vector<std::pair<std::string, std::string>>;  // in order, repeats kept

struct Target {
  std::string path;   // decoded; starts with '/'
  QueryParams query;  // decoded
};

// "/search?q=red+shoes&genre=Drama" -> {"/search", {{"q","red shoes"},{"genre","Drama"}}}.
// Returns nullopt when the target is not an absolute path or does not decode.
std::optional<Target> parse_target(std::string_view target);

// Matches `path` against `pattern`, whose segments are literal or "{name}" (one non-empty
// segment). On a match returns the captured values in order; "/films/{id}" and "/films/tt1"
// give {"tt1"}.
std::optional<std::vector<std::string>> match_route(std::string_view pattern, std::string_view path);

// A path under a static root that cannot leave it: relative, no "." or ".." segment, no empty
// segment, no backslash and no segment starting with '.'. Returns nullopt otherwise.
std::optional<std::string> safe_relative_path(std::string_view decoded_path);

}  // namespace filmsearch::server
