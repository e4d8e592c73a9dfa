#pragma once
// The search subcommands (registered in cli/main.cpp): search, related, trace, eval search.
#include <string>
#include <vector>

namespace mandala::cli {

int run_search(const std::vector<std::string>& args);
int run_related(const std::vector<std::string>& args);
int run_trace(const std::vector<std::string>& args);
int run_eval_search(const std::vector<std::string>& args);

}  // namespace mandala::cli
