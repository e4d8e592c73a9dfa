#pragma once
// Abbreviation tables: rows of "ACRONYM<TAB>Expansion", including rows that text extraction ran
// together ("SSR UN UNAMA<TAB>Security Sector Reform United Nations UN Assistance Mission in
// Afghanistan"), which are split by aligning acronym letters with word initials.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/model.h"

namespace mandala::indexer {

// Collects (acronym, expansion) pairs row by row. It remembers the acronyms already defined,
// which is what reveals a row that extraction ran together with the rows before it.
class AbbreviationTable {
public:
    void add_row(std::string_view row);
    // The pairs found; where rows ran together and one expansion landed on two acronyms, the
    // acronym that has an expansion of its own elsewhere in the table gives it up.
    std::vector<AcronymPair> pairs() const;

private:
    std::vector<AcronymPair> parse_row(std::string_view row);
    bool peel_known_prefix(std::vector<std::string>& tokens, std::vector<std::string>& words) const;
    std::map<std::string, std::string> known_;  // acronym -> first expansion
    std::vector<AcronymPair> pairs_;
};

// Splits `words` into `acronyms.size()` consecutive expansions, best alignment of initials.
std::vector<std::string> align_expansions(const std::vector<std::string>& acronyms,
                                          const std::vector<std::string>& words);

}  // namespace mandala::indexer
