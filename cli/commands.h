#pragma once
// Every subcommand has this signature: arguments after the subcommand name, exit status back.
// Errors a user can cause are thrown as mandala::Error and turned into messages by main().
#include <string>
#include <vector>

namespace mandala::cli {

using Arguments = std::vector<std::string>;

// Indexing and what the index holds.
int run_index(const Arguments& args);
int run_stats(const Arguments& args);
int run_export(const Arguments& args);
int run_outline(const Arguments& args);

// Taxonomy and entities.
int run_tag(const Arguments& args);
int run_xref(const Arguments& args);
int run_entities(const Arguments& args);

// Search.
int run_search(const Arguments& args);
int run_related(const Arguments& args);
int run_trace(const Arguments& args);
int run_lineage(const Arguments& args);

// Evaluation against the gold sets: `eval tagging ...`, `eval search ...`, `eval entities ...`,
// `eval dates ...`.
int run_eval(const Arguments& args);
int run_eval_tagging(const Arguments& args);
int run_eval_search(const Arguments& args);
int run_eval_entities(const Arguments& args);
int run_eval_dates(const Arguments& args);

// The web service.
int run_serve(const Arguments& args);

}  // namespace mandala::cli
