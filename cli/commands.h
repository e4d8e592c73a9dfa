#pragma once
// Every subcommand has this signature: arguments after the subcommand name, exit status back.
// Errors a user can cause are thrown as mandala::Error and turned into messages by main().
#include <string>
#include <vector>

namespace mandala::cli {

using Arguments = std::vector<std::string>;

int run_index(const Arguments& args);
int run_stats(const Arguments& args);
int run_export(const Arguments& args);
int run_outline(const Arguments& args);

}  // namespace mandala::cli
