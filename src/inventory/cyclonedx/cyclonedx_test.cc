#include "inventory/cyclonedx/cyclonedx.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "inventory/cyclonedx/json_text.h"
#include "inventory/cyclonedx/json_windowing.h"

namespace icts::inventory {
namespace {

using ::testing::HasSubstr;

Status ReadJson(const std::string& json, CollectingSink* sink) {
  return ReadCycloneDxJsonBuffer(json, "bom.json", sink);
}
Status ReadXml(const std::string& xml, CollectingSink* sink) {
  return ReadCycloneDxXmlBuffer(xml, "bom.xml", sink);
}

std::string Bom(const std::string& body, const std::string& version = "1.6") {
  return R"({"bomFormat": "CycloneDX", "specVersion": ")" + version + R"(", "version": 1)" +
         (body.empty() ? "" : ", " + body) + "}";
}

const Item* Find(const CollectingSink& sink, const std::string& name) {
  for (const Item& item : sink.items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

// Copies each item and leaves the reader's own in place, so the reader
// reuses that storage for the items that follow.
class CopyingSink : public CollectingSink {
 public:
  Status OnItem(Item&& item) override {
    items.push_back(item);
    return Status::Ok();
  }
};

// `json` with the first comma after the `cut`-th window cut of its first
// large array (windows of 2 to 4 KB) made a space; empty when that array has
// `more_than` cuts or fewer, or no comma follows.
std::string WithoutCommaAfterCut(const std::string& json, size_t cut, size_t more_than) {
  const cyclonedx::ScanResult scan = cyclonedx::ScanTopLevelArrays(json, 2048, 4096);
  if (!scan.ok || scan.arrays.empty() || scan.arrays[0].cuts.size() <= more_than) return "";
  const size_t comma = json.find(',', scan.arrays[0].cuts[cut]);
  if (comma == std::string::npos) return "";
  std::string out = json;
  out[comma] = ' ';
  return out;
}

std::string Describe(const Item& item) {
  std::string out = item.ref + "|" + item.kind + "|" + item.type + "|" + item.group + "|" +
                    item.name + "|" + item.version + "|" + item.description + "|" + item.purl +
                    "|" + item.provider + "|" + item.file + "|" + item.pointer + "|" +
                    item.parent_ref + "|" + std::to_string(item.depth) + "|" +
                    std::to_string(item.count);
  for (const auto& list : {item.cpes, item.hashes, item.tags, item.data_categories}) {
    out += "[";
    for (const std::string& s : list) out += s + ",";
    out += "]";
  }
  for (const OrgRef& org : item.orgs) {
    out += "{" + org.role + "," + org.name + "," + org.country + "," + org.url + "," + org.email +
           "," + org.pointer + "}";
  }
  for (const auto& [name, value] : item.properties) out += "(" + name + "=" + value + ")";
  return out;
}

TEST(CycloneDxJson, ReusedItemStorageCarriesNothingOver) {
  std::string json = Bom(R"(
    "components": [
      {"type": "library", "bom-ref": "a", "name": "a", "group": "g", "version": "1",
       "description": "d", "purl": "pkg:npm/a@1", "cpe": "cpe:2.3:a:x:a:1:*:*:*:*:*:*:*",
       "tags": ["t1", "t2"],
       "supplier": {"name": "S", "url": ["https://s.example"], "address": {"country": "CN"},
                    "contact": [{"email": "s@s.example"}]},
       "manufacturer": {"name": "M"}, "publisher": "P", "author": "A",
       "hashes": [{"alg": "SHA-256", "content": "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"}],
       "properties": [{"name": "p1", "value": "v1"}, {"name": "p2"}],
       "components": [{"type": "device", "name": "a-child",
                       "components": [{"type": "firmware", "bom-ref": "fw", "name": "fw"}]}]},
      {"type": "library", "name": "one", "properties": [{"name": "p3", "value": "v3"}],
       "tags": ["t3"]},
      {"type": "library", "name": "bare"},
      {"type": "data", "bom-ref": "b", "name": "b", "authors": [{"name": "Au", "email": "au@x"}]}
    ],
    "services": [
      {"bom-ref": "s1", "name": "svc", "provider": {"name": "Prov"},
       "data": [{"flow": "inbound", "classification": "PII"}]},
      {"name": "svc2"}
    ])");
  CollectingSink moved;
  CopyingSink copied;
  ASSERT_TRUE(ReadJson(json, &moved).ok());
  ASSERT_TRUE(ReadJson(json, &copied).ok());
  ASSERT_EQ(moved.items.size(), 8u);
  ASSERT_EQ(copied.items.size(), moved.items.size());
  for (size_t i = 0; i < moved.items.size(); ++i) {
    EXPECT_EQ(Describe(copied.items[i]), Describe(moved.items[i])) << i;
  }
  const Item* one = Find(copied, "one");
  ASSERT_NE(one, nullptr);
  ASSERT_EQ(one->properties.size(), 1u);
  EXPECT_EQ(one->properties[0].first, "p3");
  EXPECT_EQ(one->properties[0].second, "v3");
  EXPECT_EQ(one->tags, std::vector<std::string>{"t3"});
  EXPECT_TRUE(one->hashes.empty());
  const Item* bare = Find(copied, "bare");
  ASSERT_NE(bare, nullptr);
  EXPECT_TRUE(bare->orgs.empty());
  EXPECT_TRUE(bare->hashes.empty());
  EXPECT_TRUE(bare->properties.empty());
  EXPECT_TRUE(bare->cpes.empty());
  EXPECT_TRUE(bare->tags.empty());
  EXPECT_EQ(bare->purl, "");
  EXPECT_EQ(bare->kind, "software");
  const Item* svc2 = Find(copied, "svc2");
  ASSERT_NE(svc2, nullptr);
  EXPECT_EQ(svc2->provider, "");
  EXPECT_TRUE(svc2->data_categories.empty());
  EXPECT_EQ(svc2->kind, "service");
  const Item* fw = Find(copied, "fw");
  ASSERT_NE(fw, nullptr);
  EXPECT_EQ(fw->parent_ref, "/components/0/components/0");
  EXPECT_EQ(fw->depth, 2u);
}

TEST(CycloneDxJson, ReadsComponentsWithOrgsHashesAndProperties) {
  std::string json = Bom(R"(
    "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
    "metadata": {
      "timestamp": "2024-01-02T03:04:05Z",
      "component": {"type": "application", "bom-ref": "app", "name": "Gateway"},
      "supplier": {"name": "Acme Ltd", "url": ["https://acme.example"]},
      "manufacturer": {"name": "Acme Manufacturing", "address": {"country": "CN"}},
      "authors": [{"name": "Li Wei", "email": "li@example.com"}],
      "tools": [{"name": "ignored"}]
    },
    "components": [
      {"type": "device", "bom-ref": "cam", "group": "vision", "name": "Камера 3000",
       "version": "2.1", "description": "IP camera",
       "supplier": {"name": "Hangzhou Example Co", "contact": [{"email": "s@example.cn"}]},
       "manufacturer": {"name": "Example Devices"},
       "publisher": "Example Pub", "author": "Old Author",
       "authors": [{"name": "New Author"}],
       "purl": "pkg:generic/cam@2.1", "cpe": "cpe:2.3:h:example:cam:2.1:*:*:*:*:*:*:*",
       "hashes": [{"alg": "SHA-256", "content": "F498A8FF2DD007E29C2074F5E4B01A9A01775C3FF3AEAF6906EA503BC5791B7B"}],
       "properties": [{"name": "asset:serial", "value": "SN1"}],
       "tags": ["camera", "iot"],
       "components": [
         {"type": "firmware", "bom-ref": "fw", "name": "cam-fw", "version": "7"}
       ]}
    ],
    "dependencies": [{"ref": "app", "dependsOn": ["cam"]}, {"ref": "cam", "dependsOn": ["fw"]}]
  )");
  CollectingSink sink;
  Status s = ReadJson(json, &sink);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sink.document.format, "cyclonedx-json");
  EXPECT_EQ(sink.document.spec_version, "1.6");
  EXPECT_EQ(sink.document.serial, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
  ASSERT_EQ(sink.document.creators.size(), 3u);
  EXPECT_EQ(sink.document.creators[0].role, "supplier");
  EXPECT_EQ(sink.document.creators[0].url, "https://acme.example");
  EXPECT_EQ(sink.document.creators[1].role, "manufacturer");
  EXPECT_EQ(sink.document.creators[1].country, "CN");
  EXPECT_EQ(sink.document.creators[2].role, "author");
  EXPECT_EQ(sink.document.creators[2].email, "li@example.com");
  EXPECT_TRUE(sink.document.warnings.empty());

  ASSERT_EQ(sink.items.size(), 3u);
  const Item* app = Find(sink, "Gateway");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->pointer, "/metadata/component");
  EXPECT_EQ(app->kind, "software");

  const Item* cam = Find(sink, "Камера 3000");
  ASSERT_NE(cam, nullptr);
  EXPECT_EQ(cam->ref, "cam");
  EXPECT_EQ(cam->kind, "hardware");
  EXPECT_EQ(cam->type, "device");
  EXPECT_EQ(cam->group, "vision");
  EXPECT_EQ(cam->version, "2.1");
  EXPECT_EQ(cam->description, "IP camera");
  EXPECT_EQ(cam->pointer, "/components/0");
  EXPECT_EQ(cam->file, "bom.json");
  EXPECT_EQ(cam->purl, "pkg:generic/cam@2.1");
  ASSERT_EQ(cam->cpes.size(), 1u);
  ASSERT_EQ(cam->hashes.size(), 1u);
  EXPECT_EQ(cam->hashes[0],
            "SHA-256:f498a8ff2dd007e29c2074f5e4b01a9a01775c3ff3aeaf6906ea503bc5791b7b");
  ASSERT_EQ(cam->orgs.size(), 5u);
  EXPECT_EQ(cam->orgs[0].role, "supplier");
  EXPECT_EQ(cam->orgs[0].name, "Hangzhou Example Co");
  EXPECT_EQ(cam->orgs[0].email, "s@example.cn");
  EXPECT_EQ(cam->orgs[0].pointer, "/components/0/supplier");
  EXPECT_EQ(cam->orgs[1].role, "manufacturer");
  EXPECT_EQ(cam->orgs[2].role, "publisher");
  EXPECT_EQ(cam->orgs[3].role, "author");
  EXPECT_EQ(cam->orgs[3].name, "Old Author");
  EXPECT_EQ(cam->orgs[4].name, "New Author");
  ASSERT_EQ(cam->properties.size(), 1u);
  EXPECT_EQ(cam->properties[0].first, "asset:serial");
  EXPECT_EQ(cam->tags, (std::vector<std::string>{"camera", "iot"}));

  const Item* fw = Find(sink, "cam-fw");
  ASSERT_NE(fw, nullptr);
  EXPECT_EQ(fw->kind, "firmware");
  EXPECT_EQ(fw->pointer, "/components/0/components/0");
  EXPECT_EQ(fw->parent_ref, "cam");
  EXPECT_EQ(fw->depth, 1u);

  ASSERT_EQ(sink.relations.size(), 2u);
  EXPECT_EQ(sink.relations[0].from, "app");
  EXPECT_EQ(sink.relations[0].kind, "dependsOn");
  EXPECT_EQ(sink.relations[0].to, "cam");
}

TEST(CycloneDxJson, KindsFromTypes) {
  std::string json = Bom(R"("components": [
    {"type": "library", "name": "a"}, {"type": "operating-system", "name": "b"},
    {"type": "device-driver", "name": "c"}, {"type": "machine-learning-model", "name": "d"},
    {"type": "data", "name": "e"}, {"type": "cryptographic-asset", "name": "f"},
    {"type": "platform", "name": "g"}, {"type": "container", "name": "h"},
    {"type": "file", "name": "i"}, {"type": "framework", "name": "j"}])");
  CollectingSink sink;
  ASSERT_TRUE(ReadJson(json, &sink).ok());
  std::string kinds;
  for (const Item& item : sink.items) kinds += item.kind.substr(0, 1);
  EXPECT_EQ(kinds, "sssddsssss");
}

TEST(CycloneDxJson, ServicesNestedWithProviderAndData) {
  std::string json = Bom(R"("services": [
    {"bom-ref": "api", "name": "Stock API", "provider": {"name": "Partner Inc"},
     "data": [{"flow": "inbound", "classification": "PII"}],
     "services": [{"name": "inner", "provider": {"name": "Inner Co"}}]}])");
  CollectingSink sink;
  Status s = ReadJson(json, &sink);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(sink.items.size(), 2u);
  const Item* api = Find(sink, "Stock API");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->kind, "service");
  EXPECT_EQ(api->provider, "Partner Inc");
  ASSERT_EQ(api->orgs.size(), 1u);
  EXPECT_EQ(api->orgs[0].role, "provider");
  EXPECT_EQ(api->data_categories, (std::vector<std::string>{"PII"}));
  const Item* inner = Find(sink, "inner");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->pointer, "/services/0/services/0");
  EXPECT_EQ(inner->parent_ref, "api");
  EXPECT_EQ(inner->ref, "/services/0/services/0");
}

TEST(CycloneDxJson, ParentRefWhenBomRefComesAfterChildren) {
  std::string json = Bom(R"("components": [
    {"type": "library", "name": "p", "components": [{"type": "library", "name": "c"}],
     "bom-ref": "late"}])");
  CollectingSink sink;
  ASSERT_TRUE(ReadJson(json, &sink).ok());
  const Item* c = Find(sink, "c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->parent_ref, "late");
}

TEST(CycloneDxJson, ErrorsNameTheJsonPointer) {
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {R"("components": [{"type": "library", "name": "a"}, {"type": "library", "name": 5}])",
       "bom.json: /components/1/name: expected a string"},
      {R"("components": [{"type": "library", "name": "a", "components": [{"type": "x", "name": "b"}]}])",
       "bom.json: /components/0/components/0/type: unknown component type \"x\""},
      {R"("components": [{"name": "a"}])", "bom.json: /components/0: component has no \"type\""},
      {R"("components": [{"type": "library"}])",
       "bom.json: /components/0: component has no \"name\""},
      {R"("components": [{"type": "library", "name": "a", "hashes": [{"alg": "SHA-256", "content": "abc"}]}])",
       "bom.json: /components/0/hashes/0/content: hash content is not"},
      {R"("components": [{"type": "library", "name": "a", "licenses": [{"license": {"id": "Apache-2"}}]}])",
       "bom.json: /components/0/licenses/0/license/id: \"Apache-2\" is not an SPDX license"},
      {R"("components": [{"type": "library", "name": "a", "bom-ref": ""}])",
       "bom.json: /components/0/bom-ref: bom-ref must not be empty"},
      {R"("dependencies": [{"dependsOn": ["a"]}])",
       "bom.json: /dependencies/0: dependency has no \"ref\""},
      {R"("metadata": {"timestamp": "2020-04-13"})",
       "bom.json: /metadata/timestamp: timestamp \"2020-04-13\" is not an RFC 3339"},
      {R"("services": [{"name": "s", "properties": [{"value": "v"}]}])",
       "bom.json: /services/0/properties/0: property has no \"name\""},
  };
  for (const Case& c : cases) {
    CollectingSink sink;
    Status s = ReadJson(Bom(c.body), &sink);
    ASSERT_FALSE(s.ok()) << c.body;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.body;
  }
}

TEST(CycloneDxJson, RejectsWrongFormatAndVersion) {
  CollectingSink sink;
  Status s = ReadJson(R"({"bomFormat": "SPDX", "specVersion": "1.6"})", &sink);
  EXPECT_THAT(s.message(), HasSubstr("bomFormat is \"SPDX\""));
  s = ReadJson(Bom("", "1.1"), &sink);
  EXPECT_THAT(s.message(), HasSubstr("unsupported CycloneDX spec version \"1.1\""));
  s = ReadJson(Bom("", "2.0"), &sink);
  EXPECT_THAT(s.message(), HasSubstr("accepts 1.2 to 1.7"));
  s = ReadJson(R"({"specVersion": "1.6"})", &sink);
  EXPECT_THAT(s.message(), HasSubstr("bomFormat \"CycloneDX\" is missing"));
  s = ReadJson(R"([1, 2])", &sink);
  EXPECT_THAT(s.message(), HasSubstr("top level is not a JSON object"));
  for (std::string v : {"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"}) {
    EXPECT_TRUE(ReadJson(Bom("", v), &sink).ok()) << v;
  }
}

TEST(CycloneDxJson, SyntaxErrorsHaveLineAndColumn) {
  CollectingSink sink;
  std::string truncated = Bom(R"("components": [{"type": "library", "name": "a"}])");
  truncated.resize(truncated.size() - 10);
  Status s = ReadJson(truncated, &sink);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("bom.json:1:"));
  EXPECT_THAT(s.message(), HasSubstr("JSON syntax error"));

  s = ReadJson("{\"bomFormat\": \"CycloneDX\",\n \"specVersion\": \"1.6\",\n \"metadata\": {\"timestamp\" 1}}", &sink);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("bom.json:3:"));

  s = ReadJson(Bom("") + " {}", &sink);
  EXPECT_THAT(s.message(), HasSubstr("unexpected content after the document"));
  s = ReadJson("", &sink);
  EXPECT_FALSE(s.ok());
  s = ReadJson("{\"bomFormat\": \"Cyclone\xff\"}", &sink);
  EXPECT_THAT(s.message(), HasSubstr("invalid UTF-8"));
  // Plain strings are read as views of the input: stage 1 must still reject
  // what unescaping would have (control characters, bad UTF-8), in values
  // and in keys.
  s = ReadJson(Bom("\"components\": [{\"type\": \"library\", \"name\": \"a\tb\"}]"), &sink);
  EXPECT_THAT(s.message(), HasSubstr("bom.json:1:"));
  EXPECT_THAT(s.message(), HasSubstr("control character inside a string"));
  s = ReadJson(Bom("\"components\": [{\"type\": \"library\", \"na\x01me\": \"a\"}]"), &sink);
  EXPECT_THAT(s.message(), HasSubstr("control character inside a string"));
  s = ReadJson(Bom("\"components\": [{\"type\": \"library\", \"name\": \"a\xc3\"}]"), &sink);
  EXPECT_THAT(s.message(), HasSubstr("invalid UTF-8"));
}

TEST(CycloneDxJson, DuplicateBomRefNamesBothPointers) {
  std::string json = Bom(R"("components": [
    {"type": "library", "bom-ref": "x", "name": "a"},
    {"type": "library", "bom-ref": "y", "name": "b",
     "components": [{"type": "library", "bom-ref": "x", "name": "c"}]}])");
  CollectingSink sink;
  Status s = ReadJson(json, &sink);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "bom.json: /components/1/components/0: duplicate bom-ref \"x\" (also used by "
            "/components/0)");
}

TEST(CycloneDxJson, UnknownRefsAndCyclesAreWarnings) {
  std::string json = Bom(R"("components": [
    {"type": "library", "bom-ref": "a", "name": "a"},
    {"type": "library", "bom-ref": "b", "name": "b"}],
    "dependencies": [{"ref": "a", "dependsOn": ["b", "ghost"]}, {"ref": "b", "dependsOn": ["a"]}])");
  CollectingSink sink;
  Status s = ReadJson(json, &sink);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(sink.document.warnings.size(), 2u);
  EXPECT_THAT(sink.document.warnings[0], HasSubstr("dependency on unknown bom-ref \"ghost\""));
  EXPECT_THAT(sink.document.warnings[1], HasSubstr("dependency cycle: a -> b -> a"));
  EXPECT_EQ(sink.relations.size(), 3u);
}

TEST(CycloneDxJson, TenThousandLevelsOfNesting) {
  constexpr int kDepth = 10000;
  std::string json = R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [)";
  for (int i = 0; i < kDepth; ++i) {
    json += R"({"type": "library", "bom-ref": "c)" + std::to_string(i) + R"(", "name": "n",)";
    json += R"( "components": [)";
  }
  for (int i = 0; i < kDepth; ++i) json += "]}";
  json += "]}";
  CollectingSink sink;
  Status s = ReadJson(json, &sink);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(sink.items.size(), static_cast<size_t>(kDepth));
  // Innermost first.
  EXPECT_EQ(sink.items.front().depth, static_cast<uint32_t>(kDepth - 1));
  EXPECT_EQ(sink.items.front().parent_ref, "c9998");
  EXPECT_EQ(sink.items.back().ref, "c0");

  // Truncated deep document: an error, not a crash.
  CollectingSink sink2;
  s = ReadJson(json.substr(0, json.size() / 2), &sink2);
  EXPECT_FALSE(s.ok());
}

TEST(CycloneDxJson, DeepPedigreeIsAnErrorNotACrash) {
  std::string inner = R"({"type": "library", "name": "x"})";
  for (int i = 0; i < 200; ++i) {
    inner = R"({"type": "library", "name": "x", "pedigree": {"ancestors": [)" + inner + "]}}";
  }
  CollectingSink sink;
  Status s = ReadJson(Bom(R"("components": [)" + inner + "]"), &sink);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("levels deep"));
}

TEST(CycloneDxJson, HugeStringIsAnError) {
  std::string big(2 << 20, 'a');
  CollectingSink sink;
  Status s = ReadJson(Bom(R"("components": [{"type": "library", "name": ")" + big + R"("}])"),
                      &sink);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("/components/0/name: string of 2097152 bytes"));
}

TEST(CycloneDxJson, LicenseExpressionMixDependsOnVersion) {
  std::string body = R"("components": [{"type": "library", "name": "a", "licenses": [
      {"license": {"id": "MIT"}}, {"expression": "MIT OR Apache-2.0"}]}])";
  CollectingSink sink;
  EXPECT_FALSE(ReadJson(Bom(body, "1.6"), &sink).ok());
  EXPECT_TRUE(ReadJson(Bom(body, "1.7"), &sink).ok());
}

// Large documents are parsed in windows; the result must not depend on it.
TEST(CycloneDxJson, WindowedParseMatchesWholeParse) {
  std::string json = R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [)";
  const int n = 60000;
  for (int i = 0; i < n; ++i) {
    if (i > 0) json += ",\n";
    json += R"({"type": "library", "bom-ref": "r)" + std::to_string(i) +
            R"(", "name": "名前-\"q\"-)" + std::to_string(i) +
            R"(", "description": ")" + std::string(400, 'd') +
            R"(", "components": [{"type": "file", "name": "f"}]})";
  }
  json += R"(], "dependencies": [)";
  for (int i = 0; i < n; ++i) {
    if (i > 0) json += ",";
    json += R"({"ref": "r)" + std::to_string(i) + R"(", "dependsOn": ["r)" +
            std::to_string((i + 1) % n) + R"("]})";
  }
  json += "]}";
  ASSERT_GT(json.size(), size_t{24} << 20);
  CollectingSink sink;
  Status s = ReadJson(json, &sink);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(sink.items.size(), static_cast<size_t>(2 * n));
  EXPECT_EQ(sink.items[2 * 40000 + 1].pointer, "/components/40000");
  EXPECT_EQ(sink.items[2 * 40000 + 1].name, "名前-\"q\"-40000");
  EXPECT_EQ(sink.items[2 * 40000].pointer, "/components/40000/components/0");
  EXPECT_EQ(sink.relations.size(), static_cast<size_t>(n));
  ASSERT_EQ(sink.document.warnings.size(), 1u);
  EXPECT_THAT(sink.document.warnings[0], HasSubstr("dependency cycle"));

  // An error deep in a later window names the right pointer.
  std::string bad = json;
  size_t at = bad.find(R"("name": "名前-\"q\"-50000")");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, 8, R"("name": 7, "x": )");
  CollectingSink sink2;
  s = ReadJson(bad, &sink2);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("/components/50000/name: expected a string"));

  // A syntax error in a later window has the right line.
  bad = json;
  at = bad.find(R"({"type": "library", "bom-ref": "r50001")");
  bad[at + 18] = ' ';  // Drops the comma after "library".
  s = ReadJson(bad, &sink2);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("bom.json:50002:"));
}

// A sink that declines hashes, properties and descriptions gets them empty;
// the document is checked all the same.
TEST(CycloneDxJson, SinkMayDeclineOptionalFields) {
  class Lean : public CollectingSink {
   public:
    uint32_t WantedFields() const override { return 0; }
  };
  // Appended piece by piece: one expression trips a false -Wrestrict in GCC 12.
  std::string body = R"("components": [{"type": "library", "name": "a", "description": "d",
      "hashes": [{"alg": "SHA-256", "content": ")";
  body.append(64, 'a');
  body += R"("}], "properties": [{"name": "icts:tags", "value": "x"}],
      "supplier": {"name": "S"}, "purl": "pkg:npm/a@1"}])";
  Lean lean;
  Status s = ReadJson(Bom(body), &lean);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(lean.items.size(), 1u);
  EXPECT_TRUE(lean.items[0].hashes.empty());
  EXPECT_TRUE(lean.items[0].properties.empty());
  EXPECT_TRUE(lean.items[0].description.empty());
  EXPECT_EQ(lean.items[0].purl, "pkg:npm/a@1");
  ASSERT_EQ(lean.items[0].orgs.size(), 1u);
  CollectingSink all;
  ASSERT_TRUE(ReadJson(Bom(body), &all).ok());
  EXPECT_EQ(all.items[0].hashes.size(), 1u);
  EXPECT_EQ(all.items[0].properties.size(), 1u);
  EXPECT_EQ(all.items[0].description, "d");

  std::string bad = body;
  bad[bad.find(std::string(64, 'a'))] = 'g';
  Lean lean2;
  s = ReadJson(Bom(bad), &lean2);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("/components/0/hashes/0/content"));
  bad = body;
  bad[bad.find(R"("description": "d")") + 15] = '1';
  bad[bad.find(R"("description": 1d")") + 16] = ' ';
  bad[bad.find(R"("description": 1 ")") + 17] = ' ';
  s = ReadJson(Bom(bad), &lean2);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("/components/0/description: expected a string"));
  bad = body;
  bad[bad.find(R"("value": "x")") + 5] = 'x';  // "valux"
  s = ReadJson(Bom(bad), &lean2);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("unknown property member"));
}

// A file is parsed where it lies (windows patched in place, then restored);
// the result must be the same as reading the bytes from a buffer, whether or
// not the file's last page leaves room for the parser's padding.
TEST(CycloneDxJson, FileReadInPlaceMatchesBufferRead) {
  std::string json = R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [)";
  const int n = 12000;
  for (int i = 0; i < n; ++i) {
    if (i > 0) json += (i % 3 == 0) ? " ,\n  " : ",";
    json += R"({"type": "library", "bom-ref": "r)" + std::to_string(i) +
            R"(", "na\u006de": "esc-\"q\"-)" + std::to_string(i) + R"(", "version": "1.)" +
            std::to_string(i % 7) + R"(", "supplier": {"name": "S\u00e9 )" +
            std::to_string(i % 5) + R"(", "url": ["https://s.example"]}, "hashes": [{"alg": "SHA-1", )"
            R"("content": "ABCDEF0123456789abcdef0123456789ABCDEF01"}], "licenses": [{"license": )"
            R"({"id": "MIT"}}], "properties": [{"name": "p", "value": "v\n)" +
            std::to_string(i) + R"("}], "description": ")" + std::string(300, 'd') +
            R"(", "components": [{"type": "file", "name": "f"}]})";
  }
  json += R"(], "dependencies": [)";
  for (int i = 0; i < n; ++i) {
    if (i > 0) json += ",";
    json += R"({"ref": "r)" + std::to_string(i) + R"(", "dependsOn": ["r)" +
            std::to_string((i + 1) % n) + R"("]})";
  }
  json += "]}";
  ASSERT_GT(json.size(), size_t{6} << 20);
  CollectingSink from_buffer;
  Status s = ReadJson(json, &from_buffer);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(from_buffer.items.size(), static_cast<size_t>(2 * n));
  EXPECT_EQ(from_buffer.items[1].name, "esc-\"q\"-0");
  EXPECT_EQ(from_buffer.items[1].orgs.at(0).name, "S\xc3\xa9 0");

  const std::string path = (std::filesystem::temp_directory_path() /
                            ("icts-cdx-inplace-" + std::to_string(getpid()) + ".json"))
                               .string();
  auto write = [&](const std::string& bytes) {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
    std::fclose(f);
  };
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  // Trailing spaces: the file ends 1 byte before a page boundary (no room
  // for the padding after the last window) or well inside a page.
  for (size_t gap : {size_t{1}, size_t{2000}}) {
    std::string doc = json;
    while ((doc.size() + gap) % page != 0) doc.push_back(' ');
    write(doc);
    CollectingSink from_file;
    s = ReadCycloneDxJson(path, &from_file);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(from_file.items.size(), from_buffer.items.size());
    for (size_t i = 0; i < from_file.items.size(); ++i) {
      Item a = from_buffer.items[i];
      a.file = path;
      ASSERT_EQ(Describe(from_file.items[i]), Describe(a)) << "item " << i;
    }
    ASSERT_EQ(from_file.relations.size(), from_buffer.relations.size());
    EXPECT_EQ(from_file.document.warnings.size(), from_buffer.document.warnings.size());

    // Errors in a later window name the same places as from a buffer.
    std::string bad = doc;
    size_t at = bad.find(R"("bom-ref": "r9000")");
    ASSERT_NE(at, std::string::npos);
    bad.replace(at, 18, R"("bom-ref": "r8999")");
    write(bad);
    CollectingSink sink;
    Status file_status = ReadCycloneDxJson(path, &sink);
    Status buffer_status = ReadCycloneDxJsonBuffer(bad, path, &sink);
    ASSERT_FALSE(file_status.ok());
    EXPECT_EQ(file_status.message(), buffer_status.message());
    EXPECT_THAT(file_status.message(), HasSubstr("/components/9000: duplicate bom-ref \"r8999\" "
                                                 "(also used by /components/8999)"));
    bad = doc;
    at = bad.find(R"({"type": "library", "bom-ref": "r10001")");
    ASSERT_NE(at, std::string::npos);
    bad[at + 18] = ' ';  // Drops the comma after "library".
    write(bad);
    file_status = ReadCycloneDxJson(path, &sink);
    buffer_status = ReadCycloneDxJsonBuffer(bad, path, &sink);
    ASSERT_FALSE(file_status.ok());
    EXPECT_EQ(file_status.message(), buffer_status.message());
  }
  std::filesystem::remove(path);
}

// Sets the reader's windowing for the life of the object.
class ScopedWindowing {
 public:
  explicit ScopedWindowing(const cyclonedx::JsonWindowing& w)
      : previous_(cyclonedx::SetJsonWindowingForTesting(w)) {}
  ~ScopedWindowing() { cyclonedx::SetJsonWindowingForTesting(previous_); }

 private:
  cyclonedx::JsonWindowing previous_;
};

// Everything a read produced, as text, for comparing two reads.
struct ReadResult {
  std::string status;
  std::vector<std::string> items;
  std::vector<std::string> relations;
  std::vector<std::string> warnings;
};

// Stops the read at its `stop_at`-th item (an error of the sink). With
// `copy`, it copies each item and leaves the reader's in place (whose
// storage the reader then reuses), as CopyingSink does.
class StoppingSink : public CollectingSink {
 public:
  explicit StoppingSink(size_t stop_at, bool copy = false) : stop_at_(stop_at), copy_(copy) {}
  Status OnItem(Item&& item) override {
    if (items.size() == stop_at_) return InvalidArgumentError("sink says stop");
    if (copy_) {
      items.push_back(item);
      return Status::Ok();
    }
    return CollectingSink::OnItem(std::move(item));
  }

 private:
  size_t stop_at_;
  bool copy_;
};

// Windows of 2 KB in arrays from 4 KB, on `threads` threads.
cyclonedx::JsonWindowing SmallWindows(unsigned threads) {
  cyclonedx::JsonWindowing w;
  w.threshold = 4096;
  w.window_bytes = 2048;
  w.min_array_bytes = 4096;
  w.two_thread_threshold = 4096;
  w.threads = threads;
  return w;
}

ReadResult ReadWith(const std::string& json, unsigned threads, bool windows,
                    size_t stop_at = ~size_t{0}, bool copy = false) {
  cyclonedx::JsonWindowing w;
  w.threads = threads;
  if (windows) w = SmallWindows(threads);
  ScopedWindowing scoped(w);
  StoppingSink sink(stop_at, copy);
  Status s = ReadJson(json, &sink);
  ReadResult r;
  r.status = s.ok() ? "ok" : s.message();
  for (const Item& item : sink.items) r.items.push_back(Describe(item));
  for (const auto& rel : sink.relations) r.relations.push_back(rel.from + " " + rel.kind + " " + rel.to);
  r.warnings = sink.document.warnings;
  return r;
}

// A document whose components, services and dependencies span many small
// windows: nested components with and without bom-refs, escapes in keys,
// names and refs, licences, hashes, properties.
std::string ManyWindowsDocument(int n, const std::string& version = "1.6") {
  // Appended piece by piece: `"literal" + std::to_string(...)` trips a false
  // -Wrestrict in GCC 12 at -O3.
  std::string json = R"({"bomFormat": "CycloneDX", "specVersion": ")";
  json += version;
  json += R"(", "components": [)";
  for (int i = 0; i < n; ++i) {
    if (i > 0) json += (i % 7 == 0) ? " ,\n " : ",";
    const std::string id = std::to_string(i);
    json += R"({"type": "library", )";
    if (i % 5 != 3) {
      json += R"("bom-ref": "r)";
      json += id;
      json += (i % 11 == 0) ? R"(\u00e9", )" : R"(", )";
    }
    json += R"("na\u006de": "n-\"q\"-)";
    json += id;
    json += R"(", "version": "1.)";
    json += std::to_string(i % 4);
    json += R"(", "supplier": {"name": "S )";
    json += std::to_string(i % 3);
    json += R"(", "url": ["https://s.example"]}, "licenses": [{"license": {"id": "MIT"}}], )"
            R"("hashes": [{"alg": "SHA-1", "content": "ABCDEF0123456789abcdef0123456789ABCDEF01"}], )"
            R"("properties": [{"name": "p", "value": "v)";
    json += id;
    json += R"("}], "components": [{"type": "file", "name": "f)";
    json += id;
    json += R"(", "components": [{"type": "file", "bom-ref": "g)";
    json += id;
    json += R"(", "name": "g"}]}]})";
  }
  json += R"(], "services": [)";
  for (int i = 0; i < n / 4; ++i) {
    if (i > 0) json += ",";
    json += R"({"bom-ref": "s)";
    json += std::to_string(i);
    json += R"(", "name": "svc", "provider": {"name": "P"}, )"
            R"("data": [{"flow": "inbound", "classification": "PII"}], "services": [{"name": "inner"}]})";
  }
  json += R"(], "dependencies": [)";
  for (int i = 0; i < n; ++i) {
    if (i % 5 == 3) continue;
    if (json.back() != '[') json += ",";
    json += R"({"ref": "r)";
    json += std::to_string(i);
    if (i % 11 == 0) json += R"(\u00e9)";
    json += R"(", "dependsOn": ["g)";
    json += std::to_string(i);
    json += R"(", "r)";
    json += std::to_string((i + 1) % n);
    json += R"("], "provides": ["x)";
    json += std::to_string(i);
    json += R"("]})";
  }
  json += "]}";
  return json;
}

void ExpectSameRead(const std::string& json, size_t stop_at = ~size_t{0}) {
  ReadResult one = ReadWith(json, 1, true, stop_at);
  // Items handed between the threads come back to the reader when the sink
  // leaves them in place (copied), or empty when it takes them (moved).
  for (bool copy : {false, true}) {
    ReadResult two = ReadWith(json, 2, true, stop_at, copy);
    EXPECT_EQ(two.status, one.status) << copy;
    EXPECT_EQ(two.items, one.items) << copy;
    EXPECT_EQ(two.relations, one.relations) << copy;
    EXPECT_EQ(two.warnings, one.warnings) << copy;
  }
}

// Windows parsed on two threads give what one thread gives: the same items,
// relations and warnings in the same order, and the same first error, with
// nothing delivered after it.
TEST(CycloneDxJson, TwoThreadWindowsMatchOneThread) {
  const std::string json = ManyWindowsDocument(400);
  ASSERT_GT(json.size(), size_t{100000});
  ReadResult whole = ReadWith(json, 1, false);
  ASSERT_EQ(whole.status, "ok");
  ReadResult one = ReadWith(json, 1, true);
  ReadResult two = ReadWith(json, 2, true);
  ASSERT_EQ(one.status, "ok");
  EXPECT_EQ(one.items, whole.items);
  EXPECT_EQ(two.items, whole.items);
  EXPECT_EQ(two.relations, whole.relations);
  EXPECT_EQ(two.warnings, whole.warnings);
  EXPECT_FALSE(two.warnings.empty());  // Unknown refs x0, x1 ...
  for (int run = 0; run < 3; ++run) ExpectSameRead(json);

  // A type error in the second window, and one in a later window.
  std::string bad = json;
  size_t at = bad.find(R"("na\u006de": "n-\"q\"-12")");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, 12, R"("name": 12, "x": )");
  ReadResult r = ReadWith(bad, 2, true);
  EXPECT_THAT(r.status, HasSubstr("/components/12/name: expected a string"));
  ExpectSameRead(bad);
  std::string worse = bad;
  at = worse.find(R"("na\u006de": "n-\"q\"-300")");
  worse.replace(at, 12, R"("name": 12, "x": )");
  EXPECT_EQ(ReadWith(worse, 2, true).status, r.status);
  ExpectSameRead(worse);

  // A duplicate bom-ref across windows; a syntax error in a later window;
  // a missing comma between two windows' elements.
  bad = json;
  at = bad.find(R"("bom-ref": "r301")");
  bad.replace(at, 17, R"("bom-ref": "r21")");
  EXPECT_THAT(ReadWith(bad, 2, true).status,
              HasSubstr("/components/301: duplicate bom-ref \"r21\" (also used by /components/21)"));
  ExpectSameRead(bad);
  bad = json;
  at = bad.find(R"({"type": "library", "bom-ref": "r250")");
  bad[at + 18] = ' ';
  EXPECT_THAT(ReadWith(bad, 2, true).status, HasSubstr("bom.json:"));
  ExpectSameRead(bad);
  // No comma where a window starts.
  bad = WithoutCommaAfterCut(json, 2, 3);
  ASSERT_FALSE(bad.empty());
  EXPECT_THAT(ReadWith(bad, 2, true).status, HasSubstr("expected ',' between array elements"));
  ExpectSameRead(bad);
  // An error in the dependencies.
  bad = json;
  at = bad.find(R"({"ref": "r334")");
  bad.replace(at, 14, R"({"ref": 334  )");
  EXPECT_THAT(ReadWith(bad, 2, true).status, HasSubstr("/dependencies/"));
  ExpectSameRead(bad);

  // The sink stops the read: the same items reach it first.
  for (size_t stop_at : {size_t{0}, size_t{5}, size_t{700}, size_t{1300}}) {
    ExpectSameRead(json, stop_at);
    EXPECT_EQ(ReadWith(json, 2, true, stop_at).items.size(), stop_at);
  }

  // A licence expression beside another entry in a later window: an error
  // before 1.7, decided in document order.
  std::string mixed = ManyWindowsDocument(400, "1.5");
  at = mixed.find(R"([{"license": {"id": "MIT"}}])", mixed.find(R"("r222")"));
  mixed.replace(at, 28, R"([{"license": {"id": "MIT"}}, {"expression": "MIT"}])");
  EXPECT_THAT(ReadWith(mixed, 2, true).status, HasSubstr("/components/222/licenses/1: a license"));
  ExpectSameRead(mixed);
}

// A file read on two threads (this thread parsing its windows in place,
// the helper copying its own) gives what a buffer read on one thread gives,
// errors in later windows included.
TEST(CycloneDxJson, TwoThreadFileReadMatchesBufferRead) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("icts-cdx-two-" + std::to_string(getpid()) + ".json"))
                               .string();
  auto read = [&](const std::string& json, unsigned threads, bool from_file) {
    ScopedWindowing scoped(SmallWindows(threads));
    CollectingSink sink;
    Status s;
    if (from_file) {
      FILE* f = std::fopen(path.c_str(), "wb");
      EXPECT_NE(f, nullptr);
      if (f == nullptr) return ReadResult{};
      EXPECT_EQ(std::fwrite(json.data(), 1, json.size(), f), json.size());
      std::fclose(f);
      s = ReadCycloneDxJson(path, &sink);
    } else {
      s = ReadCycloneDxJsonBuffer(json, path, &sink);
    }
    ReadResult r;
    r.status = s.ok() ? "ok" : s.message();
    for (const Item& item : sink.items) r.items.push_back(Describe(item));
    for (const auto& rel : sink.relations) {
      r.relations.push_back(rel.from + " " + rel.kind + " " + rel.to);
    }
    r.warnings = sink.document.warnings;
    return r;
  };
  auto expect_same = [&](const std::string& json) {
    ReadResult buffer = read(json, 1, false);
    ReadResult file = read(json, 2, true);
    EXPECT_EQ(file.status, buffer.status);
    EXPECT_EQ(file.items, buffer.items);
    EXPECT_EQ(file.relations, buffer.relations);
    EXPECT_EQ(file.warnings, buffer.warnings);
    return buffer.status;
  };
  const std::string json = ManyWindowsDocument(1200);
  EXPECT_EQ(expect_same(json), "ok");
  // A syntax error, a type error, a missing comma between windows and a
  // duplicate bom-ref, each in a later window; a truncated file.
  std::string bad = json;
  size_t at = bad.find(R"({"type": "library", "bom-ref": "r901")");
  ASSERT_NE(at, std::string::npos);
  bad[at + 18] = ' ';
  EXPECT_THAT(expect_same(bad), HasSubstr("JSON syntax error"));
  bad = json;
  at = bad.find(R"("na\u006de": "n-\"q\"-700")");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, 12, R"("name": 12, "x": )");
  EXPECT_THAT(expect_same(bad), HasSubstr("/components/700/name: expected a string"));
  bad = WithoutCommaAfterCut(json, 17, 20);
  ASSERT_FALSE(bad.empty());
  EXPECT_THAT(expect_same(bad), HasSubstr("expected ',' between array elements"));
  bad = json;
  at = bad.find(R"("bom-ref": "r1101")");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, 18, R"("bom-ref": "r1002")");
  EXPECT_THAT(expect_same(bad), HasSubstr("duplicate bom-ref"));
  EXPECT_THAT(expect_same(json.substr(0, json.size() * 2 / 3)), HasSubstr("JSON syntax error"));
  std::filesystem::remove(path);
}

// The scan in two parts (the second read backward from the end, on another
// thread) finds what the scan in one part finds, errors included, wherever
// the parts meet.
// Item and org pointers match what a separate scan of the text
// (JsonPointerAt) gives for each item's name, read whole, in windows and on
// two threads, by a sink that moves the items and one that copies them (so
// that the reader reuses its strings). The pointers grow and shrink from one
// item to the next; orgs read through a list (authors) take the reader's
// general path, the others a shortcut.
TEST(CycloneDxJson, ItemAndOrgPointersMatchTheText) {
  // Appended piece by piece (see ManyWindowsDocument).
  std::string json = R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [)";
  // Opens a library component's object with its name (the rest follows).
  auto open_library = [&json](const std::string& name) {
    json += R"({"type": "library", "name": ")";
    json += name;
    json += R"(", )";
  };
  auto append_component = [&](const std::string& name, int children, int grandchildren) {
    open_library(name);
    json += R"("supplier": {"name": "S"}, "publisher": "P", )";
    json += R"("authors": [{"name": "A"}, {"name": "B"}], "manufacturer": {"name": "M"})";
    if (children > 0) {
      json += R"(, "components": [)";
      for (int c = 0; c < children; ++c) {
        if (c > 0) json += ", ";
        open_library(name + "." + std::to_string(c));
        json += R"("manufacturer": {"name": "M"})";
        if (c % 2 == 1) {
          json += R"(, "components": [)";
          for (int g = 0; g < grandchildren; ++g) {
            if (g > 0) json += ", ";
            open_library(name + "." + std::to_string(c) + "." + std::to_string(g));
            json += R"("supplier": {"name": "S"}})";
          }
          json += "]";
        }
        json += "}";
      }
      json += "]";
    }
    json += "}";
  };
  for (int i = 0; i < 300; ++i) {
    if (i > 0) json += ",\n";
    append_component("c" + std::to_string(i), i % 3 == 0 ? 0 : i % 13, i % 4);
  }
  json += "]}";
  ASSERT_GT(json.size(), size_t{16384});

  // The pointer of the object holding `"name": "<name>"` (each name is
  // looked up once: JsonPointerAt scans from the start).
  std::map<std::string, std::string> pointers;
  auto expected_pointer = [&json, &pointers](const std::string& name) {
    auto [it, added] = pointers.try_emplace(name);
    if (!added) return it->second;
    const std::string token = "\"name\": \"" + name + "\"";
    const size_t at = json.find(token);
    if (at == std::string::npos) return it->second = "(not found)";
    std::string pointer = cyclonedx::JsonPointerAt(json, at + 9);
    const size_t slash = pointer.rfind('/');
    if (slash != std::string::npos) pointer.resize(slash);  // Drops "/name".
    return it->second = pointer;
  };
  for (unsigned threads : {1u, 2u}) {
    for (bool windows : {false, true}) {
      cyclonedx::JsonWindowing w;
      w.threads = threads;
      if (windows) w = SmallWindows(threads);
      ScopedWindowing scoped(w);
      CollectingSink moved;
      CopyingSink copied;
      ASSERT_TRUE(ReadJson(json, &moved).ok());
      ASSERT_TRUE(ReadJson(json, &copied).ok());
      for (const CollectingSink* sink : {static_cast<const CollectingSink*>(&moved),
                                         static_cast<const CollectingSink*>(&copied)}) {
        ASSERT_GT(sink->items.size(), 1000u);
        for (const Item& item : sink->items) {
          const std::string where =
              item.name + " threads " + std::to_string(threads) + (windows ? " windows" : " whole");
          ASSERT_EQ(item.pointer, expected_pointer(item.name)) << where;
          std::vector<std::string> orgs;
          for (const OrgRef& org : item.orgs) orgs.push_back(org.role + " " + org.pointer);
          std::vector<std::string> want;
          const bool top = std::count(item.name.begin(), item.name.end(), '.') == 0;
          const bool grandchild = std::count(item.name.begin(), item.name.end(), '.') == 2;
          if (top) {
            want = {"supplier " + item.pointer + "/supplier",
                    "publisher " + item.pointer + "/publisher",
                    "author " + item.pointer + "/authors/0",
                    "author " + item.pointer + "/authors/1",
                    "manufacturer " + item.pointer + "/manufacturer"};
          } else if (grandchild) {
            want = {"supplier " + item.pointer + "/supplier"};
          } else {
            want = {"manufacturer " + item.pointer + "/manufacturer"};
          }
          ASSERT_EQ(orgs, want) << where;
        }
      }
    }
  }
}

// Each scan kernel the CPU has (scalar, AVX2, AVX-512), in one part and in
// two, gives the result of the scalar scan in one part.
TEST(CycloneDxJsonText, TwoPartScanMatchesOnePart) {
  auto expect_same = [](const std::string& json) {
    const cyclonedx::ScanResult one =
        cyclonedx::ScanTopLevelArraysWith(cyclonedx::ScanKernel::kScalar, json, 2048, 4096, 1);
    for (cyclonedx::ScanKernel kernel :
         {cyclonedx::ScanKernel::kScalar, cyclonedx::ScanKernel::kAvx2,
          cyclonedx::ScanKernel::kAvx512, cyclonedx::ScanKernel::kAuto}) {
      if (!cyclonedx::ScanKernelAvailable(kernel)) continue;
      for (unsigned threads : {1u, 2u}) {
        const cyclonedx::ScanResult two =
            cyclonedx::ScanTopLevelArraysWith(kernel, json, 2048, 4096, threads, 0);
        const std::string where = "kernel " + std::to_string(static_cast<int>(kernel)) +
                                  ", threads " + std::to_string(threads);
        EXPECT_EQ(two.ok, one.ok) << where;
        EXPECT_EQ(two.error, one.error) << where;
        EXPECT_EQ(two.error_offset, one.error_offset) << where;
        EXPECT_EQ(two.arrays.size(), one.arrays.size()) << where;
        for (size_t i = 0; i < std::min(one.arrays.size(), two.arrays.size()); ++i) {
          EXPECT_EQ(two.arrays[i].key, one.arrays[i].key) << where;
          EXPECT_EQ(two.arrays[i].open, one.arrays[i].open) << where;
          EXPECT_EQ(two.arrays[i].close, one.arrays[i].close) << where;
          EXPECT_EQ(two.arrays[i].cuts, one.arrays[i].cuts) << where;
          EXPECT_EQ(two.arrays[i].elements_before, one.arrays[i].elements_before) << where;
        }
      }
    }
    return one;
  };
  const std::string json = ManyWindowsDocument(400);
  cyclonedx::ScanResult whole = expect_same(json);
  ASSERT_TRUE(whole.ok);
  ASSERT_EQ(whole.arrays.size(), 3u);  // components, services, dependencies.
  // Line breaks (where the parts meet) at many places: between elements,
  // inside objects and strings (not valid JSON, but the scans must agree),
  // after a backslash, in the root object between members.
  const std::string breaks[] = {"\n", "\n  ", "\\\n", "\\\\\n", "\"\n\""};
  for (size_t at = json.size() / 2 - 3000; at < json.size() / 2 + 3000; at += 97) {
    for (const std::string& piece : breaks) {
      std::string copy = json;
      copy.insert(at, piece);
      // Only the first line break after the middle counts.
      expect_same(copy);
    }
  }
  std::string members = json;
  members.insert(members.find(R"(, "services")"), ",\n \"x\": [1, \"]\\\"[\", {\"a\": [}]}]");
  expect_same(members);
  // Runs of backslashes, escaped quotes and brackets in strings at every
  // offset in a 64-byte block (the kernels' block size), in a root member
  // and in an element.
  for (size_t shift = 0; shift < 64; ++shift) {
    const std::string piece = std::string(shift, 'p') + R"(": "\\\"[{\", ")";
    std::string root = json;
    root.insert(root.find(R"("services")") + 1, piece);
    expect_same(root);
    std::string element = json;
    element.insert(element.find(R"("version": "1.)") + 1, piece);
    expect_same(element);
  }
  // Truncated, cut short inside strings and objects, and unbalanced.
  for (size_t len = json.size() - 1; len > json.size() / 2; len -= 997) {
    std::string cut = json.substr(0, len);
    cut.insert(cut.begin() + static_cast<std::ptrdiff_t>(cut.size() / 2 + 1), '\n');
    expect_same(cut);
  }
  for (char extra : {']', '}', '[', '{', '"', '\\'}) {
    for (size_t at : {json.size() / 2 + 500, json.size() - 10, json.size() / 4}) {
      std::string bad = json;
      bad.insert(bad.begin() + static_cast<std::ptrdiff_t>(at), extra);
      bad.insert(bad.begin() + static_cast<std::ptrdiff_t>(bad.size() / 2), '\n');
      expect_same(bad);
    }
  }
  // No line break in the second half: one part.
  std::string flat = json;
  for (char& c : flat) {
    if (c == '\n') c = ' ';
  }
  expect_same(flat);
}

TEST(CycloneDxJsonText, PointerAtOffset) {
  std::string json = R"({"a": [1, {"b/c": "x"}], "d": "y"})";
  EXPECT_EQ(cyclonedx::JsonPointerAt(json, json.find("\"x\"")), "/a/1/b~1c");
  EXPECT_EQ(cyclonedx::JsonPointerAt(json, json.find("\"y\"")), "/d");
  EXPECT_EQ(cyclonedx::JsonStringAt(R"("a\"b\u00e9")", 1), "a\"b\xc3\xa9");
}

TEST(CycloneDxSniff, JsonAndXml) {
  EXPECT_TRUE(LooksLikeCycloneDxJson(R"({ "bomFormat" : "CycloneDX", )"));
  EXPECT_FALSE(LooksLikeCycloneDxJson(R"({"spdxVersion": "SPDX-2.3"})"));
  EXPECT_TRUE(LooksLikeCycloneDxXml(
      R"(<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5">)"));
  EXPECT_FALSE(LooksLikeCycloneDxXml("<rdf:RDF>"));
}

TEST(CycloneDxXml, ReadsComponentsServicesAndDependencies) {
  std::string xml = R"(<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"
     serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79">
  <metadata>
    <timestamp>2024-01-02T03:04:05Z</timestamp>
    <component type="application" bom-ref="app"><name>Gateway</name></component>
    <manufacturer><name>Acme Manufacturing</name><address><country>CN</country></address></manufacturer>
  </metadata>
  <components>
    <component type="device" bom-ref="cam">
      <supplier><name>Hangzhou Example Co</name></supplier>
      <publisher>Pub</publisher>
      <name>Camera</name>
      <version>2.1</version>
      <hashes><hash alg="SHA-1">e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a</hash></hashes>
      <licenses><license><id>MIT</id></license></licenses>
      <purl>pkg:generic/cam@2.1</purl>
      <properties><property name="k">v</property></properties>
      <components>
        <component type="firmware" bom-ref="fw"><name>fw</name></component>
        <component type="library"><name>lib</name></component>
      </components>
    </component>
  </components>
  <services>
    <service bom-ref="svc"><provider><name>Cloud Co</name></provider><name>Storage</name>
      <data><classification flow="inbound">PII</classification></data>
    </service>
  </services>
  <dependencies>
    <dependency ref="app"><dependency ref="cam"/></dependency>
    <dependency ref="cam"><dependency ref="ghost"/></dependency>
  </dependencies>
</bom>)";
  CollectingSink sink;
  Status s = ReadXml(xml, &sink);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sink.document.format, "cyclonedx-xml");
  EXPECT_EQ(sink.document.spec_version, "1.6");
  ASSERT_EQ(sink.document.creators.size(), 1u);
  EXPECT_EQ(sink.document.creators[0].country, "CN");
  ASSERT_EQ(sink.items.size(), 5u);
  const Item* cam = Find(sink, "Camera");
  ASSERT_NE(cam, nullptr);
  EXPECT_EQ(cam->kind, "hardware");
  EXPECT_EQ(cam->pointer, "/bom/components/component[1]");
  ASSERT_EQ(cam->orgs.size(), 2u);
  EXPECT_EQ(cam->orgs[0].role, "supplier");
  EXPECT_EQ(cam->hashes[0], "SHA-1:e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a");
  const Item* lib = Find(sink, "lib");
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->pointer, "/bom/components/component[1]/components/component[2]");
  EXPECT_EQ(lib->parent_ref, "cam");
  EXPECT_EQ(lib->depth, 1u);
  const Item* svc = Find(sink, "Storage");
  ASSERT_NE(svc, nullptr);
  EXPECT_EQ(svc->provider, "Cloud Co");
  EXPECT_EQ(svc->data_categories, (std::vector<std::string>{"PII"}));
  ASSERT_EQ(sink.relations.size(), 2u);
  ASSERT_EQ(sink.document.warnings.size(), 1u);
  EXPECT_THAT(sink.document.warnings[0], HasSubstr("unknown bom-ref \"ghost\""));
}

TEST(CycloneDxXml, Errors) {
  CollectingSink sink;
  Status s = ReadXml(R"(<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>
<component type="library"><name>a</name></component>
<component type="foo"><name>b</name></component></components></bom>)",
                     &sink);
  EXPECT_EQ(s.message(), "bom.xml:3:1: /bom/components/component[2]: unknown component type \"foo\"");
  s = ReadXml(R"(<bom xmlns="http://cyclonedx.org/schema/bom/12"/>)", &sink);
  EXPECT_THAT(s.message(), HasSubstr("unsupported CycloneDX namespace"));
  s = ReadXml(R"(<bom xmlns="http://example.com/"/>)", &sink);
  EXPECT_THAT(s.message(), HasSubstr("is not a CycloneDX namespace"));
  s = ReadXml("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>", &sink);
  EXPECT_THAT(s.message(), HasSubstr("bom.xml:2:"));
  EXPECT_THAT(s.message(), HasSubstr("XML syntax error"));
  s = ReadXml(R"(<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>
<component type="library" bom-ref="x"><name>a</name></component>
<component type="library" bom-ref="x"><name>b</name></component></components></bom>)",
              &sink);
  EXPECT_THAT(s.message(), HasSubstr("duplicate bom-ref \"x\" (also used by "
                                     "/bom/components/component[1])"));
}

TEST(CycloneDxXml, TenThousandLevelsOfNesting) {
  constexpr int kDepth = 10000;
  std::string xml = R"(<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>)";
  for (int i = 0; i < kDepth; ++i) {
    xml += R"(<component type="library"><name>n</name><components>)";
  }
  for (int i = 0; i < kDepth; ++i) xml += "</components></component>";
  xml += "</components></bom>";
  CollectingSink sink;
  Status s = ReadXml(xml, &sink);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sink.items.size(), static_cast<size_t>(kDepth));
}

}  // namespace
}  // namespace icts::inventory
