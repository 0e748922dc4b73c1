// Fuzzes search::SnippetMaker: the first line of the input is a query, the rest the text of a
// review (spoiler spans from its inline warnings) and of a plot section. Every snippet is valid
// UTF-8 with highlights inside it, non-empty, sorted, apart and on UTF-8 boundaries; hide and
// exclude never show spoiler text; show never marks it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "corpus/input.h"
#include "corpus/spoilers.h"
#include "fuzz_checks.h"
#include "search/query_parser.h"
#include "search/snippets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using filmsearch::search::SpoilerMode;
  static filmsearch::search::QueryParser parser;
  static filmsearch::search::SnippetMaker maker;
  if (size < 2) return 0;
  const SpoilerMode modes[] = {SpoilerMode::kTag, SpoilerMode::kHide, SpoilerMode::kExclude,
                               SpoilerMode::kShow};
  const SpoilerMode mode = modes[data[0] % 4];
  const std::size_t max_bytes = 16 + data[0] / 4 * 4;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  // Records hold valid UTF-8 (readers repair it): so does this one.
  if (!filmsearch::corpus::is_valid_utf8(input)) return 0;
  const std::size_t newline = input.find('\n');
  const std::string_view query = input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  filmsearch::corpus::Record record;
  record.id = "fuzz";
  filmsearch::corpus::Section review;
  review.kind = filmsearch::corpus::SectionKind::kReview;
  review.text = std::string(body);
  review.spoiler_spans = filmsearch::corpus::find_inline_spoilers(review.text);
  record.sections.push_back(review);
  filmsearch::corpus::Section plot;
  plot.kind = filmsearch::corpus::SectionKind::kPlot;
  plot.heading = "Plot";
  plot.text = std::string(body.substr(body.size() / 2));
  // Cut in the middle of a character: no plot section then.
  if (!filmsearch::corpus::is_valid_utf8(plot.text)) plot.text.clear();
  if (!plot.text.empty()) {
    plot.spoiler_spans = {{0, plot.text.size()}};
    record.sections.push_back(plot);
  }

  const auto parsed = parser.parse(query, nullptr);
  filmsearch::search::SnippetRequest request;
  request.stems = parsed.stems;
  request.max_fragments = 3;
  request.spoilers = mode;
  request.max_bytes = max_bytes;
  const auto result = maker.make({&record}, request);

  FUZZ_CHECK(result.snippets.size() <= request.max_fragments, "too many snippets");
  for (const auto& s : result.snippets) {
    const std::string marked = filmsearch::search::render_marked(s);
    FUZZ_CHECK(filmsearch::corpus::is_valid_utf8(s.text), "snippet text: " + marked);
    std::size_t previous_end = 0;
    for (const auto& [b, e] : s.highlights) {
      const std::string w = filmsearch::fuzz::where("highlight", b, e, s.text.size()) + " " +
                            marked;
      FUZZ_CHECK(b < e && e <= s.text.size(), w);
      FUZZ_CHECK(b >= previous_end, w);
      FUZZ_CHECK(filmsearch::fuzz::on_utf8_boundary(s.text, b), w);
      FUZZ_CHECK(filmsearch::fuzz::on_utf8_boundary(s.text, e), w);
      previous_end = e;
    }
    if (mode == SpoilerMode::kHide || mode == SpoilerMode::kExclude) {
      FUZZ_CHECK(!s.spoiler, "spoiler shown in hide/exclude: " + marked);
    }
    if (mode == SpoilerMode::kShow) FUZZ_CHECK(!s.spoiler, "spoiler marked in show: " + marked);
  }
  return 0;
}
