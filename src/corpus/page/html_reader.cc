#include "corpus/page/html_reader.h"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "corpus/input.h"
#include "corpus/page/metadata.h"
#include "corpus/page/rules.h"
#include "corpus/page/text.h"
#include "corpus/spoilers.h"

namespace filmsearch::corpus::page {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a == nullptr ? std::string_view() : std::string_view(a->value);
}

bool has_attribute(const GumboNode* node, const char* name) {
  return gumbo_get_attribute(&node->v.element.attributes, name) != nullptr;
}

GumboTag tag_of(const GumboNode* node) { return node->v.element.tag; }

bool is_heading(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
         t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}
int heading_level(GumboTag t) { return static_cast<int>(t - GUMBO_TAG_H1) + 1; }

// Elements whose content is never page text.
bool is_skipped_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_INPUT: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_MENU: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP:
    case GUMBO_TAG_TITLE:
      return true;
    default:
      return false;
  }
}

bool is_block_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_BODY: case GUMBO_TAG_HR:
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_NAV: case GUMBO_TAG_FORM:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_HGROUP:
      return true;
    default:
      return false;
  }
}

// Words of class and id, lowercased, split on anything that is not a letter or digit.
std::vector<std::string> hint_words(const GumboNode* node, std::string* joined) {
  std::vector<std::string> words;
  std::string all = to_lower(attribute(node, "class"));
  all += ' ';
  all += to_lower(attribute(node, "id"));
  std::string word;
  for (char c : all) {
    if (is_alnum(c)) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  if (joined) *joined = std::move(all);
  return words;
}

// Class/id words that name furniture. Whole words match; the long ones also match inside a
// longer word ("commentlist", "sidebarleft").
constexpr std::string_view kFurnitureWords[] = {
    "nav", "navbar", "navigation", "menu", "menus", "footer", "sidebar", "related", "share",
    "sharing", "social", "cookie", "cookies", "consent", "gdpr", "newsletter", "subscribe",
    "subscription", "comment", "comments", "disqus", "ad", "ads", "advert", "advertisement",
    "adslot", "sponsor", "sponsored", "promo", "breadcrumb", "breadcrumbs", "popup", "modal",
    "masthead", "toolbar", "pagination", "pager", "widget", "rec", "recs", "recommended",
    "recommendations", "trending", "popular", "outbrain", "taboola", "skip", "signin", "login",
    "tagcloud", "rail", "teaser", "teasers", "pingback", "pingbacks", "trackback", "dropdown",
    "copyright", "byline-share", "newsfeed", "mostread", "mostpopular", "filmography"};
constexpr std::string_view kFurnitureSubstrings[] = {
    "sidebar", "footer", "related", "recommend", "cookie", "consent", "newsletter", "comment",
    "breadcrumb", "sponsor", "outbrain", "taboola", "trending", "navigation", "navbar",
    "more-like", "morelike", "alsolike", "also-like", "people-also", "similar", "you-may",
    "youmay", "most-popular", "mostpopular", "read-next", "readnext", "up-next", "upnext",
    "filmography", "social", "pingback", "newsfeed"};
// Class/id words of content containers; they cancel a weak furniture word ("post-share").
constexpr std::string_view kContentWords[] = {"article", "content", "main", "post", "entry",
                                              "story", "body", "text", "prose", "synopsis",
                                              "plot", "storyline"};
// Furniture words that a content word does not cancel.
constexpr std::string_view kStrongFurniture[] = {
    "comment", "comments", "disqus", "cookie", "consent", "newsletter", "outbrain", "taboola",
    "breadcrumb", "breadcrumbs", "related", "recommended", "recommendations", "sidebar", "nav",
    "navbar", "navigation", "menu", "footer", "pingback", "trackback", "filmography"};

template <std::size_t N>
bool contains(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

enum class Hint { kNone, kWeakFurniture, kStrongFurniture };

Hint furniture_hint(const GumboNode* node) {
  std::string joined;
  std::vector<std::string> words = hint_words(node, &joined);
  if (words.empty()) return Hint::kNone;
  bool weak = false, strong = false, content = false;
  for (const std::string& w : words) {
    if (contains(kContentWords, w)) content = true;
    if (contains(kFurnitureWords, w)) (contains(kStrongFurniture, w) ? strong : weak) = true;
  }
  for (std::string_view s : kFurnitureSubstrings) {
    if (joined.find(s) != std::string::npos) {
      bool is_strong = false;
      for (std::string_view strong_word : kStrongFurniture) {
        if (s.find(strong_word) != std::string_view::npos && strong_word.size() > 4) {
          is_strong = true;
        }
      }
      (is_strong ? strong : weak) = true;
    }
  }
  if (strong) return Hint::kStrongFurniture;
  if (weak && !content) return Hint::kWeakFurniture;
  return Hint::kNone;
}

bool is_hidden(const GumboNode* node) {
  if (has_attribute(node, "hidden")) return true;
  if (attribute(node, "aria-hidden") == "true") return true;
  std::string style = to_lower(attribute(node, "style"));
  style.erase(std::remove(style.begin(), style.end(), ' '), style.end());
  return style.find("display:none") != std::string::npos ||
         style.find("visibility:hidden") != std::string::npos;
}

bool names_spoiler(std::string_view s) {
  return to_lower(s).find("spoiler") != std::string::npos;
}

// Per element: letters of text below it (no whitespace, no skipped elements) and of link text.
struct Stats {
  std::size_t text = 0;
  std::size_t link_text = 0;
  std::size_t links = 0;
};

std::size_t visible_chars(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += !is_space(c) && (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Post-order over the tree without recursion (pages nest deeply; the stack would not). Counts
// add up in the frames; each element is written to the map once.
std::unordered_map<const GumboNode*, Stats> compute_stats(const GumboNode* root,
                                                          std::size_t expected_elements) {
  std::unordered_map<const GumboNode*, Stats> stats;
  stats.reserve(expected_elements);
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
    Stats sum;
  };
  std::vector<Frame> stack{{root, 0, {}}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    const GumboNode* node = f.node;
    if (f.next_child < node->v.element.children.length) {
      auto* child = static_cast<const GumboNode*>(node->v.element.children.data[f.next_child++]);
      if (child->type == GUMBO_NODE_ELEMENT) {
        if (!is_skipped_tag(tag_of(child))) stack.push_back({child, 0, {}});
      } else if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) {
        f.sum.text += visible_chars(child->v.text.text);
      }
      continue;
    }
    Stats own = f.sum;
    if (tag_of(node) == GUMBO_TAG_A) {
      own.link_text = own.text;
      own.links += 1;
    }
    stats.emplace(node, own);
    stack.pop_back();
    if (!stack.empty()) {
      Stats& parent = stack.back().sum;
      parent.text += own.text;
      parent.link_text += own.link_text;
      parent.links += own.links;
    }
  }
  return stats;
}

// Builds the output lines; whitespace collapses inside a line. Spoiler text is wrapped in
// kSpoilerOpen/kSpoilerClose per line.
class TextBuilder {
 public:
  void text(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (is_space(c) || (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0')) {
        if (c == '\xC2') ++i;
        pending_space_ = !line_.empty();
        continue;
      }
      // A private-use marker in the page itself would forge a spoiler span: drop it.
      if (c == '\xEE' && i + 2 < s.size() && s[i + 1] == '\x80' &&
          (s[i + 2] == '\x80' || s[i + 2] == '\x81')) {
        i += 2;
        continue;
      }
      if (pending_space_) line_ += ' ';
      pending_space_ = false;
      if (spoiler_depth_ > 0 && !spoiler_open_) {
        line_ += kSpoilerOpen;
        spoiler_open_ = true;
      }
      line_ += c;
    }
  }
  void raw(std::string_view s) {
    pending_space_ = false;
    line_ += s;
  }
  void enter_spoiler() { ++spoiler_depth_; }
  void leave_spoiler() {
    if (--spoiler_depth_ == 0) close_spoiler();
  }
  // Ends the current line; `blank` asks for an empty line after it (a block boundary).
  void end_line(bool blank) {
    close_spoiler();
    pending_space_ = false;
    while (!line_.empty() && line_.back() == ' ') line_.pop_back();
    if (!line_.empty()) {
      std::string_view l = line_;
      std::size_t hashes = 0;
      while (hashes < l.size() && l[hashes] == '#') ++hashes;
      bool looks_like_heading = hashes > 0 && hashes < l.size() && l[hashes] == ' ';
      if (looks_like_heading && prefix_.empty()) out_ += '\\';
      out_ += prefix_;
      out_ += line_;
      out_ += '\n';
      line_.clear();
      last_blank_ = false;
    }
    prefix_.clear();
    if (blank && !last_blank_ && !out_.empty()) {
      out_ += '\n';
      last_blank_ = true;
    }
  }
  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }
  std::string finish() {
    end_line(false);
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    if (!out_.empty()) out_ += '\n';
    return std::move(out_);
  }

 private:
  void close_spoiler() {
    if (!spoiler_open_) return;
    while (!line_.empty() && line_.back() == ' ') line_.pop_back();
    line_ += kSpoilerClose;
    spoiler_open_ = false;
  }

  std::string out_;
  std::string line_;
  std::string prefix_;
  bool pending_space_ = false;
  bool last_blank_ = true;
  int spoiler_depth_ = 0;
  bool spoiler_open_ = false;
};

// How inner_text separates the text of blocks and <br>: a space, or a line break (bylines,
// where "By Jane Doe<br>Staff Writer" is a name and a title).
enum class Breaks { kSpace, kNewline };

// The text of an element, whitespace collapsed (for <title>, <h1>, itemprop values).
std::string inner_text(const GumboNode* node, std::size_t limit = 2000,
                       Breaks breaks = Breaks::kSpace) {
  std::string out;
  std::vector<const GumboNode*> stack{node};
  bool space = false;
  bool newline = false;
  while (!stack.empty() && out.size() < limit) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
        n->type == GUMBO_NODE_WHITESPACE) {
      for (const char* p = n->v.text.text; *p; ++p) {
        if (is_space(*p)) {
          space = !out.empty();
        } else {
          if (space) out += newline ? '\n' : ' ';
          space = newline = false;
          out += *p;
        }
      }
      space = space || n->type == GUMBO_NODE_WHITESPACE;
    } else if (n->type == GUMBO_NODE_ELEMENT && (n == node || !is_skipped_tag(tag_of(n)) ||
                                                 tag_of(n) == GUMBO_TAG_TITLE)) {
      const GumboVector& children = n->v.element.children;
      for (unsigned i = children.length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i]));
      }
      if (n != node && (is_block_tag(tag_of(n)) || tag_of(n) == GUMBO_TAG_BR)) {
        space = !out.empty();
        newline = space && breaks == Breaks::kNewline;
      }
    }
  }
  return std::string(trim(out));
}

std::string imdb_title_in(std::string_view href) {
  std::size_t p = href.find("/title/tt");
  if (p == std::string_view::npos) return {};
  std::size_t b = p + 7, e = b + 2;
  while (e < href.size() && is_digit(href[e])) ++e;
  if (e - b - 2 < 7 || e - b - 2 > 8) return {};
  return std::string(href.substr(b, e - b));
}

class Reader {
 public:
  Reader(const HtmlReadOptions& options, HtmlPage& page, std::size_t expected_elements)
      : options_(options), page_(page), expected_elements_(expected_elements) {}

  void read(const GumboNode* root) {
    collect_markup(root);
    stats_ = compute_stats(root, expected_elements_);
    body_text_ = stats_[root].text;
    const GumboNode* start = root;
    if (options_.main_content_only && options_.main_content_only(page_.markup)) {
      if (const GumboNode* main = find_main(root)) start = main;
    }
    emit(start);
    page_.text = builder_.finish();
  }

 private:
  // Everything the markup says about the page, from the whole tree (head included).
  void collect_markup(const GumboNode* root) {
    HtmlMarkup& m = page_.markup;
    m.lang = std::string(attribute(root, "lang"));
    std::vector<const GumboNode*> stack{root};
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type != GUMBO_NODE_ELEMENT) continue;
      GumboTag t = tag_of(n);
      std::string_view itemprop = attribute(n, "itemprop");
      if (t == GUMBO_TAG_TITLE && m.title.empty()) {
        m.title = inner_text(n);
      } else if (t == GUMBO_TAG_META) {
        std::string_view key = attribute(n, "property");
        if (key.empty()) key = attribute(n, "name");
        if (key.empty()) key = itemprop;
        std::string_view content = attribute(n, "content");
        if (content.empty()) content = attribute(n, "value");  // seen on real pages
        if (!key.empty() && !content.empty() && m.meta.size() < 500) {
          m.meta.emplace_back(to_lower(key), std::string(trim(content)));
        }
        continue;
      } else if (t == GUMBO_TAG_LINK) {
        std::string rel = to_lower(attribute(n, "rel"));
        if (rel == "canonical" && m.canonical.empty()) m.canonical = attribute(n, "href");
        continue;
      } else if (t == GUMBO_TAG_SCRIPT) {
        if (to_lower(attribute(n, "type")) == "application/ld+json" && m.json_ld.size() < 50) {
          std::string text;
          for (unsigned i = 0; i < n->v.element.children.length; ++i) {
            auto* c = static_cast<const GumboNode*>(n->v.element.children.data[i]);
            if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA ||
                c->type == GUMBO_NODE_WHITESPACE) {
              text += c->v.text.text;
            }
          }
          m.json_ld.push_back(std::move(text));
        }
        continue;
      }
      if (t != GUMBO_TAG_HTML && t != GUMBO_TAG_BODY) collect_lines(n, m);
      if (!itemprop.empty() && m.itemprops.size() < 500) {
        std::string_view value = attribute(n, "content");
        if (value.empty()) value = attribute(n, "datetime");
        std::string owned;
        if (value.empty() && (t == GUMBO_TAG_A || t == GUMBO_TAG_LINK) &&
            to_lower(itemprop) == "url") {
          value = attribute(n, "href");
        }
        if (value.empty()) {
          owned = inner_text(n, 300);
          value = owned;
        }
        if (!value.empty()) m.itemprops.emplace_back(to_lower(itemprop), std::string(value));
      }
      if (is_skipped_tag(t) && t != GUMBO_TAG_HEAD) continue;
      const GumboVector& children = n->v.element.children;
      for (unsigned i = children.length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i]));
      }
    }
  }

  // Bylines and datelines by the words of class, id, rel and data-testid.
  static void collect_lines(const GumboNode* n, HtmlMarkup& m) {
    if (m.bylines.size() >= 5 && m.datelines.size() >= 5) return;
    std::string joined;
    std::vector<std::string> words = hint_words(n, &joined);
    std::string testid = to_lower(attribute(n, "data-testid"));
    bool byline = attribute(n, "rel") == "author" || joined.find("byline") != std::string::npos ||
                  testid.find("byline") != std::string::npos ||
                  testid.find("author") != std::string::npos;
    bool dateline = false;
    for (const std::string& w : words) {
      byline = byline || w == "author" || w == "authors" || w == "author-name" || w == "by";
      dateline = dateline || w == "date" || w == "published" || w == "pubdate" ||
                 w == "timestamp" || w == "dateline" || w == "time";
    }
    if (byline && m.bylines.size() < 5) {
      std::string text = inner_text(n, 200, Breaks::kNewline);
      if (!text.empty() && text.size() < 120) m.bylines.push_back(std::move(text));
    }
    if (dateline && m.datelines.size() < 5) {
      std::string text = inner_text(n, 200);
      if (!text.empty() && text.size() < 80) m.datelines.push_back(std::move(text));
    }
  }

  // The one main container of an article page, or nullptr.
  const GumboNode* find_main(const GumboNode* root) {
    const GumboNode* body_tagged = nullptr;  // itemprop=articleBody
    const GumboNode* best_article = nullptr;
    std::size_t article_total = 0;
    const GumboNode* main = nullptr;
    const GumboNode* classed = nullptr;  // class names an article body
    std::vector<const GumboNode*> stack{root};
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type != GUMBO_NODE_ELEMENT || is_skipped_tag(tag_of(n))) continue;
      std::size_t text = stats_[n].text;
      GumboTag t = tag_of(n);
      std::string itemprop = to_lower(attribute(n, "itemprop"));
      if (itemprop == "articlebody" || itemprop == "reviewbody") {
        if (!body_tagged || text > stats_[body_tagged].text) body_tagged = n;
      } else if (t == GUMBO_TAG_ARTICLE) {
        article_total += text;
        if (!best_article || text > stats_[best_article].text) best_article = n;
      } else if ((t == GUMBO_TAG_MAIN || attribute(n, "role") == "main") && !main) {
        main = n;
      } else {
        std::string joined;
        hint_words(n, &joined);
        for (std::string_view c : {"article-body", "articlebody", "story-body", "storybody",
                                   "entry-content", "post-content", "article-content",
                                   "article__body", "post-body", "c-entry-content"}) {
          if (joined.find(c) != std::string::npos && (!classed || text > stats_[classed].text)) {
            classed = n;
          }
        }
      }
      const GumboVector& children = n->v.element.children;
      for (unsigned i = children.length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i]));
      }
    }
    constexpr std::size_t kMinText = 200;
    auto big = [&](const GumboNode* n) { return n && stats_[n].text >= kMinText; };
    if (big(body_tagged)) return widen(body_tagged);
    if (big(classed)) return widen(classed);
    if (big(best_article) && stats_[best_article].text * 2 >= article_total) return best_article;
    if (big(main)) return main;
    return nullptr;
  }

  // An article body is sometimes split in several sibling containers (paragraph groups
  // between ads): the parent holds them all when the chosen one has most of its text.
  const GumboNode* widen(const GumboNode* n) {
    const GumboNode* parent = n->parent;
    if (parent == nullptr || parent->type != GUMBO_NODE_ELEMENT) return n;
    std::size_t mine = stats_[n].text;
    std::size_t theirs = stats_[parent].text;
    std::size_t same_kind = 0;
    std::string cls(attribute(n, "class"));
    const GumboVector& siblings = parent->v.element.children;
    for (unsigned i = 0; i < siblings.length; ++i) {
      auto* s = static_cast<const GumboNode*>(siblings.data[i]);
      if (s != n && s->type == GUMBO_NODE_ELEMENT && !cls.empty() && attribute(s, "class") == cls) {
        same_kind += stats_[s].text;
      }
    }
    if (same_kind > 0 && (mine + same_kind) * 10 >= theirs * 8) return parent;
    return n;
  }

  bool is_furniture(const GumboNode* n, bool in_article) {
    GumboTag t = tag_of(n);
    if (t == GUMBO_TAG_HTML || t == GUMBO_TAG_BODY) return false;
    const Stats& s = stats_[n];
    // A container holding most of the page is the page, whatever its class says.
    bool dominant = body_text_ > 500 && s.text * 2 >= body_text_;
    if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER) return !dominant;
    if (t == GUMBO_TAG_HEADER && !in_article) return !dominant;
    std::string_view role = attribute(n, "role");
    if (role == "navigation" || role == "banner" || role == "contentinfo" ||
        role == "complementary" || role == "search" || role == "menu" || role == "menubar" ||
        role == "dialog" || role == "alertdialog") {
      return !dominant;
    }
    if (t == GUMBO_TAG_MAIN || t == GUMBO_TAG_ARTICLE) {
      if (!dominant && furniture_hint(n) == Hint::kStrongFurniture) return true;
      return false;
    }
    std::string itemprop = to_lower(attribute(n, "itemprop"));
    if (itemprop == "articlebody" || itemprop == "reviewbody") return false;
    if (!dominant && furniture_hint(n) != Hint::kNone) return true;
    // Link lists: menus, tag clouds, "more like this" rows.
    if (!dominant && s.links >= 3 && s.text > 0) {
      bool listy = t == GUMBO_TAG_UL || t == GUMBO_TAG_OL || t == GUMBO_TAG_DIV ||
                   t == GUMBO_TAG_SECTION || t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TBODY ||
                   t == GUMBO_TAG_TD || t == GUMBO_TAG_TR || t == GUMBO_TAG_P ||
                   t == GUMBO_TAG_SPAN || t == GUMBO_TAG_CENTER;
      bool dense = s.link_text * 10 >= s.text * 7 || (s.links >= 8 && s.link_text * 2 >= s.text);
      // Credits are links too ("Director: <a>...</a>"): a block that labels them is content.
      if (listy && dense) return !has_film_label(inner_text(n, 4000));
    }
    return false;
  }

  // Emits the content below `root` as lines.
  void emit(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      unsigned next_child;
      bool spoiler;
      bool in_article;
    };
    std::vector<Frame> stack;
    auto enter = [&](const GumboNode* n, bool in_article) {
      GumboTag t = tag_of(n);
      if (is_skipped_tag(t)) return;
      // A link's label describes the page it leads to: a warning in it ("full synopsis (may
      // contain spoilers)", "A note regarding spoilers") is about that page, not this text, so
      // the label is navigation. A negation ("our spoiler-free review") is kept as text.
      if (t == GUMBO_TAG_A) {
        std::string label = inner_text(n, 200);
        if (names_spoiler(label) &&
            (is_spoiler_heading(label) || !find_inline_spoilers(label).empty())) {
          return;
        }
      }
      bool spoiler = names_spoiler(attribute(n, "class")) || names_spoiler(attribute(n, "id"));
      if (t == GUMBO_TAG_DETAILS) {
        for (unsigned i = 0; i < n->v.element.children.length; ++i) {
          auto* c = static_cast<const GumboNode*>(n->v.element.children.data[i]);
          if (c->type == GUMBO_NODE_ELEMENT && tag_of(c) == GUMBO_TAG_SUMMARY &&
              names_spoiler(inner_text(c, 200))) {
            spoiler = true;
          }
        }
      }
      if (!spoiler && (is_hidden(n) || is_furniture(n, in_article))) return;
      // A spoiler banner or label ("Warning: spoilers ahead", "<em class=spoiler>Spoiler:</em>")
      // is marked as spoiler but says so itself: it is not the spoiler, what follows it in its
      // parent is.
      if (spoiler && !stack.empty() && names_spoiler(inner_text(n, 600))) {
        spoiler = false;
        Frame& parent = stack.back();
        if (!parent.spoiler) {
          parent.spoiler = true;
          pending_banner_ = true;
        }
      }
      in_article = in_article || t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN;
      open_element(n);
      if (spoiler) builder_.enter_spoiler();
      stack.push_back({n, 0, spoiler, in_article});
    };
    enter(root, false);
    while (!stack.empty()) {
      Frame& f = stack.back();
      const GumboNode* n = f.node;
      if (f.next_child < n->v.element.children.length) {
        auto* child = static_cast<const GumboNode*>(n->v.element.children.data[f.next_child++]);
        bool in_article = f.in_article;
        if (child->type == GUMBO_NODE_ELEMENT) {
          // Depth is bounded by the tree gumbo built; the frames are on the heap.
          enter(child, in_article);
        } else if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
                   child->type == GUMBO_NODE_WHITESPACE) {
          builder_.text(child->v.text.text);
        }
        continue;
      }
      bool spoiler = f.spoiler;
      stack.pop_back();
      close_element(n);
      if (pending_banner_ && !stack.empty() && stack.back().spoiler && n != root) {
        // The banner's own text is done: what follows in the parent is the spoiler.
        pending_banner_ = false;
        builder_.enter_spoiler();
      }
      if (spoiler) builder_.leave_spoiler();
    }
  }

  void open_element(const GumboNode* n) {
    GumboTag t = tag_of(n);
    if (t == GUMBO_TAG_A && page_.markup.first_imdb_title_link.empty()) {
      page_.markup.first_imdb_title_link = imdb_title_in(attribute(n, "href"));
    }
    if (t == GUMBO_TAG_TIME) {
      std::string_view dt = attribute(n, "datetime");
      if (!dt.empty() && page_.markup.times.size() < 20) page_.markup.times.emplace_back(dt);
    }
    if (t == GUMBO_TAG_H1 && page_.markup.h1.size() < 5) page_.markup.h1.push_back(inner_text(n, 400));
    if (t == GUMBO_TAG_BR) {
      builder_.end_line(false);
    } else if (is_heading(t)) {
      builder_.end_line(true);
      builder_.set_prefix(std::string(static_cast<std::size_t>(heading_level(t)), '#') + " ");
    } else if (t == GUMBO_TAG_LI) {
      builder_.end_line(false);
      builder_.set_prefix("- ");
    } else if (t == GUMBO_TAG_DT || t == GUMBO_TAG_TR) {
      builder_.end_line(false);
      after_dt_ = false;
    } else if (t == GUMBO_TAG_DD || t == GUMBO_TAG_TD) {
      if (!after_dt_) builder_.text(" ");
      after_dt_ = false;
    } else if (t == GUMBO_TAG_IMG) {
      builder_.text(" ");
    } else if (is_block_tag(t)) {
      builder_.end_line(true);
    }
  }

  void close_element(const GumboNode* n) {
    GumboTag t = tag_of(n);
    if (is_heading(t)) {
      builder_.end_line(true);
    } else if (t == GUMBO_TAG_DT || t == GUMBO_TAG_TH) {
      builder_.raw(": ");
      after_dt_ = true;
    } else if (t == GUMBO_TAG_LI || t == GUMBO_TAG_DD) {
      builder_.end_line(false);
    } else if (is_block_tag(t)) {
      builder_.end_line(true);
    }
  }

  const HtmlReadOptions& options_;
  HtmlPage& page_;
  TextBuilder builder_;
  std::unordered_map<const GumboNode*, Stats> stats_;
  std::size_t expected_elements_ = 0;
  std::size_t body_text_ = 0;
  bool after_dt_ = false;
  bool pending_banner_ = false;  // a spoiler banner was entered; its parent turns spoiler after it
};


// Elements that never nest in practice: void elements and those a sibling start tag closes.
bool is_flat_tag(std::string_view name) {
  for (std::string_view t : {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "area",
                             "base", "col", "embed", "param", "track", "p", "li", "dt", "dd",
                             "tr", "td", "th", "option", "!doctype"}) {
    if (name == t) return true;
  }
  return false;
}

// What gumbo is given. Two things make gumbo slow that never reach the text: raw text it
// tokenizes character by character (scripts, styles: half the bytes of a modern page) and deep
// nesting (its tree builder takes time quadratic in the depth: start tags scan the stack of
// open elements, so 30,000 nested <div>s take minutes). So, in one pass: comments, and the
// bodies of <style> and of <script> other than JSON-LD, are removed; tags nested deeper than
// kMaxDepth are removed (their text stays, as text of the deepest kept element).
constexpr int kMaxDepth = 512;

std::string prepare_markup(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  int depth = 0;
  std::size_t from = 0;  // html[from, i) is still to be copied
  std::size_t i = 0;
  auto drop = [&](std::size_t b, std::size_t e, std::string_view replacement) {
    out.append(html.substr(from, b - from));
    out += replacement;
    from = e;
  };
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.substr(i, 4) == "<!--") {
      std::size_t end = html.find("-->", i + 4);
      end = end == std::string_view::npos ? html.size() : end + 3;
      drop(i, end, " ");
      i = end;
      continue;
    }
    std::size_t j = i + 1;
    bool closing = j < html.size() && html[j] == '/';
    if (closing) ++j;
    std::size_t name_begin = j;
    while (j < html.size() && (is_alnum(html[j]) || html[j] == '-' || html[j] == '!')) ++j;
    if (j == name_begin) {
      ++i;
      continue;
    }
    std::string name = to_lower(html.substr(name_begin, j - name_begin));
    std::size_t end = html.find('>', j);
    if (end == std::string_view::npos) break;
    ++end;
    if (!closing && (name == "script" || name == "style" || name == "textarea" ||
                     name == "title" || name == "xmp")) {
      std::string close = "</" + name;
      std::size_t k = end;
      // Raw text runs to its end tag, in any case.
      while (k < html.size()) {
        k = html.find("</", k);
        if (k == std::string_view::npos || to_lower(html.substr(k, close.size())) == close) break;
        k += 2;
      }
      if (k == std::string_view::npos) k = html.size();
      bool keep = name == "title" || name == "textarea" || name == "xmp" ||
                  (name == "script" &&
                   to_lower(html.substr(i, end - i)).find("ld+json") != std::string::npos);
      if (!keep) drop(end, k, "");
      i = k;
      continue;
    }
    bool self_closing = html[end - 2] == '/';
    if (!is_flat_tag(name) && !self_closing) {
      if (closing) {
        if (depth > kMaxDepth) drop(i, end, " ");
        depth = std::max(0, depth - 1);
      } else {
        ++depth;
        if (depth > kMaxDepth) drop(i, end, " ");
      }
    }
    i = end;
  }
  out.append(html.substr(from));
  return out;
}

}  // namespace

std::string without_spoiler_markers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\xEE' && i + 2 < text.size() && text[i + 1] == '\x80' &&
        (text[i + 2] == '\x80' || text[i + 2] == '\x81')) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

HtmlPage read_html(std::string_view html, const HtmlReadOptions& options) {
  std::string repaired;
  if (!is_valid_utf8(html)) {
    repaired = repair_utf8(html);
    html = repaired;
  }
  const std::string prepared = prepare_markup(html);
  html = prepared;
  GumboOptions gumbo_options = kGumboDefaultOptions;
  gumbo_options.max_errors = 0;  // parse errors are not reported to anyone: do not keep them
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
      gumbo_parse_with_options(&gumbo_options, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  HtmlPage page;
  if (!output || output->root == nullptr || output->root->type != GUMBO_NODE_ELEMENT) return page;
  // About one element per 40 bytes of markup on real pages: the map is sized once.
  Reader(options, page, html.size() / 40 + 16).read(output->root);
  return page;
}

}  // namespace filmsearch::corpus::page
