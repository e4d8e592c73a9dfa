#include "indexer/furniture.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "text/clean.h"
#include "text/unicode.h"

namespace mandala::indexer {
namespace {

std::vector<std::string> words_of(std::string_view s) {
    std::vector<std::string> words;
    std::string w;
    for (char c : std::string(s) + " ") {
        if (c == ' ') {
            if (!w.empty()) words.push_back(std::move(w));
            w.clear();
        } else {
            w += c;
        }
    }
    return words;
}

// Lower case, without the punctuation around it: "Share:" -> "share", "(Photo" -> "photo".
std::string bare(std::string_view word) {
    std::string out = text::fold(word);
    auto punct = [](unsigned char c) { return !std::isalnum(c) && c < 0x80; };
    while (!out.empty() && punct(static_cast<unsigned char>(out.back()))) out.pop_back();
    std::size_t start = 0;
    while (start < out.size() && punct(static_cast<unsigned char>(out[start]))) ++start;
    return out.substr(start);
}

bool starts_with_any(std::string_view folded, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return folded.starts_with(p); });
}

// "Source: ...", "Sources: ...": where a text or figure comes from.
bool is_source_line(std::string_view folded, std::size_t words) {
    return words <= 40 && starts_with_any(folded, {"source:", "sources:", "source :", "sources :"});
}

// "UN Photo/Jane Doe", "Photo: ...", "Photo credit ...", "Credit: ...", "Image: ...".
bool is_photo_credit(std::string_view folded, std::size_t words) {
    if (words > 12) return false;
    if (folded.find("photo/") != std::string_view::npos || folded.find("photo /") != std::string_view::npos)
        return true;
    return starts_with_any(folded, {"photo:", "photo credit", "photo by ", "photo courtesy", "photograph:",
                                    "(photo", "credit:", "credits:", "image:", "picture:", "file photo"});
}

// A caption with its credit in it: "A patrol near the river. Photo credit: J. Doe/UN".
bool is_caption_with_credit(std::string_view folded, std::size_t words) {
    if (words > 40) return false;
    for (std::string_view credit : {"photo credit", "(photo", "photo:", "photo courtesy", "un photo/", "un photo /"})
        if (folded.find(credit) != std::string_view::npos) return true;
    return false;
}

bool is_name_word(const std::string& w) {
    if (w == "and" || w == "of" || w == "de" || w == "van" || w == "von" || w == "&") return true;
    return !w.empty() && (std::isupper(static_cast<unsigned char>(w[0])) || static_cast<unsigned char>(w[0]) >= 0x80);
}

// "By Jane Doe", "By Jane Doe and John Roe", "Posted by: ...", "Written by ...", "Author: ...".
bool is_byline(std::string_view folded, const std::vector<std::string>& words) {
    if (words.size() > 12) return false;
    if (starts_with_any(folded, {"posted by", "written by", "author:", "authors:", "reporter:", "reported by",
                                 "edited by", "posted on", "published on", "posted:", "published:",
                                 "last updated", "updated:", "last modified"}))
        return true;
    if (bare(words.front()) != "by" || words.size() < 2 || words.size() > 7) return false;
    return std::all_of(words.begin() + 1, words.end(), is_name_word) && !text::ends_sentence(words.back());
}

bool is_date_word(const std::string& w) {
    static constexpr std::array<std::string_view, 26> kNames = {
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "am", "pm"};
    static constexpr std::array<std::string_view, 14> kDays = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    // Words that introduce a date on a page: "Posted Fri 2 Dec 2011", "date 2018-12-20".
    static constexpr std::array<std::string_view, 10> kLeads = {
        "posted", "published", "updated", "last", "modified", "created", "date", "dated", "on", "at"};
    const std::string b = bare(w);
    if (b.empty()) return true;  // a dash or a separator
    if (std::any_of(b.begin(), b.end(), [](unsigned char c) { return std::isdigit(c); })) return true;
    return std::find(kNames.begin(), kNames.end(), b) != kNames.end() ||
           std::find(kDays.begin(), kDays.end(), b) != kDays.end() ||
           std::find(kLeads.begin(), kLeads.end(), b) != kLeads.end();
}

// A line that is only a date, perhaps with a weekday and a time: "Sat, 07/09/2011 - 08:48".
bool is_dateline(const std::vector<std::string>& words) {
    if (words.size() > 8) return false;
    const bool digit = std::any_of(words.begin(), words.end(), [](const std::string& w) {
        return std::any_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c); });
    });
    return digit && std::all_of(words.begin(), words.end(), is_date_word);
}

// "Read more", "Continue reading", "Learn more »", "Related stories": links to elsewhere.
bool is_link_prompt(std::string_view folded, std::size_t words) {
    static constexpr std::array<std::string_view, 20> kPrompts = {
        "read more", "read the full story", "read the full article", "read the story", "continue reading",
        "learn more", "find out more", "more information", "further information", "for more information",
        "related", "related stories", "related articles", "related news", "related content", "click here",
        "see more", "view more", "back to top", "full story"};
    std::string s(folded);
    for (bool changed = true; changed;) {
        changed = false;
        while (!s.empty() && std::string_view(":.>-| ").find(s.back()) != std::string_view::npos) {
            s.pop_back();
            changed = true;
        }
        for (std::string_view arrow : {"\u00BB", "\u203A", "\u2026", "\u2192"})
            if (s.ends_with(arrow)) {
                s.resize(s.size() - arrow.size());
                changed = true;
            }
    }
    if (std::find(kPrompts.begin(), kPrompts.end(), s) != kPrompts.end()) return true;
    if (words > 12) return false;
    if (starts_with_any(folded, {"read more:", "read more about", "related:", "related stories:"})) return true;
    // "Download the report (PDF)", "Get this brief in PDF format:": a link to a file.
    if (words <= 10 && folded.find("pdf") != std::string_view::npos &&
        (folded.find("download") != std::string_view::npos || folded.find("format") != std::string_view::npos ||
         folded.starts_with("get ")))
        return true;
    // "Get the weekly brief by email: sign up", "Subscribe to our newsletter".
    for (std::string_view prompt : {"sign up", "subscribe", "newsletter"})
        if (folded.find(prompt) != std::string_view::npos) return true;
    return false;
}

// "Share", "Share this", "Share on Facebook", "Facebook Twitter Email Print", "Follow us on X".
bool is_share_buttons(const std::vector<std::string>& words) {
    static constexpr std::array<std::string_view, 23> kButtons = {
        "share", "tweet", "twitter", "facebook", "linkedin", "email", "e-mail", "print", "print-friendly",
        "printer-friendly", "whatsapp", "reddit", "telegram", "copy", "link", "pdf", "download", "bluesky",
        "follow", "instagram", "youtube", "flickr", "x"};
    static constexpr std::array<std::string_view, 10> kFillers = {"this", "article", "page", "story", "on", "via",
                                                                  "version", "and", "or", "us"};
    if (words.size() > 10) return false;
    bool button = false;
    for (const auto& w : words) {
        const std::string b = bare(w);
        if (b.empty()) continue;
        const bool is_button = std::find(kButtons.begin(), kButtons.end(), b) != kButtons.end();
        if (!is_button && std::find(kFillers.begin(), kFillers.end(), b) == kFillers.end()) return false;
        button = button || is_button;
    }
    return button;
}

// How many separators part `words` into steps of at most `max_step` words each (no empty step),
// or -1 when a step is longer or empty: a trail or a menu, not a sentence.
int short_steps(const std::vector<std::string>& words, std::initializer_list<std::string_view> separators,
                std::size_t max_step) {
    int count = 0;
    std::size_t step = 0;
    for (const auto& w : words) {
        if (std::find(separators.begin(), separators.end(), w) != separators.end()) {
            if (step == 0) return -1;
            ++count, step = 0;
        } else if (++step > max_step) {
            return -1;
        }
    }
    return step > 0 ? count : -1;
}

// "Home > Missions > Abyei", "Home / News / 2019", "You are here: Home » About": where the page
// sits in its site. Starts at the site's home and steps down by separators; each step is a short
// name ("Home to three million people / ..." is a sentence).
bool is_breadcrumb(std::string_view folded, const std::vector<std::string>& words) {
    if (words.size() < 3 || words.size() > 16 || text::ends_sentence(folded)) return false;
    if (!folded.starts_with("home ") && !folded.starts_with("you are here")) return false;
    return short_steps(words, {">", "/", "|", "\u00BB", "\u203A", ">>"}, 5) >= 1;
}

// "News and Media Division \u2022 New York \u2022 Press Releases", "About | Contact | Donate": a
// masthead or menu, short names between bullets or bars.
bool is_navigation(std::string_view folded, const std::vector<std::string>& words) {
    if (words.size() < 5 || words.size() > 24 || text::ends_sentence(folded)) return false;
    return short_steps(words, {"\u2022", "|", "\u00B7"}, 6) >= 2;
}

}  // namespace

Furniture furniture_kind(std::string_view paragraph) {
    const std::vector<std::string> words = words_of(paragraph);
    if (words.empty() || words.size() > 40) return Furniture::none;
    const std::string folded = text::fold(paragraph);
    if (is_source_line(folded, words.size())) return Furniture::source_line;
    if (is_photo_credit(folded, words.size())) return Furniture::photo_credit;
    if (is_caption_with_credit(folded, words.size())) return Furniture::caption;
    if (is_byline(folded, words)) return Furniture::byline;
    if (is_dateline(words)) return Furniture::dateline;
    if (is_link_prompt(folded, words.size())) return Furniture::link_prompt;
    if (is_share_buttons(words)) return Furniture::share_buttons;
    if (is_breadcrumb(folded, words) || is_navigation(folded, words)) return Furniture::navigation;
    return Furniture::none;
}

const char* to_string(Furniture f) {
    switch (f) {
        case Furniture::source_line: return "source-line";
        case Furniture::photo_credit: return "photo-credit";
        case Furniture::byline: return "byline";
        case Furniture::dateline: return "dateline";
        case Furniture::link_prompt: return "link-prompt";
        case Furniture::share_buttons: return "share-buttons";
        case Furniture::caption: return "caption";
        case Furniture::navigation: return "navigation";
        case Furniture::none: break;
    }
    return "none";
}

}  // namespace mandala::indexer
