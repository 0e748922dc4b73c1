#include "corpus/html_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/page/html_reader.h"

namespace filmsearch::corpus {
namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The named references that occur on film and news pages; others stay as written.
constexpr std::array<std::pair<std::string_view, std::uint32_t>, 40> kNamedEntities = {{
    {"amp", '&'},        {"lt", '<'},         {"gt", '>'},         {"quot", '"'},
    {"apos", '\''},      {"nbsp", 0xA0},      {"ndash", 0x2013},   {"mdash", 0x2014},
    {"hellip", 0x2026},  {"lsquo", 0x2018},   {"rsquo", 0x2019},   {"ldquo", 0x201C},
    {"rdquo", 0x201D},   {"laquo", 0xAB},     {"raquo", 0xBB},     {"copy", 0xA9},
    {"reg", 0xAE},       {"trade", 0x2122},   {"middot", 0xB7},    {"bull", 0x2022},
    {"eacute", 0xE9},    {"egrave", 0xE8},    {"aacute", 0xE1},    {"agrave", 0xE0},
    {"iacute", 0xED},    {"oacute", 0xF3},    {"uacute", 0xFA},    {"ntilde", 0xF1},
    {"ccedil", 0xE7},    {"uuml", 0xFC},      {"ouml", 0xF6},      {"auml", 0xE4},
    {"Eacute", 0xC9},    {"szlig", 0xDF},     {"pound", 0xA3},     {"euro", 0x20AC},
    {"star", 0x2606},    {"times", 0xD7},     {"ecirc", 0xEA},     {"acirc", 0xE2},
}};

}  // namespace

std::string decode_html_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '&') {
      out += text[i++];
      continue;
    }
    std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += text[i++];
      continue;
    }
    std::string_view name = text.substr(i + 1, semi - i - 1);
    bool decoded = false;
    if (name.size() > 1 && name[0] == '#') {
      std::uint32_t cp = 0;
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::size_t k = hex ? 2 : 1;
      bool ok = k < name.size();
      for (; k < name.size() && ok; ++k) {
        char c = name[k];
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0 || cp > 0x10FFFF) ok = false;
        else cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
      }
      if (ok) {
        append_utf8(out, cp);
        decoded = true;
      }
    } else {
      for (const auto& [entity, cp] : kNamedEntities) {
        if (entity == name) {
          append_utf8(out, cp);
          decoded = true;
          break;
        }
      }
    }
    if (decoded) {
      i = semi + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  return page::without_spoiler_markers(page::read_html(html).text);
}

}  // namespace filmsearch::corpus
