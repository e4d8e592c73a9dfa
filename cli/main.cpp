// The `mandala` command: a table of subcommands and the one place where errors become messages.
#include <xapian.h>

#include <array>
#include <iostream>
#include <string_view>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/sqlite.h"
#include "indexer/store.h"
#include "text/errors.h"

namespace {

using mandala::cli::Arguments;

struct Command {
    std::string_view name;
    int (*run)(const Arguments&);
    std::string_view summary;
    bool own_help = false;  // the command prints a fuller usage for --help itself
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
};

void usage(std::ostream& out) {
    out << "usage: mandala COMMAND [OPTIONS]\n\ncommands:\n";
    for (const auto& c : kCommands) out << "  " << c.summary << "\n";
}

// Maps every error to a message and an exit status: 2 usage, 1 everything else.
int report(const std::exception& e, int status) {
    std::cerr << "mandala: " << e.what() << "\n";
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    mandala::indexer::tune_xapian_writes();  // sets an environment variable: before any thread starts
    if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
        usage(argc < 2 ? std::cerr : std::cout);
        return argc < 2 ? 2 : 0;
    }
    const std::string_view name = argv[1];
    Arguments args(argv + 2, argv + argc);
    for (const auto& c : kCommands) {
        if (c.name != name) continue;
        const bool help = !args.empty() && (args.front() == "--help" || args.front() == "-h");
        if (help && !c.own_help) {
            std::cout << "usage: mandala " << c.summary << "\n";
            return 0;
        }
        if (help) args.front() = "--help";
        try {
            return c.run(args);
        } catch (const mandala::cli::UsageError& e) {
            return report(e, 2);
        } catch (const mandala::Error& e) {
            return report(e, 1);
        } catch (const mandala::indexer::SqliteError& e) {
            return report(e, 1);
        } catch (const Xapian::Error& e) {
            std::cerr << "mandala: index error: " << e.get_description() << "\n";
            return 1;
        } catch (const std::exception& e) {
            return report(e, 1);
        }
    }
    std::cerr << "mandala: unknown command '" << name << "'\n";
    usage(std::cerr);
    return 2;
}
