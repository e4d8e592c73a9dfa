// libFuzzer harness for normalizing and segmenting: the first byte picks plain text or Markdown,
// the rest is the file. Whatever the reader accepts must normalize and segment without a crash,
// and every passage must lie within the normalized text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "indexer/normalize.h"
#include "indexer/readers/read.h"
#include "indexer/segment.h"
#include "text/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    using namespace mandala::indexer;
    RawDocument raw;
    try {
        if (data[0] & 1)
            read_markdown(bytes, raw);
        else
            read_plain_text(bytes, raw);
    } catch (const mandala::Error&) {
        return 0;
    }
    DocumentMeta meta;
    meta.id = "fuzz";
    const SegmentedDocument doc = segment(normalize(std::move(raw)), std::move(meta));
    for (const auto& p : doc.passages)
        if (p.begin > p.end || p.end > doc.text.size()) std::abort();
    return 0;
}
