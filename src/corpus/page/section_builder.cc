#include "corpus/page/section_builder.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/page/html_reader.h"
#include "corpus/page/metadata.h"
#include "corpus/page/rules.h"
#include "corpus/page/text.h"
#include "corpus/spoilers.h"

namespace filmsearch::corpus::page {
namespace {

// ---------------------------------------------------------------------------------------------
// Items inside sections.

constexpr std::string_view kOpenQuotes[] = {"\xE2\x80\x9C", "\"", "\xE2\x80\x98", "''"};

bool starts_with_quote(std::string_view s) {
  for (std::string_view q : kOpenQuotes) {
    if (s.starts_with(q)) return true;
  }
  return false;
}

// Removes one pair of surrounding quotes ("“text”" -> "text").
std::string_view unquote(std::string_view s) {
  s = trim(s);
  if (s.starts_with("\xE2\x80\x9C") && s.ends_with("\xE2\x80\x9D") && s.size() >= 6) {
    return trim(s.substr(3, s.size() - 6));
  }
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return trim(s.substr(1, s.size() - 2));
  return s;
}

// "Boris Lermontov: “Why do you want to dance?” – ..." -> {"Boris Lermontov", "“Why ...”  – ..."}.
// The name is short (at most 5 words) and the text after the colon is non-empty.
bool split_attribution(std::string_view item, std::string& who, std::string& text,
                       bool require_quote) {
  std::size_t colon = item.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 60) return false;
  std::string_view name = trim(item.substr(0, colon));
  std::string_view rest = trim(item.substr(colon + 2));
  if (rest.empty() || split_words(name).size() > 5) return false;
  if (require_quote && !starts_with_quote(rest)) return false;
  if (name.find_first_of(".!?\"") != std::string_view::npos) return false;
  who = std::string(name);
  text = std::string(rest);
  return true;
}

// Cast entries "Victoria Page (Moira Shearer): ..." and "Moira Shearer as Victoria Page".
std::string actor_of(std::string_view item) {
  std::size_t colon = item.find(':');
  std::string_view head = item.substr(0, colon == std::string_view::npos ? item.size() : colon);
  std::size_t open = head.find('(');
  std::size_t close = head.find(')', open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos && close != std::string_view::npos && close > open + 1) {
    return std::string(trim(head.substr(open + 1, close - open - 1)));
  }
  std::size_t as = head.find(" as ");
  if (as != std::string_view::npos && split_words(head.substr(0, as)).size() <= 4) {
    return std::string(trim(head.substr(0, as)));
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// The section builder: receives content lines and headings in page order.

class SectionBuilder {
 public:
  explicit SectionBuilder(Record& record) : record_(record) {}

  // Starts a section for a heading; `level` orders Markdown headings (0: not Markdown).
  void heading(std::string_view text, int level, bool strong) {
    HeadingKind hk = classify_heading(text);
    bool sub = !hk.known && (level == 0 ? !strong : (major_level_ > 0 && level > major_level_));
    flush();
    if (sub && have_major_) {
      // A sub-heading continues the enclosing kind and spoiler state.
      heading_ = std::string(text);
      return;
    }
    have_major_ = true;
    major_level_ = level;
    heading_ = std::string(text);
    kind_ = hk.known ? hk.kind : SectionKind::kOther;
    treatment_ = hk.treatment;
    spoiler_ = hk.spoiler;
  }

  // Sets the kind of text before any heading (from the page title's suffix, or the page type).
  void set_default(SectionKind kind) { kind_ = kind; }

  // A disclaimer line: what follows is a spoiler, as plot when it was a summary.
  void disclaimer() {
    flush();
    if (kind_ == SectionKind::kSynopsis) kind_ = SectionKind::kPlot;
    spoiler_ = true;
    heading_.clear();
  }

  void line(const Line& l) {
    if (treatment_ == Treatment::kDrop) return;
    if (l.indented && !l.bullet && !lines_.empty() && in_item_) {
      lines_.back() += "\n" + l.text;  // a continuation paragraph of a list item
      return;
    }
    in_item_ = l.bullet;
    switch (kind_) {
      case SectionKind::kQuote:
        flush();
        quote_item(l.text);
        return;
      case SectionKind::kFaq:
        faq_line(l);
        return;
      case SectionKind::kReview:
        if (l.bullet) {
          std::string who, text;
          if (split_attribution(l.text, who, text, /*require_quote=*/true)) {
            flush();
            Section s = make_section(std::string(unquote(text)));
            s.source = who;
            push(std::move(s));
            return;
          }
        }
        if (l.bullet && l.text.size() >= 200) flush();  // one review per long list item
        break;
      case SectionKind::kSynopsis:
        // Lists of user summaries: one section per long item.
        if (l.bullet && l.text.size() >= 80) flush();
        break;
      case SectionKind::kCast: {
        std::string actor = actor_of(l.text);
        if (!actor.empty()) add_unique(record_.cast, actor);
        break;
      }
      default:
        break;
    }
    lines_.push_back(l.text);
  }

  void finish() { flush(); }

 private:
  Section make_section(std::string text) const {
    Section s;
    s.kind = kind_;
    s.heading = heading_;
    s.text = std::move(text);
    s.ranked = treatment_ == Treatment::kRanked;
    return s;
  }

  void push(Section s) {
    if (trim(s.text).empty()) return;
    // After a spoiler heading or disclaimer the whole section is spoiler; warnings, markup and
    // reveals inside the text are the spoiler policy's to find (corpus/spoilers.h).
    if (spoiler_) s.spoiler_spans = {{0, s.text.size()}};
    record_.sections.push_back(std::move(s));
  }

  void flush() {
    if (lines_.empty()) return;
    std::string text;
    for (const std::string& l : lines_) {
      if (!text.empty()) text += '\n';
      text += l;
    }
    lines_.clear();
    push(make_section(std::move(text)));
  }

  void quote_item(std::string_view item) {
    std::string who, text;
    Section s;
    if (split_attribution(item, who, text, /*require_quote=*/false)) {
      s = make_section(text);
      s.speaker = who;
    } else {
      s = make_section(std::string(item));
    }
    push(std::move(s));
  }

  // Questions become headings of their answers; each answer is a section of its own.
  void faq_line(const Line& l) {
    std::string_view t = l.text;
    if (t.ends_with("?") && t.size() < 200) {
      flush();
      question_ = std::string(t);
      return;
    }
    flush();
    Section s = make_section(std::string(t));
    if (!question_.empty()) s.heading = question_;
    question_.clear();
    push(std::move(s));
  }

  Record& record_;
  SectionKind kind_ = SectionKind::kOther;
  Treatment treatment_ = Treatment::kRanked;
  bool spoiler_ = false;
  bool have_major_ = false;
  int major_level_ = 0;
  bool in_item_ = false;
  std::string heading_;
  std::string question_;
  std::vector<std::string> lines_;
};

// True when the next content line after `i` is body text (or a list) rather than another
// title-like line, so that a short line at `i` reads as a heading.
bool followed_by_body(const std::vector<Line>& lines, std::size_t i) {
  for (std::size_t j = i + 1; j < lines.size(); ++j) {
    const Line& next = lines[j];
    if (next.text.empty()) continue;
    if (next.md_level > 0) return false;
    if (next.bullet) return true;
    return !is_title_like(next.text) && next.text.size() > 40;
  }
  return false;
}

}  // namespace

std::string build_sections(const std::vector<Line>& lines, std::size_t body_begin,
                           SectionKind default_kind, Record& record) {
  SectionBuilder builder(record);
  builder.set_default(default_kind);
  std::vector<std::pair<std::string, int>> title_votes;
  auto vote_title = [&](std::string_view heading) {
    std::string candidate;
    std::size_t colon = heading.find(": ");
    if (colon != std::string_view::npos) {
      candidate = std::string(trim(heading.substr(0, colon)));
    } else {
      // "The Red Shoes Reviews", "How to Watch The Red Shoes?": drop the keyword words.
      std::string h(heading);
      while (!h.empty() && (h.back() == '?' || h.back() == '!')) h.pop_back();
      std::vector<std::string_view> words = split_words(h);
      for (std::string_view lead : {"How to Watch", "Where to Watch", "Watch"}) {
        if (h.starts_with(std::string(lead) + " ")) {
          candidate = h.substr(lead.size() + 1);
          break;
        }
      }
      if (candidate.empty() && words.size() >= 2) {
        std::string last = to_lower(words.back());
        std::string last_two = words.size() >= 3
                                   ? to_lower(std::string(words[words.size() - 2]) + " " + last)
                                   : std::string();
        std::size_t drop = 0;
        if (!last_two.empty() && classify_heading(last_two).known) drop = 2;
        else if (classify_heading(last).known) drop = 1;
        if (drop > 0 && words.size() > drop) {
          const char* end = words[words.size() - drop].data();
          candidate = std::string(trim(std::string_view(h.data(), end - h.data())));
        }
      }
    }
    if (candidate.empty() || split_words(candidate).size() > 8) return;
    for (auto& [name, votes] : title_votes) {
      if (name == candidate) {
        ++votes;
        return;
      }
    }
    title_votes.emplace_back(candidate, 1);
  };

  for (std::size_t i = body_begin; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (l.text.empty()) continue;
    // Headings and disclaimers are decided on the text without spoiler markers (html_reader.h);
    // the line keeps them for the section.
    const std::string plain = without_spoiler_markers(l.text);
    if (plain.empty()) continue;
    bool had_emoji = false;
    std::string_view stripped = strip_leading_emoji(plain, had_emoji);
    bool emoji_heading = had_emoji && !l.bullet && stripped.size() <= 100 &&
                         stripped.find(". ") == std::string_view::npos;
    if (l.md_level > 0 || emoji_heading) {
      std::string h(strip_trailing_decoration(stripped));
      vote_title(h);
      builder.heading(h, l.md_level, /*strong=*/true);
      continue;
    }
    if (!l.bullet) {
      std::string_view h = strip_trailing_decoration(plain);
      // A known section name on its own line ("Awards", "See also") is a heading even when
      // not capitalized like a title.
      bool keyword = !h.empty() && h.size() <= 60 && split_words(h).size() <= 6 &&
                     (is_upper(h[0]) || static_cast<unsigned char>(h[0]) >= 0x80) &&
                     h.back() != '.' && h.back() != ',' && h.back() != ';' && h.back() != '?' &&
                     h.find(". ") == std::string_view::npos && classify_heading(h).known;
      if (keyword || (is_title_like(plain) && followed_by_body(lines, i))) {
        if (keyword) vote_title(h);
        builder.heading(h, 0, /*strong=*/keyword);
        continue;
      }
      if (is_spoiler_disclaimer(plain)) {
        builder.disclaimer();
        continue;
      }
    }
    builder.line(l);
  }
  builder.finish();

  std::string title;
  int best = 1;  // a name must be shared by two headings
  for (const auto& [name, votes] : title_votes) {
    if (votes > best) {
      best = votes;
      title = name;
    }
  }
  return title;
}

}  // namespace filmsearch::corpus::page
