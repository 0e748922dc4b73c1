#include "corpus/spoilers.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace filmsearch::corpus {
namespace {

// All matching is ASCII case-insensitive: every cue is ASCII, and UTF-8 continuation bytes never
// equal an ASCII byte, so offsets found this way are always on UTF-8 boundaries.
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
// A byte of a word for look-around: letters, digits, apostrophes and any non-ASCII byte (so
// "won’t" is one word).
bool is_word_byte(char c) {
  return is_alnum(c) || c == '\'' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_sentence_end(char c) { return c == '.' || c == '!' || c == '?' || c == '\n'; }

bool iequals_at(std::string_view text, std::size_t pos, std::string_view lower_word) {
  if (pos + lower_word.size() > text.size()) return false;
  for (std::size_t i = 0; i < lower_word.size(); ++i) {
    if (lower(text[pos + i]) != lower_word[i]) return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Up to `limit` words before `pos`, nearest first, lowercased, not crossing a sentence end.
std::vector<std::string> words_before(std::string_view text, std::size_t pos, int limit) {
  std::vector<std::string> words;
  std::size_t i = pos;
  while (static_cast<int>(words.size()) < limit && i > 0) {
    while (i > 0 && !is_word_byte(text[i - 1])) {
      if (is_sentence_end(text[i - 1])) return words;
      --i;
    }
    std::size_t end = i;
    while (i > 0 && is_word_byte(text[i - 1])) --i;
    if (i == end) break;
    words.push_back(to_lower(text.substr(i, end - i)));
  }
  return words;
}

// The word after `pos` (skipping spaces and light punctuation), lowercased; empty at a sentence
// end.
std::string word_after(std::string_view text, std::size_t pos) {
  std::size_t i = pos;
  while (i < text.size() && !is_word_byte(text[i])) {
    if (is_sentence_end(text[i])) return {};
    ++i;
  }
  std::size_t begin = i;
  while (i < text.size() && is_word_byte(text[i])) ++i;
  return to_lower(text.substr(begin, i - begin));
}

bool is_negation(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kNegations = {
      "no",    "not",  "without", "any",  "avoid", "avoiding",
      "never", "nor",  "zero",    "free", "none",  "non"};
  if (one_of(w, kNegations)) return true;
  // don't, won't, isn't, can't (ASCII or typographic apostrophe).
  return w.ends_with("n't") || w.ends_with("n\xE2\x80\x99t");
}

// Words that, before "spoilers", make it a warning ("contains spoilers", "major spoilers").
constexpr std::array<std::string_view, 34> kWarningWordsBefore = {
    "light",   "partial", "somewhat", "small",   "little",
    "warning", "alert",   "contains", "contain", "containing", "major",    "minor",  "possible",
    "mild",    "slight",  "some",     "heavy",   "big",        "huge",     "massive", "potential",
    "plot",    "serious", "includes", "include", "including",  "has",      "have",   "with",
    "beware",  "caution", "ending",   "many",    "spoiler"};
// Words that, after "spoilers", make it a warning ("spoilers ahead", "SPOILER ALERT").
constexpr std::array<std::string_view, 14> kWarningWordsAfter = {
    "alert", "warning", "ahead",  "below",  "follow", "follows", "following",
    "included", "inside", "herein", "galore", "space", "abound",  "within"};
// Words that may stand before a warning and belong to it ("WARNING: this review contains").
constexpr std::array<std::string_view, 46> kWarningLeadIn = {
    "light",    "partial", "somewhat", "small",   "little",     "very",
    "warning",  "alert",   "contains", "contain", "containing", "major",   "minor",
    "possible", "mild",    "slight",   "some",    "heavy",      "big",     "huge",
    "massive",  "potential", "plot",   "serious", "includes",   "include", "including",
    "has",      "have",    "with",     "beware",  "caution",    "ending",  "many",
    "this",     "review",  "comment",  "post",    "may",        "might",   "will",
    "the",      "following", "a",      "few",     "spoiler"};

bool is_marker_punct(char c) {
  return c == '*' || c == '(' || c == '[' || c == '{' || c == '<' || c == '=' || c == '~' ||
         c == '#' || c == ')' || c == ']' || c == '}' || c == '>' || c == ':';
}

enum class Occurrence { kNone, kStart, kEnd };

struct Word {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The whole word around the "spoil" found at `pos`.
Word word_at(std::string_view text, std::size_t pos) {
  Word w{pos, pos + 5};
  while (w.begin > 0 && is_alpha(text[w.begin - 1])) --w.begin;
  while (w.end < text.size() && is_alpha(text[w.end])) ++w.end;
  return w;
}

// Classifies one "spoiler"/"spoilers" noun as the start of a warning, an end marker, or
// neither (negated, or merely mentioned: "that would be a spoiler").
Occurrence classify(std::string_view text, const Word& w) {
  std::vector<std::string> before = words_before(text, w.begin, 4);
  std::string after = word_after(text, w.end);
  // End markers: "END SPOILERS", "end of spoilers", "spoilers end", "[/spoiler]".
  if (!before.empty() && (before[0] == "end" || (before[0] == "of" && before.size() > 1 &&
                                                 before[1] == "end"))) {
    return Occurrence::kEnd;
  }
  if (w.begin > 0 && text[w.begin - 1] == '/') return Occurrence::kEnd;
  if (after == "end" || after == "ends" || after == "over" || after == "done" ||
      after == "finished") {
    return Occurrence::kEnd;
  }
  // Negations: "spoiler-free", "spoiler free", "no spoilers", "without any spoilers".
  if (after == "free" || after == "less") return Occurrence::kNone;
  for (const std::string& b : before) {
    if (is_negation(b)) return Occurrence::kNone;
  }
  bool shouted = true;
  for (std::size_t i = w.begin; i < w.end; ++i) shouted = shouted && is_upper(text[i]);
  if (shouted) return Occurrence::kStart;
  if (one_of(after, kWarningWordsAfter)) return Occurrence::kStart;
  if (!before.empty() && one_of(before[0], kWarningWordsBefore)) return Occurrence::kStart;
  if (before.size() > 1 && one_of(before[1], kWarningWordsBefore) &&
      one_of(before[0], kWarningLeadIn)) {
    return Occurrence::kStart;
  }
  // Marker punctuation hugging the word: "***spoilers***", "(spoilers)", "Spoilers: he dies".
  std::size_t b = w.begin;
  while (b > 0 && text[b - 1] == ' ') --b;
  if (b > 0 && is_marker_punct(text[b - 1]) && text[b - 1] != ')' && text[b - 1] != ']') {
    return Occurrence::kStart;
  }
  std::size_t a = w.end;
  while (a < text.size() && text[a] == ' ') ++a;
  if (a < text.size() && is_marker_punct(text[a]) && text[a] != '(' && text[a] != '[') {
    return Occurrence::kStart;
  }
  // "Spoilers!" or "Spoilers." opening a sentence or a line.
  bool sentence_start = b == 0 || is_sentence_end(text[b - 1]);
  if (sentence_start && (a >= text.size() || text[a] == '!' || text[a] == '.' || text[a] == '-' ||
                         text[a] == '\n')) {
    return Occurrence::kStart;
  }
  return Occurrence::kNone;
}

// Where the warning phrase around `w` begins: back over lead-in words and marker punctuation
// ("WARNING: this review contains SPOILERS" begins at "WARNING"), never across a sentence end.
std::size_t warning_begin(std::string_view text, const Word& w) {
  std::size_t begin = w.begin;
  std::size_t i = w.begin;
  for (int words = 0; words < 6;) {
    std::size_t j = i;
    while (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t')) --j;
    if (j > 0 && is_marker_punct(text[j - 1]) && text[j - 1] != ')' && text[j - 1] != ']') {
      while (j > 0 && (is_marker_punct(text[j - 1]) || text[j - 1] == '-')) --j;
      begin = i = j;
      continue;
    }
    std::size_t end = j;
    while (j > 0 && is_word_byte(text[j - 1])) --j;
    if (j == end || !one_of(to_lower(text.substr(j, end - j)), kWarningLeadIn)) break;
    begin = i = j;
    ++words;
  }
  return begin;
}

// Where the warning phrase around `w` ends: past trailing warning words and marker punctuation
// ("SPOILER ALERT!!" ends after the last '!').
std::size_t warning_end(std::string_view text, const Word& w) {
  std::size_t end = w.end;
  for (int words = 0; words < 4;) {
    std::size_t j = end;
    while (j < text.size() && (is_marker_punct(text[j]) || text[j] == '!' || text[j] == '-' ||
                               text[j] == '.')) {
      ++j;
    }
    if (j > end) {
      end = j;
      continue;
    }
    while (j < text.size() && text[j] == ' ') ++j;
    std::size_t begin = j;
    while (j < text.size() && is_alpha(text[j])) ++j;
    if (j == begin || !one_of(to_lower(text.substr(begin, j - begin)), kWarningWordsAfter)) break;
    end = j;
    ++words;
  }
  return end;
}

bool has_alnum(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return is_alnum(c); });
}

// Returns the position of the next "spoil" (any case) at or after `from`, or npos.
std::size_t find_spoil(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i + 5 <= text.size(); ++i) {
    char c = text[i];
    if ((c == 's' || c == 'S') && iequals_at(text, i + 1, "poil")) return i;
  }
  return std::string_view::npos;
}

// ---- reveal cues ----

// Each cue is matched at word boundaries, lowercase. Kept general: deaths and endings.
constexpr std::array<std::string_view, 44> kRevealCues = {
    "dies",          "died",           "dying",         "death of",      "to his death",
    "to her death",  "killed",         "kills",         "murdered",      "murders",
    "suicide",       "drowns",         "drowned",       "executed",      "is shot",
    "shot dead",     "sacrifices himself", "sacrifices herself", "perishes", "dead body",
    "crushed body",  "in the end",     "at the end",    "the ending",    "ends with",
    "ends up",       "finale",         "final scene",   "final shot",    "last scene",
    "final request", "last words",     "dying wish",    "last wish",     "turns out",
    "it is revealed", "is revealed",   "revealed to be", "real identity", "twist",
    "never dance again", "takes her own life", "takes his own life", "is killed"};

bool cue_at(std::string_view lower_text, std::size_t pos, std::string_view cue) {
  if (lower_text.compare(pos, cue.size(), cue) != 0) return false;
  if (pos > 0 && (is_alnum(lower_text[pos - 1]) || lower_text[pos - 1] == '-')) return false;
  std::size_t end = pos + cue.size();
  return end >= lower_text.size() || !(is_alnum(lower_text[end]) || lower_text[end] == '-');
}

bool has_reveal_cue(std::string_view lower_sentence) {
  for (std::size_t i = 0; i < lower_sentence.size(); ++i) {
    if (i > 0 && is_alnum(lower_sentence[i - 1])) continue;
    for (std::string_view cue : kRevealCues) {
      if (lower_sentence[i] == cue[0] && cue_at(lower_sentence, i, cue)) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<SpoilerSpan> merge_spoiler_spans(std::vector<SpoilerSpan> spans) {
  std::sort(spans.begin(), spans.end(), [](const SpoilerSpan& a, const SpoilerSpan& b) {
    return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
  });
  std::vector<SpoilerSpan> merged;
  for (const SpoilerSpan& s : spans) {
    if (s.end <= s.begin) continue;
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

// One pass over the text: every "spoil" is looked at once, with bounded look-around (a few
// words either side), so the cost is linear in the text. Verb forms ("spoil", "spoiled",
// "spoiling") are never warnings; only the noun is.
std::vector<SpoilerSpan> find_inline_spoilers(std::string_view text) {
  std::vector<SpoilerSpan> spans;
  bool open = false;
  std::size_t open_begin = 0;
  std::size_t pos = 0;
  while ((pos = find_spoil(text, pos)) != std::string_view::npos) {
    Word w = word_at(text, pos);
    pos = w.end;
    std::string word = to_lower(text.substr(w.begin, w.end - w.begin));
    if (word != "spoiler" && word != "spoilers") continue;
    Occurrence occurrence = classify(text, w);
    if (open && occurrence == Occurrence::kEnd) {
      // The end marker belongs to the span: "...he dies. END SPOILERS***".
      std::size_t end = warning_end(text, w);
      if (!word_after(text, w.end).empty()) {
        // "spoilers end": take the following word too.
        std::size_t j = w.end;
        while (j < text.size() && !is_alpha(text[j])) ++j;
        while (j < text.size() && is_alpha(text[j])) ++j;
        std::string after = word_after(text, w.end);
        if (after == "end" || after == "ends" || after == "over" || after == "done" ||
            after == "finished") {
          end = j;
          while (end < text.size() && (is_marker_punct(text[end]) || text[end] == '!' ||
                                       text[end] == '.' || text[end] == '-')) {
            ++end;
          }
        }
      }
      spans.push_back({open_begin, end});
      open = false;
      pos = end;
    } else if (!open && occurrence == Occurrence::kStart) {
      open = true;
      open_begin = warning_begin(text, w);
      std::size_t phrase_end = warning_end(text, w);
      pos = phrase_end;
      // A warning with nothing after it ("Great film. (Contains spoilers)") flags what came
      // before: the whole text.
      if (!has_alnum(text.substr(phrase_end))) open_begin = 0;
    }
  }
  if (open) spans.push_back({open_begin, text.size()});
  return merge_spoiler_spans(std::move(spans));
}

bool is_spoiler_heading(std::string_view heading) {
  std::string h = to_lower(heading);
  for (std::string_view negated :
       {"spoiler-free", "spoiler free", "spoilerfree", "no spoiler", "without spoiler",
        "spoilerless", "non-spoiler", "nonspoiler"}) {
    if (h.find(negated) != std::string::npos) return false;
  }
  for (std::string_view cue : {"spoiler", "ending", "twist"}) {
    for (std::size_t p = h.find(cue); p != std::string::npos; p = h.find(cue, p + 1)) {
      bool starts = p == 0 || !is_alpha(h[p - 1]);
      std::size_t e = p + cue.size();
      while (e < h.size() && h[e] == 's') ++e;  // spoilers, endings, twists
      bool ends = e >= h.size() || !is_alpha(h[e]);
      if (starts && ends) return true;
    }
  }
  return false;
}

std::vector<SpoilerSpan> find_reveal_spoilers(std::string_view text) {
  std::vector<SpoilerSpan> spans;
  std::string lower_text = to_lower(text);
  std::size_t line_begin = 0;
  while (line_begin < text.size()) {
    std::size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    // Sentences end at . ! ? followed by a space (or the line end).
    std::size_t sentence_begin = line_begin;
    while (sentence_begin < line_end) {
      std::size_t i = sentence_begin;
      while (i < line_end && !((text[i] == '.' || text[i] == '!' || text[i] == '?') &&
                               (i + 1 == line_end || is_space(text[i + 1])))) {
        ++i;
      }
      std::size_t sentence_end = std::min(line_end, i + 1);
      std::string_view sentence(lower_text.data() + sentence_begin, sentence_end - sentence_begin);
      if (has_reveal_cue(sentence)) {
        std::size_t b = sentence_begin;
        while (b < line_end && is_space(text[b])) ++b;
        spans.push_back({b, line_end});
        break;
      }
      sentence_begin = sentence_end;
    }
    line_begin = line_end + 1;
  }
  return merge_spoiler_spans(std::move(spans));
}

}  // namespace filmsearch::corpus
