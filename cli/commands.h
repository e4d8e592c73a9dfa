#pragma once
// Every subcommand has this signature: arguments after the subcommand name and the configuration
// (cli/config.h; the command lays the flags it declares over it), exit status back.
// Errors a user can cause are thrown as mandala::Error and turned into messages by main().
#include <string>
#include <vector>

#include "cli/config.h"

namespace mandala::cli {

using Arguments = std::vector<std::string>;

// Indexing and what the index holds.
int run_index(const Arguments& args, const Config& config);
int run_stats(const Arguments& args, const Config& config);
int run_export(const Arguments& args, const Config& config);
int run_outline(const Arguments& args, const Config& config);

// Taxonomy and entities.
int run_tag(const Arguments& args, const Config& config);
int run_xref(const Arguments& args, const Config& config);
int run_entities(const Arguments& args, const Config& config);

// Search.
int run_search(const Arguments& args, const Config& config);
int run_related(const Arguments& args, const Config& config);
int run_trace(const Arguments& args, const Config& config);
int run_lineage(const Arguments& args, const Config& config);

// Evaluation against the gold sets: `eval tagging ...`, `eval search ...`, `eval entities ...`,
// `eval dates ...`.
int run_eval(const Arguments& args, const Config& config);
int run_eval_tagging(const Arguments& args, const Config& config);
int run_eval_search(const Arguments& args, const Config& config);
int run_eval_entities(const Arguments& args, const Config& config);
int run_eval_dates(const Arguments& args, const Config& config);

// The web service.
int run_serve(const Arguments& args, const Config& config);

// The configuration in effect and where each value came from.
int run_config(const Arguments& args, const Config& config);

}  // namespace mandala::cli
