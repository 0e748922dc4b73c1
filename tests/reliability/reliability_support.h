// Support for the reliability tests: a deterministic sample corpus of a few thousand records,
// child processes of the real tools (started, killed, waited for), and a comparable summary of
// what an index holds. Only for tests/reliability.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace filmsearch::reliability {

// A JSON Lines file of real records and the ids it holds, in input order.
struct Sample {
  std::string path;
  std::vector<std::string> ids;
  // The ids a new index built as 2 shards gets in shard 0 (index::fresh_shard_of): what the
  // index holds between shard 0's last commit and the merge.
  std::set<std::string> first_shard_ids;
};

// Writes `dir`/sample.jsonl: copies of the JSON Lines files of `corpus_dir` (films, Douban and
// NSMC records), copy k with every id and film_id suffixed "~k", until it holds at least
// `min_records` records. Deterministic. The ids are read back through corpus::read_inputs, as
// the indexer reads them.
Sample make_sample(const std::string& corpus_dir, const std::string& dir, std::size_t min_records);

// A running child process whose standard output and error go to one log file.
class Child {
 public:
  // Starts argv[0] (a path) with `argv`; output to `log_path`. Throws std::runtime_error.
  Child(const std::vector<std::string>& argv, const std::string& log_path);
  ~Child();  // kills (SIGKILL) and reaps a child still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // True (and the wait status in *status) once the child has exited; does not block.
  bool poll(int* status);
  // Blocks until the child exits; returns its wait status.
  int wait();
  void signal(int sig);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// Runs argv to completion; returns its exit code (128 + signal when killed) and its output.
int run(const std::vector<std::string>& argv, std::string* output);

// The whole content of a file ("" when it cannot be read).
std::string read_file(const std::string& path);

// What a document holds, by record id: enough to tell two indexes apart.
struct DocumentSummary {
  std::size_t terms = 0;       // termlist_count()
  std::uint64_t length = 0;    // document length (sum of wdf)
  std::size_t values = 0;      // values_count()
  std::string data;            // the stored record, as stored (compressed)
  std::string term_digest;     // every term with its wdf and positions, hashed
  bool operator==(const DocumentSummary&) const = default;
};

struct IndexSummary {
  std::size_t doc_count = 0;
  std::size_t id_terms = 0;           // distinct Q terms
  std::size_t duplicate_id_terms = 0; // Q terms indexing more than one document
  std::map<std::string, DocumentSummary> docs;  // by the id decoded from the stored record
  std::map<std::string, std::uint64_t> spellings;
  std::vector<std::string> problems;  // documents without data, undecodable data, ...
};

// Reads the committed state of the index at `path` (throws Xapian::Error when it cannot open).
IndexSummary summarize_index(const std::string& path);

// Sizes and modification times of the files of an index folder, to notice that a writer is
// writing ("" when the folder does not exist).
std::string index_files_signature(const std::string& path);

}  // namespace filmsearch::reliability
