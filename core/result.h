// Expected failures travel as values: a Status (ok or a message) or a Result<T> (a value or a
// message). Messages name the object and the reason, for people; a failure's code says what kind
// of failure it is, for code: callers branch on the code, never on the message's words.
// Exceptions are kept for programming errors and start-up failures.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ps {

// What kind of failure. `error` is a failure no caller needs to tell apart (what
// Status::error(message) and Error{message} make); the others are for callers that decide on them.
enum class StatusCode {
  ok,
  error,            // a failure without a more specific code
  invalid,          // the input is not acceptable (bad request, bad value)
  not_found,        // what was named does not exist
  refused,          // understood and refused (outside the subtree, by policy, by the server)
  unavailable,      // the other side could not be reached or did not answer; may work later
  outcome_unknown,  // sent, but whether it took effect is not known
  conflict,         // clashes with the current state (a key used for something else)
  internal,         // a bug or an exception: not the caller's fault
};
std::string_view to_string(StatusCode code);

class Status {
 public:
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(StatusCode::error, std::move(message)); }
  static Status error(StatusCode code, std::string message) {
    return Status(code == StatusCode::ok ? StatusCode::error : code, std::move(message));
  }

  bool is_ok() const { return code_ == StatusCode::ok; }
  explicit operator bool() const { return is_ok(); }
  const std::string& message() const { return message_; }
  StatusCode code() const { return code_; }

 private:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  StatusCode code_ = StatusCode::ok;
  std::string message_;
};

struct Error {
  std::string message;
  StatusCode code = StatusCode::error;
};

template <class T>
class Result {
 public:
  // Two overloads rather than one by value: `return local;` then moves the local (CWG 1579).
  Result(const T& value) : data_(value) {}
  Result(T&& value) : data_(std::move(value)) {}
  Result(Error error) : data_(std::move(error)) {}
  static Result failure(std::string message) { return Result(Error{std::move(message)}); }
  static Result failure(StatusCode code, std::string message) {
    return Result(Error{std::move(message), code == StatusCode::ok ? StatusCode::error : code});
  }

  bool is_ok() const { return data_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(data_).message; }
  // ok for a value; the failure's code otherwise.
  StatusCode code() const { return is_ok() ? StatusCode::ok : std::get<1>(data_).code; }
  Status status() const { return is_ok() ? Status::ok() : Status::error(code(), error()); }

 private:
  std::variant<T, Error> data_;
};

}  // namespace ps
