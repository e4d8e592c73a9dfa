#include "cli/args.h"

#include <cstdlib>

#include "cli/config.h"

namespace mandala::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& switches) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string a = argv[i];
        if (a == "--") {
            positionals_.insert(positionals_.end(), argv.begin() + static_cast<long>(i) + 1, argv.end());
            break;
        }
        if (!a.starts_with("--") || a.size() == 2) {
            positionals_.push_back(a);
            continue;
        }
        std::string value;
        bool inline_value = false;
        if (auto eq = a.find('='); eq != std::string::npos) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
            inline_value = true;
        }
        if (valued.count(a)) {
            if (!inline_value) {
                if (i + 1 >= argv.size()) throw UsageError("option " + a + " needs a value");
                value = argv[++i];
            }
            values_[a].push_back(value);
        } else if (switches.count(a) && !inline_value) {
            switches_.insert(a);
        } else {
            throw UsageError("unknown option " + a);
        }
    }
}

std::string Args::value(const std::string& flag, const std::string& fallback) const {
    auto it = values_.find(flag);
    return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::values(const std::string& flag) const {
    auto it = values_.find(flag);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int Args::integer(const std::string& flag, int fallback, int min, int max) const {
    auto it = values_.find(flag);
    if (it == values_.end()) return fallback;
    const std::string& v = it->second.back();
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || n < min || n > max)
        throw UsageError(flag + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return static_cast<int>(n);
}

std::string db_dir(const Args& args, const Config& config) { return config.with_flags(args).db.string(); }

}  // namespace mandala::cli
