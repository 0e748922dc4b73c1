#include "text/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <limits>

#include "error.h"
#include "text/analyzer_internal.h"

namespace filmsearch::text {
namespace {

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status)) {
    throw Error(std::string("ICU ") + what + ": " + u_errorName(status));
  }
}

// Owns a UText over UTF-8; closes it on scope exit.
struct Utf8Text {
  UText* ut = nullptr;
  Utf8Text(std::string_view s) {
    UErrorCode status = U_ZERO_ERROR;
    ut = utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &status);
    check(status, "utext_openUTF8");
  }
  ~Utf8Text() { utext_close(ut); }
  Utf8Text(const Utf8Text&) = delete;
  Utf8Text& operator=(const Utf8Text&) = delete;
};

struct BreakIteratorCloser {
  void operator()(UBreakIterator* bi) const { ubrk_close(bi); }
};
using BreakIteratorPtr = std::unique_ptr<UBreakIterator, BreakIteratorCloser>;

BreakIteratorPtr open_break_iterator(UBreakIteratorType type, const char* locale = "") {
  UErrorCode status = U_ZERO_ERROR;
  BreakIteratorPtr bi(ubrk_open(type, locale, nullptr, 0, &status));
  check(status, "ubrk_open");
  return bi;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Accents are removed only after letters of scripts where people type without them; a mark after
// kana (dakuten) or Indic letters changes the letter and is kept.
bool strips_marks(UChar32 base) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(base, &status);
  return U_SUCCESS(status) &&
         (script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_CYRILLIC);
}

bool is_apostrophe(UChar32 c) { return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0xFF07; }

// NFKC + case fold, accent removal, curly apostrophes to ASCII; the slow path for non-ASCII text.
std::string fold_unicode(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  check(status, "NFKC_Casefold");
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  check(status, "NFD");
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  check(status, "NFC");

  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded = nfkc_cf->normalize(s, status);
  check(status, "normalize");
  icu::UnicodeString decomposed = nfd->normalize(folded, status);
  check(status, "normalize");

  icu::UnicodeString kept;
  UChar32 base = 0;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK && strips_marks(base)) continue;
    if (is_apostrophe(c)) c = '\'';
    if (u_charType(c) != U_NON_SPACING_MARK) base = c;
    kept.append(c);
  }
  icu::UnicodeString composed = nfc->normalize(kept, status);
  check(status, "normalize");
  std::string out;
  composed.toUTF8String(out);
  return out;
}

std::string fold_word(std::string_view word) {
  std::string out;
  if (is_ascii(word)) {
    out.assign(word);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  } else {
    out = fold_unicode(word);
  }
  // "Vicky's" finds "Vicky": drop a possessive ending whatever the language's stemmer does.
  if (out.size() > 2 && out.compare(out.size() - 2, 2, "'s") == 0) out.resize(out.size() - 2);
  // "d'Amélie" finds "Amélie", "l'amour" "amour": French and Italian elisions are not words.
  const std::size_t apostrophe = out.find('\'');
  if (apostrophe != std::string::npos && apostrophe + 2 < out.size()) {
    static const std::string_view kElisions[] = {"l",   "d",    "j",     "m",      "n",
                                                 "s",   "t",    "c",     "qu",     "jusqu",
                                                 "lorsqu", "puisqu", "dell", "dall", "nell",
                                                 "sull", "all", "un"};
    const std::string_view head(out.data(), apostrophe);
    for (std::string_view e : kElisions) {
      if (head == e) {
        out.erase(0, apostrophe + 1);
        break;
      }
    }
  }
  return out;
}


// Word break classes of ASCII bytes as ICU 72's root word rules use them (UAX #29 Word_Break,
// tailored: the colon is not MidLetter, '@' counts as a letter). Checked against ICU by
// tests/text/ascii_words_test.cc.
enum class Wb : std::uint8_t { kOther, kLetter, kNumeric, kMidNumLet, kSingleQuote, kMidNum,
                               kExtendNumLet };

Wb wb_class(unsigned char c) {
  if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '@') return Wb::kLetter;
  if (c >= '0' && c <= '9') return Wb::kNumeric;
  switch (c) {
    case '.': return Wb::kMidNumLet;
    case '\'': return Wb::kSingleQuote;
    case ',': case ';': return Wb::kMidNum;
    case '_': return Wb::kExtendNumLet;
    default: return Wb::kOther;
  }
}

TokenKind kind_of(int32_t rule_status) {
  if (rule_status >= UBRK_WORD_KANA && rule_status < UBRK_WORD_IDEO_LIMIT) {
    return TokenKind::kIdeographic;
  }
  if (rule_status >= UBRK_WORD_NUMBER && rule_status < UBRK_WORD_NUMBER_LIMIT) {
    return TokenKind::kNumber;
  }
  return TokenKind::kWord;
}

}  // namespace

struct Analyzer::Impl {
  BreakIteratorPtr words = open_break_iterator(UBRK_WORD);
  std::vector<internal::AsciiWord> ascii_words;  // scratch for tokenize
  // "ss=standard": ICU's sentence-break suppressions (CLDR's abbreviations: Mr., Mrs., Dr.,
  // St., etc.), so a snippet's sentence is not cut after an abbreviation.
  BreakIteratorPtr sentences = open_break_iterator(UBRK_SENTENCE, "en@ss=standard");
};

namespace internal {

void ascii_words(std::string_view ascii, std::vector<AsciiWord>* out) {
  out->clear();
  const std::size_t n = ascii.size();
  auto cls = [&](std::size_t i) { return i < n ? wb_class(ascii[i]) : Wb::kOther; };
  constexpr std::int32_t kLetter = UBRK_WORD_LETTER, kNumber = UBRK_WORD_NUMBER;
  std::size_t i = 0;
  while (i < n) {
    const Wb first = cls(i);
    if (first != Wb::kLetter && first != Wb::kNumeric && first != Wb::kExtendNumLet) {
      ++i;
      continue;
    }
    // Extend the word while a rule joins the last character to the next (WB5-WB13b); its
    // status is that of the last rule applied.
    const std::size_t begin = i;
    std::int32_t status = first == Wb::kLetter ? kLetter
                          : first == Wb::kNumeric ? kNumber
                                                  : UBRK_WORD_NONE;
    Wb last = first;
    ++i;
    for (;;) {
      const Wb next = cls(i);
      if (next == Wb::kLetter) {  // WB5, WB10, WB13b
        status = kLetter;
      } else if (next == Wb::kNumeric) {  // WB8, WB9, WB13b: ICU counts "a1" as a number
        status = kNumber;
      } else if (next == Wb::kExtendNumLet) {  // WB13a
        status = last == Wb::kNumeric ? kNumber : kLetter;
      } else if (last == Wb::kLetter && cls(i + 1) == Wb::kLetter &&
                 (next == Wb::kMidNumLet || next == Wb::kSingleQuote)) {  // WB6, WB7
        status = kLetter;
        ++i;
      } else if (last == Wb::kNumeric && cls(i + 1) == Wb::kNumeric &&
                 (next == Wb::kMidNum || next == Wb::kMidNumLet ||
                  next == Wb::kSingleQuote)) {  // WB11, WB12
        status = kNumber;
        ++i;
      } else {
        break;
      }
      last = cls(i);
      ++i;
    }
    if (status >= UBRK_WORD_NONE_LIMIT) {
      out->push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(i), status});
    }
  }
}

void tokenize_with_icu(const Analyzer& analyzer, std::string_view utf8, std::vector<Token>* out) {
  analyzer.tokenize_icu(utf8, out, 0);
}

}  // namespace internal

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

void Analyzer::tokenize(std::string_view utf8, std::vector<Token>* out,
                        std::uint32_t first_position) const {
  out->clear();
  if (utf8.size() > std::numeric_limits<std::uint32_t>::max()) {
    utf8 = utf8.substr(0, std::numeric_limits<std::uint32_t>::max());
  }
  if (utf8.empty()) return;
  if (!is_ascii(utf8)) {
    tokenize_icu(utf8, out, first_position);
    return;
  }
  // ASCII text (most of filmbench): the same words without ICU's break iterator, about N times
  // faster (internal::ascii_words is tested against ICU exhaustively on short strings).
  std::uint32_t position = first_position;
  internal::ascii_words(utf8, &impl_->ascii_words);
  for (const auto& word : impl_->ascii_words) {
    Token token;
    token.text = fold_word(utf8.substr(word.begin, word.end - word.begin));
    if (token.text.empty()) continue;
    token.begin = word.begin;
    token.end = word.end;
    token.position = position++;
    token.kind = kind_of(word.status);
    out->push_back(std::move(token));
  }
}

void Analyzer::tokenize_icu(std::string_view utf8, std::vector<Token>* out,
                            std::uint32_t first_position) const {
  out->clear();
  if (utf8.empty()) return;
  Utf8Text text(utf8);
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator* bi = impl_->words.get();
  ubrk_setUText(bi, text.ut, &status);
  check(status, "ubrk_setUText");
  std::uint32_t position = first_position;
  int32_t begin = ubrk_first(bi);
  for (int32_t end = ubrk_next(bi); end != UBRK_DONE; begin = end, end = ubrk_next(bi)) {
    int32_t status_code = ubrk_getRuleStatus(bi);
    if (status_code < UBRK_WORD_NONE_LIMIT) continue;
    std::string_view raw = utf8.substr(begin, end - begin);
    Token token;
    token.text = fold_word(raw);
    if (token.text.empty()) continue;
    token.begin = static_cast<std::uint32_t>(begin);
    token.end = static_cast<std::uint32_t>(end);
    token.position = position++;
    token.kind = kind_of(status_code);
    out->push_back(std::move(token));
  }
}

std::vector<Token> Analyzer::tokenize(std::string_view utf8) const {
  std::vector<Token> tokens;
  tokenize(utf8, &tokens);
  return tokens;
}

std::vector<ByteRange> Analyzer::sentences(std::string_view utf8) const {
  std::vector<ByteRange> out;
  if (utf8.empty()) return out;
  if (utf8.size() > std::numeric_limits<std::uint32_t>::max()) {
    utf8 = utf8.substr(0, std::numeric_limits<std::uint32_t>::max());
  }
  Utf8Text text(utf8);
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator* bi = impl_->sentences.get();
  ubrk_setUText(bi, text.ut, &status);
  check(status, "ubrk_setUText");
  // An initial ("D. W. Griffith", "John C. Reilly": one capital letter and a period after a
  // space) ends no sentence; CLDR's suppressions list words, not initials, and miss a few titles
  // of names that ICU 72 then breaks after ("Dr. No").
  auto ends_with_initial = [&](std::size_t begin, std::size_t end) {
    while (end > begin && (utf8[end - 1] == ' ' || utf8[end - 1] == '\n')) --end;
    if (end - begin < 2 || utf8[end - 1] != '.') return false;
    static constexpr std::string_view kTitles[] = {"Dr.",  "St.",  "Mt.",  "Prof.", "Gen.",
                                                   "Col.", "Capt.", "Lt.", "Sgt.",  "Rev."};
    const std::string_view sentence = utf8.substr(begin, end - begin);
    for (std::string_view t : kTitles) {
      if (sentence.size() >= t.size() && sentence.substr(sentence.size() - t.size()) == t &&
          (sentence.size() == t.size() || sentence[sentence.size() - t.size() - 1] == ' ')) {
        return true;
      }
    }
    const char letter = utf8[end - 2];
    if (letter < 'A' || letter > 'Z') return false;
    return end - begin == 2 || utf8[end - 3] == ' ' || utf8[end - 3] == '.';
  };
  int32_t begin = ubrk_first(bi);
  for (int32_t end = ubrk_next(bi); end != UBRK_DONE; begin = end, end = ubrk_next(bi)) {
    const auto b = static_cast<std::size_t>(begin), e = static_cast<std::size_t>(end);
    if (!out.empty() && ends_with_initial(out.back().begin, out.back().end)) {
      out.back().end = e;
      continue;
    }
    out.push_back({b, e});
  }
  return out;
}

std::string Analyzer::fold(std::string_view utf8) { return fold_word(utf8); }

std::vector<Compound> hyphen_compounds(std::string_view utf8, const std::vector<Token>& tokens) {
  // '-', U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN; not dashes, which separate.
  auto joined = [&](const Token& a, const Token& b) {
    if (b.begin < a.end || b.end > utf8.size()) return false;
    const std::string_view gap = utf8.substr(a.end, b.begin - a.end);
    return gap == "-" || gap == "\u2010" || gap == "\u2011";
  };
  // Words only: "1995-2002" and "8-10" are ranges, "PG-13" a rating, not names.
  auto joinable = [](const Token& t) { return t.kind == TokenKind::kWord; };
  std::vector<Compound> out;
  std::size_t first = 0;
  for (std::size_t i = 1; i <= tokens.size(); ++i) {
    if (i < tokens.size() && joinable(tokens[i]) && joinable(tokens[i - 1]) &&
        joined(tokens[i - 1], tokens[i])) {
      continue;
    }
    if (i - first >= 2) {
      Compound c{first, i, {}};
      for (std::size_t k = first; k < i; ++k) c.word += tokens[k].text;
      out.push_back(std::move(c));
    }
    first = i;
  }
  return out;
}

}  // namespace filmsearch::text
