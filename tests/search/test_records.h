// Records the search tests index: built in code, so each test shows what it searches.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "corpus/record.h"

namespace filmsearch::search::test_records {

// A film with one synopsis section and no spoiler spans.
inline corpus::Record film(std::string id, std::string title, int year,
                           std::vector<std::string> genres, std::string synopsis) {
  corpus::Record r;
  r.id = std::move(id);
  r.type = corpus::RecordType::kFilm;
  r.film_id = r.id;
  r.title = std::move(title);
  r.year = year;
  r.genres = std::move(genres);
  corpus::Section s;
  s.kind = corpus::SectionKind::kSynopsis;
  s.text = std::move(synopsis);
  r.sections.push_back(std::move(s));
  return r;
}

}  // namespace filmsearch::search::test_records
