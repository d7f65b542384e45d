# Differential fuzzer, generator: from a seed, a directory of random but realistic replicas (a
# primary and 1 to 3 secondaries) and the command line to merge them, as case.json.
# Everything random comes from random.Random(seed), so one seed rebuilds the same case.
import json
import os
import random
import shutil
import sqlite3
import subprocess

K_NS = 1_000_000_000
K_BASE = 1_771_405_200 * K_NS  # 2026-02-18 09:00:00 UTC
# A case at an end of the times an instant holds (64-bit nanoseconds, 1677-09-21 00:12:43 to
# 2262-04-11 23:47:16 UTC), where a time plus or minus a window, or a chart's hours, passes the
# range: from 1677-09-21 00:13 UTC, or from 2262-04-11 21:10 UTC (its last clicks and replays
# fall past the range, and so are text).
K_TIME_END_BASES = {'first': -9_223_372_020 * K_NS, 'last': 9_223_362_600 * K_NS}
K_HOSTILE_TABLES = ['click events', 'Clicks"; DROP TABLE x; --', "c'lick[s]", 'sélect', 'order']
K_HOSTILE_COLUMNS = {
    'page_url': ['page url', 'pa"ge', "pa'ge]", 'Seite€'],
    'x': ['X coord', 'x"'],
    'y': ['[y]', 'select'],
    'created_at': ['created at', 'time"stamp', 'when'],
    'user_agent': ['user agent', 'ua`'],
}
K_EXTREME_DATES = ['1700-01-01T00:00:00', '1700-01-01 00:00:00.5', '9999-12-31T23:59:59',
                   '9999-12-31 23:59:59.999']


def days_to_civil(days):
    # Howard Hinnant's civil_from_days: proleptic Gregorian, any year.
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return y + (m <= 2), m, d


def iso(ns, sep=' ', frac_digits=6, suffix='', offset_min=0):
    ns += offset_min * 60 * K_NS
    days, rest = divmod(ns, 86400 * K_NS)
    y, m, d = days_to_civil(days)
    secs, frac = divmod(rest, K_NS)
    text = '%04d-%02d-%02d%s%02d:%02d:%02d' % (y, m, d, sep, secs // 3600, secs // 60 % 60, secs % 60)
    if frac_digits:
        text += '.' + ('%09d' % frac)[:frac_digits]
    if offset_min:
        sign = '+' if offset_min > 0 else '-'
        text += '%s%02d:%02d' % (sign, abs(offset_min) // 60, abs(offset_min) % 60)
    return text + suffix


def render_time(rng, ns, style):
    """The time column's value for instant ns (a multiple of 1 ms) in one of the formats the
    man page lists; style 'service' is the service's own format."""
    if style == 'service' or ns % K_NS and style in ('epoch_int', 'epoch_text'):
        return iso(ns, ' ', 6)
    if style == 'iso_t':
        return iso(ns, 'T', 3, 'Z')
    if style == 'iso_short':
        # The fraction only as long as needed, no zone: UTC.
        text = iso(ns, 'T', 9)
        return text.rstrip('0').rstrip('.') if '.' in text else text
    if style == 'iso_offset':
        return iso(ns, 'T', 3, '', rng.choice([120, -300, 330]))
    if style == 'epoch_int':
        return ns // K_NS
    if style == 'epoch_ms':
        return ns // 1_000_000
    if style == 'epoch_real':
        return (ns // 1_000_000) / 1000.0
    if style == 'epoch_text':
        return str(ns // K_NS)
    raise ValueError(style)


def qi(name):
    return '"' + name.replace('"', '""') + '"'


class Case:
    def __init__(self, seed, quick):
        self.seed = seed
        self.rng = random.Random(seed)
        self.quick = quick
        self.unique_urls = False


def pick_schema(c):
    """The logical columns (role -> name) and the declared types, shared by every input."""
    r = c.rng
    hostile = r.random() < 0.15
    names = {'page_url': 'page_url', 'x': 'x', 'y': 'y', 'created_at': 'created_at',
             'viewport_width': 'viewport_width', 'user_agent': 'user_agent',
             'scroll_y': 'scroll_y', 'session': 'session_id'}
    table = 'click_events'
    if hostile:
        table = r.choice(K_HOSTILE_TABLES)
        for role, choices in K_HOSTILE_COLUMNS.items():
            if r.random() < 0.5:
                names[role] = r.choice(choices)
    ipk = r.choices(['autoinc', 'plain', 'desc', 'none'], [5, 2, 1, 2])[0]
    shadow = None
    if ipk == 'none' and r.random() < 0.5:
        # A column that takes one of the row id's names (issue 26's third bug).
        shadow = r.choice(['rowid', '_rowid_', 'oid', 'ROWID'])
    strict = r.random() < 0.1
    return {
        'table': table, 'names': names, 'ipk': ipk, 'shadow': shadow, 'strict': strict,
        'types': {'page_url': 'TEXT', 'x': r.choice(['REAL', 'INTEGER', 'NUMERIC', 'ANY']),
                  'y': r.choice(['REAL', 'INTEGER', 'REAL']), 'created_at':
                  r.choice(['TEXT', 'TEXT', 'ANY']), 'viewport_width': 'INTEGER',
                  'user_agent': 'TEXT', 'scroll_y': 'INTEGER', 'session': 'TEXT'},
    }


def create_sql(c, sch, roles, not_null, extra=()):
    cols = []
    for role in roles:
        name = sch['names'].get(role, role)
        typ = sch['types'].get(role, '')
        if typ == 'ANY' and not sch['strict']:
            typ = ''
        if sch['strict'] and typ in ('NUMERIC', ''):
            typ = 'ANY'
        if role == 'id':
            if sch['ipk'] == 'autoinc':
                cols.append('"id" INTEGER PRIMARY KEY AUTOINCREMENT')
            elif sch['ipk'] == 'plain':
                cols.append('"id" INTEGER PRIMARY KEY')
            else:
                cols.append('"id" INTEGER')
            continue
        cols.append(' '.join(p for p in [qi(name), typ, 'NOT NULL' if role in not_null else '']
                             if p))
    for name, typ in extra:
        cols.append(' '.join(p for p in [qi(name), typ] if p))
    if sch['ipk'] == 'desc':
        cols.append('PRIMARY KEY("id" DESC)')
    return 'CREATE TABLE %s (\n  %s\n)%s' % (qi(sch['table']), ',\n  '.join(cols),
                                             ' STRICT' if sch['strict'] else '')


def make_clicks(c, n, start_ns, span_ns):
    r = c.rng
    pages = ['/', '/pricing', '/blog', '/docs/' + 'a' * r.randint(1, 40), '/ünï', '/q?x=1&y=2']
    clicks = []
    for _ in range(n):
        clicks.append({
            't': start_ns + r.randrange(0, span_ns // 1_000_000) * 1_000_000,
            # Unique URLs (a page per click: many spots, many spill partitions) or a few pages.
            'page_url': '/u/%d?%s' % (r.getrandbits(48), 'q' * r.randint(0, 200))
            if c.unique_urls else r.choice(pages), 'x': r.randint(0, 40), 'y': r.randint(0, 30),
            'viewport_width': r.choice([1280, 390, None]),
            'user_agent': r.choice(['Mozilla/5.0', 'curl/8', None]), 'scroll_y': r.randint(0, 9),
            'session': 's%d' % r.randint(0, 99),
        })
    return clicks


def make_stale(source, target, suffix, table):
    """Leaves beside target what a writer killed on another database leaves: a hot journal, or
    a -wal with committed frames never checkpointed, both from a copy of source."""
    other = target + '.other'
    shutil.copyfile(source, other)
    for extra in ('-wal', '-shm'):
        if os.path.exists(source + extra):
            shutil.copyfile(source + extra, other + extra)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            db = sqlite3.connect(other, isolation_level=None)
            db.execute('PRAGMA journal_mode=%s' % ('WAL' if suffix == '-wal' else 'DELETE'))
            db.execute('PRAGMA wal_autocheckpoint=0')
            db.execute('BEGIN IMMEDIATE')
            db.execute('DELETE FROM %s' % qi(table))
            db.execute('CREATE TABLE "stale" (x)')
            if suffix == '-wal':
                db.execute('COMMIT')
        except BaseException:  # noqa: B902
            code = 3
        os._exit(code)  # mid-transaction, or without the checkpoint of a close
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError('the stale writer failed')
    os.rename(other + suffix, target + suffix)
    for extra in ('', '-wal', '-shm', '-journal'):
        if os.path.exists(other + extra):
            os.unlink(other + extra)


K_REPLAY_NS = {'30s': 30 * K_NS, '10m': 600 * K_NS}


def add_replays(c, rr, replay_window, inputs, per_input):
    """Write-to-both nodes (man page: Write-to-both nodes and replays): some clicks get a
    replayed copy, the same payload seconds to minutes later (now and then beyond the replay
    window), on the node that holds the click (a write that committed after the client's
    timeout) or on another one (the failed write, replayed). A copy may be replayed twice."""
    span = K_REPLAY_NS[replay_window]
    for name in inputs:
        for k in list(per_input[name]):
            if rr.random() >= 0.15:
                continue
            for _ in range(rr.choice([1, 1, 1, 2])):
                copy = dict(k)
                copy.pop('time_override', None)
                copy.pop('style', None)
                copy['t'] = k['t'] + rr.randint(1, span * 3 // 2 // 1_000_000) * 1_000_000
                copy['replay'] = True
                where = name if rr.random() < 0.4 else rr.choice(inputs)
                per_input[where].append(copy)


def replays_made(per_input):
    return sum(1 for rows in per_input.values() for k in rows if k.get('replay'))


def main_generate(seed, out_dir, quick=True):
    c = Case(seed, quick)
    r = c.rng
    os.makedirs(out_dir)
    sch = pick_schema(c)
    n_sec = r.choices([1, 2, 3], [6, 2, 1])[0]
    big = r.random() < (0.08 if quick else 0.15)
    c.unique_urls = r.random() < 0.1
    if c.unique_urls:
        big = True
    window = r.choice([None, None, '2s', '1500ms', '500ms'])
    # --replay-window, from a random stream of its own, so that a seed drawn without it builds
    # the very case it built before the option existed.
    rr = random.Random(seed * 7919 + 17)
    replay_window = rr.choice(['30s', '10m']) if rr.random() < 0.3 else None
    # The same for a case moved to an end of time (DIFFFUZZ_TIME_END=first or last forces it).
    te = random.Random(seed * 104729 + 41)
    time_end = os.environ.get('DIFFFUZZ_TIME_END') or (
        te.choice(['first', 'last']) if te.random() < 0.08 else None)
    base = K_TIME_END_BASES[time_end] if time_end else K_BASE
    nulls = r.random() < 0.3
    extreme_dates = r.random() < 0.1
    mixed = r.random() < 0.3
    huge = r.random() < 0.2
    shared = r.random() < 0.5
    time_styles = ['service'] * 6 + ['iso_t', 'iso_short', 'iso_offset', 'epoch_int', 'epoch_ms',
                                     'epoch_real', 'epoch_text']
    if sch['strict']:
        mixed = False
        time_styles = ['service', 'iso_t', 'iso_offset', 'epoch_text']
    roles = ['page_url', 'x', 'y', 'created_at', 'viewport_width', 'user_agent', 'scroll_y']
    if sch['ipk'] != 'none':
        roles.insert(r.choice([0, 0, 0, 2]), 'id')  # IPK first, or not first
    if sch['shadow']:
        roles.append('shadow')
        sch['names']['shadow'] = sch['shadow']
        sch['types']['shadow'] = 'INTEGER'
    # A column only secondaries have (in their CREATE TABLE), not read to match rows.
    roles.append('session')
    not_null = set() if nulls else {'page_url', 'created_at'}
    inputs = ['p'] + ['s%d' % i for i in range(1, n_sec + 1)]
    # Per input: its column order and its one-side columns. A column only a secondary has, or
    # only the primary (with a DEFAULT or nullable), added by ALTER TABLE after rows exist.
    spec = {}
    for name in inputs:
        order = list(roles)
        if r.random() < 0.3:
            fixed = [x for x in order if x == 'id']
            rest = [x for x in order if x != 'id']
            r.shuffle(rest)
            order = fixed + rest
        spec[name] = {'order': order, 'alter': [], 'created_extra': [],
                      'drop': {'session'} if name == 'p' or r.random() < 0.6 else set(),
                      'page_size': r.choice([512, 1024, 4096, 4096, 8192, 65536]),
                      'reserve': r.choice([0, 0, 0, 8, 32]),
                      'auto_vacuum': r.choice(['NONE', 'NONE', 'FULL', 'INCREMENTAL']),
                      'encoding': r.choice(['UTF-8'] * 5 + ['UTF-16le', 'UTF-16be']),
                      'journal': r.choice(['delete', 'delete', 'wal_frames', 'wal_frames',
                                           'wal_empty', 'wal_truncated'])}
        if name != 'p' and r.random() < 0.25:
            spec[name]['drop'].add(r.choice(['scroll_y', 'viewport_width', 'user_agent']))
        if r.random() < 0.35:
            # ALTER TABLE ADD COLUMN after rows exist: records shorter than the schema.
            col = {'name': r.choice(['referrer', 'Session', 'sess"ion', 'tag']),
                   'type': r.choice(['TEXT', 'INTEGER', '']),
                   'default': r.choice([None, "'none'", '7', "'x'"])}
            if sch['strict']:
                col['type'] = col['type'] or 'ANY'
                if col['type'] == 'INTEGER' and col['default'] and "'" in col['default']:
                    col['default'] = '7'
            spec[name]['alter'].append(col)
    if shared:
        # Seeded from a copy: the same file format as the primary.
        for name in inputs[1:]:
            for k in ('page_size', 'reserve', 'auto_vacuum', 'encoding'):
                spec[name][k] = spec['p'][k]
            spec[name]['order'] = spec['p']['order']
            spec[name]['drop'] = set(spec['p']['drop'])
    elif r.random() < 0.5:
        # A column the primary was created with that a secondary gains by ALTER TABLE after its
        # rows exist: read from both, absent from the secondary's older records.
        names_p = {a['name'].lower() for a in spec['p']['alter']}
        for name in inputs[1:]:
            for col in spec[name]['alter']:
                if col['name'].lower() not in names_p | {x[0].lower() for x in
                                                         spec['p']['created_extra']}:
                    spec['p']['created_extra'].append((col['name'], col['type']))
    # The primary never lacks a column a secondary has with NOT NULL and no default: data error.
    n_hist = r.choice([0, 20, 200, 2000 if big else 300])
    n_p = r.randint(0, 60)
    n_outage = r.randint(0, 80 if not big else 400)
    if big:
        n_outage = r.randint(1000, 2500)
    history = make_clicks(c, n_hist, base, 3600 * K_NS)
    history.sort(key=lambda k: k['t'])
    primary_after = make_clicks(c, n_p, base + 3600 * K_NS, 3600 * K_NS)
    outage = make_clicks(c, n_outage, base + 7200 * K_NS, 1800 * K_NS)
    indexes = []
    idx_kind = r.choice(['none', 'page', 'covering', 'covering_all', 'time', 'late', 'late'])
    key_roles = ['page_url', 'x', 'y', 'created_at']
    if idx_kind == 'page':
        indexes.append(['page_url'])
    elif idx_kind == 'covering':
        indexes.append(key_roles)
    elif idx_kind == 'covering_all':
        indexes.append(['page_url', 'x', 'y', 'created_at', 'viewport_width', 'user_agent',
                        'scroll_y'])
    elif idx_kind == 'time':
        indexes.append(['created_at'])
    migrated = not shared and r.random() < 0.12
    if migrated:
        # A schema migration one replica got after its rows: a column the primary was created
        # with, added to a secondary by ALTER TABLE ... DEFAULT, read from both inputs, with an
        # index that covers what is read (issue 26's second bug).
        name = r.choice(inputs[1:])
        col = {'name': 'referrer', 'type': 'TEXT', 'default': "'direct'"}
        spec[name]['alter'] = [col]
        spec[name]['journal'] = r.choice(['delete', 'wal_empty'])
        spec['p']['alter'] = [a for a in spec['p']['alter'] if a['name'] != 'referrer']
        spec['p']['created_extra'] = [x for x in spec['p']['created_extra']
                                      if x[0].lower() != 'referrer'] + [('referrer', 'TEXT')]
        idx_kind = 'late'
        # More rows before the migration than the page scan hands to SQLite one by one (256).
        if n_hist < 300:
            n_hist = r.choice([300, 600])
            history = make_clicks(c, n_hist, base, 3600 * K_NS)
            history.sort(key=lambda k: k['t'])
    if idx_kind == 'late' and not shared:
        # The late index covers every column read only where a column is left out of it.
        for name in inputs[1:]:
            spec[name]['drop'].discard('session')
    desc_index = r.random() < 0.3
    trigger = r.random() < 0.1

    def value(click, role, style):
        v = click.get(role)
        if role == 'created_at':
            return click['time_override'] if 'time_override' in click else \
                render_time(r, click['t'], style)
        if role == 'shadow':
            return click.setdefault('shadow', r.choice([1, 2, -5, None, 2 ** 62]))
        if mixed and role in ('x', 'y', 'viewport_width') and v is not None and r.random() < 0.2:
            v = r.choice([float(v), str(v), v + 0.25])
        if huge and role == 'user_agent' and r.random() < 0.05:
            v = 'U' * r.choice([3000, 70000])
        return v

    def decorate(clicks):
        for k in clicks:
            if nulls and r.random() < 0.05:
                field = r.choice(['page_url', 'x', 'created_at'])
                if field == 'created_at':
                    k['time_override'] = None
                else:
                    k[field] = None
            if extreme_dates and r.random() < 0.05:
                k['time_override'] = r.choice(K_EXTREME_DATES)
            if r.random() < 0.01:
                k['time_override'] = r.choice(['not a date', '2026-02-30 10:00:00', ''])
        return clicks

    decorate(history)
    decorate(primary_after)
    decorate(outage)
    per_input = {name: [] for name in inputs}
    # Secondaries: the outage's clicks split among them, some on several (a click recorded by
    # two secondaries); failover retries of the primary's clicks 1 to 1.6 s later; replicated
    # clicks in another time format; double clicks.
    for k in outage:
        owners = r.sample(inputs[1:], r.randint(1, len(inputs) - 1)) if r.random() < 0.3 \
            else [r.choice(inputs[1:])]
        for o in owners:
            per_input[o].append(dict(k))
        if r.random() < 0.05:
            # A double click, identical; with a replay window, in one time format too: the
            # replay pass drops one of the two, and the man page does not say which at one
            # instant (the tool: the higher row id), so they must not differ.
            double = dict(k)
            if replay_window:
                per_input[owners[0]][-1]['style'] = double['style'] = 'service'
            per_input[owners[0]].append(double)
    for k in primary_after:
        per_input['p'].append(k)
        if r.random() < 0.2:
            retry = dict(k)
            retry['t'] = k['t'] + r.randint(1000, 1600) * 1_000_000
            retry.pop('time_override', None)
            per_input[r.choice(inputs[1:])].append(retry)
        if r.random() < 0.15:
            per_input[r.choice(inputs[1:])].append(dict(k))  # replicated, maybe another format
        if r.random() < 0.1 and r.random() < 0.5:
            other = dict(k)
            other['user_agent'] = 'conflict'
            per_input[r.choice(inputs[1:])].append(other)
    if replay_window:
        add_replays(c, rr, replay_window, inputs, per_input)
    for name in inputs:
        if name != 'p' and r.random() < 0.3:
            per_input[name].sort(key=lambda k: k['t'])
        elif r.random() < 0.5:
            r.shuffle(per_input[name])
    extreme_ids = r.random() < 0.15
    deletes = r.random() < 0.3

    def insert_rows(db, rows, ids=None):
        # Names the columns the table has now (after any ALTER), in the order of `roles`.
        have = [row[1] for row in db.execute('PRAGMA table_info(%s)' % qi(sch['table']))]
        alias = 'oid' if sch['shadow'] and sch['shadow'].lower() == '_rowid_' else '_rowid_'
        db.execute('BEGIN')
        for i, k in enumerate(rows):
            style = k['style'] if 'style' in k else \
                'service' if r.random() < 0.7 else r.choice(time_styles)
            names, vals = [], []
            for role in roles:
                n = sch['names'].get(role, role)
                if role == 'id' or n not in have:
                    continue
                names.append(n)
                vals.append(value(k, role, style))
            if ids:
                names.append('id' if sch['ipk'] != 'none' else alias)
                vals.append(ids[i])
            db.execute('INSERT INTO %s (%s) VALUES (%s)' % (
                qi(sch['table']), ', '.join(qi(n) for n in names), ', '.join('?' * len(vals))),
                vals)
        db.execute('COMMIT')

    def create(name, path):
        s = spec[name]
        cols_roles = [x for x in s['order'] if x not in s['drop']]
        db = sqlite3.connect(path, isolation_level=None)
        db.execute('PRAGMA page_size=%d' % s['page_size'])
        db.execute('PRAGMA auto_vacuum=%s' % s['auto_vacuum'])
        db.execute("PRAGMA encoding='%s'" % s['encoding'])
        db.execute(create_sql(c, sch, cols_roles, not_null, s['created_extra']))
        for i, idx in enumerate(indexes):
            cols = [qi(sch['names'][x]) + (' DESC' if desc_index and j == 0 else '')
                    for j, x in enumerate(idx) if x in cols_roles]
            db.execute('CREATE INDEX %s ON %s (%s)' % (qi('idx%d %s' % (i, sch['table'])),
                                                       qi(sch['table']), ', '.join(cols)))
        if trigger:
            db.execute('CREATE TABLE "audit" (n INTEGER)')
            db.execute('CREATE TRIGGER "t_audit" AFTER INSERT ON %s BEGIN '
                       'INSERT INTO "audit" VALUES (1); END' % qi(sch['table']))
        db.close()
        if s['reserve']:
            subprocess.run(['sqlite3', path, '.filectrl reserve_bytes %d' % s['reserve'],
                            'VACUUM'], check=True, stdout=subprocess.DEVNULL)
        db = sqlite3.connect(path, isolation_level=None)
        insert_rows(db, [dict(k) for k in history])
        db.close()

    def finish(name, path):
        """ALTER TABLE after rows exist, then the input's own rows: in WAL mode they stay in the
        -wal, since the writer exits without closing (no checkpoint)."""
        s = spec[name]
        db = sqlite3.connect(path, isolation_level=None)
        if name == extreme_ids_input:
            insert_rows(db, make_clicks(c, 3, base, 1000 * K_NS),
                        [2 ** 62 + 7, -(2 ** 40), 2 ** 40 + 3])
        for col in s['alter']:
            db.execute('ALTER TABLE %s ADD COLUMN %s %s %s' % (
                qi(sch['table']), qi(col['name']), col['type'],
                'DEFAULT ' + col['default'] if col['default'] else ''))
        if idx_kind == 'late':
            # An index, made after the ALTERs, that covers every column but the one-side ones
            # the run does not read: SQLite's full scans then read it, not the table.
            cols = [row[1] for row in db.execute('PRAGMA table_info(%s)' % qi(sch['table']))
                    if row[1] not in ('id', sch['names']['session'])]
            db.execute('CREATE INDEX %s ON %s (%s)' % (qi('late ' + sch['table']),
                                                       qi(sch['table']),
                                                       ', '.join(qi(x) for x in cols)))
        db.close()
        wal = s['journal'].startswith('wal')
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                db = sqlite3.connect(path, isolation_level=None)
                if wal:
                    db.execute('PRAGMA journal_mode=WAL')
                    db.execute('PRAGMA wal_autocheckpoint=0')
                insert_rows(db, per_input[name])
                if deletes and per_input[name]:
                    db.execute('DELETE FROM %s WHERE _rowid_ %% 7 = 3' % qi(sch['table'])
                               if sch['shadow'] is None or sch['shadow'].lower() != '_rowid_'
                               else 'DELETE FROM %s WHERE oid %% 7 = 3' % qi(sch['table']))
                if s['journal'] == 'wal_empty':
                    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
            except BaseException:  # noqa: B902
                import traceback
                traceback.print_exc()
                code = 3
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise RuntimeError('writer of %s failed' % path)
        if s['journal'] == 'wal_truncated' and os.path.getsize(path + '-wal') > 4096:
            # A torn last frame: SQLite ignores it; the -shm goes, so the index is rebuilt.
            os.truncate(path + '-wal', os.path.getsize(path + '-wal') - r.randint(1, 100))
            os.unlink(path + '-shm')

    real = os.path.join(out_dir, 'real')
    os.makedirs(real)
    files = {name: os.path.join(real, name + '.db') for name in inputs}
    extreme_ids_input = r.choice(inputs) if extreme_ids else None
    if shared:
        # Each input is a file copy of one seed holding the history (as `.backup` makes).
        seed_path = os.path.join(out_dir, 'seed.db')
        create('p', seed_path)
        for name in inputs:
            shutil.copyfile(seed_path, files[name])
        os.unlink(seed_path)
    else:
        for name in inputs:
            create(name, files[name])
    for name in inputs:
        finish(name, files[name])
    # Paths as typed: plain, relative with .., a link to the file, a link to its directory, a
    # hard link. A hard link to a WAL file with frames names another -wal: not generated.
    os.makedirs(os.path.join(out_dir, 'sub'))
    os.symlink('real', os.path.join(out_dir, 'ldir'))
    args = []
    kinds = {}
    for name in inputs:
        kind = r.choice(['plain', 'dotdot', 'filelink', 'dirlink', 'hardlink'])
        if kind == 'hardlink' and spec[name]['journal'] in ('wal_frames', 'wal_truncated'):
            kind = 'filelink'
        kinds[name] = kind
        if kind == 'plain':
            args.append('real/%s.db' % name)
        elif kind == 'dotdot':
            args.append('sub/../real/%s.db' % name)
        elif kind == 'filelink':
            os.symlink('real/%s.db' % name, os.path.join(out_dir, 'ln-%s.db' % name))
            args.append('ln-%s.db' % name)
        elif kind == 'dirlink':
            args.append('ldir/%s.db' % name)
        else:
            os.link(files[name], os.path.join(out_dir, 'hl-%s.db' % name))
            args.append('hl-%s.db' % name)
    mode = r.choice(['output', 'output', 'dry_json', 'in_place', 'sql'])
    # Half the dry runs are of --peers (one merge per node), from a stream of their own, so that
    # the other draws stay as they were.
    if mode == 'dry_json' and random.Random(seed * 104729 + 29).random() < 0.5:
        mode = 'peers_json'
    # --peers takes two nodes (more are refused, exit 64): such a case keeps the first two.
    if mode == 'peers_json':
        args = args[:2]
    opts = []
    if sch['table'] != 'click_events':
        opts += ['--table', sch['table']]
    if sch['names']['created_at'] != 'created_at':
        opts += ['--time-column', sch['names']['created_at']]
    if [sch['names'][x] for x in ('page_url', 'x', 'y')] != ['page_url', 'x', 'y']:
        opts += ['--key', ','.join(sch['names'][x] for x in ('page_url', 'x', 'y'))]
    if window:
        opts += ['--window', window]
    if replay_window:
        opts += ['--replay-window', replay_window]
    # --remove-replays, from a stream of its own too, so that the cases drawn before it stay.
    remove_replays = bool(replay_window) and random.Random(seed * 104729 + 3).random() < 0.5
    if remove_replays:
        opts += ['--remove-replays']
    if r.random() < 0.2 or c.unique_urls:
        opts += ['--memory-limit', '1MiB']
    # --in-place adds a column to the live table only when asked; without it, the refusal.
    if mode == 'in_place' and r.random() < 0.7:
        opts += ['--alter-live-table']
    stale = None
    if mode == 'output' and r.random() < 0.1:
        stale = r.choice(['-journal', '-wal'])
        make_stale(files['p'], os.path.join(out_dir, 'out.db'), stale, sch['table'])
    extra_format = r.choice([None, None, None, 'text', 'markdown', 'html', 'summary'])
    case = {
        'seed': seed, 'mode': mode, 'args': args, 'opts': opts, 'table': sch['table'],
        'key': [sch['names'][x] for x in ('page_url', 'x', 'y')],
        'time': sch['names']['created_at'], 'window': window, 'replay_window': replay_window,
        'remove_replays': remove_replays,
        'extra_format': extra_format,
        'stale_output': stale, 'path_kinds': kinds,
        'summary': {'secondaries': n_sec, 'shared': shared, 'big': big, 'ipk': sch['ipk'],
                    'shadow': sch['shadow'], 'strict': sch['strict'], 'index': idx_kind,
                    'journals': {n: spec[n]['journal'] for n in inputs},
                    'alter': {n: [a['name'] for a in spec[n]['alter']] for n in inputs},
                    'extreme_ids': extreme_ids, 'extreme_dates': extreme_dates,
                    'time_end': time_end,
                    'nulls': nulls, 'mixed': mixed, 'trigger': trigger,
                    'migrated': migrated, 'unique_urls': c.unique_urls,
                    'replays': replays_made(per_input)},
    }
    with open(os.path.join(out_dir, 'case.json'), 'w') as f:
        json.dump(case, f, indent=1)
    return case
