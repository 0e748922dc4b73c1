// Film identity in one place: the key a film answers to when a page or review names no IMDb id
// ("film:" + a slug of the title, "-" + the year). The page reader derives it for pages, the index
// for film records, so a page about a film joins that film.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace filmsearch::corpus {

inline constexpr std::string_view kDerivedFilmIdPrefix = "film:";

// The film id of a record that names no IMDb id: "film:" + slug(title), then "-" + year when
// known ("The Red Shoes", 1948 -> "film:the-red-shoes-1948"). A title with nothing to slug gives
// "film:" or "film:-1948".
std::string derived_film_id(std::string_view title, std::optional<int> year);

// ASCII-folded lowercase letters and digits, apostrophes dropped, other runs -> one '-', none at
// either end ("Schindler's List" -> "schindlers-list", "Amélie" -> "amelie").
std::string slug(std::string_view text);

}  // namespace filmsearch::corpus
