#include "indexer/pipeline.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "indexer/extract/entities.h"
#include "indexer/normalize.h"
#include "indexer/passage_document.h"
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
    std::unique_ptr<EntityExtractor> extractor;
    std::unique_ptr<taxonomy::TaxonomyTagger> tagger;
};

// Each passage's words, made once and read by extraction, tagging and the index alike.
using PassageTokens = std::vector<std::vector<text::Token>>;

PassageTokens analyse_passages(const SegmentedDocument& doc) {
    PassageTokens tokens;
    tokens.reserve(doc.passages.size());
    for (const auto& p : doc.passages) tokens.push_back(taxonomy::thread_analyzer().tokens(p.text));
    return tokens;
}

void tag_passages(SegmentedDocument& doc, const taxonomy::TaxonomyTagger& tagger, const PassageTokens& tokens) {
    doc.tags.clear();
    doc.tags.reserve(doc.passages.size());
    for (std::size_t i = 0; i < doc.passages.size(); ++i) {
        const Passage& p = doc.passages[i];
        const Section& s = doc.sections[static_cast<std::size_t>(p.section)];
        doc.tags.push_back(tagger.tag(p.text, taxonomy::heading_path(s.path), tokens[i]));
    }
}

// The per-document pipeline on one screen. Extraction needs the mission registry, which is
// built from every document's acronyms, so it runs once all changed documents are segmented.
SegmentedDocument read_and_segment(const fs::path& path, DocumentMeta meta) {
    RawDocument raw = read_document(path);                                    // read
    NormalizedDocument normalized = normalize(std::move(raw));                // normalize
    SegmentedDocument doc = segment(std::move(normalized), std::move(meta));  // segment
    infer_metadata(doc);
    return doc;
}

void enrich(SegmentedDocument& doc, const Enrichers& with, const PassageTokens& tokens) {
    if (with.extractor) with.extractor->extract(doc, tokens);    // extract
    if (with.tagger) tag_passages(doc, *with.tagger, tokens);    // tag
}

// One file of phase 1: what to read (job), and the segmented document or the error message.
struct Phase1Slot {
    std::uint64_t size = 0;
    bool job = false;
    DocumentMeta meta;
    std::optional<SegmentedDocument> doc;
    std::string error;
};

// Readers of formats with library state of their own (libxml2, poppler, Poco Zip) run one at a
// time; plain text and Markdown, and normalizing and segmenting everything, run in parallel.
std::mutex& library_reader_mutex() {
    static std::mutex m;
    return m;
}

SegmentedDocument read_and_segment_shared(const fs::path& path, DocumentMeta meta) {
    const std::string ext = path.extension().string();
    if (ext == ".txt" || ext == ".md") return read_and_segment(path, std::move(meta));
    RawDocument raw;
    {
        std::lock_guard lock(library_reader_mutex());
        raw = read_document(path);
    }
    NormalizedDocument normalized = normalize(std::move(raw));
    SegmentedDocument doc = segment(std::move(normalized), std::move(meta));
    infer_metadata(doc);
    return doc;
}

// Runs the jobs of `slots` on this thread and one more, each slot touched by one thread only;
// `tick` runs on this thread after each of its slots.
void read_in_parallel(const std::vector<fs::path>& files, std::vector<Phase1Slot>& slots,
                      std::atomic<std::uint64_t>& bytes_read, const std::function<void()>& tick) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr helper_error;
    auto work = [&](bool on_main) {
        for (std::size_t i = next++; i < slots.size(); i = next++) {
            Phase1Slot& slot = slots[i];
            if (slot.job) {
                try {
                    slot.doc = read_and_segment_shared(files[i], std::move(slot.meta));
                } catch (const std::exception& e) {
                    slot.error = e.what();
                }
            }
            bytes_read += slot.size;
            if (on_main) tick();
        }
    };
    std::thread helper([&] {
        try {
            work(false);
        } catch (...) {
            helper_error = std::current_exception();
        }
    });
    try {
        work(true);
    } catch (...) {
        next = slots.size();  // let the helper run out of work
        helper.join();
        throw;
    }
    helper.join();
    if (helper_error) std::rethrow_exception(helper_error);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

fs::path data_dir() { return fs::path(MANDALA_SOURCE_DIR) / "indexer" / "data"; }

struct PendingDocument {
    std::uint64_t size = 0;
    SegmentedDocument doc;
};

// Runs enrich() and build_passage_document() over `pending`, in order, on its own thread, at
// most kLookahead documents ahead of the writers, and writes each document's catalog rows and
// counts its spelling words there too, so that the writer threads do Xapian's writing only.
// take(i) waits for document i and lends its Xapian documents until release(i), after which the
// worker frees them (freeing costs a writer time it cannot spare). Nothing else is shared: the
// worker alone touches the extractor, the tagger, the catalog half of the writer and pending[j]
// until take(j) returns (the mutex orders the hand-over), the writer that took j alone touches
// pending[j] afterwards, and the Xapian half of the writer is the writers'; the catalog and the
// spelling counts are the caller's again once every document has been taken. An exception of
// the worker is rethrown by take().
class EnrichAhead {
public:
    static constexpr std::size_t kLookahead = 8;

    EnrichAhead(std::vector<PendingDocument>& pending, const Enrichers& with, IndexWriter& catalog)
        : pending_(pending), with_(with), catalog_(catalog), built_(pending.size()), released_(pending.size(), false),
          worker_([this] { run(); }) {}

    ~EnrichAhead() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        changed_.notify_all();
        worker_.join();
    }

    EnrichAhead(const EnrichAhead&) = delete;
    EnrichAhead& operator=(const EnrichAhead&) = delete;

    const std::vector<Xapian::Document>& take(std::size_t i) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return done_ > i || error_ || stop_; });
        if (done_ <= i) {
            if (error_) std::rethrow_exception(error_);
            throw std::runtime_error("indexing stopped");
        }
        taken_ = std::max(taken_, i + 1);
        changed_.notify_all();
        return built_[i];
    }

    void release(std::size_t i) {
        std::lock_guard lock(mutex_);
        released_[i] = true;
        changed_.notify_all();
    }

    // Ends the run early (a writer failed): take() and the worker return.
    void stop() {
        std::lock_guard lock(mutex_);
        stop_ = true;
        changed_.notify_all();
    }

    // The spelling counts of every document; call once every document has been taken.
    SpellingCounts take_spellings() {
        std::lock_guard lock(mutex_);
        return std::move(spellings_);
    }

private:
    void run() {
        try {
            std::size_t freed = 0;  // built_[0..freed-1] are freed
            for (std::size_t i = 0; i < pending_.size(); ++i) {
                std::size_t releasable = freed;  // built_[freed..releasable-1] are released
                {
                    std::unique_lock lock(mutex_);
                    changed_.wait(lock, [&] { return stop_ || i < taken_ + kLookahead; });
                    if (stop_) return;
                    while (releasable < i && released_[releasable]) ++releasable;
                }
                for (; freed < releasable; ++freed) built_[freed] = {};
                auto built = enrich_and_build(pending_[i].doc);
                std::lock_guard lock(mutex_);
                built_[i] = std::move(built);
                done_ = i + 1;
                changed_.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            error_ = std::current_exception();
            changed_.notify_all();
        }
    }

    std::vector<Xapian::Document> enrich_and_build(SegmentedDocument& doc) {
        const PassageTokens tokens = analyse_passages(doc);
        enrich(doc, with_, tokens);
        std::vector<Xapian::Document> built;
        built.reserve(doc.passages.size());
        for (std::size_t k = 0; k < doc.passages.size(); ++k) {
            built.push_back(build_passage_document(doc, k, tokens[k]));
            count_spellings(built.back(), spellings_);
        }
        catalog_.write_catalog(doc);
        return built;
    }

    std::vector<PendingDocument>& pending_;
    const Enrichers& with_;
    IndexWriter& catalog_;
    SpellingCounts spellings_;
    std::vector<std::vector<Xapian::Document>> built_;
    std::vector<bool> released_;  // the writers are done with built_[i]
    std::mutex mutex_;
    std::condition_variable changed_;
    std::size_t done_ = 0;   // documents 0..done_-1 are ready
    std::size_t taken_ = 0;  // the highest document taken, + 1
    bool stop_ = false;
    std::exception_ptr error_;
    std::thread worker_;  // last: starts once everything above is constructed
};

// Xapian's writing on `writers` threads, this one included: writer w writes documents w, w +
// writers, ... (a fixed split, so that a run's document numbers do not depend on timing). Each
// thread's time in Xapian and waiting for `ahead` is added to the report; `written` runs after
// each document, one call at a time.
void write_xapian(std::vector<PendingDocument>& pending, EnrichAhead& ahead, IndexWriter& writer, std::size_t writers,
                  IndexReport& report, const std::function<void(const PendingDocument&)>& written) {
    std::mutex report_mutex;
    auto work = [&](std::size_t w) {
        double xapian = 0, waiting = 0;
        for (std::size_t i = w; i < pending.size(); i += writers) {
            auto t0 = std::chrono::steady_clock::now();
            const auto& passages = ahead.take(i);
            waiting += seconds_since(t0);
            t0 = std::chrono::steady_clock::now();
            writer.write_passages(w, pending[i].doc.meta.id, passages);
            xapian += seconds_since(t0);
            ahead.release(i);
            std::lock_guard lock(report_mutex);
            written(pending[i]);
        }
        std::lock_guard lock(report_mutex);
        report.xapian_seconds += xapian;
        report.waiting_seconds += waiting;
    };
    // The first failure is the one reported: the others are writers stopped because of it.
    std::exception_ptr first_error;
    auto guarded_work = [&](std::size_t w) {
        try {
            work(w);
        } catch (...) {
            {
                std::lock_guard lock(report_mutex);
                if (!first_error) first_error = std::current_exception();
            }
            ahead.stop();
        }
    };
    std::vector<std::thread> helpers;
    for (std::size_t w = 1; w < writers; ++w) helpers.emplace_back(guarded_work, w);
    guarded_work(0);
    for (auto& t : helpers) t.join();
    if (first_error) std::rethrow_exception(first_error);
}

// Writer threads for a first run: every core but the one extraction and tagging keep busy, and
// at least two, as Xapian's writing costs about twice what extraction and tagging do (and small
// partial databases cost less to write than one large one).
std::size_t xapian_writers(std::size_t wanted) {
    if (wanted > 0) return wanted;
    const unsigned cores = std::thread::hardware_concurrency();
    return std::clamp<std::size_t>(cores > 1 ? cores - 1 : 1, 2, 4);
}

// Mission registry from the acronyms of the documents kept and of those being (re)indexed.
EntityRegistry registry_for(const IndexWriter& writer, const std::vector<PendingDocument>& pending,
                            const Gazetteer& gazetteer) {
    std::set<std::string> replaced;
    for (const auto& p : pending) replaced.insert(p.doc.meta.id);
    std::vector<AcronymPair> acronyms;
    for (const auto& [doc, pair] : writer.committed_acronyms())
        if (!replaced.count(doc)) acronyms.push_back(pair);
    for (const auto& p : pending)
        for (auto& a : document_acronyms(p.doc)) acronyms.push_back(std::move(a));
    return build_registry(acronyms, gazetteer);
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

}  // namespace

SegmentedDocument segment_file(const fs::path& path, const Catalog& catalog) {
    return read_and_segment(path, catalog.lookup(path));
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
    IndexWriter writer(options.db_dir, options.shards);
    const auto hashes = writer.committed_hashes();
    const auto ids = writer.committed_ids();
    IndexReport report;
    report.files = files.size();
    IndexProgress state;
    state.files_total = files.size();
    for (const auto& f : files) state.bytes_total += fs::file_size(f);

    // Phase 1: read, normalize and segment what changed. Which files changed and their ids are
    // decided in order; reading and segmenting them then runs on two threads.
    std::set<std::string> taken, present;
    std::vector<Phase1Slot> slots(files.size());
    for (const auto& [path, id] : ids) taken.insert(id);
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& path = files[i];
        Phase1Slot& slot = slots[i];
        present.insert(path.string());
        slot.size = fs::file_size(path);
        try {
            auto known = hashes.find(path.string());
            if (known != hashes.end() && slot.size <= kMaxFileBytes && known->second == file_hash(path)) {
                ++report.unchanged;
            } else {
                DocumentMeta meta = catalog.lookup(path);
                meta.id = unique_id(meta.id, path, ids, taken);
                slot.meta = std::move(meta);
                slot.job = true;
            }
        } catch (const std::exception& e) {
            slot.error = e.what();
        }
    }
    std::atomic<std::uint64_t> bytes_read{0};
    read_in_parallel(files, slots, bytes_read, [&] {
        state.bytes_done = bytes_read.load() / 2;
        state.seconds = seconds_since(start);
        if (progress) progress(state);
    });
    report.segment_seconds = seconds_since(start);
    std::vector<PendingDocument> pending;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (!slots[i].error.empty())
            report.failures.push_back({files[i].string(), std::move(slots[i].error)});
        else if (slots[i].doc)
            pending.push_back({slots[i].size, std::move(*slots[i].doc)});
    }
    state.bytes_done = 0;
    for (const auto& slot : slots) state.bytes_done += slot.size / 2;
    slots.clear();
    if (progress) progress(state);

    // Documents whose file is gone leave first, so the registry below no longer counts them.
    for (const auto& [path, id] : ids)
        if (!present.count(path)) {
            writer.remove_document(id);
            ++report.removed;
        }

    // Phase 2: extract, tag and write each changed document, then rebuild the mission registry
    // (also after removals alone). With nothing changed the data files (gazetteer, taxonomy,
    // model) are not even loaded: a run over an unchanged corpus stays cheap.
    if (!pending.empty() || report.removed > 0) {
        Enrichers with;
        const Gazetteer gazetteer = load_gazetteer(data_dir(), taxonomy::default_taxonomy_dir() / "task-categories.json");
        const EntityRegistry registry = registry_for(writer, pending, gazetteer);
        if (options.extract && !pending.empty()) with.extractor = std::make_unique<EntityExtractor>(registry, gazetteer);
        if (options.tag && !pending.empty()) with.tagger = std::make_unique<taxonomy::TaxonomyTagger>();
        // One thread extracts, tags, builds the Xapian documents and writes the catalog rows of the
        // next documents while the writers put the previous ones into Xapian, the costliest part.
        writer.begin();
        const std::size_t writers = writer.begin_parallel_writes(xapian_writers(options.xapian_writers));
        EnrichAhead ahead(pending, with, writer);
        write_xapian(pending, ahead, writer, writers, report, [&](const PendingDocument& p) {
            ++report.indexed;
            report.passages += p.doc.passages.size();
            report.bytes += p.size;
            ++state.files_done;
            state.bytes_done += p.size - p.size / 2;
            state.passages = report.passages;
            state.seconds = seconds_since(start);
            if (progress) progress(state);
        });
        report.writers = writers;
        writer.add_spellings(ahead.take_spellings());
        writer.replace_registry(registry);
    }
    state.files_done = state.files_total;
    state.bytes_done = state.bytes_total;
    if (progress) progress(state);
    const auto committed = std::chrono::steady_clock::now();
    writer.commit();
    report.commit_seconds = seconds_since(committed);
    report.seconds = seconds_since(start);
    return report;
}

}  // namespace mandala::indexer
