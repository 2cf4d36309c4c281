#include "inventory/spdx/spdx.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace icts::inventory {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const OrgRef* FindOrg(const Item& item, const std::string& role) {
  for (const OrgRef& org : item.orgs) {
    if (org.role == role) return &org;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// SPDX 2 JSON

constexpr char kSpdxJson[] = R"j({
  "spdxVersion": "SPDX-2.3",
  "dataLicense": "CC0-1.0",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "camera-firmware-sbom",
  "documentNamespace": "https://example.com/spdx/camera-1",
  "creationInfo": {
    "created": "2024-05-01T00:00:00Z",
    "creators": ["Organization: Example Integrator (sbom@example.com)", "Tool: example-gen-1.0",
                 "Person: Jane Doe ()"]
  },
  "packages": [
    {
      "SPDXID": "SPDXRef-fw",
      "name": "IPC firmware",
      "versionInfo": "5.7.3",
      "supplier": "Organization: Hangzhou Hikvision Digital Technology Co., Ltd. (support@hikvision.com)",
      "originator": "Person: Zhang San",
      "primaryPackagePurpose": "FIRMWARE",
      "checksums": [{"algorithm": "SHA256", "checksumValue": "ABCDEF0123"},
                    {"algorithm": "SHA1", "checksumValue": "99aa"}],
      "externalRefs": [
        {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
         "referenceLocator": "pkg:generic/hikvision/ipc-firmware@5.7.3"},
        {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
         "referenceLocator": "cpe:2.3:o:hikvision:ipc_firmware:5.7.3:*:*:*:*:*:*:*"},
        {"referenceCategory": "SECURITY", "referenceType": "advisory",
         "referenceLocator": "https://example.com/adv/1"}
      ],
      "summary": "Camera firmware",
      "downloadLocation": "NOASSERTION",
      "licenseConcluded": "NOASSERTION"
    },
    {
      "SPDXID": "SPDXRef-lib",
      "name": "openssl",
      "versionInfo": "1.1.1w",
      "supplier": "NOASSERTION",
      "description": "TLS library",
      "summary": "ignored when there is a description",
      "downloadLocation": "https://www.openssl.org/source/",
      "primaryPackagePurpose": "LIBRARY"
    },
    {"SPDXID": "SPDXRef-board", "name": "main board", "primaryPackagePurpose": "DEVICE"},
    {"SPDXID": "SPDXRef-other", "name": "thing", "primaryPackagePurpose": "OTHER"},
    {"SPDXID": "SPDXRef-old", "name": "no purpose (SPDX 2.2 style)"}
  ],
  "files": [{"SPDXID": "SPDXRef-file1", "fileName": "./a"}],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
     "relatedSpdxElement": "SPDXRef-fw"},
    {"spdxElementId": "SPDXRef-fw", "relationshipType": "CONTAINS",
     "relatedSpdxElement": "SPDXRef-lib"}
  ]
})j";

TEST(SpdxJsonTest, ReadsPackagesSuppliersIdentifiersAndRelationships) {
  CollectingSink sink;
  Status status = ReadSpdxJson(kSpdxJson, "cam.spdx.json", &sink);
  ASSERT_TRUE(status.ok()) << status.message();

  const DocumentInfo& doc = sink.document;
  EXPECT_EQ(doc.format, "spdx-json");
  EXPECT_EQ(doc.spec_version, "SPDX-2.3");
  EXPECT_EQ(doc.name, "camera-firmware-sbom");
  EXPECT_EQ(doc.serial, "https://example.com/spdx/camera-1");
  EXPECT_EQ(doc.file, "cam.spdx.json");
  ASSERT_EQ(doc.creators.size(), 3u);
  EXPECT_EQ(doc.creators[0].role, "creator");
  EXPECT_EQ(doc.creators[0].name, "Example Integrator");
  EXPECT_EQ(doc.creators[0].email, "sbom@example.com");
  EXPECT_EQ(doc.creators[0].pointer, "/creationInfo/creators/0");
  EXPECT_EQ(doc.creators[1].role, "tool");
  EXPECT_EQ(doc.creators[1].name, "example-gen-1.0");
  EXPECT_EQ(doc.creators[2].name, "Jane Doe");
  ASSERT_EQ(doc.warnings.size(), 1u);
  EXPECT_THAT(doc.warnings[0], HasSubstr("1 files and 0 snippets"));

  ASSERT_EQ(sink.items.size(), 5u);
  const Item& fw = sink.items[0];
  EXPECT_EQ(fw.ref, "SPDXRef-fw");
  EXPECT_EQ(fw.name, "IPC firmware");
  EXPECT_EQ(fw.version, "5.7.3");
  EXPECT_EQ(fw.kind, "firmware");
  EXPECT_EQ(fw.type, "FIRMWARE");
  EXPECT_EQ(fw.pointer, "/packages/0");
  EXPECT_EQ(fw.file, "cam.spdx.json");
  EXPECT_EQ(fw.description, "Camera firmware");
  EXPECT_EQ(fw.purl, "pkg:generic/hikvision/ipc-firmware@5.7.3");
  EXPECT_THAT(fw.cpes, ElementsAre("cpe:2.3:o:hikvision:ipc_firmware:5.7.3:*:*:*:*:*:*:*"));
  EXPECT_THAT(fw.hashes, ElementsAre("SHA-256:abcdef0123", "SHA-1:99aa"));
  const OrgRef* supplier = FindOrg(fw, "supplier");
  ASSERT_NE(supplier, nullptr);
  EXPECT_EQ(supplier->name, "Hangzhou Hikvision Digital Technology Co., Ltd.");
  EXPECT_EQ(supplier->email, "support@hikvision.com");
  EXPECT_EQ(supplier->pointer, "/packages/0/supplier");
  const OrgRef* originator = FindOrg(fw, "originator");
  ASSERT_NE(originator, nullptr);
  EXPECT_EQ(originator->name, "Zhang San");
  EXPECT_THAT(fw.properties, ElementsAre(std::pair<std::string, std::string>(
                                 "externalRef:advisory", "https://example.com/adv/1")));

  const Item& lib = sink.items[1];
  EXPECT_TRUE(lib.orgs.empty());  // NOASSERTION is no supplier.
  EXPECT_EQ(lib.kind, "software");
  EXPECT_EQ(lib.description, "TLS library");
  EXPECT_THAT(lib.properties, ElementsAre(std::pair<std::string, std::string>(
                                  "downloadLocation", "https://www.openssl.org/source/")));
  EXPECT_EQ(sink.items[2].kind, "hardware");
  EXPECT_EQ(sink.items[3].kind, "");          // OTHER: not known.
  EXPECT_EQ(sink.items[4].kind, "software");  // No purpose at all.
  EXPECT_EQ(sink.items[4].type, "");

  ASSERT_EQ(sink.relations.size(), 2u);
  EXPECT_EQ(sink.relations[1].from, "SPDXRef-fw");
  EXPECT_EQ(sink.relations[1].kind, "CONTAINS");
  EXPECT_EQ(sink.relations[1].to, "SPDXRef-lib");
}

// OnDocument comes first even when the header fields follow the packages.
class OrderSink : public CollectingSink {
 public:
  Status OnDocument(const DocumentInfo& info) override {
    document_before_items = items.empty() && relations.empty();
    return CollectingSink::OnDocument(info);
  }
  Status OnItem(Item&& item) override {
    if (item.ref == "SPDXRef-stop") return InvalidArgumentError("sink says stop");
    return CollectingSink::OnItem(std::move(item));
  }
  bool document_before_items = false;
};

TEST(SpdxJsonTest, HeaderAfterPackagesAndDocumentDescribes) {
  OrderSink sink;
  Status status = ReadSpdxJson(R"j({"packages": [{"SPDXID": "SPDXRef-a", "name": "a"}],
    "documentDescribes": ["SPDXRef-a"], "SPDXID": "SPDXRef-DOCUMENT",
    "spdxVersion": "SPDX-2.2", "name": "late header"})j",
                               "late.json", &sink);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(sink.document_before_items);
  EXPECT_EQ(sink.document.name, "late header");
  ASSERT_EQ(sink.relations.size(), 1u);
  EXPECT_EQ(sink.relations[0].from, "SPDXRef-DOCUMENT");
  EXPECT_EQ(sink.relations[0].kind, "DESCRIBES");
}

TEST(SpdxJsonTest, SinkErrorStopsTheReader) {
  OrderSink sink;
  Status status = ReadSpdxJson(R"j({"spdxVersion": "SPDX-2.3", "packages": [
    {"SPDXID": "SPDXRef-stop", "name": "a"}, {"SPDXID": "SPDXRef-b", "name": "b"}]})j",
                               "stop.json", &sink);
  EXPECT_EQ(status.message(), "sink says stop");
  EXPECT_TRUE(sink.items.empty());
}

struct ErrorCase {
  const char* json;
  const char* message;
};

TEST(SpdxJsonTest, ErrorsNameThePlace) {
  const ErrorCase cases[] = {
      {R"j({"spdxVersion": "SPDX-2.1", "packages": []})j",
       "x.json: /spdxVersion: unsupported SPDX version \"SPDX-2.1\" (this reader takes SPDX-2.2 "
       "and SPDX-2.3 JSON)"},
      {R"j({"packages": []})j", "x.json: not an SPDX 2 JSON document: there is no \"spdxVersion\""},
      {R"j([1, 2 ])j", "x.json: (top level): expected a JSON object, found an array"},
      {R"j({"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-a", "name": 5}]})j",
       "x.json: /packages/0/name: expected a string, found a number"},
      {R"j({"spdxVersion": "SPDX-2.3", "packages": [{"name": "a"}]})j",
       "x.json: /packages/0: package has no SPDXID"},
      {R"j({"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-a"}]})j",
       "x.json: /packages/0: package has no name"},
      {R"j({"spdxVersion": "SPDX-2.3", "packages": {"SPDXID": "SPDXRef-a"}})j",
       "x.json: /packages: expected an array, found an object"},
      {R"j({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": [
            {"SPDXID": "SPDXRef-a", "name": "a"}, {"SPDXID": "SPDXRef-a", "name": "b"}]})j",
       "x.json: /packages/1: duplicate SPDXID \"SPDXRef-a\" (first defined at /packages/0)"},
      {R"j({"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}],
            "files": [{"SPDXID": "SPDXRef-a"}]})j",
       "x.json: /files/0: duplicate SPDXID \"SPDXRef-a\" (first defined at /packages/0)"},
      {R"j({"spdxVersion": "SPDX-2.3", "relationships": [{"spdxElementId": "SPDXRef-a",
            "relationshipType": "CONTAINS"}]})j",
       "x.json: /relationships/0: relationship has no relatedSpdxElement"},
      {R"j({"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-a", "name": "a",
            "checksums": [{"algorithm": "SHA1"}]}]})j",
       "x.json: /packages/0/checksums/0: a checksum needs both algorithm and checksumValue"},
      // Syntax errors: line and column.
      {"{\"spdxVersion\": \"SPDX-2.3\",\n  \"packages\": [\n",
       "x.json:2:15: JSON syntax error: the JSON text does not end"},
      {"{\"spdxVersion\": \"SPDX-2.3\",\n  \"packages\": [{\"SPDXID\" \"SPDXRef-a\"}]}",
       "x.json:2:26: JSON syntax error"},
      {"{\"spdxVersion\": \"SPDX-2.3\",\n  \"packages\": [{\"SPDXID\": \"SPDXRef-a\",}]}",
       "x.json:2:39: JSON syntax error"},
      {"{\"spdxVersion\": \"SPDX-2.3\"} trailing",
       "x.json:1:36: JSON syntax error: the JSON "
       "text does not end"},
      {"", "x.json:1:1: JSON syntax error: the input is empty"},
      {"{\"spdxVersion\": \"SPDX-2.3\",\n \"name\": \"\xC3\x28\"}", "x.json:2:11: invalid UTF-8"},
  };
  for (const ErrorCase& c : cases) {
    CollectingSink sink;
    Status status = ReadSpdxJson(c.json, "x.json", &sink);
    EXPECT_FALSE(status.ok()) << c.json;
    EXPECT_THAT(status.message(), StartsWith(c.message)) << c.json;
  }
}

TEST(SpdxJsonTest, MissingFileIsNotFound) {
  CollectingSink sink;
  Status status = ReadSpdxJson(std::string("/nonexistent/x.spdx.json"), &sink);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent/x.spdx.json"));
}

// ---------------------------------------------------------------------------
// SPDX 2 tag-value

constexpr char kSpdxTv[] =
    "SPDXVersion: SPDX-2.2\n"
    "DataLicense: CC0-1.0\n"
    "SPDXID: SPDXRef-DOCUMENT\n"
    "DocumentName: router-sbom\n"
    "DocumentNamespace: https://example.com/spdx/router-1\n"
    "# a comment\n"
    "Creator: Organization: Example Integrator\n"
    "Creator: Tool: example-gen-1.0\n"
    "Created: 2024-05-01T00:00:00Z\n"
    "\n"
    "PackageName: router-os\n"
    "SPDXID: SPDXRef-os\n"
    "PackageVersion: V200R019\n"
    "PackageSupplier: Organization: Huawei Technologies Co., Ltd. (psirt@huawei.com)\n"
    "PackageOriginator: NOASSERTION\n"
    "PackageChecksum: SHA256: 00FF\n"
    "ExternalRef: PACKAGE-MANAGER purl pkg:generic/huawei/router-os@V200R019\n"
    "ExternalRef: SECURITY cpe23Type cpe:2.3:o:huawei:router_os:v200r019:*:*:*:*:*:*:*\n"
    "PrimaryPackagePurpose: OPERATING-SYSTEM\n"
    "PackageDescription: <text>Router operating system,\n"
    "spread over two lines.</text>\n"
    "PackageDownloadLocation: NOASSERTION\n"
    "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-os\n"
    "\n"
    "FileName: ./bin/init\n"
    "SPDXID: SPDXRef-init\n"
    "\n"
    "PackageName: busybox\n"
    "SPDXID: SPDXRef-busybox\n"
    "PackageSummary: <text>tools</text>\n"
    "Relationship: SPDXRef-os CONTAINS SPDXRef-busybox\n";

TEST(SpdxTagValueTest, ReadsPackagesAndRelationships) {
  CollectingSink sink;
  Status status = ReadSpdxTagValue(kSpdxTv, "router.spdx", &sink);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(sink.document.format, "spdx-tv");
  EXPECT_EQ(sink.document.spec_version, "SPDX-2.2");
  EXPECT_EQ(sink.document.name, "router-sbom");
  EXPECT_EQ(sink.document.serial, "https://example.com/spdx/router-1");
  ASSERT_EQ(sink.document.creators.size(), 2u);
  EXPECT_EQ(sink.document.creators[0].name, "Example Integrator");
  EXPECT_EQ(sink.document.creators[0].pointer, "line 7");
  EXPECT_EQ(sink.document.creators[1].role, "tool");
  ASSERT_EQ(sink.document.warnings.size(), 1u);

  ASSERT_EQ(sink.items.size(), 2u);
  const Item& os = sink.items[0];
  EXPECT_EQ(os.ref, "SPDXRef-os");
  EXPECT_EQ(os.name, "router-os");
  EXPECT_EQ(os.version, "V200R019");
  EXPECT_EQ(os.pointer, "line 11");
  EXPECT_EQ(os.kind, "software");
  EXPECT_EQ(os.type, "OPERATING-SYSTEM");
  EXPECT_EQ(os.purl, "pkg:generic/huawei/router-os@V200R019");
  EXPECT_THAT(os.cpes, ElementsAre("cpe:2.3:o:huawei:router_os:v200r019:*:*:*:*:*:*:*"));
  EXPECT_THAT(os.hashes, ElementsAre("SHA-256:00ff"));
  EXPECT_EQ(os.description, "Router operating system,\nspread over two lines.");
  ASSERT_EQ(os.orgs.size(), 1u);
  EXPECT_EQ(os.orgs[0].role, "supplier");
  EXPECT_EQ(os.orgs[0].name, "Huawei Technologies Co., Ltd.");
  EXPECT_EQ(os.orgs[0].email, "psirt@huawei.com");
  EXPECT_EQ(os.orgs[0].pointer, "line 14");
  EXPECT_TRUE(os.properties.empty());

  const Item& busybox = sink.items[1];
  EXPECT_EQ(busybox.pointer, "line 28");
  EXPECT_EQ(busybox.description, "tools");
  ASSERT_EQ(sink.relations.size(), 2u);
  EXPECT_EQ(sink.relations[1].from, "SPDXRef-os");
  EXPECT_EQ(sink.relations[1].kind, "CONTAINS");
  EXPECT_EQ(sink.relations[1].to, "SPDXRef-busybox");
}

TEST(SpdxTagValueTest, CarriageReturnLineEnds) {
  std::string text = kSpdxTv;
  for (char& c : text) {
    if (c == '\n') c = '\r';
  }
  CollectingSink sink;
  Status status = ReadSpdxTagValue(text, "router.spdx", &sink);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(sink.items.size(), 2u);
  EXPECT_EQ(sink.items[1].pointer, "line 28");
}

TEST(SpdxTagValueTest, ErrorsHaveLineAndColumn) {
  const ErrorCase cases[] = {
      {"SPDXVersion: SPDX-2.1\n", "x.spdx:1:14: unsupported SPDX version \"SPDX-2.1\""},
      {"DocumentName: x\n", "x.spdx:1:1: not an SPDX tag-value document"},
      {"SPDXVersion: SPDX-2.3\nthis line has no tag\n", "x.spdx:2:1: expected \"Tag: value\""},
      {"SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nPackageComment: <text>open\n",
       "x.spdx:4:17: <text> is never closed"},
      {"SPDXVersion: SPDX-2.3\nPackageVersion: 1\n",
       "x.spdx:2:1: PackageVersion outside a package (no PackageName before it)"},
      {"SPDXVersion: SPDX-2.3\nPackageName: a\nPackageVersion: 1\nPackageName: b\n",
       "x.spdx:2:1: package \"a\" has no SPDXID"},
      {"SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nPackageName: b\n"
       "SPDXID: SPDXRef-a\n",
       "x.spdx:5:9: duplicate SPDXID \"SPDXRef-a\" (first defined at line 3)"},
      {"SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nSPDXID: SPDXRef-b\n",
       "x.spdx:4:1: second SPDXID for the package that starts at line 2"},
      {"SPDXVersion: SPDX-2.3\nRelationship: SPDXRef-a CONTAINS\n",
       "x.spdx:2:15: Relationship must be"},
      {"SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nExternalRef: purl x\n",
       "x.spdx:4:14: ExternalRef must be"},
      {"SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nPackageChecksum: 00ff\n",
       "x.spdx:4:18: PackageChecksum must be"},
      {"SPDXVersion: SPDX-2.3\nDocumentName: \xC3\x28\n", "x.spdx:2:15: invalid UTF-8"},
  };
  for (const ErrorCase& c : cases) {
    CollectingSink sink;
    Status status = ReadSpdxTagValue(c.json, "x.spdx", &sink);
    EXPECT_FALSE(status.ok()) << c.json;
    EXPECT_THAT(status.message(), StartsWith(c.message)) << c.json;
  }
}

// ---------------------------------------------------------------------------
// SPDX 3.0 JSON-LD

constexpr char kSpdx3[] = R"j({
  "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
  "@graph": [
    {"type": "software_Package", "spdxId": "urn:pkg:cam", "name": "camera-app",
     "software_packageVersion": "2.1", "software_primaryPurpose": "application",
     "suppliedBy": "urn:org:dahua", "originatedBy": ["urn:person:li", "urn:org:unknown"],
     "software_packageUrl": "pkg:generic/dahua/camera-app@2.1",
     "externalIdentifier": [
       {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23",
        "identifier": "cpe:2.3:a:dahua:camera_app:2.1:*:*:*:*:*:*:*"},
       {"type": "ExternalIdentifier", "externalIdentifierType": "swhid",
        "identifier": "swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2"}],
     "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "AA11"},
                       {"type": "PackageVerificationCode", "algorithm": "sha1",
                        "hashValue": "bb"}],
     "summary": "camera app", "creationInfo": "_:ci"},
    {"type": "software_Package", "spdxId": "urn:pkg:board", "name": "board",
     "software_primaryPurpose": "device",
     "suppliedBy": {"type": "Organization", "name": "Inline Board Maker"}},
    {"type": "dataset_DatasetPackage", "spdxId": "urn:pkg:data", "name": "training data"},
    {"type": "software_File", "spdxId": "urn:file:1", "name": "a.c"},
    {"type": "Relationship", "spdxId": "urn:rel:1", "from": "urn:pkg:cam",
     "relationshipType": "contains", "to": ["urn:pkg:board", "urn:pkg:data"]},
    {"type": "Relationship", "spdxId": "urn:rel:1", "from": "urn:pkg:cam",
     "relationshipType": "contains", "to": ["urn:pkg:board", "urn:pkg:data"]},
    {"type": "Organization", "spdxId": "urn:org:dahua",
     "name": "Zhejiang Dahua Technology Co., Ltd.", "creationInfo": "_:ci"},
    {"type": "Person", "spdxId": "urn:person:li", "name": "Li Si"},
    {"type": "Tool", "spdxId": "urn:tool:gen", "name": "example-gen"},
    {"type": "SpdxDocument", "spdxId": "urn:doc", "name": "camera sbom", "creationInfo": "_:ci"},
    {"@id": "_:ci", "type": "CreationInfo", "specVersion": "3.0.1",
     "createdBy": ["urn:org:dahua"], "createdUsing": ["urn:tool:gen"],
     "created": "2024-05-01T00:00:00Z"}
  ]
})j";

TEST(Spdx3Test, ResolvesAgentsDefinedLater) {
  CollectingSink sink;
  Status status = ReadSpdx3JsonLd(kSpdx3, "cam.spdx3.json", &sink);
  ASSERT_TRUE(status.ok()) << status.message();
  const DocumentInfo& doc = sink.document;
  EXPECT_EQ(doc.format, "spdx3-jsonld");
  EXPECT_EQ(doc.spec_version, "3.0.1");
  EXPECT_EQ(doc.name, "camera sbom");
  EXPECT_EQ(doc.serial, "urn:doc");
  ASSERT_EQ(doc.creators.size(), 2u);
  EXPECT_EQ(doc.creators[0].role, "creator");
  EXPECT_EQ(doc.creators[0].name, "Zhejiang Dahua Technology Co., Ltd.");
  EXPECT_EQ(doc.creators[1].role, "tool");
  EXPECT_EQ(doc.creators[1].name, "example-gen");
  // Files skipped, the repeated relationship, the unresolved originator.
  ASSERT_EQ(doc.warnings.size(), 3u);
  EXPECT_THAT(doc.warnings[0], HasSubstr("1 files and 0 snippets"));
  EXPECT_THAT(doc.warnings[1], HasSubstr("/@graph/5: element id \"urn:rel:1\" is defined again"));
  EXPECT_THAT(doc.warnings[2], HasSubstr("1 supplier/originator references"));

  ASSERT_EQ(sink.items.size(), 3u);
  const Item& cam = sink.items[0];
  EXPECT_EQ(cam.ref, "urn:pkg:cam");
  EXPECT_EQ(cam.pointer, "/@graph/0");
  EXPECT_EQ(cam.version, "2.1");
  EXPECT_EQ(cam.kind, "software");
  EXPECT_EQ(cam.type, "application");
  EXPECT_EQ(cam.description, "camera app");
  EXPECT_EQ(cam.purl, "pkg:generic/dahua/camera-app@2.1");
  EXPECT_THAT(cam.cpes, ElementsAre("cpe:2.3:a:dahua:camera_app:2.1:*:*:*:*:*:*:*"));
  EXPECT_THAT(cam.hashes, ElementsAre("SHA-256:aa11"));
  ASSERT_EQ(cam.orgs.size(), 2u);
  EXPECT_EQ(cam.orgs[0].role, "supplier");
  EXPECT_EQ(cam.orgs[0].name, "Zhejiang Dahua Technology Co., Ltd.");
  EXPECT_EQ(cam.orgs[0].pointer, "/@graph/0/suppliedBy");
  EXPECT_EQ(cam.orgs[1].role, "originator");
  EXPECT_EQ(cam.orgs[1].name, "Li Si");
  EXPECT_EQ(cam.orgs[1].pointer, "/@graph/0/originatedBy/0");

  const Item& board = sink.items[1];
  EXPECT_EQ(board.kind, "hardware");
  ASSERT_EQ(board.orgs.size(), 1u);
  EXPECT_EQ(board.orgs[0].name, "Inline Board Maker");
  EXPECT_EQ(sink.items[2].kind, "data");

  ASSERT_EQ(sink.relations.size(), 2u);
  EXPECT_EQ(sink.relations[0].from, "urn:pkg:cam");
  EXPECT_EQ(sink.relations[0].kind, "contains");
  EXPECT_EQ(sink.relations[1].to, "urn:pkg:data");
}

TEST(Spdx3Test, Errors) {
  const ErrorCase cases[] = {
      {R"j({"@context": "https://spdx.org/rdf/3.1/spdx-context.jsonld", "@graph": []})j",
       "x.json: /@context: unsupported SPDX context"},
      {R"j({"@context": "https://schema.org", "@graph": []})j",
       "x.json: /@context: not an SPDX 3 context"},
      {R"j({"@graph": []})j", "x.json: (top level): not an SPDX 3 JSON-LD document"},
      {R"j({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"})j",
       "x.json: (top level): SPDX 3 document has no \"@graph\""},
      {R"j({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
            {"type": "software_Package", "spdxId": "a", "name": "x"},
            {"type": "software_Package", "spdxId": "a", "name": "y"}]})j",
       "x.json: /@graph/1: duplicate element id \"a\" (first defined at /@graph/0)"},
      {R"j({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
            {"type": "software_Package", "spdxId": "a"}]})j",
       "x.json: /@graph/0: package has no name"},
      {R"j({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
            {"spdxId": "a"}]})j",
       "x.json: /@graph/0: element has no \"type\""},
      {R"j({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
            {"type": "software_Package", "spdxId": "a", "name": ["x"]}]})j",
       "x.json: /@graph/0/name: expected a string, found an array"},
      {R"j({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
            {"type": "CreationInfo", "@id": "_:c", "specVersion": "2.3"},
            {"type": "SpdxDocument", "spdxId": "d", "creationInfo": "_:c"}]})j",
       "x.json: unsupported SPDX specVersion \"2.3\""},
      {"{\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\n\"@graph\": [{]}",
       "x.json:2:"},
  };
  for (const ErrorCase& c : cases) {
    CollectingSink sink;
    Status status = ReadSpdx3JsonLd(c.json, "x.json", &sink);
    EXPECT_FALSE(status.ok()) << c.json;
    EXPECT_THAT(status.message(), StartsWith(c.message)) << c.json;
  }
}

TEST(Spdx3Test, DeepNestingIsAnErrorNotACrash) {
  std::string json =
      R"j({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [)j";
  json += R"j({"type": "software_Package", "spdxId": "a", "name": "x", "suppliedBy": )j";
  for (int i = 0; i < 10000; ++i) json += R"j({"type": "Organization", "name": "o", "x": [)j";
  CollectingSink sink;
  Status status = ReadSpdx3JsonLd(json, "deep.json", &sink);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), StartsWith("deep.json"));
}

// ---------------------------------------------------------------------------
// Sniffers

TEST(SpdxSniffTest, TellsTheFormatsApart) {
  EXPECT_TRUE(LooksLikeSpdxJson(kSpdxJson));
  EXPECT_FALSE(LooksLikeSpdxJson(kSpdxTv));
  EXPECT_FALSE(LooksLikeSpdxJson(kSpdx3));
  EXPECT_TRUE(LooksLikeSpdxJson("\xEF\xBB\xBF  {\"files\": [{\"SPDXID\": \"SPDXRef-1\"}"));
  EXPECT_TRUE(LooksLikeSpdxTagValue(kSpdxTv));
  EXPECT_TRUE(LooksLikeSpdxTagValue("## header\r\nSPDXVersion: SPDX-2.3\r\n"));
  EXPECT_FALSE(LooksLikeSpdxTagValue(kSpdxJson));
  EXPECT_FALSE(LooksLikeSpdxTagValue("Comment: SPDXVersion: SPDX-2.3"));
  EXPECT_TRUE(LooksLikeSpdx3(kSpdx3));
  EXPECT_FALSE(LooksLikeSpdx3(kSpdxJson));
  EXPECT_FALSE(LooksLikeSpdx3(R"j({"bomFormat": "CycloneDX"})j"));
}

}  // namespace
}  // namespace icts::inventory
