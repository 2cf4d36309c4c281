#!/usr/bin/env python3
"""Reference computations for bench/graph_bench.cc on the same binary edge file.

Usage: graph_refs.py GRAPH.bin SHARES.bin [--no-networkx]

Computes the effective adversary share of every node,
    x[v] = sum over owners u of w(u, v) * (seed[u] ? 1 : x[u]),
with scipy.sparse (Jacobi: x <- b + A x until max |change| < 1e-12) and with
networkx (condensation in topological order, Gauss-Seidel inside each
strongly connected component), times build and compute, and reports the
largest difference from the C++ shares in SHARES.bin (written by
`graph_bench run GRAPH.bin SHARES.bin`). Run with Debian's /usr/bin/python3
(python3-numpy, python3-scipy, python3-networkx).
"""
import resource
import sys
import time

import numpy as np


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:8] == b"ICTSGRF1", "not a graph_bench file"
    n, m = np.frombuffer(raw, dtype="<u4", count=2, offset=8)
    rec = np.dtype([("owner", "<u4"), ("owned", "<u4"), ("share", "<f8")])
    edges = np.frombuffer(raw, dtype=rec, count=int(m), offset=16)
    seeds = np.frombuffer(raw, dtype=np.uint8, count=int(n), offset=16 + int(m) * 16)
    return int(n), edges, seeds.astype(bool)


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def scipy_ref(n, edges, seeds):
    import scipy.sparse as sp
    t0 = time.perf_counter()
    owner = edges["owner"].astype(np.int64)
    owned = edges["owned"].astype(np.int64)
    w = edges["share"].copy()
    from_seed = seeds[owner]
    b = np.bincount(owned[from_seed], weights=w[from_seed], minlength=n)
    keep = ~from_seed
    a = sp.csr_matrix((w[keep], (owned[keep], owner[keep])), shape=(n, n))
    t1 = time.perf_counter()
    x = np.zeros(n)
    it = 0
    while True:
        it += 1
        nx_ = b + a @ x
        delta = np.max(np.abs(nx_ - x))
        x = nx_
        if delta < 1e-12 or it > 100000:
            break
    t2 = time.perf_counter()
    return x, t1 - t0, t2 - t1, it


def networkx_ref(n, edges, seeds):
    import networkx as nx
    t0 = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for u, v, w in zip(edges["owner"].tolist(), edges["owned"].tolist(), edges["share"].tolist()):
        if g.has_edge(u, v):
            g[u][v]["w"] += w
        else:
            g.add_edge(u, v, w=w)
    t1 = time.perf_counter()
    seed = seeds.tolist()
    x = [0.0] * n
    c = nx.condensation(g)
    members = nx.get_node_attributes(c, "members")
    pred = g.pred
    for comp in nx.topological_sort(c):
        nodes = members[comp]
        while True:
            delta = 0.0
            for v in nodes:
                s = 0.0
                for u, d in pred[v].items():
                    s += d["w"] * (1.0 if seed[u] else x[u])
                delta = max(delta, abs(s - x[v]))
                x[v] = s
            if len(nodes) == 1 or delta < 1e-12:
                break
    t2 = time.perf_counter()
    return np.array(x), t1 - t0, t2 - t1


def main():
    n, edges, seeds = load(sys.argv[1])
    cpp = np.fromfile(sys.argv[2], dtype="<f8", count=n)
    print(f"graph: {n} nodes, {len(edges)} edges, {int(seeds.sum())} seeds")
    x, build, compute, it = scipy_ref(n, edges, seeds)
    print(f"scipy {__import__('scipy').__version__} CSR Jacobi: build {build:.3f} s, compute "
          f"{compute:.3f} s ({it} iterations), max |scipy - C++| = {np.max(np.abs(x - cpp)):.3g}, "
          f"max RSS {rss_mb()} MB")
    if "--no-networkx" not in sys.argv:
        y, build, compute = networkx_ref(n, edges, seeds)
        print(f"networkx {__import__('networkx').__version__} condensation + topological pass: "
              f"build {build:.3f} s, compute {compute:.3f} s, max |networkx - C++| = "
              f"{np.max(np.abs(y - cpp)):.3g}, max RSS {rss_mb()} MB")


if __name__ == "__main__":
    main()
