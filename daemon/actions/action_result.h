// What the actions shared by the CLI and the admin API return: a value, or a refusal saying what
// kind of refusal it is, so the CLI can print the message and the API can pick its status code
// (bad_request 400, not_found 404, conflict 409, policy_refused 422, directory_refused 502,
// directory_unavailable 503, failed 500).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/change_log.h"
#include "core/result.h"

namespace ps::actions {

enum class Refusal {
  bad_request,
  not_found,
  conflict,
  policy_refused,
  directory_unavailable,
  directory_refused,  // the directory answered and said no (its own password rules, ...)
  failed
};

struct ActionError {
  Refusal refusal = Refusal::failed;
  std::string message;             // names the object and the reason; never holds a secret
  std::string field;               // bad_request: the request field at fault
  std::vector<std::string> rules;  // policy_refused: the password rules broken
};

inline ActionError refuse(Refusal refusal, std::string message, std::string field = {}) {
  return ActionError{refusal, std::move(message), std::move(field), {}};
}

template <class T>
class ActionResult {
 public:
  ActionResult(const T& value) : value_(value) {}
  ActionResult(T&& value) : value_(std::move(value)) {}
  ActionResult(ActionError error) : error_(std::move(error)) {}

  explicit operator bool() const { return value_.has_value(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const ActionError& failure() const { return error_; }
  const std::string& error() const { return error_.message; }

 private:
  std::optional<T> value_;
  ActionError error_;
};

// A change-log record for something a person did by hand (the CLI's login name or a token's name
// as actor), stamped now, result "done".
ChangeRecord manual_record(std::string actor, std::string operation, std::string category,
                           std::string subject, RowId subject_id);

}  // namespace ps::actions
