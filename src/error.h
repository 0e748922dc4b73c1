// The error hierarchy of filmsearch: every failure the library reports is a filmsearch::Error.
// InputError is bad data (a corpus record, a query) and says where; ConfigError is a bad option.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace filmsearch {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input: a corpus record or a query. `where` is "file:line" or "query column N".
class InputError : public Error {
 public:
  InputError(const std::string& where, const std::string& message)
      : Error(where.empty() ? message : where + ": " + message), where_(where) {}
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

// A bad option or flag value (exit code 2 in the tools).
class ConfigError : public Error {
 public:
  using Error::Error;
};

}  // namespace filmsearch
