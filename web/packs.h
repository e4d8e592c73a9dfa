#pragma once
// Reading packs: a title, a description and an ordered list of passages with notes, kept in
// packs.sqlite (WAL). Ids are unguessable (128 random bits); whoever has the id can read. Changes
// need the edit token handed out at creation; only its SHA-256 is stored and it is compared in
// constant time.
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mandala::catalog {
class Connection;
}

namespace mandala::web {

struct PackItem {
    std::string passage;
    std::string note;
};

struct Pack {
    std::string id, title, description, created, updated;
    std::vector<PackItem> items;

    static constexpr std::size_t kMaxTitle = 300, kMaxDescription = 5000, kMaxNote = 5000, kMaxItems = 500;
    // Throws LimitExceeded / InputError when a field is too long or not valid UTF-8.
    void validate() const;
};

// Random bytes from the system's entropy source, as lowercase hex.
std::string random_hex(std::size_t bytes);
// True when `a` and `b` are equal, in time that depends only on their lengths.
bool constant_time_equal(const std::string& a, const std::string& b);
std::string sha256_hex(const std::string& s);

class PackStore {
public:
    explicit PackStore(const std::filesystem::path& file);
    ~PackStore();

    // Stores a new pack; returns it (with id and timestamps) and its edit token.
    std::pair<Pack, std::string> create(Pack draft);
    // Throws NotFound.
    Pack get(const std::string& id) const;
    // Throws NotFound for an unknown pack, HttpError 403 when `token` is not its edit token.
    void authorize(const std::string& id, const std::string& token) const;
    // Replaces title, description and items of an existing pack.
    Pack save(const Pack& pack);

private:
    mutable std::mutex mutex_;
    std::unique_ptr<catalog::Connection> db_;
};

}  // namespace mandala::web
