#include "indexer/readers/read.h"

#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include "text/errors.h"

namespace mandala::indexer {
namespace {

using Reader = void (*)(std::string_view, RawDocument&);

struct FormatEntry {
    std::string_view extension;
    std::string_view format;
    Reader reader;
};

constexpr std::array<FormatEntry, 8> kFormats = {{
    {".txt", "txt", read_plain_text},
    {".text", "txt", read_plain_text},
    {".md", "md", read_markdown},
    {".markdown", "md", read_markdown},
    {".html", "html", read_html},
    {".htm", "html", read_html},
    {".pdf", "pdf", read_pdf},
    {".docx", "docx", read_docx},
}};

std::string lower_extension(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

const FormatEntry* find_format(const std::filesystem::path& p) {
    const std::string ext = lower_extension(p);
    for (const auto& f : kFormats)
        if (f.extension == ext) return &f;
    return nullptr;
}

}  // namespace

std::string content_hash(std::string_view bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

bool is_supported_extension(const std::filesystem::path& path) { return find_format(path) != nullptr; }

RawDocument read_document(const std::filesystem::path& path) {
    const FormatEntry* format = find_format(path);
    if (!format)
        throw InputError("unsupported file type '" + path.extension().string() +
                         "' (expected .txt, .md, .html, .pdf or .docx)");
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw InputError("cannot read file: " + ec.message());
    if (size > kMaxFileBytes)
        throw LimitExceeded("file is " + std::to_string(size / (1024 * 1024)) + " MB, over the " +
                            std::to_string(kMaxFileBytes / (1024 * 1024)) + " MB limit");
    if (size == 0) throw InputError("file is empty");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();

    RawDocument doc;
    doc.path = path.string();
    doc.source = path.filename().string();
    doc.format = std::string(format->format);
    doc.bytes = bytes.size();
    doc.content_hash = content_hash(bytes);
    format->reader(bytes, doc);
    if (doc.blocks.empty()) throw InputError("no text found in file");
    return doc;
}

}  // namespace mandala::indexer
