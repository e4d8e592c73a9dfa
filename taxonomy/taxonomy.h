#pragma once
// The task-category taxonomy as data: what taxonomy/task-categories.json holds, parsed once.
// Close to SKOS (prefLabel, altLabel, scopeNote, related) so it exports cleanly (see skos.h).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mandala::taxonomy {

// A see-also link between two categories and the text that justifies it.
struct Related {
    std::string category;  // id of the target category
    std::string evidence;  // e.g. "zif-missions-and-mandates-2018.txt, HUMAN RIGHTS: → Policing"
};

// A section of a corpus document whose passages exemplify a category (training material).
struct ExemplarSource {
    std::string doc;      // file name in the corpus folder
    std::string section;  // glossary heading ("HUMAN RIGHTS") or section number ("4.6")
};

struct Category {
    std::string id;
    std::string pref_label;
    std::vector<std::string> alt_labels;     // includes the acronyms
    std::vector<std::string> acronyms;       // matched case-sensitively on the surface text
    std::string scope_note;
    std::vector<std::string> key_terms;      // terms and phrases that signal the category
    std::vector<std::string> support_terms;  // weaker, more ambiguous signals
    std::vector<Related> related;
    std::vector<ExemplarSource> exemplars;
};

struct Taxonomy {
    std::string scheme_id;
    std::string scheme_label;
    std::string namespace_uri;  // base of the concept URIs in the SKOS export
    std::vector<Category> categories;
    std::vector<ExemplarSource> no_category_exemplars;  // passages about no task category
    // Passages about no task category written by us from the rubric (leadership, budgets,
    // staffing, coordination, procedure): training material that belongs to no corpus document.
    std::vector<std::string> authored_no_category;

    const Category* find(std::string_view id) const;
    std::vector<std::string> ids() const;
};

// Throws mandala::InputError when the JSON is malformed or misses a required field.
Taxonomy parse_taxonomy(std::string_view json);
Taxonomy load_taxonomy(const std::filesystem::path& file);

// Folder holding task-categories.json and model.json: taxonomy/ in Mandala's data folder
// (text/data_files.h); data::MissingDataFile when it is not there.
std::filesystem::path default_taxonomy_dir();

inline constexpr std::string_view kTaxonomyFile = "task-categories.json";
inline constexpr std::string_view kModelFile = "model.json";

}  // namespace mandala::taxonomy
