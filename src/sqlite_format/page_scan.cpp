// The page scan (page_scan.hpp): a table's rows decoded from its leaf pages in SQLite's record
// format, the rows it cannot decode handed back to SQLite.

#include "sqlite_format/page_scan.hpp"

#include "sqlite_format/page_file.hpp"

#include <sqlite3.h>

#include <cmath>
#include <cstring>

namespace heatmap_merge {

namespace {

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return text;
}

// The size in bytes of a value of serial type `type`; nothing for the reserved types 10 and 11.
std::optional<std::uint64_t> serial_size(std::uint64_t type) {
  static constexpr std::array<std::uint8_t, 12> k_sizes{0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0};
  if (type >= 12) {
    return (type - 12) / 2;
  }
  if (type == 10 || type == 11) {
    return std::nullopt;
  }
  return k_sizes[type];
}

// A big-endian two's complement integer of `bytes` bytes.
std::int64_t signed_big_endian(const unsigned char* at, int bytes) {
  std::uint64_t value = 0;
  for (int n = 0; n < bytes; ++n) {
    value = (value << 8) | at[n];
  }
  const int unused = 64 - 8 * bytes;
  // Shifted up and back down (arithmetic shift: C++20) to carry the sign bit.
  return static_cast<std::int64_t>(value << unused) >> unused;
}

// The value of serial type `type` at `at`, as sqlite3VdbeSerialGet reads it: a NaN real is NULL.
FieldValue decode(std::uint64_t type, const unsigned char* at, bool real_affinity) {
  static constexpr std::array<int, 7> k_int_bytes{0, 1, 2, 3, 4, 6, 8};
  FieldValue value;
  if (type == 0) {
    return value;
  }
  if (type <= 6 || type == 8 || type == 9) {
    value.type = SQLITE_INTEGER;
    value.integer = type == 8 ? 0 : type == 9 ? 1 : signed_big_endian(at, k_int_bytes[type]);
    if (real_affinity) {
      value.type = SQLITE_FLOAT;
      value.real = static_cast<double>(value.integer);
    }
    return value;
  }
  if (type == 7) {
    const std::uint64_t bits = static_cast<std::uint64_t>(signed_big_endian(at, 8));
    double real = 0;
    std::memcpy(&real, &bits, sizeof(real));
    if (!std::isnan(real)) {
      value.type = SQLITE_FLOAT;
      value.real = real;
    }
    return value;
  }
  value.type = type % 2 == 0 ? SQLITE_BLOB : SQLITE_TEXT;
  value.bytes = at;
  value.size = static_cast<int>((type - 12) / 2);
  return value;
}

enum class Cell { decoded, lookup, damaged };

// Lookups before the scan gives up on the pages when they outnumber the rows decoded.
constexpr std::int64_t k_lookups_tried = 256;

// Decodes the cell at `at` of a table leaf page, whose usable part ends at `end`, into `row`;
// `types` and `offsets` are scratch space the size of the record's fields that are read.
class CellReader {
public:
  CellReader(const RecordFields& fields, std::uint32_t usable_size)
      : m_fields(fields), m_max_local(usable_size - 35) {
    for (const int field : fields.fields) {
      m_field_count = std::max(m_field_count, field + 1);
    }
    m_types.resize(static_cast<std::size_t>(m_field_count));
    m_offsets.resize(static_cast<std::size_t>(m_field_count));
  }

  Cell read(const unsigned char* at, const unsigned char* end, RecordRow& row) {
    const std::optional<std::uint64_t> payload = read_varint(at, end);
    const std::optional<std::uint64_t> rowid = read_varint(at, end);
    if (!payload || !rowid) {
      return Cell::damaged;
    }
    row.rowid = static_cast<std::int64_t>(*rowid);
    if (*payload > m_max_local) {
      return Cell::lookup; // it spills to overflow pages
    }
    if (*payload > static_cast<std::uint64_t>(end - at)) {
      return Cell::damaged;
    }
    return read_record(at, at + *payload, row) ? Cell::decoded : Cell::lookup;
  }

private:
  bool read_record(const unsigned char* record, const unsigned char* record_end, RecordRow& row) {
    const unsigned char* at = record;
    const std::optional<std::uint64_t> header_size = read_varint(at, record_end);
    if (!header_size || *header_size > static_cast<std::uint64_t>(record_end - record) ||
        record + *header_size < at) {
      return false;
    }
    const unsigned char* header_end = record + *header_size;
    std::uint64_t offset = *header_size;
    for (int field = 0; field < m_field_count; ++field) {
      const std::optional<std::uint64_t> type = read_varint(at, header_end);
      if (!type) {
        return false; // fewer fields: a column added since, whose default SQLite knows
      }
      const std::optional<std::uint64_t> size = serial_size(*type);
      if (!size) {
        return false;
      }
      m_types[static_cast<std::size_t>(field)] = *type;
      m_offsets[static_cast<std::size_t>(field)] = offset;
      offset += *size;
    }
    // As OP_Column: fields past the record's end, or, once the whole header is read, fields that
    // do not end where the record does, are damage, which SQLite reports in its own words.
    const std::uint64_t record_size = static_cast<std::uint64_t>(record_end - record);
    if (offset > record_size || (at == header_end && offset != record_size)) {
      return false;
    }
    row.values.resize(m_fields.fields.size() + 1);
    for (std::size_t column = 0; column < m_fields.fields.size(); ++column) {
      const std::size_t field = static_cast<std::size_t>(m_fields.fields[column]);
      row.values[column + 1] =
        decode(m_types[field], record + m_offsets[field], m_fields.real_affinity[column]);
    }
    return true;
  }

  const RecordFields& m_fields;
  std::uint64_t m_max_local;
  int m_field_count = 0;
  std::vector<std::uint64_t> m_types;
  std::vector<std::uint64_t> m_offsets;
};

// Whether `rowid` lies in one of `skip`'s ranges, `next` being the first range that may hold it
// (row ids come in ascending order, so it only moves forwards).
bool skipped(const std::vector<RowRange>& skip, std::size_t& next, std::int64_t rowid) {
  while (next < skip.size() && skip[next].last < rowid) {
    ++next;
  }
  return next < skip.size() && skip[next].first <= rowid;
}

// Whether a table leaf page holds cells as SQLite writes them, whose row ids ascend from above
// `last` (the previous leaf's last row id) within the bounds its parents' keys set: then SQLite's
// walk and its search for a row id both find each of its rows where it is, once.
bool leaf_in_order(const unsigned char* page,
                   std::uint32_t usable,
                   const KeyBounds& bounds,
                   std::optional<std::int64_t> last) {
  if (page[0] != k_table_leaf) {
    return false;
  }
  const std::uint32_t cells = big_endian(page + 3, 2);
  if (8 + 2 * std::size_t{cells} > usable) {
    return false;
  }
  const unsigned char* end = page + usable;
  for (std::uint32_t cell = 0; cell < cells; ++cell) {
    const std::uint32_t offset = big_endian(page + 8 + 2 * cell, 2);
    if (offset < 8 + 2 * cells || offset >= usable) {
      return false;
    }
    const unsigned char* at = page + offset;
    const std::optional<std::uint64_t> payload = read_varint(at, end);
    const std::optional<std::uint64_t> rowid = read_varint(at, end);
    if (!payload || !rowid ||
        (*payload <= usable - 35 && *payload > static_cast<std::uint64_t>(end - at))) {
      return false;
    }
    const std::int64_t id = static_cast<std::int64_t>(*rowid);
    if ((last && id <= *last) || !bounds.holds(id)) {
      return false;
    }
    last = id;
  }
  return true;
}

} // namespace

// SQLite's rules for a column's affinity from its declared type
// (https://www.sqlite.org/datatype3.html#determination_of_column_affinity), in their order.
bool has_real_affinity(const std::string& declared_type) {
  const std::string type = upper(declared_type);
  const auto has = [&type](const char* part) { return type.find(part) != std::string::npos; };
  if (has("INT") || has("CHAR") || has("CLOB") || has("TEXT") || has("BLOB") || type.empty()) {
    return false;
  }
  return has("REAL") || has("FLOA") || has("DOUB");
}

PageScanEnd scan_pages(sqlite3_file* file,
                       std::int64_t root,
                       const RecordFields& fields,
                       const std::vector<RowRange>& skip,
                       const std::function<void(const RecordRow&)>& on_row,
                       const std::function<void(std::int64_t)>& on_lookup) {
  PageScanEnd end;
  PageFile pages(file);
  if (!pages.valid() || pages.encoding() != SQLITE_UTF8) {
    return end;
  }
  LeafWalker walker(pages, root, true);
  const std::uint32_t usable = pages.usable_size();
  CellReader reader(fields, usable);
  RecordRow row;
  std::size_t next_skip = 0;
  std::int64_t decoded = 0;
  std::int64_t looked_up = 0;
  while (const std::optional<LeafWalker::Leaf> leaf = walker.next()) {
    // A leaf whose every possible row id is skipped is not even read (shared pages, found so
    // already), as SQLite's search for the rows between the skipped ranges never reads it.
    const KeyBounds& keys = leaf->keys;
    if (keys.above && keys.upto && *keys.above < *keys.upto &&
        skipped(skip, next_skip, *keys.above + 1) && skip[next_skip].last >= *keys.upto) {
      end.last_rowid = *keys.upto;
      continue;
    }
    const unsigned char* page = pages.page(leaf->page, true);
    // A whole leaf is checked before any of its rows is handed out, so that SQLite, which reads
    // the rest when it is not as SQLite writes one, starts at a leaf's first row.
    if (page == nullptr || !leaf_in_order(page, usable, keys, end.last_rowid) ||
        (big_endian(page + 3, 2) == 0 && leaf->page != root)) {
      return end; // an empty leaf is only an empty table's root: SQLite calls any other corrupt
    }
    const std::uint32_t cells = big_endian(page + 3, 2);
    for (std::uint32_t cell = 0; cell < cells; ++cell) {
      const std::uint32_t offset = big_endian(page + 8 + 2 * cell, 2);
      const Cell read = reader.read(page + offset, page + usable, row);
      if (read == Cell::damaged) {
        return end; // leaf_in_order() let no such cell through
      }
      if (skipped(skip, next_skip, row.rowid)) {
        end.last_rowid = row.rowid;
        continue;
      }
      if (read == Cell::decoded) {
        ++decoded;
        on_row(row);
      } else if (++looked_up > k_lookups_tried && looked_up > decoded) {
        // Most rows need SQLite (a column added since they were written): one statement reads
        // the rest faster than a lookup per row.
        return end;
      } else {
        on_lookup(row.rowid);
      }
      end.last_rowid = row.rowid;
    }
  }
  end.complete = !walker.failed();
  return end;
}

} // namespace heatmap_merge
