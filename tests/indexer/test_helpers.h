#pragma once
// Shared helpers of the indexer tests: fixture paths and a fresh temporary index folder.
#include <filesystem>
#include <random>
#include <string>

namespace mandala::test {

inline std::filesystem::path fixtures() { return MANDALA_FIXTURES_DIR; }
inline std::filesystem::path shared_corpus() { return std::filesystem::path(MANDALA_SHARED_DIR) / "corpus"; }

// A new empty folder under the system temporary directory, removed when the object dies.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("mandala-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

}  // namespace mandala::test
