#include "search/query_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>

#include "index/document_builder.h"
#include "index/schema.h"
#include "index/terms.h"
#include "search/stored_phrase.h"
#include "text/analyzer.h"

namespace filmsearch::search {
namespace {

namespace schema = index::schema;

// Deeper brackets than this are read as plain text: bounds the recursion on hostile input.
constexpr int kMaxDepth = 32;
// A bracketed tag such as "[TOMT]" or "[Movie][2000s]" is at most this long (bytes, with brackets).
constexpr std::size_t kMaxTagBytes = 24;
// A free-text query with at least this many loose words is a description ("the movie where...").
constexpr std::size_t kLongQueryWords = 8;
// What a film titled exactly as the query is written adds to its score (index::title_key_term),
// and one titled so after a leading article ("Music Man": "The Music Man"). Constants, not
// BM25: a title's weight must not fall with the length of the film's plot. Measured on the
// whole-title queries of bench/query's short set (223) and on 300 titles typed without their
// "The" (bench/README.md, "titles typed whole"): a film of that title first in 0.592 / 0.687
// of them without a bonus, 0.987 / 0.990 with 10 and 5 (5 and 3: 0.991 / 0.947; 10 and 7:
// 0.982 / 0.997); above 10 nothing changes. The dev questions are never a whole title: MRR@10 the same.
constexpr double kExactTitleWeight = 10.0;
constexpr double kArticleTitleWeight = 5.0;
// Typo tolerance (ParseOptions::typos): a word in at most this many documents is checked for a
// close spelling, taken when it is in none or the spelling is this many times more frequent;
// what a close spelling weighs beside the word as typed.
constexpr Xapian::doccount kRareWordDocs = 2;
constexpr Xapian::doccount kFarMoreCommon = 20;
constexpr double kTypoWeight = 0.5;

// Words of "what's that movie where..." questions that say nothing about the film itself.
// Dropped only from long descriptive queries, where the remaining words carry the evidence.
const std::unordered_set<std::string_view>& question_words() {
  static const std::unordered_set<std::string_view> kWords = {
      "movie",   "movies",  "film",    "films",     "remember", "remembered", "recall",
      "watched", "watch",   "watching", "saw",      "seen",     "see",        "anyone",
      "anybody", "someone", "somebody", "help",     "please",   "thanks",     "thank",
      "know",    "knows",   "looking", "trying",    "find",     "finding",    "name",
      "tomt",    "vaguely", "kind",    "sort",      "maybe",    "probably",   "pretty",
      "sure",    "think",   "thought", "guess",     "believe",  "anything",   "appreciated",
      "advance", "edit",    "update",  "solved",    "childhood", "kid",       "ago",
      "years",   "year",    "time",    "scene",     "scenes",   "plot",       "story",
      "things",  "thing",   "stuff",   "happens",   "happened", "part",       "parts",
      "point",   "around",  "old",     "oldish",    "idea",     "tv",         "seem",
      "seems",   "seemed",  "though",  "either",    "already",  "way",        "clue",
      "memory",  "memories", "details", "detail",   "specific", "exactly",    "definitely",
      "basically", "honestly", "actually", "im",    "ive",      "lol",        "hi",
      "hello",   "reddit",  "anyways", "anyway",    "google",   "googled",    "searched",
      "searching", "apologies", "sorry", "english", "think",    "says",       "said",
      "came",    "come",    "comes",   "called",    "want",     "wanted",     "get",
  };
  return kWords;
}

enum class LexKind { kWord, kPhrase, kOpen, kClose, kAnd, kOr, kNot };

struct Lexeme {
  LexKind kind = LexKind::kWord;
  std::string_view text;  // word chunk, phrase content, or field value
  std::size_t begin = 0;  // byte offset of `text` in the query
  bool negated = false;   // written with a leading '-'
  std::string field;      // lowercased field name for field:value, else empty
  bool field_phrase = false;  // field:"quoted value"
  bool as_prefix = false;     // the last word with ParseOptions::prefix_last: a prefix*
};

Lexeme make_lexeme(LexKind kind, std::string_view text, std::size_t begin, bool negated = false,
                   std::string field = {}) {
  Lexeme lx;
  lx.kind = kind;
  lx.text = text;
  lx.begin = begin;
  lx.negated = negated;
  lx.field = std::move(field);
  return lx;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\0';
}
bool is_break(char c) { return is_space(c) || c == '(' || c == ')' || c == '"'; }

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_field(std::string_view name) { return schema::find_field(name) != nullptr; }

// Removes bracketed tags ("[TOMT]", "[MOVIE][2000s]") by blanking them, so byte offsets of the
// remaining words still point into the original text.
bool is_question_tag(std::string_view content) {
  std::string c = lower_ascii(content);
  return c == "tomt" || c == "movie" || c == "film" || c == "tv" || c == "tv show" ||
         c == "tv series" || c == "short film";
}

std::string strip_tags(std::string_view text, bool* stripped) {
  std::string out(text);
  bool leading = true;  // only tags and spaces so far: "[TOMT][Movie][2000s] ..."
  std::size_t i = 0;
  while (i < out.size()) {
    if (is_space(out[i])) {
      ++i;
      continue;
    }
    std::size_t close = out[i] == '[' ? out.find(']', i) : std::string::npos;
    if (close != std::string::npos && close - i + 1 <= kMaxTagBytes &&
        out.find('[', i + 1) > close &&
        (leading || is_question_tag(std::string_view(out).substr(i + 1, close - i - 1)))) {
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(i),
                out.begin() + static_cast<std::ptrdiff_t>(close + 1), ' ');
      *stripped = true;
      i = close + 1;
      continue;
    }
    leading = false;
    ++i;  // always progress: a '[' that is not a tag is text
    while (i < out.size() && !is_space(out[i]) && out[i] != '[') ++i;
  }
  return out;
}

std::vector<Lexeme> lex(std::string_view q) {
  std::vector<Lexeme> out;
  std::size_t i = 0;
  const std::size_t n = q.size();
  while (i < n) {
    char c = q[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == '(' || c == ')') {
      out.push_back(make_lexeme(c == '(' ? LexKind::kOpen : LexKind::kClose, q.substr(i, 1), i));
      ++i;
      continue;
    }
    bool negated = false;
    if ((c == '-' || c == '+') && i + 1 < n && !is_space(q[i + 1])) {
      negated = c == '-';
      ++i;
      c = q[i];
      if (c == '(') {
        out.push_back(make_lexeme(LexKind::kOpen, q.substr(i, 1), i, negated));
        ++i;
        continue;
      }
    }
    if (c == '"') {
      std::size_t close = q.find('"', i + 1);
      if (close == std::string_view::npos) {
        ++i;  // a stray quote: what follows is read as plain words
        continue;
      }
      out.push_back(make_lexeme(LexKind::kPhrase, q.substr(i + 1, close - i - 1), i + 1, negated));
      i = close + 1;
      continue;
    }
    std::size_t start = i;
    while (i < n && !is_break(q[i])) ++i;
    std::string_view chunk = q.substr(start, i - start);
    if (!negated && (chunk == "AND" || chunk == "OR" || chunk == "NOT" || chunk == "&&" ||
                     chunk == "||")) {
      out.push_back(make_lexeme(chunk == "AND" || chunk == "&&"  ? LexKind::kAnd
                     : chunk == "OR" || chunk == "||" ? LexKind::kOr
                                                      : LexKind::kNot,
                     chunk, start));
      continue;
    }
    std::size_t colon = chunk.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      std::string field = lower_ascii(chunk.substr(0, colon));
      if (is_field(field)) {
        if (colon + 1 == chunk.size() && i < n && q[i] == '"') {
          std::size_t close = q.find('"', i + 1);
          if (close != std::string_view::npos) {
            Lexeme lx = make_lexeme(LexKind::kPhrase, q.substr(i + 1, close - i - 1), i + 1, negated, field);
            lx.field_phrase = true;
            out.push_back(lx);
            i = close + 1;
            continue;
          }
        }
        if (colon + 1 < chunk.size()) {
          out.push_back(make_lexeme(LexKind::kWord, chunk.substr(colon + 1), start + colon + 1, negated,
                         field));
          continue;
        }
      }
    }
    out.push_back(make_lexeme(LexKind::kWord, chunk, start, negated));
  }
  return out;
}

// The query tree before term selection: Xapian::Query is immutable, and which loose words
// survive (stopwords, the term cap) is only known once the whole query has been read.
struct Node {
  enum class Kind { kEmpty, kWord, kPhrase, kLeaf, kSeq, kAnd, kOr };
  Kind kind = Kind::kEmpty;
  bool negated = false;
  std::string prefix;              // kWord/kPhrase: term prefix ("" free text, "S" title...)
  std::vector<std::string> terms;  // kWord: one term; kPhrase: its terms in order
  std::string folded;              // kWord: the word as analyzed, before stemming
                                   // kPhrase: the phrase as written
  std::vector<bool> stopword;      // kPhrase: terms[k] is a stopword's (is_stopword_term)
  bool compound = false;           // kPhrase, kWord: what a hyphenated compound adds (dropped
                                   // in a long question; its phrase goes by positions only)
  Xapian::Query leaf;              // kLeaf: a finished query (wildcard, negated filter)
  std::vector<Node> children;      // kSeq / kAnd / kOr
};

// The code points of UTF-8 `s` (a byte that starts no valid sequence counts as one).
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    char32_t c = n == 1 ? b : b & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(c);
    i += n;
  }
  return out;
}

// Levenshtein distance (insert, delete, substitute), one row at a time.
std::size_t edit_distance(const std::vector<char32_t>& a, const std::vector<char32_t>& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

struct QueryParser::Impl {
  explicit Impl(std::string_view lang) : terms(lang), own_lang(lang) {}

  text::Analyzer analyzer;
  index::TermMaker terms;
  std::string own_lang;
  // TermMakers of the index's other languages, by stemmer name, kept across parses.
  std::map<std::string, std::unique_ptr<index::TermMaker>> term_makers;
  std::vector<index::TermMaker*> languages;  // those of the current index (load_languages)

  // Per-parse state.
  std::string_view query;
  const Xapian::Database* db = nullptr;
  const ParseOptions* options = nullptr;
  ParsedQuery* out = nullptr;
  std::vector<Lexeme> lexemes;
  std::size_t pos = 0;
  std::vector<text::Token> tokens;

  bool at_end() const { return pos >= lexemes.size(); }

  // Word terms of a chunk; records the query words when `record` (free-text words).
  std::vector<std::string> analyze(std::string_view chunk, std::size_t begin, bool negated,
                                   bool record, std::vector<std::string>* folded = nullptr) {
    std::vector<std::string> result;
    analyzer.tokenize(chunk, &tokens);
    for (const auto& t : tokens) {
      const std::string& term = terms.term(t);
      if (term.empty()) continue;
      result.push_back(term);
      if (folded) folded->push_back(t.text);
      if (record) {
        out->words.push_back({t.text, term, begin + t.begin, begin + t.end, negated});
      }
    }
    return result;
  }

  // The term prefix of a words field ("title", "cast"...); "" for free text and filters.
  std::string word_prefix(const std::string& field) const {
    const schema::Field* f = schema::find_field(field);
    if (f == nullptr || !f->has(schema::FieldRole::kWords)) return "";
    return std::string(f->prefix);
  }

  // A field:value lexeme that filters (genre, type, year...). Positive filters go to
  // out->filters and yield an empty node; negated ones become a leaf to AND_NOT.
  Node filter_node(const Lexeme& lx) {
    Filters f;
    const FilterReading reading = add_filter(lx.field, lx.text, &f);
    if (!reading.applied) {
      out->notes.push_back(reading.note + "; searched as words");
      return words_node(lx.text, lx.begin, lx.negated, "");
    }
    if (!reading.note.empty()) out->notes.push_back(reading.note);
    if (!lx.negated) {
      out->filters.merge(f);
      return Node{};
    }
    Node n;
    n.kind = Node::Kind::kLeaf;
    n.negated = true;
    n.leaf = filter_query(f);
    return n;
  }

  // Words joined by hyphens ("x-men", "spider-man", "well-known") are one name to the person
  // typing them, and the analyzer splits them (text::hyphen_compounds): each compound adds,
  // beside its loose words, a phrase, so the documents that have the compound rank first and
  // the others still match, and the compound written as one word ("spiderman", which the
  // indexer adds for every compound it meets), so either spelling finds the other. The phrase
  // goes by positions only (titles and names; sections with --positions): section text without
  // them is matched by the joined word and the words, as a check of its stored text for every
  // compound of a long question ("re-watch", "mid-90s") cost up to a second each (dev
  // questions: p95 68 -> 242 ms). Uses `tokens` as analyze() left them.
  void add_hyphen_compounds(std::string_view chunk, const std::string& prefix, Node* seq) {
    for (const auto& c : text::hyphen_compounds(chunk, tokens)) {
      Node phrase;
      phrase.kind = Node::Kind::kPhrase;
      phrase.prefix = prefix;
      phrase.compound = true;
      phrase.folded = std::string(chunk.substr(tokens[c.first].begin,
                                               tokens[c.last - 1].end - tokens[c.first].begin));
      for (std::size_t k = c.first; k < c.last; ++k) {
        phrase.terms.push_back(terms.term(tokens[k]));
        if (phrase.terms.back().empty()) break;  // over the term length limit
        phrase.stopword.push_back(terms.is_stopword_term(phrase.terms.back()));
      }
      if (phrase.stopword.size() != phrase.terms.size()) continue;
      const std::string joined = terms.compound_term(c);
      if (joined.empty()) continue;
      Node word;
      word.kind = Node::Kind::kWord;
      word.prefix = prefix;
      word.terms.push_back(joined);
      word.folded = c.word;
      word.compound = true;
      seq->children.push_back(std::move(phrase));
      seq->children.push_back(std::move(word));
    }
  }

  // The words of a chunk as loose OR words (a chunk such as "x-men" or a Chinese sentence may
  // hold several), with what words joined by hyphens add (add_hyphen_compounds).
  Node words_node(std::string_view chunk, std::size_t begin, bool negated,
                  const std::string& prefix) {
    std::vector<std::string> folded;
    std::vector<std::string> ts = analyze(chunk, begin, negated, prefix.empty(), &folded);
    Node seq;
    seq.kind = Node::Kind::kSeq;
    for (std::size_t i = 0; i < ts.size(); ++i) {
      Node w;
      w.kind = Node::Kind::kWord;
      w.prefix = prefix;
      w.terms.push_back(std::move(ts[i]));
      w.folded = std::move(folded[i]);
      seq.children.push_back(std::move(w));
    }
    add_hyphen_compounds(chunk, prefix, &seq);
    if (seq.children.size() == 1) {
      Node w = std::move(seq.children.front());
      w.negated = negated;
      return w;
    }
    seq.negated = negated;
    if (seq.children.empty()) return Node{};
    return seq;
  }

  Node wildcard_node(std::string_view chunk, std::size_t begin, bool negated,
                     const std::string& prefix) {
    analyzer.tokenize(chunk, &tokens);
    if (tokens.empty()) return Node{};
    // Words before the last one are plain words; the last one is the prefix.
    Node seq;
    seq.kind = Node::Kind::kSeq;
    seq.negated = negated;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      Node w = words_node(chunk.substr(tokens[i].begin, tokens[i].end - tokens[i].begin),
                          begin + tokens[i].begin, false, prefix);
      if (w.kind != Node::Kind::kEmpty) seq.children.push_back(std::move(w));
    }
    const text::Token last = tokens.back();
    const std::string& stem_prefix = last.text;  // folded; stems start like their words
    if (prefix.empty()) {
      out->words.push_back(
          {last.text, last.text, begin + last.begin, begin + last.end, negated, true});
    }
    Node leaf;
    leaf.kind = Node::Kind::kLeaf;
    leaf.leaf = expand(prefix, stem_prefix);
    if (!leaf.leaf.empty()) seq.children.push_back(std::move(leaf));
    if (seq.children.empty()) return Node{};
    return seq;
  }

  Xapian::Query expand(const std::string& prefix, const std::string& word) {
    std::vector<std::string> prefixes = {prefix};
    if (prefix.empty() && options->include_spoiler_text) {
      prefixes.emplace_back(schema::kSpoilerTextPrefix);
    }
    if (db == nullptr) {
      std::vector<Xapian::Query> qs;
      for (const auto& p : prefixes) {
        qs.emplace_back(Xapian::Query::OP_WILDCARD, p + word,
                        static_cast<Xapian::termcount>(options->max_wildcard_terms),
                        Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      }
      if (prefix.empty() && !negated_context) out->stems.push_back(word);
      return Xapian::Query(Xapian::Query::OP_SYNONYM, qs.begin(), qs.end());
    }
    std::vector<std::pair<Xapian::doccount, std::string>> found;  // (termfreq, term)
    std::size_t seen = 0;
    for (const auto& p : prefixes) {
      const std::string start = p + word;
      for (auto it = db->allterms_begin(start); it != db->allterms_end(start); ++it) {
        found.emplace_back(it.get_termfreq(), *it);
        ++seen;
      }
    }
    if (found.empty()) return Xapian::Query(std::string(prefix) + word);  // matches nothing
    if (found.size() > options->max_wildcard_terms) {
      std::partial_sort(found.begin(),
                        found.begin() + static_cast<std::ptrdiff_t>(options->max_wildcard_terms),
                        found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      found.resize(options->max_wildcard_terms);
      out->notes.push_back(word + "* matches " + std::to_string(seen) +
                           " terms; searched the " +
                           std::to_string(options->max_wildcard_terms) + " most frequent");
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    std::vector<std::string> ts;
    for (auto& [freq, term] : found) {
      if (prefix.empty() && !negated_context) {
        std::string_view bare(term);
        if (bare.substr(0, schema::kSpoilerTextPrefix.size()) == schema::kSpoilerTextPrefix) {
          bare.remove_prefix(schema::kSpoilerTextPrefix.size());
        }
        out->stems.emplace_back(bare);
      }
      ts.push_back(term);
    }
    return Xapian::Query(Xapian::Query::OP_SYNONYM, ts.begin(), ts.end());
  }
  bool negated_context = false;
  bool long_question = false;  // set by select_terms()
  // The query's free-text words are all it searches, as written: no prefix*, no title:word
  // (then the words are not the whole of what was typed), so a title may equal them.
  bool whole_words = true;

  Node primary(int depth) {
    const Lexeme lx = lexemes[pos++];
    switch (lx.kind) {
      case LexKind::kOpen: {
        if (depth >= kMaxDepth) return Node{};  // read what follows as plain words
        Node group = expr(depth + 1);
        if (!at_end() && lexemes[pos].kind == LexKind::kClose) ++pos;
        group.negated = group.negated != lx.negated;
        return group;
      }
      case LexKind::kPhrase: {
        std::string prefix = word_prefix(lx.field);
        if (!lx.field.empty() && prefix.empty()) {
          Lexeme as_filter = lx;
          return filter_node(as_filter);
        }
        whole_words = whole_words && prefix.empty();
        std::vector<std::string> ts = analyze(lx.text, lx.begin, lx.negated, prefix.empty());
        if (ts.empty()) return Node{};
        Node n;
        n.kind = ts.size() == 1 ? Node::Kind::kWord : Node::Kind::kPhrase;
        n.prefix = prefix;
        n.terms = std::move(ts);
        for (const auto& t : n.terms) n.stopword.push_back(terms.is_stopword_term(t));
        n.folded = std::string(lx.text);
        n.negated = lx.negated;
        return n;
      }
      case LexKind::kWord: {
        std::string prefix = word_prefix(lx.field);
        if (!lx.field.empty() && prefix.empty()) return filter_node(lx);
        whole_words = whole_words && prefix.empty();
        if ((lx.text.size() > 1 && lx.text.back() == '*') || lx.as_prefix) {
          whole_words = false;
          negated_context = lx.negated;
          const std::size_t stars = lx.text.back() == '*' ? 1 : 0;
          Node n = wildcard_node(lx.text.substr(0, lx.text.size() - stars), lx.begin, lx.negated,
                                 prefix);
          negated_context = false;
          return n;
        }
        return words_node(lx.text, lx.begin, lx.negated, prefix);
      }
      default:
        return Node{};
    }
  }

  // seq := (NOT? primary)+ up to AND, OR, ')' or the end.
  Node seq(int depth) {
    Node s;
    s.kind = Node::Kind::kSeq;
    while (!at_end()) {
      LexKind k = lexemes[pos].kind;
      if (k == LexKind::kAnd || k == LexKind::kOr) break;
      if (k == LexKind::kClose) {
        if (depth > 0) break;
        ++pos;  // an unbalanced ')' at the top level is ignored
        continue;
      }
      bool not_op = false;
      while (!at_end() && lexemes[pos].kind == LexKind::kNot) {
        not_op = !not_op;
        ++pos;
      }
      if (at_end()) break;
      k = lexemes[pos].kind;
      if (k == LexKind::kAnd || k == LexKind::kOr || k == LexKind::kClose) continue;
      if (not_op) lexemes[pos].negated = !lexemes[pos].negated;
      Node n = primary(depth);
      if (n.kind != Node::Kind::kEmpty) s.children.push_back(std::move(n));
    }
    return s;
  }

  Node binary(int depth, LexKind op, Node::Kind kind) {
    Node first = op == LexKind::kOr ? binary(depth, LexKind::kAnd, Node::Kind::kAnd) : seq(depth);
    if (at_end() || lexemes[pos].kind != op) return first;
    Node n;
    n.kind = kind;
    n.children.push_back(std::move(first));
    while (!at_end() && lexemes[pos].kind == op) {
      ++pos;
      n.children.push_back(op == LexKind::kOr ? binary(depth, LexKind::kAnd, Node::Kind::kAnd)
                                              : seq(depth));
    }
    return n;
  }

  Node expr(int depth) { return binary(depth, LexKind::kOr, Node::Kind::kOr); }

  // Loose words: positive free-text kWord nodes directly in a kSeq (not in phrases).
  void collect_loose(const Node& n, bool negated, std::vector<const Node*>* loose) {
    bool neg = negated != n.negated;
    if (n.kind == Node::Kind::kWord && !neg && n.prefix.empty() && !n.compound) {
      loose->push_back(&n);
    }
    for (const auto& c : n.children) collect_loose(c, neg, loose);
  }

  // The terms kept among the loose words (stopwords and question words out, capped), and the
  // words of hyphenated compounds unless the query is a long question: there they measured as
  // noise ("re-watch", "con-artist", "X-Files"; dev-300 questions: Success@10 0.163 -> 0.157),
  // as their phrases did (build()).
  std::set<std::string> select_terms(const Node& root) {
    std::vector<const Node*> loose;
    collect_loose(root, false, &loose);
    long_question = loose.size() >= kLongQueryWords;
    std::set<std::string> kept = select_loose_terms(loose);
    if (!long_question) collect_compound_words(root, false, /*with_negated=*/true, &kept);
    return kept;
  }

  // The joined words of compounds (add_hyphen_compounds), unprefixed; `with_negated`: also
  // those of excluded compounds ("-x-men" excludes "xmen" as well as the phrase).
  void collect_compound_words(const Node& n, bool negated, bool with_negated,
                              std::set<std::string>* out) {
    bool neg = negated != n.negated;
    if (n.kind == Node::Kind::kWord && n.compound && (with_negated || !neg) &&
        n.prefix.empty()) {
      out->insert(n.terms.front());
    }
    for (const auto& c : n.children) collect_compound_words(c, neg, with_negated, out);
  }

  std::set<std::string> select_loose_terms(const std::vector<const Node*>& loose) {
    // Stopwords are judged on the term, as the index does (TermMaker::is_stopword_term: "gets"
    // is "get"); question words on the word, not its stem ("remembered").
    std::set<std::string> all, content, informative;
    for (const Node* n : loose) {
      const std::string& t = n->terms.front();
      all.insert(t);
      if (terms.is_stopword_term(t)) continue;
      content.insert(t);
      if (!question_words().count(n->folded)) informative.insert(t);
    }
    if (content.empty()) return all;  // "The Who", "It": nothing but stopwords, keep them
    if (long_question && !informative.empty()) content = std::move(informative);
    if (content.size() <= options->max_terms) return content;
    std::vector<std::pair<Xapian::doccount, std::string>> ranked;
    std::vector<std::string> in_order;  // first appearance, so without an index the first win
    std::set<std::string> listed;
    for (const Node* n : loose) {
      const std::string& t = n->terms.front();
      if (content.count(t) && listed.insert(t).second) in_order.push_back(t);
    }
    for (const auto& t : in_order) {
      Xapian::doccount tf = 0;
      if (db) {
        tf = db->get_termfreq(t);
        if (options->include_spoiler_text) {
          tf += db->get_termfreq(std::string(schema::kSpoilerTextPrefix) + t);
        }
        if (tf == 0) tf = std::numeric_limits<Xapian::doccount>::max();  // matches nothing
      }
      ranked.emplace_back(tf, t);
    }
    // Stable: without an index the first words of the query win.
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::set<std::string> kept;
    for (std::size_t i = 0; i < options->max_terms; ++i) kept.insert(ranked[i].second);
    out->notes.push_back("long query: searched its " + std::to_string(options->max_terms) +
                         " most informative of " + std::to_string(content.size()) + " words");
    return kept;
  }

  // The languages of the index's documents other than the parser's own (their XL terms), each
  // with its TermMaker, read once per parse: a query word must meet a record in its language.
  void load_languages() {
    languages.clear();
    if (db == nullptr) return;
    const std::string lang_prefix(schema::kLangPrefix);
    const std::string own = index::stemmer_language(own_lang);
    for (auto it = db->allterms_begin(lang_prefix); it != db->allterms_end(lang_prefix); ++it) {
      const std::string lang = (*it).substr(lang_prefix.size());
      const std::string stemmer = index::stemmer_language(lang);
      if (stemmer.empty() || stemmer == own) continue;
      auto found = term_makers.find(stemmer);
      if (found == term_makers.end()) {
        found = term_makers.emplace(stemmer, std::make_unique<index::TermMaker>(lang)).first;
      }
      languages.push_back(found->second.get());
    }
  }

  // The terms a word searches: its term in the parser's language, its stem in every other
  // language of the index and the word itself unstemmed (so an exact word always finds itself),
  // those the index holds. `folded` empty: the term alone.
  std::vector<std::string> alternatives(const std::string& prefix, const std::string& term,
                                        const std::string& folded) {
    std::vector<std::string> out = {term};
    if (db == nullptr || folded.empty()) return out;
    auto add = [&](const std::string& t) {
      if (t.empty() || std::find(out.begin(), out.end(), t) != out.end()) return;
      if (db->term_exists(prefix + t) ||
          (prefix.empty() && options->include_spoiler_text &&
           db->term_exists(std::string(schema::kSpoilerTextPrefix) + t))) {
        out.push_back(t);
      }
    };
    for (index::TermMaker* tm : languages) add(tm->stem(folded));
    add(folded);
    return out;
  }

  Xapian::Query word_query(const std::string& prefix, const std::string& term,
                           Xapian::termcount wqf = 1, const std::string& folded = "") {
    const std::vector<std::string> ts = alternatives(prefix, term, folded);
    std::vector<Xapian::Query> qs;
    for (const auto& t : ts) {
      qs.emplace_back(prefix + t, wqf);
      if (prefix.empty() && options->include_spoiler_text) {
        qs.emplace_back(std::string(schema::kSpoilerTextPrefix) + t, wqf);
      }
      if (t != term && prefix.empty() && !negated_context) out->stems.push_back(t);
    }
    if (qs.size() == 1) return qs.front();
    return Xapian::Query(Xapian::Query::OP_SYNONYM, qs.begin(), qs.end());
  }

  // How many documents hold `term` as ranked text (plain, spoiler or title).
  Xapian::doccount text_freq(const std::string& term) const {
    return db->get_termfreq(term) +
           db->get_termfreq(std::string(schema::kSpoilerTextPrefix) + term) +
           db->get_termfreq(std::string(schema::kTitlePrefix) + term);
  }

  // `exact` (the query of a loose word), or-ed with the word's closest spelling in the index's
  // vocabulary at half weight when the word is in no document or far rarer than that spelling:
  // "hitchcok" also searches "hitchcock", ranked below a document that has the word as typed.
  Xapian::Query with_typos(Xapian::Query exact, const std::string& term,
                           const std::string& folded, Xapian::termcount wqf) {
    if (db == nullptr || options->typos <= 0 || folded.empty()) return exact;
    const Xapian::doccount tf = text_freq(term);
    if (tf > kRareWordDocs) return exact;
    const std::string to = close_spelling(*db, folded, options->typos);
    if (to.empty()) return exact;
    const std::string to_term = terms.stem(to);
    if (to_term == term) return exact;
    // A word the index has is corrected only when the other spelling is far more common.
    if (tf > 0 && text_freq(to_term) < kFarMoreCommon * tf) return exact;
    out->corrections.push_back({folded, to, tf == 0});
    Xapian::Query corrected(Xapian::Query::OP_SCALE_WEIGHT,
                            word_query("", to_term, wqf, to), kTypoWeight);
    if (tf == 0) return corrected;
    return Xapian::Query(Xapian::Query::OP_OR, exact, corrected);
  }

  std::string close_spelling(const Xapian::Database& database, const std::string& word,
                             int max_edits) {
    const std::vector<char32_t> typed = code_points(word);
    for (char32_t c : typed) {
      if (c >= '0' && c <= '9') return "";  // "1948", "2h": not misspellings
    }
    const int edits = std::min(max_edits, typed.size() >= 9 ? 2 : typed.size() >= 5 ? 1 : 0);
    if (edits <= 0) return "";
    // Xapian compares words; one more edit lets an inflection through ("ballerinas"), then
    // the stems must be within the limit.
    const std::string to =
        database.get_spelling_suggestion(word, static_cast<unsigned>(edits + 1));
    if (to.empty() || to == word) return "";
    const std::string from_stem = terms.stem(word);
    const std::string to_stem = terms.stem(to);
    const std::size_t stem_edits = edit_distance(code_points(from_stem), code_points(to_stem));
    if (stem_edits > static_cast<std::size_t>(edits)) return "";
    return to;
  }

  Xapian::Query phrase_query(const Node& n) {
    auto phrase = [&](const std::string& p) {
      std::vector<std::string> ts;
      for (const auto& t : n.terms) ts.push_back(p + t);
      if (n.compound || options->positions_only) {
        return Xapian::Query(Xapian::Query::OP_PHRASE, ts.begin(), ts.end(),
                             static_cast<Xapian::termcount>(ts.size()));
      }
      return search::phrase_query(ts, n.stopword, p, &out->phrase_checks, n.folded);
    };
    if (!n.prefix.empty() || !options->include_spoiler_text) return phrase(n.prefix);
    return Xapian::Query(Xapian::Query::OP_OR, phrase(""),
                         phrase(std::string(schema::kSpoilerTextPrefix)));
  }

  // Builds the Xapian query of `n` ignoring its own negation. Empty: nothing to match on.
  Xapian::Query build(const Node& n, const std::set<std::string>& kept) {
    switch (n.kind) {
      case Node::Kind::kEmpty:
        return Xapian::Query();
      case Node::Kind::kWord:
        if (n.compound && long_question) return Xapian::Query();
        return word_query(n.prefix, n.terms.front(), 1, n.folded);
      case Node::Kind::kPhrase:
        if (n.compound && long_question) return Xapian::Query();
        return phrase_query(n);
      case Node::Kind::kLeaf:
        return n.leaf;
      case Node::Kind::kSeq: {
        std::vector<Xapian::Query> pos_q, neg_q;
        // Repeated loose words count once, with their repetitions as query frequency (wqf).
        std::map<std::string, Xapian::termcount> loose;
        std::map<std::string, std::string> loose_folded;  // term -> the word as written
        std::vector<std::string> loose_order;
        for (const auto& c : n.children) {
          if (c.kind == Node::Kind::kWord && !c.negated && c.prefix.empty()) {
            const std::string& t = c.terms.front();
            if (!kept.count(t)) continue;
            if (loose[t]++ == 0) {
              loose_order.push_back(t);
              loose_folded[t] = c.folded;
            }
            continue;
          }
          Xapian::Query q = build(c, kept);
          if (q.empty()) continue;
          (c.negated ? neg_q : pos_q).push_back(std::move(q));
        }
        for (const auto& t : loose_order) {
          pos_q.push_back(with_typos(word_query("", t, loose[t], loose_folded[t]), t,
                                     loose_folded[t], loose[t]));
        }
        Xapian::Query positive;
        if (pos_q.size() == 1) {
          positive = pos_q.front();
        } else if (!pos_q.empty()) {
          positive = Xapian::Query(Xapian::Query::OP_OR, pos_q.begin(), pos_q.end());
        }
        if (neg_q.empty()) return positive;
        if (positive.empty()) positive = Xapian::Query::MatchAll;
        Xapian::Query negative = neg_q.size() == 1
                                     ? neg_q.front()
                                     : Xapian::Query(Xapian::Query::OP_OR, neg_q.begin(),
                                                     neg_q.end());
        return Xapian::Query(Xapian::Query::OP_AND_NOT, positive, negative);
      }
      case Node::Kind::kAnd:
      case Node::Kind::kOr: {
        std::vector<Xapian::Query> qs;
        for (const auto& c : n.children) {
          Xapian::Query q = build(c, kept);
          if (q.empty()) continue;
          if (c.negated) q = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, q);
          qs.push_back(std::move(q));
        }
        if (qs.empty()) return Xapian::Query();
        if (qs.size() == 1) return qs.front();
        return Xapian::Query(n.kind == Node::Kind::kAnd ? Xapian::Query::OP_AND
                                                        : Xapian::Query::OP_OR,
                             qs.begin(), qs.end());
      }
    }
    return Xapian::Query();
  }

  // `q`, and the films titled exactly as the query's words are written (index::title_key_term)
  // rank first: "The Red Shoes" above "The Man with One Red Shoe", whose synopsis is shorter.
  Xapian::Query with_exact_title(const Xapian::Query& q) {
    std::vector<std::string> words;
    for (const auto& w : out->words) {
      if (!w.negated) words.push_back(w.folded);
    }
    // Without an index there is no telling: nothing is added.
    if (words.empty() || db == nullptr) return q;
    std::vector<Xapian::Query> bonuses;
    auto bonus = [&](std::string_view prefix, double weight) {
      const std::string key = index::title_key_term(prefix, words);
      if (!db->term_exists(key)) return;
      Xapian::Query fixed((new Xapian::FixedWeightPostingSource(weight))->release());
      bonuses.emplace_back(Xapian::Query::OP_FILTER, fixed, Xapian::Query(key));
    };
    bonus(schema::kTitleKeyPrefix, kExactTitleWeight);
    bonus(schema::kTitleKeyNoArticlePrefix, kArticleTitleWeight);
    if (bonuses.empty()) return q;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                         Xapian::Query(Xapian::Query::OP_OR, bonuses.begin(), bonuses.end()));
  }

  ParsedQuery parse(std::string_view text, const Xapian::Database* database,
                    const ParseOptions& opts) {
    ParsedQuery result;
    out = &result;
    db = database;
    options = &opts;
    load_languages();
    bool stripped = false;  // the tags say nothing about the film: no note
    std::string clean = strip_tags(text, &stripped);
    query = clean;
    lexemes = lex(clean);
    // Search as you type: the last word, unless a space follows it, is a prefix.
    if (opts.prefix_last && !lexemes.empty() && lexemes.back().kind == LexKind::kWord &&
        !clean.empty() && !is_space(clean.back()) &&
        (lexemes.back().field.empty() || !word_prefix(lexemes.back().field).empty())) {
      lexemes.back().as_prefix = true;
    }
    pos = 0;
    whole_words = true;
    Node root = expr(0);
    while (!at_end()) {  // stray ')' or operators left over: read the rest as more words
      if (lexemes[pos].kind == LexKind::kClose || lexemes[pos].kind == LexKind::kAnd ||
          lexemes[pos].kind == LexKind::kOr) {
        ++pos;
        continue;
      }
      Node more = expr(0);
      Node both;
      both.kind = Node::Kind::kSeq;
      both.children.push_back(std::move(root));
      both.children.push_back(std::move(more));
      root = std::move(both);
    }
    std::set<std::string> kept = select_terms(root);
    Xapian::Query q = build(root, kept);
    if (root.negated && !q.empty()) {
      q = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, q);
    }
    if (!q.empty() && whole_words) q = with_exact_title(q);
    result.has_words = !q.empty();
    result.query = q.empty() ? Xapian::Query::MatchAll : q;
    // Highlight what is searched: a loose word dropped as a stopword or for the term cap is
    // not ("her" in "ballerina torn between love and her art").
    std::vector<const Node*> loose;
    collect_loose(root, false, &loose);
    std::set<std::string> dropped;
    for (const Node* n : loose) {
      if (!kept.count(n->terms.front())) dropped.insert(n->terms.front());
    }
    std::set<std::string> seen(result.stems.begin(), result.stems.end());
    for (const auto& w : result.words) {
      if (w.negated || dropped.count(w.stem)) continue;
      if (seen.insert(w.stem).second) result.stems.push_back(w.stem);
    }
    // A compound's joined word ("spider-man" searches "spiderman") when it is searched.
    std::set<std::string> compounds;
    if (!long_question) collect_compound_words(root, false, /*with_negated=*/false, &compounds);
    for (const auto& t : compounds) {
      if (seen.insert(t).second) result.stems.push_back(t);
    }
    out = nullptr;
    db = nullptr;
    options = nullptr;
    return result;
  }
};

QueryParser::QueryParser(std::string_view lang) : impl_(std::make_unique<Impl>(lang)) {}
QueryParser::~QueryParser() = default;
QueryParser::QueryParser(QueryParser&&) noexcept = default;
QueryParser& QueryParser::operator=(QueryParser&&) noexcept = default;

ParsedQuery QueryParser::parse(std::string_view text, const Xapian::Database* db,
                               const ParseOptions& options) {
  return impl_->parse(text, db, options);
}

std::string QueryParser::close_spelling(const Xapian::Database& db, const std::string& word,
                                       int max_edits) {
  return impl_->close_spelling(db, word, max_edits);
}

std::string field_names() {
  std::string out;
  for (const auto& f : schema::kFields) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

ParsedQuery parse_query(std::string_view text, const Xapian::Database* db,
                        const ParseOptions& options) {
  return QueryParser(options.lang).parse(text, db, options);
}

}  // namespace filmsearch::search
