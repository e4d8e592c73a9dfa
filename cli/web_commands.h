#pragma once
// The web subcommand (registered in cli/main.cpp): serve.
#include <string>
#include <vector>

namespace mandala::cli {

int run_serve(const std::vector<std::string>& args);

}  // namespace mandala::cli
