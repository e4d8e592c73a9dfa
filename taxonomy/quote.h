#pragma once
// How gold quotes meet passages (shared/eval/README.md): NFKC, Markdown emphasis marks removed,
// whitespace folded to one space, case folded. Both sides go through the same function.
#include <string>
#include <string_view>

namespace mandala::taxonomy {

std::string normalize_for_quote_match(std::string_view s);

}  // namespace mandala::taxonomy
