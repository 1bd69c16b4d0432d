"""Runs the legacy program linked both ways and prints the side-by-side table;
with --same, checks that several builds of it give the same results."""
import subprocess
import sys


def run(binary: str, sample: str) -> dict:
    out = subprocess.run([binary, sample], check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        name, result, mbps = line.split()
        rows[name] = (result, float(mbps))
    return rows


def check_same(sample: str, binaries: list) -> int:
    """--same SAMPLE BIN...: every build's results equal the first's."""
    first = run(binaries[0], sample)
    failures = 0
    for binary in binaries[1:]:
        rows = run(binary, sample)
        differ = [n for n in first if n != "zlibVersion" and rows[n][0] != first[n][0]]
        failures += bool(differ)
        print(f"{binary}: {'same results as ' + binaries[0] if not differ else 'DIFFERENT: ' + ', '.join(differ)}")
    return 1 if failures else 0


def main() -> int:
    if sys.argv[1] == "--same":
        return check_same(sys.argv[2], sys.argv[3:])
    original_bin, rzlib_bin, sample = sys.argv[1:4]
    original, rz = run(original_bin, sample), run(rzlib_bin, sample)
    print(f"legacy program on generated data (demo/sample.py; the demo reads no corpus): "
          f"original zlib {original['zlibVersion'][0]} vs rzlib")
    print(f"{'operation':<16} {'identical':<10} {'zlib MB/s':>10} {'rzlib MB/s':>11} {'ratio':>7}")
    all_same = True
    for name, (result, mbps) in original.items():
        if name == "zlibVersion":
            continue
        rz_result, rz_mbps = rz[name]
        same = result == rz_result
        all_same &= same
        print(f"{name:<16} {'yes' if same else 'NO':<10} {mbps:>10.1f} {rz_mbps:>11.1f} {rz_mbps / mbps:>6.2f}x")
    print("identical output:", "yes" if all_same else "NO")
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
