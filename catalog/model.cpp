#include "catalog/model.h"

namespace mandala::catalog {

const char* to_string(PassageKind k) {
    switch (k) {
        case PassageKind::paragraph: return "paragraph";
        case PassageKind::list: return "list";
        case PassageKind::footnote: return "footnote";
        case PassageKind::table_row: return "table-row";
        case PassageKind::caption: return "caption";
    }
    return "paragraph";
}

}  // namespace mandala::catalog
