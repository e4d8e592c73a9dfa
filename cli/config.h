#pragma once
// The one configuration of the `mandala` command, built once in main() and passed down by const
// reference: defaults, then a configuration file (/etc/mandala/mandala.ini, then
// $XDG_CONFIG_HOME/mandala/mandala.ini, or only the file given with --config), then the
// environment, then the command's flags. Each layer overrides the one before; every value is
// validated once, here. `mandala config` prints the values in effect and where each came from.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mandala::cli {

class Args;

// A setting's value as text and where it came from ("default", "file /etc/...", "environment
// MANDALA_DB", "flag --db").
struct SettingValue {
    std::string text;
    std::string origin;
};

// What the layers below the flags are read from. main() fills it from the process; tests fill it
// by hand.
struct ConfigSources {
    std::optional<std::filesystem::path> explicit_file;   // --config FILE: read only this file
    std::vector<std::filesystem::path> standard_files;    // read when present, in order
    std::map<std::string, std::string> environment;       // variable -> value, only those set
    std::map<std::string, std::vector<std::string>> global_flags;  // --data-dir
    std::filesystem::path installed_data_dir;             // the default data folder
};

struct Config {
    std::filesystem::path data_dir;
    std::filesystem::path db;
    std::vector<std::filesystem::path> corpus_dirs;
    std::vector<std::filesystem::path> word_lists;
    int flush_threshold = 1000;
    // mandala serve
    std::string host;
    std::uint16_t port = 8080;
    std::size_t threads = 16;
    std::size_t queue = 256;
    std::size_t max_connections = 1024;
    int request_timeout = 10;
    std::size_t min_rate = 1024;
    long long search_cache_mb = 64;
    double time_limit = 5.0;
    std::filesystem::path static_dir;   // empty: web/ in the data folder
    std::string admin_token;            // empty: the admin endpoints are off

    // Every setting, by key ("serve.port"), as text with its origin.
    std::map<std::string, SettingValue> settings;

    // This configuration with the flags a command was given laid over it (those of the table below
    // that the command declares), validated again.
    Config with_flags(const Args& args) const;
};

// Reads the files, the environment and the global flags over the defaults; UsageError names the
// setting, where its value came from and what is allowed when a value is unusable, and an
// unreadable --config file or an unknown key in a file.
Config load_config(const ConfigSources& sources);

// The standard configuration files: /etc/mandala/mandala.ini, then
// $XDG_CONFIG_HOME/mandala/mandala.ini (default $HOME/.config/mandala/mandala.ini).
std::vector<std::filesystem::path> standard_config_files(const std::map<std::string, std::string>& environment);

// The environment variables a setting can come from (those also read by main()).
std::vector<std::string> config_variables();

// `mandala config [--json]` and the settings' keys, variables and flags as a table.
std::string describe(const Config& config, bool json);

}  // namespace mandala::cli
