#include "refdata/snapshot.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "base/file.h"

namespace icts::refdata {
namespace {

Entity MakeEntity(const std::string& id, const std::string& name) {
  Entity e;
  e.id = id;
  e.source_id = id.substr(id.find(':') + 1);
  e.schema = Schema::kCompany;
  e.AddName(name, NameKind::kPrimary);
  e.AddName(name + " ALIAS", NameKind::kWeakAlias);
  e.AddCountry("CN", CountryRole::kHeadquarters, "China");
  e.identifiers.push_back(Identifier{IdKind::kLei, "5493001KJTIIGC8Y1R12", "CN", "LEI"});
  e.addresses.push_back(Address{"Bantian, Shenzhen, CN", "Bantian", "Shenzhen",
                                "Guangdong", "518129", "CN"});
  e.dates.push_back(DateFact{DateKind::kListed, "2019-05-16"});
  e.lists.push_back("Entity List (EL) - Bureau of Industry and Security");
  e.programs.push_back("EAR");
  e.topics.push_back("export.control");
  e.AddProperty("license_requirement", "For all items subject to the EAR.");
  e.citations.push_back(Citation{"84 FR 22961", "https://example.org/fr", "2019-05-16",
                                 Verification::kSecondary, "listed"});
  return e;
}

SnapshotContent MakeContent() {
  SnapshotContent c;
  c.sources.push_back(SourceInfo{"csl", "lists/csl.csv", "ab12", "2023-11-30", 3, 3, 0, 1});
  c.sources.push_back(SourceInfo{"curated", "data/x.yaml", "cd34", "", 2, 1, 2, 0});
  c.entities.push_back(MakeEntity("csl:b", "BETA TECHNOLOGIES CO., LTD."));
  c.entities.push_back(MakeEntity("csl:a", "ALPHA TELECOM"));
  c.entities.push_back(MakeEntity("csl:c", "GAMMA NETWORKS"));
  c.entities.push_back(MakeEntity("icts:parent", "Parent Group"));
  c.entity_source = {0, 0, 0, 1};
  Relation own;
  own.kind = RelationKind::kOwnership;
  own.from_id = "icts:parent";
  own.to_id = "csl:a";
  own.share_min = 51;
  own.share_max = 51;
  own.role = "majority shareholder";
  own.citations.push_back(Citation{"Annual report 2023", "", "", Verification::kUnverified, "parent"});
  Relation dangling;
  dangling.kind = RelationKind::kLinkedTo;
  dangling.from_id = "csl:c";
  dangling.to_id = "ofac-sdn:999";
  dangling.to_name = "SOMEONE ELSE";
  c.relations = {dangling, own};
  c.relation_source = {1, 1};
  return c;
}

TEST(Snapshot, RoundTripsEveryFact) {
  SnapshotContent c = MakeContent();
  auto image = SerializeSnapshot(c);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  auto snap = Snapshot::FromBytes(*image, "mem");
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  const Snapshot& s = **snap;
  EXPECT_TRUE(s.Verify().ok());
  EXPECT_EQ(s.entity_count(), 4u);
  EXPECT_EQ(s.relation_count(), 2u);
  ASSERT_EQ(s.source_count(), 2u);
  EXPECT_EQ(s.source(0).path, "lists/csl.csv");
  EXPECT_EQ(s.source(0).published, "2023-11-30");
  EXPECT_EQ(s.source(0).rejected, 1u);
  EXPECT_EQ(s.hash(), SnapshotImageHash(*image));
  EXPECT_EQ(s.hash().size(), 64u);

  // Entities are ordered by (source, id).
  EXPECT_EQ(s.entity(0).id(), "csl:a");
  EXPECT_EQ(s.entity(3).id(), "icts:parent");

  auto b = s.FindById("csl:b");
  ASSERT_TRUE(b.has_value());
  Entity back = b->ToEntity();
  Entity orig = MakeEntity("csl:b", "BETA TECHNOLOGIES CO., LTD.");
  EXPECT_EQ(back.PrimaryName(), orig.PrimaryName());
  EXPECT_EQ(b->primary_name(), "BETA TECHNOLOGIES CO., LTD.");
  ASSERT_EQ(back.names.size(), 2u);
  EXPECT_EQ(back.names[1].kind, NameKind::kWeakAlias);
  ASSERT_EQ(back.countries.size(), 1u);
  EXPECT_EQ(back.countries[0].role, CountryRole::kHeadquarters);
  EXPECT_EQ(back.countries[0].label, "China");
  ASSERT_EQ(back.identifiers.size(), 1u);
  EXPECT_EQ(back.identifiers[0].kind, IdKind::kLei);
  EXPECT_EQ(back.identifiers[0].value, "5493001KJTIIGC8Y1R12");
  ASSERT_EQ(back.addresses.size(), 1u);
  EXPECT_EQ(back.addresses[0].postal_code, "518129");
  EXPECT_EQ(back.addresses[0].region, "Guangdong");
  ASSERT_EQ(back.dates.size(), 1u);
  EXPECT_EQ(back.dates[0].kind, DateKind::kListed);
  EXPECT_EQ(back.lists, orig.lists);
  EXPECT_EQ(back.programs, orig.programs);
  EXPECT_EQ(back.topics, orig.topics);
  EXPECT_EQ(b->Property("license_requirement"), "For all items subject to the EAR.");
  EXPECT_EQ(b->Property("missing"), "");
  ASSERT_EQ(back.citations.size(), 1u);
  EXPECT_EQ(back.citations[0].verification, Verification::kSecondary);
  EXPECT_EQ(back.citations[0].fact, "listed");
  EXPECT_EQ(back.citations[0].effective, "2019-05-16");
  EXPECT_FALSE(s.FindById("csl:zzz").has_value());
  EXPECT_FALSE(s.FindById("").has_value());
}

TEST(Snapshot, RelationsResolveAndIndex) {
  auto image = SerializeSnapshot(MakeContent());
  ASSERT_TRUE(image.ok());
  auto snap = Snapshot::FromBytes(*image, "mem");
  ASSERT_TRUE(snap.ok());
  const Snapshot& s = **snap;
  auto parent = s.FindById("icts:parent");
  auto a = s.FindById("csl:a");
  auto c = s.FindById("csl:c");
  ASSERT_TRUE(parent && a && c);
  auto owned = s.RelationsFrom(parent->index());
  ASSERT_EQ(owned.size(), 1u);
  EXPECT_EQ(owned[0].kind(), RelationKind::kOwnership);
  EXPECT_EQ(owned[0].to_index(), a->index());
  EXPECT_DOUBLE_EQ(owned[0].share_min(), 51);
  EXPECT_EQ(owned[0].role(), "majority shareholder");
  ASSERT_EQ(owned[0].Citations().size(), 1u);
  EXPECT_EQ(owned[0].ToRelation().citations[0].text, "Annual report 2023");
  auto owners = s.RelationsTo(a->index());
  ASSERT_EQ(owners.size(), 1u);
  EXPECT_EQ(owners[0].from_index(), parent->index());
  auto links = s.RelationsFrom(c->index());
  ASSERT_EQ(links.size(), 1u);
  EXPECT_FALSE(links[0].to_index().has_value());  // Not in this snapshot.
  EXPECT_EQ(links[0].to_name(), "SOMEONE ELSE");
  EXPECT_TRUE(std::isnan(links[0].share_min()));
  EXPECT_TRUE(s.RelationsTo(c->index()).empty());
}

TEST(Snapshot, SameContentInAnyOrderGivesSameBytes) {
  SnapshotContent c = MakeContent();
  auto first = SerializeSnapshot(c);
  ASSERT_TRUE(first.ok());
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    SnapshotContent shuffled = c;
    std::vector<size_t> perm(c.entities.size());
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    for (size_t i = 0; i < perm.size(); ++i) {
      shuffled.entities[i] = c.entities[perm[i]];
      shuffled.entity_source[i] = c.entity_source[perm[i]];
    }
    std::reverse(shuffled.relations.begin(), shuffled.relations.end());
    auto again = SerializeSnapshot(shuffled);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *first);
  }
  // A change in any fact changes the hash.
  SnapshotContent changed = c;
  changed.entities[0].names[0].value += ".";
  auto other = SerializeSnapshot(changed);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(SnapshotImageHash(*other), SnapshotImageHash(*first));
}

TEST(Snapshot, DuplicateIdsAreRefused) {
  SnapshotContent c = MakeContent();
  c.entities.push_back(MakeEntity("csl:a", "ANOTHER"));
  c.entity_source.push_back(1);
  auto image = SerializeSnapshot(c);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.status().message().find("csl:a"), std::string::npos);
}

TEST(Snapshot, EmptySnapshotIsValid) {
  SnapshotContent c;
  c.sources.push_back(SourceInfo{"csl", "empty.csv", "", "", 0, 0, 0, 0});
  auto image = SerializeSnapshot(c);
  ASSERT_TRUE(image.ok());
  auto snap = Snapshot::FromBytes(*image, "mem");
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->entity_count(), 0u);
  EXPECT_FALSE((*snap)->FindById("x").has_value());
}

TEST(Snapshot, DetectsTamperingAndTruncation) {
  auto image = SerializeSnapshot(MakeContent());
  ASSERT_TRUE(image.ok());
  std::string tampered = *image;
  tampered[tampered.size() - 3] ^= 0x20;  // A byte of the string blob.
  auto snap = Snapshot::FromBytes(tampered, "tampered.snap");
  ASSERT_TRUE(snap.ok());
  Status v = (*snap)->Verify();
  EXPECT_EQ(v.code(), StatusCode::kDataLoss);
  EXPECT_NE(v.message().find("tampered.snap"), std::string::npos);

  auto truncated = Snapshot::FromBytes(image->substr(0, image->size() - 10), "cut.snap");
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(truncated.status().message().find("truncated"), std::string::npos);

  auto garbage = Snapshot::FromBytes(std::string(300, 'x'), "garbage");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("not an icts snapshot"), std::string::npos);
}

TEST(Snapshot, RandomCorruptionNeverCrashes) {
  auto image = SerializeSnapshot(MakeContent());
  ASSERT_TRUE(image.ok());
  std::mt19937 rng(42);
  int opened = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bad = *image;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      size_t pos = rng() % bad.size();
      bad[pos] = static_cast<char>(rng());
    }
    auto snap = Snapshot::FromBytes(bad, "fuzzed");
    if (!snap.ok()) continue;
    ++opened;
    const Snapshot& s = **snap;
    for (uint32_t i = 0; i < s.entity_count(); ++i) {
      Entity e = s.entity(i).ToEntity();
      (void)s.RelationsFrom(i);
    }
    for (uint32_t i = 0; i < s.relation_count(); ++i) (void)s.relation(i).ToRelation();
    (void)s.FindById("csl:a");
  }
  EXPECT_GT(opened, 0);  // Blob-only damage still opens (Verify catches it).
}

TEST(Snapshot, OpensFromFile) {
  auto image = SerializeSnapshot(MakeContent());
  ASSERT_TRUE(image.ok());
  std::string path = (std::filesystem::temp_directory_path() / "icts-snapshot-test.snap").string();
  ASSERT_TRUE(WriteFileAtomically(path, *image).ok());
  auto snap = Snapshot::Open(path);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_TRUE((*snap)->Verify().ok());
  EXPECT_EQ((*snap)->file_size(), image->size());
  std::filesystem::remove(path);
  auto missing = Snapshot::Open(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace icts::refdata
