#!/usr/bin/env python3
"""The PM4Py anchor of issue #22's side-by-side (not in CI; `pip install pm4py` first):
read a v1 log with pandas, discover a Petri net (inductive miner) from its first 2,000 calls,
replay every call on it token by token, and print the wall time and how many calls fit.
PM4Py checks the order of activities only, not callflow's rules: it is a floor for a
general-purpose tool doing less, not a competitor doing the same.

Usage: benches/pm4py_replay.py LOG.csv
"""
import sys
import time

import pandas as pd
import pm4py

started = time.perf_counter()
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
frame = pm4py.format_dataframe(
    frame, case_id="call_id", activity_key="event", timestamp_key="timestamp"
)
first = frame["case:concept:name"].drop_duplicates().head(2000)
training = frame[frame["case:concept:name"].isin(first)]
net, initial, final = pm4py.discover_petri_net_inductive(training)
replayed = pm4py.conformance_diagnostics_token_based_replay(frame, net, initial, final)
fitting = sum(1 for r in replayed if r["trace_is_fit"])
seconds = time.perf_counter() - started
print(f"{len(replayed)} calls replayed, {fitting} fit, in {seconds:.2f} s")
