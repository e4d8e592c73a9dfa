#pragma once
// SKOS export of the taxonomy for other tools: JSON-LD and Turtle. Categories become
// skos:Concept (prefLabel, altLabel, hiddenLabel for key terms, scopeNote, related, notation = id)
// in one skos:ConceptScheme. The see-also evidence stays in task-categories.json: SKOS has no
// place for it.
#include <string>
#include <string_view>

#include "taxonomy/taxonomy.h"

namespace mandala::taxonomy {

std::string to_skos_jsonld(const Taxonomy& taxonomy);
std::string to_skos_turtle(const Taxonomy& taxonomy);

// Reads back what to_skos_jsonld wrote (labels, key terms, scope notes, relations; no evidence
// or exemplars). Throws mandala::InputError when the document is not such an export.
Taxonomy from_skos_jsonld(std::string_view jsonld);

}  // namespace mandala::taxonomy
