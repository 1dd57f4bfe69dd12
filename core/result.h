// Expected failures travel as values: a Status (ok or a message) or a Result<T> (a value or a
// message). Messages name the object and the reason; exceptions are kept for programming errors
// and start-up failures.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ps {

class Status {
 public:
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool is_ok() const { return !failed_; }
  explicit operator bool() const { return is_ok(); }
  const std::string& message() const { return message_; }

 private:
  Status() = default;
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

struct Error {
  std::string message;
};

template <class T>
class Result {
 public:
  // Two overloads rather than one by value: `return local;` then moves the local (CWG 1579).
  Result(const T& value) : data_(value) {}
  Result(T&& value) : data_(std::move(value)) {}
  Result(Error error) : data_(std::move(error)) {}
  static Result failure(std::string message) { return Result(Error{std::move(message)}); }

  bool is_ok() const { return data_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(data_).message; }
  Status status() const { return is_ok() ? Status::ok() : Status::error(error()); }

 private:
  std::variant<T, Error> data_;
};

}  // namespace ps
