// The configuration layers of cli/config.h: defaults < file < environment < flags.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cli/args.h"
#include "cli/config.h"

namespace fs = std::filesystem;
using mandala::cli::Args;
using mandala::cli::ConfigSources;
using mandala::cli::load_config;
using mandala::cli::UsageError;

namespace {

struct TempIni {
    fs::path path;
    explicit TempIni(const std::string& text, const std::string& name = "mandala-test.ini")
        : path(fs::temp_directory_path() / ("cfg-" + std::to_string(::getpid()) + "-" + name)) {
        std::ofstream(path) << text;
    }
    ~TempIni() { fs::remove(path); }
};

ConfigSources bare() {
    ConfigSources s;
    s.installed_data_dir = "/opt/mandala/share/mandala";
    return s;
}

}  // namespace

TEST_CASE("with nothing configured every setting has its default", "[cli][config]") {
    const auto c = load_config(bare());
    CHECK(c.db == "data");
    CHECK(c.port == 8080);
    CHECK(c.threads == 16);
    CHECK(c.flush_threshold == 1000);
    CHECK(c.data_dir == "/opt/mandala/share/mandala");
    CHECK(c.word_lists.size() == 2);
    CHECK(c.settings.at("paths.db").origin == "default");
}

TEST_CASE("a file overrides the defaults, the environment the file, a flag the environment", "[cli][config]") {
    const TempIni ini("[paths]\ndb = /srv/index\ncorpus = /srv/a:/srv/b\n[serve]\nport = 9000\nthreads = 4\n");
    ConfigSources s = bare();
    s.standard_files = {"/nonexistent/mandala.ini", ini.path};
    s.environment = {{"MANDALA_PORT", "9100"}};
    const auto c = load_config(s);
    CHECK(c.db == "/srv/index");
    CHECK(c.corpus_dirs == std::vector<fs::path>{"/srv/a", "/srv/b"});
    CHECK(c.threads == 4);
    CHECK(c.port == 9100);
    CHECK(c.settings.at("paths.db").origin == "file " + ini.path.string());
    CHECK(c.settings.at("serve.port").origin == "environment MANDALA_PORT");

    const Args args({"--port", "9200", "--corpus", "x", "--corpus", "y"}, {"--port", "--corpus"}, {});
    const auto f = c.with_flags(args);
    CHECK(f.port == 9200);
    CHECK(f.corpus_dirs == std::vector<fs::path>{"x", "y"});
    CHECK(f.settings.at("serve.port").origin == "flag --port");
    CHECK(f.db == "/srv/index");  // untouched by flags the command was not given
}

TEST_CASE("a named configuration file (--config) is read alone, and a missing one is an error", "[cli][config]") {
    const TempIni standard("[paths]\ndb = from-standard\n", "standard.ini");
    const TempIni chosen("[serve]\nhost = 0.0.0.0\n", "chosen.ini");
    ConfigSources s = bare();
    s.standard_files = {standard.path};
    s.explicit_file = chosen.path;
    const auto c = load_config(s);
    CHECK(c.db == "data");
    CHECK(c.host == "0.0.0.0");

    s.explicit_file = "/nonexistent/mandala.ini";
    CHECK_THROWS_WITH(load_config(s), Catch::Contains("cannot read the configuration file /nonexistent/mandala.ini"));
}

TEST_CASE("an unknown key or an unusable value names the setting and where it came from", "[cli][config]") {
    const TempIni typo("[serve]\nprot = 80\n");
    ConfigSources s = bare();
    s.explicit_file = typo.path;
    CHECK_THROWS_AS(load_config(s), UsageError);
    CHECK_THROWS_WITH(load_config(s), Catch::Contains("unknown setting 'serve.prot'"));

    ConfigSources e = bare();
    e.environment = {{"MANDALA_PORT", "eighty"}};
    CHECK_THROWS_WITH(load_config(e), Catch::Contains("serve.port (environment MANDALA_PORT) must be a whole number from 0 to 65535"));
    e.environment = {{"MANDALA_THREADS", "0"}};
    CHECK_THROWS_WITH(load_config(e), Catch::Contains("serve.threads"));
    e.environment = {{"XAPIAN_FLUSH_THRESHOLD", "-3"}};
    CHECK_THROWS_WITH(load_config(e), Catch::Contains("index.flush_threshold"));

    const auto c = load_config(bare());
    const Args bad({"--db", ""}, {"--db"}, {});
    CHECK_THROWS_WITH(c.with_flags(bad), Catch::Contains("paths.db (flag --db) must be a folder"));
}

TEST_CASE("the data folder comes from the global flag over the environment", "[cli][config]") {
    ConfigSources s = bare();
    s.environment = {{"MANDALA_DATA_DIR", "/from/env"}};
    CHECK(load_config(s).data_dir == "/from/env");
    s.global_flags["--data-dir"] = {"/from/flag"};
    const auto c = load_config(s);
    CHECK(c.data_dir == "/from/flag");
    CHECK(c.settings.at("paths.data_dir").origin == "flag --data-dir");
}

TEST_CASE("the standard files follow XDG_CONFIG_HOME, else HOME", "[cli][config]") {
    using mandala::cli::standard_config_files;
    CHECK(standard_config_files({{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}}) ==
          std::vector<fs::path>{"/etc/mandala/mandala.ini", "/x/mandala/mandala.ini"});
    CHECK(standard_config_files({{"HOME", "/h"}}) ==
          std::vector<fs::path>{"/etc/mandala/mandala.ini", "/h/.config/mandala/mandala.ini"});
}

TEST_CASE("mandala config shows each value's origin and never the admin token", "[cli][config]") {
    ConfigSources s = bare();
    s.environment = {{"MANDALA_ADMIN_TOKEN", "s3cret-token"}, {"MANDALA_DB", "/srv/db"}};
    const auto c = load_config(s);
    const std::string text = describe(c, false);
    CHECK_THAT(text, Catch::Contains("environment MANDALA_DB"));
    CHECK_THAT(text, Catch::Contains("(set)"));
    CHECK_THAT(text, !Catch::Contains("s3cret-token"));
    const std::string json = describe(c, true);
    CHECK_THAT(json, Catch::Contains("\"origin\": \"environment MANDALA_DB\""));
    CHECK_THAT(json, !Catch::Contains("s3cret-token"));
}
