#pragma once
// The spill layer's main header (spill/README.md): what outgrows --memory-limit goes to unnamed
// files (spill_file.hpp) as sorted runs, merged back when read (run_store.hpp). An input's keys
// have a store of their own (key_store.hpp).

#include "spill/run_store.hpp"
#include "spill/spill_file.hpp"
