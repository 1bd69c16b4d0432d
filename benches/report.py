"""Turns the last criterion run (target/criterion) into a Markdown table of
throughput ratios to the original zlib, per group and input.

Usage: python3 benches/report.py [target/criterion]"""
import json
import pathlib
import sys


def mean_ns(bench_dir: pathlib.Path) -> float:
    est = json.loads((bench_dir / "new" / "estimates.json").read_text())
    return est["mean"]["point_estimate"]


def main() -> None:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
    print("| group | input | implementation | time/iter (ms) | speed vs zlib |")
    print("|---|---|---|---:|---:|")
    for group in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "report"):
        impls = {p.name: p for p in group.iterdir() if p.is_dir() and p.name != "report"}
        if "zlib" not in impls:
            continue
        for input_dir in sorted(p for p in impls["zlib"].iterdir() if p.is_dir() and p.name != "report"):
            base = mean_ns(input_dir)
            for name in sorted(impls, key=lambda n: (n != "zlib", n)):
                run = impls[name] / input_dir.name
                if (run / "new" / "estimates.json").exists():
                    t = mean_ns(run)
                    print(f"| {group.name} | {input_dir.name} | {name} | {t / 1e6:.3f} | {base / t:.2f}x |")


if __name__ == "__main__":
    main()
