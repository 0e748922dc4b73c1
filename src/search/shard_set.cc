#include "search/shard_set.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "error.h"

namespace filmsearch::search {
namespace {

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::string describe(const Xapian::Error& e) {
  std::string msg = e.get_msg();
  if (!e.get_error_string() || !*e.get_error_string()) return msg;
  return msg + " (" + e.get_error_string() + ")";
}

}  // namespace

std::vector<ShardSpec> read_shard_specs(const std::string& index_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path stub = index_path;
  if (fs::is_directory(stub, ec)) {
    if (!fs::exists(stub / "XAPIANDB", ec)) {
      ShardSpec one;
      one.label = index_path;
      one.path = index_path;
      return {one};
    }
    stub /= "XAPIANDB";
  }
  std::ifstream in(stub);
  if (!in) throw Error("cannot read " + stub.string());
  const fs::path base = stub.parent_path();
  std::vector<ShardSpec> specs;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = stub.string() + ":" + std::to_string(number) + ": ";
    const auto space = line.find_first_of(" \t");
    const std::string type = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : trim(line.substr(space));
    if (rest.empty()) throw Error(where + "\"" + type + "\" needs a path or address");
    ShardSpec spec;
    spec.label = rest;
    if (type == "auto" || type == "glass") {
      spec.kind = ShardSpec::Kind::kLocal;
      fs::path p = rest;
      spec.path = (p.is_absolute() ? p : base / p).string();
    } else if (type == "remote" && rest[0] == ':') {
      spec.kind = ShardSpec::Kind::kProgram;
      const std::string command = rest.substr(1);
      const auto sep = command.find_first_of(" \t");
      spec.program = command.substr(0, sep);
      spec.args = sep == std::string::npos ? "" : trim(command.substr(sep));
      if (spec.program.empty()) throw Error(where + "\"remote :\" needs a program");
    } else if (type == "remote") {
      spec.kind = ShardSpec::Kind::kTcp;
      const auto colon = rest.rfind(':');
      std::string host = colon == std::string::npos ? "" : rest.substr(0, colon);
      if (host.size() > 1 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      unsigned long port = 0;
      try {
        std::size_t used = 0;
        port = colon == std::string::npos ? 0 : std::stoul(rest.substr(colon + 1), &used);
        if (used != rest.size() - colon - 1) port = 0;
      } catch (const std::exception&) {
        port = 0;
      }
      if (host.empty() || port == 0 || port > 65535) {
        throw Error(where + "\"remote " + rest + "\" is not HOST:PORT (or :PROGRAM ARGS)");
      }
      spec.host = host;
      spec.port = static_cast<unsigned>(port);
    } else {
      throw Error(where + "unknown database type \"" + type +
                  "\" (filmsearch reads auto, glass and remote lines)");
    }
    specs.push_back(std::move(spec));
  }
  if (specs.empty()) throw Error(stub.string() + ": lists no databases");
  return specs;
}

ShardSet::ShardSet(const std::string& index_path, ShardSetOptions options) : options_(options) {
  open(index_path);
}

void ShardSet::open(const std::string& index_path) {
  const useconds_t timeout = options_.remote_timeout_ms;
  for (ShardSpec& spec : read_shard_specs(index_path)) {
    Shard shard;
    shard.spec = spec;
    try {
      switch (spec.kind) {
        case ShardSpec::Kind::kLocal:
          shard.db = Xapian::Database(spec.path);
          break;
        case ShardSpec::Kind::kTcp:
          shard.db = Xapian::Remote::open(spec.host, spec.port, timeout, timeout);
          has_remote_ = true;
          break;
        case ShardSpec::Kind::kProgram:
          shard.db = Xapian::Remote::open(spec.program, spec.args, timeout);
          has_remote_ = true;
          break;
      }
      const std::size_t at = shards_.size();
      shard.dictionary = index::RecordDictionary::load(
          shard.db, at < options_.known_dictionaries.size() ? options_.known_dictionaries[at]
                                                            : nullptr);
    } catch (const Xapian::DatabaseNotFoundError&) {
      // A local shard that is missing is a missing index, as the searcher reports it.
      if (spec.kind == ShardSpec::Kind::kLocal) throw;
      if (!options_.allow_partial) throw Error("shard " + spec.label + ": cannot open");
      unavailable_.push_back("shard " + spec.label + ": cannot open");
      continue;
    } catch (const Xapian::DatabaseOpeningError&) {
      if (spec.kind == ShardSpec::Kind::kLocal) throw;
      if (!options_.allow_partial) throw Error("shard " + spec.label + ": cannot open");
      unavailable_.push_back("shard " + spec.label + ": cannot open");
      continue;
    } catch (const Xapian::NetworkError& e) {
      const std::string why = "shard " + spec.label + ": " + describe(e);
      if (!options_.allow_partial) throw Error(why);
      unavailable_.push_back(why);
      continue;
    }
    shards_.push_back(std::move(shard));
  }
  if (shards_.empty()) {
    throw Error(unavailable_.empty() ? "no shards" : "no shard answered: " + unavailable_.front());
  }
  combine();
}

void ShardSet::combine() {
  db_ = Xapian::Database();
  for (const auto& s : shards_) db_.add_database(s.db);
}

std::string ShardSet::revision_key() const {
  std::string key;
  for (const auto& s : shards_) {
    if (s.spec.kind == ShardSpec::Kind::kLocal) {
      key += s.db.get_uuid() + ":" + std::to_string(s.db.get_revision());
    } else {
      key += s.spec.label + ":" + std::to_string(s.db.get_doccount()) + ":" +
             std::to_string(s.db.get_lastdocid());
    }
    key += ';';
  }
  return key;
}

std::uint64_t ShardSet::revision_number() const {
  std::uint64_t sum = 0;
  for (const auto& s : shards_) {
    sum += s.spec.kind == ShardSpec::Kind::kLocal ? s.db.get_revision() : s.db.get_lastdocid();
  }
  return sum;
}

void ShardSet::reopen() {
  // The combined handle shares each shard's internals, so reopening it moves them all.
  db_.reopen();
  for (auto& s : shards_) s.dictionary = index::RecordDictionary::load(s.db, s.dictionary);
}

std::vector<std::shared_ptr<const index::RecordDictionary>> ShardSet::dictionaries() const {
  std::vector<std::shared_ptr<const index::RecordDictionary>> out;
  for (const auto& s : shards_) out.push_back(s.dictionary);
  return out;
}

std::vector<std::string> ShardSet::probe() {
  std::vector<std::string> failed;
  for (auto& s : shards_) {
    if (s.spec.kind == ShardSpec::Kind::kLocal) continue;
    try {
      s.db.keep_alive();
      (void)s.db.get_doccount();
    } catch (const Xapian::Error& e) {
      failed.push_back("shard " + s.spec.label + ": " + describe(e));
    }
  }
  return failed;
}

bool ShardSet::drop_unavailable() {
  std::vector<Shard> kept;
  for (auto& s : shards_) {
    bool ok = true;
    if (s.spec.kind != ShardSpec::Kind::kLocal) {
      try {
        s.db.keep_alive();
        (void)s.db.get_doccount();
      } catch (const Xapian::Error& e) {
        unavailable_.push_back("shard " + s.spec.label + ": " + describe(e));
        ok = false;
      }
    }
    if (ok) kept.push_back(std::move(s));
  }
  shards_ = std::move(kept);
  if (shards_.empty()) return false;
  combine();
  return true;
}

}  // namespace filmsearch::search
