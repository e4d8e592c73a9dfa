#include "cli/config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/args.h"
#include "web/config.h"

namespace mandala::cli {
namespace fs = std::filesystem;

namespace {

// Every setting: its key in the file ("section.key"), the variable and the flag that may set it,
// and its default ("" for data_dir: the installed data folder).
struct Key {
    const char* name;
    const char* variable;
    const char* flag;
    const char* fallback;
};

constexpr Key kKeys[] = {
    {"paths.data_dir", "MANDALA_DATA_DIR", "--data-dir", ""},
    {"paths.db", "MANDALA_DB", "--db", "data"},
    {"paths.corpus", "MANDALA_CORPUS", "--corpus", "../shared/corpus"},
    {"paths.word_lists", "MANDALA_WORDLISTS", "", "/usr/share/dict/american-english:/usr/share/dict/british-english"},
    {"index.flush_threshold", "XAPIAN_FLUSH_THRESHOLD", "", "1000"},
    {"serve.host", "MANDALA_HOST", "--host", "127.0.0.1"},
    {"serve.port", "MANDALA_PORT", "--port", "8080"},
    {"serve.threads", "MANDALA_THREADS", "--threads", "16"},
    {"serve.queue", "", "--queue", "256"},
    {"serve.max_connections", "", "--max-connections", "1024"},
    {"serve.request_timeout", "", "--request-timeout", "10"},
    {"serve.min_rate", "", "--min-rate", "1024"},
    {"serve.search_cache_mb", "MANDALA_SEARCH_CACHE_MB", "--search-cache-mb", "64"},
    {"serve.time_limit", "MANDALA_TIME_LIMIT", "--time-limit", "5"},
    {"serve.static_dir", "MANDALA_STATIC", "--static", ""},
    {"serve.admin_token", "MANDALA_ADMIN_TOKEN", "", ""},
};

using Values = std::map<std::string, SettingValue>;

const Key* find_key(const std::string& name) {
    for (const Key& k : kKeys)
        if (name == k.name) return &k;
    return nullptr;
}

Values defaults(const ConfigSources& sources) {
    Values v;
    for (const Key& k : kKeys) v[k.name] = {k.fallback, "default"};
    v["paths.data_dir"].text = sources.installed_data_dir.string();
    return v;
}

// The keys of an .ini file, "section.key", recursively through Poco's configuration view.
void collect_keys(const Poco::Util::AbstractConfiguration& conf, const std::string& prefix, std::vector<std::string>& out) {
    Poco::Util::AbstractConfiguration::Keys keys;
    conf.keys(prefix, keys);
    if (keys.empty() && !prefix.empty()) out.push_back(prefix);
    for (const auto& k : keys) collect_keys(conf, prefix.empty() ? k : prefix + "." + k, out);
}

void read_file(Values& values, const fs::path& file) {
    if (!std::ifstream(file)) throw UsageError("cannot read the configuration file " + file.string());
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini;
    try {
        ini = new Poco::Util::IniFileConfiguration(file.string());
    } catch (const Poco::Exception& e) {
        throw UsageError("configuration file " + file.string() + ": " + e.displayText());
    }
    std::vector<std::string> keys;
    collect_keys(*ini, "", keys);
    for (const auto& key : keys) {
        if (!find_key(key))
            throw UsageError("configuration file " + file.string() + ": unknown setting '" + key +
                             "' (`mandala config` lists the settings)");
        values[key] = {ini->getString(key), "file " + file.string()};
    }
}

void read_environment(Values& values, const std::map<std::string, std::string>& environment) {
    for (const Key& k : kKeys) {
        if (!*k.variable) continue;
        auto it = environment.find(k.variable);
        if (it != environment.end() && !it->second.empty()) values[k.name] = {it->second, std::string("environment ") + k.variable};
    }
}

std::string join_paths(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ":") + p;
    return out;
}

std::vector<fs::path> path_list(const std::string& text) {
    std::vector<fs::path> out;
    std::string_view rest(text);
    while (!rest.empty()) {
        const std::size_t colon = rest.find(':');
        if (colon != 0) out.emplace_back(std::string(rest.substr(0, colon)));
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return out;
}

[[noreturn]] void bad_value(const std::string& key, const SettingValue& v, const std::string& expected) {
    throw UsageError(key + " (" + v.origin + ") must be " + expected + ", got '" + v.text + "'");
}

long long whole(const Values& values, const std::string& key, long long min, long long max) {
    const SettingValue& v = values.at(key);
    errno = 0;
    char* end = nullptr;
    const long long n = std::strtoll(v.text.c_str(), &end, 10);
    if (v.text.empty() || *end || errno == ERANGE || n < min || n > max)
        bad_value(key, v, "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return n;
}

double seconds(const Values& values, const std::string& key, double max) {
    const SettingValue& v = values.at(key);
    char* end = nullptr;
    const double s = std::strtod(v.text.c_str(), &end);
    if (v.text.empty() || *end || !(s > 0) || s > max) bad_value(key, v, "a number of seconds above 0, at most " + std::to_string(static_cast<int>(max)));
    return s;
}

// The name a user knows a value's source by: the flag, the variable, the key in its file.
std::string source_name(const std::string& key, const SettingValue& v) {
    if (v.origin.starts_with("flag ")) return v.origin.substr(5);
    if (v.origin.starts_with("environment ")) return v.origin.substr(12);
    if (v.origin.starts_with("file ")) return key + " in " + v.origin.substr(5);
    return key;
}

fs::path non_empty_path(const Values& values, const std::string& key) {
    const SettingValue& v = values.at(key);
    if (v.text.empty()) bad_value(key, v, "a folder");
    return v.text;
}

void fill_paths(Config& c, const Values& v) {
    c.data_dir = non_empty_path(v, "paths.data_dir");
    c.db = non_empty_path(v, "paths.db");
    c.corpus_dirs = path_list(v.at("paths.corpus").text);
    c.word_lists = path_list(v.at("paths.word_lists").text);
    c.static_dir = v.at("serve.static_dir").text;
    c.flush_threshold = static_cast<int>(whole(v, "index.flush_threshold", 1, 10'000'000));
}

void fill_service(Config& c, const Values& v) {
    c.host = v.at("serve.host").text;
    if (c.host.empty()) bad_value("serve.host", v.at("serve.host"), "a host name or address");
    c.port = static_cast<std::uint16_t>(whole(v, "serve.port", 0, 65535));
    c.threads = static_cast<std::size_t>(whole(v, "serve.threads", 1, 256));
    c.queue = static_cast<std::size_t>(whole(v, "serve.queue", 1, 10000));
    c.max_connections = static_cast<std::size_t>(whole(v, "serve.max_connections", 1, 100000));
    c.request_timeout = static_cast<int>(whole(v, "serve.request_timeout", 1, 600));
    c.min_rate = static_cast<std::size_t>(whole(v, "serve.min_rate", 0, 1 << 30));
    // Its range is checked with the service's own configuration (web::Config::validate).
    c.search_cache_mb = web::parse_search_cache_mb(v.at("serve.search_cache_mb").text,
                                                   source_name("serve.search_cache_mb", v.at("serve.search_cache_mb")));
    c.time_limit = seconds(v, "serve.time_limit", 60);
    c.admin_token = v.at("serve.admin_token").text;
}

Config typed(Values values) {
    Config c;
    fill_paths(c, values);
    fill_service(c, values);
    c.settings = std::move(values);
    return c;
}

}  // namespace

Config load_config(const ConfigSources& sources) {
    Values values = defaults(sources);
    if (sources.explicit_file) {
        read_file(values, *sources.explicit_file);
    } else {
        for (const auto& f : sources.standard_files)
            if (std::error_code ec; fs::exists(f, ec)) read_file(values, f);
    }
    read_environment(values, sources.environment);
    for (const auto& [flag, given] : sources.global_flags)
        for (const Key& k : kKeys)
            if (flag == k.flag && !given.empty()) values[k.name] = {given.back(), "flag " + flag};
    return typed(std::move(values));
}

Config Config::with_flags(const Args& args) const {
    Values values = settings;
    for (const Key& k : kKeys) {
        if (!*k.flag || !args.has(k.flag)) continue;
        const std::string text = std::string(k.name) == "paths.corpus" ? join_paths(args.values(k.flag)) : args.value(k.flag);
        values[k.name] = {text, std::string("flag ") + k.flag};
    }
    return typed(std::move(values));
}

std::vector<fs::path> standard_config_files(const std::map<std::string, std::string>& environment) {
    std::vector<fs::path> files{"/etc/mandala/mandala.ini"};
    auto get = [&](const char* name) {
        auto it = environment.find(name);
        return it == environment.end() ? std::string() : it->second;
    };
    if (const std::string xdg = get("XDG_CONFIG_HOME"); !xdg.empty()) files.push_back(fs::path(xdg) / "mandala" / "mandala.ini");
    else if (const std::string home = get("HOME"); !home.empty()) files.push_back(fs::path(home) / ".config" / "mandala" / "mandala.ini");
    return files;
}

std::vector<std::string> config_variables() {
    std::vector<std::string> out{"XDG_CONFIG_HOME", "HOME"};
    for (const Key& k : kKeys)
        if (*k.variable) out.emplace_back(k.variable);
    return out;
}

std::string describe(const Config& config, bool json) {
    // The token stays secret; an empty static folder means the data folder's web page.
    auto shown = [](const std::string& key, const std::string& text) {
        if (key == "serve.admin_token" && !text.empty()) return std::string("(set)");
        if (key == "serve.static_dir" && text.empty()) return std::string("(the data folder's web/)");
        return text;
    };
    std::ostringstream out;
    if (json) {
        Poco::JSON::Object root;
        for (const auto& [key, v] : config.settings) {
            Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
            entry->set("value", shown(key, v.text));
            entry->set("origin", v.origin);
            root.set(key, entry);
        }
        root.stringify(out, 2);
        out << "\n";
        return out.str();
    }
    for (const auto& [key, v] : config.settings) {
        std::string value = shown(key, v.text);
        if (value.empty()) value = "(empty)";
        out << key << std::string(key.size() < 24 ? 24 - key.size() : 1, ' ') << value
            << std::string(value.size() < 44 ? 44 - value.size() : 1, ' ') << v.origin << "\n";
    }
    return out.str();
}

}  // namespace mandala::cli
