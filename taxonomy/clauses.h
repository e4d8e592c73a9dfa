#pragma once
// Clauses that change what a term inside them says about the passage's task. Mandates and studies
// name tasks they set aside as often as tasks they assign:
// - a proviso or exception ("without prejudice to the primary responsibility of the host State
//   ...", "except for ...", "other than ...", "unless ...", "provided that ...") names a task to
//   limit what the sentence says, not to give the mission that task: an aside;
// - an enumeration after "ranging from ... to ..." lists the breadth of a field as context: an
//   aside;
// - "outside (of) the scope / purview / remit / mandate of ..." says the task named in that clause
//   (before it: "most recovery efforts are outside the purview of the mission", or after it) is
//   not the passage's: excluded.
#include <span>
#include <string_view>
#include <vector>

#include "text/analyzer.h"

namespace mandala::taxonomy {

enum class ClauseRole { plain, aside, excluded };

// Per token of `tokens` (words of `text`, offsets into it): the role of the clause it stands in.
// The trigger words themselves are plain. A proviso or exclusion ends at the next comma, semicolon,
// colon, dash, line break or full stop (an exclusion also reaches back to the previous one); an
// enumeration ("ranging from") runs on over commas, since its items are separated by them, and
// ends at the others.
std::vector<ClauseRole> clause_roles(std::string_view text, std::span<const text::Token> tokens);

}  // namespace mandala::taxonomy
