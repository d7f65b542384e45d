#!/usr/bin/env python3
"""Builds the directories a power cut could leave, from a power_cut recorder's log (power/run.sh).

    replay.py BEFORE LOG DIR OUT [--seed N] [--random N] [--extra N] [--all-points]

BEFORE is a copy of the directory DIR made before the run (all of it durable), LOG what
tests/tools/power_cut.cpp recorded of the run in DIR. For each cut point K (the machine dies
after the K-th record: records 0..K-1 reached the kernel, the rest never happened) it builds
the crash states below, keeps each distinct one once as OUT/sN/ (paths relative to DIR), and
writes OUT/manifest, one line per state: "sN<TAB>K:KIND K:KIND ...", every cut and kind that
gives it.

The disk model, ext4's guarantees and no more (conservative):
  - A file's data (write, truncate) is durable once an fsync or fdatasync of that file, begun
    after the write, has returned; until then any subset of its writes may have reached the
    disk, in any order, and a write larger than a sector may be torn: any subset of its
    512-byte sectors (a sector is written whole or not at all).
  - A directory entry (create, rename, unlink, mkdir) is durable once an fsync of its directory,
    begun after the change, has returned (of both directories for a rename). Until then the
    change may be lost; lost changes are a suffix of the directory's unsynced changes (ext4
    journals metadata in order), so a rename is never kept while a create before it is lost.
  - A file's fsync does not make its name durable, nor a directory's fsync its files' data.
  - Data follows the inode, not the name: a write kept to a file renamed later lands under
    whichever name survives.
Cut points: just before and just after every flush, rename and unlink, the end of the log (the
run has exited: what it reported done must be durable now; kind "durable" there is "final"),
and --extra random ones (--all-points: every record).
Kinds per cut point:
  durable  only what is durable           all      everything up to K kept (what SIGKILL leaves)
  nodata   entries kept, data durable     noentry  data kept, entries durable
  randomJ  durable + a random subset of unsynced writes + a random prefix of unsynced entries
  prefix   durable + every unsynced record before a random point J < K
  torn     everything kept but the last unsynced write, of which a random set of sectors
"""
import argparse
import hashlib
import os
import random
import shutil
import sys

SECTOR = 512
DATA = {"write", "trunc"}
ENTRY = {"create", "rename", "unlink", "mkdir", "rmdir"}


def parse(log_path):
    """The records: dicts with op, path(s), and offset/data for writes, begin for flushes."""
    records = []
    with open(log_path, "rb") as log:
        raw = log.read()
    at = 0
    while at < len(raw):
        end = raw.index(b"\n", at)
        fields = raw[at:end].decode().split("\t")
        at = end + 1
        record = {"op": fields[0], "path": fields[1]}
        if record["op"] == "write":
            offset, length = int(fields[2]), int(fields[3])
            record.update(offset=offset, data=raw[at : at + length])
            at += length + 1
        elif record["op"] == "trunc":
            record["size"] = int(fields[2])
        elif record["op"] in ("sync", "dirsync"):
            record["begin"] = int(fields[2])
        elif record["op"] == "rename":
            record["to"] = fields[2]
        records.append(record)
    return records


def parent(path):
    return os.path.dirname(path)


class Run:
    """The log resolved: each data record's inode, each entry record's directories."""

    def __init__(self, before, records, directory):
        self.records = records
        self.directory = directory
        self.before = {}  # path -> inode, the files of BEFORE
        self.contents = []  # inode -> content before the run
        for root, _, files in os.walk(before):
            for name in files:
                source = os.path.join(root, name)
                path = os.path.join(directory, os.path.relpath(source, before))
                with open(source, "rb") as f:
                    self.contents.append(f.read())
                self.before[path] = len(self.contents) - 1
        names = dict(self.before)
        for record in records:
            op = record["op"]
            if op == "create":
                self.contents.append(b"")
                names[record["path"]] = record["inode"] = len(self.contents) - 1
            elif op in DATA or op == "sync":
                if record["path"] not in names:  # made before the copy or outside the log
                    self.contents.append(b"")
                    names[record["path"]] = len(self.contents) - 1
                record["inode"] = names[record["path"]]
            elif op == "rename" and record["path"] in names:
                names[record["to"]] = names.pop(record["path"])
            elif op == "unlink":
                names.pop(record["path"], None)
            if op in ENTRY:
                record["dirs"] = {parent(record["path"])} | (
                    {parent(record["to"])} if op == "rename" else set()
                )

    def durable(self, cut):
        """The indices of the records before `cut` that a flush done before `cut` covers."""
        data_until = {}  # inode -> records before this index are durable
        dir_until = {}
        for record in self.records[:cut]:
            if record["op"] == "sync":
                inode = record["inode"]
                data_until[inode] = max(data_until.get(inode, 0), record["begin"])
            elif record["op"] == "dirsync":
                path = record["path"]
                dir_until[path] = max(dir_until.get(path, 0), record["begin"])
        kept = set()
        for i, record in enumerate(self.records[:cut]):
            if record["op"] in DATA and i < data_until.get(record["inode"], 0):
                kept.add(i)
            elif record["op"] in ENTRY and all(i < dir_until.get(d, 0) for d in record["dirs"]):
                kept.add(i)
        return kept

    def build(self, cut, kept, torn=None):
        """The files (path -> bytes) when only the records `kept` of those before `cut` landed;
        torn = (index, sectors): of that write only those sectors landed."""
        # Each file a bytearray changed in place: a write costs its own length, not the file's.
        contents = [bytearray(content) for content in self.contents]
        names = dict(self.before)
        for i, record in enumerate(self.records[:cut]):
            op = record["op"]
            if torn is not None and i == torn[0]:
                torn_write(contents[record["inode"]], record, torn[1])
                continue
            if i not in kept:
                continue
            if op == "write":
                content = contents[record["inode"]]
                start, end = record["offset"], record["offset"] + len(record["data"])
                if len(content) < start:
                    content.extend(b"\0" * (start - len(content)))
                content[start:end] = record["data"]
            elif op == "trunc":
                content = contents[record["inode"]]
                if len(content) > record["size"]:
                    del content[record["size"] :]
                else:
                    content.extend(b"\0" * (record["size"] - len(content)))
            elif op == "create":
                names[record["path"]] = record["inode"]
            elif op == "rename" and record["path"] in names:
                names[record["to"]] = names.pop(record["path"])
            elif op == "unlink":
                names.pop(record["path"], None)
        return {path: bytes(contents[inode]) for path, inode in names.items()}


def torn_write(content, record, sectors):
    """Lands in the bytearray `content` only `sectors` (file offsets, SECTOR-aligned) of the write."""
    start, data = record["offset"], record["data"]
    if len(content) < start:
        content.extend(b"\0" * (start - len(content)))
    for sector in sectors:
        lo, hi = max(sector, start), min(sector + SECTOR, start + len(data))
        if len(content) < hi:
            content.extend(b"\0" * (hi - len(content)))
        content[lo:hi] = data[lo - start : hi - start]


def sectors_of(record):
    first = record["offset"] // SECTOR * SECTOR
    return list(range(first, record["offset"] + len(record["data"]), SECTOR))


def states(run, cut, rng, randoms):
    """(kind, files) for each crash state of cut point `cut`."""
    everything = set(range(cut))
    durable = run.durable(cut)
    unsynced = sorted(everything - durable)
    data = [i for i in unsynced if run.records[i]["op"] in DATA]
    entries = [i for i in unsynced if run.records[i]["op"] in ENTRY]
    yield "durable", run.build(cut, durable)
    yield "all", run.build(cut, everything)
    yield "nodata", run.build(cut, everything - set(data))
    yield "noentry", run.build(cut, everything - set(entries))
    for j in range(randoms):
        chosen = {i for i in data if rng.random() < 0.5}
        chosen |= set(entries[: rng.randint(0, len(entries))])
        yield f"random{j}", run.build(cut, durable | chosen)
    if unsynced:
        point = rng.randint(unsynced[0], cut)
        yield "prefix", run.build(cut, durable | {i for i in unsynced if i < point})
    writes = [i for i in data if run.records[i]["op"] == "write"]
    if writes and len(sectors_of(run.records[writes[-1]])) > 1:
        sectors = sectors_of(run.records[writes[-1]])
        landed = rng.sample(sectors, rng.randint(1, len(sectors) - 1))
        yield "torn", run.build(cut, everything - {writes[-1]}, (writes[-1], landed))


def cut_points(records, extra, every, rng):
    points = {len(records)}
    for i, record in enumerate(records):
        if every or record["op"] in ("sync", "dirsync", "rename", "unlink"):
            points |= {i, i + 1}
    points |= {rng.randint(0, len(records)) for _ in range(extra)}
    return sorted(points)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("log")
    parser.add_argument("directory")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--random", type=int, default=3)
    parser.add_argument("--extra", type=int, default=3)
    parser.add_argument("--all-points", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    directory = os.path.realpath(args.directory)
    run = Run(args.before, parse(args.log), directory)
    seen = {}  # digest -> state name
    lines = {}  # state name -> "K:KIND" entries
    points = cut_points(run.records, args.extra, args.all_points, rng)
    for cut in points:
        for kind, files in states(run, cut, rng, args.random):
            if cut == len(run.records) and kind == "durable":
                kind = "final"
            digest = hashlib.sha256(
                b"".join(
                    hashlib.sha256(p.encode() + b"\0" + c).digest() for p, c in sorted(files.items())
                )
            ).hexdigest()
            if digest not in seen:
                name = seen[digest] = f"s{len(seen)}"
                lines[name] = []
                os.makedirs(os.path.join(args.out, name))
                for path, content in files.items():
                    target = os.path.join(args.out, name, os.path.relpath(path, directory))
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "wb") as f:
                        f.write(content)
            lines[seen[digest]].append(f"{cut}:{kind}")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "manifest"), "w") as manifest:
        for name, entries in lines.items():
            manifest.write(f"{name}\t{' '.join(entries)}\n")
    print(f"{len(run.records)} records, {len(points)} cut points, {len(seen)} distinct states")


if __name__ == "__main__":
    sys.exit(main())
