// spoiler-bench: measures the rules of filmsearch's spoiler tagging (find_inline_spoilers +
// find_reveal_spoilers) against spoiler-labelled text from outside the project, counts spans over
// filmbench reviews, and times the learned tagger.
// Run on demand; nothing here is part of the unit tests.
//
//   spoiler-bench --shared /work/shared [--samples FILE]
//
// Reports (each part skipped when its file is absent):
//   - throughput of the learned tagger and of the whole policy, in thread CPU time, on 20,000
//     filmbench reviews in memory (the learned tagger's quality is reported by spoiler-train);
//   - TV Tropes sentences (Boyd-Graber et al. 2013): sentence-level precision/recall/F1 of
//     "any span in the sentence" against the editors' spoiler label, per split;
//   - Reddit SpoilerShield comments: comment-level recall on the 1,000 author-marked spoiler
//     comments, false-positive rate on the 1,000 others, and character-level precision/recall of
//     spans inside the spoiler comments;
//   - filmbench reviews: how many of the reviews containing "spoiler" get a span, the time per
//     review, and (with --samples) 30 reviews of each class around the word, for eyeballing.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/spoiler_features.h"
#include "corpus/spoiler_model.h"
#include "corpus/spoilers.h"
#include "training_data.h"

namespace {

namespace corpus = filmsearch::corpus;
using filmsearch::bench::read_csv_record;

std::vector<corpus::SpoilerSpan> tag(std::string_view text) {
  std::vector<corpus::SpoilerSpan> spans = corpus::find_inline_spoilers(text);
  for (const corpus::SpoilerSpan& s : corpus::find_reveal_spoilers(text)) spans.push_back(s);
  return corpus::merge_spoiler_spans(std::move(spans));
}

struct Counts {
  long tp = 0, fp = 0, fn = 0, tn = 0;
  double precision() const { return tp + fp ? double(tp) / double(tp + fp) : 0; }
  double recall() const { return tp + fn ? double(tp) / double(tp + fn) : 0; }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  void add(bool predicted, bool actual) {
    if (predicted && actual) ++tp;
    else if (predicted) ++fp;
    else if (actual) ++fn;
    else ++tn;
  }
};

void print_counts(const std::string& name, const Counts& c) {
  std::printf("%-34s P=%.3f R=%.3f F1=%.3f (tp=%ld fp=%ld fn=%ld tn=%ld)\n", name.c_str(),
              c.precision(), c.recall(), c.f1(), c.tp, c.fp, c.fn, c.tn);
}

void bench_tvtropes(const std::filesystem::path& dir) {
  for (const char* split : {"dev1", "dev2", "train"}) {
    std::ifstream in(dir / (std::string(split) + ".balanced.csv"), std::ios::binary);
    if (!in) continue;
    std::vector<std::string> fields;
    read_csv_record(in, fields);  // header
    Counts inline_only, all;
    while (read_csv_record(in, fields)) {
      if (fields.size() < 2) continue;
      bool actual = fields[1] == "True";
      inline_only.add(!corpus::find_inline_spoilers(fields[0]).empty(), actual);
      all.add(!tag(fields[0]).empty(), actual);
    }
    print_counts(std::string("tvtropes ") + split + " inline", inline_only);
    print_counts(std::string("tvtropes ") + split + " inline+reveal", all);
  }
}

// Byte offset -> code point offset (the labels count Python characters).
std::vector<std::size_t> char_offsets(std::string_view s) {
  std::vector<std::size_t> offsets(s.size() + 1);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    offsets[i] = chars;
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++chars;
  }
  offsets[s.size()] = chars;
  return offsets;
}

void bench_reddit(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return;
  Counts comments;
  long overlap = 0, predicted_chars = 0, labelled_chars = 0;
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded()) continue;
    std::string text = record.value("text_plain", "");
    bool actual = record.value("label", "") == "Spoiler";
    std::vector<corpus::SpoilerSpan> spans = tag(text);
    comments.add(!spans.empty(), actual);
    if (!actual) continue;
    std::vector<std::size_t> offsets = char_offsets(text);
    std::size_t length = offsets.back();
    std::vector<char> gold(length, 0), mine(length, 0);
    for (const auto& span : record["spoiler_spans"]) {
      for (std::size_t i = span[0].get<std::size_t>(); i < span[1].get<std::size_t>() && i < length;
           ++i) {
        gold[i] = 1;
      }
    }
    for (const corpus::SpoilerSpan& s : spans) {
      for (std::size_t i = offsets[s.begin]; i < offsets[s.end]; ++i) mine[i] = 1;
    }
    for (std::size_t i = 0; i < length; ++i) {
      overlap += gold[i] && mine[i];
      predicted_chars += mine[i];
      labelled_chars += gold[i];
    }
  }
  print_counts("reddit comments", comments);
  std::printf("%-34s P=%.3f R=%.3f (chars: predicted=%ld labelled=%ld overlap=%ld)\n",
              "reddit spans (spoiler comments)",
              predicted_chars ? double(overlap) / double(predicted_chars) : 0.0,
              labelled_chars ? double(overlap) / double(labelled_chars) : 0.0, predicted_chars,
              labelled_chars, overlap);
}


// Throughput of the learned tagger on filmbench review text held in memory (one core): the
// scorer alone (featurize + score every sentence), and the whole policy with and without it.
// Also the time to parse the compiled-in model.
void bench_throughput(const std::filesystem::path& file, std::size_t max_reviews) {
  std::string command = "xz -dc '" + file.string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return;
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  char buffer[1 << 16];
  std::string line;
  while (texts.size() < max_reviews && std::fgets(buffer, sizeof buffer, pipe)) {
    line += buffer;
    if (line.back() != '\n') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    line.clear();
    if (j.is_discarded() || !j.contains("text")) continue;
    texts.push_back(j.value("text", ""));
    bytes += texts.back().size();
  }
  pclose(pipe);
  using Clock = std::chrono::steady_clock;
  // The first call parses the compiled-in model.
  const auto t0 = Clock::now();
  const bool empty = corpus::SpoilerModel::builtin().empty();
  std::printf("model load (first use): %.3f ms%s\n",
              std::chrono::duration<double, std::milli>(Clock::now() - t0).count(),
              empty ? " (no model compiled in)" : "");
  // CPU time of this thread, not wall time: the machine is shared.
  const auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  const auto seconds = [&](auto&& body) {
    const double start = cpu_now();
    body();
    return cpu_now() - start;
  };
  const corpus::SpoilerModel& builtin = corpus::SpoilerModel::builtin();
  double checksum = 0;
  // Three rounds of each, the median reported: on a shared machine one round varies by +-20%.
  const auto median_of_3 = [](auto&& measure) {
    std::array<double, 3> t = {measure(), measure(), measure()};
    std::sort(t.begin(), t.end());
    return t[1];
  };
  double round_checksum = 0;
  const double scorer = median_of_3([&] {
    round_checksum = 0;
    return seconds([&] {
      for (const std::string& t : texts) {
        std::vector<std::string_view> views;
        for (const auto& s : corpus::spoiler_features::split_sentences(t)) {
          views.push_back(std::string_view(t).substr(s.begin, s.end - s.begin));
        }
        for (float p : builtin.score(views)) round_checksum += p;
      }
    });
  });
  checksum += round_checksum;
  const auto policy = [&](bool learned) {
    return median_of_3([&] {
      return seconds([&] {
        for (const std::string& t : texts) {
          corpus::Record r;
          r.type = corpus::RecordType::kReview;
          corpus::Section section;
          section.kind = corpus::SectionKind::kReview;
          section.text = t;
          r.sections.push_back(std::move(section));
          corpus::apply_spoiler_policy(r, {.learned = learned});
          checksum += static_cast<double>(r.sections[0].spoiler_spans.size());
        }
      });
    });
  };
  const double rules = policy(false);
  const double full = policy(true);
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("throughput on %zu reviews, %.1f MB (checksum %.1f), median of 3 rounds:\n",
              texts.size(), mb, checksum);
  std::printf("  learned scorer (split + featurize + score): %.1f MB/s per core\n", mb / scorer);
  std::printf("  policy, rules only: %.1f MB/s; with the learned tagger: %.1f MB/s\n", mb / rules,
              mb / full);
}

bool contains_spoiler_word(std::string_view text) {
  for (std::size_t i = 0; i + 7 <= text.size(); ++i) {
    if ((text[i] | 0x20) == 's') {
      std::string w(text.substr(i, 7));
      for (char& c : w) c = static_cast<char>(c | 0x20);
      if (w == "spoiler") return true;
    }
  }
  return false;
}

std::string context(std::string_view text, const std::vector<corpus::SpoilerSpan>& spans) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t at = lower.find("spoiler");
  std::size_t begin = at > 150 ? at - 150 : 0;
  std::string out(text.substr(begin, 300));
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  std::string marks;
  for (const corpus::SpoilerSpan& s : spans) {
    marks += " [" + std::to_string(s.begin) + "," + std::to_string(s.end) + ")";
  }
  return "spans:" + (marks.empty() ? std::string(" none") : marks) + " of " +
         std::to_string(text.size()) + "\n  ..." + out + "...\n";
}

void bench_reviews(const std::filesystem::path& file, const std::string& samples_path) {
  if (!std::filesystem::exists(file)) return;
  std::string command = "xz -dc '" + file.string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return;
  long reviews = 0, mentioning = 0, tagged = 0, tagged_without_word = 0;
  std::vector<std::string> with_span, without_span;
  double seconds = 0;
  std::string line;
  char buffer[1 << 16];
  while (true) {
    line.clear();
    bool got = false;
    while (std::fgets(buffer, sizeof buffer, pipe)) {
      got = true;
      line += buffer;
      if (!line.empty() && line.back() == '\n') break;
    }
    if (!got) break;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded()) continue;
    std::string text = record.value("text", "");
    ++reviews;
    auto start = std::chrono::steady_clock::now();
    std::vector<corpus::SpoilerSpan> spans = corpus::find_inline_spoilers(text);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bool word = contains_spoiler_word(text);
    if (word) {
      ++mentioning;
      if (!spans.empty()) ++tagged;
      // Every 37th, to spread the sample over the file.
      auto& bucket = spans.empty() ? without_span : with_span;
      if (bucket.size() < 30 && (mentioning % 37) == 0) {
        bucket.push_back(record.value("id", "") + " " + context(text, spans));
      }
    } else if (!spans.empty()) {
      ++tagged_without_word;
    }
  }
  pclose(pipe);
  std::printf("reviews: %ld, mentioning \"spoiler\": %ld, of which with a span: %ld (%.1f%%); "
              "spans without the word: %ld\n",
              reviews, mentioning, tagged, mentioning ? 100.0 * tagged / mentioning : 0.0,
              tagged_without_word);
  std::printf("find_inline_spoilers: %.2f us per review (%.3f s total)\n",
              reviews ? 1e6 * seconds / reviews : 0.0, seconds);
  if (!samples_path.empty()) {
    std::ofstream out(samples_path);
    out << "== with a span\n";
    for (const std::string& s : with_span) out << s;
    out << "== without a span\n";
    for (const std::string& s : without_span) out << s;
  }
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"Measure filmsearch's spoiler tagging on labelled data."};
  std::string shared = "../shared";
  std::string samples;
  app.add_option("--shared", shared, "folder holding spoilers/ and corpus/ (default ../shared)");
  app.add_option("--samples", samples, "write 30 reviews with and 30 without a span here");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::path root(shared);
  bench_throughput(root / "corpus" / "filmbench" / "reviews.jsonl.xz", 20000);
  bench_tvtropes(root / "spoilers" / "tvtropes-boyd2013");
  bench_reddit(root / "spoilers" / "reddit-spoilershield" / "comments_spans.jsonl");
  bench_reviews(root / "corpus" / "filmbench" / "reviews.jsonl.xz", samples);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "spoiler-bench: " << e.what() << '\n';
  return 1;
}
