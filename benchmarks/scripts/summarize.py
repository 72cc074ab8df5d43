#!/usr/bin/env python3
"""Prints JMH JSON results (-rf json) as compact rows: benchmark, params, score, error, unit, alloc B/op.

    python3 benchmarks/scripts/summarize.py results.json [...]
"""
import json
import sys

for path in sys.argv[1:]:
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 2)
        params = " ".join(f"{k}={v}" for k, v in r.get("params", {}).items())
        pm = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        alloc_s = f"{alloc['score']:.0f} B/op" if alloc else ""
        print(f"{name[-2]}.{name[-1]:<10} {params:<70} {pm['score']:>12.2f} ± {pm['scoreError']:>10.2f} "
              f"{pm['scoreUnit']:<8} {alloc_s}")
