#include "search/searcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>
#include <thread>
#include <unordered_map>

#include "error.h"
#include "index/document_builder.h"
#include "index/read_retry.h"
#include "index/schema.h"
#include "index/stored_record.h"
#include "search/facet_table.h"
#include "search/facets.h"
#include "search/match_set.h"
#include "search/open_index_internal.h"
#include "search/query_parser.h"
#include "search/shard_set.h"
#include "search/snippets.h"
#include "text/stopwords.h"

namespace filmsearch::search {
namespace {

namespace schema = index::schema;

// Ranking knobs, tuned on known-item questions (see README, "Ranking").
struct Ranking {
  // BM25: term frequency saturation, query frequency saturation, length normalisation.
  double k1 = 0.9;
  double k2 = 0.0;
  double k3 = 1.0;
  double b = 0.75;
  double min_normlen = 0.5;
  // Film grouping: documents fetched (at least), documents kept per film, and the share of each
  // further document's score added to the film's best: score = w1 + d*w2 + d^2*w3 ...
  // 150 rather than 300: the same MRR@10 within noise on the first 300 dev questions (0.116 both)
  // and on the next 700 (0.121 vs 0.119), and the ranked pass prunes sooner (about 25% less CPU
  // on short queries).
  Xapian::doccount film_candidates = 150;
  Xapian::doccount per_film = 4;
  double decay = 0.25;
};
const Ranking kRanking;


// How long a search (and opening the index) keeps retrying reads that race a writer's commits
// (index/read_retry.h).
constexpr std::chrono::milliseconds kRetryFor{20000};
// A search without facets counts its matches exactly up to this many documents (films, when
// grouped by film); beyond, the total is an estimate and says so (total_exact false).
constexpr Xapian::doccount kExactTotalUpTo = 5000;
// Words checked against the index for "did you mean".
constexpr std::size_t kMaxSpellingChecks = 16;
// A query of this many words or more is a question: "did you mean" gives back only the
// corrected words, never the whole question.
constexpr std::size_t kLongQuestionWords = 8;
// --group-by section: documents whose sections are ranked (at least; more when paging deeper).
constexpr Xapian::doccount kSectionCandidates = 100;
// Pages of one film weighed for its metadata when it has no record of its own.
constexpr Xapian::doccount kMaxFilmPages = 64;

Xapian::Query filtered(const Xapian::Query& query, const Xapian::Query& filter) {
  if (filter.empty()) return query;
  return Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

std::vector<std::string> split_list(const std::string& raw) {
  std::vector<std::string> out;
  if (raw.empty()) return out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find(schema::kListSeparator, start);
    if (end == std::string::npos) end = raw.size();
    if (end > start) out.push_back(raw.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<int> year_of(const Xapian::Document& doc) {
  std::string raw = doc.get_value(schema::slot(schema::Slot::kYear));
  if (raw.empty()) return std::nullopt;
  return static_cast<int>(std::lround(Xapian::sortable_unserialise(raw)));
}

// A matched document, decoded lazily.
struct Match {
  Xapian::docid docid = 0;
  double weight = 0;
  Xapian::Document doc;
  std::optional<corpus::Record> record;
};

}  // namespace

bool parse_group_by(std::string_view name, GroupBy* out) {
  if (name == "film") *out = GroupBy::kFilm;
  else if (name == "document") *out = GroupBy::kDocument;
  else if (name == "section") *out = GroupBy::kSection;
  else return false;
  return true;
}

bool parse_sort(std::string_view name, SortOrder* out) {
  if (name == "relevance") *out = SortOrder::kRelevance;
  else if (name == "year") *out = SortOrder::kYear;
  else if (name == "-year") *out = SortOrder::kYearDesc;
  else if (name == "rating") *out = SortOrder::kRating;
  else if (name == "title") *out = SortOrder::kTitle;
  else return false;
  return true;
}

struct Searcher::Impl {
  std::shared_ptr<IndexReader> reader;
  std::shared_ptr<const IndexRevision> seen;  // the reader's revision this session follows
  std::string path;
  SearcherOptions searcher_options;
  std::optional<ShardSet> shards;  // what db combines (index/shards.h, search/shard_set.h)
  Xapian::Database db;
  QueryParser parser;
  SnippetMaker snippet_maker;
  // Facet values by docid for the open revision: the reader's (shared), or built here once
  // counting facets document by document has cost about as much (see use_table).
  std::shared_ptr<FacetTable> facet_table;
  std::uint64_t slow_documents = 0;  // documents counted without the table so far
  // The running search's deadline (SearchRequest::budget), and what it cut so far.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::vector<std::string> cut;

  bool out_of_time() const { return deadline && std::chrono::steady_clock::now() >= *deadline; }
  // Records that `what` was left out because the budget ran out; true when it did.
  bool cut_for_time(const std::string& what) {
    if (!out_of_time()) return false;
    if (std::find(cut.begin(), cut.end(), what) == cut.end()) cut.push_back(what);
    return true;
  }
  // Xapian stops counting beyond the hits at the deadline (it cannot stop the ranking itself).
  void limit_time(Xapian::Enquire& enquire) const {
    if (!deadline) return;
    const double left =
        std::chrono::duration<double>(*deadline - std::chrono::steady_clock::now()).count();
    enquire.set_time_limit(std::max(left, 1e-6));
  }

  explicit Impl(std::shared_ptr<IndexReader> r)
      : reader(std::move(r)), seen(reader->current()), path(reader->path()),
        searcher_options(reader->options()) {
    shards.emplace(internal::open_index(path, searcher_options, seen->dictionaries));
    db = shards->db();
  }

  // Follows the reader: moves to its revision when it moved (or, when the reader opened the
  // index afresh, opens it afresh too). Cheap when nothing moved.
  void sync() {
    std::shared_ptr<const IndexRevision> now = reader->current();
    if (now == seen) return;
    const bool fresh = now->generation != seen->generation;
    seen = std::move(now);
    if (!fresh && seen->key == shards->revision_key()) return;
    refresh(fresh);
  }

  // Moves to the newest committed revision. `fresh`: open the folder again rather than
  // Database::reopen(), because the indexer swaps a compacted index into place at the end of a
  // run and a reopen of the old files cannot see it. A folder caught mid-swap is tried again
  // on the next attempt.
  // Reopening races the writer too (it can throw what the search threw): then the next attempt
  // runs on whatever is open and fails or succeeds again, within the caller's time bound.
  void refresh(bool fresh) {
    facet_table.reset();  // of the old revision
    bool reopened = false;
    if (!fresh) {
      try {
        shards->reopen();
        reopened = true;
      } catch (const Xapian::DatabaseError&) {
      }
    }
    try {
      if (!reopened) open_shards();
    } catch (const Xapian::DatabaseError&) {
    }
  }

  // Opens every shard of `path` (one, for a plain index folder). The stored records of each
  // shard are read with that shard's own dictionary (ShardSet::dictionary).
  void open_shards() {
    shards.emplace(path, ShardSetOptions{.remote_timeout_ms = searcher_options.remote_timeout_ms,
                                         .allow_partial = searcher_options.allow_partial,
                                         .known_dictionaries = seen->dictionaries});
    db = shards->db();
  }

  corpus::Record& record_of(Match& m) {
    if (!m.record) {
      try {
        m.record = index::stored_record(m.doc, shards->dictionary(shards->shard_of(m.docid)));
      } catch (const Error&) {
        m.record = corpus::Record{};  // unreadable data: show the hit without text
      }
    }
    return *m.record;
  }

  void fill_hit(Hit* hit, Match& m) {
    corpus::Record& r = record_of(m);
    hit->type = m.doc.get_value(schema::slot(schema::Slot::kType));
    if (hit->type.empty()) hit->type = std::string(corpus::type_name(r.type));
    hit->title = r.title;
    hit->year = year_of(m.doc);
    hit->genres = split_list(m.doc.get_value(schema::slot(schema::Slot::kGenres)));
    // A review's rating is its reviewer's, and its people are not the film's.
    if (r.type != corpus::RecordType::kReview) {
      hit->rating = r.rating;
      hit->votes = r.votes;
      hit->runtime = r.runtime_min;
      hit->directors = r.directors;
      hit->cast.assign(r.cast.begin(), r.cast.begin() + static_cast<std::ptrdiff_t>(
                                                          std::min(kHitCast, r.cast.size())));
    }
    // Never a bare id: a review of a film without a record is titled by what is known.
    if (hit->title.empty() && r.type == corpus::RecordType::kReview && !r.film_id.empty()) {
      hit->title = "Review of " + r.film_id;
    }
  }

  // The document a film hit's metadata (title, year, genres, people, rating...) comes from,
  // whichever of the film's documents matched: the film's record (its id is the film key), else
  // its best page: the film-type document with the most metadata, ties to the first in
  // kOrderKey order. False when the film has neither (only reviews).
  bool film_source(const std::string& key, Match* out) {
    const std::string id_term = index::boolean_term(schema::kIdPrefix, key);
    Xapian::PostingIterator p = db.postlist_begin(id_term);
    if (p != db.postlist_end(id_term)) {
      *out = Match{*p, 0.0, db.get_document(*p), std::nullopt};
      return true;
    }
    Xapian::Enquire pages(db);
    pages.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                  Xapian::Query(index::boolean_term(schema::kFilmPrefix, key)),
                                  Xapian::Query(index::boolean_term(schema::kTypePrefix, "film"))));
    pages.set_weighting_scheme(Xapian::BoolWeight());
    pages.set_sort_by_value(schema::slot(schema::Slot::kOrderKey), false);
    const Xapian::MSet m = pages.get_mset(0, kMaxFilmPages);
    int best_fields = -1;
    for (auto it = m.begin(); it != m.end(); ++it) {
      const Xapian::Document doc = it.get_document();
      int fields = 0;
      for (schema::Slot s : {schema::Slot::kDisplayTitle, schema::Slot::kYear,
                             schema::Slot::kGenres, schema::Slot::kRating, schema::Slot::kVotes,
                             schema::Slot::kRuntime}) {
        if (!doc.get_value(schema::slot(s)).empty()) ++fields;
      }
      if (fields > best_fields) {
        best_fields = fields;
        *out = Match{*it, 0.0, doc, std::nullopt};
      }
    }
    return best_fields >= 0;
  }

  // "Did you mean": the query with each word that is in no document replaced by its closest
  // spelling (typo tolerance's, or Xapian's). Never for prefix* words or excluded ones; "" when
  // every word matched. A long question gets only the corrected words back.
  std::string suggest(const ParsedQuery& parsed, std::string_view query) {
    std::string out, corrected;
    std::size_t at = 0, checked = 0, free_words = 0;
    bool changed = false;
    for (std::size_t i = 0; i < parsed.words.size(); ++i) {
      const QueryWord& w = parsed.words[i];
      if (!w.negated) ++free_words;
      if (w.negated || w.prefix || text::is_stopword(w.folded) || w.folded.size() < 3) continue;
      if (++checked > kMaxSpellingChecks) break;
      if (w.begin < at || w.end > query.size()) continue;
      Xapian::doccount tf = db.get_termfreq(w.stem) +
                            db.get_termfreq(std::string(schema::kSpoilerTextPrefix) + w.stem) +
                            db.get_termfreq(std::string(schema::kTitlePrefix) + w.stem);
      if (tf > 0) continue;
      std::string s;
      for (const auto& c : parsed.corrections) {
        if (c.word == w.folded) s = c.to;
      }
      if (s.empty()) {
        // The words around it, so a spelling the index holds beside them comes first.
        const Neighbours around{i > 0 ? parsed.words[i - 1].folded : "",
                                i + 1 < parsed.words.size() ? parsed.words[i + 1].folded : ""};
        s = parser.close_spelling(db, w.folded, 2, around);
      }
      if (s.empty()) continue;
      out.append(query.substr(at, w.begin - at));
      out += s;
      at = w.end;
      changed = true;
      if (!corrected.empty()) corrected += ' ';
      corrected += s;
    }
    if (!changed) return "";
    if (free_words >= kLongQuestionWords) return corrected;
    out.append(query.substr(at));
    return out;
  }

  // The facet table of the open revision, or null when it is not built (or stale).
  FacetTable* warm_table() {
    if (facet_table && facet_table->revision() != shards->revision_key()) facet_table.reset();
    if (!facet_table && seen->facet_table &&
        seen->facet_table->revision() == shards->revision_key()) {
      facet_table = seen->facet_table;
    }
    return facet_table.get();
  }

  // Whether to count `documents` more matches with the facet table. Building it reads every
  // document's values once (about 150 ms on filmbench), so it is built only once counting
  // document by document has cost about as much: after half the documents of the index have
  // been counted that way (a one-off query with few matches never pays for it; a batch does
  // once, early).
  bool use_table(std::uint64_t documents) {
    // Over remote shards the table would read every value with a round trip each.
    if (shards->has_remote()) return false;
    if (warm_table() != nullptr) return true;
    // The reader builds each revision's table off the request path: until it has, count
    // document by document.
    if (reader->reader_options().facet_table_per_revision) return false;
    if (slow_documents + documents <= db.get_doccount() / 2) {
      slow_documents += documents;
      return false;
    }
    facet_table = std::make_shared<FacetTable>(db, shards->revision_key());
    return true;
  }

  // The facet counting passes of `request`: one per distinct set of filters, keyed by the facet
  // whose own filter is left out ("" keeps all filters: its pass also gives the exact total).
  // A facet is counted with its own filter left out only when that filter is set (shop sidebar).
  static std::map<std::string, std::vector<std::string>> facet_passes(const SearchRequest& request,
                                                                      const Filters& filters) {
    std::map<std::string, std::vector<std::string>> passes;
    passes[""];
    for (const auto& f : request.facets) {
      if (!is_facet(f)) continue;
      passes[filters.has(f) ? f : ""].push_back(f);
    }
    return passes;
  }

  // Counts the facets of every pass of `passes` into `result`, each over the full set of matches
  // of its query, computed without scores: from the posting lists (match_set) when the query is
  // made of terms and boolean operators, else by a BoolWeight match with check_at_least = all.
  // The "" pass also gives the exact total.
  void count_facets(const SearchRequest& request, const Xapian::Query& base,
                    const Filters& filters,
                    const std::map<std::string, std::vector<std::string>>& passes,
                    SearchResult* result) {
    const bool by_film = request.group_by == GroupBy::kFilm;
    const std::size_t top = static_cast<std::size_t>(std::max(0, request.facet_top));
    for (const auto& pass : passes) {
      if (cut_for_time("facets")) {
        result->total_exact = false;
        break;
      }
      // Not a structured binding: clang 14 cannot capture those in the lambdas below.
      const std::string& except = pass.first;
      const std::vector<std::string>& names = pass.second;
      const Xapian::Query query = filtered(base, filter_query(filters, except));
      auto report = [&](const auto& spy) {
        if (except.empty()) {
          result->total = spy.matches();
          result->total_exact = true;
        }
        for (const auto& n : names) result->facets[n] = spy.counts(n, top);
      };
      if (shards->has_remote()) {
        // Each shard counts the facet keys of its matches and answers in one message, instead
        // of one round trip per matching document.
        FacetSpy spy(names, by_film);
        if (count_by_facet_keys(db, query, &spy)) {
          report(spy);
          continue;
        }
      }
      std::optional<DocSet> matches;
      if (match_set_supports(query)) {
        FacetTable* t = warm_table();
        matches = match_set(db, query, t != nullptr ? &t->documents() : nullptr);
      }
      // Feeds every match to `spy`: the set's members, or a match with the spy attached.
      auto count = [&](Xapian::MatchSpy& spy, auto&& add) {
        if (matches) {
          matches->for_each(add);
          return;
        }
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        limit_time(enquire);
        if (shards->size() > 1) {
          // Over shards a spy sees each document under its shard's docid (and our spies
          // cannot travel to a remote shard): list the matches and count them here.
          Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
          for (auto it = all.begin(); it != all.end(); ++it) add(*it);
          return;
        }
        enquire.add_matchspy(&spy);
        enquire.get_mset(0, 0, db.get_doccount(), nullptr, nullptr);
      };
      // A match of Xapian's matcher is not counted ahead: its documents count after the fact.
      if (use_table(matches ? matches->count() : 0)) {
        TableFacetSpy spy(*warm_table(), names, by_film);
        count(spy, [&](Xapian::docid did) { spy.add(did); });
        report(spy);
      } else {
        FacetSpy spy(names, by_film);
        count(spy, [&](Xapian::docid did) {
          spy(db.get_document(did, Xapian::DOC_ASSUME_VALID), 0.0);
        });
        if (!matches) slow_documents += spy.documents();
        report(spy);
      }
    }
  }

  // The total of a search without facets, in a pass of its own so that it is the same whatever
  // the limit, offset and sort (the ranked pass's estimate moved with them): films (or
  // documents) counted without scores, exactly up to kExactTotalUpTo matching documents, else
  // Xapian's estimate, flagged as one.
  void count_total(const Xapian::Query& query, bool by_film, SearchResult* result) {
    if (by_film && query.get_type() == Xapian::Query::LEAF_MATCH_ALL) {
      // Browsing everything: the films are the distinct film terms, plus the documents of no
      // film (articles), counted exactly from the term list.
      const std::string prefix(schema::kFilmPrefix);
      Xapian::doccount films = 0, in_films = 0;
      for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
        ++films;
        in_films += it.get_termfreq();
      }
      result->total = films + (db.get_doccount() - std::min(in_films, db.get_doccount()));
      result->total_exact = true;
      return;
    }
    Xapian::Enquire counter(db);
    counter.set_query(query);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_docid_order(Xapian::Enquire::ASCENDING);
    if (by_film) counter.set_collapse_key(schema::slot(schema::Slot::kFilmKey));
    limit_time(counter);
    const Xapian::MSet m = counter.get_mset(0, kExactTotalUpTo, kExactTotalUpTo);
    result->total = m.get_matches_estimated();
    result->total_exact = m.get_matches_lower_bound() == m.get_matches_upper_bound();
  }

  std::vector<Snippet> make_snippets(const std::vector<const corpus::Record*>& records,
                                     const ParsedQuery& parsed, const SearchRequest& request,
                                     bool* hidden) {
    SnippetRequest sr;
    sr.stems = parsed.stems;
    sr.max_fragments = static_cast<std::size_t>(std::max(0, request.snippets));
    sr.spoilers = request.spoilers;
    SnippetResult r = snippet_maker.make(records, sr);
    *hidden = r.hidden_spoiler_match;
    return std::move(r.snippets);
  }

  // A hit for one document: its own metadata and id, and the film the index groups it under
  // (a page joined to its film stores its derived key).
  Hit document_hit(Match& m) {
    corpus::Record& r = record_of(m);
    Hit hit;
    fill_hit(&hit, m);
    hit.id = r.id;
    hit.film_id =
        r.film_id.empty() ? r.film_id : m.doc.get_value(schema::slot(schema::Slot::kFilmKey));
    hit.score = m.weight;
    return hit;
  }

  // --group-by section: every section of the best matching documents that holds query words
  // (any ranked section, browsing) and is of a kind the kind filter asks for is a hit, ranked by
  // its own score: BM25 over the section alone (idf from the index, lengths against the mean of
  // the candidate sections). Other sort orders keep the documents' order, sections in page
  // order. The total counts sections: exact when every matching document was read, else scaled
  // from those read (and flagged as an estimate).
  void rank_sections(const SearchRequest& request, const ParsedQuery& parsed,
                     const Filters& filters, Xapian::Enquire& enquire, SearchResult* result) {
    const std::size_t offset = static_cast<std::size_t>(std::max(0, request.offset));
    const std::size_t limit = static_cast<std::size_t>(std::max(0, request.limit));
    const Xapian::doccount want = std::max<Xapian::doccount>(
        kSectionCandidates, static_cast<Xapian::doccount>(offset + limit));
    Xapian::MSet mset = enquire.get_mset(0, want);
    const std::vector<std::string>& kinds = filters.of("kind");
    SnippetRequest sr;
    sr.stems = parsed.stems;
    sr.max_fragments = static_cast<std::size_t>(std::max(1, request.snippets));
    sr.spoilers = request.spoilers;

    struct Found {
      std::size_t match = 0;    // index into matches
      std::size_t section = 0;  // index into the record's sections
      SectionTerms terms;
      double score = 0;
    };
    std::vector<Match> matches;
    std::vector<Found> found;
    double total_length = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      matches.push_back(Match{*it, 0.0, it.get_document(), std::nullopt});
      const corpus::Record& r = record_of(matches.back());
      for (std::size_t s = 0; s < r.sections.size(); ++s) {
        const corpus::Section& section = r.sections[s];
        if (!section.ranked) continue;
        const std::string_view kind = corpus::kind_name(section.kind);
        if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
        Found f{matches.size() - 1, s, {}, 0};
        if (parsed.has_words) {
          f.terms = snippet_maker.count_terms(section, r.lang, sr);
          if (std::all_of(f.terms.counts.begin(), f.terms.counts.end(),
                          [](std::size_t c) { return c == 0; })) {
            continue;
          }
          total_length += static_cast<double>(f.terms.length);
        }
        found.push_back(std::move(f));
      }
    }
    if (parsed.has_words && request.sort == SortOrder::kRelevance && !found.empty()) {
      const double documents = std::max<double>(1, db.get_doccount());
      std::vector<double> idf;
      for (const auto& stem : sr.stems) {
        const double n = std::max<Xapian::doccount>(
            1, db.get_termfreq(stem) +
                   db.get_termfreq(std::string(schema::kSpoilerTextPrefix) + stem));
        idf.push_back(std::log(1 + (documents - n + 0.5) / (n + 0.5)));
      }
      const double mean = std::max(1.0, total_length / static_cast<double>(found.size()));
      for (Found& f : found) {
        const double norm = kRanking.k1 * (1 - kRanking.b + kRanking.b * f.terms.length / mean);
        for (std::size_t i = 0; i < f.terms.counts.size() && i < idf.size(); ++i) {
          const double tf = static_cast<double>(f.terms.counts[i]);
          f.score += idf[i] * tf * (kRanking.k1 + 1) / (tf + norm);
        }
      }
      std::stable_sort(found.begin(), found.end(),
                       [](const Found& a, const Found& b) { return a.score > b.score; });
    }
    result->total = found.size();
    result->total_exact = mset.size() < want;
    if (!result->total_exact && !matches.empty()) {
      result->total = static_cast<std::uint64_t>(std::llround(
          static_cast<double>(found.size()) * mset.get_matches_estimated() / matches.size()));
    }
    for (std::size_t i = offset; i < found.size() && result->hits.size() < limit; ++i) {
      const Found& f = found[i];
      Match& m = matches[f.match];
      const corpus::Record& r = record_of(m);
      Hit hit = document_hit(m);
      hit.id = r.id + "#" + std::to_string(f.section);
      hit.score = f.score;
      corpus::Record one;
      one.lang = r.lang;
      one.sections.push_back(r.sections[f.section]);
      SnippetResult snip = snippet_maker.make({&one}, sr);
      if (request.snippets > 0) hit.snippets = std::move(snip.snippets);
      hit.hidden_spoiler_match = snip.hidden_spoiler_match;
      result->hits.push_back(std::move(hit));
    }
  }

  SearchResult run(const SearchRequest& request) {
    SearchResult result;
    cut.clear();
    ParseOptions options;
    options.include_spoiler_text = request.spoilers != SpoilerMode::kExclude;
    options.typos = request.typos;
    options.prefix_last = request.prefix_last;
    options.deadline = deadline;
    // Remote shards cannot run the stored-text phrase check; with positions everywhere
    // (--positions) it is not needed.
    options.positions_only =
        shards->has_remote() && db.get_termfreq(std::string(schema::kUnpositionedTerm)) == 0;
    ParsedQuery parsed = parser.parse(request.query, &db, options);
    // What reading the request changed (request_json's filter notes) comes first.
    result.notes = request.notes;
    result.notes.insert(result.notes.end(), parsed.notes.begin(), parsed.notes.end());
    Filters filters = request.filters;
    filters.merge(parsed.filters);
    const Xapian::Query query = filtered(parsed.query, filter_query(filters));
    const Xapian::doccount offset = static_cast<Xapian::doccount>(std::max(0, request.offset));
    const Xapian::doccount limit = static_cast<Xapian::doccount>(std::max(0, request.limit));

    Xapian::MultiValueKeyMaker by_value_then_film;  // outlives enquire's matches
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    limit_time(enquire);
    if (parsed.has_words) {
      enquire.set_weighting_scheme(Xapian::BM25Weight(kRanking.k1, kRanking.k2, kRanking.k3,
                                                      kRanking.b, kRanking.min_normlen));
    } else {
      enquire.set_weighting_scheme(Xapian::BoolWeight());
    }
    const bool relevance = request.sort == SortOrder::kRelevance;
    if (relevance && !parsed.has_words) {
      // Browsing: every score is equal; in film key and record id order (kOrderKey), not
      // docid order, which depends on how the records are laid out in shards.
      enquire.set_sort_by_value(schema::slot(schema::Slot::kOrderKey), false);
    } else if (relevance) {
      // Equal scores likewise.
      enquire.set_sort_by_relevance_then_value(schema::slot(schema::Slot::kOrderKey), false);
    } else {
      Xapian::valueno slot = schema::slot(schema::Slot::kYear);
      bool reverse = false;
      switch (request.sort) {
        case SortOrder::kYear:
          break;
        case SortOrder::kYearDesc:
          reverse = true;
          break;
        case SortOrder::kRating:
          slot = schema::slot(schema::Slot::kRating);
          reverse = true;
          break;
        case SortOrder::kTitle:
          slot = schema::slot(schema::Slot::kTitleSort);
          break;
        case SortOrder::kRelevance:
          break;
      }
      if (!parsed.has_words && !shards->has_remote()) {
        // Browsing, equal values in kOrderKey order, as above (a remote shard refuses a key
        // maker: there they stay in docid order).
        by_value_then_film.add_value(slot, reverse);
        by_value_then_film.add_value(schema::slot(schema::Slot::kOrderKey));
        enquire.set_sort_by_key(&by_value_then_film, false);
      } else {
        enquire.set_sort_by_value_then_relevance(slot, reverse);
      }
    }

    const Xapian::valueno film_slot = schema::slot(schema::Slot::kFilmKey);
    if (request.group_by == GroupBy::kFilm) {
      // Several documents per film, so its score can draw on all of them.
      const bool combine = relevance && parsed.has_words;
      enquire.set_collapse_key(film_slot, combine ? kRanking.per_film : 1);
      Xapian::doccount want = combine ? std::max(kRanking.film_candidates,
                                                 (offset + limit) * kRanking.per_film * 2)
                                      : limit;
      Xapian::MSet mset = enquire.get_mset(combine ? 0 : offset, want);
      result.total = mset.get_matches_estimated();
      // Film key -> its matched documents, best first; films in order of first appearance.
      std::vector<std::string> order;
      std::unordered_map<std::string, std::vector<Match>> groups;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        // The collapse key is the film key slot, already read by the match.
        std::string key = it.get_collapse_key();
        if (key.empty()) key = "#" + std::to_string(*it);
        auto& g = groups[key];
        if (g.empty()) order.push_back(key);
        g.push_back(Match{*it, it.get_weight(), it.get_document(), std::nullopt});
      }
      // Every match was seen: the films are counted, not estimated.
      if (combine && mset.size() < want) {
        result.total = order.size();
        result.total_exact = true;
      }
      std::vector<std::pair<double, std::size_t>> scored;  // (score, rank of first appearance)
      for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& g = groups[order[i]];
        double score = 0, share = 1;
        for (const auto& m : g) {
          score += share * m.weight;
          share *= kRanking.decay;
        }
        scored.emplace_back(combine ? score : 0.0, i);
      }
      if (combine) {
        std::stable_sort(scored.begin(), scored.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
      }
      for (std::size_t i = combine ? offset : 0; i < scored.size() && result.hits.size() < limit;
           ++i) {
        const std::string& key = order[scored[i].second];
        auto& g = groups[key];
        Hit hit;
        hit.score = scored[i].first;
        const bool own_group = key[0] != '#';
        // The film's metadata is the same whichever of its documents matched.
        Match film_match;
        const bool have_film = own_group && film_source(key, &film_match);
        Match& named = have_film ? film_match : g.front();
        fill_hit(&hit, named);
        hit.id = own_group ? key : record_of(g.front()).id;
        hit.film_id = own_group ? key : record_of(g.front()).film_id;
        if (hit.title.empty()) hit.title = record_of(g.front()).title;
        if (request.snippets > 0 && !cut_for_time("snippets")) {
          std::vector<const corpus::Record*> records;
          for (auto& m : g) records.push_back(&record_of(m));
          hit.snippets = make_snippets(records, parsed, request, &hit.hidden_spoiler_match);
        }
        result.hits.push_back(std::move(hit));
      }
    } else if (request.group_by == GroupBy::kSection) {
      rank_sections(request, parsed, filters, enquire, &result);
    } else {
      Xapian::MSet mset = enquire.get_mset(offset, limit);
      result.total = mset.get_matches_estimated();
      result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        Match m{*it, parsed.has_words && relevance ? it.get_weight() : 0.0, it.get_document(),
                std::nullopt};
        Hit hit = document_hit(m);
        if (request.snippets > 0 && !cut_for_time("snippets")) {
          hit.snippets =
              make_snippets({&record_of(m)}, parsed, request, &hit.hidden_spoiler_match);
        }
        result.hits.push_back(std::move(hit));
      }
    }
    const std::uint64_t section_total = result.total;
    const bool section_total_exact = result.total_exact;
    if (!request.facets.empty()) {
      // In passes of their own: riding on the ranked pass (check_at_least = all documents)
      // costs BM25 for every match and its pruning, measured slower on short and long queries.
      count_facets(request, parsed.query, filters, facet_passes(request, filters), &result);
      if (request.group_by == GroupBy::kSection) {  // sections are counted, not documents
        result.total = section_total;
        result.total_exact = section_total_exact;
      }
    } else if (request.group_by != GroupBy::kSection) {
      count_total(query, request.group_by == GroupBy::kFilm, &result);
    }
    std::set<std::string> stopped;  // a phrase has a source per prefix (plain, spoiler text)
    for (const auto& check : parsed.phrase_checks) {
      if (!check->stopped || !stopped.insert(check->phrase).second) continue;
      result.total_exact = false;
      result.notes.push_back("\"" + check->phrase + "\" was checked in the stored text of " +
                             std::to_string(check->checked) +
                             " records only, so matches and counts may be incomplete (its "
                             "indexed words are very common; an index built with "
                             "--positions matches it everywhere)");
    }
    if (parsed.has_words && !cut_for_time("\"did you mean\"")) {
      result.did_you_mean = suggest(parsed, request.query);
    }
    for (const auto& check : parsed.phrase_checks) {
      if (check->timed_out) cut_for_time("phrase checks");
    }
    result.timed_out = !cut.empty() || out_of_time();
    if (result.timed_out) {
      std::string what;
      for (const auto& c : cut) what += (what.empty() ? "" : ", ") + c;
      result.total_exact = false;
      result.notes.push_back(
          "the search ran out of its time budget (" +
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(request.budget)
                             .count()) +
          " ms): these are the hits found in time" +
          (what.empty() ? std::string() : "; left out: " + what));
    }
    return result;
  }
};

Searcher::Searcher(std::shared_ptr<IndexReader> reader)
    : impl_(std::make_unique<Impl>(std::move(reader))) {}
Searcher::Searcher(const std::string& index_path, SearcherOptions options)
    : Searcher(std::make_shared<IndexReader>(index_path, options)) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

std::uint64_t Searcher::document_count() const { return impl_->db.get_doccount(); }

bool Searcher::refresh() {
  const std::string before = impl_->shards->revision_key();
  impl_->reader->refresh();
  impl_->sync();
  return impl_->shards->revision_key() != before;
}

std::uint64_t Searcher::revision() const { return impl_->shards->revision_number(); }

std::optional<corpus::Record> Searcher::record(const std::string& id) {
  impl_->sync();
  return index::retry_racing_reads(
      [&]() -> std::optional<corpus::Record> {
        const std::string term = index::boolean_term(schema::kIdPrefix, id);
        Xapian::PostingIterator it = impl_->db.postlist_begin(term);
        if (it == impl_->db.postlist_end(term)) return std::nullopt;
        const Xapian::docid did = *it;
        return index::stored_record(impl_->db.get_document(did),
                                    impl_->shards->dictionary(impl_->shards->shard_of(did)));
      },
      [&](bool fresh) { impl_->refresh(fresh); }, kRetryFor);
}

SearchResult Searcher::search(const SearchRequest& request) {
  impl_->sync();
  try {
    SearchResult result = search_once(request);
    for (const auto& gone : impl_->shards->unavailable()) {
      result.notes.push_back("partial results: " + gone);
    }
    return result;
  } catch (const Xapian::UnimplementedError& e) {
    if (!impl_->shards->has_remote()) throw;
    // Xapian could not send part of the query to a remote shard: our stored-text phrase check.
    throw Error("a phrase over remote shards needs an index built with --positions (without "
                "positions, phrases are checked against the stored text, which a remote shard "
                "cannot do: " + e.get_msg() + ")");
  } catch (const Xapian::NetworkError& e) {
    // Name the shard that failed; with allow_partial, search the others.
    std::vector<std::string> failed = impl_->shards->probe();
    // Every shard answers now: nothing to leave out, so no retry (it could fail forever).
    if (failed.empty()) throw Error("a remote shard failed: " + e.get_msg());
    if (!impl_->searcher_options.allow_partial || !impl_->shards->drop_unavailable()) {
      throw Error(failed.front());
    }
    impl_->db = impl_->shards->db();
    impl_->facet_table.reset();
    return search(request);
  }
}

SearchResult Searcher::search_once(const SearchRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  impl_->deadline.reset();
  if (request.budget.count() > 0) impl_->deadline = start + request.budget;
  impl_->cut.clear();
  return index::retry_racing_reads(
      [&] {
        SearchResult result = impl_->run(request);
        result.took_ms = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - start).count();
        return result;
      },
      [&](bool fresh) { impl_->refresh(fresh); }, kRetryFor);
}

}  // namespace filmsearch::search
