#include "index/facet_key.h"

#include <cstdint>

#include "index/schema.h"

namespace filmsearch::index {
namespace {

namespace schema = index::schema;

// The slots a facet key holds, film key first.
std::vector<Xapian::valueno> key_slots() {
  std::vector<Xapian::valueno> slots = {schema::slot(schema::Slot::kFilmKey)};
  for (const auto& f : schema::kFields) {
    if (f.has(schema::FieldRole::kFacet) && f.slot) slots.push_back(schema::slot(*f.slot));
  }
  return slots;
}

void put_length(std::size_t n, std::string* out) {
  while (n >= 0x80) {
    out->push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out->push_back(static_cast<char>(n));
}

bool get_length(std::string_view* in, std::size_t* n) {
  *n = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (in->empty()) return false;
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *n |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

std::string facet_key(const Xapian::Document& doc) {
  const std::vector<Xapian::valueno> slots = key_slots();
  std::string key;
  put_length(slots.size(), &key);
  for (Xapian::valueno s : slots) {
    const std::string value = doc.get_value(s);
    put_length(value.size(), &key);
    key += value;
  }
  return key;
}

std::optional<std::vector<std::string>> decode_facet_key(std::string_view key) {
  static const std::size_t expected = key_slots().size();
  std::size_t count = 0;
  if (!get_length(&key, &count) || count != expected) return std::nullopt;
  std::vector<std::string> values;
  values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t n = 0;
    if (!get_length(&key, &n) || n > key.size()) return std::nullopt;
    values.emplace_back(key.substr(0, n));
    key.remove_prefix(n);
  }
  if (!key.empty()) return std::nullopt;
  return values;
}

}  // namespace filmsearch::index
