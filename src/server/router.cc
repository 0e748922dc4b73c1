#include "server/router.h"

#include <unicode/utf8.h>

namespace filmsearch::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = 0;
  const auto length = static_cast<int32_t>(s.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(p, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  if (!valid_utf8(out)) return std::nullopt;
  return out;
}

std::optional<Target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  const std::size_t question = target.find('?');
  Target out;
  auto path = percent_decode(target.substr(0, question), false);
  if (!path) return std::nullopt;
  out.path = std::move(*path);
  if (question == std::string_view::npos) return out;
  std::string_view query = target.substr(question + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t equals = pair.find('=');
      auto key = percent_decode(pair.substr(0, equals), true);
      auto value = percent_decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
      if (!key || !value) return std::nullopt;
      out.query.emplace_back(std::move(*key), std::move(*value));
    }
    start = end + 1;
  }
  return out;
}

std::optional<std::vector<std::string>> match_route(std::string_view pattern, std::string_view path) {
  if (path.empty() || path.front() != '/' || pattern.empty()) return std::nullopt;
  const auto want = segments(pattern), got = segments(path);
  if (want.size() != got.size()) return std::nullopt;
  std::vector<std::string> captured;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const bool capture = want[i].size() >= 2 && want[i].front() == '{' && want[i].back() == '}';
    if (capture) {
      if (got[i].empty()) return std::nullopt;
      captured.emplace_back(got[i]);
    } else if (want[i] != got[i]) {
      return std::nullopt;
    }
  }
  return captured;
}

std::optional<std::string> safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string rooted = "/" + std::string(path);
  for (auto segment : segments(rooted)) {
    if (segment.empty() || segment.front() == '.') return std::nullopt;
  }
  return std::string(path);
}

}  // namespace filmsearch::server
