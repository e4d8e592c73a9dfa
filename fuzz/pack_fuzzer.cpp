// libFuzzer harness for the reading-pack JSON: bodies for creating a pack and adding an item go
// through the App as a request would (JSON parsing, validation, storage). Malformed bodies must be
// answered with a 4xx; a 500 is a finding (it aborts). No index is open: items naming passages get
// 503, which is the honest answer then.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "web/app.h"

namespace {

struct Target {
    std::unique_ptr<mandala::web::App> app;
    std::string pack_id, token;

    Target() {
        const auto dir = std::filesystem::temp_directory_path() / ("mandala-pack-fuzz-" + std::to_string(::getpid()));
        mandala::web::Config config;
        config.db_dir = dir / "db";
        config.packs_file = dir / "packs.sqlite";
        config.access_log = false;
        app = std::make_unique<mandala::web::App>(config);
        mandala::web::Request create = request("POST", "/api/packs", "{\"title\":\"Seed\"}");
        const auto created = app->handle(create);
        pack_id = created.body.substr(created.body.find("\"id\":\"") + 6, 32);
        token = created.body.substr(created.body.find("\"edit_token\":\"") + 14, 64);
    }

    static mandala::web::Request request(const std::string& method, const std::string& path, std::string body) {
        mandala::web::Request r;
        r.method = method;
        r.path = r.target = path;
        r.headers["content-type"] = "application/json";
        r.body = std::move(body);
        return r;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Target target;
    if (size == 0) return 0;
    std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    mandala::web::Request r = data[0] % 3 == 0 ? Target::request("POST", "/api/packs", std::move(body))
                            : data[0] % 3 == 1 ? Target::request("POST", "/api/packs/" + target.pack_id + "/items", std::move(body))
                                               : Target::request("PATCH", "/api/packs/" + target.pack_id, std::move(body));
    r.headers["authorization"] = "Bearer " + target.token;
    const auto response = target.app->handle(r);
    if (response.status >= 500 && response.status != 503) std::abort();
    return 0;
}
