// What a page's structured data says about its main subject: schema.org JSON-LD (Movie,
// TVSeries, TVEpisode, Review, CriticReview, NewsArticle, Article, BlogPosting, ..., inside
// @graph or arrays), OpenGraph and Twitter cards, microdata itemprop, <meta name=author|date|
// description>, <time datetime>, <title> without the site's name, <link rel=canonical> and
// <html lang>. Sources are read in that order of trust and the first one that states a field
// wins. Internal to src/corpus/page/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "corpus/page/html_reader.h"

namespace filmsearch::corpus::page {

enum class Subject {
  kUnknown,  // nothing in the markup says what the page is about
  kFilm,     // a film or TV page (schema.org Movie/TVSeries/TVEpisode, og:type video.*)
  kArticle,  // news, blog post, review, interview (Article types, og:type article)
};

struct PageFacts {
  Subject subject = Subject::kUnknown;
  bool review = false;         // the main entity is a Review / CriticReview
  std::string reviewed_title;  // a review's itemReviewed name, when a film
  std::optional<int> reviewed_year;
  std::string title;
  std::optional<int> year;
  std::vector<std::string> directors;
  std::vector<std::string> genres;
  std::vector<std::string> cast;
  std::optional<int> runtime_min;
  std::optional<double> rating;  // scaled to 0-10
  std::optional<std::int64_t> votes;
  std::string author;               // people, joined by " and "
  std::string author_organization;  // an agency or publisher named as author (a fallback)
  std::string date;  // ISO 8601 (YYYY-MM-DD) when known
  std::string description;
  std::string lang;  // BCP 47 primary tag, lowercased ("de")
  std::string url;
  std::string imdb_id;    // "tt0110912"
  std::string site_name;  // og:site_name
};

// Reads the facts of a page from its markup. Malformed JSON-LD is ignored (the page's other
// sources still count). Never throws.
PageFacts read_facts(const HtmlMarkup& markup);

// "PT2H34M" -> 154, "154 min" -> 154; nullopt when not a duration.
std::optional<int> parse_iso_duration(std::string_view value);

// The date part of an ISO 8601 timestamp or a date written in words ("2014-12-29T10:00:00Z" ->
// "2014-12-29"); empty when none.
std::string iso_date_of(std::string_view value);

}  // namespace filmsearch::corpus::page
