// The `mandala` command: a table of subcommands and the one place where errors become messages.
#include <xapian.h>

#include <array>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "catalog/sqlite.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "text/data_files.h"
#include "text/errors.h"

namespace {

namespace cli = mandala::cli;
using cli::Arguments;
namespace fs = std::filesystem;

struct Command {
    std::string_view name;
    int (*run)(const Arguments&, const cli::Config&);
    std::string_view summary;
    bool own_help = false;  // the command prints a fuller usage for --help itself
    bool needs_data = true;  // checks every data file before it starts (config checks after printing)
};

constexpr std::array kCommands = {
    Command{"index", mandala::cli::run_index, "index [--corpus DIR ...] [--db DIR] [--shards N]   build or update the index"},
    Command{"stats", mandala::cli::run_stats, "stats [--db DIR] [--json]             what the index holds"},
    Command{"export", mandala::cli::run_export, "export [--db DIR] [--format jsonl]    one passage per line"},
    Command{"outline", mandala::cli::run_outline, "outline DOC [--db DIR] [--json]       a document's section tree"},
    Command{"tag", mandala::cli::run_tag, "tag TEXT [--json]                     categories of a text, with evidence"},
    Command{"search", mandala::cli::run_search, "search QUERY [--filter F=V ...] [--shard LOC ...] [--batch] [--json]   ranked, faceted search"},
    Command{"related", mandala::cli::run_related, "related ID [--db DIR] [--shard L] [--json]  passages like this one"},
    Command{"trace", mandala::cli::run_trace, "trace PHRASE [--db DIR] [--shard L] [--form F] [--format text|csv|json]  a phrase and its variants by mission and year"},
    Command{"lineage", mandala::cli::run_lineage, "lineage MISSION [--db DIR] [--json] [--export html|docx --output F]  how a mission's mandate changed"},
    Command{"xref", mandala::cli::run_xref, "xref (mission|category|acronym|passage) KEY [--json]   cross-references"},
    Command{"entities", mandala::cli::run_entities, "entities [--type KIND] [--db DIR] [--json]   the entity registry with counts"},
    Command{"eval", mandala::cli::run_eval, "eval (tagging|search|entities|dates) ... figures against a gold set"},
    Command{"serve", mandala::cli::run_serve, "serve [--db DIR] [--port N] [--host H] [--shard LOC ...]   the web service and page", true},
    Command{"config", mandala::cli::run_config, "config [--json]                       the settings in effect and where each came from", false, false},
};

void usage(std::ostream& out) {
    out << "usage: mandala [--config FILE] [--data-dir DIR] COMMAND [OPTIONS]\n       mandala --version\n\ncommands:\n";
    for (const auto& c : kCommands) out << "  " << c.summary << "\n";
    out << "\noptions of every command:\n"
           "  --config FILE     read settings only from FILE (default: /etc/mandala/mandala.ini, then\n"
           "                    $XDG_CONFIG_HOME/mandala/mandala.ini; `mandala config` shows them)\n"
           "  --data-dir DIR    Mandala's data files (default: ../share/mandala beside the program)\n"
           "\nexit status: 0 done, 1 the work failed, 2 a usage error or a missing data file\n";
}

// Maps every error to a message and an exit status: 2 usage, 1 everything else.
int report(const std::exception& e, int status) {
    std::cerr << "mandala: " << e.what() << "\n";
    return status;
}

// --config FILE and --data-dir DIR may be given with any command, before "--": taken out of its
// arguments here.
struct GlobalOptions {
    std::optional<fs::path> config_file;
    std::vector<std::string> data_dir;
};

GlobalOptions take_global_options(Arguments& args) {
    GlobalOptions g;
    for (std::size_t i = 0; i < args.size() && args[i] != "--";) {
        const std::string a = args[i];
        const bool config = a == "--config" || a.starts_with("--config="), data = a == "--data-dir" || a.starts_with("--data-dir=");
        if (!config && !data) {
            ++i;
            continue;
        }
        std::string value;
        if (const auto eq = a.find('='); eq != std::string::npos) {
            value = a.substr(eq + 1);
            args.erase(args.begin() + static_cast<long>(i));
        } else {
            if (i + 1 >= args.size()) throw cli::UsageError("option " + a + " needs a value");
            value = args[i + 1];
            args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
        }
        if (config) g.config_file = value;
        else g.data_dir.push_back(value);
    }
    return g;
}

// The process's side of the configuration: the only place the environment is read.
cli::ConfigSources process_sources(const GlobalOptions& g) {
    cli::ConfigSources s;
    for (const auto& name : cli::config_variables())
        if (const char* v = std::getenv(name.c_str()); v && *v) s.environment[name] = v;
    s.explicit_file = g.config_file;
    s.standard_files = cli::standard_config_files(s.environment);
    if (!g.data_dir.empty()) s.global_flags["--data-dir"] = g.data_dir;
    s.installed_data_dir = mandala::data::installed_dir();
    return s;
}

// Hands the settings that libraries cannot take as arguments to the process, before any thread
// starts: the data locations, and Xapian's flush threshold, which Xapian reads only from its
// environment variable (pending postings are flushed into the open transaction every N passages,
// so a run still commits once; smaller batches keep indexing faster, bench/what-each-change-bought.md).
void apply_to_process(const cli::Config& config) {
    mandala::data::configure({config.data_dir, config.word_lists});
    ::setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(config.flush_threshold).c_str(), 1);
}

int run_command(const Command& c, const Arguments& args, const GlobalOptions& global, bool check_data) {
    try {
        const cli::Config config = cli::load_config(process_sources(global));
        apply_to_process(config);
        if (check_data) mandala::data::check_required();
        return c.run(args, config);
    } catch (const cli::UsageError& e) {
        return report(e, 2);
    } catch (const mandala::data::MissingDataFile& e) {
        return report(e, 2);
    } catch (const mandala::Error& e) {
        return report(e, 1);
    } catch (const mandala::catalog::SqliteError& e) {
        return report(e, 1);
    } catch (const Xapian::Error& e) {
        std::cerr << "mandala: index error: " << e.get_description() << "\n";
        return 1;
    } catch (const std::exception& e) {
        return report(e, 1);
    }
}

const Command* find_command(std::string_view name) {
    for (const auto& c : kCommands)
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    Arguments args(argv + 1, argv + argc);
    GlobalOptions global;
    try {
        global = take_global_options(args);
    } catch (const cli::UsageError& e) {
        return report(e, 2);
    }
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        usage(args.empty() ? std::cerr : std::cout);
        return args.empty() ? 2 : 0;
    }
    if (args.front() == "--version") {
        std::cout << "mandala " << MANDALA_VERSION << "\n";
        return 0;
    }
    const Command* c = find_command(args.front());
    if (!c) {
        std::cerr << "mandala: unknown command '" << args.front() << "'\n";
        usage(std::cerr);
        return 2;
    }
    args.erase(args.begin());
    const bool help = !args.empty() && (args.front() == "--help" || args.front() == "-h");
    if (help && !c->own_help) {
        std::cout << "usage: mandala " << c->summary << "\n";
        return 0;
    }
    if (help) args.front() = "--help";
    return run_command(*c, args, global, c->needs_data && !help);  // a usage text needs no data
}
