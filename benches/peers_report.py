"""Turns the last run of the peers bench (target/criterion/peers_* and
target/criterion/peers_sizes.json) into a Markdown table, printed, and a
chart of compression speed against compressed size, benches/peers.svg.

Usage: python3 benches/peers_report.py [target/criterion]"""
import json
import math
import pathlib
import sys
from xml.sax.saxutils import escape

HERE = pathlib.Path(__file__).resolve().parent
ORDER = ["zlib", "rzlib", "rzlib-fast", "zlib-ng", "zlib-rs", "libdeflate"]
GROUPS = ["peers_deflate_1", "peers_deflate_6", "peers_deflate_9",
          "peers_inflate", "peers_inflate_stream", "peers_crc32", "peers_adler32"]
# One color and marker shape per implementation, so that coinciding points
# stay distinguishable.
STYLE = {
    "zlib": ("#555555", "circle"),
    "rzlib": ("#d62728", "square"),
    "rzlib-fast": ("#9467bd", "square"),
    "zlib-ng": ("#1f77b4", "triangle"),
    "zlib-rs": ("#ff7f0e", "diamond"),
    "libdeflate": ("#2ca02c", "down"),
}


def load(root):
    """Rows of {group, impl, input, bytes, ns} from the criterion results."""
    rows = []
    for meta in root.glob("peers_*/*/*/new/benchmark.json"):
        bench = json.loads(meta.read_text())
        est = json.loads((meta.parent / "estimates.json").read_text())
        rows.append({
            "group": bench["group_id"],
            "impl": bench["function_id"],
            "input": bench["value_str"],
            "bytes": bench["throughput"]["Bytes"],
            "ns": est["mean"]["point_estimate"],
        })
    # Groups and implementations in a fixed order, inputs by size.
    rank = lambda name, order: (order.index(name) if name in order else len(order), name)
    rows.sort(key=lambda r: (rank(r["group"], GROUPS), r["bytes"], rank(r["impl"], ORDER)))
    return rows


def level_of(group):
    """The deflate level of a peers_deflate_N group, or None."""
    prefix = "peers_deflate_"
    return group[len(prefix):] if group.startswith(prefix) else None


def size_of(sizes, impl, input_name, level):
    """Compressed bytes of `impl` on `input_name` at `level`, or None."""
    if not level:
        return None
    return sizes.get(impl, {}).get(input_name, {}).get(level)


def is_mix(input_name):
    return input_name.endswith("-mix")


def sig3(v):
    """v with three significant digits, trailing zeros kept (4.90, 12.0, 190)."""
    return f"{v:.{max(0, 2 - math.floor(math.log10(abs(v))))}f}" if v else "0"


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{sig3(ns / scale)} {unit}"
    return f"{sig3(ns)} ns"


def table(rows, sizes):
    out = ["| group | input | implementation | time | MB/s | speed vs zlib "
           "| compressed bytes | size vs zlib |",
           "|---|---|---|---:|---:|---:|---:|---:|"]
    base = {(r["group"], r["input"]): r for r in rows if r["impl"] == "zlib"}
    for r in rows:
        zlib = base.get((r["group"], r["input"]))
        speed = f"{zlib['ns'] / r['ns']:.2f}x" if zlib else ""
        size = ratio = ""
        level = level_of(r["group"])
        n = size_of(sizes, r["impl"], r["input"], level)
        if n:
            size = str(n)
            z = size_of(sizes, "zlib", r["input"], level)
            if z:
                ratio = f"{n / z:.3f}"
        mbs = r["bytes"] / r["ns"] * 1e3
        out.append(f"| {r['group']} | {r['input']} | {r['impl']} | {fmt_time(r['ns'])} "
                   f"| {sig3(mbs)} | {speed} | {size} | {ratio} |")
    return "\n".join(out)


def summary(rows, sizes):
    """Deflate only: one row per level and input, each implementation's
    speed and size relative to zlib's (speed x / size)."""
    impls = [i for i in ORDER if any(r["impl"] == i for r in rows)]
    out = ["| level | input | " + " | ".join(impls) + " |",
           "|---|---|" + "---:|" * len(impls)]
    cells = {}
    for r in rows:
        level = level_of(r["group"])
        if level:
            cells.setdefault((level, r["input"]), {})[r["impl"]] = r
    for (level, input_name), by_impl in cells.items():
        zlib = by_impl.get("zlib")
        z = size_of(sizes, "zlib", input_name, level)
        line = f"| {level} | {input_name} |"
        for impl in impls:
            r = by_impl.get(impl)
            n = size_of(sizes, impl, input_name, level)
            if r and zlib:
                speed = f"{zlib['ns'] / r['ns']:.2f}x"
                size = f" / {n / z:.3f}" if n and z else ""
                line += f" {speed}{size} |"
            else:
                line += " |"
        out.append(line)
    return "\n".join(out)


def marker(shape, x, y, color, r=6):
    """One SVG marker centred on (x, y)."""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{color}"/>'
    points = {
        "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
        "triangle": [(0, -r * 1.2), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)],
        "down": [(0, r * 1.2), (r * 1.1, -r * 0.8), (-r * 1.1, -r * 0.8)],
        "diamond": [(0, -r * 1.3), (r * 1.1, 0), (0, r * 1.3), (-r * 1.1, 0)],
    }[shape]
    pts = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in points)
    return f'<polygon points="{pts}" fill="{color}"/>'


def nice_ticks(lo, hi, count=6):
    """Round ticks covering lo..hi, about `count` of them."""
    raw = (hi - lo) / count
    step = min((m * 10 ** math.floor(math.log10(raw)) for m in (1, 2, 5, 10)),
               key=lambda s: abs(s - raw))
    first = math.floor(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step) + 2)
            if first + i * step <= hi + step * 0.999]


def log_ticks(lo, hi):
    """1, 2, 5 times powers of ten from below lo to above hi."""
    ticks, k = [], math.floor(math.log10(lo))
    while not ticks or ticks[-1] < hi:
        ticks += [m * 10 ** k for m in (1, 2, 5)]
        k += 1
    start = max(i for i, t in enumerate(ticks) if t <= lo)
    end = min(i for i, t in enumerate(ticks) if t >= hi)
    return ticks[start:end + 1]


def chart(rows, sizes):
    """Each implementation's levels as markers: x = compression throughput
    (MB/s, log scale), y = compressed size as a percentage of the input."""
    points = {}  # implementation -> [(level, MB/s, % of input)]
    input_name, input_bytes = "", 0
    for r in rows:
        level = level_of(r["group"])
        n = size_of(sizes, r["impl"], r["input"], level)
        if n and is_mix(r["input"]):
            input_name, input_bytes = r["input"], r["bytes"]
            pct = 100 * n / r["bytes"]
            points.setdefault(r["impl"], []).append((level, r["bytes"] / r["ns"] * 1e3, pct))
    if not points:
        return None

    width, height = 800, 500
    left, right, top, bottom = 75, 150, 60, 60
    xs = [p[1] for ps in points.values() for p in ps]
    ys = [p[2] for ps in points.values() for p in ps]
    xt = log_ticks(min(xs), max(xs))
    yt = nice_ticks(min(ys) - 0.5, max(ys) + 0.5)
    x0, x1, y0, y1 = math.log10(xt[0]), math.log10(xt[-1]), yt[0], yt[-1]

    def px(v):
        return left + (math.log10(v) - x0) / (x1 - x0) * (width - left - right)

    def py(v):
        return top + (y1 - v) / (y1 - y0) * (height - top - bottom)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="24" font-size="15" font-weight="bold">'
           f'Deflate levels 1, 6, 9: speed against compressed size</text>',
           f'<text x="{left}" y="42" fill="#555">{escape(input_name)}, '
           f'{input_bytes / 1e6:.2f} MB, zlib format; faster is right, smaller is lower</text>']
    for t in xt:  # vertical grid and x labels
        x = px(t)
        svg.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#e5e5e5"/>')
        svg.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">{t:g}</text>')
    for t in yt:  # horizontal grid and y labels
        y = py(t)
        svg.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        svg.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{t:g}</text>')
    svg.append(f'<rect x="{left}" y="{top}" width="{width - left - right}" '
               f'height="{height - top - bottom}" fill="none" stroke="#888"/>')
    svg.append(f'<text x="{(left + width - right) / 2}" y="{height - 18}" text-anchor="middle">'
               f'compression throughput (MB/s, log scale)</text>')
    svg.append(f'<text transform="translate(20 {(top + height - bottom) / 2}) rotate(-90)" '
               f'text-anchor="middle">compressed size (% of input)</text>')

    impls = sorted(points, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))
    for i, name in enumerate(impls):
        color, shape = STYLE.get(name, ("#9467bd", "circle"))
        ps = points[name]
        line = " ".join(f"{px(x):.1f},{py(y):.1f}" for _, x, y in ps)
        svg.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-opacity="0.5"/>')
        # Alternate the labels above and below, as some peers' points coincide.
        dy = -10 if i % 2 == 0 else 19
        for level, x, y in ps:
            svg.append(marker(shape, px(x), py(y), color))
            svg.append(f'<text x="{px(x):.1f}" y="{py(y) + dy:.1f}" text-anchor="middle" '
                       f'fill="{color}">{level}</text>')
        ly = top + 12 + 22 * i  # legend entry
        svg.append(marker(shape, width - right + 22, ly, color))
        svg.append(f'<text x="{width - right + 36}" y="{ly + 4}">{escape(name)}</text>')
    svg.append(f'<text x="{width - right + 14}" y="{top + 12 + 22 * len(impls) + 8}" fill="#555">'
               f'numbers: level</text>')
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def main():
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "target" / "criterion"
    rows = load(root)
    if not rows:
        sys.exit(f"no peers results under {root}: run "
                 "cargo bench --features peers --bench peers first")
    sizes_file = root / "peers_sizes.json"
    sizes = json.loads(sizes_file.read_text()) if sizes_file.exists() else {}
    print(table(rows, sizes))
    print("\nDeflate, speed / size relative to zlib:\n")
    print(summary(rows, sizes))
    svg = chart(rows, sizes)
    if svg:
        out = HERE / "peers.svg"
        out.write_text(svg)
        print(f"\nchart written to {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
