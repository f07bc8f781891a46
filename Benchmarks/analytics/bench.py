#!/usr/bin/env python3
"""PatronAnalytics against lifetimes 0.11.3, on the same synthetic data, in the same run.

Generates synthetic customer summaries from known BG/NBD, Pareto/NBD and Gamma-Gamma parameters (fixed seed), writes
them as CSV (frequency,recency,T,monetary_value; weeks; recency and T on a daily grid, as a shop's summary is), then
times lifetimes and the Swift `analytics-bench` executable on the same files and prints times, ratios, parameter
agreement and Swift's peak memory.

Run it through run.sh, which builds the Swift side and sets up the lifetimes venv; or directly:
    python3 bench.py --swift-bin PATH [--customers 1000000] [--pareto-customers 100000] [--workdir /tmp/patron-bench]
The interpreter running this file must have numpy; lifetimes runs in the venv given by --venv (created if missing).
"""
import argparse
import json
import os
import subprocess
import sys
import time

LIFETIMES = "lifetimes==0.11.3"
TRUE_BGNBD = dict(r=0.243, alpha=4.414, a=0.793, b=2.426)
TRUE_PARETO = dict(r=0.553, alpha=10.578, s=0.606, beta=11.669)
TRUE_GG = dict(p=6.25, q=3.74, v=15.44)
WEEKS_PER_MONTH_LIFETIMES = 4.345  # lifetimes' month for freq="W"


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    probe = subprocess.run([python, "-c", "import lifetimes, numpy; print(lifetimes.__version__)"],
                           capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip() != "0.11.3":
        subprocess.check_call([python, "-m", "pip", "install", "-q", LIFETIMES])
    return python


def generate(path, n, model, seed):
    """Simulates n customers observed for T days (uniform 182..546), writing weeks on a daily grid."""
    import numpy as np
    rng = np.random.default_rng(seed)
    T_days = rng.integers(182, 547, size=n)
    T = T_days / 7.0
    if model == "bgnbd":
        lam = rng.gamma(TRUE_BGNBD["r"], 1.0 / TRUE_BGNBD["alpha"], size=n)
        p = rng.beta(TRUE_BGNBD["a"], TRUE_BGNBD["b"], size=n)
        death = np.full(n, np.inf)
    else:
        lam = rng.gamma(TRUE_PARETO["r"], 1.0 / TRUE_PARETO["alpha"], size=n)
        mu = rng.gamma(TRUE_PARETO["s"], 1.0 / TRUE_PARETO["beta"], size=n)
        death = rng.exponential(1.0 / mu)
        p = np.zeros(n)
    x = np.zeros(n, dtype=np.int64)
    tx = np.zeros(n)
    clock = np.zeros(n)
    active = np.arange(n)
    while active.size:
        clock[active] += rng.exponential(1.0 / lam[active])
        ok = (clock[active] <= T[active]) & (clock[active] <= death[active])
        active = active[ok]
        x[active] += 1
        tx[active] = clock[active]
        if model == "bgnbd":  # inactive right after a purchase with probability p
            active = active[rng.random(active.size) >= p[active]]
    tx_days = np.floor(tx * 7.0)
    recency = np.where(x > 0, tx_days / 7.0, 0.0)
    # Gamma-Gamma spend: nu ~ Gamma(q, 1/v); mean of x transactions ~ Gamma(p x, 1/(nu x))
    nu = rng.gamma(TRUE_GG["q"], 1.0 / TRUE_GG["v"], size=n)
    xs = np.maximum(x, 1)
    mean_spend = rng.gamma(TRUE_GG["p"] * xs, 1.0 / (nu * xs))
    monetary = np.where(x > 0, np.round(mean_spend, 2), 0.0)
    monetary = np.where((x > 0) & (monetary <= 0), 0.01, monetary)
    with open(path, "w") as f:
        f.write("frequency,recency,T,monetary_value\n")
        for row in zip(x.tolist(), recency.tolist(), T.tolist(), monetary.tolist()):
            f.write("%d,%r,%r,%r\n" % row)


LIFETIMES_SCRIPT = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from lifetimes import BetaGeoFitter, ParetoNBDFitter, GammaGammaFitter
bg_path, pareto_path, skip_pareto = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
swift_pareto = json.loads(sys.argv[4])
out = {}
d = pd.read_csv(bg_path)
f, r, T, m = d["frequency"], d["recency"], d["T"], d["monetary_value"]
t = time.perf_counter(); bgf = BetaGeoFitter().fit(f, r, T); out["bgnbdFitSeconds"] = time.perf_counter() - t
out["bgnbd"] = {k: float(v) for k, v in bgf.params_.items()}
rep = d[d["frequency"] > 0]
t = time.perf_counter(); ggf = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
out["gammaGammaFitSeconds"] = time.perf_counter() - t
out["gammaGamma"] = {k: float(v) for k, v in ggf.params_.items()}
t = time.perf_counter()
clv = ggf.customer_lifetime_value(bgf, f, r, T, m, time=12, discount_rate=0.01, freq="W")
out["clvSeconds"] = time.perf_counter() - t
out["clvMean"] = float(clv.mean()); out["clvFirst"] = [float(v) for v in clv.values[:5]]
if not skip_pareto:
    d = pd.read_csv(pareto_path)
    t = time.perf_counter(); pnf = ParetoNBDFitter().fit(d["frequency"], d["recency"], d["T"])
    out["paretoFitSeconds"] = time.perf_counter() - t
    out["pareto"] = {k: float(v) for k, v in pnf.params_.items()}
    # lifetimes' own log-likelihood at its answer and at Swift's: which one is the better maximum?
    f, r, T = d["frequency"].values, d["recency"].values, d["T"].values
    ll = lambda p: float(ParetoNBDFitter._conditional_log_likelihood([p["r"], p["alpha"], p["s"], p["beta"]], f, r, T).sum())
    out["paretoLogLikelihoodAtLifetimes"] = ll(out["pareto"])
    out["paretoLogLikelihoodAtSwift"] = ll(swift_pareto)
print(json.dumps(out))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--swift-bin", required=True, help="path of the analytics-bench executable")
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--pareto-customers", type=int, default=100_000)
    ap.add_argument("--workdir", default="/tmp/patron-analytics-bench")
    ap.add_argument("--venv", default="/tmp/patron-lifetimes-venv")
    ap.add_argument("--cdnow-master", default=None, help="CDNOW_master.txt, to time the summary build")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-pareto-lifetimes", action="store_true", help="skip lifetimes' slow Pareto/NBD fit")
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--end-to-end", type=int, default=1_000_000,
                    help="customers for Swift's whole-pipeline run (CLVAnalysis.run on purchases); 0 skips it")
    args = ap.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    python = ensure_venv(args.venv)
    bg_path = os.path.join(args.workdir, "bgnbd_%d.csv" % args.customers)
    pareto_path = os.path.join(args.workdir, "pareto_%d.csv" % args.pareto_customers)
    for path, n, model, seed in [(bg_path, args.customers, "bgnbd", 20261125),
                                 (pareto_path, args.pareto_customers, "pareto", 7)]:
        if not os.path.exists(path):
            t = time.perf_counter()
            generate(path, n, model, seed)
            print("generated %s in %.1f s" % (path, time.perf_counter() - t), file=sys.stderr)

    swift_cmd = [args.swift_bin, "--bgnbd", bg_path, "--pareto", pareto_path, "--threads", str(args.threads),
                 "--days-per-month", repr(WEEKS_PER_MONTH_LIFETIMES * 7)]
    if args.cdnow_master:
        swift_cmd += ["--cdnow-master", args.cdnow_master]
    print("running:", " ".join(swift_cmd), file=sys.stderr)
    swift = json.loads(subprocess.check_output(swift_cmd))
    print("running lifetimes 0.11.3 ...", file=sys.stderr)
    lt = json.loads(subprocess.check_output(
        [python, "-c", LIFETIMES_SCRIPT, bg_path, pareto_path, "1" if args.skip_pareto_lifetimes else "0",
         json.dumps(swift["pareto"])]))

    def rel(a, b):
        return abs(a - b) / max(abs(b), 1e-300)

    rows = []
    for label, key, n in [("BG/NBD fit", "bgnbdFitSeconds", args.customers),
                          ("Pareto/NBD fit", "paretoFitSeconds", args.pareto_customers),
                          ("12-month CLV", "clvSeconds", args.customers),
                          ("Gamma-Gamma fit", "gammaGammaFitSeconds", None)]:
        if key in lt and key in swift:
            rows.append((label, n, lt[key], swift[key], lt[key] / swift[key]))
    print()
    print("%-16s %10s %12s %12s %9s" % ("task", "customers", "lifetimes s", "Swift s", "ratio"))
    for label, n, a, b, ratio in rows:
        print("%-16s %10s %12.3f %12.4f %8.1fx" % (label, n if n else "repeat", a, b, ratio))
    print()
    worst = 0.0
    print("%-12s %-6s %16s %16s %10s %8s" % ("model", "param", "lifetimes", "Swift", "rel diff", "true"))
    truth = {"bgnbd": TRUE_BGNBD, "pareto": TRUE_PARETO, "gammaGamma": TRUE_GG}
    for model in ["bgnbd", "pareto", "gammaGamma"]:
        if model not in lt:
            continue
        for name, value in lt[model].items():
            d = rel(swift[model][name], value)
            worst = max(worst, d)
            print("%-12s %-6s %16.8f %16.8f %10.2e %8.3f" % (model, name, value, swift[model][name], d,
                                                           truth[model][name]))
    clv_diff = rel(swift["clvMean"], lt["clvMean"])
    print("\nCLV mean: lifetimes %.6f, Swift %.6f, rel diff %.2e" % (lt["clvMean"], swift["clvMean"], clv_diff))
    print("largest parameter rel diff: %.2e (target 1e-3)" % worst)
    if "paretoLogLikelihoodAtLifetimes" in lt:
        print("Pareto/NBD log-likelihood by lifetimes' own formula: at lifetimes' parameters %.6f, at Swift's %.6f"
              % (lt["paretoLogLikelihoodAtLifetimes"], lt["paretoLogLikelihoodAtSwift"]))
    print("Swift peak RSS: %.0f MB (target < 1024 MB for %d customers)" % (swift["peakRSSMegabytes"], args.customers))
    if "cdnowSummarySecondsMedian" in swift:
        print("CDNOW_master summary: %d purchases, %d customers: parse %.4f s, summary %.4f s (median of 7; target < 0.1 s)"
              % (swift["cdnowPurchases"], swift["cdnowCustomers"], swift["cdnowParseSeconds"],
                 swift["cdnowSummarySecondsMedian"]))
    result = {"lifetimes": lt, "swift": swift, "largestParameterRelDiff": worst, "clvMeanRelDiff": clv_diff}
    if args.end_to_end:
        e2e = json.loads(subprocess.check_output([args.swift_bin, "--end-to-end", str(args.end_to_end),
                                                  "--threads", str(args.threads)]))
        print("Swift end to end (CLVAnalysis.run: summary, 3 fits, holdout, CLV): %d customers, %d purchases in "
              "%.2f s, peak RSS %.0f MB" % (e2e["endToEndCustomers"], e2e["endToEndPurchases"],
                                             e2e["endToEndSeconds"], e2e["peakRSSMegabytes"]))
        result["swiftEndToEnd"] = e2e
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
