// Document dates: regular expressions over the head of the text (bounded, so their cost does not
// grow with the document) and over the source address.
#include "indexer/extract/dates.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <regex>
#include <vector>

namespace mandala::indexer {

namespace {

constexpr int kFirstYear = 1945;
constexpr std::size_t kHead = 1600;  // bytes of text where a dateline or meeting date may stand
constexpr std::size_t kRenewalHead = 900;  // bytes where the renewal a news item reports is told

const std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                             "jul", "aug", "sep", "oct", "nov", "dec"};

int month_of(const std::string& name) {
    if (name.size() < 3) return 0;
    std::string head;
    for (char c : name.substr(0, 3)) head += static_cast<char>(c | 0x20);
    for (std::size_t i = 0; i < kMonths.size(); ++i)
        if (head == kMonths[i]) return static_cast<int>(i) + 1;
    return 0;
}

const std::string kMonth =
    "(January|February|March|April|May|June|July|August|September|October|November|December|"
    "JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\.?";

struct Found {
    DocumentDate date;
    std::size_t begin = 0, end = 0;  // byte range in the text searched
};

bool plausible(const DocumentDate& d, int last_year) {
    return d.year >= kFirstYear && d.year <= last_year && d.month >= 0 && d.month <= 12 && d.day >= 0 && d.day <= 31;
}

// Every full date (with a year) in `text`: "13 June 2014", "June 13, 2014", "June 2014",
// "2014-06-13", "06/13/2014", "20140613".
std::vector<Found> dates_in(const std::string& text, int last_year) {
    static const std::regex day_month_year("\\b(\\d{1,2}) " + kMonth + ",? (\\d{4})\\b");
    static const std::regex month_day_year("\\b" + kMonth + " (\\d{1,2}),? (\\d{4})\\b");
    static const std::regex month_year("\\b" + kMonth + " (\\d{4})\\b");
    static const std::regex iso("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
    static const std::regex slashed("\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})\\b");
    static const std::regex compact("(?:^|[^\\d])((?:19|20)\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(?!\\d)");
    std::vector<Found> out;
    auto each = [&](const std::regex& re, auto make) {
        for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
            const std::smatch& m = *it;
            DocumentDate d = make(m);
            std::size_t begin = static_cast<std::size_t>(m.position(0));
            if (&re == &compact && m[0].str().size() > 8) ++begin;  // the non-digit before it
            if (plausible(d, last_year)) out.push_back({d, begin, static_cast<std::size_t>(m.position(0) + m.length(0))});
        }
    };
    each(day_month_year, [](const std::smatch& m) { return DocumentDate{std::stoi(m[3]), month_of(m[2]), std::stoi(m[1]), {}}; });
    each(month_day_year, [](const std::smatch& m) { return DocumentDate{std::stoi(m[3]), month_of(m[1]), std::stoi(m[2]), {}}; });
    each(month_year, [](const std::smatch& m) { return DocumentDate{std::stoi(m[2]), month_of(m[1]), 0, {}}; });
    each(iso, [](const std::smatch& m) { return DocumentDate{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), {}}; });
    // 07/09/2011 is July 9 or 7 September: only the year is sure unless one part exceeds 12.
    each(slashed, [](const std::smatch& m) {
        int a = std::stoi(m[1]), b = std::stoi(m[2]);
        if (a > 12 && b <= 12) return DocumentDate{std::stoi(m[3]), b, a, {}};
        if (b > 12 && a <= 12) return DocumentDate{std::stoi(m[3]), a, b, {}};
        return DocumentDate{std::stoi(m[3]), 0, 0, {}};
    });
    each(compact, [](const std::smatch& m) { return DocumentDate{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), {}}; });
    return out;
}

std::size_t line_begin(const std::string& text, std::size_t at) {
    std::size_t nl = text.rfind('\n', at == 0 ? 0 : at - 1);
    return (at == 0 || nl == std::string::npos) ? 0 : nl + 1;
}

std::size_t line_end(const std::string& text, std::size_t at) {
    std::size_t nl = text.find('\n', at);
    return nl == std::string::npos ? text.size() : nl;
}

std::size_t words_in(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : s) {
        bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        if (letter && !in_word) ++n;
        in_word = letter;
    }
    return n;
}

bool ends_with_marker(std::string_view before) {
    // The marker opens the line ("Posted Fri 2 Dec 2011", "date 2018-12-20"): "resolution 1244
    // dated 10 June 1999" in a sentence is no dateline.
    static const std::regex marker("^\\W{0,3}(posted|published|updated|issued|date|dated)\\s*:?\\s*(on\\s+)?"
                                   "((mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s*)?$",
                                   std::regex::icase);
    std::string s(before);
    return std::regex_search(s, marker);
}

// A dateline: the date stands alone on its line (give or take a weekday, a time, a place or a
// short label), starts its line before a dash, a parenthesis or glued text ("19951130This"),
// follows a weekday ("Tue, May 1, 2012"), or follows "Posted", "Published", "date".
bool is_dateline(const std::string& text, const Found& f) {
    std::size_t lb = line_begin(text, f.begin), le = line_end(text, f.end);
    std::string_view before(text.data() + lb, f.begin - lb), after(text.data() + f.end, le - f.end);
    if (ends_with_marker(before)) return true;
    static const std::regex weekday("(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\\.?,?\\s*$");
    if (std::regex_search(std::string(before), weekday)) return true;
    if (words_in(before) + words_in(after) <= 3) return true;
    // A news agency's dateline, even where the reader joined it to the headline: "Mar 11, 2006
    // (ADDIS ABABA) —".
    static const std::regex agency("^ \\([A-Z][A-Z ,.]+\\) ?(\xE2\x80\x94|\xE2\x80\x93|-)");
    if (std::regex_search(std::string(after), agency)) return true;
    bool at_start = words_in(before) <= 3 && (before.empty() || before.find(',') != std::string_view::npos || words_in(before) == 0);
    auto starts = [&](std::string_view p) { return after.substr(0, p.size()) == p; };
    bool separated = starts(" -") || starts(" \xE2\x80\x94") || starts(" \xE2\x80\x93") || starts(" (") ||
                     (!after.empty() && after[0] >= 'A' && after[0] <= 'Z');
    return at_start && separated;
}

// "In Vienna on 21 March 2014, the Permanent Council decided": a decision dated in the sentence
// that reports it.
bool is_meeting_date(const std::string& text, const Found& f) {
    std::size_t sentence = text.rfind(". ", f.begin);
    sentence = sentence == std::string::npos ? line_begin(text, f.begin) : std::max(sentence + 2, line_begin(text, f.begin));
    std::string_view before(text.data() + sentence, f.begin - sentence);
    if (!(before.ends_with("on ") || before.ends_with("On "))) return false;
    std::size_t stop = text.find(". ", f.end);
    std::string rest = text.substr(f.end, std::min(stop, line_end(text, f.end)) - f.end);
    static const std::regex decision("\\b(decided|adopted|voted|agreed|approved|authori[sz]ed|extended|renewed|"
                                     "prolonged|established)\\b");
    return std::regex_search(rest, decision);
}

// The formulas that date an official text in its header: "Adopted by the Security Council at its
// 6952nd meeting, on 25 April 2013", "At the 8000th meeting of the Council, held on 19 July 2017",
// "COUNCIL DECISION (CFSP) 2018/1942 of 10 December 2018 amending ...". They open a line, so the
// same words told later in a sentence ("the Council, at its 4011th meeting on ...") do not count.
DocumentDate formal_header_date(const std::string& head, int last_year) {
    const std::string date = "(\\d{1,2}) " + kMonth + ",? ((?:19|20)\\d{2})";
    static const std::regex adopted("(?:^|\\n)[ \\t]*(?:Adopted|Approved|Agreed) (?:by|at) [^\\n]{0,200}?\\bon " + date, std::regex::icase);
    static const std::regex meeting("(?:^|\\n)[ \\t]*At (?:the|its) [^\\n]{0,40}?\\bmeeting\\b[^\\n]{0,120}?\\b(?:held )?on " + date,
                                    std::regex::icase);
    static const std::regex act("(?:^|\\n)[ \\t]*(?:Council |Commission |Political and Security Committee )?(?:Implementing )?"
                                "(?:Decision|Joint Action|Regulation|Common Position)\\b[^\\n]{0,60}? of " + date,
                                std::regex::icase);
    std::smatch m;
    for (const std::regex* re : {&adopted, &meeting, &act})
        if (std::regex_search(head, m, *re)) {
            DocumentDate d{std::stoi(m[3]), month_of(m[2]), std::stoi(m[1]), re == &act ? "act" : "meeting"};
            if (plausible(d, last_year)) return d;
        }
    return {};
}

// /2013/07/31/, /2013/07/, /2015/ or 19951130 in an address's path.
DocumentDate date_in_address(std::string_view url, int last_year) {
    std::size_t scheme = url.find("://");
    std::size_t path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    if (path == std::string_view::npos) return {};
    std::string p(url.substr(path));
    static const std::regex ymd("/((?:19|20)\\d{2})/(0[1-9]|1[0-2])(?:/(0[1-9]|[12]\\d|3[01]))?(?=/|$)");
    static const std::regex year_dir("/((?:19|20)\\d{2})/");
    static const std::regex compact("/((?:19|20)\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])[^\\d/]");
    std::smatch m;
    DocumentDate d;
    if (std::regex_search(p, m, ymd)) d = {std::stoi(m[1]), std::stoi(m[2]), m[3].matched ? std::stoi(m[3]) : 0, "address"};
    else if (std::regex_search(p, m, compact)) d = {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), "address"};
    else if (std::regex_search(p, m, year_dir)) d = {std::stoi(m[1]), 0, 0, "address"};
    return plausible(d, last_year) ? d : DocumentDate{};
}

// "25 October -- Today the Council ..." opening a line, with "N251099" in the address: the
// day and month of a dateline without its year, found again as DDMMYY in the address's file
// name, give the year (two digits: the latest year up to `last_year` ending so).
DocumentDate yearless_dateline_in_address(const std::string& head, std::string_view url, int last_year) {
    static const std::regex dateline("(?:^|\\n)[ \\t]*(\\d{1,2}) " + kMonth + "(?![ ,]*\\d)");
    std::smatch m;
    if (!std::regex_search(head, m, dateline)) return {};
    const int day = std::stoi(m[1]), month = month_of(m[2]);
    if (day < 1 || day > 31 || month == 0) return {};
    char stamp[8];
    std::snprintf(stamp, sizeof stamp, "%02d%02d", day, month);
    const std::size_t file = url.rfind('/');
    const std::string_view name = url.substr(file == std::string_view::npos ? 0 : file + 1);
    const std::size_t at = name.find(stamp);
    if (at == std::string_view::npos || at + 6 > name.size()) return {};
    const std::string_view yy = name.substr(at + 4, 2);
    if (!std::isdigit(static_cast<unsigned char>(yy[0])) || !std::isdigit(static_cast<unsigned char>(yy[1]))) return {};
    if (at + 6 < name.size() && std::isdigit(static_cast<unsigned char>(name[at + 6]))) return {};
    const int two = std::stoi(std::string(yy));
    const int year = last_year / 100 * 100 + two <= last_year ? last_year / 100 * 100 + two : last_year / 100 * 100 - 100 + two;
    DocumentDate d{year, month, day, "dateline"};
    return plausible(d, last_year) ? d : DocumentDate{};
}

// A report of a decision just taken ("today", "this afternoon", "On Thursday", "On 5 November"):
// the year of the resolution it reports ("adopting resolution 2223 (2015)", "under Resolution
// 2614/2021"), with the day when the text gives one without a year.
DocumentDate resolution_just_adopted(const std::string& head, int last_year) {
    static const std::regex event("\\b(today|this (morning|afternoon|evening)|on (monday|tuesday|wednesday|thursday|"
                                  "friday|saturday|sunday))\\b", std::regex::icase);
    static const std::regex dated_event("\\b[Oo]n (\\d{1,2}) " + kMonth + "\\b(?! \\d)");
    static const std::regex adopting("\\b(adopting|adopted|voted for|under|by) (draft )?resolution \\d{2,4}"
                                     "(?: \\(|/)((?:19|20)\\d{2})\\b", std::regex::icase);
    std::smatch m, day;
    bool dated = std::regex_search(head, day, dated_event);
    if (!(dated || std::regex_search(head, event)) || !std::regex_search(head, m, adopting)) return {};
    DocumentDate d{std::stoi(m[3]), 0, 0, "resolution-today"};
    if (dated) d.month = month_of(day[2]), d.day = std::stoi(day[1]);
    return plausible(d, last_year) ? d : DocumentDate{};
}

int count_of(const std::string& word) {
    static const char* kWords[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"};
    for (int i = 0; i < 12; ++i)
        if (word == kWords[i]) return i + 1;
    if (word == "one more") return 1;
    return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }) && word.size() <= 3
               ? std::stoi(word) : 0;
}

// A mandate renewed "for twelve months, until 31 July 2018" or "by two years, to 18 May 2020" is
// renewed about that long before its new end: the year of the decision, when the text says no
// more (a renewal takes effect when the previous mandate ends, so the month is not sure).
DocumentDate renewal_year(const std::string& head, int last_year) {
    static const std::regex renewal(
        "\\b(extend|extended|extends|extension|prolong|prolonged|prolongs|renew|renewed|renews|renewal)\\b[^\\n]{0,120}?"
        "\\b(?:for|by) (?:a further |another |an additional )?(one more|\\d{1,3}|one|two|three|four|five|six|seven|"
        "eight|nine|ten|eleven|twelve) (?:more |further |additional )?(months?|years?)\\b[^\\n]{0,60}?"
        "\\b(?:until|till|to|through) (?:(\\d{1,2}) )?" + kMonth + "(?: (\\d{1,2}))?,? (\\d{4})\\b",
        std::regex::icase);
    std::smatch m;
    if (!std::regex_search(head, m, renewal)) return {};
    int count = count_of(m[2].str()), month = month_of(m[5]), year = std::stoi(m[7]);
    if (count == 0 || month == 0) return {};
    int months = (m[3].str()[0] == 'y' || m[3].str()[0] == 'Y') ? count * 12 : count;
    int total = year * 12 + (month - 1) - months;
    DocumentDate d{total / 12, 0, 0, "renewal"};
    return plausible(d, last_year) ? d : DocumentDate{};
}

// "08 qershor 2010": a dateline in another language gives its year.
DocumentDate foreign_dateline(const std::string& head, int last_year) {
    static const std::regex line("(?:^|\\n)\\s*(\\d{1,2})\\.? ([^\\s\\d]{3,12}) ((?:19|20)\\d{2})\\s*(?:\\n|$)");
    std::smatch m;
    if (!std::regex_search(head, m, line)) return {};
    DocumentDate d{std::stoi(m[3]), 0, 0, "dateline"};
    return plausible(d, last_year) ? d : DocumentDate{};
}

// A title that ends in a year ("Budget Review 2014", "Annual Report (2019)") names the year the
// document reports on, unless the year is a term's end ("... Mandate until 2019"), the start or end
// of a span ("since 2000", "2000-2010") or a resolution's number. The weakest sign: used only when
// the text shows no date.
DocumentDate title_year(const std::string& head, int last_year) {
    static const std::regex year_last("^[^\\n]{3,160}?(?:\\b(until|till|through|to|by|ending|ends|from|since|after|"
                                      "before|and|resolution)\\s*|(-|\u2013)\\s*)?\\(?((?:19|20)\\d{2})\\)?\\.?\\s*(?:\\n|$)",
                                      std::regex::icase);
    std::smatch m;
    if (!std::regex_search(head, m, year_last) || m[1].matched || m[2].matched) return {};
    DocumentDate d{std::stoi(m[3]), 0, 0, "title"};
    return plausible(d, last_year) ? d : DocumentDate{};
}

// "As of March 2023, the mission has ..." or "In 2019, the Service forms part of ...": a sentence
// that tells the present state of things in a year speaks from that year. The verb must be a
// present-tense verb of state, so that "In 2004, the Council established ..." (history) is not it.
// The latest such year counts. Weak: used only when the text shows no date.
DocumentDate present_state_year(const std::string& head, int last_year) {
    static const std::regex as_of("(?:^|[.!?]\\s+|\\n\\s*)(?:As of|As at) (?:(?:\\d{1,2} )?" + kMonth +
                                  " )?((?:19|20)\\d{2}),");
    static const std::regex in_year("(?:^|[.!?]\\s+|\\n\\s*)In ((?:19|20)\\d{2}), (?:[A-Za-z\\-]+ ){1,5}?"
                                    "(is|are|has|have|remains|remain|forms|form|comprises|comprise|consists|"
                                    "consist|includes|include|counts|numbers|totals|employs|employ|operates|"
                                    "operate|hosts|covers|cover)\\b");
    int year = 0;
    for (const std::regex* re : {&as_of, &in_year})
        for (std::sregex_iterator it(head.begin(), head.end(), *re), end; it != end; ++it)
            year = std::max(year, std::stoi((*it)[re == &as_of ? 2 : 1]));
    DocumentDate d{year, 0, 0, "present"};
    return plausible(d, last_year) ? d : DocumentDate{};
}

// "Today the Council decided ... the new mission will take over on 26 September 2017": a decision
// just taken that says when it takes effect was taken that year (a decision takes effect within
// months; one taken in December for January is the rare miss). The year only.
DocumentDate effective_date_year(const std::string& head, int last_year) {
    static const std::regex event("\\b(today|this (morning|afternoon|evening)|on (monday|tuesday|wednesday|thursday|"
                                  "friday|saturday|sunday))\\b", std::regex::icase);
    static const std::regex decided("\\b(decided|adopted|approved|authori[sz]ed|established|voted|agreed)\\b");
    static const std::regex takes_effect("\\bwill (?:[a-z]+ ){1,8}?(?:on|from|as of) (?:\\d{1,2} )?" + kMonth +
                                         "(?: \\d{1,2},)? ((?:19|20)\\d{2})\\b");
    std::smatch m;
    if (!std::regex_search(head, event) || !std::regex_search(head, decided) || !std::regex_search(head, m, takes_effect))
        return {};
    DocumentDate d{std::stoi(m[2]), 0, 0, "effective"};
    return plausible(d, last_year) ? d : DocumentDate{};
}

// The head of the text without the "Source:" line (an address holds digits that are no date).
std::string head_of(std::string_view text) {
    std::string head;
    std::size_t at = 0;
    while (at < text.size() && head.size() < kHead) {
        std::size_t nl = std::min(text.find('\n', at), text.size());
        std::string_view line = text.substr(at, nl - at);
        if (!line.starts_with("Source:")) head.append(line.substr(0, kHead - head.size())).append("\n");
        at = nl + 1;
    }
    return head;
}

}  // namespace

std::string DocumentDate::text() const {
    if (year == 0) return {};
    char buf[16];
    if (month && day) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    else if (month) std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    else std::snprintf(buf, sizeof buf, "%04d", year);
    return buf;
}

int last_plausible_year() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    return utc.tm_year + 1900 + 1;
}

DocumentDate find_document_date(std::string_view text, std::string_view source_url, int last_year) {
    const std::string head = head_of(text);
    auto found = dates_in(head, last_year);
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.begin < b.begin; });
    for (const auto& f : found)
        if (is_dateline(head, f)) return {f.date.year, f.date.month, f.date.day, "dateline"};
    for (const auto& f : found)
        if (is_meeting_date(head, f)) return {f.date.year, f.date.month, f.date.day, "meeting"};
    if (auto d = formal_header_date(head, last_year); d.year) return d;
    if (auto d = foreign_dateline(head, last_year); d.year) return d;
    if (auto d = date_in_address(source_url, last_year); d.year) return d;
    if (auto d = yearless_dateline_in_address(head, source_url, last_year); d.year) return d;
    if (auto d = resolution_just_adopted(head, last_year); d.year) return d;
    if (auto d = renewal_year(head.substr(0, kRenewalHead), last_year); d.year) return d;
    if (auto d = title_year(head, last_year); d.year) return d;
    if (auto d = effective_date_year(head, last_year); d.year) return d;
    return present_state_year(head, last_year);
}

}  // namespace mandala::indexer
