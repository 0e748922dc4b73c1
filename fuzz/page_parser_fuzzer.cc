// Fuzzes corpus::parse_page on text, Markdown and HTML (the first byte picks the format; 3 is
// HTML bytes in any charset, decoded by page::decode_page as the reader does): the record has
// an id, valid UTF-8 in its title and sections (for valid input), no empty section, no spoiler
// marker of the HTML reader left in any text, and spoiler spans sorted, non-overlapping, inside
// their section and on UTF-8 boundaries. Also the inline spoiler finder on its own, and
// record_to_json of the page.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "corpus/page/charset.h"
#include "corpus/page/html_reader.h"
#include "corpus/page_parser.h"
#include "corpus/record_json.h"
#include "corpus/spoilers.h"
#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using filmsearch::corpus::PageFormat;
  if (size == 0) return 0;
  const PageFormat formats[] = {PageFormat::kText, PageFormat::kMarkdown, PageFormat::kHtml,
                                PageFormat::kHtml};
  const PageFormat format = formats[data[0] % 4];
  std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string decoded;
  if (data[0] % 4 == 3) {
    decoded = filmsearch::corpus::page::decode_page(content).text;
    FUZZ_CHECK(filmsearch::corpus::is_valid_utf8(decoded), "decode_page gave invalid UTF-8");
    content = decoded;
  }
  // parse_page does not validate its input: readers repair encodings first, so do the same.
  if (!filmsearch::corpus::is_valid_utf8(content)) return 0;

  const filmsearch::corpus::Record record =
      filmsearch::corpus::parse_page(content, format, "fuzz/page.txt");
  filmsearch::fuzz::check_record(record);
  for (const auto& s : record.sections) {
    FUZZ_CHECK(!s.text.empty(), "empty section " + s.heading);
    for (std::string_view marker : {filmsearch::corpus::page::kSpoilerOpen,
                                    filmsearch::corpus::page::kSpoilerClose}) {
      FUZZ_CHECK(s.text.find(marker) == std::string::npos, "spoiler marker left in text");
      FUZZ_CHECK(s.heading.find(marker) == std::string::npos, "spoiler marker left in heading");
    }
  }
  // The spoiler policy the readers run on every record keeps the spans sound, and is idempotent.
  filmsearch::corpus::Record tagged = record;
  filmsearch::corpus::apply_spoiler_policy(tagged);
  filmsearch::fuzz::check_record(tagged);
  filmsearch::corpus::Record again = tagged;
  filmsearch::corpus::apply_spoiler_policy(again);
  for (std::size_t i = 0; i < tagged.sections.size(); ++i) {
    FUZZ_CHECK(tagged.sections[i].spoiler_spans == again.sections[i].spoiler_spans &&
                   tagged.sections[i].possible_spoiler_spans ==
                       again.sections[i].possible_spoiler_spans,
               "spoiler policy not idempotent");
  }

  filmsearch::corpus::Section free_text;
  free_text.text = std::string(content);
  free_text.spoiler_spans = filmsearch::corpus::find_inline_spoilers(content);
  filmsearch::fuzz::check_spans(free_text);
  free_text.spoiler_spans = filmsearch::corpus::find_reveal_spoilers(content);
  filmsearch::fuzz::check_spans(free_text);

  // What --dump prints must serialize (nlohmann throws on invalid UTF-8 when dumping).
  (void)filmsearch::corpus::record_to_json(record).dump();
  return 0;
}
