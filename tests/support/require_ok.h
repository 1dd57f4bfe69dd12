// REQUIRE_OK(x) / CHECK_OK(x) for a ps::Status or ps::Result<T>: on failure Catch prints the
// message the value carries instead of just "false".
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "core/result.h"

namespace ps::testing {

inline std::string failure_text(const Status& status) { return status.message(); }

template <class T>
std::string failure_text(const Result<T>& result) {
  return result.is_ok() ? std::string() : result.error();
}

}  // namespace ps::testing

#define REQUIRE_OK(expr) REQUIRE(::ps::testing::failure_text(expr) == std::string())
#define CHECK_OK(expr) CHECK(::ps::testing::failure_text(expr) == std::string())
