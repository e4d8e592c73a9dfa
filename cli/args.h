#pragma once
// Command-line arguments of one subcommand: flags with values (repeatable), switches, positionals.
// Every subcommand validates against the flags it declares, so a typo is an error, not ignored.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "text/errors.h"

namespace mandala::cli {

class UsageError : public InputError {
public:
    using InputError::InputError;
};

class Args {
public:
    // `valued`: flags that take a value ("--db"); `switches`: flags that do not ("--json").
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& switches);

    bool has(const std::string& flag) const { return switches_.count(flag) > 0 || values_.count(flag) > 0; }
    std::string value(const std::string& flag, const std::string& fallback = {}) const;
    std::vector<std::string> values(const std::string& flag) const;
    int integer(const std::string& flag, int fallback, int min, int max) const;
    const std::vector<std::string>& positionals() const { return positionals_; }

private:
    std::map<std::string, std::vector<std::string>> values_;
    std::set<std::string> switches_;
    std::vector<std::string> positionals_;
};

struct Config;

// The index folder: --db, else the configuration's (cli/config.h).
std::string db_dir(const Args& args, const Config& config);

}  // namespace mandala::cli
