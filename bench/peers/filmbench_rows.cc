#include "filmbench_rows.h"

#include <lzma.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>

namespace filmbench {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Decodes an .xz file chunk by chunk; lines may span chunk boundaries, hence `pending`.
void for_each_xz_line(const std::string& path,
                      const std::function<void(std::string_view)>& on_line) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw std::runtime_error("cannot open " + path);
  lzma_stream strm = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
    throw std::runtime_error("cannot start xz decoder for " + path);
  }
  std::unique_ptr<lzma_stream, void (*)(lzma_stream*)> guard(&strm, &lzma_end);
  std::vector<std::uint8_t> in(1 << 16);
  std::vector<std::uint8_t> out(1 << 20);
  std::string pending;
  lzma_action action = LZMA_RUN;
  strm.avail_in = 0;
  for (;;) {
    if (strm.avail_in == 0 && action == LZMA_RUN) {
      strm.next_in = in.data();
      strm.avail_in = std::fread(in.data(), 1, in.size(), file.get());
      if (std::ferror(file.get())) throw std::runtime_error("read error in " + path);
      if (std::feof(file.get())) action = LZMA_FINISH;
    }
    strm.next_out = out.data();
    strm.avail_out = out.size();
    const lzma_ret ret = lzma_code(&strm, action);
    const std::size_t produced = out.size() - strm.avail_out;
    std::string_view chunk(reinterpret_cast<const char*>(out.data()), produced);
    while (!chunk.empty()) {
      const auto nl = chunk.find('\n');
      if (nl == std::string_view::npos) {
        pending.append(chunk);
        break;
      }
      if (pending.empty()) {
        on_line(chunk.substr(0, nl));
      } else {
        pending.append(chunk.substr(0, nl));
        on_line(pending);
        pending.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
    if (ret == LZMA_STREAM_END) break;
    if (ret != LZMA_OK) throw std::runtime_error("corrupt xz data in " + path);
  }
  if (!pending.empty()) on_line(pending);
}

struct FilmInfo {
  std::string title;
  std::vector<std::string> genres;
  int year = 0;
};

std::string string_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return {};
}

int year_field(const nlohmann::json& j) {
  const auto it = j.find("year");
  if (it == j.end()) return 0;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

void for_each_line(const std::string& path, const std::function<void(std::string_view)>& on_line) {
  if (ends_with(path, ".xz")) {
    for_each_xz_line(path, on_line);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  while (std::getline(in, line)) on_line(line);
}

void read_records(const std::vector<std::string>& paths,
                  const std::function<void(const Record&)>& on_record, ReadStats& stats) {
  // Film records seen so far, so that a review read later carries its film's title, genres and
  // year (filmbench lists films.jsonl before reviews.jsonl; the peers document this order).
  std::unordered_map<std::string, FilmInfo> films;
  Record rec;
  for (const auto& path : paths) {
    std::int64_t line_no = 0;
    for_each_line(path, [&](std::string_view line) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
      nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!j.is_object() || string_field(j, "id").empty()) {
        ++stats.bad_lines;
        std::cerr << path << ':' << line_no << ": skipped: not a JSON record with an id\n";
        return;
      }
      rec.doc_id = string_field(j, "id");
      rec.type = string_field(j, "type");
      if (rec.type.empty()) rec.type = "film";
      rec.film_id = string_field(j, "film_id");
      rec.has_own_film_record = rec.type == "film";
      if (rec.film_id.empty() || rec.has_own_film_record) rec.film_id = rec.doc_id;
      rec.title = string_field(j, "title");
      rec.year = year_field(j);
      rec.genres.clear();
      if (const auto g = j.find("genres"); g != j.end() && g->is_array()) {
        for (const auto& v : *g) {
          if (v.is_string()) rec.genres.push_back(v.get<std::string>());
        }
      }
      if (rec.has_own_film_record) {
        films[rec.film_id] = FilmInfo{rec.title, rec.genres, rec.year};
      } else if (rec.film_id != rec.doc_id) {
        if (const auto f = films.find(rec.film_id); f != films.end()) {
          if (rec.title.empty()) rec.title = f->second.title;
          if (rec.genres.empty()) rec.genres = f->second.genres;
          if (rec.year == 0) rec.year = f->second.year;
        }
      }
      rec.rows.clear();
      if (const auto s = j.find("sections"); s != j.end() && s->is_array()) {
        for (const auto& section : *s) {
          if (!section.is_object()) continue;
          std::string text = string_field(section, "text");
          if (!text.empty()) rec.rows.push_back(Row{std::move(text)});
        }
      }
      if (std::string text = string_field(j, "text"); !text.empty()) {
        rec.rows.push_back(Row{std::move(text)});
      }
      if (rec.rows.empty()) rec.rows.push_back(Row{});
      stats.records += 1;
      stats.sections += static_cast<std::int64_t>(rec.rows.size());
      stats.text_bytes += static_cast<std::int64_t>(string_field(j, "title").size());
      for (const auto& row : rec.rows)
        stats.text_bytes += static_cast<std::int64_t>(row.text.size());
      on_record(rec);
    });
  }
}

std::int64_t peak_rss_bytes() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;
}

}  // namespace filmbench
