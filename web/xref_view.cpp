#include "web/xref_view.h"

#include "search/xref.h"
#include "text/errors.h"

namespace mandala::web {
namespace fs = std::filesystem;
using Poco::JSON::Object;

Object::Ptr mission_view(const fs::path& db_dir, const std::string& key) { return search::to_json(search::xref_mission(db_dir, key)); }

Object::Ptr missions_view(const fs::path& db_dir) {
    Object::Ptr o = new Object;
    o->set("missions", search::to_json(search::list_entities(db_dir, "mission"))->get("entities"));
    return o;
}

Object::Ptr category_view(const fs::path& db_dir, const fs::path& taxonomy_file, const std::string& id) {
    return search::to_json(search::xref_category(db_dir, id, taxonomy_file));
}

Object::Ptr acronym_view(const fs::path& db_dir, const std::string& acronym) {
    return search::to_json(search::xref_acronym(db_dir, acronym));
}

Object::Ptr passage_xref_view(const fs::path& db_dir, const std::string& id) {
    try {
        return search::to_json(search::xref_passage(db_dir, id));
    } catch (const NotFound&) {
        return nullptr;  // an index written before cross-references were stored
    }
}

}  // namespace mandala::web
