#include "indexer/pipeline.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>

#include "indexer/normalize.h"
#include "indexer/readers/read.h"
#include "indexer/segment.h"
#include "indexer/store.h"
#include "taxonomy/tagger.h"
#include "text/errors.h"

namespace mandala::indexer {
namespace fs = std::filesystem;

namespace {

// The stages after segmentation, built once per run (they load data files).
struct Enrichers {
    std::unique_ptr<taxonomy::TaxonomyTagger> tagger;
};

void tag_passages(SegmentedDocument& doc, const taxonomy::TaxonomyTagger& tagger) {
    doc.tags.clear();
    doc.tags.reserve(doc.passages.size());
    for (const auto& p : doc.passages) {
        const Section& s = doc.sections[static_cast<std::size_t>(p.section)];
        doc.tags.push_back(tagger.tag(p.text, s.title));
    }
}

// The whole per-document pipeline on one screen.
SegmentedDocument process(const fs::path& path, DocumentMeta meta, const Enrichers& enrich = {}) {
    RawDocument raw = read_document(path);                      // read
    NormalizedDocument normalized = normalize(std::move(raw));  // normalize
    SegmentedDocument doc = segment(std::move(normalized), std::move(meta));  // segment
    infer_metadata(doc);
    if (enrich.tagger) tag_passages(doc, *enrich.tagger);       // tag
    return doc;
}

std::string file_hash(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return content_hash(bytes);
}

// A document id unique in the index: the catalog's or the file's slug, suffixed by format when
// another file already holds it (the same document as .txt and .pdf).
std::string unique_id(const std::string& wanted, const fs::path& path, const std::map<std::string, std::string>& ids_by_path,
                      std::set<std::string>& taken) {
    if (auto it = ids_by_path.find(path.string()); it != ids_by_path.end()) {
        taken.insert(it->second);
        return it->second;
    }
    std::string id = wanted;
    if (taken.count(id)) id += "-" + slug(path.extension().string());
    for (int n = 2; taken.count(id); ++n) id = wanted + "-" + std::to_string(n);
    taken.insert(id);
    return id;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

SegmentedDocument segment_file(const fs::path& path, const Catalog& catalog) {
    return process(path, catalog.lookup(path));
}

std::vector<fs::path> corpus_files(const std::vector<fs::path>& dirs) {
    std::vector<fs::path> files;
    for (const auto& dir : dirs) {
        if (!fs::is_directory(dir)) throw InputError("corpus folder not found: " + dir.string());
        for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied);
             it != fs::recursive_directory_iterator(); ++it) {
            const auto name = it->path().filename().string();
            if (name.starts_with(".")) {
                if (it->is_directory()) it.disable_recursion_pending();
                continue;
            }
            if (it->is_regular_file()) files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

IndexReport run_index(const IndexOptions& options, const std::function<void(const IndexProgress&)>& progress) {
    const auto start = std::chrono::steady_clock::now();
    const Catalog catalog = Catalog::load_default();
    const auto files = corpus_files(options.corpus_dirs);
    IndexWriter writer(options.db_dir);
    const auto hashes = writer.committed_hashes();
    const auto ids = writer.committed_ids();
    Enrichers enrich;
    if (options.tag) enrich.tagger = std::make_unique<taxonomy::TaxonomyTagger>();

    IndexReport report;
    report.files = files.size();
    IndexProgress state;
    state.files_total = files.size();
    for (const auto& f : files) state.bytes_total += fs::file_size(f);

    std::set<std::string> taken, present;
    for (const auto& [path, id] : ids) taken.insert(id);
    for (const auto& path : files) {
        present.insert(path.string());
        const auto size = fs::file_size(path);
        try {
            auto known = hashes.find(path.string());
            if (known != hashes.end() && size <= kMaxFileBytes && known->second == file_hash(path)) {
                ++report.unchanged;
            } else {
                DocumentMeta meta = catalog.lookup(path);
                taken.erase(ids.count(path.string()) ? ids.at(path.string()) : "");
                meta.id = unique_id(meta.id, path, ids, taken);
                SegmentedDocument doc = process(path, std::move(meta), enrich);
                writer.replace_document(doc);
                ++report.indexed;
                report.passages += doc.passages.size();
                report.bytes += size;
            }
        } catch (const std::exception& e) {
            report.failures.push_back({path.string(), e.what()});
        }
        ++state.files_done;
        state.bytes_done += size;
        state.passages = report.passages;
        state.seconds = seconds_since(start);
        if (progress) progress(state);
    }
    for (const auto& [path, id] : ids)
        if (!present.count(path)) {
            writer.remove_document(id);
            ++report.removed;
        }
    writer.commit();
    report.seconds = seconds_since(start);
    return report;
}

}  // namespace mandala::indexer
