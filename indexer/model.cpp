#include "indexer/model.h"

namespace mandala::indexer {

const char* to_string(BlockKind k) {
    switch (k) {
        case BlockKind::paragraph: return "paragraph";
        case BlockKind::heading: return "heading";
        case BlockKind::list_item: return "list-item";
        case BlockKind::table_row: return "table-row";
    }
    return "paragraph";
}

}  // namespace mandala::indexer
