#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "inventory/assets/assets.h"
#include "tests/test_util.h"

namespace icts::inventory {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::StartsWith;

constexpr char kOui[] =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-L,4447CC,\"Hangzhou Hikvision Digital Technology Co.,Ltd.\",No.555 Qianmo Road "
    "Hangzhou Zhejiang CN 310052 \n"
    "MA-L,44D791,\"HUAWEI TECHNOLOGIES CO.,LTD\",\"No.2 Xin Cheng Road, Room R6,Songshan Lake "
    "Technology Park Dongguan  CN 523808 \"\n";

const OuiRegistry& Registry() {
  static const OuiRegistry* registry = [] {
    auto* r = new OuiRegistry();
    EXPECT_TRUE(r->AddCsv(kOui, "oui.csv").ok());
    return r;
  }();
  return *registry;
}

const OrgRef* FindOrg(const Item& item, const std::string& role) {
  for (const OrgRef& org : item.orgs) {
    if (org.role == role) return &org;
  }
  return nullptr;
}

std::string Property(const Item& item, const std::string& key) {
  for (const auto& [k, v] : item.properties) {
    if (k == key) return v;
  }
  return "";
}

TEST(AssetCsvTest, ReadsColumnsSynonymsAndMacRegistrants) {
  constexpr char kCsv[] =
      "\xEF\xBB\xBF"
      "Asset Tag,Make,Manufacturer,Model No,Device Name,Firmware Version,"
      "MAC Address,Serial Number,Site,Sector,Qty,Country,Tags,Notes,Owner,PURL,CPE\r\n"
      "cam-1,SecureView,,SV-4MP,Bullet camera,1.2,4447.cc3a.2201,SN1,Garage,commercial "
      "facilities,2,United States,camera; video ,\"rebadged, sold as US\",facilities,,\r\n"
      "rtr-1,Huawei,,AR6140,,V300,44-d7-91-0a-00-01,SN2,Server room,communications,,CN,,,,"
      "pkg:generic/huawei/ar6140,cpe:2.3:h:huawei:ar6140:-:*:*:*:*:*:*:*\r\n"
      ",,Acme Devices,,Thing,,,SN3,,,,DE,,,,,\r\n"
      "laptops,Lenovo,,,,,,,,,120,CN,,,,,\r\n";
  CollectingSink sink;
  AssetCsvOptions options;
  options.oui = &Registry();
  Status status = ReadAssetCsv(kCsv, "assets.csv", &sink, options);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(sink.document.format, "asset-csv");
  EXPECT_EQ(sink.document.file, "assets.csv");
  ASSERT_EQ(sink.items.size(), 4u);

  const Item& cam = sink.items[0];
  EXPECT_EQ(cam.ref, "cam-1");
  EXPECT_EQ(cam.pointer, "line 2");
  EXPECT_EQ(cam.kind, "hardware");  // Inferred: it has a MAC.
  EXPECT_EQ(cam.name, "Bullet camera");
  EXPECT_EQ(cam.model, "SV-4MP");
  EXPECT_EQ(cam.version, "1.2");
  EXPECT_EQ(cam.mac, "44:47:CC:3A:22:01");
  EXPECT_EQ(cam.serial, "SN1");
  EXPECT_EQ(cam.location, "Garage");
  EXPECT_EQ(cam.sector, "commercial facilities");
  EXPECT_EQ(cam.count, 2);
  EXPECT_EQ(cam.description, "rebadged, sold as US");
  EXPECT_THAT(cam.tags, ElementsAre("camera", "video"));
  const OrgRef* vendor = FindOrg(cam, "vendor");
  ASSERT_NE(vendor, nullptr);
  EXPECT_EQ(vendor->name, "SecureView");
  EXPECT_EQ(vendor->country, "US");
  // The registrant is kept beside the stated vendor.
  const OrgRef* registrant = FindOrg(cam, "mac-registrant");
  ASSERT_NE(registrant, nullptr);
  EXPECT_EQ(registrant->name, "Hangzhou Hikvision Digital Technology Co.,Ltd.");
  EXPECT_EQ(registrant->country, "CN");
  EXPECT_EQ(registrant->pointer, "line 2 mac MA-L/4447CC");
  EXPECT_EQ(Property(cam, "mac-registry"), "MA-L");
  EXPECT_EQ(Property(cam, "mac-assignment"), "4447CC");
  EXPECT_EQ(Property(cam, "Owner"), "facilities");  // Unknown column → property.

  const Item& rtr = sink.items[1];
  EXPECT_EQ(rtr.name, "AR6140");  // No product: the model names it.
  EXPECT_EQ(rtr.count, 1);
  EXPECT_EQ(rtr.purl, "pkg:generic/huawei/ar6140");
  EXPECT_THAT(rtr.cpes, ElementsAre("cpe:2.3:h:huawei:ar6140:-:*:*:*:*:*:*:*"));
  ASSERT_NE(FindOrg(rtr, "mac-registrant"), nullptr);
  EXPECT_EQ(FindOrg(rtr, "mac-registrant")->name, "HUAWEI TECHNOLOGIES CO.,LTD");

  const Item& thing = sink.items[2];
  EXPECT_EQ(thing.ref, "row:3");
  const OrgRef* maker = FindOrg(thing, "manufacturer");
  ASSERT_NE(maker, nullptr);
  EXPECT_EQ(maker->country, "DE");  // No vendor: the country is the manufacturer's.

  const Item& laptops = sink.items[3];
  EXPECT_EQ(laptops.kind, "");  // No MAC, serial or model: not known.
  EXPECT_EQ(laptops.count, 120);
}

TEST(AssetCsvTest, MacNotesWithoutRegistrant) {
  CollectingSink sink;
  AssetCsvOptions options;
  options.oui = &Registry();
  Status status = ReadAssetCsv(
      "id,mac\nvm,02:42:AC:11:00:02\ngroup,01:00:5E:00:00:01\nunknown,00:11:22:33:44:55\n",
      "macs.csv", &sink, options);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(sink.items.size(), 3u);
  EXPECT_THAT(Property(sink.items[0], "mac-note"), HasSubstr("locally administered"));
  EXPECT_THAT(Property(sink.items[1], "mac-note"), HasSubstr("multicast"));
  EXPECT_THAT(Property(sink.items[2], "mac-note"), HasSubstr("no IEEE registration"));
  for (const Item& item : sink.items) EXPECT_EQ(FindOrg(item, "mac-registrant"), nullptr);
}

TEST(AssetCsvTest, WithoutRegistryNoLookup) {
  CollectingSink sink;
  Status status = ReadAssetCsv("id,mac\ncam,44:47:CC:3A:22:01\n", "macs.csv", &sink);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(sink.items.size(), 1u);
  EXPECT_TRUE(sink.items[0].orgs.empty());
  EXPECT_TRUE(sink.items[0].properties.empty());
}

TEST(AssetCsvTest, ColumnMap) {
  AssetCsvOptions options;
  options.column_map = {{"Hersteller", "manufacturer"},
                        {"Gerät", "product"},
                        {"Model", "property"},
                        {"intern", "ignore"}};
  CollectingSink sink;
  Status status = ReadAssetCsv("Gerät,Hersteller,Model,intern\nKamera,Hikvision,X1,geheim\n",
                               "de.csv", &sink, options);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(sink.items.size(), 1u);
  EXPECT_EQ(sink.items[0].name, "Kamera");
  ASSERT_EQ(sink.items[0].orgs.size(), 1u);
  EXPECT_EQ(sink.items[0].orgs[0].role, "manufacturer");
  EXPECT_EQ(sink.items[0].model, "");
  EXPECT_THAT(sink.items[0].properties, ElementsAre(Pair("Model", "X1")));

  options.column_map = {{"Hersteller", "maker-of-things"}};
  EXPECT_THAT(ReadAssetCsv("Hersteller\nx\n", "de.csv", &sink, options).message(),
              StartsWith("de.csv: the column map sends \"Hersteller\" to \"maker-of-things\", "
                         "which is not a field"));
  options.column_map = {{"Herstelle", "manufacturer"}};
  EXPECT_THAT(ReadAssetCsv("Hersteller\nx\n", "de.csv", &sink, options).message(),
              StartsWith("de.csv: the column map names a column \"herstelle\" that the header "
                         "does not have (columns: Hersteller)"));
}

struct ErrorCase {
  const char* csv;
  const char* message;
};

TEST(AssetCsvTest, ErrorsPointAtTheCell) {
  const ErrorCase cases[] = {
      {"id,model,count\na,X,0\n", "x.csv:2:5: count must be a whole number ≥ 1 (found \"0\")"},
      {"id,model,count\na,X,1.5\n", "x.csv:2:5: count must be a whole number ≥ 1"},
      {"id,model,count\na,X,-2\n", "x.csv:2:5: count must be a whole number ≥ 1"},
      {"id,model,count\na,\"X, Y\",many\n", "x.csv:2:10: count must be a whole number ≥ 1"},
      {"id,model,count\na,X,99999999999999999999\n", "x.csv:2:5: count must be a whole number"},
      {"id,vendor,mac\na,V,44:47:CC:3A:22\n", "x.csv:2:5: bad MAC address \"44:47:CC:3A:22\""},
      {"id,kind\na,gadget\n", "x.csv:2:3: kind \"gadget\" is not one of hardware"},
      {"id,vendor,country\na,V,Atlantis\n", "x.csv:2:5: unknown country \"Atlantis\""},
      {"id,model\na,X\na,Y\n", "x.csv:3:1: duplicate id \"a\" (first on line 2)"},
      {"id,model\na,X,extra\n", "x.csv:2:1: this row has 3 fields; the header (line 1) has 2"},
      {"Vendor,Brand\nx,y\n",
       "x.csv:1:8: columns \"Vendor\" and \"Brand\" both give the field "
       "\"vendor\""},
      {"", "x.csv:1:1: the file is empty"},
      {"id,model\na,\"X\n", "x.csv:2:3: quoted field is never closed"},
      {"id,model\na,\"X", "x.csv:2: the last record is cut off"},
      {"id,model\na,\"X\"Y\n", "x.csv:2:6: unexpected character after closing quote"},
      {"id,model\na,\xC3\x28\n", "x.csv:2:3: invalid UTF-8"},
  };
  for (const ErrorCase& c : cases) {
    CollectingSink sink;
    Status status = ReadAssetCsv(c.csv, "x.csv", &sink);
    EXPECT_FALSE(status.ok()) << c.csv;
    EXPECT_THAT(status.message(), StartsWith(c.message)) << c.csv;
  }
}

TEST(AssetCsvTest, Sniffer) {
  EXPECT_TRUE(LooksLikeAssetCsv("id,vendor,model,mac\n1,a,b,c\n"));
  EXPECT_TRUE(
      LooksLikeAssetCsv("\xEF\xBB\xBF"
                        "Asset Tag,MAC Address\r\n"));
  EXPECT_TRUE(LooksLikeAssetCsv("Name\tSerial Number\n"));
  EXPECT_TRUE(LooksLikeAssetCsv("id,vendor,location\n"));
  EXPECT_FALSE(LooksLikeAssetCsv("id,vendor,region,data categories\n"));  // Services.
  EXPECT_FALSE(LooksLikeAssetCsv("name,country\n"));
  EXPECT_FALSE(LooksLikeAssetCsv("{\"mac\": 1}"));
}

TEST(AssetCsvTest, ShippedExampleWithInstalledRegistry) {
  std::string path = testing::SourceDir() + "/examples/inventory/assets.csv";
  std::string dir = OuiRegistry::kDefaultDirectory;
  if (!std::filesystem::exists(dir + "/oui.csv")) {
    GTEST_SKIP() << "IEEE registry not installed at " << dir << " (apt-get install ieee-data)";
  }
  auto registry = OuiRegistry::LoadDirectory(dir);
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  AssetCsvOptions options;
  options.oui = &*registry;
  CollectingSink sink;
  Status status = ReadAssetCsv(path, &sink, options);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(sink.items.size(), 20u);
  std::map<std::string, std::string> registrant;  // ref → registrant (country)
  int64_t units = 0;
  for (const Item& item : sink.items) {
    units += item.count;
    if (const OrgRef* org = FindOrg(item, "mac-registrant")) {
      registrant[item.ref] = org->name + " (" + org->country + ")";
    }
  }
  EXPECT_EQ(units, 268);
  EXPECT_EQ(registrant["cam-lobby-01"], "Hangzhou Hikvision Digital Technology Co.,Ltd. (CN)");
  EXPECT_EQ(registrant["cam-garage"], "Hangzhou Hikvision Digital Technology Co.,Ltd. (CN)");
  EXPECT_EQ(registrant["cam-yard"], "Zhejiang Dahua Technology Co., Ltd. (CN)");
  EXPECT_EQ(registrant["rtr-core-01"], "HUAWEI TECHNOLOGIES CO.,LTD (CN)");
  EXPECT_EQ(registrant["lte-backup"], "Huawei Device Co., Ltd. (CN)");
  EXPECT_EQ(registrant["ont-01"], "zte corporation (CN)");
  EXPECT_EQ(registrant["rtr-core-02"], "Cisco Systems, Inc (US)");
  EXPECT_EQ(registrant["wifi-ap-01"], "TP-Link Corporation Limited (HK)");
  EXPECT_EQ(registrant["cam-dock"], "Axis Communications AB (SE)");
  EXPECT_EQ(registrant["scale-01"], "Shanghai Dahua Scale Factory (CN)");
  EXPECT_EQ(registrant["hmi-01"], "DEUTA-WERKE GmbH (DE)");
  EXPECT_EQ(registrant.count("vm-guest-nic"), 0u);
  EXPECT_EQ(registrant.size(), 15u);
}

}  // namespace
}  // namespace icts::inventory
