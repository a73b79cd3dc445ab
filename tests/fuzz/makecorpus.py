#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (docs/fuzzing.md) into tests/fuzz/corpus/.

Seeds are the project's own example and test files plus hand-made edge cases (empty input,
deep nesting, huge numbers, NaN, duplicated keys, cycles). Regression inputs (crash-*, named
after what they reproduced) are kept as they are; everything else is rewritten. Run it again
after adding example files; it needs nothing beyond Python 3.
"""
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"
MAX_SEED_BYTES = 40_000  # bigger files slow every mutation down; the small ones cover the same code


def reset(target):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    for f in d.iterdir():
        if not f.name.startswith("crash-"):
            f.unlink()
    return d


def copy_files(d, files):
    for f in files:
        if f.stat().st_size <= MAX_SEED_BYTES:
            shutil.copyfile(f, d / ("seed-" + f.parent.name + "-" + f.name))


def write(d, name, text):
    (d / name).write_bytes(text.encode() if isinstance(text, str) else text)


def project_yaml():
    d = reset("projectyaml")
    copy_files(d, sorted(ROOT.glob("examples/*.yaml")) + sorted(ROOT.glob("tests/data/projects/*.yaml")))
    write(d, "edge-empty.yaml", "")
    write(d, "edge-null.yaml", "~\n")
    write(d, "edge-list.yaml", "- a\n- b\n")
    write(d, "edge-deep-flow.yaml", "models: " + "[" * 3000 + "]" * 3000 + "\n")
    write(d, "edge-deep-block.yaml", "".join(" " * i + "a:\n" for i in range(300)))
    write(d, "edge-huge-numbers.yaml",
          "models: [gpt2-xl]\ntraining:\n  accelerators: 1e308\n  global_batch: 99999999999999999999999\n"
          "  microbatch_sizes: [1e400]\n  hbm_sizes: [1e308 B, 1e308 TiB]\n"
          "  link_bandwidth: 1e308 TB/s\nsearch:\n  max_downsets: 9223372036854775807\n")
    write(d, "edge-nan-inf.yaml",
          "models: [gpt2-xl]\narchitecture:\n  preset: tpuv4\n  frequency: .nan\n  hbm_bandwidth: .inf\n"
          "  glb_size: -.inf MiB\ntraining:\n  link_bandwidth: nan GB/s\n")
    write(d, "edge-negative-zero.yaml",
          "models: [gpt2-xl]\narchitecture: {preset: tpuv4, num_tc: 0, tc_width: -4, glb_size: -0 MiB}\n")
    write(d, "edge-duplicate-keys.yaml", "models: [gpt2-xl]\nmodels: [bert-large]\nname: a\nname: b\n")
    write(d, "edge-space-huge.yaml",
          "models: [gpt2-xl]\narchitecture_space:\n  num_tc: {min: 1e-300, max: 1e300}\n"
          "  glb_size: {min: 1 B, max: 1e308 B}\n  tc_width: [1, 2, 1e308]\n")
    write(d, "edge-aliases.yaml",
          "a: &x [gpt2-xl, bert-large]\nmodels: *x\ntraining: &t {accelerators: 8}\nsearch: *t\n")
    write(d, "edge-bad-alias.yaml", "models: *nothing\n")
    write(d, "edge-tags.yaml", "models: !!binary aGVsbG8=\nname: !custom {a: 1}\n")
    write(d, "edge-file-model.yaml", "models:\n  - {file: graph.json}\n  - {file: /etc/hostname}\n")
    write(d, "edge-many-models.yaml", "models: [" + ", ".join(["gpt2-xl"] * 50) + "]\n")
    write(d, "edge-binary.yaml", bytes(range(256)))


def operator_graph():
    d = reset("operatorgraph")
    copy_files(d, sorted(ROOT.glob("examples/graphs/*.json")) + sorted(ROOT.glob("tests/data/graphs/*.json")))
    head = '{"format": "phaze-operator-graph", "version": 1, '
    ops1 = '"layers": [{"id": "L"}], "operators": [{"id": "a", "layer": "L", "kind": "gelu", "elements": %s}]}'
    write(d, "edge-empty.json", "")
    write(d, "edge-empty-object.json", "{}")
    write(d, "edge-array.json", "[]")
    write(d, "edge-deep.json", head + '"x_deep": ' + "[" * 5000 + "]" * 5000 + ", " + ops1 % "8")
    write(d, "edge-deep-unclosed.json", head + '"x_deep": ' + "[{\"a\":" * 5000)
    write(d, "edge-huge-elements.json", head + ops1 % "1e308")
    write(d, "edge-out-of-range.json", head + ops1 % "1e400")
    write(d, "edge-int-max.json", head + ops1 % "18446744073709551615")
    write(d, "edge-fraction.json", head + ops1 % "0.5")
    write(d, "edge-nan.json", head + ops1 % "NaN")
    write(d, "edge-gemm-overflow.json", head +
          '"layers": [{"id": "L"}], "operators": [{"id": "a", "layer": "L", "kind": "linear", '
          '"m": 4294967296, "k": 4294967296, "n": 4294967296, "batch": 4294967296}]}')
    write(d, "edge-sum-overflow.json", head +
          '"layers": [{"id": "L"}], "operators": [' + ", ".join(
              '{"id": "a%d", "layer": "L", "kind": "gelu", "elements": 9007199254740992, '
              '"weight_bytes": 999999999999999999}' % i for i in range(8)) + "]}")
    write(d, "edge-duplicate-keys.json", head +
          '"layers": [{"id": "L", "id": "M"}], "layers": [{"id": "L"}], '
          '"operators": [{"id": "a", "layer": "L", "kind": "gelu", "elements": 4, "elements": 5}]}')
    write(d, "edge-duplicate-ids.json", head +
          '"layers": [{"id": "L"}, {"id": "L"}], "operators": [{"id": "a", "layer": "L", "kind": "gelu", '
          '"elements": 4}, {"id": "a", "layer": "L", "kind": "relu", "elements": 4}]}')
    write(d, "edge-op-cycle.json", head +
          '"layers": [{"id": "L"}], "operators": [' + ", ".join(
              '{"id": "o%d", "layer": "L", "kind": "gelu", "elements": 4}' % i for i in range(4)) +
          '], "edges": [["o0", "o1"], ["o1", "o2"], ["o2", "o3"], ["o3", "o0"], ["o2", "o2"]]}')
    write(d, "edge-layer-cycle.json", head +
          '"layers": [{"id": "A"}, {"id": "B"}], "operators": ['
          '{"id": "a1", "layer": "A", "kind": "gelu", "elements": 4}, '
          '{"id": "a2", "layer": "A", "kind": "gelu", "elements": 4}, '
          '{"id": "b1", "layer": "B", "kind": "gelu", "elements": 4}], '
          '"edges": [["a1", "b1"], {"from": "b1", "to": "a2", "bytes": 7}]}')
    write(d, "edge-collectives.json", head + '"tensor_parallel": 65536, "bytes_per_element": 64, '
          '"layers": [{"id": "L", "tensor_parallel": true, "parameters": 10, "replicated_parameters": 11}], '
          '"operators": [{"id": "r", "layer": "L", "kind": "all_reduce", "elements": 4, "group": 1048577}, '
          '{"id": "t", "layer": "L", "kind": "tp_identity", "group": 0}, '
          '{"id": "e", "layer": "L", "kind": "embedding_grad", "elements": 1}]}')
    chain = head + '"layers": [' + ", ".join('{"id": "L%d"}' % i for i in range(200)) + '], "operators": [' + \
        ", ".join('{"id": "o%d", "layer": "L%d", "kind": "add", "elements": 16}' % (i, i) for i in range(200)) + \
        '], "edges": [' + ", ".join('["o%d", "o%d"]' % (i, i + 1) for i in range(199)) + "]}"
    write(d, "edge-long-chain.json", chain)
    write(d, "edge-comments.json", "// c\n/* block */" + head + "/* unterminated")
    write(d, "edge-binary.json", bytes(range(256)))


def phaze_json():
    d = reset("phazejson")
    copy_files(d, sorted(ROOT.glob("tests/data/phaze-dp/*.input.json")) + sorted(ROOT.glob("tests/data/placement/*.json")))
    base = {"maxMemoryPerDevice": 17179869184, "maxDevices": 8, "bandwidth": 1e6, "mbsInBatch": 4,
            "activationRecomputation": False, "optimizerAlgorithm": "Adam",
            "nodes": {"1": [{"id": 0, "parameterSize": 1e6, "activationSize": 1e6, "optimalLatencyFw": 1,
                             "optimalLatencyBw": 2, "isTensorParallelized": False},
                            {"id": 1, "parameterSize": 1e6, "activationSize": 1e6, "optimalLatencyFw": 1,
                             "optimalLatencyBw": 2, "isTensorParallelized": False}]},
            "edges": {"1": [{"sourceId": 0, "destId": 1, "communicationCost": 10}]}}

    def variant(name, **changes):
        v = json.loads(json.dumps(base))
        v.update(changes)
        write(d, name, json.dumps(v))

    write(d, "edge-empty.json", "")
    write(d, "edge-array.json", "[]")
    write(d, "edge-deep.json", '{"nodes": ' + "[" * 5000 + "]" * 5000 + "}")
    variant("edge-tiny.json")
    variant("edge-huge-numbers.json", maxMemoryPerDevice=1e308, bandwidth=1e308, maxDevices=2147483647,
            mbsInBatch=2147483647)
    variant("edge-int-overflow.json", maxDevices=9223372036854775807, mbsInBatch=18446744073709551615)
    variant("edge-tiny-memory.json", maxMemoryPerDevice=5e-324, bandwidth=5e-324)
    variant("edge-fixed.json", fixedPP=2147483647, fixedTMPC=2147483647, fixedDP=2147483647,
            numTransformerLayers=2147483647)
    variant("edge-cycle.json", edges={"1": [{"sourceId": 0, "destId": 1, "communicationCost": 1},
                                            {"sourceId": 1, "destId": 0, "communicationCost": 1}]})
    variant("edge-widths.json", nodes={"0": [], "1000000": [], "01": [], "x": []})
    write(d, "edge-nan.json", json.dumps(base).replace("1000000.0", "NaN", 1))
    write(d, "edge-duplicate-keys.json", json.dumps(base)[:-1] + ', "maxDevices": 0, "maxDevices": 4}')
    write(d, "edge-binary.json", bytes(range(256)))


def schedule_instance():
    d = reset("scheduleinstance")
    copy_files(d, sorted(ROOT.glob("tests/data/schedule/*.json")))
    op = lambda i, kind="TC", lat=1.0, intra=0.5: {"id": i, "kind": kind, "latency": lat, "intra_latency": intra}
    base = {"num_tc": 2, "num_vc": 1, "ops": [op(0), op(1, "VC"), op(2, "TCVC"), {"id": 3, "kind": "collective", "latency": 2}],
            "edges": [[0, 1], [1, 2]]}

    def variant(name, **changes):
        v = json.loads(json.dumps(base))
        v.update(changes)
        write(d, name, json.dumps(v))

    write(d, "edge-empty.json", "")
    write(d, "edge-array.json", "[]")
    write(d, "edge-deep.json", '{"ops": ' + "[" * 5000 + "]" * 5000 + "}")
    variant("edge-small.json")
    variant("edge-no-ops.json", ops=[], edges=[])
    variant("edge-huge-cores.json", num_tc=9e15, num_vc=2147483648)
    variant("edge-huge-latency.json", ops=[op(0, "TC", 1.7e308, 1e308), op(1, "VC", 5e-324, 0), op(2, "TCVC", 1e300, 1e-300)])
    variant("edge-zero-latency.json", ops=[op(0, "TC", 0, 0), op(1, "VC", 0, 0), op(2, "TCVC", 0, 0)])
    variant("edge-cycle.json", edges=[[0, 1], [1, 2], [2, 0]])
    variant("edge-self-loop.json", edges=[[0, 0]])
    variant("edge-duplicate-edges.json", edges=[[0, 1], [0, 1], [0, 1]])
    variant("edge-big-ids.json", ops=[op(9000000000000000), op(0)], edges=[[9000000000000000, 0]])
    write(d, "edge-nan.json", json.dumps(base).replace("0.5", "NaN", 1))
    write(d, "edge-duplicate-keys.json", '{"num_tc": 1, "num_tc": 2, "num_vc": 1, "ops": [{"id": 0, "id": 1, '
          '"kind": "TC", "latency": 1, "intra_latency": 1}]}')
    wide = {"num_tc": 4, "num_vc": 4, "ops": [op(i, ["TC", "VC", "TCVC"][i % 3], 1 + i % 5, 0.3 + i % 7) for i in range(60)],
            "edges": [[i, i + 7] for i in range(53)]}
    write(d, "edge-wide.json", json.dumps(wide))
    write(d, "edge-binary.json", bytes(range(256)))


if __name__ == "__main__":
    project_yaml()
    operator_graph()
    phaze_json()
    schedule_instance()
    total = sum(f.stat().st_size for f in CORPUS.rglob("*") if f.is_file())
    print(f"{sum(1 for f in CORPUS.rglob('*') if f.is_file())} files, {total} bytes in {CORPUS}")
