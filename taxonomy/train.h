#pragma once
// Training the statistical layer and the calibration from exemplar passages: the glossary's
// category sections and the corpus sections declared as exemplars in task-categories.json
// (plus the no-category sections). Deterministic: the same corpus gives the same model.json.
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "taxonomy/model.h"
#include "taxonomy/sources.h"
#include "taxonomy/tagger.h"
#include "taxonomy/taxonomy.h"

namespace mandala::taxonomy {

struct TrainingOptions {
    std::filesystem::path corpus_dir;
    // Gold files whose passages must stay out of training (measurement sets): any exemplar
    // containing one of their quotes is dropped. Only the quotes are read, never the labels.
    std::vector<std::filesystem::path> held_out;
    int folds = 5;  // cross-validation folds for the calibration features
    // Documents whose exemplars are left out entirely: the document being scored in a
    // leave-one-document-out evaluation.
    std::vector<std::string> left_out_docs;
};

// The `doc` of the authored no-category passages of task-categories.json (no corpus file).
inline constexpr std::string_view kAuthoredDoc = "(authored)";

struct TrainingExample {
    SourcePassage passage;
    std::string category;  // empty: about no task category
};

std::vector<TrainingExample> gather_exemplars(const Taxonomy& taxonomy, const TrainingOptions& options);
TaggerModel train_model(const Taxonomy& taxonomy, const TrainingOptions& options);

// Documents that hold exemplar sections (category or no-category) in `taxonomy`.
std::set<std::string> exemplar_docs(const Taxonomy& taxonomy);

// Leave-one-document-out: for every document of `scored` that holds exemplars, a tagger whose
// model was trained without that document (`base` gives the corpus and the other options).
// Documents outside the training corpus need none: the committed model never saw them.
std::map<std::string, std::unique_ptr<TaxonomyTagger>> taggers_without_each(const Taxonomy& taxonomy,
                                                                           const TrainingOptions& base,
                                                                           const std::set<std::string>& scored);

// Quotes of a JSON-lines gold file (the "quote" field of each line).
std::vector<std::string> read_gold_quotes(const std::filesystem::path& gold);

}  // namespace mandala::taxonomy
