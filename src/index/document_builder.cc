#include "index/document_builder.h"

#include <algorithm>
#include <functional>

#include "corpus/page_parser.h"
#include "index/facet_key.h"
#include "index/schema.h"
#include "index/stored_record.h"
#include "text/language.h"

namespace filmsearch::index {
namespace {

// Xapian's term limit is 245 bytes; keep a margin for the prefix.
constexpr std::size_t kMaxBooleanTermBytes = 240;

std::string decade_of(int year) {
  int d = year >= 0 ? year / 10 * 10 : -((-year + 9) / 10 * 10);
  return std::to_string(d) + "s";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += schema::kListSeparator;
    out += s;
  }
  return out;
}

// Letters only: what a person might misspell in a query. Numbers and "2h" are not.
bool is_spelling_word(const text::Token& token, std::size_t min_bytes) {
  if (token.kind != text::TokenKind::kWord || token.text.size() < min_bytes) return false;
  return std::none_of(token.text.begin(), token.text.end(),
                      [](char c) { return c >= '0' && c <= '9'; });
}

// Inherited fields, applying a review's own fields first.
struct Effective {
  const std::string* title;
  std::optional<int> year;
  const std::vector<std::string>* genres;
  bool title_inherited;
};

Effective effective_fields(const corpus::Record& r, const FilmInfo* film) {
  Effective e{&r.title, r.year, &r.genres, false};
  if (r.type != corpus::RecordType::kReview || film == nullptr) return e;
  if (r.title.empty() && !film->title.empty()) {
    e.title = &film->title;
    e.title_inherited = true;
  }
  if (!e.year) e.year = film->year;
  if (r.genres.empty()) e.genres = &film->genres;
  return e;
}

// The genre slot's spellings (facet labels): a genre written in lower case ("drama") is shown
// as "Drama", so two spellings that differ only in a first letter's case are one label whichever
// documents a facet count sees (FacetTable and FacetSpy pick a value's label among the
// spellings they meet, and over shards they meet different ones). Records keep their own text.
std::string genre_slot(const std::vector<std::string>& genres) {
  std::vector<std::string> shown = genres;
  for (auto& g : shown) {
    if (!g.empty() && g[0] >= 'a' && g[0] <= 'z') g[0] = static_cast<char>(g[0] - 'a' + 'A');
  }
  return join(shown);
}

std::string signature(std::string_view title, std::string_view year, std::string_view genres) {
  std::string s(title);
  s += '\n';
  s += year;
  s += '\n';
  s += genres;
  return s;
}

}  // namespace

FilmInfo FilmInfo::of(const corpus::Record& film) {
  return FilmInfo{film.title, film.year, film.genres};
}

std::string boolean_term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  if (prefix.size() + value.size() <= kMaxBooleanTermBytes) {
    term += value;
    return term;
  }
  std::size_t keep = kMaxBooleanTermBytes - prefix.size() - 17;
  // Cut on a UTF-8 boundary so the term stays valid text.
  while (keep > 0 && (static_cast<unsigned char>(value[keep]) & 0xC0) == 0x80) --keep;
  term += value.substr(0, keep);
  char hex[18];
  std::snprintf(hex, sizeof hex, "#%016zx", std::hash<std::string_view>{}(value));
  term += hex;
  return term;
}

std::string_view film_key(const corpus::Record& record) {
  if (!record.film_id.empty()) return record.film_id;
  if (record.type == corpus::RecordType::kFilm) return record.id;
  return {};
}

std::string title_key_term(std::string_view prefix, const std::vector<std::string>& folded_words) {
  std::string key;
  for (const auto& w : folded_words) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key.empty() ? key : boolean_term(prefix, key);
}

bool has_derived_film_key(const corpus::Record& record) {
  return record.type == corpus::RecordType::kFilm && record.film_id != record.id &&
         record.film_id.starts_with(corpus::kDerivedFilmIdPrefix);
}

std::string film_alias(const corpus::Record& record) {
  if (record.type != corpus::RecordType::kFilm ||
      film_key(record).starts_with(corpus::kDerivedFilmIdPrefix)) {
    return {};
  }
  std::string alias = corpus::derived_film_id(record.title, record.year);
  // A slug never starts with '-': "film:" or "film:-1948" is a title with nothing to slug,
  // which would join every page with an empty title.
  const std::size_t slug = corpus::kDerivedFilmIdPrefix.size();
  if (alias.size() == slug || alias[slug] == '-') return {};
  return alias;
}

std::string DocumentBuilder::language_of(std::string_view lang) {
  // One BCP 47 code per language ("English", "en-US" and "EN" are all "en"); an unknown value is
  // undetermined, as an empty one is (corpus/reader.cc clears it and reports it once per file).
  const std::optional<std::string> code = text::normalize_language(lang);
  return !code || code->empty() ? "en" : *code;
}

DocumentBuilder::DocumentBuilder() = default;
DocumentBuilder::DocumentBuilder(Options options) : options_(options) {}

TermMaker& DocumentBuilder::term_maker(std::string_view lang) {
  auto it = term_makers_.find(lang);
  if (it == term_makers_.end()) {
    it = term_makers_.emplace(std::string(lang), std::make_unique<TermMaker>(lang)).first;
  }
  return *it->second;
}

void DocumentBuilder::index_words(std::string_view text, std::string_view prefix,
                                  bool also_unprefixed, Xapian::termcount wdf, TermMaker& terms,
                                  Xapian::Document* doc, SpellingCounts* spelling,
                                  std::size_t min_spelling_bytes) {
  analyzer_.tokenize(text, &tokens_, next_position_);
  if (tokens_.empty()) return;
  for (const auto& token : tokens_) {
    const std::string& t = terms.term(token);
    if (t.empty()) continue;
    if (!prefix.empty()) {
      term_.assign(prefix);
      term_ += t;
      doc->add_posting(term_, token.position, wdf);
    }
    if (also_unprefixed) doc->add_posting(t, token.position, wdf);
    if (spelling && is_spelling_word(token, min_spelling_bytes)) ++(*spelling)[token.text];
  }
  for (const auto& compound : text::hyphen_compounds(text, tokens_)) {
    const std::string& t = terms.compound_term(compound);
    if (t.empty()) continue;
    if (!prefix.empty()) doc->add_term(std::string(prefix) + t, wdf);
    if (also_unprefixed) doc->add_term(t, wdf);
  }
  next_position_ = tokens_.back().position + 1 + kPositionGap;
}

void DocumentBuilder::add_title_keys(Xapian::Document* doc) {
  std::vector<std::string> words;
  for (const auto& token : tokens_) words.push_back(token.text);
  if (words.empty()) return;
  doc->add_boolean_term(title_key_term(schema::kTitleKeyPrefix, words));
  static const std::string kArticles[] = {"the", "a", "an"};
  if (words.size() > 1 && std::find(std::begin(kArticles), std::end(kArticles), words.front()) !=
                              std::end(kArticles)) {
    words.erase(words.begin());
    doc->add_boolean_term(title_key_term(schema::kTitleKeyNoArticlePrefix, words));
  }
}

void DocumentBuilder::index_section(const corpus::Section& section, TermMaker& terms,
                                    Xapian::Document* doc, SpellingCounts* spelling) {
  const Xapian::termcount wdf = schema::section_wdf(section.kind);
  bool any = false;
  Xapian::termcount left_out = 0;
  walk_section(section, terms, next_position_,
               [&](const std::string& term, const text::Token& token, bool stopword) {
                 // Without positions a stopword could only be searched by a phrase, and
                 // phrases there are checked against the stored text (search::
                 // StoredPhraseSource): a third of a section's terms, left out.
                 if (options_.section_positions) {
                   doc->add_posting(term, token.position, wdf);
                 } else if (!stopword) {
                   doc->add_term(term, wdf);
                 } else {
                   left_out += wdf;
                 }
                 if (spelling && is_spelling_word(token, 3)) ++(*spelling)[token.text];
                 any = true;
               });
  // "Spider-Man" is also "spiderman" (text::hyphen_compounds), as a word without position:
  // phrases go by the parts.
  for (const auto& compound : text::hyphen_compounds(section.text, tokens_)) {
    const std::string& t = terms.compound_term(compound);
    if (t.empty()) continue;
    const std::uint32_t at = tokens_[compound.first].begin;
    const bool spoiler = corpus::overlaps_spoiler(section.spoiler_spans, at, at + 1);
    doc->add_term(spoiler ? std::string(schema::kSpoilerTextPrefix) + t : t, wdf);
  }
  if (!tokens_.empty()) next_position_ = tokens_.back().position + 1 + kPositionGap;
  // The marker's wdf counts the stopwords left out, so the document's length (BM25's length
  // normalisation) is what it would be with them.
  if (any && !options_.section_positions) {
    doc->add_term(std::string(schema::kUnpositionedTerm), left_out);
  }
}

Xapian::Document DocumentBuilder::build(const corpus::Record& r, const FilmInfo* film,
                                        SpellingCounts* spelling, std::string_view joined_to) {
  using schema::slot;
  using schema::Slot;
  Xapian::Document doc;
  next_position_ = kPositionGap;  // see kPositionGap: nothing at position 0
  const Effective eff = effective_fields(r, film);
  const std::string lang = language_of(r.lang);
  TermMaker& terms = term_maker(lang);

  // Boolean terms and values.
  doc.add_boolean_term(boolean_term(schema::kIdPrefix, r.id));
  const bool joined = !joined_to.empty() && has_derived_film_key(r);
  const std::string_view key = joined ? joined_to : film_key(r);
  if (!key.empty()) doc.add_boolean_term(boolean_term(schema::kFilmPrefix, key));
  if (joined) {
    doc.add_boolean_term(boolean_term(schema::kFilmAliasPrefix, r.film_id));
  } else if (std::string alias = film_alias(r); !alias.empty()) {
    doc.add_boolean_term(boolean_term(schema::kFilmAliasPrefix, alias));
  }
  doc.add_value(slot(Slot::kFilmKey), std::string(key.empty() ? std::string_view(r.id) : key));
  doc.add_value(slot(Slot::kOrderKey), std::string(key.empty() ? std::string_view(r.id) : key) +
                                           schema::kListSeparator + r.id);
  const std::string_view type = corpus::type_name(r.type);
  doc.add_boolean_term(std::string(schema::kTypePrefix) + std::string(type));
  doc.add_value(slot(Slot::kType), std::string(type));
  doc.add_boolean_term(std::string(schema::kLangPrefix) + lang);
  doc.add_value(slot(Slot::kLang), lang);

  for (const auto& genre : *eff.genres) {
    std::string folded = text::Analyzer::fold(genre);
    if (!folded.empty()) doc.add_boolean_term(boolean_term(schema::kGenrePrefix, folded));
  }
  if (!eff.genres->empty()) doc.add_value(slot(Slot::kGenres), genre_slot(*eff.genres));
  if (eff.year) {
    doc.add_boolean_term(std::string(schema::kYearPrefix) + std::to_string(*eff.year));
    std::string decade = decade_of(*eff.year);
    doc.add_boolean_term(std::string(schema::kDecadePrefix) + decade);
    doc.add_value(slot(Slot::kYear), Xapian::sortable_serialise(*eff.year));
    doc.add_value(slot(Slot::kDecade), decade);
  }
  if (r.rating) doc.add_value(slot(Slot::kRating), Xapian::sortable_serialise(*r.rating));
  if (r.runtime_min) {
    doc.add_value(slot(Slot::kRuntime), Xapian::sortable_serialise(*r.runtime_min));
  }
  if (r.votes) {
    doc.add_value(slot(Slot::kVotes), Xapian::sortable_serialise(static_cast<double>(*r.votes)));
  }
  if (!eff.title->empty()) {
    doc.add_value(slot(Slot::kTitleSort), text::Analyzer::fold(*eff.title));
    doc.add_value(slot(Slot::kDisplayTitle), *eff.title);
  }

  std::vector<corpus::SectionKind> kinds;
  bool has_spoiler = false;
  for (const auto& s : r.sections) {
    if (!s.ranked || s.text.empty()) continue;
    if (std::find(kinds.begin(), kinds.end(), s.kind) == kinds.end()) kinds.push_back(s.kind);
    has_spoiler = has_spoiler || !s.spoiler_spans.empty();
  }
  std::string kind_list;
  for (auto k : kinds) {
    doc.add_boolean_term(std::string(schema::kKindPrefix) + std::string(corpus::kind_name(k)));
    if (!kind_list.empty()) kind_list += schema::kListSeparator;
    kind_list += corpus::kind_name(k);
  }
  if (!kind_list.empty()) doc.add_value(slot(Slot::kKinds), kind_list);
  if (has_spoiler) doc.add_boolean_term(std::string(schema::kSpoilerPrefix) + "spoiler");

  // Free text. An inherited title is searchable as title:... but does not count as the review's
  // own words, so reviews do not outrank their film on its title.
  index_words(*eff.title, schema::kTitlePrefix, !eff.title_inherited, schema::kTitleWdf, terms,
              &doc, eff.title_inherited ? nullptr : spelling, 2);
  if (r.type == corpus::RecordType::kFilm && !eff.title->empty()) add_title_keys(&doc);
  for (const auto& name : r.directors) {
    index_words(name, schema::kDirectorPrefix, true, 1, terms, &doc, spelling, 2);
  }
  for (const auto& name : r.cast) {
    index_words(name, schema::kCastPrefix, true, 1, terms, &doc, spelling, 2);
  }
  for (const auto& topic : r.topics) index_words(topic, "", true, 1, terms, &doc, nullptr, 0);
  SpellingCounts* text_spelling =
      r.type == corpus::RecordType::kReview && !options_.review_spelling ? nullptr : spelling;
  for (const auto& s : r.sections) {
    if (s.ranked) index_section(s, terms, &doc, text_spelling);
  }

  store_record(r, &doc, options_.record_dictionary.get());
  doc.add_value(slot(Slot::kFacetKey), facet_key(doc));
  return doc;
}

std::string DocumentBuilder::inherited_signature(const corpus::Record& record,
                                                 const FilmInfo* film) {
  const Effective eff = effective_fields(record, film);
  return signature(*eff.title, eff.year ? Xapian::sortable_serialise(*eff.year) : std::string(),
                   eff.genres->empty() ? std::string() : genre_slot(*eff.genres));
}

std::string DocumentBuilder::inherited_signature(const Xapian::Document& doc) {
  using schema::slot;
  using schema::Slot;
  return signature(doc.get_value(slot(Slot::kDisplayTitle)), doc.get_value(slot(Slot::kYear)),
                   doc.get_value(slot(Slot::kGenres)));
}

}  // namespace filmsearch::index
