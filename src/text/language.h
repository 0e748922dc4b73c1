// Language values as records and users write them ("English", "en-US", "EN", "français",
// "zh-Hans") turned into one BCP 47 language code ("en", "fr", "zh") from ICU's locale data, so
// an index holds one value per language and a filter or a stemmer sees one spelling of it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace filmsearch::text {

// The BCP 47 language subtag of `value`: a language tag or locale id ("en-US", "en_GB", "EN",
// "fra", "zh-Hans" -> "en", "en", "en", "fr", "zh"), or a language's name in English or in itself,
// case and accents ignored ("English", "French", "français", "Deutsch", "日本語"). The region and
// script are dropped: an index keeps one value per language. Returns "" for an empty value or
// "und" (undetermined), nullopt for anything ICU does not know as a language ("xx", "Klingon
// dialect"). Thread safe (the name table is built once).
std::optional<std::string> normalize_language(std::string_view value);

}  // namespace filmsearch::text
