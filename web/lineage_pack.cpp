#include "web/lineage_pack.h"

namespace mandala::web {
namespace {

// Notes are bounded by the pack's own limit; a long diff is cut there.
std::string bounded(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    return s.substr(0, cut) + "…";
}

std::string label(const search::LineageDocument& d) {
    return d.doc + " (" + (d.date.empty() ? std::to_string(d.year) : d.date) + ")";
}

std::string diff_note(const std::vector<search::DiffSpan>& diff) {
    std::string added, removed;
    for (const auto& s : diff) {
        if (s.op == search::DiffOp::added) added += (added.empty() ? "" : " … ") + s.text;
        if (s.op == search::DiffOp::removed) removed += (removed.empty() ? "" : " … ") + s.text;
    }
    std::string out = "edited";
    if (!added.empty()) out += "; added: «" + added + "»";
    if (!removed.empty()) out += "; removed: «" + removed + "»";
    return out;
}

std::string tasks_line(const search::Lineage& l, const search::LineageStep& s) {
    auto names = [](const std::vector<search::TaskEntry>& tasks) {
        std::string out;
        for (const auto& t : tasks) out += (out.empty() ? "" : ", ") + t.category + " (" + std::string(search::strength_name(t.strength)) + ")";
        return out.empty() ? std::string("none") : out;
    };
    std::string strength;
    for (const auto& c : s.tasks.strength)
        strength += "; " + c.after.category + " " + std::string(search::strength_name(c.before.strength)) + " → " +
                    std::string(search::strength_name(c.after.strength));
    return label(l.documents[s.after]) + " against " + label(l.documents[s.before]) + ": tasks gained " + names(s.tasks.gained) +
           "; lost " + names(s.tasks.lost) + strength + ". ";
}

void add_step(const search::Lineage& l, const search::LineageStep& s, Pack& pack) {
    const auto& before = l.documents[s.before];
    const auto& after = l.documents[s.after];
    for (std::size_t i = 0; i < s.links.size() && pack.items.size() < Pack::kMaxItems; ++i) {
        const auto& link = s.links[i];
        if (link.same() && !link.moved) continue;
        // A lead-in heading kept as a paragraph has no passage to cite.
        const bool cited = link.added() ? !after.paragraphs[link.after].id.empty()
                                        : link.removed() ? !before.paragraphs[link.before].id.empty() : !after.paragraphs[link.after].id.empty();
        if (!cited) continue;
        const std::string where = label(after) + " against " + label(before) + ": ";
        if (link.added()) pack.items.push_back({after.paragraphs[link.after].id, where + "added paragraph"});
        else if (link.removed()) pack.items.push_back({before.paragraphs[link.before].id, where + "removed paragraph"});
        else pack.items.push_back({after.paragraphs[link.after].id,
                                   bounded(where + (link.moved ? "moved; " : "") + (link.same() ? "same words" : diff_note(s.diffs[i])),
                                           Pack::kMaxNote)});
    }
}

}  // namespace

ResolvedPack lineage_pack(const search::Lineage& l, const std::filesystem::path& db_dir) {
    Pack pack;
    pack.title = bounded("Mandate lineage: " + l.mission + (l.name.empty() ? "" : " — " + l.name), Pack::kMaxTitle);
    std::string description = std::to_string(l.documents.size()) + " documents. ";
    for (const auto& s : l.steps) description += tasks_line(l, s);
    pack.description = bounded(description, Pack::kMaxDescription);
    for (const auto& s : l.steps) add_step(l, s, pack);
    return resolve(db_dir, pack);
}

}  // namespace mandala::web
