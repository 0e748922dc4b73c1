// One coercion of field values written as text, for every reader: a JSON or CSV field given as a
// string ("year": "1948", "runtime_min": "2h 14min", "genres": "Drama|Music") and a page's
// labelled value ("Runtime: 1 hr 55 min (USA)", "Genres: Drama, Romance") go through the same
// grammar, so one input says the same thing whichever format carries it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::corpus {

// `text` without the ASCII spaces, tabs and line ends around it (other spaces are kept).
std::string_view trim_ascii_space(std::string_view text);

// A year: a whole number ("1948", "1948.0", "48": any whole number, the caller checks the
// range), else the first four-digit year in 1870..2100 standing alone in a date or a label's
// value ("1948-09-06", "6 September 1948 (UK)", "1948年"). nullopt for anything else ("soon",
// "1948.5", "12345").
std::optional<std::int64_t> parse_year(std::string_view text);

// Minutes of a duration: a whole number of minutes ("135"), number-unit pairs ("135 min",
// "2h 14min", "2h15m", "1 hour 30 minutes", "2 Std. 15 Min.", "1時間55分", "120分钟", "95 мин"),
// or "1:30". The first duration only: words before it are notes ("approx. 95 min") and
// "95 min (USA) | 102 min (Germany)" is 95 (a second minutes value ends it). nullopt when there
// is no number or its unit is unknown ("soon", "3 reels").
std::optional<std::int64_t> parse_runtime(std::string_view text);

// The items of a list written as text, trimmed, empty ones dropped: split on '|' when the text
// has one ("Drama|Music", "Action & Adventure | Drama"), else on ',', ';', '/', " and " and " & "
// ("Joel Coen and Ethan Coen", "Drama, Romance").
std::vector<std::string> split_list(std::string_view text);

}  // namespace filmsearch::corpus
