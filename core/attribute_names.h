// Attribute type names interned once per process: a directory entry stores a small id per
// attribute instead of its own copy of the name (100,000 entries share some twenty names).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ps {

using AttributeNameId = std::uint32_t;

// The id of `name` (exactly as spelled), adding it on first use. Thread-safe.
AttributeNameId intern_attribute_name(std::string_view name);

// The name of an id returned by intern_attribute_name; the reference stays valid for the process.
// Lock-free: safe while other threads intern new names.
const std::string& attribute_name(AttributeNameId id);

}  // namespace ps
