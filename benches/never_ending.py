#!/usr/bin/env python3
"""Writes a v1 log whose calls never end (issue #23): each call starts, is greeted, and states
its inquiry, and no `call_ended` row ever comes, as in an export that left those rows out.
Calls overlap: each one's later rows come after the next calls' starts, so rows of many calls
interleave, as on a real floor.

    python3 benches/never_ending.py CALLS OUT.csv

1,000,000 calls give 3,000,000 rows (about 190 MB).
"""
import sys
from datetime import datetime, timedelta, timezone

OVERLAP = 50  # a call's greeting comes this many starts later, its inquiry twice as many

def main():
    calls = int(sys.argv[1])
    out = open(sys.argv[2], "w", newline="")
    zone = timezone(timedelta(hours=-5))
    day = datetime(2026, 3, 2, 9, 0, 0, tzinfo=zone)
    out.write("call_id,timestamp,agent_id,event,value,text\n")
    second = 0

    def stamp():
        nonlocal second
        second += 1
        # Keep every call within business days: a day is 9:00-17:00, eight hours of rows.
        days, rest = divmod(second // 10, 8 * 3600)
        at = day + timedelta(days=days, seconds=rest)
        return at.isoformat()

    for i in range(calls + 2 * OVERLAP):
        if i < calls:
            out.write(f"N-{i},{stamp()},agent{i % 97},call_started,Home Warranty Rewards,\n")
        g = i - OVERLAP
        if 0 <= g < calls:
            out.write(f"N-{g},{stamp()},,greeting,,\n")
        q = i - 2 * OVERLAP
        if 0 <= q < calls:
            out.write(f"N-{q},{stamp()},,inquiry,reward_email_missing,\n")
    out.close()

if __name__ == "__main__":
    main()
