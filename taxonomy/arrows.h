#pragma once
// Related categories from the glossary's see-also arrows. Every noisy arrow form is already the
// canonical "→" after text::clean_block; a category label right after it is a link from the
// category of the section holding the arrow. Labels listed after a linked label without their own
// arrow ("→ Children and Armed Conflict. Rule of Law. → Policing") are linked too: the arrow was
// lost in extraction but the list goes on.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "taxonomy/taxonomy.h"

namespace mandala::text {
class Analyzer;
}

namespace mandala::taxonomy {

struct ArrowLink {
    std::string from;      // category of the section holding the arrow
    std::string to;        // category named after the arrow
    std::string surface;   // the label as written, e.g. "Police"
    bool continued = false;  // named in a list after an arrow rather than after its own arrow
};

// Matches category labels (prefLabel, altLabels, acronyms) on stems, longest first.
class LabelMatcher {
public:
    explicit LabelMatcher(const Taxonomy& taxonomy);
    // Arrow links in one cleaned passage of a section whose category is `from`.
    std::vector<ArrowLink> links(std::string_view from, std::string_view passage_text,
                                 const text::Analyzer& analyzer) const;

private:
    struct Label {
        std::string category;
        std::vector<std::string> stems;
    };
    std::vector<Label> labels_;  // longest first
};

// Convenience for the indexer: (from, to) pairs of one passage, self-links dropped.
std::vector<std::pair<std::string, std::string>> related_from_arrows(const Taxonomy& taxonomy,
                                                                     std::string_view section_category,
                                                                     std::string_view passage_text);

// All links of a glossary file whose sections are declared as exemplars in the taxonomy,
// deduplicated, with evidence "<doc>, <SECTION>: → <label>". Ordered by (from, to).
std::vector<std::pair<std::string, Related>> related_from_glossary(const Taxonomy& taxonomy,
                                                                   const std::filesystem::path& glossary);

}  // namespace mandala::taxonomy
