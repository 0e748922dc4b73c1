// Spoiler detection over plain text: inline warnings in reviews ("SPOILER ALERT", "***SPOILERS***",
// "(contains spoilers)") that start a span running to an end marker ("END SPOILERS") or to the end
// of the text; negations ("spoiler-free", "no spoilers", "I won't spoil") never start one.
#pragma once

#include <string_view>
#include <vector>

#include "corpus/record.h"

namespace filmsearch::corpus {

// Returns the spoiler spans of `text` (a review or any free text), sorted, non-overlapping,
// byte offsets on UTF-8 boundaries. Empty when the text has no spoiler warning.
std::vector<SpoilerSpan> find_inline_spoilers(std::string_view text);

// True when a heading announces spoilers ("Spoilers", "Ending Explained",
// "Spoilers and Ending Explained"), false for "Spoiler-free review".
bool is_spoiler_heading(std::string_view heading);

// Best-effort detector of text that gives the ending away without any warning. It looks, per
// line, for the first sentence holding a reveal cue (a death: "dies", "killed", "commits
// suicide", "dying"; an ending: "in the end", "the ending", "finale", "turns out", "is revealed",
// "final request", "last words", "twist") and marks from that sentence to the end of the line:
// endings are told in order, so what follows the reveal is the rest of it. Meant for text that
// is about the story (FAQ answers, quote descriptions, plot text), not for reviews, where
// "the ending" is usually an opinion. Returns sorted, non-overlapping spans.
std::vector<SpoilerSpan> find_reveal_spoilers(std::string_view text);

// Sorts `spans` and merges overlapping or touching ones; drops empty spans.
std::vector<SpoilerSpan> merge_spoiler_spans(std::vector<SpoilerSpan> spans);

}  // namespace filmsearch::corpus
