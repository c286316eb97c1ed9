#!/usr/bin/env python3
"""Removes the fields added to the JSON report since round one, textually, leaving every other
byte as written; checks that what it removed was there and is JSON. #16 added each finding's
"explanation" and each call's "started_at" and "call_date"; #18 added each call's "policy" and
the header's "policy" and "log". Usage: benches/strip_added_fields.py IN OUT"""
import json, re, sys
src, dst = sys.argv[1], sys.argv[2]
STRING = r'"(?:[^"\\]|\\.)*"'
explanation = re.compile(r',"explanation":' + STRING + r'(?=\})')
tail = re.compile(r',"started_at":"[^"]*","call_date":"[^"]*","policy":(?:null|"[^"]*")(?=\}(?:,)?$)')
counts = {"calls": 0, "explanations": 0}
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    lines = f.readlines()
    # The header's "policy" (second line) and the closing "log" (last but one line).
    assert lines[2].startswith('  "policy": '), lines[2][:80]
    json.loads(lines[2][len('  "policy": '):].rstrip().rstrip(","))
    del lines[2]
    assert lines[-2].startswith('  "log": '), lines[-2][:80]
    json.loads(lines[-2][len('  "log": '):])
    del lines[-2]
    lines[-2] = lines[-2].rstrip("\n").rstrip(",") + "\n"
    in_calls = False
    for line in lines:
        if line.startswith('  "calls": ['):
            in_calls = True
        elif in_calls and line.startswith("    {"):
            body = line.rstrip("\n")
            call = json.loads(body.strip().rstrip(","))
            assert "started_at" in call and "call_date" in call and "policy" in call, body[:80]
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
