#include "text/language.h"

#include <unicode/uloc.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <cctype>
#include <set>
#include <unordered_map>

#include "text/analyzer.h"

namespace filmsearch::text {
namespace {

struct LanguageTables {
  std::set<std::string, std::less<>> codes;                  // ISO 639-1 codes ICU knows
  std::unordered_map<std::string, std::string> three_letter;  // ISO 639-2/3 -> ISO 639-1
  std::unordered_map<std::string, std::string> names;         // folded name -> code
};

std::string display_language(const char* code, const char* in_locale) {
  UChar buffer[128];
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = uloc_getDisplayLanguage(code, in_locale, buffer, 128, &status);
  if (U_FAILURE(status) || n <= 0 || n > 128) return "";
  std::string out;
  icu::UnicodeString(buffer, n).toUTF8String(out);
  return out;
}

const LanguageTables& tables() {
  static const LanguageTables kTables = [] {
    LanguageTables t;
    for (const char* const* code = uloc_getISOLanguages(); *code != nullptr; ++code) {
      const std::string c(*code);
      if (c.size() != 2) continue;
      const std::string english = display_language(*code, "en");
      // ICU lists every ISO 639-1 code, also those it has no name for ("display" = the code).
      if (english.empty() || english == c) continue;
      t.codes.insert(c);
      const char* three = uloc_getISO3Language(*code);
      if (three != nullptr && *three != '\0') t.three_letter.emplace(three, c);
      t.names.emplace(Analyzer::fold(english), c);
      const std::string own = display_language(*code, *code);
      if (!own.empty() && own != c) t.names.emplace(Analyzer::fold(own), c);
    }
    return t;
  }();
  return kTables;
}

}  // namespace

std::optional<std::string> normalize_language(std::string_view value) {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::string();
  value = value.substr(first, value.find_last_not_of(" \t") - first + 1);
  const LanguageTables& t = tables();
  // A tag: letters, then optional "-" or "_" subtags.
  std::string lang;
  for (char c : value.substr(0, value.find_first_of("-_"))) {
    lang += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const bool letters = !lang.empty() && lang.size() <= 3 &&
                       lang.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
  if (letters) {
    if (lang == "und") return std::string();
    if (lang.size() == 2 && t.codes.count(lang)) return lang;
    if (lang.size() == 3) {
      auto it = t.three_letter.find(lang);
      if (it != t.three_letter.end()) return it->second;
    }
  }
  auto it = t.names.find(Analyzer::fold(value));
  if (it != t.names.end()) return it->second;
  return std::nullopt;
}

}  // namespace filmsearch::text
