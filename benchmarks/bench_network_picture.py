"""How long the network screen takes to draw a co-occurrence network in the terminal.

    python benchmarks/bench_network_picture.py                   # up to 300 codes, 3,000 links
    python benchmarks/bench_network_picture.py --codes 40 --links 120 --repeat 2   # smoke run

A random network (fixed seed) is laid out once as the PNG export lays it out, then drawn
at three terminal sizes (80x22, 160x44, 200x56: the picture's area in 80x24, 160x48 and
200x60 terminals). The widget draws again only when its size changes, so this is the
cost of opening the screen or resizing the terminal. Target: under 100 ms at 160x44 for
a study's usual 40 codes and a few hundred links; a 300-code network under half a second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.export.graph import shared_layout
from qualcode.tui.network_cells import draw_network

SIZES = [(80, 22), (160, 44), (200, 56)]


def network(codes: int, links: int, seed: int = 7) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(codes, links, seed=seed)
    graph = nx.relabel_nodes(graph, {n: f"Code {n:03d}" for n in graph})
    for node in graph:
        graph.nodes[node].update(label=node, frequency=rng.randint(1, 60), category_colour="#0072B2")
    for a, b in graph.edges:
        graph[a][b]["weight"] = float(rng.randint(1, 20))
    return graph


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=300)
    parser.add_argument("--links", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    results: dict[str, list[float]] = {}
    cases = [(40, min(300, args.links))] if args.codes > 40 else []
    for codes, links in [*cases, (args.codes, args.links)]:
        graph = network(codes, links)
        t = time.perf_counter()
        pos = shared_layout([graph])
        print(f"{codes} codes, {graph.number_of_edges()} links: layout {1000 * (time.perf_counter() - t):.0f} ms "
              "(in the counting worker, with the PNG's layout)")
        for width, height in SIZES:
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                draw_network(graph, pos, width, height)
                times.append(1000 * (time.perf_counter() - t))
            label = f"draw {codes} codes at {width}x{height}"
            results[label] = times
            print(f"  {label:34} median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms")
    return results


if __name__ == "__main__":
    main()
