// `mandala lineage MISSION [--db DIR] [--json] [--export html|docx --output FILE]`: the documents
// about one mission in date order, with its predecessors and successors, each document's task
// profile, and for each consecutive pair the aligned paragraphs with their word diffs, the sentences
// added and removed, and the tasks gained and lost.
#include <fstream>
#include <iomanip>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "search/lineage.h"
#include "web/lineage_pack.h"

namespace mandala::cli {
namespace {

constexpr const char* kUsage = "usage: mandala lineage MISSION [--db DIR] [--json] [--export html|docx --output FILE]";

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string label(const search::LineageDocument& d) {
    return (d.date.empty() ? (d.year ? std::to_string(d.year) : std::string("----")) : d.date) + "  " + d.doc;
}

void print_profile(const search::TaskProfile& p) {
    for (const auto& t : p.tasks)
        std::cout << "    " << std::left << std::setw(12) << search::strength_name(t.strength) << " " << t.category << "  «" << t.sentence
                  << "»\n";
}

// "[-removed-]{+added+}" inline, as word diffs are usually shown in a terminal.
std::string inline_diff(const std::vector<search::DiffSpan>& diff) {
    std::string out;
    for (const auto& s : diff) {
        if (s.op == search::DiffOp::equal) out += s.text;
        else if (s.op == search::DiffOp::added) out += "{+" + s.text + "+}";
        else out += "[-" + s.text + "-]";
    }
    return out;
}

void print_links(const search::Lineage& l, const search::LineageStep& s) {
    const auto& a = l.documents[s.before];
    const auto& b = l.documents[s.after];
    for (std::size_t i = 0; i < s.links.size(); ++i) {
        const auto& link = s.links[i];
        if (link.added()) std::cout << "    + ¶" << link.after + 1 << "  " << b.paragraphs[link.after].text << "\n";
        else if (link.removed()) std::cout << "    - ¶" << link.before + 1 << "  " << a.paragraphs[link.before].text << "\n";
        else if (link.moved || !link.same())
            std::cout << "    " << (link.moved ? "> " : "~ ") << "¶" << link.before + 1 << "→¶" << link.after + 1 << "  "
                      << (link.same() ? b.paragraphs[link.after].text : inline_diff(s.diffs[i])) << "\n";
    }
}

void print_step(const search::Lineage& l, const search::LineageStep& s) {
    std::size_t same = 0;
    for (const auto& link : s.links) same += link.same() && !link.moved;
    std::cout << "\n" << label(l.documents[s.before]) << "  →  " << label(l.documents[s.after]) << "\n  paragraphs: " << same
              << " unchanged\n";
    print_links(l, s);
    for (const auto& x : s.sentences.added) std::cout << "  sentence added: " << x << "\n";
    for (const auto& x : s.sentences.removed) std::cout << "  sentence removed: " << x << "\n";
    for (const auto& t : s.tasks.gained) std::cout << "  task gained: " << t.category << " (" << search::strength_name(t.strength) << ")\n";
    for (const auto& t : s.tasks.lost) std::cout << "  task lost: " << t.category << " (" << search::strength_name(t.strength) << ")\n";
    for (const auto& c : s.tasks.strength)
        std::cout << "  task " << c.after.category << ": " << search::strength_name(c.before.strength) << " → "
                  << search::strength_name(c.after.strength) << "\n";
}

void print(const search::Lineage& l) {
    std::cout << l.mission << (l.name.empty() ? "" : "  " + l.name) << "\n";
    if (!l.predecessors.empty()) std::cout << "  predecessors: " << join(l.predecessors) << "\n";
    if (!l.successors.empty()) std::cout << "  successors: " << join(l.successors) << "\n";
    std::cout << l.documents.size() << " documents\n";
    for (std::size_t i = 0; i < l.documents.size(); ++i) {
        std::cout << "  " << label(l.documents[i]) << "  " << l.documents[i].title << "\n";
        print_profile(l.profiles[i]);
    }
    for (const auto& s : l.steps) print_step(l, s);
}

void export_to(const search::Lineage& l, const std::string& db, const std::string& format, const std::string& file) {
    const auto pack = web::lineage_pack(l, db);
    const std::string body = format == "html" ? web::export_html(pack) : web::export_docx(pack);
    std::ofstream out(file, std::ios::binary);
    if (!out || !out.write(body.data(), static_cast<std::streamsize>(body.size())))
        throw InputError("cannot write '" + file + "'");
}

}  // namespace

int run_lineage(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db", "--export", "--output"}, {"--json"});
    if (args.positionals().size() != 1) throw UsageError(kUsage);
    const std::string db = db_dir(args, config);
    const auto lineage = search::mission_lineage(db, args.positionals().front());
    if (args.has("--export")) {
        const std::string format = args.value("--export");
        if (format != "html" && format != "docx") throw UsageError("--export must be html or docx");
        if (!args.has("--output")) throw UsageError("--export needs --output FILE");
        export_to(lineage, db, format, args.value("--output"));
        return 0;
    }
    if (args.has("--json")) std::cout << search::to_json(lineage) << "\n";
    else print(lineage);
    return 0;
}

}  // namespace mandala::cli
