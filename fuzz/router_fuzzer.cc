// Fuzzes what filmsearch-serve does with a request before any search: the target (split,
// percent-decoded, query string, route match, static path check) and the JSON body
// (search::request_from_json). Properties: decoding gives valid UTF-8 without NUL and
// percent_decode inverts percent-encoding; a route capture is one non-empty segment; a static
// path never climbs out of its root; a body only ever fails with RequestError naming a field.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "corpus/input.h"
#include "fuzz_checks.h"
#include "search/request_json.h"
#include "server/router.h"

namespace {

namespace server = filmsearch::server;

std::string encode_all(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

void check_text(const std::string& s) {
  FUZZ_CHECK(s.find('\0') == std::string::npos, "NUL in decoded text");
  FUZZ_CHECK(filmsearch::corpus::is_valid_utf8(s), "invalid UTF-8 in decoded text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto target = server::parse_target(input)) {
    FUZZ_CHECK(!target->path.empty() && target->path.front() == '/', target->path);
    check_text(target->path);
    for (const auto& [key, value] : target->query) {
      check_text(key);
      check_text(value);
    }
    if (auto id = server::match_route("/films/{id}", target->path)) {
      FUZZ_CHECK(id->size() == 1 && !(*id)[0].empty() && (*id)[0].find('/') == std::string::npos,
                 target->path);
    }
    if (target->path.rfind("/assets/", 0) == 0) {
      if (auto rel = server::safe_relative_path(target->path.substr(8))) {
        FUZZ_CHECK(rel->front() != '/' && ("/" + *rel + "/").find("/../") == std::string::npos &&
                       ("/" + *rel + "/").find("/./") == std::string::npos,
                   *rel);
      }
    }
  }
  if (auto decoded = server::percent_decode(input, false)) {
    check_text(*decoded);
    auto again = server::percent_decode(encode_all(*decoded), false);
    FUZZ_CHECK(again && *again == *decoded, "percent_decode(encode(x)) != x");
  }

  nlohmann::ordered_json body = nlohmann::ordered_json::parse(input, nullptr, false);
  if (!body.is_discarded()) {
    try {
      (void)filmsearch::search::request_from_json(body, {}, {{"qid"}, true});
    } catch (const filmsearch::search::RequestError& e) {
      FUZZ_CHECK(!e.message().empty(), "a RequestError without a message");
    }
  }
  return 0;
}
