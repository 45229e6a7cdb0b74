#!/usr/bin/env python3
"""Plots used and available memory over time from `free --json -s INTERVAL` output.

    util/plot-free.py INPUT.jsonl OUTPUT.svg [--interval 0.5] [--mark SECONDS:LABEL ...]
                      [--title TEXT]

Each input line is one `memtools free --json` object (docs/json.md); line i is taken at
i * INTERVAL seconds. Writes a self-contained SVG by hand (no plotting package needed):
two lines, mem.used and mem.available, in GiB, with the total as a dashed line and
optional vertical marks (e.g. when memory-user started and exited).
"""

import argparse
import json
import sys

W, H = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 60
GIB = 1 << 30


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--interval", type=float, default=0.5)
    ap.add_argument("--mark", action="append", default=[])
    ap.add_argument("--title", default="free --json while memory-user --ramp runs")
    a = ap.parse_args()

    rows = []
    with open(a.input) as f:
        for line in f:
            line = line.strip()
            if line:
                rec = json.loads(line)
                if rec.get("schema_version") != 1 or rec.get("tool") != "free":
                    sys.exit(f"{a.input}: not free --json schema 1: {line[:60]}")
                rows.append(rec)
    if len(rows) < 2:
        sys.exit("need at least two samples")

    t = [i * a.interval for i in range(len(rows))]
    used = [r["mem"]["used"] / GIB for r in rows]
    avail = [r["mem"]["available"] / GIB for r in rows]
    total = rows[0]["mem"]["total"] / GIB
    tmax = t[-1]
    ymax = max(total, max(used), max(avail))
    step = 2 if ymax <= 24 else 4 if ymax <= 48 else 16
    ytop = (int(ymax / step) + 1) * step

    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(v):
        return LEFT + pw * v / tmax

    def y(v):
        return TOP + ph * (1 - v / ytop)

    def path(vals):
        return " ".join(
            f"{'M' if i == 0 else 'L'}{x(tt):.1f},{y(v):.1f}"
            for i, (tt, v) in enumerate(zip(t, vals))
        )

    o = []
    o.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">'
    )
    o.append(f'<rect width="{W}" height="{H}" fill="white"/>')
    o.append(
        f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">{esc(a.title)}</text>'
    )
    # Grid and axes.
    for g in range(0, ytop + 1, step):
        o.append(
            f'<line x1="{LEFT}" y1="{y(g):.1f}" x2="{W - RIGHT}" y2="{y(g):.1f}" '
            f'stroke="#ddd"/>'
        )
        o.append(
            f'<text x="{LEFT - 8}" y="{y(g) + 4:.1f}" text-anchor="end">{g}</text>'
        )
    tstep = 5 if tmax <= 60 else 10 if tmax <= 120 else 30
    tt = 0
    while tt <= tmax + 1e-9:
        o.append(
            f'<line x1="{x(tt):.1f}" y1="{TOP + ph}" x2="{x(tt):.1f}" y2="{TOP + ph + 5}" '
            f'stroke="black"/>'
        )
        o.append(
            f'<text x="{x(tt):.1f}" y="{TOP + ph + 18}" text-anchor="middle">{tt:g}</text>'
        )
        tt += tstep
    o.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="black"/>'
    )
    o.append(
        f'<text x="{LEFT + pw / 2}" y="{H - 18}" text-anchor="middle">seconds</text>'
    )
    o.append(
        f'<text transform="translate(18 {TOP + ph / 2}) rotate(-90)" '
        f'text-anchor="middle">GiB</text>'
    )
    # Marks.
    for m in a.mark:
        sec, _, label = m.partition(":")
        mx = x(float(sec))
        o.append(
            f'<line x1="{mx:.1f}" y1="{TOP}" x2="{mx:.1f}" y2="{TOP + ph}" '
            f'stroke="#888" stroke-dasharray="2,3"/>'
        )
        o.append(f'<text x="{mx + 4:.1f}" y="{TOP + 28}" fill="#555">{esc(label)}</text>')
    # Data.
    o.append(
        f'<line x1="{LEFT}" y1="{y(total):.1f}" x2="{W - RIGHT}" y2="{y(total):.1f}" '
        f'stroke="black" stroke-dasharray="6,4"/>'
    )
    o.append(f'<path d="{path(used)}" fill="none" stroke="#c0392b" stroke-width="2"/>')
    o.append(f'<path d="{path(avail)}" fill="none" stroke="#2471a3" stroke-width="2"/>')
    # Legend (right, middle height: clear of lines that start near the total or near 0).
    lx, ly = W - RIGHT - 236, TOP + ph * 0.42
    o.append(
        f'<rect x="{lx - 6:.1f}" y="{ly - 14:.1f}" width="230" height="60" fill="white" '
        f'stroke="#aaa"/>'
    )
    for i, (label, color, dash) in enumerate(
        [
            ("mem.used", "#c0392b", ""),
            ("mem.available", "#2471a3", ""),
            (f"mem.total ({total:.1f} GiB)", "black", ' stroke-dasharray="6,4"'),
        ]
    ):
        yy = round(ly + i * 17, 1)
        o.append(
            f'<line x1="{lx}" y1="{yy - 4}" x2="{lx + 26}" y2="{yy - 4}" stroke="{color}" '
            f'stroke-width="2"{dash}/>'
        )
        o.append(f'<text x="{lx + 34}" y="{yy}">{esc(label)}</text>')
    o.append("</svg>")
    with open(a.output, "w") as f:
        f.write("\n".join(o) + "\n")


if __name__ == "__main__":
    main()
