#include "daemon/actions/action_result.h"

#include <chrono>

#include "core/clock.h"

namespace ps::actions {

ChangeRecord manual_record(std::string actor, std::string operation, std::string category,
                           std::string subject, RowId subject_id) {
  ChangeRecord r;
  r.at = format_utc(std::chrono::system_clock::now());
  r.actor = std::move(actor);
  r.operation = std::move(operation);
  r.category = std::move(category);
  r.subject_name = std::move(subject);
  r.subject_id = subject_id;
  r.result = "done";
  return r;
}

}  // namespace ps::actions
