#pragma once
// Keys and inputs for the plan's unit tests (test_plan*.cpp, test_spill.cpp): made by hand or at
// random around a fixed day, and the checks that read a plan or compare two.

#include "plan/plan.hpp"

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace plan_keys {

using heatmap_merge::AddedRow;
using heatmap_merge::Keys;
using heatmap_merge::Share;
using heatmap_merge::Instant;
using heatmap_merge::Plan;
using heatmap_merge::RowKey;
using heatmap_merge::UnkeyedRow;

inline constexpr std::int64_t k_ns_per_ms = 1'000'000;
inline constexpr std::int64_t k_next_id = 1'000;
// 2026-02-18T10:00:00Z in milliseconds, so that instants look like real ones.
inline constexpr std::int64_t k_base_ms = 1'771'408'800'000;

Instant at_ms(std::int64_t ms);

// A keyed row: `group` stands for the hash of the key columns other than the time.
RowKey row(std::uint32_t group, std::int64_t ms, std::int64_t rowid, std::uint32_t payload = 0);

// A keyed row whose time is text: its group hashes the text too.
RowKey text_row(std::uint32_t group, std::int64_t rowid, std::uint32_t payload = 0);

// A row with a NULL key column, unlike every other one made here: each gets a hash of its own.
UnkeyedRow unkeyed(std::int64_t ms, std::int64_t rowid);
UnkeyedRow unkeyed_text(std::int64_t rowid);

// Rows with a NULL key column equal in every column: the same `hash`.
UnkeyedRow unkeyed_alike(std::uint64_t hash, std::int64_t rowid);

Keys input(std::vector<RowKey> keys, std::vector<UnkeyedRow> unkeyed_rows = {});

std::vector<RowKey> keys_of(const Keys& input);

std::vector<AddedRow> rows_of(const heatmap_merge::AddedRows& added);

Plan plan_of(std::vector<Keys> inputs,
             std::chrono::nanoseconds window = std::chrono::nanoseconds(0),
             std::int64_t next_id = k_next_id);

// "source>new" pairs, in the plan's order: readable when a check fails.
std::string gather_insights(const heatmap_merge::AddedRows& added);

std::vector<std::int64_t> source_ids(const heatmap_merge::AddedRows& added);

std::string join(const std::vector<std::int64_t>& values);

// How random inputs may repeat an instant within a group.
enum class Repeats {
  none,         // never: every row names its instant
  same_payload, // double clicks whose rows are identical
  any,          // double clicks whose rows may differ
};

// A random case of a few groups and a few seconds: exact ties, text times and NULL keys included.
std::vector<Keys> random_inputs(std::mt19937_64& random, Repeats repeats);

std::chrono::nanoseconds random_window(std::mt19937_64& random);

// Every count, added row and offset of `actual` is the one of `expected` (doctest checks).
void check_same_plan(const Plan& expected, const Plan& actual);

} // namespace plan_keys
