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
#include "text/data_files.h"
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
void read_in_parallel(const std::vector<CorpusFile>& files, std::vector<Phase1Slot>& slots,
                      std::atomic<std::uint64_t>& bytes_read, const std::function<void()>& tick) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr helper_error;
    auto work = [&](bool on_main) {
        for (std::size_t i = next++; i < slots.size(); i = next++) {
            Phase1Slot& slot = slots[i];
            if (slot.job) {
                try {
                    slot.doc = read_and_segment_shared(files[i].file, std::move(slot.meta));
                    slot.doc->path = files[i].key;  // what identifies the document in the next runs
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

fs::path data_dir() { return data::file(data::kRegistryDir); }

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
// `taken` holds the ids of the documents kept in this run: those of documents being removed are
// free again, so a file that moved keeps its id.
std::string unique_id(const std::string& wanted, const CorpusFile& file, const std::map<std::string, std::string>& ids_by_key,
                      std::set<std::string>& taken) {
    if (auto it = ids_by_key.find(file.key); it != ids_by_key.end()) return it->second;
    std::string id = wanted;
    if (taken.count(id)) id += "-" + slug(file.file.extension().string());
    for (int n = 2; taken.count(id); ++n) id = wanted + "-" + std::to_string(n);
    taken.insert(id);
    return id;
}

}  // namespace

SegmentedDocument segment_file(const fs::path& path, const Catalog& catalog) {
    return read_and_segment(path, catalog.lookup(path));
}

namespace {

// Lists one folder into `out`, recursing into subfolders (not into symlinked folders, which could
// loop or leave the corpus). Nothing here throws for one entry: an entry that cannot be looked at
// (a symlink loop, a dangling link, a folder without read permission) is a failure of its own.
void list_folder(const fs::path& dir, const std::string& key, CorpusListing& out) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    auto unlisted = [&](const std::error_code& error) {
        out.failures.push_back({dir.string(), "cannot list this folder (" + error.message() +
                                                  "): its documents are kept as last indexed"});
        out.unlisted_folders.push_back(key);
    };
    if (ec) return unlisted(ec);
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) return unlisted(ec);
        const fs::path& path = it->path();
        const std::string name = path.filename().string();
        if (name.starts_with(".")) continue;
        const std::string child = key.empty() ? name : key + "/" + name;
        std::error_code status_error;
        const fs::file_status link = it->symlink_status(status_error);
        const fs::file_status target = status_error ? link : it->status(status_error);
        if (status_error) {
            out.failures.push_back({path.string(), "cannot read this entry (" + status_error.message() + ")"});
        } else if (fs::is_directory(link)) {
            list_folder(path, child, out);
        } else if (fs::is_regular_file(target)) {
            out.files.push_back({path, child});
        }
    }
    if (ec) unlisted(ec);
}

}  // namespace

CorpusListing list_corpus(const std::vector<fs::path>& dirs) {
    CorpusListing listing;
    for (const auto& dir : dirs) {
        if (!fs::is_directory(dir)) throw InputError("corpus folder not found: " + dir.string());
        list_folder(dir, "", listing);
    }
    // Sorted by key, the first folder's file first; a second file with the same key is refused.
    std::stable_sort(listing.files.begin(), listing.files.end(),
                     [](const CorpusFile& a, const CorpusFile& b) { return a.key < b.key; });
    std::vector<CorpusFile> unique;
    for (auto& f : listing.files) {
        if (!unique.empty() && unique.back().key == f.key)
            listing.failures.push_back({f.file.string(), "the same path under another corpus folder was indexed instead: " +
                                                             unique.back().file.string()});
        else
            unique.push_back(std::move(f));
    }
    listing.files = std::move(unique);
    return listing;
}

bool under_any(const std::string& key, const std::vector<std::string>& folders) {
    for (const auto& folder : folders)
        if (folder.empty() || (key.size() > folder.size() && key.starts_with(folder) && key[folder.size()] == '/'))
            return true;
    return false;
}

std::vector<fs::path> corpus_files(const std::vector<fs::path>& dirs) {
    std::vector<fs::path> files;
    for (auto& f : list_corpus(dirs).files) files.push_back(std::move(f.file));
    std::sort(files.begin(), files.end());
    return files;
}

namespace {

// Keys of an index written before documents were keyed by their path relative to the corpus
// folder held the path as spelled on the command line ("../corpus/a.txt"): each such path that
// names a file of this run becomes that file's key, so the document keeps its id and is not even
// re-read. Returns how many were rewritten.
std::size_t migrate_keys(IndexWriter& writer, const CorpusListing& listing, const std::vector<fs::path>& dirs,
                         std::map<std::string, std::string>& ids, std::map<std::string, std::string>& hashes) {
    std::set<std::string> keys;
    for (const auto& f : listing.files) keys.insert(f.key);
    std::vector<fs::path> roots;
    for (const auto& dir : dirs) roots.push_back(fs::weakly_canonical(dir));
    std::size_t rewritten = 0;
    for (const auto& [stored, id] : std::map<std::string, std::string>(ids)) {
        if (keys.count(stored)) continue;
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(stored, ec);
        if (ec) continue;
        for (const auto& root : roots) {
            const std::string key = canonical.lexically_relative(root).generic_string();
            if (key.empty() || key.starts_with("..") || !keys.count(key) || ids.count(key)) continue;
            writer.rekey_document(stored, key);
            ids[key] = id;
            ids.erase(stored);
            if (auto h = hashes.find(stored); h != hashes.end()) {
                hashes[key] = h->second;
                hashes.erase(stored);
            }
            ++rewritten;
            break;
        }
    }
    return rewritten;
}

// The ids of indexed documents whose file is gone (not those under a folder that could not be
// listed: they are kept). Throws Conflict when they are more than half of the index, unless allowed.
std::vector<std::string> documents_to_remove(const std::map<std::string, std::string>& ids, const CorpusListing& listing,
                                             const IndexOptions& options) {
    std::set<std::string> keys;
    for (const auto& f : listing.files) keys.insert(f.key);
    std::vector<std::string> gone;
    for (const auto& [key, id] : ids)
        if (!keys.count(key) && !under_any(key, listing.unlisted_folders)) gone.push_back(id);
    if (!options.allow_mass_removal && gone.size() * 2 > ids.size())
        throw Conflict("this run would remove " + std::to_string(gone.size()) + " of the " + std::to_string(ids.size()) +
                       " indexed documents (is the corpus folder empty or unmounted?): nothing was changed; run again"
                       " with --allow-mass-removal if that is intended");
    return gone;
}

}  // namespace

namespace {

// What the index holds of the corpus before this run: content hashes and document ids by key
// (keys of an older index migrated), and the documents whose file is gone.
struct IndexedState {
    std::map<std::string, std::string> hashes, ids;
    std::vector<std::string> removed_ids;
};

IndexedState read_indexed(IndexWriter& writer, const CorpusListing& listing, const IndexOptions& options) {
    IndexedState indexed;
    indexed.hashes = writer.committed_hashes();
    indexed.ids = writer.committed_ids();
    migrate_keys(writer, listing, options.corpus_dirs, indexed.ids, indexed.hashes);
    indexed.removed_ids = documents_to_remove(indexed.ids, listing, options);
    return indexed;
}

// The progress of a run as the caller sees it.
struct RunProgress {
    std::chrono::steady_clock::time_point start;
    const std::function<void(const IndexProgress&)>& callback;
    IndexProgress state;
    void report() const {
        if (callback) callback(state);
    }
};

IndexProgress initial_progress(const std::vector<CorpusFile>& files) {
    IndexProgress state;
    state.files_total = files.size();
    for (const auto& f : files) {
        std::error_code ec;
        const auto size = fs::file_size(f.file, ec);
        if (!ec) state.bytes_total += size;
    }
    return state;
}

// Which files changed and their documents' ids, decided in file order (so that ids do not depend
// on timing): a slot per file, its job set when it is to be read.
std::vector<Phase1Slot> plan_reading(const std::vector<CorpusFile>& files, const IndexedState& indexed,
                                     const Catalog& catalog, IndexReport& report) {
    std::set<std::string> taken;  // the ids of the documents kept
    {
        const std::set<std::string> removed(indexed.removed_ids.begin(), indexed.removed_ids.end());
        for (const auto& [key, id] : indexed.ids)
            if (!removed.count(id)) taken.insert(id);
    }
    std::vector<Phase1Slot> slots(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        Phase1Slot& slot = slots[i];
        try {
            slot.size = fs::file_size(files[i].file);
            auto known = indexed.hashes.find(files[i].key);
            if (known != indexed.hashes.end() && slot.size <= kMaxFileBytes &&
                known->second == file_hash(files[i].file)) {
                ++report.unchanged;
            } else {
                DocumentMeta meta = catalog.lookup(files[i].file);
                meta.id = unique_id(meta.id, files[i], indexed.ids, taken);
                taken.insert(meta.id);
                slot.meta = std::move(meta);
                slot.job = true;
            }
        } catch (const std::exception& e) {
            slot.error = e.what();
        }
    }
    return slots;
}

// Reads, normalizes and segments the files of `slots` with a job (read_and_segment) on two
// threads; the documents read, in file order. The slots are freed on return.
std::vector<PendingDocument> read_changed(const std::vector<CorpusFile>& files, std::vector<Phase1Slot> slots,
                                          IndexReport& report, RunProgress& progress) {
    std::atomic<std::uint64_t> bytes_read{0};
    read_in_parallel(files, slots, bytes_read, [&] {
        progress.state.bytes_done = bytes_read.load() / 2;
        progress.state.seconds = seconds_since(progress.start);
        progress.report();
    });
    report.segment_seconds = seconds_since(progress.start);
    std::vector<PendingDocument> pending;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (!slots[i].error.empty())
            report.failures.push_back({files[i].file.string(), std::move(slots[i].error)});
        else if (slots[i].doc)
            pending.push_back({slots[i].size, std::move(*slots[i].doc)});
    }
    progress.state.bytes_done = 0;
    for (const auto& slot : slots) progress.state.bytes_done += slot.size / 2;
    return pending;
}

// The extractor and the tagger a run needs (they load data files), none when nothing is to be enriched.
Enrichers load_enrichers(const IndexOptions& options, const EntityRegistry& registry,
                         const Gazetteer& gazetteer, bool anything) {
    Enrichers with;
    if (options.extract && anything) with.extractor = std::make_unique<EntityExtractor>(registry, gazetteer);
    if (options.tag && anything) with.tagger = std::make_unique<taxonomy::TaxonomyTagger>();
    return with;
}

// Extracts, tags and writes each document of `pending` (enrich, build_passage_document, write),
// then rebuilds the mission registry. One thread extracts, tags, builds the Xapian documents and
// writes the catalog rows of the next documents while the writers put the previous ones into
// Xapian, the costliest part.
void enrich_and_write(std::vector<PendingDocument>& pending, IndexWriter& writer, const IndexOptions& options,
                      IndexReport& report, RunProgress& progress) {
    const Gazetteer gazetteer =
        load_gazetteer(data_dir(), taxonomy::default_taxonomy_dir() / "task-categories.json");
    const EntityRegistry registry = registry_for(writer, pending, gazetteer);
    const Enrichers with = load_enrichers(options, registry, gazetteer, !pending.empty());
    writer.begin();
    const std::size_t writers = writer.begin_parallel_writes(xapian_writers(options.xapian_writers));
    EnrichAhead ahead(pending, with, writer);
    write_xapian(pending, ahead, writer, writers, report, [&](const PendingDocument& p) {
        ++report.indexed;
        report.passages += p.doc.passages.size();
        report.bytes += p.size;
        IndexProgress& state = progress.state;
        ++state.files_done;
        state.bytes_done += p.size - p.size / 2;
        state.passages = report.passages;
        state.seconds = seconds_since(progress.start);
        progress.report();
    });
    report.writers = writers;
    writer.add_spellings(ahead.take_spellings());
    writer.replace_registry(registry);
}

}  // namespace

IndexReport run_index(const IndexOptions& options,
                      const std::function<void(const IndexProgress&)>& progress) {
    RunProgress run{std::chrono::steady_clock::now(), progress, {}};
    const Catalog catalog = Catalog::load_default();
    const CorpusListing listing = list_corpus(options.corpus_dirs);
    IndexWriter writer(options.db_dir, options.shards);
    const IndexedState indexed = read_indexed(writer, listing, options);
    IndexReport report;
    report.files = listing.files.size();
    report.failures = listing.failures;
    run.state = initial_progress(listing.files);

    // Phase 1: read, normalize and segment what changed (read_and_segment, on two threads).
    std::vector<PendingDocument> pending =
        read_changed(listing.files, plan_reading(listing.files, indexed, catalog, report), report, run);
    run.report();

    // Documents whose file is gone leave first, so the registry below no longer counts them.
    for (const auto& id : indexed.removed_ids) {
        writer.remove_document(id);
        ++report.removed;
    }

    // Phase 2: extract, tag (enrich) and write each changed document, then rebuild the mission registry
    // (also after removals alone). With nothing changed the data files (gazetteer, taxonomy,
    // model) are not even loaded: a run over an unchanged corpus stays cheap.
    if (!pending.empty() || report.removed > 0) enrich_and_write(pending, writer, options, report, run);
    run.state.files_done = run.state.files_total;
    run.state.bytes_done = run.state.bytes_total;
    run.report();
    const auto committed = std::chrono::steady_clock::now();
    writer.commit();
    report.commit_seconds = seconds_since(committed);
    report.seconds = seconds_since(run.start);
    return report;
}

}  // namespace mandala::indexer
