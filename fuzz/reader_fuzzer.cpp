// libFuzzer harness for one document reader (MANDALA_FUZZ_READER names it: read_plain_text,
// read_markdown, read_html, read_pdf, read_docx). The promise under test (indexer/readers/read.h):
// any bytes either read or throw mandala::InputError; anything else (another exception, a crash,
// a sanitizer report, a leak) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/readers/read.h"
#include "text/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    mandala::indexer::RawDocument doc;
    try {
        mandala::indexer::MANDALA_FUZZ_READER(bytes, doc);
    } catch (const mandala::Error&) {
    }
    return 0;
}
