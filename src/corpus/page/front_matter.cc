#include "corpus/page/front_matter.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/page/metadata.h"
#include "corpus/values.h"
#include "corpus/page/structured_data.h"
#include "corpus/page/text.h"

namespace filmsearch::corpus::page {
namespace {

// One value of a key, as written: a scalar or a list of scalars.
struct Value {
  std::vector<std::string> items;
  bool list = false;
  std::string first() const { return items.empty() ? std::string() : items.front(); }
};

// Applies one key of the block to `fm`; unknown keys are ignored.
void apply(std::string key, const Value& v, FrontMatter& fm) {
  key = to_lower(key);
  auto list = [&](std::vector<std::string>& out) {
    for (const std::string& item : v.items) {
      if (v.list) {
        add_unique(out, std::string(trim(item)));
      } else {
        for (std::string& s : split_list(item)) add_unique(out, std::move(s));
      }
    }
  };
  std::string first = std::string(trim(v.first()));
  if (key == "title" || key == "name") {
    if (fm.title.empty()) fm.title = first;
  } else if (key == "date" || key == "published" || key == "pubdate" || key == "publishdate") {
    if (fm.date.empty()) fm.date = iso_date_of(first);
  } else if (key == "author" || key == "authors" || key == "by") {
    if (fm.author.empty()) {
      for (const std::string& a : v.items) fm.author += (fm.author.empty() ? "" : " and ") + a;
    }
  } else if (key == "year" || key == "release_year" || key == "released") {
    if (!fm.year) fm.year = label_year(first);
  } else if (key == "genres" || key == "genre") {
    list(fm.genres);
  } else if (key == "tags" || key == "categories" || key == "keywords") {
    list(fm.tags);
  } else if (key == "director" || key == "directors" || key == "directed_by") {
    list(fm.directors);
  } else if (key == "cast" || key == "actors" || key == "starring" || key == "stars") {
    list(fm.cast);
  } else if (key == "runtime" || key == "duration" || key == "length") {
    if (!fm.runtime_min) fm.runtime_min = parse_iso_duration(first);
  } else if (key == "lang" || key == "language") {
    fm.lang = to_lower(first);
  }
  if (fm.imdb_id.empty() && key.find("imdb") != std::string::npos) {
    for (const std::string& item : v.items) {
      std::string id = find_imdb_id(item);
      if (!id.empty()) {
        fm.imdb_id = id;
        break;
      }
    }
  }
}

void read_yaml(std::string_view block, FrontMatter& fm) {
  try {
    YAML::Node root = YAML::Load(std::string(block));
    if (!root.IsMap()) {
      if (!root.IsNull()) fm.error = "front matter is not a mapping of keys to values";
      return;
    }
    for (const auto& kv : root) {
      if (!kv.first.IsScalar()) continue;
      Value v;
      if (kv.second.IsScalar()) {
        v.items.push_back(kv.second.Scalar());
      } else if (kv.second.IsSequence()) {
        v.list = true;
        for (const auto& item : kv.second) {
          if (item.IsScalar()) v.items.push_back(item.Scalar());
        }
      }
      if (!v.items.empty()) apply(kv.first.Scalar(), v, fm);
    }
  } catch (const YAML::Exception& e) {
    fm.error = "front matter is not valid YAML: " + std::string(e.what());
  }
}

std::string toml_string(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return std::string(s.substr(1, s.size() - 2));
  }
  return std::string(s);
}

void read_toml(std::string_view block, FrontMatter& fm) {
  bool in_table = false;
  std::size_t pos = 0;
  while (pos < block.size()) {
    std::size_t end = block.find('\n', pos);
    if (end == std::string_view::npos) end = block.size();
    std::string_view line = trim(block.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      in_table = true;  // [params] and the like: nested, not the page's own fields
      continue;
    }
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || in_table) continue;
    std::string key = toml_string(line.substr(0, eq));
    std::string_view raw = trim(line.substr(eq + 1));
    Value v;
    if (raw.starts_with("[") && raw.ends_with("]")) {
      v.list = true;
      std::string_view inner = raw.substr(1, raw.size() - 2);
      std::size_t b = 0;
      while (b <= inner.size()) {
        std::size_t comma = inner.find(',', b);
        if (comma == std::string_view::npos) comma = inner.size();
        std::string item = toml_string(inner.substr(b, comma - b));
        if (!item.empty()) v.items.push_back(item);
        b = comma + 1;
      }
    } else {
      v.items.push_back(toml_string(raw));
    }
    apply(key, v, fm);
  }
}

}  // namespace

std::optional<FrontMatter> read_front_matter(std::string_view content) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  std::string_view fence;
  if (content.starts_with("---\n") || content.starts_with("---\r\n")) fence = "---";
  else if (content.starts_with("+++\n") || content.starts_with("+++\r\n")) fence = "+++";
  else return std::nullopt;
  std::size_t first_line_end = content.find('\n') + 1;
  std::size_t pos = first_line_end;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == fence || (fence == "---" && line == "...")) {
      FrontMatter fm;
      std::string_view block = content.substr(first_line_end, pos - first_line_end);
      fm.body_offset = std::min(content.size(), end + 1);
      if (fence == "---") read_yaml(block, fm);
      else read_toml(block, fm);
      return fm;
    }
    pos = end + 1;
  }
  return std::nullopt;  // no closing fence: a horizontal rule, not front matter
}

}  // namespace filmsearch::corpus::page
