#include <catch2/catch.hpp>

#include "text/clean.h"
#include "text/unicode.h"

using namespace mandala::text;

TEST_CASE("every noisy arrow form becomes the canonical marker", "[unit]") {
    const std::string arrow(kArrow);
    for (const char* noisy : {"see \\rightarrow Policing", "see --> Policing", "see ->> Policing",
                              "see \u2014> Policing", "see ---) Policing", "see (\u2014) Policing",
                              "see --- Policing", "see -> Policing", "see \u2192 Policing"}) {
        INFO(noisy);
        CHECK(collapse_whitespace(canonicalize_arrows(noisy)) == "see " + arrow + " Policing");
    }
    CHECK(collapse_whitespace(canonicalize_arrows("ends with an arrow (\u2014)")) == "ends with an arrow " + arrow);
}

TEST_CASE("dashes and white space are normalized", "[unit]") {
    CHECK(normalize_dashes("a\u2010b \u2014 c\u00ADd") == "a-b \u2013 cd");
    CHECK(collapse_whitespace("  one\t two\n\nthree  ") == "one two three");
}

TEST_CASE("markdown emphasis is stripped, words kept", "[unit]") {
    CHECK(strip_markdown_emphasis("INSTITUTIONAL **CAPACITY BUILDING**") == "INSTITUTIONAL CAPACITY BUILDING");
    CHECK(strip_markdown_emphasis("- *Short-term*") == "- Short-term");
    CHECK(strip_markdown_emphasis("<u>'</u> Border") == "' Border");
    CHECK(strip_markdown_emphasis("file_name_v1.pdf") == "file_name_v1.pdf");
}

TEST_CASE("words broken at line ends are repaired, suspended hyphens kept", "[unit]") {
    CHECK(dehyphenate("self- defence") == "self-defence");
    CHECK(dehyphenate("short- and long-term") == "short- and long-term");
}

TEST_CASE("sentence ends see through quotes and footnote markers", "[unit]") {
    CHECK(ends_sentence("It ended."));
    CHECK(ends_sentence("It ended.\u00B9\u2079"));
    CHECK(ends_sentence("the list:"));
    CHECK_FALSE(ends_sentence("it goes on to the"));
    CHECK(starts_lowercase("  tional task force"));
    CHECK_FALSE(starts_lowercase("The next"));
}

TEST_CASE("clean_block keeps superscript footnote markers through NFKC", "[unit]") {
    CHECK(clean_block("civilians.\u00B9\u2079 \uFB01nal", true) == "civilians.\u00B9\u2079 final");
}

TEST_CASE("folding removes case and diacritics alike for documents and queries", "[unit]") {
    CHECK(fold("C\u00F4te d'Ivoire") == fold("COTE D'IVOIRE"));
    CHECK(fold("Gu\u00E9henno") == "guehenno");
    CHECK(is_valid_utf8("plain"));
    CHECK_FALSE(is_valid_utf8(std::string("bad \xC3\x28 byte")));
    CHECK(is_valid_utf8(repair_utf8(std::string("bad \xC3\x28 byte"))));
}
