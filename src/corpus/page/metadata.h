// Metadata of a page read from its text: labelled lines ("Director: ...", "Runtime: 2h 15min"),
// the title line ("The Red Shoes (1948) - Plot Summary"), bylines and dates, the language by
// script, and the IMDb id. Internal to src/corpus/page/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/record.h"

namespace filmsearch::corpus::page {

// "Runtime (length)" -> "runtime": the lowered key without parenthesized notes.
std::string metadata_key(std::string_view raw_key);


// Parses a decimal number at or after s[i] ("8.1", "44", "1,234"); advances i.
std::optional<double> parse_number(std::string_view s, std::size_t& i);

// A label's runtime and year through the one coercion of values (corpus/values.h), kept when
// plausible: 1 to 2000 minutes, a year in 1870..2100.
std::optional<int> label_runtime(std::string_view value);
std::optional<int> label_year(std::string_view value);

// "44k" -> 44000, "1.2M" -> 1200000, "44,123" -> 44123.
std::optional<std::int64_t> parse_count(std::string_view value);

// The first four-digit number in 1870..2100 standing alone in `s`.
std::optional<int> find_year(std::string_view s);

// Appends `value` to `list` unless empty or already there.
void add_unique(std::vector<std::string>& list, std::string value);

// True when `text` holds a film metadata label followed by a colon ("... Director: Jane Doe"),
// of directors, genres, cast or runtime: the words before each colon are tried as a key.
bool has_film_label(std::string_view text);

// Applies "Key: value" to the record when Key is a metadata key; returns whether it was one.
bool apply_metadata(std::string_view line, Record& record);

// "The Red Shoes (1948) - Plot Summary Poster" -> title "The Red Shoes", year 1948, rest
// "- Plot Summary Poster". Returns false when there is no "(YYYY)".
bool split_title_year(std::string_view line, std::string& title, int& year, std::string& rest);

// Removes a site suffix naming a page kind or a site ("Title - Plot Summary", "Title | IMDb");
// returns the suffix, if one was removed.
std::string strip_site_suffix(std::string& title);

// Title-cases a name written in capitals ("NATALIA VAKHRUSHEVA" -> "Natalia Vakhrusheva").
std::string title_case_if_shouted(std::string_view name);

// "Sep 09,2025", "September 9, 2025", "9 Sep 2025", "2025-09-09" -> "2025-09-09"; nullopt else.
std::optional<std::string> parse_date(std::string_view text);

struct Byline {
  std::string author;
  std::string date;
};

// "By NATALIA VAKHRUSHEVA|Sep 09,2025", "By Jane Doe, September 9, 2025", "By Jane Doe".
std::optional<Byline> parse_byline(std::string_view line);

// "en", "zh", "ko" or "ja" by the script most letters of the title and sections are in.
std::string detect_lang(const Record& record);

// The first IMDb title id in `content` ("tt0040725"), not inside a longer word or number.
std::string find_imdb_id(std::string_view content);

// "/some/dir/heat.txt" -> "heat".
std::string file_stem(std::string_view file_name);

}  // namespace filmsearch::corpus::page
