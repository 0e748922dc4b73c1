#include "search/snippets.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

#include "corpus/spoilers.h"
#include "index/terms.h"

namespace filmsearch::search {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // "…"

struct Candidate {
  std::size_t distinct = 0;  // distinct query stems in the fragment
  std::size_t count = 0;     // query word occurrences
  std::size_t record = 0;    // index of the record (best first)
  std::size_t order = 0;     // discovery order, for a stable choice
  std::set<std::size_t> stems;
  Snippet snippet;
};

// Marked [spoiler] under `tag`: the tagger's likely spoilers.
bool overlaps_spoiler(const corpus::Section& section, std::size_t b, std::size_t e) {
  return corpus::overlaps_spoiler(section.spoiler_spans, b, e);
}

// Hidden under `hide` and `exclude`: likely and possible spoilers.
bool may_spoil(const corpus::Section& section, std::size_t b, std::size_t e) {
  return overlaps_spoiler(section, b, e) ||
         corpus::overlaps_spoiler(section.possible_spoiler_spans, b, e);
}

bool is_blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'; }

// The fragment [b, e) of `text`, cut to `max_bytes` around `focus` (a byte offset) at token
// boundaries, with "…" where cut and line breaks flattened. `tokens` are the section's tokens
// ([first, last) inside the fragment). Highlights are the tokens whose index is in `marked`.
Snippet cut(std::string_view text, std::size_t b, std::size_t e, std::size_t focus,
            const std::vector<text::Token>& tokens, std::size_t first, std::size_t last,
            const std::vector<bool>& marked, std::size_t max_bytes,
            std::pair<std::size_t, std::size_t>* source) {
  while (b < e && is_blank(text[b])) ++b;
  while (e > b && is_blank(text[e - 1])) --e;
  std::size_t start = b, end = e;
  if (e - b > max_bytes) {
    std::size_t want = focus > b + max_bytes / 4 ? focus - max_bytes / 4 : b;
    start = b;
    for (std::size_t i = first; i < last; ++i) {
      if (tokens[i].begin >= want) {
        start = tokens[i].begin;
        break;
      }
    }
    if (start > focus) start = focus;
    end = start;
    for (std::size_t i = first; i < last; ++i) {
      if (tokens[i].begin >= start && tokens[i].end <= start + max_bytes) end = tokens[i].end;
    }
    if (end <= start) {
      // No whole token fits (one long unbroken run): cut by bytes, on a UTF-8 boundary.
      end = std::min(e, start + max_bytes);
      while (end > start && end < e && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
      }
    }
    // Keep closing punctuation when the sentence ends right there.
    if (e - end <= 2) end = e;
    if (start - b <= 2) start = b;
  }
  *source = {start, end};
  Snippet s;
  std::size_t shift = 0;
  if (start > b) {
    s.text += kEllipsis;
    shift = kEllipsis.size();
  }
  std::string body(text.substr(start, end - start));
  for (char& c : body) {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0') c = ' ';
  }
  s.text += body;
  if (end < e) s.text += kEllipsis;
  for (std::size_t i = first; i < last; ++i) {
    if (!marked[i] || tokens[i].begin < start || tokens[i].end > end) continue;
    s.highlights.emplace_back(tokens[i].begin - start + shift, tokens[i].end - start + shift);
  }
  return s;
}

}  // namespace

std::string_view spoiler_mode_name(SpoilerMode mode) {
  switch (mode) {
    case SpoilerMode::kTag:
      return "tag";
    case SpoilerMode::kHide:
      return "hide";
    case SpoilerMode::kExclude:
      return "exclude";
    case SpoilerMode::kShow:
      return "show";
  }
  return "tag";
}

bool parse_spoiler_mode(std::string_view name, SpoilerMode* mode) {
  for (SpoilerMode m : {SpoilerMode::kTag, SpoilerMode::kHide, SpoilerMode::kExclude,
                        SpoilerMode::kShow}) {
    if (name == spoiler_mode_name(m)) {
      *mode = m;
      return true;
    }
  }
  return false;
}

SnippetMaker::SnippetMaker() = default;
SnippetMaker::~SnippetMaker() = default;

index::TermMaker& SnippetMaker::terms_for(const std::string& lang) {
  auto it = term_makers_.find(lang);
  if (it == term_makers_.end()) {
    it = term_makers_.emplace(lang, std::make_unique<index::TermMaker>(lang)).first;
  }
  return *it->second;
}

SnippetResult SnippetMaker::make(const std::vector<const corpus::Record*>& records,
                                 const SnippetRequest& request) {
  SnippetResult result;
  if (request.max_fragments == 0) return result;
  const bool hide = request.spoilers == SpoilerMode::kHide ||
                    request.spoilers == SpoilerMode::kExclude;
  std::unordered_map<std::string, std::size_t> stem_index;
  for (const auto& s : request.stems) stem_index.emplace(s, stem_index.size());

  std::vector<Candidate> candidates;
  std::set<std::size_t> hidden_stems, shown_stems;
  std::vector<bool> marked;
  std::vector<std::size_t> stem_of;
  for (std::size_t r = 0; r < records.size() && !stem_index.empty(); ++r) {
    const corpus::Record& record = *records[r];
    index::TermMaker& terms = terms_for(record.lang);
    for (const auto& section : record.sections) {
      if (!section.ranked || section.text.empty()) continue;
      analyzer_.tokenize(section.text, &tokens_);
      marked.assign(tokens_.size(), false);
      stem_of.assign(tokens_.size(), 0);
      bool any = false;
      for (std::size_t i = 0; i < tokens_.size(); ++i) {
        auto it = stem_index.find(terms.term(tokens_[i]));
        if (it == stem_index.end()) continue;
        marked[i] = true;
        stem_of[i] = it->second;
        any = true;
      }
      // "Spider-Man" is the term "spiderman" too (text::hyphen_compounds): all its parts.
      for (const auto& compound : text::hyphen_compounds(section.text, tokens_)) {
        auto it = stem_index.find(terms.compound_term(compound));
        if (it == stem_index.end()) continue;
        for (std::size_t i = compound.first; i < compound.last; ++i) {
          marked[i] = true;
          stem_of[i] = it->second;
        }
        any = true;
      }
      if (!any) continue;
      std::size_t t = 0;
      for (const auto& sentence : analyzer_.sentences(section.text)) {
        std::size_t first = t;
        while (t < tokens_.size() && tokens_[t].begin < sentence.end) ++t;
        Candidate c;
        std::size_t focus = sentence.end;
        for (std::size_t i = first; i < t; ++i) {
          if (!marked[i]) continue;
          if (c.count++ == 0) focus = tokens_[i].begin;
          c.stems.insert(stem_of[i]);
        }
        if (c.count == 0) continue;
        c.distinct = c.stems.size();
        c.record = r;
        c.order = candidates.size();
        std::pair<std::size_t, std::size_t> source;
        c.snippet = cut(section.text, sentence.begin, sentence.end, focus, tokens_, first, t,
                        marked, request.max_bytes, &source);
        c.snippet.section = section.kind;
        c.snippet.heading = section.heading;
        // The fragment shown decides, not the whole sentence: text before a span is not spoiler.
        c.snippet.spoiler = overlaps_spoiler(section, source.first, source.second);
        if (hide && may_spoil(section, source.first, source.second)) {
          if (request.spoilers == SpoilerMode::kHide) {
            hidden_stems.insert(c.stems.begin(), c.stems.end());
          }
          continue;
        }
        shown_stems.insert(c.stems.begin(), c.stems.end());
        if (request.spoilers == SpoilerMode::kShow) c.snippet.spoiler = false;
        candidates.push_back(std::move(c));
      }
    }
  }
  for (std::size_t s : hidden_stems) {
    if (!shown_stems.count(s)) result.hidden_spoiler_match = true;
  }

  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::make_tuple(b.distinct, a.record, b.count, a.order) <
           std::make_tuple(a.distinct, b.record, a.count, b.order);
  });
  for (auto& c : candidates) {
    if (result.snippets.size() >= request.max_fragments) break;
    bool duplicate = std::any_of(result.snippets.begin(), result.snippets.end(),
                                 [&](const Snippet& s) { return s.text == c.snippet.text; });
    if (!duplicate) result.snippets.push_back(std::move(c.snippet));
  }
  if (!result.snippets.empty()) return result;

  // No sentence holds a query word (a title match, a browse): the opening of the first text.
  for (const corpus::Record* record : records) {
    for (const auto& section : record->sections) {
      if (!section.ranked || section.text.empty()) continue;
      auto sentences = analyzer_.sentences(section.text);
      analyzer_.tokenize(section.text, &tokens_);
      marked.assign(tokens_.size(), false);
      for (const auto& sentence : sentences) {
        if (hide && may_spoil(section, sentence.begin, sentence.end)) continue;
        std::pair<std::size_t, std::size_t> source;
        Snippet s = cut(section.text, sentence.begin, sentence.end, sentence.begin, tokens_, 0,
                        tokens_.size(), marked, request.max_bytes, &source);
        if (s.text.empty()) continue;
        s.section = section.kind;
        s.heading = section.heading;
        s.spoiler = request.spoilers != SpoilerMode::kShow &&
                    overlaps_spoiler(section, source.first, source.second);
        result.snippets.push_back(std::move(s));
        return result;
      }
    }
  }
  return result;
}

SectionTerms SnippetMaker::count_terms(const corpus::Section& section, const std::string& lang,
                                       const SnippetRequest& request) {
  SectionTerms out;
  out.counts.assign(request.stems.size(), 0);
  if (!section.ranked || section.text.empty() || request.stems.empty()) return out;
  std::unordered_map<std::string, std::size_t> stem_index;
  for (const auto& s : request.stems) stem_index.emplace(s, stem_index.size());
  const bool exclude = request.spoilers == SpoilerMode::kExclude;
  auto searched = [&](std::size_t b, std::size_t e) {
    return !exclude || !overlaps_spoiler(section, b, e);
  };
  index::TermMaker& terms = terms_for(lang);
  analyzer_.tokenize(section.text, &tokens_);
  for (const auto& token : tokens_) {
    if (!searched(token.begin, token.end)) continue;
    ++out.length;
    auto it = stem_index.find(terms.term(token));
    if (it != stem_index.end() && it->second < out.counts.size()) ++out.counts[it->second];
  }
  for (const auto& compound : text::hyphen_compounds(section.text, tokens_)) {
    if (!searched(tokens_[compound.first].begin, tokens_[compound.last - 1].end)) continue;
    auto it = stem_index.find(terms.compound_term(compound));
    if (it != stem_index.end() && it->second < out.counts.size()) ++out.counts[it->second];
  }
  return out;
}

std::string render_marked(const Snippet& snippet, std::string_view open,
                          std::string_view close) {
  std::string out;
  std::size_t at = 0;
  for (const auto& [b, e] : snippet.highlights) {
    if (b < at || e > snippet.text.size() || b > e) continue;
    out.append(snippet.text, at, b - at);
    out += open;
    out.append(snippet.text, b, e - b);
    out += close;
    at = e;
  }
  out.append(snippet.text, at, std::string::npos);
  return out;
}

}  // namespace filmsearch::search
