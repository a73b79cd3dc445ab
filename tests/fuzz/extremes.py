#!/usr/bin/env python3
"""Writes structured inputs with extreme values, which random byte mutations rarely reach
(docs/fuzzing.md): small schedule instances and PHAZE placement inputs whose numbers are drawn
from 0, subnormals, 1e-30, 1e30, 1e300, 1.7e308 and ordinary values, and large operator graphs
whose errors are expensive to report. Run them through a fuzzer or a replay driver:

    python3 tests/fuzz/extremes.py /tmp/extremes
    build-fuzz/tests/fuzz/fuzz_scheduleinstance -runs=0 /tmp/extremes/scheduleinstance
    build/tests/fuzz/fuzzreplay_operatorgraph /tmp/extremes/operatorgraph   # prints the slowest
"""
import json
import pathlib
import random
import sys


def schedule_instances(d, count=3600):
    rng = random.Random(11)
    values = [0, 5e-320, 1e-30, 1.5e-30, 1e-15, 1e-10, 2.5e-10, 1e-9, 0.5, 1, 3, 7,
              1e15, 5e29, 9.9e29, 1e30, 1e308, 1.7e308]
    for k in range(count):
        n = rng.randint(2, 6)
        ops = []
        for i in range(n):
            kind = rng.choice(["TC", "VC", "TCVC", "collective"])
            op = {"id": i, "kind": kind, "latency": rng.choice(values) * rng.choice([1, 1, 1.37])}
            if kind != "collective" or rng.random() < 0.5:
                op["intra_latency"] = rng.choice(values) * rng.choice([1, 1, 0.71])
            ops.append(op)
        edges = [[a, b] for a in range(n) for b in range(a + 1, n) if rng.random() < 0.3]
        instance = {"num_tc": rng.choice([1, 2, 3]), "num_vc": rng.choice([1, 2]), "ops": ops,
                    "edges": edges}
        (d / f"s{k:04d}.json").write_text(json.dumps(instance))


def placement_inputs(d, count=2000):
    rng = random.Random(5)
    values = [0, 5e-324, 1e-300, 1e-30, 1, 3.5, 1e6, 1e30, 1e300, 1.7e308]
    for k in range(count):
        n = rng.randint(1, 6)
        widths = rng.sample([1, 2, 4, 8], rng.randint(1, 2))
        ids = list(range(-1, n - 1))
        pairs = [(ids[a], ids[b]) for a in range(n) for b in range(a + 1, n)
                 if b == a + 1 or rng.random() < 0.2]
        nodes, edges = {}, {}
        for w in widths:
            nodes[str(w)] = [{"id": i, "parameterSize": rng.choice(values),
                              "activationSize": rng.choice(values),
                              "optimalLatencyFw": rng.choice(values),
                              "optimalLatencyBw": rng.choice(values),
                              "isTensorParallelized": w > 1 and rng.random() < 0.5} for i in ids]
            edges[str(w)] = [{"sourceId": a, "destId": b, "communicationCost": rng.choice(values)}
                             for a, b in pairs]
        doc = {"maxMemoryPerDevice": rng.choice([1e-300, 1, 1e9, 1.7e10, 1e300, 1.7e308]),
               "maxDevices": rng.choice([1, 2, 3, 8, 64]),
               "bandwidth": rng.choice([5e-324, 1e-300, 1, 1e6, 1e300, 1.7e308]),
               "mbsInBatch": rng.choice([1, 2, 7, 256, 2147483647]),
               "activationRecomputation": rng.random() < 0.5,
               "optimizerAlgorithm": rng.choice(["SGD", "Adam"]), "nodes": nodes, "edges": edges}
        if rng.random() < 0.5:
            doc.update(fixedPP=rng.choice([1, 2, 3, 64, 2147483647]), fixedTMPC=rng.choice(widths),
                       fixedDP=rng.choice([1, 2, 2147483647]),
                       numTransformerLayers=rng.choice([0, 1, 3, 2147483647]))
        (d / f"p{k:04d}.json").write_text(json.dumps(doc))


def large_graphs(d):
    head = {"format": "phaze-operator-graph", "version": 1}
    layers = [{"id": "layer%04d" % i} for i in range(1000)]
    # 100,000 operators naming unknown layers: a did-you-mean for each would take minutes.
    ops = [{"id": "o%d" % i, "layer": "layer%04dx" % (i % 1000), "kind": "gelu", "elements": 4}
           for i in range(100000)]
    (d / "unknown-layers.json").write_text(json.dumps(dict(head, layers=layers, operators=ops)))
    # One line, errors near the end: columns must not be counted from the line's start.
    ops = [{"id": "o%d" % i, "layer": "layer%04d" % (i % 1000), "kind": "gelu",
            "elements": 4 if i < 99000 else -1} for i in range(100000)]
    (d / "late-errors.json").write_text(json.dumps(dict(head, layers=layers, operators=ops)))
    # One object with 200,000 unknown fields: each must not rescan the object.
    op = {"id": "a", "layer": "L", "kind": "gelu", "elements": 4}
    op.update({"k%d" % i: i for i in range(200000)})
    (d / "many-keys.json").write_text(json.dumps(dict(head, layers=[{"id": "L"}], operators=[op])))


if __name__ == "__main__":
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "extremes")
    for name, make in [("scheduleinstance", schedule_instances), ("phazejson", placement_inputs),
                       ("operatorgraph", large_graphs)]:
        (out / name).mkdir(parents=True, exist_ok=True)
        make(out / name)
    print(f"wrote {out}/scheduleinstance, {out}/phazejson, {out}/operatorgraph")
