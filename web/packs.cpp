#include "web/packs.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/SHA2Engine.h>

#include <fstream>
#include <random>

#include "catalog/sqlite.h"
#include "text/errors.h"
#include "text/unicode.h"
#include "web/http.h"

namespace mandala::web {

namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS packs(
  id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, token_hash TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pack_items(
  pack TEXT NOT NULL, position INTEGER NOT NULL, passage TEXT NOT NULL, note TEXT NOT NULL,
  PRIMARY KEY(pack, position));
)SQL";

std::string now_iso() { return Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT); }

void check_text(const std::string& what, const std::string& value, std::size_t max) {
    if (!text::is_valid_utf8(value)) throw InputError(what + " is not valid UTF-8");
    if (value.size() > max) throw LimitExceeded(what + " is longer than " + std::to_string(max) + " bytes");
}

}  // namespace

void Pack::validate() const {
    check_text("title", title, kMaxTitle);
    check_text("description", description, kMaxDescription);
    if (items.size() > kMaxItems) throw LimitExceeded("a pack holds at most " + std::to_string(kMaxItems) + " items");
    for (const auto& i : items) {
        if (i.passage.empty() || i.passage.size() > 300) throw InputError("an item needs a passage id");
        check_text("note", i.note, kMaxNote);
    }
}

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    std::ifstream urandom("/dev/urandom", std::ios::binary);
    if (!urandom.read(raw.data(), static_cast<std::streamsize>(bytes))) {
        std::random_device rd;
        for (auto& c : raw) c = static_cast<char>(rd());
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

std::string sha256_hex(const std::string& s) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(s);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

PackStore::PackStore(const std::filesystem::path& file)
    : db_(std::make_unique<catalog::Connection>(file, catalog::Connection::Mode::read_write)) {
    db_->exec("PRAGMA journal_mode=WAL");
    db_->exec("PRAGMA synchronous=NORMAL");
    db_->exec(kSchema);
}

PackStore::~PackStore() = default;

std::pair<Pack, std::string> PackStore::create(Pack draft) {
    draft.validate();
    std::lock_guard lock(mutex_);
    draft.id = random_hex(16);
    draft.created = draft.updated = now_iso();
    const std::string token = random_hex(32);
    db_->exec("BEGIN IMMEDIATE");
    try {
        auto st = db_->prepare("INSERT INTO packs(id, title, description, token_hash, created, updated) VALUES(?,?,?,?,?,?)");
        st.bind(1, std::string_view(draft.id)).bind(2, std::string_view(draft.title)).bind(3, std::string_view(draft.description));
        st.bind(4, std::string_view(sha256_hex(token))).bind(5, std::string_view(draft.created)).bind(6, std::string_view(draft.updated));
        st.run();
        auto item = db_->prepare("INSERT INTO pack_items(pack, position, passage, note) VALUES(?,?,?,?)");
        for (std::size_t i = 0; i < draft.items.size(); ++i) {
            item.bind(1, std::string_view(draft.id)).bind(2, static_cast<std::int64_t>(i + 1));
            item.bind(3, std::string_view(draft.items[i].passage)).bind(4, std::string_view(draft.items[i].note));
            item.run();
        }
        db_->exec("COMMIT");
    } catch (...) {
        db_->exec("ROLLBACK");
        throw;
    }
    return {draft, token};
}

Pack PackStore::get(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto st = db_->prepare("SELECT id, title, description, created, updated FROM packs WHERE id = ?");
    st.bind(1, std::string_view(id));
    if (!st.step()) throw NotFound("no pack '" + id + "'");
    Pack p;
    p.id = st.text(0);
    p.title = st.text(1);
    p.description = st.text(2);
    p.created = st.text(3);
    p.updated = st.text(4);
    auto items = db_->prepare("SELECT passage, note FROM pack_items WHERE pack = ? ORDER BY position");
    items.bind(1, std::string_view(id));
    while (items.step()) p.items.push_back({items.text(0), items.text(1)});
    return p;
}

void PackStore::authorize(const std::string& id, const std::string& token) const {
    std::string stored;
    {
        std::lock_guard lock(mutex_);
        auto st = db_->prepare("SELECT token_hash FROM packs WHERE id = ?");
        st.bind(1, std::string_view(id));
        if (!st.step()) throw NotFound("no pack '" + id + "'");
        stored = st.text(0);
    }
    if (token.empty()) throw HttpError(403, "editing a pack needs its edit token (Authorization: Bearer TOKEN)");
    if (!constant_time_equal(sha256_hex(token), stored)) throw HttpError(403, "the edit token does not match this pack");
}

Pack PackStore::save(const Pack& pack) {
    pack.validate();
    std::lock_guard lock(mutex_);
    const std::string updated = now_iso();
    db_->exec("BEGIN IMMEDIATE");
    try {
        auto st = db_->prepare("UPDATE packs SET title = ?, description = ?, updated = ? WHERE id = ?");
        st.bind(1, std::string_view(pack.title)).bind(2, std::string_view(pack.description));
        st.bind(3, std::string_view(updated)).bind(4, std::string_view(pack.id));
        st.run();
        if (sqlite3_changes(db_->handle()) == 0) throw NotFound("no pack '" + pack.id + "'");
        auto del = db_->prepare("DELETE FROM pack_items WHERE pack = ?");
        del.bind(1, std::string_view(pack.id));
        del.run();
        auto item = db_->prepare("INSERT INTO pack_items(pack, position, passage, note) VALUES(?,?,?,?)");
        for (std::size_t i = 0; i < pack.items.size(); ++i) {
            item.bind(1, std::string_view(pack.id)).bind(2, static_cast<std::int64_t>(i + 1));
            item.bind(3, std::string_view(pack.items[i].passage)).bind(4, std::string_view(pack.items[i].note));
            item.run();
        }
        db_->exec("COMMIT");
    } catch (...) {
        db_->exec("ROLLBACK");
        throw;
    }
    Pack out = pack;
    out.updated = updated;
    return out;
}

}  // namespace mandala::web
