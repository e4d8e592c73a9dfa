#pragma once
// Mission mentions of a whole document: names and acronyms of the registry, a name several
// missions share ("EUFOR") resolved from the rest of the document, "the Mission" resolved to the
// document's main mission, and misspelt acronyms of a mission the document names.
#include <set>
#include <string>
#include <vector>

#include "indexer/extract/entities.h"
#include "indexer/extract/phrases.h"

namespace mandala::indexer::extract {

struct MissionMatcher {
    const EntityRegistry& registry;
    const PhraseMatcher& phrases;                         // payload: index in `groups`
    const std::vector<std::vector<std::size_t>>& groups;  // missions sharing one phrase
};

// Mentions per passage (tokens[i] are passage i's tokens), each sorted by position.
// `places[i]` are the place keys passage i names; `year` is the document's (0 when unknown).
std::vector<std::vector<EntityMention>> find_mission_mentions(const SegmentedDocument& doc,
                                                              const std::vector<std::vector<text::Token>>& tokens,
                                                              const MissionMatcher& matcher,
                                                              const std::vector<std::set<std::string>>& places, int year);

}  // namespace mandala::indexer::extract
