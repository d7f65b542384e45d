# Differential fuzzer, reference: the merge that man/heatmap-merge.1 documents, done with
# Python's sqlite3 module and none of the tool's code: rows read with SQL, keys and instants
# compared here, the output made by a backup of the primary and INSERTs through SQLite.
import os
import re
import sqlite3
import urllib.parse

K_NS = 1_000_000_000
K_ISO = re.compile(r'(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?'
                   r'(Z|[+-]\d{2}(?::?\d{2})?)?')
K_EPOCH_TEXT = re.compile(r'[+-]?\d+(\.\d+)?')


class Ambiguous(Exception):
    """The documented rules leave the result open (a tie the man page does not break)."""


class Refused(Exception):
    def __init__(self, code, why):
        super().__init__(why)
        self.code = code


def qi(name):
    return '"' + name.replace('"', '""') + '"'


def days_from_civil(y, m, d):
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def valid_date(y, m, d):
    if not 1 <= m <= 12 or d < 1:
        return False
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return d <= [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]


def epoch_instant(v):
    if isinstance(v, int):
        return v * 1_000_000 if abs(v) >= 1e11 else v * K_NS
    # Reals are rounded to the microsecond.
    return round(v * 1000) * 1000 * 1000 if abs(v) >= 1e11 else round(v * 1_000_000) * 1000


def in_range(ns):
    # Instants are 64-bit nanoseconds (about 1677-2262) but the largest, which marks a time that
    # is text; beyond, the time is compared exactly as stored (man page: time rules), an epoch
    # number as much as ISO text.
    return -2**63 <= ns < 2**63 - 1


def instant(v):
    """('i', ns) for an instant, ('t', value) for a time compared exactly as stored, None for
    NULL."""
    if v is None:
        return None
    if isinstance(v, (int, float)):
        ns = epoch_instant(v)
        return ('i', ns) if in_range(ns) else ('t', v)
    if isinstance(v, bytes):
        return ('b', v)
    m = K_ISO.fullmatch(v)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        hh, mm, ss = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
        if valid_date(y, mo, d) and hh <= 23 and mm <= 59 and ss <= 59:
            frac = int((m[7] or '0')[:9].ljust(9, '0'))
            ns = ((days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss) * K_NS + frac)
            z = m[8]
            if z and z != 'Z':
                sign = 1 if z[0] == '+' else -1
                digits = z[1:].replace(':', '')
                ns -= sign * (int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60) * K_NS
            if in_range(ns):
                return ('i', ns)
    if K_EPOCH_TEXT.fullmatch(v):
        ns = epoch_instant(float(v) if '.' in v else int(v))
        if in_range(ns):
            return ('i', ns)
    return ('t', v)


def key_value(v):
    # SQLite's '=' without collation: 10 equals 10.0 (Python's == and hash agree), text never
    # equals a number, text and blobs compare byte for byte.
    if isinstance(v, (int, float)):
        return ('n', v)
    if isinstance(v, str):
        return ('t', v)
    return ('b', v)


def same_value(a, b):
    return type(a) is type(b) and a == b


def open_ro(path):
    uri = 'file:%s?mode=ro' % urllib.parse.quote(os.path.abspath(path))
    db = sqlite3.connect(uri, uri=True, isolation_level=None)
    return db


class Table:
    def __init__(self, db, table):
        self.db = db
        info = db.execute('PRAGMA table_xinfo(%s)' % qi(table)).fetchall()
        if not info:
            raise Refused(65, 'no table %s' % table)
        self.columns = [(row[1], row[2], row[3], row[4]) for row in info if row[6] == 0]
        names = {c[0].lower() for c in self.columns}
        pks = [row for row in info if row[5]]
        self.ipk = pks[0][1] if len(pks) == 1 and pks[0][2].upper() == 'INTEGER' else None
        self.alias = next(a for a in ('rowid', '_rowid_', 'oid') if a not in names)
        self.data_columns = [c for c in self.columns if c[0] != self.ipk]
        sel = ', '.join(qi(c[0]) for c in self.data_columns)
        self.rows = db.execute('SELECT %s%s FROM %s ORDER BY %s' % (
            self.alias, ', ' + sel if sel else '', qi(table), self.alias)).fetchall()
        try:
            self.seq = db.execute('SELECT seq FROM sqlite_sequence WHERE name = ?',
                                  (table,)).fetchone()
        except sqlite3.OperationalError:
            self.seq = None
        self.seq = self.seq[0] if self.seq else None

    def index(self, name):
        low = name.lower()
        for i, c in enumerate(self.data_columns):
            if c[0].lower() == low:
                return i + 1
        return None


def match_group(merged, secondary, window_ns, identical):
    """Nearest-first one-to-one matching of one key group: lists of (instant, row index).
    Returns {secondary index: merged index}. Raises Ambiguous when ties between pairs that share
    a row would change the outcome."""
    pairs = []
    for mi, (mt, _) in enumerate(merged):
        for si, (st, _) in enumerate(secondary):
            if mt[0] == 'i' and st[0] == 'i':
                dist = abs(mt[1] - st[1])
                if dist <= window_ns:
                    pairs.append((dist, not identical(merged[mi][1], secondary[si][1]), mi, si))
            elif mt == st:
                pairs.append((0, not identical(merged[mi][1], secondary[si][1]), mi, si))

    def greedy(order):
        used_m, used_s, result = set(), set(), {}
        for p in sorted(pairs, key=order):
            if p[2] not in used_m and p[3] not in used_s:
                used_m.add(p[2])
                used_s.add(p[3])
                result[p[3]] = p[2]
        return result

    a = greedy(lambda p: (p[0], p[1], p[2], p[3]))
    b = greedy(lambda p: (p[0], p[1], -p[2], -p[3]))
    if a != b:
        return a, b
    return a, None


def duration_ns(text):
    """A --window or --replay-window value as the generator writes them (500ms, 2s, 10m)."""
    if not text:
        return 0
    for unit, ns in (('ms', 1_000_000), ('s', K_NS), ('m', 60 * K_NS), ('h', 3600 * K_NS)):
        if text.endswith(unit) and text[:-len(unit)].replace('.', '', 1).isdigit():
            return int(float(text[:-len(unit)]) * ns)
    raise ValueError(text)


def replay_pass(merged_left, rows_left, rows_all, paired, replay_ns, flip):
    """The replay pass of --replay-window for one secondary (man page: Write-to-both nodes and
    replays). merged_left: {(key, payload): [(ns, merged index)]} of the merged rows the window
    left; rows_left: the same of the secondary's rows the window left; rows_all: the same of all
    its keyed rows with a parsed time; paired: the secondary's rows the window paired. Nearest
    first, ties by index, ascending or (flip) descending. Returns ({row: merged index} of the
    replay pairs, {row dropped: row kept} of the replayed duplicates)."""
    sign = -1 if flip else 1
    across = {}
    for run, ss in rows_left.items():
        ms = merged_left.get(run, [])
        pairs = sorted(((abs(a - b), sign * mi, sign * ri, mi, ri) for a, mi in ms for b, ri in ss
                        if abs(a - b) <= replay_ns))
        used = set()
        for _, _, _, mi, ri in pairs:
            if mi not in used and ri not in across:
                used.add(mi)
                across[ri] = mi
    return across, within_input(rows_all, set(paired) | set(across), replay_ns, flip)


def within_input(rows_all, paired, replay_ns, flip):
    """The rows of one input paired among themselves (a secondary's replayed duplicates, and with
    --remove-replays the primary's): nearest first, a row paired across (in paired) and one not;
    the row not paired goes, the other stays a partner for more copies. Two rows neither paired
    never pair (a double click). rows_all: {(key, payload): [(ns, index)]} of its keyed rows
    with a parsed time. Returns {row dropped: row kept}."""
    sign = -1 if flip else 1
    dropped = {}
    for rows in rows_all.values():
        pairs = sorted(((abs(a - b), sign * min(x, y), sign * max(x, y), x, y)
                        for i, (a, x) in enumerate(rows) for b, y in rows[i + 1:]
                        if abs(a - b) <= replay_ns and (x in paired) != (y in paired)))
        for _, _, _, x, y in pairs:
            if x in dropped or y in dropped:
                continue
            drop = y if x in paired else x
            dropped[drop] = x if drop == y else y
    return dropped


def merge(case, cwd):
    """The expected result of case (case.json's dict) run in directory cwd: a dict with exit,
    and for a successful run the report's counts and the expected rows of the output."""
    paths = [os.path.join(cwd, a) for a in case['args']]
    table = case['table']
    key_names = case['key']
    time_name = case['time']
    window_ns = duration_ns(case['window'])
    replay_ns = duration_ns(case.get('replay_window'))
    remove = case.get('remove_replays', False)
    if remove and case['mode'] == 'sql':
        raise Refused(64, '--remove-replays with --format sql')
    dbs = [open_ro(p) for p in paths]
    tables = [Table(db, table) for db in dbs]
    p = tables[0]
    # Columns: those the primary has; a secondary's own are added (first secondary first).
    out_cols = [c[0] for c in p.data_columns]
    added = []
    for t in tables[1:]:
        for c in t.data_columns:
            if c[0].lower() not in {x.lower() for x in out_cols}:
                out_cols.append(c[0])
                added.append((c[0], c[1], c[3]))
    for t in tables[1:]:
        for name, typ, notnull, default in p.data_columns:
            if t.index(name) is None and notnull and default is None:
                raise Refused(65, 'the primary has NOT NULL column %s that a secondary lacks'
                              % name)
    if case['mode'] == 'in_place':
        # SQLite names a journal after the name a file is opened by (man page: --in-place).
        if os.stat(paths[0]).st_nlink > 1:
            raise Refused(73, 'an in-place primary with a second hard link')
        if added and '--alter-live-table' not in case['opts']:
            raise Refused(65, 'a column for the live table without --alter-live-table')
    if case['mode'] == 'sql':
        if p.db.execute('PRAGMA encoding').fetchone()[0] != 'UTF-8':
            raise Refused(65, 'a UTF-16 primary for a patch')
        if added:
            raise Refused(65, 'a patch cannot add a column')
        for t in tables[1:]:
            for name, typ, notnull, default in p.data_columns:
                if t.index(name) is None and default is not None:
                    raise Refused(65, 'a patch cannot fill a default')
    common = [c[0] for c in p.data_columns
              if all(t.index(c[0]) is not None for t in tables[1:])
              and c[0].lower() not in {k.lower() for k in key_names + [time_name]}]

    def key_of(t, row):
        vals = [row[t.index(k)] for k in key_names]
        tm = instant(row[t.index(time_name)])
        if any(v is None for v in vals) or tm is None:
            return None, tm
        return tuple(key_value(v) for v in vals), tm

    def payload(t, row):
        return tuple((type(row[t.index(c)]).__name__, row[t.index(c)]) for c in common)

    def whole(t, row):
        # A NULL-key row is already there when a merged row equals it in every column the
        # inputs share, by value and type, NULL equal to NULL (man page: NULL keys).
        return tuple((type(row[t.index(c)]).__name__, row[t.index(c)])
                     for c in [time_name] + key_names) + payload(t, row)

    # Merged rows: (table, row) of the primary and of the rows added so far.
    merged = [(p, row) for row in p.rows]
    next_id = max([row[0] for row in p.rows] + [p.seq or 0]) + 1 if p.rows or p.seq else 1
    report_inputs = []
    for t in tables:
        report_inputs.append({'rows': len(t.rows), 'null_keys': sum(
            1 for row in t.rows if key_of(t, row)[0] is None), 'duplicates': 0,
            'duplicates_exact': 0, 'duplicates_window': 0, 'conflicts': 0, 'rows_added': 0})
        if replay_ns and t is not p:
            report_inputs[-1].update({'duplicates_replay': 0, 'replayed_duplicates': 0})
    adds = []
    # --remove-replays: the primary's rows (their indices in merged) that a secondary's row
    # paired with, by the window or by replay.
    primary_paired = set()
    for si, t in enumerate(tables[1:], 1):
        groups = {}
        for mi, (mt, row) in enumerate(merged):
            k, tm = key_of(mt, row)
            if k is not None:
                groups.setdefault(k, ([], []))[0].append((tm, mi))
        for ri, row in enumerate(t.rows):
            k, tm = key_of(t, row)
            if k is not None:
                groups.setdefault(k, ([], []))[1].append((tm, ri))
        matched = {}

        def replays(t, matched, info):
            """The rows of t that the replay pass leaves out, counted in info."""
            window_taken = {mi for mi, _ in matched.values()}
            merged_left, rows_left, rows_all = {}, {}, {}
            for mi, (mt, row) in enumerate(merged):
                k, tm = key_of(mt, row)
                if k is not None and tm[0] == 'i' and mi not in window_taken:
                    merged_left.setdefault((k, payload(mt, row)), []).append((tm[1], mi))
            for ri, row in enumerate(t.rows):
                k, tm = key_of(t, row)
                if k is not None and tm[0] == 'i':
                    rows_all.setdefault((k, payload(t, row)), []).append((tm[1], ri))
                    if ri not in matched:
                        rows_left.setdefault((k, payload(t, row)), []).append((tm[1], ri))
            outcomes = []
            for flip in (False, True):
                across, within = replay_pass(merged_left, rows_left, rows_all, matched,
                                             replay_ns, flip)
                outcomes.append((across, within, sorted(repr(t.rows[r][1:]) for r in
                                                        list(across) + list(within)),
                                 len(across), len(within)))
            if outcomes[0][2:] != outcomes[1][2:]:
                raise Ambiguous('a tie in the replay pass')
            if remove and set(outcomes[0][0].values()) != set(outcomes[1][0].values()):
                raise Ambiguous('a tie in the replay pass over which primary row pairs')
            across, within = outcomes[0][:2]
            primary_paired.update(mi for mi in across.values() if mi < len(p.rows))
            info['duplicates_replay'] = len(across)
            info['replayed_duplicates'] = len(within)
            return set(across) | set(within)

        for k, (ms, ss) in groups.items():
            if not ms or not ss:
                continue

            def identical(mi, ri):
                return payload(merged[mi][0], merged[mi][1]) == payload(t, t.rows[ri])

            a, b = match_group(ms, ss, window_ns, identical)
            if b is not None:
                # A tie: it matters only if the rows added or the counts differ.
                def outcome(res):
                    left = sorted(repr(t.rows[ss[x][1]][1:]) for x in range(len(ss))
                                  if x not in res)
                    conf = sum(1 for x, y in res.items()
                               if not identical(ms[y][1], ss[x][1]))
                    exact = sum(1 for x, y in res.items() if ms[y][0] == ss[x][0])
                    # With a replay window, which merged rows the window took matters too.
                    taken = sorted(repr((ms[y][0], payload(merged[ms[y][1]][0],
                                                           merged[ms[y][1]][1])))
                                   for y in res.values()) if replay_ns else None
                    # With --remove-replays, which of the primary's rows it took too.
                    ids = sorted(ms[y][1] for y in res.values()) if remove else None
                    return left, conf, exact, taken, ids
                if outcome(a) != outcome(b):
                    raise Ambiguous('tie in group %r' % (k,))
            for x, y in a.items():
                matched[ss[x][1]] = (ms[y][1], ms[y][0] == ss[x][0])
                if ms[y][1] < len(p.rows):
                    primary_paired.add(ms[y][1])
        info = report_inputs[si]
        replayed = set()
        if replay_ns:
            replayed = replays(t, matched, info)
        for ri, (mi, exact) in matched.items():
            info['duplicates'] += 1
            info['duplicates_exact' if exact else 'duplicates_window'] += 1
            if payload(merged[mi][0], merged[mi][1]) != payload(t, t.rows[ri]):
                info['conflicts'] += 1
        # Of n NULL-key rows equal in every column, those beyond the m merged ones are added,
        # the ones with the highest row ids (multiset, as for keyed rows).
        merged_unkeyed = {}
        for mt, row in merged:
            if key_of(mt, row)[0] is None:
                w = whole(mt, row)
                merged_unkeyed[w] = merged_unkeyed.get(w, 0) + 1
        unkeyed = {}
        for ri, row in enumerate(t.rows):
            if key_of(t, row)[0] is None:
                unkeyed.setdefault(whole(t, row), []).append(ri)
        present = set()
        for w, ris in unkeyed.items():
            there = min(merged_unkeyed.get(w, 0), len(ris))
            for ri in sorted(ris, key=lambda x: t.rows[x][0])[:there]:
                present.add(ri)
        info['duplicates'] += len(present)
        info['duplicates_exact'] += len(present)
        rest = [row for ri, row in enumerate(t.rows)
                if ri not in matched and ri not in present and ri not in replayed]

        def order(row):
            tm = instant(row[t.index(time_name)])
            return (0, tm[1], row[0]) if tm and tm[0] == 'i' else (1, 0, row[0])
        rest.sort(key=order)
        info['rows_added'] = len(rest)
        for row in rest:
            adds.append((t, row, next_id))
            merged.append((t, row))
            next_id += 1
    rows_added = len(adds)
    removed = {}
    if remove and replay_ns:
        rows_all = {}
        for pi, row in enumerate(p.rows):
            k, tm = key_of(p, row)
            if k is not None and tm[0] == 'i':
                rows_all.setdefault((k, payload(p, row)), []).append((tm[1], pi))
        removed = within_input(rows_all, primary_paired, replay_ns, False)
        if set(removed) != set(within_input(rows_all, primary_paired, replay_ns, True)):
            raise Ambiguous('a tie among the primary\'s replayed duplicates')
    replay_report = None
    if replay_ns:
        replay_report = {
            'pairs_across': sum(i.get('duplicates_replay', 0) for i in report_inputs),
            'replayed_duplicates': sum(i.get('replayed_duplicates', 0) for i in report_inputs)}
        if remove:
            replay_report['primary_replayed_removed'] = len(removed)
    return {
        'exit': 0, 'adds': adds, 'primary': p, 'out_cols': out_cols, 'added_columns': added,
        'removed': sorted(p.rows[pi][0] for pi in removed),
        'report': {'rows_added': rows_added, 'rows_out': len(p.rows) - len(removed) + rows_added,
                   'duplicates': sum(i['duplicates'] for i in report_inputs),
                   'duplicates_exact': sum(i['duplicates_exact'] for i in report_inputs),
                   'duplicates_window': sum(i['duplicates_window'] for i in report_inputs),
                   'conflicts': sum(i['conflicts'] for i in report_inputs),
                   'first_new_id': adds[0][2] if adds else None,
                   'columns_added': [a[0] for a in added], 'inputs': report_inputs,
                   'replay': replay_report},
    }


def write_output(result, case, primary_path, out_path):
    """The expected output: a copy of the primary (SQLite's backup) with the added columns and
    rows put in by INSERT, the triggers dropped meanwhile (they must not fire) and put back."""
    src = open_ro(primary_path)
    dst = sqlite3.connect(out_path, isolation_level=None)
    src.backup(dst)
    src.close()
    table = case['table']
    # No mode fires the table's triggers, the patch included (man page: Guards).
    triggers = dst.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").fetchall()
    dst.execute('BEGIN')
    for name, _ in triggers:
        dst.execute('DROP TRIGGER %s' % qi(name))
    # Added as the secondary declares it, with its default where SQLite takes it (a constant):
    # the primary's rows get it (man page: Columns).
    for name, typ, default in result['added_columns']:
        add = 'ALTER TABLE %s ADD COLUMN %s %s' % (qi(table), qi(name), typ or '')
        try:
            dst.execute(add + (' DEFAULT ' + default if default is not None else ''))
        except sqlite3.OperationalError:
            dst.execute(add)
    p = result['primary']
    # --remove-replays: the primary's replayed duplicates go (sqlite_sequence stays).
    for rowid in result.get('removed', []):
        dst.execute('DELETE FROM %s WHERE %s = ?' % (qi(table), p.ipk and qi(p.ipk) or p.alias),
                    (rowid,))
    for t, row, new_id in result['adds']:
        names, vals = [], []
        for c in t.data_columns:
            names.append(qi(c[0]))
            vals.append(row[t.index(c[0])])
        names.append(p.ipk and qi(p.ipk) or p.alias)
        vals.append(new_id if case['mode'] != 'sql' or p.ipk else new_id)
        try:
            dst.execute('INSERT INTO %s (%s) VALUES (%s)' % (
                qi(table), ', '.join(names), ', '.join('?' * len(vals))), vals)
        except sqlite3.IntegrityError as e:
            dst.execute('ROLLBACK')
            raise Refused(65, 'a row does not fit: %s' % e)
    for _, sql in triggers:
        dst.execute(sql)
    dst.execute('COMMIT')
    dst.close()


def dump(path, case):
    """Every user table's rows by row id, each column as typeof:quote, and sqlite_sequence."""
    # Read-write: an output (not an input), where SQLite may have to roll back a journal.
    db = sqlite3.connect(path, isolation_level=None)
    out = {}
    for (name,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                              "LIKE 'sqlite_stat%' ORDER BY name").fetchall():
        t = Table(db, name) if name != 'sqlite_sequence' else None
        cols = [c[0] for c in t.columns] if t else ['name', 'seq']
        alias = t.alias if t else 'rowid'
        sel = ', '.join("typeof(%s) || ':' || quote(%s)" % (qi(c), qi(c)) for c in cols)
        out[name] = {'columns': [c.lower() for c in cols], 'rows': db.execute(
            'SELECT %s, %s FROM %s ORDER BY %s' % (alias, sel, qi(name), alias)).fetchall()}
    db.close()
    return out
