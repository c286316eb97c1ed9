#!/usr/bin/env python3
"""Removes the fields #16 added to the JSON report (each finding's "explanation", each
call's "started_at" and "call_date"), textually, leaving every other byte as written; checks
that what it removed was there and is JSON. Usage: benches/strip_added_fields.py IN OUT"""
import json, re, sys
src, dst = sys.argv[1], sys.argv[2]
STRING = r'"(?:[^"\\]|\\.)*"'
explanation = re.compile(r',"explanation":' + STRING + r'(?=\})')
tail = re.compile(r',"started_at":"[^"]*","call_date":"[^"]*"(?=\}(?:,)?$)')
counts = {"calls": 0, "explanations": 0}
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    in_calls = False
    for line in f:
        if line.startswith('  "calls": ['):
            in_calls = True
        elif in_calls and line.startswith("    {"):
            body = line.rstrip("\n")
            call = json.loads(body.strip().rstrip(","))
            assert "started_at" in call and "call_date" in call, body[:80]
            assert all("explanation" in f for f in call["findings"]), body[:80]
            counts["explanations"] += len(call["findings"])
            counts["calls"] += 1
            body, n = tail.subn("", body)
            assert n == 1, body[:120]
            body, m = explanation.subn("", body)
            assert m == len(call["findings"]), body[:120]
            line = body + "\n"
        else:
            in_calls = in_calls and not line.startswith("  ]")
        out.write(line)
print(counts)
