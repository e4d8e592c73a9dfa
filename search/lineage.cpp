#include "search/lineage.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sys/stat.h>
#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "catalog/lineage_queries.h"
#include "catalog/paths.h"
#include "catalog/reader.h"
#include "catalog/registry.h"
#include "catalog/sqlite.h"
#include "search/analysis.h"
#include "taxonomy/tagger.h"
#include "text/data_files.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::search {
namespace {

using Hashes = std::vector<std::uint64_t>;  // sorted, unique

std::vector<std::string> folded_words(std::string_view text) {
    std::vector<std::string> out;
    for (auto& t : analyzer().tokens(text)) out.push_back(std::move(t.folded));
    return out;
}

// Word bigrams as sorted hashes (single words when there is only one), from the words' hashes.
Hashes bigrams(const std::vector<std::uint64_t>& words) {
    Hashes out;
    if (words.size() == 1) out.push_back(words[0]);
    for (std::size_t i = 0; i + 1 < words.size(); ++i) out.push_back((words[i] * 1000003u) ^ words[i + 1]);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double dice(const Hashes& a, const Hashes& b) {
    if (a.empty() || b.empty()) return 0;
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i] == b[j]) ++common, ++i, ++j;
        else if (a[i] < b[j]) ++i;
        else ++j;
    }
    return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

// A paragraph as alignment sees it: its word sequence (hashed) and its bigrams.
struct Shingled {
    std::uint64_t sequence = 0;  // hash of the whole word sequence
    std::size_t word_count = 0;
    Hashes grams;
    bool same_words(const Shingled& o) const { return word_count == o.word_count && sequence == o.sequence; }
};

// The words of a paragraph for alignment, cut without ICU: runs of ASCII letters and digits and
// of non-ASCII letters, ASCII lower-cased, punctuation (also U+2000..U+206F and the no-break
// space) and a possessive "'s" dropped. Alignment only compares paragraphs with each other, so it
// needs the same cut on both sides, not the search analyzer's folding, which costs most of a
// lineage of a mission with thousands of paragraphs (about a third of the time of a lineage).
std::vector<std::uint64_t> alignment_words(std::string_view text) {
    std::vector<std::uint64_t> out;  // FNV-1a hash of each word
    constexpr std::uint64_t kBasis = 14695981039346656037ull, kPrime = 1099511628211ull;
    std::uint64_t word = kBasis;
    bool in_word = false;
    auto flush = [&] {
        if (in_word) out.push_back(word);
        word = kBasis;
        in_word = false;
    };
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool general_punctuation = c == 0xE2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                                         i + 2 < text.size() && static_cast<unsigned char>(text[i + 2]) <= 0xAF;
        const bool no_break_space = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0;
        if (general_punctuation || no_break_space) {
            const bool apostrophe = general_punctuation && static_cast<unsigned char>(text[i + 2]) == 0x99;
            if (apostrophe && i + 3 < text.size() && (text[i + 3] | 0x20) == 's' &&
                (i + 4 == text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 4])))) {
                i += 4;  // "mission’s" is "mission"
                continue;
            }
            flush();
            i += general_punctuation ? 3 : 2;
        } else if (c >= 0x80 || std::isalnum(c)) {
            const unsigned char lower = c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c | 0x20) : c;
            word = (word ^ lower) * kPrime;
            in_word = true;
            ++i;
        } else {
            if (c == '\'' && i + 1 < text.size() && (text[i + 1] | 0x20) == 's' &&
                (i + 2 == text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 2])))) {
                i += 2;  // "mission's" is "mission"
                continue;
            }
            flush();
            ++i;
        }
    }
    flush();
    return out;
}

Shingled shingled(std::string_view text) {
    const auto words = alignment_words(text);
    Shingled s;
    s.word_count = words.size();
    for (auto w : words) s.sequence = (s.sequence ^ w) * 1099511628211ull + 0x9E3779B97F4A7C15ull;
    s.grams = bigrams(words);
    return s;
}

std::vector<Shingled> shingle_all(const std::vector<std::string>& texts) {
    std::vector<Shingled> out;
    out.reserve(texts.size());
    for (const auto& t : texts) out.push_back(shingled(t));
    return out;
}

double similarity(const Shingled& a, const Shingled& b) { return a.same_words(b) ? 1.0 : std::min(0.999, dice(a.grams, b.grams)); }

// Indexes (into `pairs`) of the longest run whose `after` grows with `before` (pairs sorted by before).
std::vector<bool> in_longest_order(const std::vector<ParagraphLink>& pairs) {
    const std::size_t n = pairs.size();
    std::vector<std::size_t> length(n, 1), previous(n, kNone);
    std::size_t best = kNone;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < i; ++j)
            if (pairs[j].after < pairs[i].after && length[j] + 1 > length[i]) length[i] = length[j] + 1, previous[i] = j;
        if (best == kNone || length[i] > length[best]) best = i;
    }
    std::vector<bool> in(n, false);
    for (std::size_t i = best; i != kNone; i = previous[i]) in[i] = true;
    return in;
}

// Every pair (i of `a`, j of `b`) with a similarity from `min_similarity`, as links. Only pairs
// sharing a bigram that is in at most kMaxPosting texts of `a` are scored: a pair that similar
// shares many bigrams, some of them rare, and common ones ("of the") would make the search
// quadratic on long documents.
constexpr std::size_t kMaxPosting = 64;

// A pair can reach `min_similarity` only if its bigram counts are close enough: the Dice
// coefficient is at most 2 min / (size a + size b).
bool sizes_allow(const Shingled& a, const Shingled& b, double min_similarity) {
    const auto x = static_cast<double>(a.grams.size()), y = static_cast<double>(b.grams.size());
    return 2 * std::min(x, y) >= min_similarity * (x + y);
}

// `skip_a`, `skip_b` (empty, or one flag per text): texts already paired, not scored.
std::vector<ParagraphLink> similar_pairs(const std::vector<Shingled>& a, const std::vector<Shingled>& b, double min_similarity,
                                         const std::vector<bool>& skip_a = {}, const std::vector<bool>& skip_b = {}) {
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> postings;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (skip_a.empty() || !skip_a[i])
            for (auto g : a[i].grams) postings[g].push_back(i);
    std::vector<ParagraphLink> out;
    // Bigrams shared with each text of `a`, counted along the postings: when none of b[j]'s bigrams
    // was passed over as too common, the count is the intersection and the Dice coefficient needs
    // no comparison of the two lists; else it bounds it, and only pairs the bound lets through are
    // compared. (Comparing every pair sharing a rare bigram was most of a lineage's time.)
    std::vector<std::uint32_t> shared(a.size(), 0);
    std::vector<std::size_t> touched;
    for (std::size_t j = 0; j < b.size(); ++j) {
        if (!skip_b.empty() && skip_b[j]) continue;
        std::size_t common_skipped = 0;
        touched.clear();
        for (auto g : b[j].grams) {
            const auto it = postings.find(g);
            if (it == postings.end()) continue;
            if (it->second.size() > kMaxPosting) {
                ++common_skipped;
                continue;
            }
            for (std::size_t i : it->second)
                if (shared[i]++ == 0) touched.push_back(i);
        }
        for (std::size_t i : touched) {
            const std::size_t counted = shared[i];
            shared[i] = 0;
            if (!sizes_allow(a[i], b[j], min_similarity)) continue;
            const double total = static_cast<double>(a[i].grams.size() + b[j].grams.size());
            if (2.0 * static_cast<double>(counted + common_skipped) < min_similarity * total) continue;
            const double s = common_skipped ? similarity(a[i], b[j])
                                            : (a[i].same_words(b[j]) ? 1.0 : std::min(0.999, 2.0 * static_cast<double>(counted) / total));
            if (s >= min_similarity) out.push_back({i, j, s, false});
        }
    }
    return out;
}

// Pairs of paragraphs with the same words (similarity 1).
std::vector<ParagraphLink> identical_pairs(const std::vector<Shingled>& a, const std::vector<Shingled>& b) {
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_grams;
    auto key = [](const Shingled& s) {
        std::uint64_t h = s.word_count;
        for (auto g : s.grams) h = h * 1000003u ^ g;
        return h;
    };
    for (std::size_t i = 0; i < a.size(); ++i) by_grams[key(a[i])].push_back(i);
    std::vector<ParagraphLink> out;
    for (std::size_t j = 0; j < b.size(); ++j)
        if (const auto it = by_grams.find(key(b[j])); it != by_grams.end())
            for (std::size_t i : it->second)
                if (a[i].same_words(b[j])) out.push_back({i, j, 1.0, false});
    return out;
}

// Greedy one-to-one pairing: the most similar pairs first, the nearest positions among equals.
// Identical pairs are taken first, as the greedy order would take them anyway (similarity 1 is
// the highest); in a renewal most paragraphs are kept as they were, and the rest are then scored
// only against paragraphs still unpaired.
std::vector<ParagraphLink> best_pairs(const std::vector<Shingled>& a, const std::vector<Shingled>& b, double min_similarity) {
    auto distance = [](const ParagraphLink& l) { return l.before > l.after ? l.before - l.after : l.after - l.before; };
    auto greedy_order = [&](std::vector<ParagraphLink>& candidates) {
        std::sort(candidates.begin(), candidates.end(), [&](const ParagraphLink& x, const ParagraphLink& y) {
            if (x.similarity != y.similarity) return x.similarity > y.similarity;
            if (distance(x) != distance(y)) return distance(x) < distance(y);
            if (x.before != y.before) return x.before < y.before;
            return x.after < y.after;
        });
    };
    std::vector<bool> used_a(a.size(), false), used_b(b.size(), false);
    std::vector<ParagraphLink> pairs;
    auto take = [&](std::vector<ParagraphLink> candidates) {
        greedy_order(candidates);
        for (const auto& c : candidates) {
            if (used_a[c.before] || used_b[c.after]) continue;
            used_a[c.before] = used_b[c.after] = true;
            pairs.push_back(c);
        }
    };
    take(identical_pairs(a, b));
    take(similar_pairs(a, b, min_similarity, used_a, used_b));
    std::sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) { return x.before < y.before; });
    return pairs;
}

}  // namespace

double paragraph_similarity(std::string_view a, std::string_view b) {
    const auto sa = shingle_all({std::string(a)}), sb = shingle_all({std::string(b)});
    return similarity(sa[0], sb[0]);
}

namespace {

// align_paragraphs over paragraphs already split into words: a lineage splits each document once,
// though it is compared twice (with the one before and the one after).
std::vector<ParagraphLink> align_shingled(const std::vector<Shingled>& before, const std::vector<Shingled>& after,
                                          const AlignOptions& options) {
    auto pairs = best_pairs(before, after, options.min_similarity);
    const auto ordered = in_longest_order(pairs);
    for (std::size_t i = 0; i < pairs.size(); ++i) pairs[i].moved = !ordered[i];
    // Placement: a kept or added paragraph at its position in `after` (x2); a removed one just
    // after the position of the kept paragraph that preceded it in `before`.
    std::vector<std::size_t> after_of(before.size(), kNone);
    std::vector<bool> kept_after(after.size(), false);
    for (const auto& p : pairs) after_of[p.before] = p.after, kept_after[p.after] = true;
    std::vector<std::pair<std::size_t, ParagraphLink>> placed;
    for (const auto& p : pairs) placed.push_back({2 * p.after + 2, p});
    for (std::size_t j = 0; j < after.size(); ++j)
        if (!kept_after[j]) placed.push_back({2 * j + 2, ParagraphLink{kNone, j, 0, false}});
    std::size_t anchor = 0;  // placement of the last kept paragraph seen in `before`
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (after_of[i] != kNone) anchor = 2 * after_of[i] + 2;
        else placed.push_back({anchor + 1, ParagraphLink{i, kNone, 0, false}});
    }
    std::stable_sort(placed.begin(), placed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<ParagraphLink> links;
    for (auto& [key, link] : placed) links.push_back(link);
    return links;
}

}  // namespace

std::vector<ParagraphLink> align_paragraphs(const std::vector<std::string>& before, const std::vector<std::string>& after,
                                            const AlignOptions& options) {
    return align_shingled(shingle_all(before), shingle_all(after), options);
}

// ---- word diff ----

namespace {

struct Word {
    std::string folded;
    std::string surface;  // the word and what follows it up to the next word
};

std::vector<Word> words_with_surface(std::string_view text) {
    const auto tokens = analyzer().tokens(text);
    std::vector<Word> out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        // From the end of the previous word (the start for the first: an opening bracket stays).
        const std::size_t begin = i == 0 ? 0 : tokens[i].begin;
        const std::size_t end = i + 1 < tokens.size() ? tokens[i + 1].begin : text.size();
        out.push_back({tokens[i].folded, std::string(text.substr(begin, end - begin))});
    }
    return out;
}

void append(std::vector<DiffSpan>& spans, DiffOp op, const std::string& text) {
    if (!spans.empty() && spans.back().op == op) spans.back().text += text;
    else spans.push_back({op, text});
}

// Beyond this many cells the LCS table is not built: the paragraphs are shown as replaced.
constexpr std::size_t kMaxDiffCells = 4'000'000;

}  // namespace

std::vector<DiffSpan> word_diff(std::string_view before, std::string_view after) {
    const auto a = words_with_surface(before), b = words_with_surface(after);
    std::vector<DiffSpan> spans;
    if ((a.size() + 1) * (b.size() + 1) > kMaxDiffCells) {
        for (const auto& w : a) append(spans, DiffOp::removed, w.surface);
        for (const auto& w : b) append(spans, DiffOp::added, w.surface);
        return spans;
    }
    const std::size_t n = a.size(), m = b.size(), w = m + 1;
    std::vector<std::uint32_t> lcs((n + 1) * w, 0);  // lcs[i*w+j]: of a[i..] and b[j..]
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            lcs[i * w + j] = a[i].folded == b[j].folded ? lcs[(i + 1) * w + j + 1] + 1
                                                        : std::max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i].folded == b[j].folded) {
            append(spans, DiffOp::equal, b[j].surface);
            ++i, ++j;
        } else if (i < n && (j == m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
            append(spans, DiffOp::removed, a[i++].surface);  // removed words before the added ones
        } else {
            append(spans, DiffOp::added, b[j++].surface);
        }
    }
    return spans;
}

// ---- sentences ----

std::vector<std::string> split_sentences(std::string_view text) {
    thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> b(icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(), status));
        if (U_FAILURE(status)) throw std::runtime_error("ICU sentence breaker: " + std::string(u_errorName(status)));
        return b;
    }();
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    breaker->setText(u);
    std::vector<std::string> out;
    std::string carried;  // an enumerator ("4.", "b)") ICU ends a sentence at: it opens the next one
    for (int32_t start = breaker->first(), end = breaker->next(); end != icu::BreakIterator::DONE; start = end, end = breaker->next()) {
        std::string s;
        u.tempSubStringBetween(start, end).toUTF8String(s);
        const auto first = s.find_first_not_of(" \t\r\n"), last = s.find_last_not_of(" \t\r\n");
        if (first == std::string::npos) continue;
        s = carried + s.substr(first, last - first + 1);
        carried.clear();
        if (s.size() <= 5 && s.find(' ') == std::string::npos && (s.back() == '.' || s.back() == ')')) carried = s + " ";
        else out.push_back(std::move(s));
    }
    if (!carried.empty()) out.push_back(carried.substr(0, carried.size() - 1));
    return out;
}

namespace {

std::vector<std::string> sentences_of(const std::vector<std::string>& paragraphs) {
    std::vector<std::string> out;
    for (const auto& p : paragraphs)
        for (auto& s : split_sentences(p))
            if (!folded_words(s).empty()) out.push_back(std::move(s));
    return out;
}

constexpr double kEditedSentence = 0.5;

// For each sentence of `from`: the index of the same (exact words) or else most similar sentence of
// `to` from kEditedSentence, or kNone.
std::vector<std::size_t> counterparts(const std::vector<Shingled>& from, const std::vector<Shingled>& to) {
    std::vector<std::size_t> out(from.size(), kNone);
    std::vector<double> best(from.size(), 0);
    for (const auto& p : similar_pairs(from, to, kEditedSentence))
        if (p.similarity > best[p.before] || (p.similarity == best[p.before] && p.after < out[p.before]))
            best[p.before] = p.similarity, out[p.before] = p.after;
    return out;
}

}  // namespace

SentenceChanges sentence_changes(const std::vector<std::string>& before_paragraphs, const std::vector<std::string>& after_paragraphs) {
    const auto before = sentences_of(before_paragraphs), after = sentences_of(after_paragraphs);
    const auto a = shingle_all(before), b = shingle_all(after);
    const auto forward = counterparts(a, b), backward = counterparts(b, a);
    SentenceChanges out;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (forward[i] == kNone) out.removed.push_back(before[i]);
        else if (!a[i].same_words(b[forward[i]])) out.changed.push_back({before[i], after[forward[i]]});
    }
    for (std::size_t j = 0; j < b.size(); ++j)
        if (backward[j] == kNone) out.added.push_back(after[j]);
    return out;
}

// ---- operative verbs ----

std::string_view strength_name(Strength s) {
    switch (s) {
        case Strength::decides: return "decides";
        case Strength::authorizes: return "authorizes";
        case Strength::requests: return "requests";
        case Strength::encourages: return "encourages";
        case Strength::calls_upon: return "calls upon";
        case Strength::none: break;
    }
    return "";
}

namespace {

// General mandate language (folded forms); "calls" counts only before "upon"/"on".
const std::map<std::string, Strength, std::less<>>& operative_words() {
    static const std::map<std::string, Strength, std::less<>> words = {
        {"decides", Strength::decides},       {"decide", Strength::decides},       {"decided", Strength::decides},
        {"authorizes", Strength::authorizes}, {"authorises", Strength::authorizes}, {"authorized", Strength::authorizes},
        {"authorised", Strength::authorizes}, {"authorize", Strength::authorizes}, {"authorise", Strength::authorizes},
        {"authorizing", Strength::authorizes}, {"authorising", Strength::authorizes},
        {"requests", Strength::requests},     {"requested", Strength::requests},   {"directs", Strength::requests},
        {"encourages", Strength::encourages}, {"encouraged", Strength::encourages}, {"invites", Strength::encourages},
        {"urges", Strength::calls_upon},      {"urged", Strength::calls_upon},
    };
    return words;
}

}  // namespace

OperativeVerb operative_verb(std::string_view sentence) {
    const auto tokens = analyzer().tokens(sentence);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& w = tokens[i].folded;
        const bool call = (w == "calls" || w == "called" || w == "call") && i + 1 < tokens.size() &&
                          (tokens[i + 1].folded == "upon" || tokens[i + 1].folded == "on");
        if (call) return {Strength::calls_upon, std::string(sentence.substr(tokens[i].begin, tokens[i + 1].end - tokens[i].begin))};
        if (auto it = operative_words().find(w); it != operative_words().end())
            return {it->second, std::string(sentence.substr(tokens[i].begin, tokens[i].end - tokens[i].begin))};
    }
    return {};
}

// ---- task profiles ----

namespace {

struct VerbInSentence {
    OperativeVerb verb;
    std::string sentence;
};

// False when no operative word can be in `text`: none of them occurs in it, in any letter case.
// Most paragraphs of a long report have none, and splitting them into sentences and words to find
// that out was most of the cost of a task profile. (A word spelt with letters that fold to these,
// say with a diacritic, is missed: mandate verbs are plain English.)
bool may_hold_operative_verb(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("call") != std::string::npos) return true;
    const auto& words = operative_words();
    return std::any_of(words.begin(), words.end(), [&](const auto& w) { return lower.find(w.first) != std::string::npos; });
}

// The paragraph's strongest operative verb with its sentence (the first among equals).
VerbInSentence paragraph_verb(const std::string& text) {
    VerbInSentence best;
    if (!may_hold_operative_verb(text)) return best;
    for (auto& s : split_sentences(text)) {
        auto v = operative_verb(s);
        if (v.strength > best.verb.strength) best = {std::move(v), std::move(s)};
    }
    return best;
}

bool ends_lead_in(const std::string& text) {
    const auto last = text.find_last_not_of(" \t\r\n");
    return last != std::string::npos && (text[last] == ':' || (text[last] == '-' && last > 0 && text[last - 1] == ' '));
}

// The sentence of `text` holding one of the tag's evidence terms, else its first sentence.
std::string evidence_sentence(const std::string& text, const taxonomy::Tag& tag) {
    const auto sentences = split_sentences(text);
    for (const auto& s : sentences) {
        const auto words = folded_words(s);
        std::string joined = " ";
        for (const auto& w : words) joined += w + " ";
        for (const auto& term : tag.evidence) {
            std::string t = " ";
            for (const auto& w : folded_words(term)) t += w + " ";
            if (t.size() > 1 && joined.find(t) != std::string::npos) return s;
        }
    }
    return sentences.empty() ? text : sentences.front();
}

void assign(TaskProfile& profile, TaskEntry entry) {
    for (auto& t : profile.tasks)
        if (t.category == entry.category) {
            if (entry.strength > t.strength) t = std::move(entry);
            return;
        }
    profile.tasks.push_back(std::move(entry));
}

}  // namespace

TaskProfile task_profile(const LineageDocument& doc, const std::vector<taxonomy::Tagging>& taggings) {
    if (taggings.size() != doc.paragraphs.size()) throw std::invalid_argument("task_profile: one tagging per paragraph");
    TaskProfile profile;
    VerbInSentence lead_in;  // the verb of an open lead-in, inherited by the items below it
    for (std::size_t i = 0; i < doc.paragraphs.size(); ++i) {
        const auto& p = doc.paragraphs[i];
        VerbInSentence own = paragraph_verb(p.text);
        const bool inherits = own.verb.strength == Strength::none && lead_in.verb.strength != Strength::none;
        if (own.verb.strength != Strength::none) lead_in = ends_lead_in(p.text) ? own : VerbInSentence{};
        const OperativeVerb& verb = inherits ? lead_in.verb : own.verb;
        if (verb.strength == Strength::none) continue;
        for (const auto& tag : taggings[i].tags) {
            const std::string sentence = inherits ? evidence_sentence(p.text, tag)
                                                  : (own.sentence.empty() ? evidence_sentence(p.text, tag) : own.sentence);
            assign(profile, TaskEntry{tag.category, verb.strength, verb.surface, sentence, p.id});
        }
    }
    return profile;
}

TaskProfile task_profile(const LineageDocument& doc, const taxonomy::TaxonomyTagger& tagger) {
    std::vector<taxonomy::Tagging> taggings;
    for (const auto& p : doc.paragraphs) taggings.push_back(tagger.tag(p.text));
    return task_profile(doc, taggings);
}

TaskChanges compare_profiles(const TaskProfile& before, const TaskProfile& after) {
    auto find = [](const TaskProfile& p, const std::string& category) -> const TaskEntry* {
        for (const auto& t : p.tasks)
            if (t.category == category) return &t;
        return nullptr;
    };
    TaskChanges out;
    for (const auto& t : after.tasks) {
        const TaskEntry* old = find(before, t.category);
        if (!old) out.gained.push_back(t);
        else if (old->strength != t.strength) out.strength.push_back({*old, t});
    }
    for (const auto& t : before.tasks)
        if (!find(after, t.category)) out.lost.push_back(t);
    return out;
}

// ---- the lineage ----

namespace {

std::vector<std::string> texts_of(const LineageDocument& d) {
    std::vector<std::string> out;
    for (const auto& p : d.paragraphs) out.push_back(p.text);
    return out;
}

// Compares documents `before` and `after` of `l`, whose paragraphs' words are `words_before`
// and `words_after`.
LineageStep compare_documents(const Lineage& l, std::size_t before, std::size_t after, const std::vector<Shingled>& words_before,
                              const std::vector<Shingled>& words_after, LineageDetail detail) {
    LineageStep step;
    step.before = before;
    step.after = after;
    step.detailed = detail == LineageDetail::full;
    step.links = align_shingled(words_before, words_after, {});
    step.tasks = compare_profiles(l.profiles[before], l.profiles[after]);
    if (!step.detailed) return step;
    const auto a = texts_of(l.documents[before]), b = texts_of(l.documents[after]);
    for (const auto& link : step.links)
        step.diffs.push_back(link.before != kNone && link.after != kNone && !link.same() ? word_diff(a[link.before], b[link.after])
                                                                                         : std::vector<DiffSpan>{});
    step.sentences = sentence_changes(a, b);
    return step;
}

// Indexes of `documents` in date order: by year (a document without a date among those of its
// year first; unknown year, 0, last), then date, then id.
std::vector<std::size_t> date_order(const std::vector<LineageDocument>& documents) {
    std::vector<std::size_t> order(documents.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto key = [&](std::size_t i) { return std::tie(documents[i].date, documents[i].year, documents[i].doc); };
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        const auto& dx = documents[x];
        const auto& dy = documents[y];
        if ((dx.year == 0) != (dy.year == 0)) return dy.year == 0;
        if (dx.year != dy.year) return dx.year < dy.year;
        return key(x) < key(y);
    });
    return order;
}

}  // namespace

LinkCounts count_links(const std::vector<ParagraphLink>& links) {
    LinkCounts c;
    for (const auto& l : links) {
        if (l.added()) ++c.added;
        else if (l.removed()) ++c.removed;
        else if (l.moved) ++c.moved;
        else if (l.same()) ++c.same;
        else ++c.changed;
    }
    return c;
}

namespace {

// Calls f(0) .. f(n - 1), spread over the machine's cores; the first exception is rethrown.
template <class F>
void for_each_index(std::size_t n, F f) {
    const std::size_t workers = std::min<std::size_t>(n, std::max(1u, std::thread::hardware_concurrency()));
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) f(i);
    };
    std::vector<std::future<void>> helpers;
    for (std::size_t w = 1; w < workers; ++w) helpers.push_back(std::async(std::launch::async, work));
    std::exception_ptr failed;
    try {
        work();
    } catch (...) {
        failed = std::current_exception();
        next = n;
    }
    for (auto& h : helpers) try {
            h.get();
        } catch (...) {
            if (!failed) failed = std::current_exception();
        }
    if (failed) std::rethrow_exception(failed);
}

}  // namespace

Lineage build_lineage(std::string mission, std::vector<LineageDocument> documents,
                      const std::vector<std::vector<taxonomy::Tagging>>& taggings, LineageDetail detail) {
    if (taggings.size() != documents.size()) throw std::invalid_argument("build_lineage: one tagging list per document");
    Lineage l;
    l.mission = std::move(mission);
    std::vector<const std::vector<taxonomy::Tagging>*> ordered;
    for (std::size_t i : date_order(documents)) {
        ordered.push_back(&taggings[i]);
        l.documents.push_back(std::move(documents[i]));
    }
    // Each document's words and task profile are its own: a mission of sixty documents
    // word-breaks some 6,000 paragraphs, most of a lineage not yet cached, so on every core.
    const std::size_t n = l.documents.size();
    l.profiles.resize(n);
    std::vector<std::vector<Shingled>> words(n);
    for_each_index(n, [&](std::size_t i) {
        l.profiles[i] = task_profile(l.documents[i], *ordered[i]);
        for (const auto& p : l.documents[i].paragraphs) words[i].push_back(shingled(p.text));
    });
    l.steps.resize(n > 0 ? n - 1 : 0);
    for_each_index(l.steps.size(), [&](std::size_t i) { l.steps[i] = compare_documents(l, i, i + 1, words[i], words[i + 1], detail); });
    return l;
}

// ---- reading an index ----

namespace {

using catalog::Connection;

// The registry row whose key or alias is `wanted` (case-insensitive); false when none.
bool find_mission(Connection& db, const std::string& wanted, Lineage& l) {
    const std::string folded = text::fold(wanted);
    for (auto& m : catalog::missions_with_links(db)) {
        const bool named = text::fold(m.key) == folded ||
                           std::any_of(m.aliases.begin(), m.aliases.end(), [&](const std::string& a) { return text::fold(a) == folded; });
        if (!named) continue;
        l.mission = m.key;
        l.name = m.name;
        l.predecessors = std::move(m.predecessors);
        l.successors = std::move(m.successors);
        return true;
    }
    return false;
}

// The document's id, title, kind, date and year; its paragraphs are read by read_paragraphs.
LineageDocument read_meta(Connection& db, const std::string& doc) {
    catalog::DatedDocument d = catalog::dated_document(db, doc);
    return {std::move(d.id), std::move(d.title), std::move(d.kind), std::move(d.date), d.year, {}};
}

void read_paragraphs(Connection& db, LineageDocument& d) {
    // A resolution's lead-in ("2. Decides that the mandate shall include the following tasks:") is
    // often read as the heading of the items below it: such a heading (one with an operative verb)
    // is kept as a paragraph without a passage id, so the items inherit its verb.
    std::int64_t section = -1;
    for (auto& row : catalog::document_paragraphs(db, d.doc)) {
        if (row.section != section) {
            section = row.section;
            if (!row.heading.empty() && operative_verb(row.heading).strength != Strength::none)
                d.paragraphs.push_back({"", row.heading});
        }
        d.paragraphs.push_back({std::move(row.id), std::move(row.text)});
    }
}

// The tags the indexer stored (its tagger's output), best first per paragraph.
std::vector<taxonomy::Tagging> read_taggings(Connection& db, const LineageDocument& d) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < d.paragraphs.size(); ++i) index[d.paragraphs[i].id] = i;
    std::vector<taxonomy::Tagging> out(d.paragraphs.size());
    for (auto& row : catalog::document_passage_tags(db, d.doc)) {
        const auto it = index.find(row.passage_id);
        if (it == index.end()) continue;
        out[it->second].tags.push_back({std::move(row.category), row.score, std::move(row.evidence), 0, {}});
    }
    return out;
}


// The project's registry of peace operations (its missions.json, read once per process):
// predecessors and successors are facts about a mission, not about the indexed documents.
const catalog::KnownMission* known_mission(const std::string& key) {
    static const std::vector<catalog::KnownMission> missions =
        catalog::load_known_missions(data::file(data::kRegistryDir) / "missions.json");
    for (const auto& m : missions)
        if (m.key == key || std::find(m.acronyms.begin(), m.acronyms.end(), key) != m.acronyms.end()) return &m;
    return nullptr;
}

}  // namespace

namespace {

// The registry facts of the mission (key, name, predecessors, successors) and its documents, in
// date order, without their paragraphs.
Lineage lineage_outline(Connection& db, const std::filesystem::path& db_dir, const std::string& mission) {
    Lineage l;
    if (!find_mission(db, mission, l))
        throw NotFound("no mission '" + mission + "' in the index (list them with: mandala entities --type mission)");
    if (const auto* known = known_mission(l.mission); known && l.predecessors.empty() && l.successors.empty()) {
        l.predecessors = known->predecessors;
        l.successors = known->successors;
    }
    const std::set<std::string> mentions = catalog::documents_naming_mission(db, l.mission);
    std::vector<LineageDocument> docs;
    for (const auto& [doc, facts] : document_facts(db_dir, mentions))
        if (facts.mission == l.mission) docs.push_back(read_meta(db, doc));
    for (std::size_t i : date_order(docs)) l.documents.push_back(std::move(docs[i]));
    return l;
}

}  // namespace

Lineage mission_lineage(const std::filesystem::path& db_dir, const std::string& mission, LineageDetail detail) {
    if (mission.empty()) throw InputError("lineage needs a mission (a registry key such as an acronym)");
    catalog::check_index(db_dir);
    Connection db(catalog::catalog_path(db_dir), Connection::Mode::read_only);
    Lineage outline = lineage_outline(db, db_dir, mission);
    std::vector<std::vector<taxonomy::Tagging>> taggings;
    for (auto& d : outline.documents) {
        read_paragraphs(db, d);
        taggings.push_back(read_taggings(db, d));
    }
    Lineage l = build_lineage(outline.mission, std::move(outline.documents), taggings, detail);
    l.name = std::move(outline.name);
    l.predecessors = std::move(outline.predecessors);
    l.successors = std::move(outline.successors);
    return l;
}

Lineage mission_lineage_step(const std::filesystem::path& db_dir, const std::string& mission, std::size_t n) {
    if (mission.empty()) throw InputError("lineage needs a mission (a registry key such as an acronym)");
    catalog::check_index(db_dir);
    Connection db(catalog::catalog_path(db_dir), Connection::Mode::read_only);
    Lineage l = lineage_outline(db, db_dir, mission);
    const std::size_t steps = l.documents.empty() ? 0 : l.documents.size() - 1;
    if (n >= steps)
        throw NotFound("the lineage of " + l.mission + " has " + std::to_string(steps) + " step" + (steps == 1 ? "" : "s") +
                       (steps ? " (0 to " + std::to_string(steps - 1) + ")" : "") + ", not step " + std::to_string(n));
    l.profiles.resize(l.documents.size());
    for (std::size_t i : {n, n + 1}) {
        read_paragraphs(db, l.documents[i]);
        l.profiles[i] = task_profile(l.documents[i], read_taggings(db, l.documents[i]));
    }
    l.steps = {compare_documents(l, n, n + 1, shingle_all(texts_of(l.documents[n])), shingle_all(texts_of(l.documents[n + 1])),
                                 LineageDetail::full)};
    return l;
}

namespace {

// Document facts per catalog snapshot (the file's identity and the generation the indexer
// commits last), filled as documents are asked for: a trace of a common phrase touches every
// document, and reading a document's main mission costs a grouped query over its entities
// (0.2 ms each; 2,000 documents of the large benchmark took 0.4 s of CPU per trace).
class FactsCache {
public:
    std::map<std::string, DocumentFacts> facts(const std::filesystem::path& catalog, const std::set<std::string>& docs) {
        Connection db(catalog, Connection::Mode::read_only);
        const std::string snapshot = snapshot_of(catalog, db);
        std::map<std::string, DocumentFacts> out;
        std::vector<std::string> missing;
        {
            std::lock_guard lock(mutex_);
            Entry& e = entries_[catalog.string()];
            if (e.snapshot != snapshot) e = Entry{snapshot, {}};
            for (const auto& doc : docs)
                if (const auto it = e.facts.find(doc); it != e.facts.end()) {
                    if (it->second) out[doc] = *it->second;
                } else {
                    missing.push_back(doc);
                }
        }
        if (missing.empty()) return out;
        // Outside the lock: other traces go on. Many documents at once (the first trace of a
        // common phrase after a start) are cheaper read for the whole catalog in two grouped
        // queries than one query each (2,000 documents: 0.2 ms each).
        const auto read = missing.size() > kReadAllFrom ? read_all_facts(db) : read_facts(db, missing);
        if (missing.size() > kReadAllFrom) keep_all(catalog, snapshot, read);
        std::lock_guard lock(mutex_);
        Entry& e = entries_[catalog.string()];
        for (const auto& doc : missing) {
            const auto it = read.find(doc);
            if (it != read.end()) out[doc] = it->second;
            if (e.snapshot == snapshot) e.facts[doc] = it == read.end() ? std::nullopt : std::optional(it->second);
        }
        return out;
    }

    // Every document's facts, read at once (a server's start).
    void preload(const std::filesystem::path& catalog) {
        Connection db(catalog, Connection::Mode::read_only);
        keep_all(catalog, snapshot_of(catalog, db), read_all_facts(db));
    }

private:
    void keep_all(const std::filesystem::path& catalog, const std::string& snapshot,
                  const std::map<std::string, DocumentFacts>& all) {
        std::lock_guard lock(mutex_);
        Entry& e = entries_[catalog.string()];
        if (e.facts.empty()) e.snapshot = snapshot;
        if (e.snapshot != snapshot) return;  // a newer index came meanwhile: these facts are stale
        for (const auto& [doc, f] : all) e.facts.emplace(doc, f);
    }

    struct Entry {
        std::string snapshot;
        std::unordered_map<std::string, std::optional<DocumentFacts>> facts;  // nullopt: not in the catalog
    };

    // As the web service's index stamp: a catalog swapped in by a rename is another file (device
    // and inode), and each index run commits a new generation.
    static std::string snapshot_of(const std::filesystem::path& catalog, Connection& db) {
        struct stat info {};
        if (::stat(catalog.c_str(), &info) != 0) return "";
        return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" + catalog::committed_generation(db);
    }

    static constexpr std::size_t kReadAllFrom = 64;

    // Every document's facts: the main mission is the one named in most passages (then the
    // earliest, then the key), as catalog::DocumentFactsReader orders it for one document.
    static std::map<std::string, DocumentFacts> read_all_facts(Connection& db) {
        std::map<std::string, DocumentFacts> out;
        for (auto& [doc, date] : catalog::all_document_dates(db)) out[doc] = {"", std::move(date)};
        std::map<std::string, std::tuple<std::int64_t, std::int64_t, std::string>> best;  // doc -> (-count, first, key)
        for (auto& m : catalog::missions_in_documents(db)) {
            auto candidate = std::make_tuple(-m.passages, m.first_ordinal, m.key);
            auto [it, fresh] = best.emplace(m.doc, candidate);
            if (!fresh && candidate < it->second) it->second = candidate;
        }
        for (const auto& [doc, b] : best)
            if (auto it = out.find(doc); it != out.end()) it->second.mission = std::get<2>(b);
        return out;
    }

    static std::map<std::string, DocumentFacts> read_facts(Connection& db, const std::vector<std::string>& docs) {
        std::map<std::string, DocumentFacts> out;
        catalog::DocumentFactsReader reader(db);
        for (const auto& doc : docs)
            if (auto facts = reader.read(doc)) out[doc] = {std::move(facts->first), std::move(facts->second)};
        return out;
    }

    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

FactsCache& facts_cache() {
    static FactsCache cache;
    return cache;
}

}  // namespace

std::map<std::string, DocumentFacts> document_facts(const std::filesystem::path& db_dir, const std::set<std::string>& docs) {
    if (docs.empty() || !std::filesystem::exists(catalog::catalog_path(db_dir))) return {};
    return facts_cache().facts(catalog::catalog_path(db_dir), docs);
}

void preload_document_facts(const std::filesystem::path& db_dir) {
    const auto catalog = catalog::catalog_path(db_dir);
    if (std::filesystem::exists(catalog)) facts_cache().preload(catalog);
}

// ---- JSON ----

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr strings(const std::vector<std::string>& v) {
    Array::Ptr a = new Array;
    for (const auto& s : v) a->add(s);
    return a;
}

Object::Ptr task_json(const TaskEntry& t) {
    Object::Ptr o = new Object;
    o->set("category", t.category);
    o->set("strength", std::string(strength_name(t.strength)));
    o->set("rank", static_cast<int>(t.strength));
    o->set("verb", t.verb);
    o->set("sentence", t.sentence);
    o->set("passage", t.passage);
    return o;
}

Array::Ptr tasks_json(const std::vector<TaskEntry>& tasks) {
    Array::Ptr a = new Array;
    for (const auto& t : tasks) a->add(task_json(t));
    return a;
}

Object::Ptr document_json(const LineageDocument& d, const TaskProfile& profile) {
    Object::Ptr o = new Object;
    o->set("doc", d.doc);
    o->set("title", d.title);
    o->set("kind", d.kind);
    o->set("date", d.date);
    o->set("year", d.year);
    Array::Ptr paragraphs = new Array;
    for (const auto& p : d.paragraphs) {
        Object::Ptr x = new Object;
        x->set("id", p.id);
        x->set("text", p.text);
        paragraphs->add(x);
    }
    o->set("paragraphs", paragraphs);
    o->set("tasks", tasks_json(profile.tasks));
    return o;
}

std::string_view link_kind(const ParagraphLink& l) {
    if (l.added()) return "added";
    if (l.removed()) return "removed";
    if (l.moved) return "moved";
    return l.same() ? "same" : "changed";
}

Object::Ptr link_json(const ParagraphLink& l, const std::vector<DiffSpan>& diff) {
    Object::Ptr o = new Object;
    o->set("kind", std::string(link_kind(l)));
    o->set("before", l.before == kNone ? Poco::Dynamic::Var() : Poco::Dynamic::Var(l.before));
    o->set("after", l.after == kNone ? Poco::Dynamic::Var() : Poco::Dynamic::Var(l.after));
    o->set("similarity", l.similarity);
    o->set("moved", l.moved);
    Array::Ptr spans = new Array;
    for (const auto& s : diff) {
        Object::Ptr x = new Object;
        x->set("op", std::string(s.op == DiffOp::equal ? "equal" : s.op == DiffOp::added ? "added" : "removed"));
        x->set("text", s.text);
        spans->add(x);
    }
    o->set("diff", spans);
    return o;
}

Object::Ptr sentences_json(const SentenceChanges& s) {
    Object::Ptr sentences = new Object;
    sentences->set("added", strings(s.added));
    sentences->set("removed", strings(s.removed));
    Array::Ptr changed = new Array;
    for (const auto& c : s.changed) {
        Object::Ptr x = new Object;
        x->set("before", c.before);
        x->set("after", c.after);
        changed->add(x);
    }
    sentences->set("changed", changed);
    return sentences;
}

Object::Ptr task_changes_json(const TaskChanges& t) {
    Object::Ptr tasks = new Object;
    tasks->set("gained", tasks_json(t.gained));
    tasks->set("lost", tasks_json(t.lost));
    Array::Ptr strength = new Array;
    for (const auto& c : t.strength) {
        Object::Ptr x = new Object;
        x->set("before", task_json(c.before));
        x->set("after", task_json(c.after));
        strength->add(x);
    }
    tasks->set("strength", strength);
    return tasks;
}

Object::Ptr counts_json(const LinkCounts& c) {
    Object::Ptr o = new Object;
    o->set("same", c.same);
    o->set("changed", c.changed);
    o->set("moved", c.moved);
    o->set("added", c.added);
    o->set("removed", c.removed);
    return o;
}

Object::Ptr step_json(const LineageStep& s) {
    Object::Ptr o = new Object;
    o->set("before", s.before);
    o->set("after", s.after);
    Array::Ptr links = new Array;
    for (std::size_t i = 0; i < s.links.size(); ++i) links->add(link_json(s.links[i], s.diffs[i]));
    o->set("links", links);
    o->set("sentences", sentences_json(s.sentences));
    o->set("tasks", task_changes_json(s.tasks));
    return o;
}

void set_head(Object& o, const Lineage& l) {
    o.set("mission", l.mission);
    o.set("name", l.name);
    o.set("predecessors", strings(l.predecessors));
    o.set("successors", strings(l.successors));
}

std::string stringify(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace

std::string to_json(const Lineage& l) {
    Object o;
    set_head(o, l);
    Array documents;
    for (std::size_t i = 0; i < l.documents.size(); ++i) documents.add(document_json(l.documents[i], l.profiles[i]));
    o.set("documents", documents);
    Array steps;
    for (const auto& s : l.steps) steps.add(step_json(s));
    o.set("steps", steps);
    return stringify(o);
}

std::string summary_to_json(const Lineage& l) {
    Object o;
    set_head(o, l);
    Array documents;
    for (std::size_t i = 0; i < l.documents.size(); ++i) {
        Object::Ptr d = document_json(l.documents[i], l.profiles[i]);
        d->remove("paragraphs");
        d->set("paragraph_count", l.documents[i].paragraphs.size());
        documents.add(d);
    }
    o.set("documents", documents);
    Array steps;
    for (std::size_t n = 0; n < l.steps.size(); ++n) {
        const LineageStep& s = l.steps[n];
        Object::Ptr x = new Object;
        x->set("step", n);
        x->set("before", s.before);
        x->set("after", s.after);
        x->set("counts", counts_json(count_links(s.links)));
        x->set("tasks", task_changes_json(s.tasks));
        steps.add(x);
    }
    o.set("steps", steps);
    return stringify(o);
}

std::string step_to_json(const Lineage& l) {
    if (l.steps.size() != 1) throw std::invalid_argument("step_to_json: a lineage of one step (mission_lineage_step)");
    const LineageStep& s = l.steps.front();
    Object o;
    set_head(o, l);
    o.set("step", s.before);
    o.set("steps", l.documents.size() - 1);
    o.set("before", document_json(l.documents[s.before], l.profiles[s.before]));
    o.set("after", document_json(l.documents[s.after], l.profiles[s.after]));
    o.set("counts", counts_json(count_links(s.links)));
    Array::Ptr links = new Array;
    for (std::size_t i = 0; i < s.links.size(); ++i) links->add(link_json(s.links[i], s.diffs[i]));
    o.set("links", links);
    o.set("sentences", sentences_json(s.sentences));
    o.set("tasks", task_changes_json(s.tasks));
    return stringify(o);
}

}  // namespace mandala::search
