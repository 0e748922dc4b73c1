// The character encoding of a saved HTML page and its decoding to UTF-8: a byte order mark, else
// <meta charset> or <meta http-equiv="Content-Type" content="...; charset=..."> in the first
// bytes, else UTF-8 when the bytes are valid UTF-8, else windows-1252 (what browsers assume).
// Decoding goes through ICU converters. Internal to src/corpus/page/.
#pragma once

#include <string>
#include <string_view>

namespace filmsearch::corpus::page {

struct DecodedPage {
  std::string text;     // valid UTF-8, byte order mark removed
  std::string charset;  // the encoding used, as ICU names it ("UTF-8", "windows-1252", "GB18030")
  std::string warning;  // empty, or what went wrong ("unknown charset \"x-foo\"; read as ...")
};

// The label a page declares for itself ("iso-8859-1", "gbk"), lowercased; empty when none:
// a BOM wins ("utf-8", "utf-16le", "utf-16be"), then the first <meta charset> or http-equiv
// Content-Type in the first 16 KiB.
std::string declared_charset(std::string_view bytes);

// Decodes `bytes` to UTF-8 by the declared charset (WHATWG label mapping: iso-8859-1 and
// us-ascii read as windows-1252, gb2312 and gbk as GB18030, x-sjis as Shift_JIS). A label ICU
// does not know, or a UTF-8 declaration on bytes that are not UTF-8, gives a warning and falls
// back to the undeclared rule. Bytes that do not decode become U+FFFD. Never throws.
DecodedPage decode_page(std::string_view bytes);

}  // namespace filmsearch::corpus::page
