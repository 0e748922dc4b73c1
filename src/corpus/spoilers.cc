#include "corpus/spoilers.h"

#include "corpus/spoiler_features.h"
#include "corpus/spoiler_model.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
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

// ---- authors' markup and warnings in other languages, as data ----

// A markup pair: text between `open` and `close` is what its author hid. `to_end`: an unclosed
// `open` runs to the end of the text (forum tags); otherwise it marks nothing (">!" and "||" are
// ordinary punctuation when unpaired).
struct MarkupPair {
  std::string_view open;   // lowercase; matched ASCII case-insensitively
  std::string_view close;
  bool to_end;
};
constexpr std::array<MarkupPair, 6> kMarkup = {{
    {"[spoiler]", "[/spoiler]", true},       // BBCode
    {"[spoiler=", "[/spoiler]", true},       // BBCode with a title
    {"[[spoiler:", "]]", true},              // TV Tropes
    {"<spoiler>", "</spoiler>", true},
    {">!", "!<", false},                     // Reddit
    {"||", "||", false},                     // Discord
}};

// Warnings outside English: each opens a span to an end marker or the end of the text, unless
// it lies inside a negation. Lowercase (ASCII letters are matched case-insensitively).
constexpr std::array<std::string_view, 31> kTabledWarnings = {
    "剧透", "劇透", "有剧透", "有劇透", "以下剧透", "含剧透", "剧透预警", "剧透警告", "ネタバレ", "스포일러", "스포 주의", "스포주의", "스포 있음", "스포있음",
    "[스포]", "(스포)", "spoilerwarnung", "spoiler-warnung", "achtung spoiler", "enthält spoiler",
    "enthaelt spoiler", "alerte spoiler", "attention spoiler", "contient des spoiler",
    "alerta de spoiler", "alerta spoiler", "contiene spoiler", "contém spoiler", "tem spoiler",
    "attenzione spoiler", "avviso spoiler"};
constexpr std::array<std::string_view, 6> kTabledEndMarkers = {
    "剧透结束", "劇透結束", "以上剧透", "ネタバレ終わり", "스포 끝", "spoiler ende"};
// Negations: a warning inside one of these never tags, and a text holding one denies spoilers.
constexpr std::array<std::string_view, 43> kNegations = {
    "无剧透", "無劇透", "没有剧透", "沒有劇透", "不剧透", "不劇透", "零剧透", "防剧透", "不含剧透",
    "ネタバレなし", "ネタバレ無し", "ネタバレ無", "ネタバレしない", "ネタバレ抜き", "ネタバレを含みません",
    "ノーネタバレ", "스포 없음", "스포없음", "스포일러 없음", "스포일러없음", "노스포", "스포 없는",
    "스포일러 없는", "spoilerfrei", "ohne spoiler", "keine spoiler", "kein spoiler", "sans spoiler",
    "pas de spoiler", "sin spoiler", "sem spoiler", "senza spoiler", "no spoiler", "spoiler-free",
    "spoiler free", "spoilerfree", "spoiler-less", "spoilerless", "non-spoiler", "nonspoiler",
    "without spoil", "won't spoil", "wonât spoil"};

std::size_t find_lower(const std::string& lower_text, std::string_view needle, std::size_t from) {
  return lower_text.find(needle, from);
}

std::vector<SpoilerSpan> find_markup_spans(std::string_view text) {
  std::vector<SpoilerSpan> spans;
  if (text.find_first_of("[<>|") == std::string_view::npos) return spans;
  const std::string lower_text = to_lower(text);
  for (const MarkupPair& m : kMarkup) {
    std::size_t from = 0;
    while (true) {
      const std::size_t open = find_lower(lower_text, m.open, from);
      if (open == std::string::npos) break;
      const std::size_t close = find_lower(lower_text, m.close, open + m.open.size());
      if (close == std::string::npos) {
        if (m.to_end) spans.push_back({open, text.size()});
        break;
      }
      const std::size_t end = close + m.close.size();
      if (close > open + m.open.size()) spans.push_back({open, end});
      from = end;
    }
  }
  return spans;
}

// Byte ranges of every negation in `lower_text`.
std::vector<SpoilerSpan> find_negations(const std::string& lower_text) {
  std::vector<SpoilerSpan> found;
  for (std::string_view n : kNegations) {
    for (std::size_t p = lower_text.find(n); p != std::string::npos;
         p = lower_text.find(n, p + n.size())) {
      found.push_back({p, p + n.size()});
    }
  }
  return merge_spoiler_spans(std::move(found));
}

std::vector<SpoilerSpan> find_tabled_warnings(std::string_view text) {
  std::vector<SpoilerSpan> spans;
  bool non_ascii = false;
  for (char c : text) non_ascii = non_ascii || static_cast<unsigned char>(c) >= 0x80;
  const std::string lower_text = to_lower(text);
  // Latin-script warnings all hold "spoiler"; the rest are non-ASCII.
  if (!non_ascii && lower_text.find("spoiler") == std::string::npos) return spans;
  const std::vector<SpoilerSpan> negations = find_negations(lower_text);
  std::size_t from = 0;
  while (from < lower_text.size()) {
    std::size_t best = std::string::npos;
    std::size_t best_len = 0;
    for (std::string_view w : kTabledWarnings) {
      const std::size_t p = lower_text.find(w, from);
      if (p != std::string::npos && (p < best || (p == best && w.size() > best_len))) {
        best = p;
        best_len = w.size();
      }
    }
    if (best == std::string::npos) break;
    // Latin warnings stand as words: "enthält spoiler" but not "xenthält spoilers".
    const bool latin = is_alpha(lower_text[best]);
    if ((latin && best > 0 && is_alpha(lower_text[best - 1])) ||
        overlaps_spoiler(negations, best, best + best_len)) {
      from = best + best_len;
      continue;
    }
    std::size_t end = text.size();
    for (std::string_view m : kTabledEndMarkers) {
      const std::size_t p = lower_text.find(m, best + best_len);
      if (p != std::string::npos) end = std::min(end, p + m.size());
    }
    spans.push_back({best, end});
    from = end;
  }
  return spans;
}

}  // namespace

std::vector<SpoilerSpan> merge_spoiler_spans(std::vector<SpoilerSpan> spans) {
  std::sort(spans.begin(), spans.end(), [](const SpoilerSpan& a, const SpoilerSpan& b) {
    return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
  });
  std::vector<SpoilerSpan> merged;
  for (const SpoilerSpan& s : spans) {
    if (s.end <= s.begin) continue;
    if (merged.empty()) {
      merged.push_back(s);
      continue;
    }
    SpoilerSpan& last = merged.back();
    if (s.begin < last.end || (s.begin == last.end && s.confidence == last.confidence)) {
      last.end = std::max(last.end, s.end);
      last.confidence = std::max(last.confidence, s.confidence);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

bool overlaps_spoiler(const std::vector<SpoilerSpan>& spans, std::size_t begin, std::size_t end) {
  // The first span ending after `begin` is the only one that can overlap first.
  const auto it = std::upper_bound(spans.begin(), spans.end(), begin,
                                   [](std::size_t b, const SpoilerSpan& s) { return b < s.end; });
  return it != spans.end() && it->begin < end && begin < end;
}

// One pass over the text: every "spoil" is looked at once, with bounded look-around (a few
// words either side), so the cost is linear in the text. Verb forms ("spoil", "spoiled",
// "spoiling") are never warnings; only the noun is.
std::vector<SpoilerSpan> find_inline_spoilers(std::string_view text) {
  std::vector<SpoilerSpan> spans;
  bool open = false;
  std::size_t open_begin = 0;
  std::size_t pos = 0;
  // Inside authors' markup ("[[spoiler:", "[spoiler]"), the markup decides.
  const std::vector<SpoilerSpan> markup = merge_spoiler_spans(find_markup_spans(text));
  while ((pos = find_spoil(text, pos)) != std::string_view::npos) {
    Word w = word_at(text, pos);
    pos = w.end;
    if (!open && overlaps_spoiler(markup, w.begin, w.end)) continue;
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
  for (const SpoilerSpan& m : markup) spans.push_back(m);
  for (const SpoilerSpan& m : find_tabled_warnings(text)) spans.push_back(m);
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

bool denies_spoilers(std::string_view text) {
  const std::string lower_text = to_lower(text);
  static constexpr std::array<std::string_view, 14> kEnglish = {
      "not spoil", "don't want to spoil", "do not want to spoil", "without giving away",
      "without revealing", "won't give away", "won't reveal", "will not reveal", "not reveal",
      "without any spoil", "no major spoil", "not going to spoil", "avoid spoil",
      "won't give anything away"};
  for (std::string_view n : kEnglish) {
    if (lower_text.find(n) != std::string::npos) return true;
  }
  return !find_negations(lower_text).empty();
}

bool is_spoiler_disclaimer(std::string_view line) {
  if (line.size() > 160) return false;
  const std::string l = to_lower(line);
  static constexpr std::array<std::string_view, 19> kCues = {
      "may give away", "might give away", "gives away", "will give away", "may reveal",
      "reveals the ending", "may contain spoilers", "contains spoilers", "spoiler warning",
      "spoiler heavy", "spoiler-heavy", "spoilers ahead", "spoilers below", "spoilers follow",
      "full of spoilers", "mind spoilers", "disclose major", "discloses major", "major plot points"};
  for (std::string_view cue : kCues) {
    const std::size_t p = l.find(cue);
    if (p == std::string::npos) continue;
    // "won't give away", "does not give away", "no spoilers ahead": negated.
    const std::vector<std::string> before = words_before(l, p, 4);
    if (std::any_of(before.begin(), before.end(), [](const std::string& w) {
          return w == "not" || w == "no" || w == "without" || w == "never" || w.ends_with("n't") || w.ends_with("n\xE2\x80\x99t");
        })) {
      continue;
    }
    return true;
  }
  const std::vector<SpoilerSpan> spans = find_inline_spoilers(line);
  return !spans.empty() && spans[0].begin == 0 && line.size() < 60;
}

int count_reveal_cues(std::string_view text) {
  // The cues by their first byte: the learned tagger asks this of every sentence.
  static const auto* buckets = [] {
    auto* b = new std::array<std::vector<std::string_view>, 256>();
    for (std::string_view cue : kRevealCues) (*b)[static_cast<unsigned char>(cue[0])].push_back(cue);
    return b;
  }();
  const std::string lower_text = to_lower(text);
  int count = 0;
  for (std::size_t i = 0; i < lower_text.size(); ++i) {
    if (i > 0 && is_alnum(lower_text[i - 1])) continue;
    for (std::string_view cue : (*buckets)[static_cast<unsigned char>(lower_text[i])]) {
      if (cue_at(lower_text, i, cue)) ++count;
    }
  }
  return count;
}

namespace {

bool is_english(const Record& record) {
  return record.lang.empty() || record.lang == "en" || record.lang.starts_with("en-") ||
         record.lang.starts_with("en_");
}

// Spans [begin, end) of `spans` that no span of `taken` overlaps.
std::vector<SpoilerSpan> not_in(const std::vector<SpoilerSpan>& spans,
                                const std::vector<SpoilerSpan>& taken) {
  std::vector<SpoilerSpan> out;
  for (const SpoilerSpan& s : spans) {
    if (!overlaps_spoiler(taken, s.begin, s.end)) out.push_back(s);
  }
  return out;
}

// Sections that tell the story, where a death or an ending named is a reveal.
bool tells_story(SectionKind kind) {
  return kind == SectionKind::kPlot || kind == SectionKind::kFaq || kind == SectionKind::kQuote;
}

// Sections about the film that the learned tagger reads (apply_spoiler_policy says why).
bool learned_tagger_reads(SectionKind kind) {
  return kind == SectionKind::kSynopsis || kind == SectionKind::kReview || tells_story(kind) ||
         kind == SectionKind::kTrivia;
}

void tag_section(Section& section, bool learned) {
  if (section.spoilers_given) return;
  std::vector<SpoilerSpan> spans = std::move(section.spoiler_spans);
  for (const SpoilerSpan& s : find_inline_spoilers(section.text)) spans.push_back(s);
  if (tells_story(section.kind)) {
    for (const SpoilerSpan& s : find_reveal_spoilers(section.text)) spans.push_back(s);
  }
  spans = merge_spoiler_spans(std::move(spans));
  std::vector<SpoilerSpan> possible;
  const SpoilerModel& model = SpoilerModel::builtin();
  const bool all = spans.size() == 1 && spans[0].begin == 0 && spans[0].end == section.text.size();
  if (learned && !model.empty() && !all && learned_tagger_reads(section.kind)) {
    const std::vector<spoiler_features::Sentence> sentences =
        spoiler_features::split_sentences(section.text);
    std::vector<std::string_view> views;
    views.reserve(sentences.size());
    for (const auto& s : sentences) {
      views.push_back(std::string_view(section.text).substr(s.begin, s.end - s.begin));
    }
    const std::vector<float> p = model.score(views);
    // A text that says it holds no spoilers gets no certain-looking learned spans: they are
    // possible ones. Looked up only when a sentence reaches the tag threshold.
    std::optional<bool> denied;
    std::vector<SpoilerSpan> tagged;
    for (std::size_t i = 0; i < sentences.size(); ++i) {
      const SpoilerSpan span{sentences[i].begin, sentences[i].end,
                             std::min(p[i], kMaxLearnedConfidence)};
      if (p[i] >= model.tag_threshold()) {
        if (!denied) denied = denies_spoilers(section.text);
        (*denied ? possible : tagged).push_back(span);
      } else if (p[i] >= model.hide_threshold()) {
        possible.push_back(span);
      }
    }
    for (const SpoilerSpan& s : not_in(tagged, spans)) spans.push_back(s);
    spans = merge_spoiler_spans(std::move(spans));
    possible = not_in(merge_spoiler_spans(std::move(possible)), spans);
  }
  section.spoiler_spans = std::move(spans);
  section.possible_spoiler_spans = std::move(possible);
}

}  // namespace

void apply_spoiler_policy(Record& record, const SpoilerPolicyOptions& options) {
  const bool learned = options.learned && is_english(record);
  for (Section& section : record.sections) tag_section(section, learned);
}

// Bump when a rule changes what is tagged (the model's own changes show in its fingerprint):
// indexes recording another version are re-tagged by `filmsearch-index --retag`.
// 2: learned confidences capped at kMaxLearnedConfidence; versions recorded in indexes.
constexpr int kSpoilerPolicyVersion = 2;

std::string spoiler_tagger_version(const SpoilerPolicyOptions& options) {
  const SpoilerModel& model = SpoilerModel::builtin();
  std::string version = "policy " + std::to_string(kSpoilerPolicyVersion);
  if (!options.learned || model.empty()) return version + ", rules only";
  return version + ", model " + model.fingerprint();
}

void retag_spoilers(Record& record, const SpoilerPolicyOptions& options) {
  for (Section& section : record.sections) {
    if (section.spoilers_given) continue;
    std::erase_if(section.spoiler_spans,
                  [](const SpoilerSpan& s) { return s.confidence < 1.0F; });
    section.possible_spoiler_spans.clear();
  }
  apply_spoiler_policy(record, options);
}

}  // namespace filmsearch::corpus
