// Crash safety of filmsearch-index: SIGKILL at seeded random moments (some at random times, some
// the moment the writer starts writing index files, i.e. mid-commit) must leave an index that
// opens, passes xapian-check and holds exactly the records of the batches committed before the
// kill; re-running the same command completes it to the content of an uninterrupted run. Ctrl-C
// (SIGINT) commits what is done and says so.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reliability_support.h"

namespace filmsearch::reliability {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kBatch = 100;
constexpr std::size_t kMinRecords = 2000;
constexpr int kRounds = 4;          // each round starts from no index...
constexpr int kKillsPerRound = 5;   // ...is killed this many times, then runs to completion

class CrashSafetyTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "filmsearch-crash-" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    sample_ = make_sample(FILMSEARCH_CORPUS_DIR, dir_, kMinRecords);
    ASSERT_GE(sample_.ids.size(), kMinRecords);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> index_command(const std::string& index) const {
    return {FILMSEARCH_INDEX_BIN, "--index", index, "--batch", std::to_string(kBatch), "-q",
            sample_.path};
  }

  // The checks after a kill: the index opens, passes xapian-check, has no duplicate and no
  // half record, and holds exactly what whole committed batches hold. `before` is what the
  // index held when the killed run started (empty: a new index). A run on a new index writes
  // two shards in parallel, each committing every kBatch / 2 of its records, and merges them at
  // the end: until then the index is shard 0's committed batches (a multiple of kBatch / 2 of
  // its records, or all of them after its last commit), or everything once merged (a kill
  // while merging leaves INDEX.compacting, which the next run removes, merging or not). A run
  // on an existing index writes it directly, in input order, committing every kBatch records:
  // `before` plus a prefix of the input.
  void check_committed_state(const std::string& index, const std::set<std::string>& before,
                             const std::string& what) {
    SCOPED_TRACE(what);
    committed_.clear();
    if (!std::filesystem::exists(index + "/iamglass")) {
      // Killed before the database was created: nothing committed, nothing to check.
      ASSERT_TRUE(before.empty());
      return;
    }
    std::string check_output;
    EXPECT_EQ(0, run({XAPIAN_CHECK, index}, &check_output)) << check_output;
    IndexSummary s;
    try {
      s = summarize_index(index);
    } catch (const Xapian::Error& e) {
      FAIL() << "the index does not open: " << e.get_description();
    }
    EXPECT_EQ(s.doc_count, s.id_terms) << "a document without an id term, or an id without one";
    EXPECT_EQ(0u, s.duplicate_id_terms) << "duplicate records";
    EXPECT_TRUE(s.problems.empty()) << s.problems.front();
    for (const auto& [id, doc] : s.docs) committed_.insert(id);
    const std::set<std::string> all(sample_.ids.begin(), sample_.ids.end());
    EXPECT_TRUE(std::includes(all.begin(), all.end(), committed_.begin(), committed_.end()))
        << "records that are not in the input";
    if (before.empty()) {
      // Shard 0's whole batches; or all of shard 0 (killed after its last, short, commit:
      // waiting for the other shard, or merging); or everything (merged).
      const bool shard_0_batches = s.doc_count % (kBatch / 2) == 0 &&
                                   std::includes(sample_.first_shard_ids.begin(),
                                                 sample_.first_shard_ids.end(),
                                                 committed_.begin(), committed_.end());
      EXPECT_TRUE(shard_0_batches || committed_ == sample_.first_shard_ids ||
                  committed_ == all)
          << s.doc_count << " documents: not whole batches of shard 0 (" << kBatch / 2
          << " records each), not all of its " << sample_.first_shard_ids.size()
          << ", not everything";
      return;
    }
    bool whole_batches = false;
    for (std::size_t n = 0; !whole_batches; n = std::min(n + kBatch, sample_.ids.size())) {
      std::set<std::string> expected = before;
      expected.insert(sample_.ids.begin(), sample_.ids.begin() + n);
      whole_batches = expected == committed_;
      if (n == sample_.ids.size()) break;
    }
    EXPECT_TRUE(whole_batches) << s.doc_count << " documents (" << before.size()
                               << " before the run): not the earlier ones plus whole batches";
  }

  std::string dir_;
  Sample sample_;
  std::set<std::string> committed_;  // the ids the index held at the last check
};

TEST_F(CrashSafetyTest, SigkillLeavesTheLastCommitAndARerunCompletesIt) {
  // The reference: an uninterrupted run, timed to place the kills.
  const std::string reference = dir_ + "/reference.db";
  const auto start = Clock::now();
  std::string output;
  ASSERT_EQ(0, run(index_command(reference), &output)) << output;
  // The time scale of the kills; shrunk when a run finishes before its kill (the machine got
  // faster than during the reference run).
  double run_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const IndexSummary want = summarize_index(reference);
  ASSERT_EQ(sample_.ids.size(), want.doc_count);
  ASSERT_TRUE(want.problems.empty()) << want.problems.front();

  std::mt19937 random(20261121);  // seeded: the same kill moments every run
  int killed = 0, killed_while_writing = 0, finished_first = 0;
  std::vector<std::size_t> counts_after_kill;
  for (int round = 0; round < kRounds; ++round) {
    const std::string index = dir_ + "/round" + std::to_string(round) + ".db";
    committed_.clear();
    for (int k = 0; k < kKillsPerRound; ++k) {
      const std::string what = "round " + std::to_string(round) + " kill " + std::to_string(k);
      // Even kills: at a random time of the run. Odd kills: the moment the index files change
      // for the n-th time (the writer flushing a batch: mid-commit).
      const bool at_write = k % 2 == 1;
      const double at = std::uniform_real_distribution<double>(0.02, 0.95)(random) * run_seconds;
      const int skip_writes = std::uniform_int_distribution<int>(0, 4)(random);
      Child child(index_command(index), dir_ + "/index.log");
      const auto child_start = Clock::now();
      std::string signature = index_files_signature(index);
      int writes_seen = 0;
      int status = 0;
      bool exited = false;
      while (!(exited = child.poll(&status))) {
        if (at_write) {
          const std::string now = index_files_signature(index);
          if (now != signature) {
            signature = now;
            if (writes_seen++ >= skip_writes) break;
          }
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        } else {
          if (std::chrono::duration<double>(Clock::now() - child_start).count() >= at) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
      if (!exited) {
        child.signal(SIGKILL);
        status = child.wait();
        // The indexer may have finished between the last poll and the signal: then it was
        // not killed, and it is the same case as finishing first.
        exited = WIFEXITED(status);
        if (!exited) {
          ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << what << ": " << status;
          ++killed;
          killed_while_writing += at_write;
        }
      }
      if (exited) {
        ++finished_first;
        run_seconds *= 0.6;
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << what << ": " << status;
      }
      const std::set<std::string> before = committed_;
      check_committed_state(index, before, what);
      counts_after_kill.push_back(committed_.size());
    }
    // The same command again, uninterrupted: the index of an uninterrupted run.
    ASSERT_EQ(0, run(index_command(index), &output)) << output;
    const IndexSummary got = summarize_index(index);
    EXPECT_EQ(want.doc_count, got.doc_count) << "round " << round;
    EXPECT_TRUE(want.docs == got.docs) << "round " << round << ": documents differ";
    EXPECT_TRUE(want.spellings == got.spellings) << "round " << round << ": spellings differ";
    std::string check_output;
    EXPECT_EQ(0, run({XAPIAN_CHECK, index}, &check_output)) << check_output;
    EXPECT_FALSE(std::filesystem::exists(index + ".compacting")) << "a killed merge left garbage";
    std::filesystem::remove_all(index);
  }
  std::string counts;
  for (std::size_t c : counts_after_kill) counts += " " + std::to_string(c);
  RecordProperty("kills", killed);
  std::cout << "run " << run_seconds << " s, " << sample_.ids.size() << " records; " << killed
            << " kills (" << killed_while_writing << " while writing), " << finished_first
            << " runs finished before their kill; documents after each kill:" << counts << '\n';
  // Most kills must land inside the run, or the test proves little.
  EXPECT_GE(killed, kRounds * kKillsPerRound * 3 / 4);
}

TEST_F(CrashSafetyTest, SigintCommitsWhatIsDoneAndSaysSo) {
  const std::string index = dir_ + "/sigint.db";
  const std::string log = dir_ + "/sigint.log";
  Child child(index_command(index), log);
  // Wait for the first commit with records in it (creating the index already changes its
  // files, and Ctrl-C then rightly commits nothing), then a little more: mid-run.
  int status = 0;
  auto committed = [&] {
    try {
      return Xapian::Database(index).get_doccount() > 0;
    } catch (const Xapian::Error&) {
      return false;  // not created yet, or changing under us
    }
  };
  while (!child.poll(&status) && !committed()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_FALSE(child.poll(&status)) << "finished before Ctrl-C: " << read_file(log);
  child.signal(SIGINT);
  status = child.wait();
  const std::string output = read_file(log);
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(130, WEXITSTATUS(status)) << output;
  const auto at = output.find("interrupted: committed ");
  ASSERT_NE(std::string::npos, at) << output;
  const std::size_t said = std::stoul(output.substr(at + 23));

  std::string check_output;
  EXPECT_EQ(0, run({XAPIAN_CHECK, index}, &check_output)) << check_output;
  const IndexSummary s = summarize_index(index);
  EXPECT_EQ(said, s.doc_count) << output;
  EXPECT_EQ(s.doc_count, s.id_terms);
  EXPECT_GT(s.doc_count, 0u);
  EXPECT_LT(s.doc_count, sample_.ids.size());
  std::set<std::string> expected(sample_.ids.begin(), sample_.ids.begin() + s.doc_count);
  std::set<std::string> got;
  for (const auto& [id, doc] : s.docs) got.insert(id);
  EXPECT_TRUE(expected == got) << "not the first " << s.doc_count << " records";
}

}  // namespace
}  // namespace filmsearch::reliability
