// Bad input: each bad file is reported by name with a reason, the rest is indexed, and what was
// indexed before stays intact.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include "indexer/pipeline.h"
#include "indexer/readers/read.h"
#include "indexer/store.h"
#include "text/errors.h"
#include "test_helpers.h"

using namespace mandala::indexer;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

void write_bad_files(const fs::path& dir) {
    write_file(dir / "empty.txt", "");
    write_file(dir / "binary.txt", std::string("\x7F" "ELF\0\0\0\x01\x02\x03 binary", 16));
    write_file(dir / "invalid-utf8.txt", "Caf\xC3\x28 and \xFF\xFE broken bytes in a paragraph.\n");
    write_file(dir / "truncated.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj << /Ty");
    write_file(dir / "corrupt.docx", "PK\x03\x04 this is not really a zip archive at all");
    write_file(dir / "notes.xyz", "some text in a format nobody reads\n");
    std::ofstream huge(dir / "huge.txt", std::ios::binary);
    const std::string line(1023, 'a');
    for (int i = 0; i < 50 * 1024; ++i) huge << line << '\n';
}

IndexReport index_into(const fs::path& corpus, const fs::path& db) {
    IndexOptions o;
    o.corpus_dirs = {corpus};
    o.db_dir = db;
    return run_index(o);
}

}  // namespace

TEST_CASE("a corpus of bad files yields one clear message per file and keeps the good ones", "[integration]") {
    mandala::test::TempDir tmp;
    const fs::path corpus = tmp / "corpus", db = tmp / "db";
    fs::copy(mandala::test::fixtures() / "corpus-small", corpus, fs::copy_options::recursive);
    auto first = index_into(corpus, db);
    REQUIRE(first.failures.empty());
    const auto before = load_passages(db).size();

    write_bad_files(corpus);
    auto report = index_into(corpus, db);
    std::map<std::string, std::string> reasons;
    for (const auto& f : report.failures) reasons[fs::path(f.path).filename().string()] = f.reason;
    for (const auto& [name, reason] : reasons) INFO(name << ": " << reason);
    CHECK(reasons.size() == 7);
    CHECK(reasons["empty.txt"].find("empty") != std::string::npos);
    CHECK(reasons["binary.txt"].find("binary") != std::string::npos);
    CHECK(reasons["invalid-utf8.txt"].find("UTF-8") != std::string::npos);
    CHECK(reasons["huge.txt"].find("limit") != std::string::npos);
    CHECK(reasons["notes.xyz"].find("unsupported") != std::string::npos);
    CHECK_FALSE(reasons["truncated.pdf"].empty());
    CHECK_FALSE(reasons["corrupt.docx"].empty());
    CHECK(load_passages(db).size() == before);  // the good files are still there, unchanged

    SECTION("a file that breaks after it was indexed keeps its earlier version") {
        write_file(corpus / "notes.md", std::string("\0\0\0\0binary now", 14));
        auto again = index_into(corpus, db);
        bool reported = false;
        for (const auto& f : again.failures) reported = reported || fs::path(f.path).filename() == "notes.md";
        CHECK(reported);
        CHECK(load_passages(db).size() == before);
    }
}

TEST_CASE("a ZIP64 record claiming more bytes than the DOCX holds is a clear error, not an allocation", "[bad-input]") {
    // The shape of what fuzz_docx found: a ZIP64 end-of-central-directory signature followed by
    // filler bytes that read as a size of about 434 PB, then a local-header signature.
    std::string bytes = "PK\x06\x06" + std::string(58, '\x06') + "\x03\x04P";
    mandala::indexer::RawDocument doc;
    CHECK_THROWS_AS(mandala::indexer::read_docx(bytes, doc), mandala::InputError);
    // A record cut off after its signature is refused the same way.
    CHECK_THROWS_AS(mandala::indexer::read_docx(std::string("PK\x03\x04PK\x06\x06\x01", 9), doc), mandala::InputError);
}
