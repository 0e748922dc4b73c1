#include "index/index_stats.h"

#include <xapian.h>

#include <optional>
#include <utility>

#include "error.h"
#include "index/schema.h"
#include "index/stored_record.h"

namespace filmsearch::index {
namespace {

// Adds the document count of every term with `prefix` to `out`, keyed by the term's value.
void count_terms(const Xapian::Database& db, std::string_view prefix,
                 std::map<std::string, std::uint64_t>* out) {
  const std::string p(prefix);
  for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
    (*out)[(*t).substr(p.size())] += t.get_termfreq();
  }
}

}  // namespace

IndexStats index_stats(const std::string& dir) {
  IndexStats stats;
  stats.shards = shard_stats(dir);
  try {
    const std::optional<ShardLayout> layout = read_shard_layout(dir);
    const std::vector<std::string> paths =
        layout ? layout->shard_paths : std::vector<std::string>{dir};
    for (const auto& path : paths) {
      Xapian::Database db(path);
      stats.revisions.push_back(db.get_revision());
      count_terms(db, schema::kTypePrefix, &stats.types);
      count_terms(db, schema::kLangPrefix, &stats.languages);
      const std::shared_ptr<const RecordDictionary> dictionary = RecordDictionary::load(db);
      for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        try {
          const corpus::Record r = stored_record(db.get_document(*it), dictionary.get());
          for (const auto& s : r.sections) ++stats.sections[std::string(corpus::kind_name(s.kind))];
          stats.section_count += r.sections.size();
        } catch (const Error&) {
          ++stats.unreadable_records;
        }
      }
    }
    Xapian::Database spelling(layout ? layout->spelling_path : dir);
    for (auto w = spelling.spellings_begin(); w != spelling.spellings_end(); ++w) {
      ++stats.spelling_words;
    }
  } catch (const Xapian::Error& e) {
    throw Error("cannot read " + dir + ": " + e.get_description());
  }
  return stats;
}

}  // namespace filmsearch::index
