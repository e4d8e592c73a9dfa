#pragma once
// Evaluation of an index's missions and dates against gold sets (../shared/eval/README.md):
// `mandala eval entities` and `mandala eval dates`. Both print what they missed.
#include <filesystem>
#include <string>
#include <vector>

namespace mandala::indexer {

struct PrecisionRecall {
    std::size_t true_positives = 0, predicted = 0, gold = 0;
    double precision() const { return predicted ? double(true_positives) / double(predicted) : 1.0; }
    double recall() const { return gold ? double(true_positives) / double(gold) : 1.0; }
};

struct MissionEvalReport {
    PrecisionRecall mentions, documents;
    std::size_t documents_scored = 0, documents_missing = 0;
    std::vector<std::string> misses;  // one line each: "doc: missed 'name' [KEY] 2 of 3", "doc: extra ..."
    std::string to_text() const;
    std::string to_json() const;
};

struct DateEvalReport {
    std::size_t documents = 0, year_right = 0, date_right = 0, dated_gold = 0;
    std::size_t resolutions = 0, resolutions_found = 0;  // gold references, found with the right year
    std::size_t implausible_years = 0;                   // document or mentioned years outside 1945..next year
    std::vector<std::string> misses;
    double year_accuracy() const { return documents ? double(year_right) / double(documents) : 1.0; }
    double resolution_recall() const { return resolutions ? double(resolutions_found) / double(resolutions) : 1.0; }
    std::string to_text() const;
    std::string to_json() const;
};

// Mention level: a gold surface form of a mission is found as often as the text has it, written
// that way (case and whitespace folded) and resolved to that mission; "Name (ACRONYM)" counts
// as both; "the Mission" resolved to the main mission is no mention (it is a description). The
// title and Source lines are not counted. Document level: the set of missions per document.
MissionEvalReport evaluate_missions(const std::filesystem::path& gold, const std::filesystem::path& db_dir);

// Document year (null in the gold = no year), exact date, and resolutions ("2100 (2013)" needs
// resolution 2100 found with the year 2013; "2100" needs it found).
DateEvalReport evaluate_dates(const std::filesystem::path& gold, const std::filesystem::path& db_dir);

}  // namespace mandala::indexer
