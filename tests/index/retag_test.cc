// filmsearch-index --retag: stored records re-tagged with the current tagger, only the documents
// whose spans changed rewritten, and each rewritten one as a fresh build of its record would be.
#include "index/retag.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "corpus/page_parser.h"
#include "corpus/spoiler_model.h"
#include "corpus/spoilers.h"
#include "error.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/shards.h"
#include "index/stored_record.h"
#include "index/writer.h"

namespace filmsearch::index {
namespace {

using corpus::Record;
using corpus::RecordType;
using corpus::SectionKind;

std::string temp_index(const std::string& name) {
  auto* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string test = info->name();  // "RewritesOnly.../0" for a parameterised test
  std::replace(test.begin(), test.end(), '/', '_');
  std::filesystem::path p = std::filesystem::path(testing::TempDir()) /
                            (std::string("filmsearch_retag_") + test + "_" + name + "_" +
                             std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  return p.string();
}

Record record(RecordType type, const std::string& id, const std::string& film_id,
              SectionKind kind, const std::string& text) {
  Record r;
  r.type = type;
  r.id = id;
  r.film_id = film_id;
  corpus::Section s;
  s.kind = kind;
  s.text = text;
  r.sections.push_back(s);
  return r;
}

// A film, its reviews (one warned, one opinion only), a page about it joined to it by its
// derived key, and an article: what an index holds, before any spoiler policy.
std::vector<Record> fixture() {
  Record film = record(RecordType::kFilm, "tt9000001", "", SectionKind::kSynopsis,
                       "A keeper tends the light on a lonely island. In the end, the keeper dies "
                       "in the storm, and his assistant is revealed to be the wrecker.");
  film.title = "The Lighthouse Keeper";
  film.year = 1950;
  film.genres = {"Drama"};
  Record page = record(RecordType::kFilm, "page-keeper", "", SectionKind::kPlot,
                       "The keeper's wife leaves in the first act. Finally the keeper is killed "
                       "by the wrecker, who turns out to be his own brother.");
  page.title = film.title;
  page.year = film.year;
  page.film_id = corpus::derived_film_id(page.title, 1950);
  return {film,
          record(RecordType::kReview, "rev-opinion", "tt9000001", SectionKind::kReview,
                 "Beautiful photography and a fine score. I recommend it to everyone."),
          record(RecordType::kReview, "rev-warned", "tt9000001", SectionKind::kReview,
                 "Great film. SPOILER ALERT: the keeper drowns and the island goes dark."),
          page,
          record(RecordType::kArticle, "article-1", "", SectionKind::kArticle,
                 "The director died in 1990. His last film was killed by the studio.")};
}

std::vector<Record> tagged(std::vector<Record> records, const corpus::SpoilerPolicyOptions& o) {
  for (Record& r : records) corpus::apply_spoiler_policy(r, o);
  return records;
}

void write(const std::string& path, std::vector<Record> records,
           const corpus::SpoilerPolicyOptions& policy, unsigned shards = 0) {
  IndexWriter::Options o;
  o.path = path;
  o.threads = 1;
  o.spoiler_tagger = corpus::spoiler_tagger_version(policy);
  try {
    if (shards > 0) {
      ShardedIndexWriter writer({.shards = shards, .writer = o});
      for (Record& r : records) writer.add(std::move(r));
      writer.finish();
    } else {
      IndexWriter writer(o);
      for (Record& r : records) writer.add(std::move(r));
      writer.finish();
    }
  } catch (const Xapian::Error& e) {
    FAIL() << "indexing into " << path << ": " << e.get_description();
  }
}

// Every document of the index by id: its terms (with wdf and positions) and values, rendered.
std::map<std::string, std::string> documents(const std::string& path) {
  std::vector<std::string> paths = {path};
  if (auto layout = read_shard_layout(path)) paths = layout->shard_paths;
  std::map<std::string, std::string> out;
  for (const std::string& p : paths) {
    Xapian::Database db(p);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      const Xapian::Document doc = db.get_document(*it);
      std::string id;
      std::string rendered;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if ((*t).starts_with(schema::kIdPrefix) && (*t).size() > 1 && (*t)[1] != 'X') {
          id = (*t).substr(1);
        }
        rendered += *t;
        rendered += ':';
        rendered += std::to_string(t.get_wdf());
        for (auto pos = t.positionlist_begin(); pos != t.positionlist_end(); ++pos) {
          rendered += ',';
          rendered += std::to_string(*pos);
        }
        rendered += ' ';
      }
      for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
        rendered += '|';
        rendered += std::to_string(v.get_valueno());
        rendered += '=';
        rendered += *v;
      }
      out[id] = rendered;
    }
  }
  return out;
}

std::string recorded(const std::string& path) { return recorded_spoiler_tagger(path); }

// The ids whose stored spans differ between two taggings of the fixture.
std::vector<std::string> differing(const std::vector<Record>& a, const std::vector<Record>& b) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (encode_record(a[i]) != encode_record(b[i])) ids.push_back(a[i].id);
  }
  return ids;
}

class RetagTest : public testing::TestWithParam<unsigned> {};

TEST_P(RetagTest, RewritesOnlyTheDocumentsWhoseSpansChanged) {
  ASSERT_FALSE(corpus::SpoilerModel::builtin().empty());
  const unsigned shards = GetParam();
  const corpus::SpoilerPolicyOptions rules{.learned = false};
  const corpus::SpoilerPolicyOptions learned{};
  const std::vector<Record> old_records = tagged(fixture(), rules);
  const std::vector<Record> new_records = tagged(fixture(), learned);
  const std::vector<std::string> changed = differing(old_records, new_records);
  // The learned tagger marks the film's and the page's endings; the article is never scored.
  ASSERT_GE(changed.size(), 2u);
  ASSERT_LT(changed.size(), old_records.size());

  const std::string old_index = temp_index("old");
  write(old_index, old_records, rules, shards);
  EXPECT_EQ(corpus::spoiler_tagger_version(rules), recorded(old_index));
  const std::string fresh_index = temp_index("fresh");
  write(fresh_index, new_records, learned, shards);
  EXPECT_NE(documents(old_index), documents(fresh_index));

  const RetagStats stats = retag_index({.path = old_index});
  EXPECT_EQ(old_records.size(), stats.records);
  EXPECT_EQ(changed.size(), stats.changed);
  EXPECT_EQ(corpus::spoiler_tagger_version(rules), stats.previous);
  EXPECT_EQ(corpus::spoiler_tagger_version(learned), stats.current);
  EXPECT_EQ(stats.current, recorded(old_index));
  // Each rewritten document is what a fresh build of its re-tagged record gives: the review keeps
  // what it inherits from its film, the page stays joined to the film.
  EXPECT_EQ(documents(fresh_index), documents(old_index));

  // Nothing left to change: a second run rewrites nothing, and neither does a run on an index
  // built with the current tagger.
  EXPECT_EQ(0u, retag_index({.path = old_index}).changed);
  const RetagStats fresh = retag_index({.path = fresh_index});
  EXPECT_EQ(old_records.size(), fresh.records);
  EXPECT_EQ(0u, fresh.changed);
  EXPECT_EQ(fresh.current, fresh.previous);
  std::filesystem::remove_all(old_index);
  std::filesystem::remove_all(fresh_index);
}

INSTANTIATE_TEST_SUITE_P(PlainAndSharded, RetagTest, testing::Values(0u, 2u));

TEST(RetagTest, SpansTheInputGaveAreKept) {
  Record r = record(RecordType::kReview, "r", "", SectionKind::kReview,
                    "In the end, the hero dies saving his daughter. A fine score.");
  r.sections[0].spoilers_given = true;
  r.sections[0].spoiler_spans = {{50, 62, 0.4F}};
  const Record before = r;
  corpus::retag_spoilers(r);
  EXPECT_EQ(encode_record(before), encode_record(r));
}

TEST(RetagTest, AMissingIndexIsAnError) {
  const std::string path = temp_index("missing");
  EXPECT_THROW(retag_index({.path = path}), Error);
}

}  // namespace
}  // namespace filmsearch::index
