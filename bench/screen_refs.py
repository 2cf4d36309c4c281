#!/usr/bin/python3
"""Reference comparator for the name screening benchmark.

Brute-force Jaro-Winkler (Debian's python3-levenshtein, Levenshtein.jaro_winkler)
of every query against every list name, on the files `screen_bench --dump DIR`
wrote (names.txt, queries.txt). Names are lower-cased and their white space
collapsed first (the comparator's only normalisation). A sample of queries is
timed with multiprocessing.Pool(PROCS) and the rate extrapolated to the whole
query file; the output states the sample size.

Usage: /usr/bin/python3 bench/screen_refs.py DIR [SAMPLE=200] [PROCS=2]
(Debian's python3, so that dist-packages are found.)

       /usr/bin/python3 bench/screen_refs.py DIR pg PORT [SAMPLE=200]
PostgreSQL pg_trgm: loads the same names into a running server (psql on
127.0.0.1:PORT, user icts, database postgres), builds a GIN trigram index and
times SAMPLE queries of the form
  select name from ch where name % q order by similarity(name, q) desc limit 10
with pg_trgm.similarity_threshold = 0.5, one query after the other.

       /usr/bin/python3 bench/screen_refs.py DIR duckdb NODE_MODULES [SAMPLE=200]
DuckDB (npm @duckdb/node-api installed under NODE_MODULES, outside the
project), 2 threads: jaro_winkler_similarity(q, name) >= 0.9 over SAMPLE
queries x all names as one cross join (lower-cased both sides).
"""
import multiprocessing
import sys
import time

import Levenshtein

THRESHOLD = 0.9
_names = []


def _norm(s):
    return " ".join(s.lower().split())


def _init(names):
    global _names
    _names = names


def _screen(q):
    jw = Levenshtein.jaro_winkler
    hits = 0
    for n in _names:
        if jw(q, n) >= THRESHOLD:
            hits += 1
    return hits


def pg(d, port, sample):
    import os
    import subprocess
    import tempfile

    def psql(sql):
        t0 = time.perf_counter()
        out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", port,
                              "-U", "icts", "-d", "postgres", "-v", "ON_ERROR_STOP=1"],
                             input=sql, capture_output=True, text=True, check=True).stdout
        return out, time.perf_counter() - t0

    with open(f"{d}/queries.txt", encoding="utf-8") as f:
        queries = [x for x in f.read().split("\n") if x.strip()]
    step = max(1, len(queries) // sample)
    picked = queries[::step][:sample]
    with tempfile.TemporaryDirectory() as tmp:
        qfile = os.path.join(tmp, "q.txt")
        with open(qfile, "w", encoding="utf-8") as f:
            f.write("\n".join(picked) + "\n")
        names = os.path.abspath(f"{d}/names.txt")
        load = ("create extension if not exists pg_trgm;"
                "drop table if exists ch; drop table if exists q;"
                "create table ch(id serial, name text); create table q(id serial, name text);"
                f"\\copy ch(name) from '{names}' with (format csv, delimiter E'\\x01', quote E'\\x02')\n"
                f"\\copy q(name) from '{qfile}' with (format csv, delimiter E'\\x01', quote E'\\x02')\n")
        _, t_load = psql(load)
        _, t_index = psql("create index ch_trgm on ch using gin (name gin_trgm_ops); analyze ch;")
        # Warm-up pass, then the timed pass.
        run = ("set pg_trgm.similarity_threshold = 0.5;"
               "select count(*) from q cross join lateral (select name from ch where ch.name % q.name"
               " order by similarity(ch.name, q.name) desc limit 10) x;")
        psql(run)
        out, t_run = psql(run)
        _, t_empty = psql("select 1;")
    n = len(picked)
    per_q = (t_run - t_empty) / n
    print(f"PostgreSQL pg_trgm GIN (similarity > 0.5, top 10): load {t_load:.2f} s, index {t_index:.2f} s")
    print(f"  {n} queries in {t_run - t_empty:.2f} s: {per_q * 1e3:.2f} ms per query"
          f" ({1 / per_q:.1f} names/s, one backend); hits returned {out.strip()}")
    print(f"RESULT pg_ms_per_query={per_q * 1e3:.3f}")


DUCK_JS = r"""
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
  const [names, qs] = process.argv.slice(2);
  const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await inst.connect();
  const rd = (f) => `read_csv('${f}', header=false, delim='\x01', quote='', columns={'name':'VARCHAR'})`;
  await c.run(`create table ch as select lower(name) as name from ${rd(names)}`);
  await c.run(`create table q as select lower(name) as name from ${rd(qs)}`);
  const t0 = process.hrtime.bigint();
  const r = await c.runAndReadAll(`select count(*)::bigint from q, ch where jaro_winkler_similarity(q.name, ch.name) >= 0.9`);
  const t = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ seconds: t, hits: String(r.getRows()[0][0]) }));
})();
"""


def duck(d, node_modules, sample):
    import json
    import os
    import subprocess
    import tempfile

    with open(f"{d}/queries.txt", encoding="utf-8") as f:
        queries = [x for x in f.read().split("\n") if x.strip()]
    with open(f"{d}/names.txt", encoding="utf-8") as f:
        n_names = sum(1 for x in f.read().split("\n") if x.strip())
    step = max(1, len(queries) // sample)
    picked = queries[::step][:sample]
    with tempfile.TemporaryDirectory() as tmp:
        qfile = os.path.join(tmp, "q.txt")
        with open(qfile, "w", encoding="utf-8") as f:
            f.write("\n".join(picked) + "\n")
        js = os.path.join(tmp, "duck.js")
        with open(js, "w") as f:
            f.write(DUCK_JS)
        env = dict(os.environ, NODE_PATH=node_modules)
        out = subprocess.run(["node", js, os.path.abspath(f"{d}/names.txt"), qfile],
                             capture_output=True, text=True, check=True, env=env).stdout
    r = json.loads(out.strip().splitlines()[-1])
    rate = len(picked) / r["seconds"]
    print(f"DuckDB jaro_winkler_similarity >= 0.9, cross join, 2 threads: {len(picked)} queries x"
          f" {n_names} names in {r['seconds']:.2f} s: {rate:.1f} names/s"
          f" ({len(picked) * n_names / r['seconds'] / 1e6:.2f} M comparisons/s); pairs {r['hits']}")
    print(f"RESULT duckdb_names_per_s={rate:.2f}")


def main():
    d = sys.argv[1]
    if len(sys.argv) > 2 and sys.argv[2] == "pg":
        pg(d, sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 200)
        return
    if len(sys.argv) > 2 and sys.argv[2] == "duckdb":
        duck(d, sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 200)
        return
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    procs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    with open(f"{d}/names.txt", encoding="utf-8") as f:
        names = [_norm(x) for x in f.read().split("\n") if x.strip()]
    with open(f"{d}/queries.txt", encoding="utf-8") as f:
        queries = [x for x in f.read().split("\n") if x.strip()]
    # Every k-th query, so perturbed and unrelated names are both sampled.
    step = max(1, len(queries) // sample)
    picked = queries[::step][:sample]
    t0 = time.perf_counter()
    normed = [_norm(q) for q in picked]
    with multiprocessing.Pool(procs, initializer=_init, initargs=(names,)) as pool:
        t1 = time.perf_counter()
        hits = pool.map(_screen, normed, chunksize=4)
    t2 = time.perf_counter()
    rate = len(picked) / (t2 - t0)
    pairs = len(picked) * len(names) / (t2 - t1)
    print(f"python-Levenshtein {Levenshtein.__version__ if hasattr(Levenshtein, '__version__') else ''}"
          f" brute-force jaro_winkler >= {THRESHOLD}, {procs} processes")
    print(f"  list names: {len(names)}; queries timed: {len(picked)} of {len(queries)}"
          f" (every {step}th); wall {t2 - t0:.2f} s")
    print(f"  throughput: {rate:.1f} names/s ({pairs / 1e6:.2f} M comparisons/s);"
          f" whole query file extrapolated: {len(queries) / rate:.0f} s")
    print(f"  queries with a hit: {sum(1 for h in hits if h)} of {len(picked)}")
    print(f"RESULT jw_names_per_s={rate:.2f}")


if __name__ == "__main__":
    main()
