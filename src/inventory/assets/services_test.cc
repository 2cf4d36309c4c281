#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "inventory/assets/assets.h"
#include "tests/test_util.h"

namespace icts::inventory {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::StartsWith;

TEST(ServicesTest, Csv) {
  CollectingSink sink;
  Status status = ReadServices(
      "id,Service Name,Provider,Region,Data Categories,Country,Type,Owner\n"
      "s1,Build server,Alibaba Cloud,cn-hongkong,source code; build artefacts,CN,IaaS,eng\n"
      ",Mail,Microsoft,EU,,United States,,\n",
      "services.csv", &sink);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(sink.document.format, "services-csv");
  ASSERT_EQ(sink.items.size(), 2u);
  const Item& build = sink.items[0];
  EXPECT_EQ(build.ref, "s1");
  EXPECT_EQ(build.kind, "service");
  EXPECT_EQ(build.type, "IaaS");
  EXPECT_EQ(build.name, "Build server");
  EXPECT_EQ(build.provider, "Alibaba Cloud");
  EXPECT_EQ(build.region, "cn-hongkong");
  EXPECT_THAT(build.data_categories, ElementsAre("source code", "build artefacts"));
  EXPECT_EQ(build.pointer, "line 2");
  ASSERT_EQ(build.orgs.size(), 1u);
  EXPECT_EQ(build.orgs[0].role, "provider");
  EXPECT_EQ(build.orgs[0].name, "Alibaba Cloud");
  EXPECT_EQ(build.orgs[0].country, "CN");
  EXPECT_THAT(build.properties, ElementsAre(Pair("Owner", "eng")));
  EXPECT_EQ(sink.items[1].ref, "row:2");
  EXPECT_EQ(sink.items[1].orgs[0].country, "US");
}

TEST(ServicesTest, Json) {
  CollectingSink sink;
  Status status = ReadServices(R"j({"services": [
      {"id": "s1", "service": "Console", "provider": "Kaspersky", "region": "Zurich",
       "data_categories": ["telemetry", "file hashes"], "country": "RU", "tags": "av; cloud",
       "seats": 120, "contract": {"ends": "2025-01-01"}},
      {"name": "CRM", "Provider": "Salesforce", "Data Categories": "customer data"}]})j",
                               "services.json", &sink);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(sink.document.format, "services-json");
  ASSERT_EQ(sink.items.size(), 2u);
  const Item& console = sink.items[0];
  EXPECT_EQ(console.ref, "s1");
  EXPECT_EQ(console.pointer, "/services/0");
  EXPECT_EQ(console.provider, "Kaspersky");
  EXPECT_EQ(console.orgs[0].country, "RU");
  EXPECT_EQ(console.orgs[0].pointer, "/services/0/provider");
  EXPECT_THAT(console.data_categories, ElementsAre("telemetry", "file hashes"));
  EXPECT_THAT(console.tags, ElementsAre("av", "cloud"));
  EXPECT_THAT(console.properties,
              ElementsAre(Pair("seats", "120"), Pair("contract", R"({"ends": "2025-01-01"})")));
  EXPECT_EQ(sink.items[1].ref, "row:2");
  EXPECT_EQ(sink.items[1].name, "CRM");
  EXPECT_THAT(sink.items[1].data_categories, ElementsAre("customer data"));
}

struct ErrorCase {
  const char* text;
  const char* message;
};

TEST(ServicesTest, Errors) {
  const ErrorCase cases[] = {
      {"service,provider,country\nMail,Microsoft,Narnia\n", "x:2:16: unknown country \"Narnia\""},
      {"id,service,provider\na,Mail,M\na,CRM,S\n", "x:3:1: duplicate id \"a\" (first at line 2)"},
      {"id,service,provider\na,,M\n", "x:2:3: a service needs a name"},
      {"provider,region\nM,EU\n", "x:1:1: no service column"},
      {R"j([{"service": "Mail", "provider": ["M"]}])j", "x: /0/provider: expected a string"},
      {R"j([{"service": "Mail", "country": "Narnia"}])j", "x: /0/country: unknown country"},
      {R"j([{"provider": "M"}])j", "x: /0: a service needs a name"},
      {R"j([{"id": "a", "service": "A"}, {"id": "a", "service": "B"}])j",
       "x: /1/id: duplicate id \"a\" (first at /0)"},
      {R"j({"items": []})j", "x: (top level): expected an array of services"},
      {R"j([1])j", "x: /0: expected an object"},
      {"[{\"service\": \"Mail\",\n \"provider\" \"M\"}]", "x:2:13: JSON syntax error"},
  };
  for (const ErrorCase& c : cases) {
    CollectingSink sink;
    Status status = ReadServices(c.text, "x", &sink);
    EXPECT_FALSE(status.ok()) << c.text;
    EXPECT_THAT(status.message(), StartsWith(c.message)) << c.text;
  }
}

TEST(ServicesTest, Sniffer) {
  EXPECT_TRUE(LooksLikeServices("id,service,provider,region\n"));
  EXPECT_TRUE(LooksLikeServices("Name,Cloud Provider,Data Categories\n"));
  EXPECT_FALSE(LooksLikeServices("id,vendor,model,mac\n"));
  EXPECT_FALSE(LooksLikeServices("id,vendor,region\n"));  // "vendor" alone is an asset column.
  EXPECT_TRUE(LooksLikeServices(R"j([{"service": "x", "provider": "y"}])j"));
  EXPECT_FALSE(LooksLikeServices(R"j({"bomFormat": "CycloneDX"})j"));
}

TEST(ServicesTest, ShippedExamples) {
  for (const char* name : {"services.csv", "services.json"}) {
    std::string path = testing::SourceDir() + "/examples/inventory/" + name;
    CollectingSink sink;
    Status status = ReadServices(path, &sink);
    ASSERT_TRUE(status.ok()) << status.message();
    EXPECT_GE(sink.items.size(), 3u) << name;
    for (const Item& item : sink.items) {
      EXPECT_EQ(item.kind, "service");
      EXPECT_FALSE(item.provider.empty()) << item.ref;
      EXPECT_FALSE(item.data_categories.empty()) << item.ref;
    }
  }
}

}  // namespace
}  // namespace icts::inventory
