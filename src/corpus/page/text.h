// Small text helpers of the page reader: ASCII case folding (every keyword table is ASCII or
// matched byte for byte), UTF-8 code points, trimming that knows NBSP and the ideographic space,
// words, and the emoji that sites put around headings. Internal to src/corpus/page/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::corpus::page {

inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// `s` with ASCII letters lowered; other bytes as they are.
std::string to_lower(std::string_view s);

// Decodes the code point at s[i] and advances i; invalid bytes decode as U+FFFD, one byte.
std::uint32_t next_code_point(std::string_view s, std::size_t& i);

// `s` without leading and trailing whitespace, NBSP and U+3000 included.
std::string_view trim(std::string_view s);

// Words of `s` split on ASCII spaces.
std::vector<std::string_view> split_words(std::string_view s);

// True when `lower_text` contains `phrase` starting and ending at word boundaries.
bool has_phrase(std::string_view lower_text, std::string_view phrase);

// Emoji and pictographic symbols ("🍿", "⚠️") and their joiners/variation selectors.
bool is_pictograph(std::uint32_t cp);
bool is_emoji_joiner(std::uint32_t cp);

// Strips leading emoji (with their joiners and variation selectors); sets `had_emoji`.
std::string_view strip_leading_emoji(std::string_view s, bool& had_emoji);

// Strips trailing whitespace and colons ("Content warnings ⚠️:" -> "Content warnings ⚠️").
std::string_view strip_trailing_decoration(std::string_view s);

}  // namespace filmsearch::corpus::page
