#include "indexer/catalog.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "indexer/extract/dates.h"
#include "text/data_files.h"
#include "text/errors.h"

namespace mandala::indexer {

std::string slug(std::string_view stem) {
    std::string out;
    for (char c : stem) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u))
            out += static_cast<char>(std::tolower(u));
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "document" : out;
}

Catalog Catalog::load(const std::filesystem::path& file) {
    Catalog c;
    std::ifstream in(file);
    if (!in) return c;
    try {
        Poco::JSON::Parser parser;
        auto root = parser.parse(in).extract<Poco::JSON::Object::Ptr>();
        auto docs = root->getArray("documents");
        for (std::size_t i = 0; docs && i < docs->size(); ++i) {
            auto d = docs->getObject(static_cast<unsigned>(i));
            DocumentMeta m;
            m.id = d->optValue<std::string>("id", "");
            m.title = d->optValue<std::string>("title", "");
            m.publisher = d->optValue<std::string>("publisher", "");
            m.year = d->optValue<int>("year", 0);
            m.kind = d->optValue<std::string>("kind", "");
            m.language = d->optValue<std::string>("language", "en");
            m.licence = d->optValue<std::string>("licence", "");
            m.source_url = d->optValue<std::string>("source_url", "");
            if (auto orgs = d->getArray("organizations"))
                for (std::size_t k = 0; k < orgs->size(); ++k) m.organizations.push_back(orgs->getElement<std::string>(static_cast<unsigned>(k)));
            const std::string stem = d->optValue<std::string>("source", m.id);
            if (m.id.empty()) m.id = slug(stem);
            c.by_stem_[stem] = m;
        }
    } catch (const Poco::Exception& e) {
        throw InputError("catalog " + file.string() + " is not valid: " + e.displayText());
    }
    return c;
}

Catalog Catalog::load_default() { return load(data::file(data::kCatalogFile)); }

DocumentMeta Catalog::lookup(const std::filesystem::path& source) const {
    const std::string stem = source.stem().string();
    if (auto it = by_stem_.find(stem); it != by_stem_.end()) return it->second;
    DocumentMeta m;
    m.id = slug(stem);
    return m;
}

namespace {

// The address a document names in a "Source: ADDRESS" line near its top (the line may have been
// joined to the title by the reader), when the catalog has none.
std::string source_line_address(std::string_view text) {
    std::size_t at = text.substr(0, std::min<std::size_t>(text.size(), 600)).find("Source: ");
    if (at == std::string_view::npos || (at > 0 && text[at - 1] != ' ' && text[at - 1] != '\n')) return {};
    std::size_t begin = at + 8;
    std::size_t end = text.find_first_of(" \n\t", begin);
    return std::string(text.substr(begin, (end == std::string_view::npos ? text.size() : end) - begin));
}

}  // namespace

void infer_metadata(SegmentedDocument& doc) {
    if (doc.meta.title.empty()) doc.meta.title = doc.source;
    const std::string address = doc.meta.source_url.empty() ? source_line_address(doc.text) : doc.meta.source_url;
    const DocumentDate found = find_document_date(doc.text, address, last_plausible_year());
    // The catalog's year wins; the date found in the text stands only when it agrees with it.
    if (doc.meta.year == 0) doc.meta.year = found.year;
    doc.meta.date = found.year == doc.meta.year ? found.text() : DocumentDate{doc.meta.year, 0, 0, {}}.text();
}

}  // namespace mandala::indexer
