// Readers during writes: filmsearch-query --batch runs in a loop while filmsearch-index adds,
// replaces and deletes records and commits. No query may fail; every answer must be the answer
// of some committed state, never going back in time within one batch; and the final answers
// must equal those of an index built fresh from the final records.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reliability_support.h"

namespace filmsearch::reliability {
namespace {

constexpr int kWriterRuns = 10;
constexpr std::size_t kBaseRecords = 200;
// Each batch asks the queries this many times (qid "name#r"), so that one batch run spans
// several commits and must reopen the index (DatabaseModifiedError) to go on.
constexpr int kRepeats = 20;

// One answer per query: qid -> the sorted ids of all its hits (ranking ties may order equal
// scores differently in two indexes with the same content, so the set is compared).
using Answers = std::map<std::string, std::string>;

const char* const kQueries[] = {
    R"({"qid": "all", "query": ""})",
    R"({"qid": "film", "query": "film"})",
    R"({"qid": "war", "query": "war"})",
    R"({"qid": "love", "query": "love OR family"})",
    R"({"qid": "marker", "query": "quixotic"})",
    R"({"qid": "title", "query": "title:zeppelin"})",
    R"({"qid": "phrase", "query": "\"train robbery\""})",
    R"({"qid": "reviews", "query": "type:review"})",
    R"({"qid": "drama", "query": "genre:drama -war"})",
};

// "only in the fresh index: a b; only in the live one: c" for two answers.
std::string difference(const std::string& fresh, const std::string& live) {
  const auto split = [](const std::string& s) {
    std::set<std::string> out;
    std::istringstream in(s);
    for (std::string id; in >> id;) out.insert(id);
    return out;
  };
  const std::set<std::string> a = split(fresh), b = split(live);
  std::string out = "only in the fresh index:";
  for (const auto& id : a) {
    if (!b.count(id)) out += " " + id;
  }
  out += "; only in the live one:";
  for (const auto& id : b) {
    if (!a.count(id)) out += " " + id;
  }
  return out;
}

class ReadersDuringWritesTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "filmsearch-rdw-" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream base(dir_ + "/base_queries.jsonl");
    for (const char* line : kQueries) base << line << '\n';
    std::ofstream q(dir_ + "/queries.jsonl");
    for (int r = 0; r < kRepeats; ++r) {
      for (const char* line : kQueries) {
        nlohmann::json j = nlohmann::json::parse(line);
        j["qid"] = j["qid"].get<std::string>() + "#" + std::to_string(r);
        qids_.push_back(j["qid"]);
        q << j.dump() << '\n';
      }
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> query_command(const std::string& index,
                                         const std::string& queries = "queries.jsonl") const {
    return {FILMSEARCH_QUERY_BIN, "--index",  index,  "--batch",   dir_ + "/" + queries,
            "--format",           "jsonl",    "--group-by", "document", "--limit",
            "1000",               "--snippets", "0"};
  }

  // Parses one batch run's output. Empty (and *error set) when the run failed.
  // Answers keyed by qid; with `base`, by the query's name (qid without "#r").
  Answers parse_answers(const std::string& output, std::string* error, bool base = false) const {
    Answers answers;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object() || !j.contains("qid") || !j.contains("hits")) {
        *error = "not an answer: " + line;
        return {};
      }
      std::vector<std::string> ids;
      for (const auto& h : j["hits"]) ids.push_back(h["id"].get<std::string>());
      std::sort(ids.begin(), ids.end());
      std::string joined;
      for (const auto& id : ids) joined += id + " ";
      answers[j["qid"].get<std::string>()] = joined;
    }
    const std::size_t asked = base ? std::size(kQueries) : qids_.size();
    if (answers.size() != asked) {
      *error = "answered " + std::to_string(answers.size()) + " of " + std::to_string(asked) +
               " queries:\n" + output;
    }
    return answers;
  }

  // The answers of the index as it is now (no writer running), by query name.
  Answers query_now(const std::string& index) {
    std::string output, error;
    EXPECT_EQ(0, run(query_command(index, "base_queries.jsonl"), &output)) << output;
    Answers a = parse_answers(output, &error, /*base=*/true);
    EXPECT_TRUE(error.empty()) << error;
    return a;
  }

  std::string dir_;
  std::vector<std::string> qids_;  // in the order of the queries file
};

TEST_F(ReadersDuringWritesTest, EveryAnswerIsACommittedStateAndTheLastIsFresh) {
  // Records: a film (from films.jsonl) can be replaced or deleted; the others are only added.
  const Sample sample = make_sample(FILMSEARCH_CORPUS_DIR, dir_, 1);
  std::map<std::string, nlohmann::json> by_id;
  std::vector<std::string> order;
  {
    std::ifstream in(sample.path);
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line);
      order.push_back(j["id"]);
      by_id[j["id"]] = j;
    }
  }
  ASSERT_GT(order.size(), kBaseRecords + 100);
  const auto mutable_film = [](const std::string& id) { return id.rfind("tt", 0) == 0; };

  std::map<std::string, nlohmann::json> current;  // the committed content, as records
  const auto write_jsonl = [](const std::string& path, const std::vector<nlohmann::json>& rs) {
    std::ofstream out(path);
    for (const auto& r : rs) out << r.dump() << '\n';
  };
  const std::string index = dir_ + "/live.db";
  std::vector<nlohmann::json> base;
  for (std::size_t i = 0; i < kBaseRecords; ++i) base.push_back(by_id[order[i]]);
  write_jsonl(dir_ + "/base.jsonl", base);
  std::string output;
  ASSERT_EQ(0, run({FILMSEARCH_INDEX_BIN, "--index", index, "-q", dir_ + "/base.jsonl"}, &output))
      << output;
  for (const auto& r : base) current[r["id"]] = r;

  std::vector<Answers> states = {query_now(index)};

  // Readers: batch runs in a loop, each run's answers kept for the check afterwards.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<Answers> seen;
  std::vector<std::string> failures;
  std::thread reader([&] {
    int n = 0;
    while (!stop.load()) {
      const std::string log = dir_ + "/reader.log";
      std::string out;
      const int code = [&] {
        Child child(query_command(index), log);
        const int status = child.wait();
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }();
      out = read_file(log);
      std::string error;
      Answers a = parse_answers(out, &error);
      std::lock_guard lock(mu);
      if (code != 0) error = "exit " + std::to_string(code) + ": " + out;
      if (!error.empty()) {
        failures.push_back("batch " + std::to_string(n) + ": " + error);
      } else {
        seen.push_back(std::move(a));
      }
      ++n;
    }
  });

  // The writer: each run adds new records, replaces some films (title and text changed) and
  // deletes others, in one commit; the answers of each committed state are taken between runs.
  std::size_t next = kBaseRecords;
  for (int k = 1; k <= kWriterRuns; ++k) {
    std::vector<nlohmann::json> records;
    const std::size_t adds = (order.size() - kBaseRecords) / kWriterRuns;
    for (std::size_t i = 0; i < adds && next < order.size(); ++i) {
      records.push_back(by_id[order[next++]]);
    }
    std::vector<std::string> films;
    for (const auto& [id, r] : current) {
      if (mutable_film(id)) films.push_back(id);
    }
    std::vector<std::string> deletes;
    for (std::size_t i = 0; i < films.size(); ++i) {
      if ((i * 7 + k) % 23 == 0) {
        deletes.push_back(films[i]);
      } else if ((i * 5 + k) % 19 == 0) {
        nlohmann::json r = current[films[i]];
        r["title"] = r.value("title", "") + " Zeppelin " + std::to_string(k);
        r["sections"].push_back({{"kind", "trivia"},
                                 {"text", "Replaced in run " + std::to_string(k) +
                                              ": a quixotic revision."}});
        records.push_back(r);
      }
    }
    const std::string file = dir_ + "/run" + std::to_string(k) + ".jsonl";
    write_jsonl(file, records);
    // The file before the ids: --delete takes every value that follows it.
    std::vector<std::string> command = {FILMSEARCH_INDEX_BIN, "--index", index, "-q", file};
    for (const auto& id : deletes) {
      command.push_back("--delete");
      command.push_back(id);
    }
    ASSERT_EQ(0, run(command, &output)) << output;
    for (const auto& id : deletes) current.erase(id);
    for (const auto& r : records) current[r["id"]] = r;
    states.push_back(query_now(index));
  }
  // Churn: the final content indexed again with a commit per record. Every one of these
  // hundreds of commits holds the same content, so the answers stay those of the last state,
  // while a batch run's revision is soon discarded (DatabaseModifiedError: reopen and retry).
  {
    std::vector<nlohmann::json> same;
    for (const auto& [id, r] : current) same.push_back(r);
    write_jsonl(dir_ + "/churn.jsonl", same);
    for (int i = 0; i < 2; ++i) {
      ASSERT_EQ(0, run({FILMSEARCH_INDEX_BIN, "--index", index, "-q", "--batch", "5",
                        dir_ + "/churn.jsonl"},
                       &output))
          << output;
    }
    EXPECT_EQ(states.back(), query_now(index)) << "re-indexing the same records changed answers";
  }
  // Let the readers see the last state too, then stop them.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop.store(true);
  reader.join();

  EXPECT_TRUE(failures.empty()) << failures.size() << " failed batches; first: "
                                << failures.front();
  EXPECT_GE(seen.size(), 2u)
      << "the readers hardly ran while the writer wrote";
  // Every answer is that of a committed state, and within one batch run never older than the
  // answer before it (a batch may move forward when it reopens the index).
  int moved = 0;
  for (std::size_t b = 0; b < seen.size(); ++b) {
    std::size_t earliest = 0;
    bool first = true;
    for (const std::string& qid : qids_) {
      const std::string name = qid.substr(0, qid.find('#'));
      std::size_t s = earliest;
      while (s < states.size() && states[s][name] != seen[b][qid]) ++s;
      ASSERT_LT(s, states.size()) << "batch " << b << " query " << qid
                                  << " matches no committed state: " << seen[b][qid];
      moved += !first && s != earliest;
      first = false;
      earliest = s;
    }
  }
  std::cout << seen.size() << " reader batches during " << kWriterRuns << " writer runs and "
            << "2 churn runs; "
            << moved << " times a batch moved to a newer state\n";

  // The final answers equal those of an index built fresh from the final records.
  std::vector<nlohmann::json> final_records;
  for (const auto& [id, r] : current) final_records.push_back(r);
  write_jsonl(dir_ + "/final.jsonl", final_records);
  const std::string fresh = dir_ + "/fresh.db";
  ASSERT_EQ(0, run({FILMSEARCH_INDEX_BIN, "--index", fresh, "-q", dir_ + "/final.jsonl"}, &output))
      << output;
  const Answers want = query_now(fresh);
  for (const auto& [qid, ids] : want) {
    EXPECT_EQ(ids, states.back()[qid]) << "query " << qid << ": "
                                       << difference(ids, states.back()[qid]);
  }
  EXPECT_NE("", want.at("marker")) << "the replaced records are not found";
}

}  // namespace
}  // namespace filmsearch::reliability
