#!/usr/bin/env python3
"""Reproduce a gossipsim sweep's points.csv from its runs.csv with pandas.

A sweep directory holds runs.csv (one row per run) and points.csv (one row
per grid point: per metric the number of runs with a value, mean, standard
deviation, 95% confidence interval of the mean and median, plus how many
runs were censored, harmless or untriggered). The figures draw points.csv.
This script recomputes every one of those numbers from runs.csv the way
gossipsim does (experiments/aggregate.go), checks they match, and prints one
figure's numbers:

    python3 experiments/examples/analysis.py results/corruption
    python3 experiments/examples/analysis.py results/corruption --metric recovery_time_s

How gossipsim aggregates, and so how this script does:
  * An empty cell is "no value" (a censored run's recovery_time_s, a run
    without alarms' time_to_alarm_s): it is left out of that metric's
    statistics, never counted as 0. "true" and "false" count as 1 and 0.
  * Each run's outcome: no trigger_time_s -> untriggered; recovered = true
    -> recovered; harmless = true -> harmless; otherwise censored (still
    wrong at the horizon). recovery_time_s averages recovered runs only.
  * sd uses n - 1; the 95% interval is mean +/- t(0.975, n - 1) * sd / sqrt(n)
    (Student's t); sd and the interval are empty for n < 2.

Means and standard deviations agree to about 15 significant digits, not to
the last bit (gonum sums with vector instructions), so they are compared
with a relative tolerance of 1e-9; counts and medians must be exact.
Exit status: 0 all match, 1 a mismatch (each printed), 2 bad arguments.
"""

import argparse
import math
import os
import sys

import pandas as pd


def t_quantile_975(df):
    """Student's t 0.975 quantile with df degrees of freedom, as
    scipy.stats.t.ppf(0.975, df) gives it; computed here so the script needs
    only pandas. Bisection on the t distribution's tail, P(T > t) = 0.025,
    through the regularized incomplete beta function."""

    def betainc(a, b, x):  # regularized I_x(a, b), continued fraction (Lentz)
        if x <= 0.0:
            return 0.0
        if x >= 1.0:
            return 1.0
        if x > (a + 1.0) / (a + b + 2.0):
            return 1.0 - betainc(b, a, 1.0 - x)
        front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                         + a * math.log(x) + b * math.log1p(-x)) / a
        tiny = 1e-300
        c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
        d = 1.0 / (d if abs(d) > tiny else tiny)
        f = d
        for m in range(1, 500):
            for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                        -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
                d = 1.0 + num * d
                d = 1.0 / (d if abs(d) > tiny else tiny)
                c = 1.0 + num / c
                c = c if abs(c) > tiny else tiny
                f *= c * d
            if abs(c * d - 1.0) < 1e-16:
                break
        return front * f

    def upper_tail(t):  # P(T > t) for t >= 0
        return 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))

    lo, hi = 0.0, 1.0
    while upper_tail(hi) > 0.025:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if mid in (lo, hi):
            break
        if upper_tail(mid) > 0.025:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def cell_number(s):
    """A runs.csv cell as gossipsim reads it: "" -> no value, true/false -> 1/0."""
    if s == "":
        return math.nan
    if s == "true":
        return 1.0
    if s == "false":
        return 0.0
    try:
        return float(s)
    except ValueError:
        return math.nan


def outcome(row):
    if row.get("trigger_time_s", "") == "":
        return "untriggered"
    if row.get("recovered", "") == "true":
        return "recovered"
    if row.get("harmless", "") == "true":
        return "harmless"
    return "censored"


def point_stats(runs, metrics):
    """points.csv recomputed: one row per point, the same columns."""
    values = runs[metrics].apply(lambda col: col.map(cell_number))
    values["point"] = runs["point"].astype(int)
    grouped = values.groupby("point")
    outcomes = runs.apply(outcome, axis=1).groupby(runs["point"].astype(int))
    cols = {}
    for kind in ("censored", "harmless", "untriggered"):
        cols[kind] = outcomes.apply(lambda s, k=kind: int((s == k).sum()))
    for m in metrics:
        g = grouped[m]
        n = g.count()  # values present; NaN (an empty cell) is not counted
        mean, sd = g.mean(), g.std(ddof=1)
        t = pd.Series([t_quantile_975(k - 1) if k >= 2 else math.nan for k in n], index=n.index)
        half = t * sd / n.pow(0.5)
        cols[m + "_n"] = n
        cols[m + "_mean"] = mean
        cols[m + "_sd"] = sd.where(n >= 2)
        cols[m + "_ci95_lo"] = (mean - half).where(n >= 2)
        cols[m + "_ci95_hi"] = (mean + half).where(n >= 2)
        cols[m + "_median"] = g.median()
    return pd.DataFrame(cols)


def same(got, want, exact):
    if math.isnan(got) or math.isnan(want):
        return math.isnan(got) and math.isnan(want)
    if exact:
        return got == want
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweep_dir", help="a gossipsim sweep directory (runs.csv, points.csv)")
    ap.add_argument("--metric", default="peak_wrong_view_fraction",
                    help="the figure whose numbers to print (default: %(default)s)")
    args = ap.parse_args()

    read = dict(dtype=str, keep_default_na=False)  # cells as text: "" stays "no value"
    try:
        runs = pd.read_csv(os.path.join(args.sweep_dir, "runs.csv"), **read)
        points = pd.read_csv(os.path.join(args.sweep_dir, "points.csv"), **read)
    except OSError as e:
        print(f"analysis.py: {e}", file=sys.stderr)
        return 2
    metrics = [c[:-2] for c in points.columns if c.endswith("_n") and c[:-2] + "_mean" in points.columns]
    if args.metric not in metrics:
        print(f"analysis.py: --metric: {args.metric!r} is not a metric of points.csv; it has {', '.join(metrics)}",
              file=sys.stderr)
        return 2

    mine = point_stats(runs, metrics)
    points = points.set_index(points["point"].astype(int))
    mismatches = 0
    checked = 0
    for p, row in points.iterrows():
        for col in mine.columns:
            exact = col.endswith(("_n", "_median")) or col in ("censored", "harmless", "untriggered")
            got, want = float(mine.at[p, col]), cell_number(row[col])
            checked += 1
            if not same(got, want, exact):
                mismatches += 1
                print(f"MISMATCH point {p} {col}: recomputed {got!r}, points.csv {row[col]!r}")
        if int(row["runs"]) != int((runs["point"].astype(int) == p).sum()):
            mismatches += 1
            print(f"MISMATCH point {p} runs: points.csv {row['runs']}")

    grid = [c for c in points.columns if c.startswith("grid_")]
    m = args.metric
    stats = mine[[m + "_n", m + "_mean", m + "_ci95_lo", m + "_ci95_hi", "censored"]]
    stats.columns = ["n", "mean", "ci95_lo", "ci95_hi", "censored"]
    table = pd.concat([points[grid], stats], axis=1)
    print(f"{m}: mean and 95% CI per point, recomputed from runs.csv (what {m}.png draws)")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string())
    if mismatches:
        print(f"analysis.py: {mismatches} of {checked} numbers differ from points.csv", file=sys.stderr)
        return 1
    print(f"analysis.py: all {checked} numbers of points.csv ({len(points)} points x {len(metrics)} metrics) "
          "match runs.csv recomputed with pandas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
