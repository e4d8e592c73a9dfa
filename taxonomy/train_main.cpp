// mandala-taxonomy-train: rebuilds taxonomy/model.json from the corpus and prints the related
// categories the glossary's arrows imply (to check into task-categories.json).
//   mandala-taxonomy-train --corpus DIR [--taxonomy DIR] [--out FILE] [--held-out GOLD]...
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "taxonomy/arrows.h"
#include "taxonomy/train.h"
#include "text/errors.h"

namespace {

using namespace mandala::taxonomy;

struct Args {
    std::filesystem::path taxonomy_dir = default_taxonomy_dir();
    std::filesystem::path out;
    TrainingOptions training;
    std::string glossary = "zif-missions-and-mandates-2018.txt";
};

Args parse(const std::vector<std::string>& argv) {
    Args a;
    for (std::size_t i = 0; i + 1 < argv.size(); i += 2) {
        const auto& flag = argv[i];
        const auto& value = argv[i + 1];
        if (flag == "--corpus") a.training.corpus_dir = value;
        else if (flag == "--taxonomy") a.taxonomy_dir = value;
        else if (flag == "--out") a.out = value;
        else if (flag == "--held-out") a.training.held_out.emplace_back(value);
        else if (flag == "--glossary") a.glossary = value;
        else throw mandala::InputError("unknown option " + flag);
    }
    if (argv.size() % 2 != 0 || a.training.corpus_dir.empty()) throw mandala::InputError("usage: --corpus DIR [--out FILE] [--held-out GOLD]...");
    if (a.out.empty()) a.out = a.taxonomy_dir / kModelFile;
    return a;
}

void print_related(const Taxonomy& taxonomy, const std::filesystem::path& glossary) {
    std::cout << "related categories from " << glossary.filename().string() << ":\n";
    for (const auto& [from, related] : related_from_glossary(taxonomy, glossary))
        std::cout << "  " << from << " -> " << related.category << "    [" << related.evidence << "]\n";
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Args a = parse(std::vector<std::string>(argv + 1, argv + argc));
        Taxonomy taxonomy = load_taxonomy(a.taxonomy_dir / kTaxonomyFile);
        TaggerModel model = train_model(taxonomy, a.training);
        std::ofstream(a.out) << model.to_json();
        std::cout << "wrote " << a.out.string() << " (" << model.training_stats["examples"] << " exemplars)\n";
        print_related(taxonomy, a.training.corpus_dir / a.glossary);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "mandala-taxonomy-train: " << e.what() << "\n";
        return 2;
    }
}
