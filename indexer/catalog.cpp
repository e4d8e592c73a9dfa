#include "indexer/catalog.h"

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

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

Catalog Catalog::load_default() { return load(std::filesystem::path(MANDALA_SOURCE_DIR) / "corpus" / "catalog.json"); }

DocumentMeta Catalog::lookup(const std::filesystem::path& source) const {
    const std::string stem = source.stem().string();
    if (auto it = by_stem_.find(stem); it != by_stem_.end()) return it->second;
    DocumentMeta m;
    m.id = slug(stem);
    return m;
}

namespace {

int year_at(std::string_view s, std::size_t i) {
    if (i + 4 > s.size()) return 0;
    for (std::size_t k = 0; k < 4; ++k)
        if (!std::isdigit(static_cast<unsigned char>(s[i + k]))) return 0;
    if (i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1]))) return 0;
    if (i + 4 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 4]))) return 0;
    int y = std::atoi(std::string(s.substr(i, 4)).c_str());
    return y >= 1945 && y <= 2100 ? y : 0;
}

int first_year(std::string_view s) {
    for (std::size_t i = 0; i + 4 <= s.size(); ++i)
        if (int y = year_at(s, i)) return y;
    return 0;
}

}  // namespace

void infer_metadata(SegmentedDocument& doc) {
    if (doc.meta.title.empty()) doc.meta.title = doc.source;
    if (doc.meta.year) return;
    const std::string& t = doc.text;
    for (std::string_view mark : {"\u00a9", "Copyright", "copyright"}) {
        if (auto pos = t.find(mark); pos != std::string::npos) {
            if (int y = first_year(std::string_view(t).substr(pos, 80))) {
                doc.meta.year = y;
                return;
            }
        }
    }
    doc.meta.year = first_year(std::string_view(t).substr(0, std::min<std::size_t>(t.size(), 600)));
}

}  // namespace mandala::indexer
