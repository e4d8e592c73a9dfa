#pragma once
// The typed errors of Mandala. Anything a user can cause (a bad file, a bad query, a bad request)
// is one of these; the edges (cli/, web/) turn them into messages and statuses in one place each.
#include <stdexcept>
#include <string>

namespace mandala {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Input that cannot be used as given: a corrupt file, invalid UTF-8, a malformed query or request.
class InputError : public Error {
public:
    using Error::Error;
};

// Something named that does not exist: a document, passage, category, pack.
class NotFound : public Error {
public:
    using Error::Error;
};

// A state that forbids the operation: a schema from a newer version, an index being written.
class Conflict : public Error {
public:
    using Error::Error;
};

// A size or time limit was passed: a 50 MB file, a 10,000-term query.
class LimitExceeded : public Error {
public:
    using Error::Error;
};

// A part of the index needed for the answer cannot be reached: a shard server that is down or
// does not answer. Retrying later may succeed; the edges answer 503.
class Unavailable : public Error {
public:
    using Error::Error;
};

}  // namespace mandala
