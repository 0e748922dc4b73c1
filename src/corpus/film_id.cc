#include "corpus/film_id.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "corpus/page/text.h"

namespace filmsearch::corpus {

using page::is_alnum;
using page::lower;
using page::next_code_point;

namespace {

// ASCII folding of Latin-1 Supplement and Latin Extended-A letters, for slugs.
constexpr std::string_view kFoldC0 = "AAAAAAACEEEEIIIIDNOOOOO-OUUUUYTsaaaaaaaceeeeiiiidnooooo-ouuuuyty";
constexpr std::string_view kFold100 =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsS"
    "sSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(kFoldC0.size() == 64 && kFold100.size() == 128);

}  // namespace

std::string slug(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  bool dash = false;
  while (i < text.size()) {
    std::uint32_t cp = next_code_point(text, i);
    char c = 0;
    if (cp < 0x80 && is_alnum(static_cast<char>(cp))) c = lower(static_cast<char>(cp));
    else if (cp >= 0xC0 && cp <= 0xFF) c = lower(kFoldC0[cp - 0xC0]);
    else if (cp >= 0x100 && cp <= 0x17F) c = lower(kFold100[cp - 0x100]);
    // Apostrophes join ("Schindler's" -> "schindlers").
    if (cp == '\'' || cp == 0x2019) continue;
    if (c != 0 && c != '-') {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += c;
    } else {
      dash = true;
    }
  }
  return out;
}

std::string derived_film_id(std::string_view title, std::optional<int> year) {
  std::string id(kDerivedFilmIdPrefix);
  id += slug(title);
  if (year) {
    id += '-';
    id += std::to_string(*year);
  }
  return id;
}

}  // namespace filmsearch::corpus
