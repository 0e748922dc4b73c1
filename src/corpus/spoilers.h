// The spoiler policy, one for every input: `apply_spoiler_policy` runs on each record after it is
// read (page, JSON, CSV, stdin). An explicit flag in the input wins; spoiler headings and
// disclaimers (found by the page reader) mark what follows; authors' markup ([spoiler]…[/spoiler],
// >!…!<, ||…||, [[spoiler:…]]) and inline warnings in several languages ("SPOILER ALERT", 剧透,
// ネタバレ, 스포일러, Spoilerwarnung) open a span to their end marker or the end of the text;
// negations ("spoiler-free", "no spoilers", 无剧透, ネタバレなし) never tag; then the learned
// tagger (corpus/spoiler_model.h) scores the sentences nobody warned about.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/record.h"

namespace filmsearch::corpus {

// Returns the spoiler spans of `text` (a review or any free text) that its author marked: markup
// pairs and inline warnings in any of the tabled languages. Sorted, non-overlapping, byte offsets
// on UTF-8 boundaries, confidence 1. Empty when the text has no spoiler warning.
std::vector<SpoilerSpan> find_inline_spoilers(std::string_view text);

// True when `text` says it holds no spoilers ("no spoilers", "spoiler-free review", 无剧透,
// ネタバレなし, 스포 없음): the learned tagger may then only mark possible spoilers.
bool denies_spoilers(std::string_view text);

// True when a heading announces spoilers ("Spoilers", "Ending Explained",
// "Spoilers and Ending Explained"), false for "Spoiler-free review".
bool is_spoiler_heading(std::string_view heading);

// True when `line`, a line of its own, warns that what follows gives the story away ("The
// synopsis below may give away important plot points.", "Spoilers ahead!", "剧透预警"), false
// for its negations ("won't give away", "no spoilers below"). The page reader makes the text
// after such a line a spoiler, as it does after a spoiler heading. Lines over 160 bytes are
// text, never disclaimers.
bool is_spoiler_disclaimer(std::string_view line);

// Best-effort detector of text that gives the ending away without any warning. It looks, per
// line, for the first sentence holding a reveal cue (a death: "dies", "killed", "commits
// suicide", "dying"; an ending: "in the end", "the ending", "finale", "turns out", "is revealed",
// "final request", "last words", "twist") and marks from that sentence to the end of the line:
// endings are told in order, so what follows the reveal is the rest of it. Meant for text that
// is about the story (FAQ answers, quote descriptions, plot text), not for reviews, where
// "the ending" is usually an opinion. Returns sorted, non-overlapping spans.
std::vector<SpoilerSpan> find_reveal_spoilers(std::string_view text);

// How many reveal cues (see find_reveal_spoilers) `text` holds; a feature of the learned tagger.
int count_reveal_cues(std::string_view text);

// Sorts `spans` and merges overlapping ones, and touching ones of equal confidence; a merged span
// keeps the highest confidence. Drops empty spans. The one implementation of span merging.
std::vector<SpoilerSpan> merge_spoiler_spans(std::vector<SpoilerSpan> spans);

// True when [begin, end) overlaps a span of `spans` (sorted, non-overlapping); a byte `b` is in a
// spoiler when overlaps_spoiler(spans, b, b + 1). The one implementation of "is this a spoiler".
bool overlaps_spoiler(const std::vector<SpoilerSpan>& spans, std::size_t begin, std::size_t end);

// Options of the spoiler policy.
struct SpoilerPolicyOptions {
  bool learned = true;  // false: rules only (markup, warnings, headings), no learned tagger
};

// Applies the policy to every section of `record`: sections with spoilers_given keep their spans;
// others get the page reader's structural spans (kept, confidence 1), markup and warning spans
// (confidence 1), reveal spans (find_reveal_spoilers, confidence 1) in sections that tell the
// story (plot, FAQ, quotes) and the learned tagger's sentences (spoiler_spans at the tag
// threshold, possible_spoiler_spans at the hide threshold, confidence = probability) in sections
// about the film (synopsis, plot, review, quotes, FAQ, trivia; never cast, article or other text,
// where the tagger, trained on reviews and plot sentences, reads opinions and page furniture as
// reveals). Text in a language other than English gets no learned spans. Idempotent. Throws
// nothing.
void apply_spoiler_policy(Record& record, const SpoilerPolicyOptions& options = {});

// The highest confidence the learned tagger gives a span: 1 is kept for what the input, an
// author's warning or markup, or a spoiler heading says, so a stored record tells the two apart.
inline constexpr float kMaxLearnedConfidence = 0.99F;

// What tags spoilers under `options`: the policy's version and the learned model's fingerprint,
// "policy 2, model 0123456789abcdef" (or "policy 2, rules only"). An index records it
// (index/retag.h); when it changes, `filmsearch-index --retag` brings old records up to date.
std::string spoiler_tagger_version(const SpoilerPolicyOptions& options = {});

// Re-applies the policy to a record as an index stored it: in every section whose spans were not
// given by the input, drops the learned spans (confidence below 1) and the possible ones, keeps
// those of confidence 1 (headings, warnings, markup), then runs apply_spoiler_policy. A record
// tagged by the same tagger comes out unchanged. Throws nothing.
void retag_spoilers(Record& record, const SpoilerPolicyOptions& options = {});

}  // namespace filmsearch::corpus
