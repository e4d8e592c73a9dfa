#pragma once
// A reading pack resolved against the catalog (each item with its passage text and citation),
// and its exports: JSON, Markdown, self-contained print-friendly HTML and DOCX (Poco Zip + XML).
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "web/catalog.h"
#include "web/packs.h"

namespace mandala::web {

struct ResolvedItem {
    std::size_t position = 0;  // 1-based
    PackItem item;
    Citation citation;  // empty text when the passage is no longer indexed
    bool missing = false;
};

struct ResolvedPack {
    Pack pack;
    std::vector<ResolvedItem> items;
};

ResolvedPack resolve(const std::filesystem::path& db_dir, const Pack& pack);

Poco::JSON::Object::Ptr pack_json(const ResolvedPack& p);
std::string export_markdown(const ResolvedPack& p);
std::string export_html(const ResolvedPack& p);
std::string export_docx(const ResolvedPack& p);

std::string html_escape(const std::string& s);

}  // namespace mandala::web
