#pragma once
// Sentences of a passage, the unit the tagger reads a task from: ICU's sentence breaks, plus a
// break before every list item (bullets, "(a)"-style markers) and after semicolons that close
// a list item, since a mandate's operative paragraph lists several tasks in one "sentence".
#include <cstddef>
#include <string_view>
#include <vector>

namespace mandala::taxonomy {

struct SentenceSpan {
    std::size_t begin = 0;  // byte offset in the passage
    std::size_t end = 0;    // one past the last byte, trailing space trimmed
};

// Spans in order, covering every non-blank part of the text. Thread-safe (one ICU iterator per
// thread, built once).
std::vector<SentenceSpan> split_sentences(std::string_view text);

}  // namespace mandala::taxonomy
