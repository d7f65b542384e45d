# Differential fuzzer, driver: for each seed, generates a case (gen.py), computes the reference
# answer (reference.py) and runs the real binary twice, as is and with
# HEATMAP_MERGE_NO_OPTIMIZATIONS=1, each in its own copy of the case; compares exit codes, every
# row of every table (typeof and quote() of each column, by row id), sqlite_sequence and the
# JSON report's counts. Usage: driver.py --binary HM [--pairs N] [--seed N] [--jobs N] [--keep]
import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
import traceback

# No __pycache__ in the source tree (CTest runs this from it).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
import reference  # noqa: E402

K_ATTEMPTS = 8  # regenerations of a seed whose case the documented rules leave open (a tie)
# Peak RSS allowed with --memory-limit 1MiB on these inputs: about 60 MiB measured (the code,
# SQLite's caches); up to 400 MiB under AddressSanitizer, whose shadow memory counts too.
K_RSS_LIMIT_KIB = 128 * 1024
K_RSS_LIMIT_SANITIZED_KIB = 1024 * 1024


def sanitized(binary):
    with open(binary, 'rb') as f:
        return b'__asan_init' in f.read()


def run(cmd, cwd, env, stdout_path, timeout=120, stdin_path=None, measure=False):
    """Runs cmd; returns (exit status, peak RSS in KiB, stderr text). The peak RSS is cmd's own
    only with measure: Linux carries the high-water mark of the process that forks (or vforks)
    across the child's exec, so wait4's ru_maxrss counts this driver's own RSS, which grows with
    the cases it has read; GNU time, a small process, measures cmd alone."""
    rss_path = stdout_path + '.rss'
    if measure:
        cmd = ['/usr/bin/time', '-f', '%M', '-o', rss_path] + cmd
    with open(stdout_path, 'wb') as out, open(stdout_path + '.err', 'wb') as err:
        stdin = open(stdin_path, 'rb') if stdin_path else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=stdin)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                status = 'timeout'
                break
            time.sleep(0.005)
        proc.returncode = 0  # reaped above
        if stdin_path:
            stdin.close()
    code = status if status == 'timeout' else os.waitstatus_to_exitcode(status)
    with open(stdout_path + '.err', 'rb') as f:
        text = f.read().decode('utf-8', 'replace')
    rss = usage.ru_maxrss
    if measure and os.path.exists(rss_path):
        with open(rss_path) as f:
            lines = [line for line in f.read().split() if line.isdigit()]
        rss = int(lines[-1]) if lines else rss
    return code, rss, text


def digest_inputs(d, case, skip_primary):
    h = {}
    for i, a in enumerate(case['args']):
        if i == 0 and skip_primary:
            continue
        real = os.path.realpath(os.path.join(d, a))
        for suffix in ('', '-wal'):
            if os.path.exists(real + suffix):
                with open(real + suffix, 'rb') as f:
                    h[a + suffix] = hashlib.sha1(f.read()).hexdigest()
    return h


def without_ids(dump, table, id_columns):
    """The table's rows as a sorted list, without the row id and the columns that alias it."""
    t = dump[table]
    keep = [i + 1 for i, c in enumerate(t['columns']) if c not in id_columns]
    rows = sorted(tuple(row[i] for i in keep) for row in t['rows'])
    return dict(dump, **{table: {'columns': t['columns'], 'rows': rows}})


def diff_dumps(want, got):
    if set(want) != set(got):
        return 'tables differ: expected %s, got %s' % (sorted(want), sorted(got))
    for name in sorted(want):
        w, g = want[name], got[name]
        if w['columns'] != g['columns']:
            return 'table %r: columns differ: expected %s, got %s' % (name, w['columns'],
                                                                        g['columns'])
        if w['rows'] != g['rows']:
            missing = [r for r in w['rows'] if r not in g['rows']]
            extra = [r for r in g['rows'] if r not in w['rows']]
            return ('table %r: rows differ: expected %d, got %d; %d missing, e.g. %s; %d '
                    'unexpected, e.g. %s' % (name, len(w['rows']), len(g['rows']), len(missing),
                                             str(missing[:2])[:400], len(extra),
                                             str(extra[:2])[:400]))
    return None


def compare_report(want, got):
    problems = []
    for field in ('rows_added', 'rows_out', 'duplicates', 'duplicates_exact',
                  'duplicates_window', 'conflicts'):
        if got.get(field) != want[field]:
            problems.append('%s: expected %s, got %s' % (field, want[field], got.get(field)))
    if got.get('dry_run') is False and got.get('in_place') is None and \
            got.get('first_new_id') != want['first_new_id']:
        problems.append('first_new_id: expected %s, got %s' % (want['first_new_id'],
                                                                got.get('first_new_id')))
    if want.get('replay') is not None:
        for field, value in want['replay'].items():
            if got.get('replay', {}).get(field) != value:
                problems.append('replay.%s: expected %s, got %s' % (
                    field, value, got.get('replay', {}).get(field)))
    elif 'replay' in got:
        problems.append('replay: present without --replay-window')
    added = [c.get('name', '').lower() for c in got.get('columns_added', [])]
    if added != [c.lower() for c in want['columns_added']]:
        problems.append('columns_added: expected %s, got %s' % (want['columns_added'], added))
    for i, (w, g) in enumerate(zip(want['inputs'], got.get('inputs', []))):
        for field in w:
            if g.get(field) != w[field]:
                problems.append('inputs[%d].%s: expected %s, got %s' % (i, field, w[field],
                                                                       g.get(field)))
    return '; '.join(problems) or None


def compare_peers(want, got):
    """-n --peers: each node's report against the reference's merge of that node first."""
    nodes = got.get('nodes', [])
    if len(nodes) != len(want):
        return ['peers: %d nodes reported, expected %d' % (len(nodes), len(want))]
    problems = []
    for i, (w, g) in enumerate(zip(want, nodes)):
        if g.get('node') != w['node'] or g.get('rows_added') != w['report']['rows_added']:
            problems.append('peers node %d: %s with %s rows, expected %s with %s' % (
                i, g.get('node'), g.get('rows_added'), w['node'], w['report']['rows_added']))
        p = compare_report(w['report'], g.get('report', {}))
        if p:
            problems.append('peers node %d report: %s' % (i, p))
    return problems


def rotated(case, node):
    """The case of --peers' merge of node `node`: that node first, the others in their order."""
    args = case['args']
    return dict(case, args=[args[node]] + args[:node] + args[node + 1:], mode='dry_json',
                expected_name='expected-%d.db' % node)


def tool_command(hm, case, d):
    mode = case['mode']
    cmd = [hm]
    if mode == 'output':
        cmd += ['-o', 'out.db', '--format', 'json']
    elif mode == 'dry_json':
        cmd += ['-n', '--format', 'json']
    elif mode == 'peers_json':
        cmd += ['-n', '--peers', '--format', 'json']
    elif mode == 'in_place':
        cmd += ['--in-place', '--format', 'json']
    else:
        cmd += ['-n', '--format', 'sql']
    return cmd + case['opts'] + case['args']


def one_answer(hm, case, d, plain, expected, peak_rss, rss_limit):
    """Runs the tool in its copy d; returns a list of problems. peak_rss[0] is raised to the
    run's peak RSS (KiB) under --memory-limit."""
    env = dict(os.environ, NO_PROGRESS='1', NO_COLOR='1')
    env.pop('HEATMAP_MERGE_NO_OPTIMIZATIONS', None)
    if plain:
        env['HEATMAP_MERGE_NO_OPTIMIZATIONS'] = '1'
    mode = case['mode']
    before = digest_inputs(d, case, mode in ('in_place', 'sql'))
    code, rss, err = run(tool_command(hm, case, d), d, env, os.path.join(d, 'stdout'),
                         measure='--memory-limit' in case['opts'])
    problems = []
    if code != expected['exit']:
        errors = [line for line in err.splitlines() if 'error' in line or 'Sanitizer' in line]
        problems.append('exit %s, expected %s: %s' % (code, expected['exit'],
                                                      ' / '.join(errors)[-600:] or err[-600:]))
        return problems
    if '--memory-limit' in case['opts']:
        peak_rss[0] = max(peak_rss[0], rss)
        if rss > rss_limit:
            problems.append('peak RSS %d KiB with --memory-limit 1MiB (over %d)'
                            % (rss, rss_limit))
    if 'internal error' in err or 'AddressSanitizer' in err or 'runtime error' in err:
        problems.append('stderr: ' + err.strip()[-600:])
    if code != 0:
        return problems
    after = digest_inputs(d, case, mode in ('in_place', 'sql'))
    # SQLite may create a WAL input's missing -wal (empty), as any reader does.
    changed = sorted(k for k in before if before[k] != after.get(k))
    if changed:
        problems.append('an input changed: %s' % changed)
    if mode in ('output', 'dry_json', 'in_place', 'peers_json'):
        try:
            with open(os.path.join(d, 'stdout'), 'rb') as f:
                report = json.loads(f.read().decode('utf-8', 'replace'))
        except ValueError as e:
            report = {}
            problems.append('JSON report unreadable: %s' % e)
        if mode == 'peers_json':
            problems += compare_peers(expected['peers'], report)
        else:
            p = compare_report(expected['report'], report)
            if p:
                problems.append('report: ' + p)
    target = None
    if mode == 'output':
        target = os.path.join(d, 'out.db')
    elif mode in ('in_place', 'sql'):
        target = os.path.join(d, case['args'][0])
    if mode == 'sql':
        code, _, err = run(['sqlite3', target], d, env, os.path.join(d, 'applied'),
                           stdin_path=os.path.join(d, 'stdout'))
        if code != 0:
            problems.append('applying the patch failed (%s): %s' % (code, err.strip()[-400:]))
            return problems
    if target:
        try:
            want, got = expected['dump'], reference.dump(target, case)
            if mode == 'sql':
                # A patch's rows get the ids the table gives them, in the order the patch lists
                # them, which the man page leaves open (-o numbers them by time): compare the
                # click table's rows without ids, as a multiset; every other column exactly.
                want = without_ids(want, case['table'], expected['id_columns'])
                got = without_ids(got, case['table'], expected['id_columns'])
            p = diff_dumps(want, got)
        except Exception as e:  # noqa: BLE001 - an unreadable output is a finding
            p = 'the output is unreadable: %s' % e
        if p:
            problems.append(p)
    if case['extra_format']:
        opts = [o for o in case['opts'] if o != '--alter-live-table']  # it goes with --in-place
        fmt_cmd = [hm, '-n', '--format', case['extra_format']] + opts + case['args']
        code, _, err = run(fmt_cmd, d, env, os.path.join(d, 'stdout-extra'))
        if code != 0 or os.path.getsize(os.path.join(d, 'stdout-extra')) == 0:
            problems.append('-n --format %s: exit %s: %s' % (case['extra_format'], code,
                                                             err.strip()[-400:]))
    return problems


def expect(case, d):
    """The reference's answer, computed in its own copy d of the case."""
    if case['mode'] == 'peers_json':
        if len(case['args']) > 2:
            return {'exit': 64, 'why': '--peers takes two nodes'}
        # One dry run per node, in order: the first refusal is the run's.
        peers = []
        for node in range(len(case['args'])):
            one = expect(rotated(case, node), d)
            if one['exit'] != 0:
                return one
            peers.append({'node': case['args'][node], 'report': one['report']})
        return {'exit': 0, 'peers': peers}
    try:
        result = reference.merge(case, d)
    except reference.Refused as e:
        return {'exit': e.code, 'why': str(e)}
    expected = {'exit': 0, 'report': result['report']}
    # A dry run predicts the real run's refusal of a row the table does not take: the reference
    # writes its output in every mode.
    out = os.path.join(d, case.get('expected_name', 'expected.db'))
    try:
        reference.write_output(result, case, os.path.join(d, case['args'][0]), out)
    except reference.Refused as e:
        return {'exit': e.code, 'why': str(e)}
    if case['mode'] != 'dry_json':
        expected['dump'] = reference.dump(out, case)
        ipk = result['primary'].ipk
        expected['id_columns'] = [ipk.lower()] if ipk else []
    return expected


def check_seed(hm, seed, work, keep, quick, rss_limit):
    base = os.path.join(work, 'seed-%d' % seed)
    shutil.rmtree(base, ignore_errors=True)
    for attempt in range(K_ATTEMPTS):
        shutil.rmtree(base, ignore_errors=True)
        gen_dir = os.path.join(base, 'case')
        case = gen.main_generate(seed + attempt * 1_000_003_000_000, gen_dir, quick)
        ref_dir = os.path.join(base, 'reference')
        subprocess.run(['cp', '-a', gen_dir, ref_dir], check=True)
        try:
            expected = expect(case, ref_dir)
            break
        except reference.Ambiguous:
            continue
    else:
        return seed, 'skip', 'every attempt left a tie the documented rules do not break', case
    # What the reference's replay pass paired, for the seed's line.
    case['replay_expected'] = (expected.get('report') or {}).get('replay')
    problems = []
    peak_rss = [0]
    for answer, plain in (('default', False), ('plain', True)):
        d = os.path.join(base, answer)
        subprocess.run(['cp', '-a', gen_dir, d], check=True)
        for p in one_answer(hm, case, d, plain, expected, peak_rss, rss_limit):
            problems.append('%s: %s' % (answer, p))
    if not problems and not keep:
        shutil.rmtree(base, ignore_errors=True)
    case['peak_rss_kib'] = peak_rss[0]
    return seed, 'FAIL' if problems else 'ok', problems, case


def describe(case):
    s = case['summary']
    bits = [case['mode'], '%d sec' % s['secondaries'], 'shared' if s['shared'] else 'unshared',
            'ipk=%s' % s['ipk'], 'index=%s' % s['index'],
            'journals=%s' % ','.join(s['journals'].values()),
            'paths=%s' % ','.join(case['path_kinds'].values())]
    for flag in ('big', 'strict', 'extreme_ids', 'extreme_dates', 'nulls', 'mixed', 'trigger',
                 'migrated'):
        if s[flag]:
            bits.append(flag)
    if s.get('time_end'):
        bits.append('time_end=%s' % s['time_end'])
    if s['shadow']:
        bits.append('shadow=%s' % s['shadow'])
    if any(s['alter'].values()):
        bits.append('alter')
    if case['window']:
        bits.append('window=%s' % case['window'])
    if case.get('replay_window'):
        replay = case.get('replay_expected') or {}
        bits.append('replay-window=%s (%d copies; expected %s across, %s within)' % (
            case['replay_window'], s['replays'], replay.get('pairs_across', '-'),
            replay.get('replayed_duplicates', '-')))
        if case.get('remove_replays'):
            bits.append('remove-replays (expected %s removed)' % replay.get(
                'primary_replayed_removed', '-'))
    if '--memory-limit' in case['opts']:
        bits.append('memory-limit=1MiB')
    if case['stale_output']:
        bits.append('stale out.db%s' % case['stale_output'])
    if case['extra_format']:
        bits.append('+%s' % case['extra_format'])
    if s.get('unique_urls'):
        bits.append('unique_urls')
    return ' '.join(bits)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--pairs', type=int, default=200)
    ap.add_argument('--first-seed', type=int, default=None)
    ap.add_argument('--seed', type=int, action='append', help='rerun only this seed')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--work', default='/tmp/heatmap-merge-difffuzz')
    ap.add_argument('--keep', action='store_true', help='keep every case directory')
    ap.add_argument('--long', action='store_true')
    ap.add_argument('--rerun-hint', default='')
    a = ap.parse_args()
    hm = os.path.abspath(a.binary)
    os.makedirs(a.work, exist_ok=True)
    if a.seed:
        seeds = a.seed
    else:
        first = a.first_seed if a.first_seed is not None else random.SystemRandom().randrange(
            1, 10 ** 9)
        seeds = list(range(first, first + a.pairs))
        print('difffuzz: %d pairs, seeds %d to %d' % (a.pairs, first, first + a.pairs - 1),
              flush=True)
    rss_limit = K_RSS_LIMIT_SANITIZED_KIB if sanitized(hm) else K_RSS_LIMIT_KIB
    start = time.monotonic()
    failed, skipped, rss = [], 0, 0
    with concurrent.futures.ProcessPoolExecutor(a.jobs) as pool:
        futures = [pool.submit(check_seed, hm, s, a.work, a.keep or bool(a.seed), not a.long,
                               rss_limit) for s in seeds]
        for fut in concurrent.futures.as_completed(futures):
            try:
                seed, verdict, problems, case = fut.result()
            except Exception:  # noqa: BLE001 - a generator crash is a failure of the fuzzer
                print('difffuzz: a worker failed:\n' + traceback.format_exc(), flush=True)
                failed.append(None)
                continue
            rss = max(rss, case.get('peak_rss_kib', 0))
            print('seed %d: %s (%s)' % (seed, verdict, describe(case)), flush=True)
            if verdict == 'FAIL':
                failed.append(seed)
                for p in problems:
                    print('    ' + p, flush=True)
                print('    rerun: %s --seed %d (the case stays in %s/seed-%d)'
                      % (a.rerun_hint, seed, a.work, seed), flush=True)
            elif verdict == 'skip':
                skipped += 1
    took = time.monotonic() - start
    if rss:
        print('difffuzz: peak RSS under --memory-limit 1MiB: %.1f MiB (limit %d MiB)'
              % (rss / 1024, rss_limit // 1024), flush=True)
    print('difffuzz: %d pairs in %.0fs: %d passed, %d failed, %d skipped (ties)%s' % (
        len(seeds), took, len(seeds) - len(failed) - skipped, len(failed), skipped,
        ('; failed seeds: ' + ' '.join(str(s) for s in failed)) if failed else ''), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
