// Stopwords: English function words that match nearly every document and carry no evidence.
// The query parser does not search them as loose words, and the document builder leaves them
// out of ranked text indexed without positions (index::DocumentBuilder), where nothing but a
// phrase could search them, and phrases there are checked against the stored text. Both sides
// decide on the word's term (index::TermMaker::is_stopword_term), so they agree.
#pragma once

#include <span>
#include <string_view>

namespace filmsearch::text {

// The stopwords, folded (as Token::text: "It's" is "its"), without repeats.
std::span<const std::string_view> stopwords();

// True for one of stopwords(). `folded` is a Token::text.
bool is_stopword(std::string_view folded);

}  // namespace filmsearch::text
