#include "reliability_support.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "corpus/reader.h"
#include "index/schema.h"
#include "index/stored_record.h"
#include "index/writer.h"

extern char** environ;

namespace filmsearch::reliability {

Sample make_sample(const std::string& corpus_dir, const std::string& dir,
                   std::size_t min_records) {
  std::vector<std::string> lines;
  for (const char* name : {"films.jsonl", "douban.jsonl", "nsmc.jsonl"}) {
    std::ifstream in(corpus_dir + "/" + name);
    if (!in) throw std::runtime_error("cannot read " + corpus_dir + "/" + name);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
  }
  if (lines.empty()) throw std::runtime_error("no records in " + corpus_dir);
  Sample sample;
  sample.path = dir + "/sample.jsonl";
  std::ofstream out(sample.path, std::ios::binary);
  std::size_t written = 0;
  for (int copy = 0; written < min_records; ++copy) {
    const std::string suffix = "~" + std::to_string(copy);
    for (const std::string& line : lines) {
      nlohmann::json j = nlohmann::json::parse(line);
      j["id"] = j.value("id", "") + suffix;
      if (j.contains("film_id")) j["film_id"] = j["film_id"].get<std::string>() + suffix;
      out << j.dump() << '\n';
      ++written;
    }
  }
  out.close();
  corpus::ReadCallbacks callbacks;
  callbacks.on_record = [&](corpus::Record&& r) {
    sample.ids.push_back(r.id);
    if (index::fresh_shard_of(r, 2) == 0) sample.first_shard_ids.insert(r.id);
  };
  corpus::read_inputs({sample.path}, {}, callbacks);
  return sample;
}

Child::Child(const std::vector<std::string>& argv, const std::string& log_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
}

Child::~Child() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

bool Child::poll(int* status) {
  if (!reaped_) {
    int s = 0;
    const pid_t r = ::waitpid(pid_, &s, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      status_ = s;
    }
  }
  if (reaped_ && status != nullptr) *status = status_;
  return reaped_;
}

int Child::wait() {
  while (!reaped_) {
    int s = 0;
    const pid_t r = ::waitpid(pid_, &s, 0);
    if (r == pid_) {
      reaped_ = true;
      status_ = s;
    } else if (r < 0 && errno != EINTR) {
      reaped_ = true;
      status_ = -1;
    }
  }
  return status_;
}

void Child::signal(int sig) {
  if (!reaped_) ::kill(pid_, sig);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int run(const std::vector<std::string>& argv, std::string* output) {
  const std::string log = std::filesystem::temp_directory_path() /
                          ("filmsearch-run-" + std::to_string(::getpid()) + ".log");
  int status = 0;
  {
    Child child(argv, log);
    status = child.wait();
  }
  if (output != nullptr) *output = read_file(log);
  std::filesystem::remove(log);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

IndexSummary summarize_index(const std::string& path) {
  IndexSummary s;
  Xapian::Database db(path);
  const auto dictionary = index::RecordDictionary::load(db);
  s.doc_count = db.get_doccount();
  const std::string q(index::schema::kIdPrefix);
  for (auto t = db.allterms_begin(q); t != db.allterms_end(q); ++t) {
    ++s.id_terms;
    if (t.get_termfreq() != 1) ++s.duplicate_id_terms;
  }
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    const Xapian::Document doc = db.get_document(*p);
    DocumentSummary d;
    // The stored record as stored: its slot (or, from an older index, the document data).
    d.data = doc.get_data() + doc.get_value(index::schema::slot(index::schema::Slot::kRecord));
    d.terms = doc.termlist_count();
    d.values = doc.values_count();
    d.length = db.get_doclength(*p);
    std::string terms;
    std::string id_term;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string term = *t;
      if (term.compare(0, q.size(), q) == 0 && id_term.empty()) id_term = term;
      terms += term + ":" + std::to_string(t.get_wdf());
      for (auto pos = t.positionlist_begin(); pos != t.positionlist_end(); ++pos) {
        terms += "," + std::to_string(*pos);
      }
      terms += ';';
    }
    d.term_digest = std::to_string(std::hash<std::string>{}(terms));
    std::string id;
    try {
      id = index::stored_record(doc, dictionary.get()).id;
    } catch (const std::exception& e) {
      s.problems.push_back("document " + std::to_string(*p) + ": " + e.what());
      continue;
    }
    if (id_term != q + id) {
      s.problems.push_back("document " + std::to_string(*p) + " stores " + id + " but has " +
                           (id_term.empty() ? "no id term" : id_term));
    }
    if (!s.docs.emplace(id, std::move(d)).second) s.problems.push_back("duplicate " + id);
  }
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) {
    s.spellings[*w] = w.get_termfreq();
  }
  return s;
}

std::string index_files_signature(const std::string& path) {
  std::string sig;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;
    sig += it->path().filename().string() + ":" + std::to_string(st.st_size) + ":" +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ";";
  }
  return sig;
}

}  // namespace filmsearch::reliability
