#include "corpus/page/charset.h"

#include <unicode/ucnv.h>
#include <unicode/utypes.h>

#include <memory>
#include <string>
#include <string_view>

#include "corpus/input.h"
#include "corpus/page/text.h"

namespace filmsearch::corpus::page {
namespace {

constexpr std::size_t kSniffBytes = 16 * 1024;

bool is_label_char(char c) {
  return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
}

// The value after "charset=" at or after `from` in `lower_head`, up to a quote, ';' or space.
std::string charset_value_at(std::string_view lower_head, std::size_t at) {
  std::size_t i = at;
  while (i < lower_head.size() && (lower_head[i] == ' ' || lower_head[i] == '"' ||
                                   lower_head[i] == '\'' || lower_head[i] == '=')) {
    ++i;
  }
  std::size_t b = i;
  while (i < lower_head.size() && is_label_char(lower_head[i])) ++i;
  return std::string(lower_head.substr(b, i - b));
}

// WHATWG's Encoding standard maps some labels to supersets; ICU knows the rest by name.
std::string icu_name_for(std::string_view label) {
  if (label == "iso-8859-1" || label == "latin1" || label == "latin-1" || label == "us-ascii" ||
      label == "ascii" || label == "iso8859-1" || label == "l1" || label == "cp1252") {
    return "windows-1252";
  }
  if (label == "gb2312" || label == "gbk" || label == "x-gbk" || label == "gb_2312-80" ||
      label == "cp936") {
    return "GB18030";
  }
  if (label == "x-sjis" || label == "sjis" || label == "ms_kanji" || label == "windows-31j") {
    return "Shift_JIS";
  }
  if (label == "iso-8859-9") return "windows-1254";
  if (label == "tis-620" || label == "iso-8859-11") return "windows-874";
  if (label == "ks_c_5601-1987" || label == "euc-kr") return "windows-949";
  if (label == "utf8") return "UTF-8";
  return std::string(label);
}

bool convert(std::string_view bytes, const std::string& icu_name, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* raw = ucnv_open(icu_name.c_str(), &status);
  if (U_FAILURE(status) || raw == nullptr) return false;
  std::unique_ptr<UConverter, void (*)(UConverter*)> from(raw, ucnv_close);
  status = U_ZERO_ERROR;
  UConverter* utf8_raw = ucnv_open("UTF-8", &status);
  if (U_FAILURE(status) || utf8_raw == nullptr) return false;
  std::unique_ptr<UConverter, void (*)(UConverter*)> to(utf8_raw, ucnv_close);
  out.assign(bytes.size() * 3 + 16, '\0');
  char* target = out.data();
  const char* source = bytes.data();
  status = U_ZERO_ERROR;
  ucnv_convertEx(to.get(), from.get(), &target, out.data() + out.size(), &source,
                 bytes.data() + bytes.size(), nullptr, nullptr, nullptr, nullptr, /*reset=*/true,
                 /*flush=*/true, &status);
  if (U_FAILURE(status)) return false;
  out.resize(static_cast<std::size_t>(target - out.data()));
  return true;
}

}  // namespace

std::string declared_charset(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) return "utf-8";
  if (bytes.starts_with("\xFF\xFE")) return "utf-16le";
  if (bytes.starts_with("\xFE\xFF")) return "utf-16be";
  std::string head = to_lower(bytes.substr(0, kSniffBytes));
  for (std::size_t p = head.find("<meta"); p != std::string::npos; p = head.find("<meta", p + 5)) {
    std::size_t end = head.find('>', p);
    if (end == std::string::npos) break;
    std::string_view tag = std::string_view(head).substr(p, end - p);
    std::size_t c = tag.find("charset");
    if (c == std::string_view::npos) continue;
    std::string value = charset_value_at(tag, c + 7);
    if (!value.empty()) return value;
  }
  return {};
}

DecodedPage decode_page(std::string_view bytes) {
  DecodedPage page;
  std::string label = declared_charset(bytes);
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  const bool utf16_bom = bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
  std::string icu = label.empty() ? std::string() : icu_name_for(label);
  // A page that says UTF-8 (or UTF-16, which a saved file on disk rarely is: the declaration was
  // the server's) but is not: read it like an undeclared page.
  if (icu == "UTF-8" || label == "utf-8") {
    if (is_valid_utf8(bytes)) {
      page.text = std::string(bytes);
      page.charset = "UTF-8";
      return page;
    }
    page.warning = "declares UTF-8 but is not valid UTF-8; read as windows-1252";
    icu.clear();
  } else if ((label == "utf-16le" || label == "utf-16be" || label == "utf-16") &&
             !utf16_bom) {
    icu.clear();  // a <meta> that says UTF-16 on an 8-bit file: the label is wrong
  }
  if (!icu.empty()) {
    if (utf16_bom && label.starts_with("utf-16")) bytes.remove_prefix(2);
    if (convert(bytes, icu, page.text)) {
      page.charset = icu;
      if (!is_valid_utf8(page.text)) page.text = repair_utf8(page.text);
      return page;
    }
    page.warning = "unknown charset \"" + label + "\"; read as " +
                   (is_valid_utf8(bytes) ? "UTF-8" : "windows-1252");
  }
  if (is_valid_utf8(bytes)) {
    page.text = std::string(bytes);
    page.charset = "UTF-8";
    return page;
  }
  if (convert(bytes, "windows-1252", page.text)) {
    page.charset = "windows-1252";
    if (!is_valid_utf8(page.text)) page.text = repair_utf8(page.text);
    return page;
  }
  page.text = repair_utf8(bytes);
  page.charset = "UTF-8";
  return page;
}

}  // namespace filmsearch::corpus::page
