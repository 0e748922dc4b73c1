// The section builder: turns the content lines of a page (after its title, metadata and byline
// were taken out) into typed Sections of a Record, with spoiler spans. Internal to
// src/corpus/page/.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "corpus/page/lines.h"
#include "corpus/record.h"

namespace filmsearch::corpus::page {

// Appends the sections of lines[body_begin..] to record.sections (and actors named in a cast
// section to record.cast). Text before the first heading gets `default_kind`. Returns the
// title most headings share ("X: Detailed Plot Synopsis", "X Reviews"), when two or more do;
// empty otherwise.
std::string build_sections(const std::vector<Line>& lines, std::size_t body_begin,
                           SectionKind default_kind, Record& record);

}  // namespace filmsearch::corpus::page
