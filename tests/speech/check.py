#!/usr/bin/env python3
"""Check the speech corpus for internal consistency (standard library only).

    python3 tests/speech/check.py                      # the files agree with each other
    python3 tests/speech/check.py --callflow BIN       # also audit every log with BIN and compare
                                                       # the verdicts with the README's table

For each half (frozen/, frozen2/, frozen3/, frozen4/, tuning/) found next to this script:
  - facts.csv and expected.csv are valid v1 logs (vocabulary, values, one call_started first with
    an agent id, call_ended last, rows of a call in time order, unique call ids);
  - facts.csv holds only system facts and desktop actions; turns.csv only agent/customer turns;
  - every call of turns.csv has facts and a Contact Lens file, and every facts call has turns;
  - expected.csv = the facts rows (unchanged, text empty) and the transcript rows (text = the
    whole utterance, timestamp = the utterance's, event said by the right side), ordered by
    instant, facts first at equal instants, then transcript rows in turn order (the order of
    several steps of one utterance is as authored: the checker cannot tell where words start);
  - each contact-lens/<ContactId>.json has the documented shape and the same turns: speaker
    (through Participants), Content = text, BeginOffsetMillis = turn instant - call_started;
    a Redaction section exactly where the content holds [PII].
Prints counts per event per half. Exit status 0 when all holds, 1 otherwise.
"""
import argparse, collections, csv, datetime as dt, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
HALVES = ("frozen", "frozen2", "frozen3", "frozen4", "frozen5", "frozen6", "frozen7", "frozen8", "tuning", "train1", "train2", "train3", "train4")
# The halves whose intended audits README.md's table gives (frozen2's are in tests/speech.rs).
TABLED = ("frozen", "frozen3", "tuning")

FACT_EVENTS = {"call_started", "call_ended", "warranty_started", "first_payment", "refund_calculator",
               "collect", "email_sent", "partner_contacted", "phone_call_partner", "chat_opened",
               "warranty_prompt", "chat_form", "chat_waiting", "chat_connected", "chat_message",
               "chat_reply", "paid_amount_obtained", "chat_ended", "chat_transcript"}
AGENT_EVENTS = {"greeting", "anything_else", "goodbye", "explain_review_period", "expect_email_soon",
                "apologize", "explain_partner_support", "ask_contact_time", "ask_ticket",
                "promise_followup", "quote_amount", "build_value", "advise_dispute_letter"}
CUSTOMER_EVENTS = {"customer_identified", "inquiry", "contact_time", "ticket",
                   "service_call_reported", "record_mismatch", "amount_disputed"}
SPOKEN = AGENT_EVENTS | CUSTOMER_EVENTS

AMOUNT = r"\$?\d{1,3}(,\d{3})*(\.\d{1,2})?|\$?\d+(\.\d{1,2})?"
DATE = r"\d{4}-\d{2}-\d{2}"
VALUE_RULES = {  # event -> regex the value must match in full ("" = must be empty)
    "call_ended": r"|completed|customer_hung_up|dropped|transferred",
    "warranty_started": DATE, "first_payment": DATE + "|none",
    "refund_calculator": AMOUNT + "|none", "paid_amount_obtained": AMOUNT,
    "collect": r"(name|email|phone)(_declined)?", "email_sent": r"rewards_team|product_team",
    "partner_contacted": r"home_service_perks", "warranty_prompt": r"yes|no",
    "chat_opened": r"|paid_call|record_verification|relay_cancellation", "chat_waiting": r"\d+",
    "chat_connected": r".+", "chat_transcript": r"email|print", "chat_form": r"([a-z_]+=[^;]*)(;[a-z_]+=[^;]*)*",
    # recognised steps, as this corpus writes them
    "quote_amount": r"\[PII\]|\d+\.\d\d", "customer_identified": r"\[PII\]|[A-Z][A-Za-z'-]*( [A-Z][A-Za-z'-]*)*",
    "inquiry": r"[a-z][a-z0-9]*(_[a-z0-9]+)*", "contact_time": r"business_hours|outside_business_hours",
    "ticket": r"\[PII\]|HSP-\d{5}", "record_mismatch": r"name|address",
}
NO_VALUE = {"chat_message", "chat_reply", "chat_ended", "phone_call_partner", "greeting", "anything_else",
            "goodbye", "explain_review_period", "expect_email_soon", "apologize", "explain_partner_support",
            "ask_contact_time", "ask_ticket", "promise_followup", "build_value", "advise_dispute_letter",
            "service_call_reported", "amount_disputed"}
CL_TOP = ("Version", "AccountId", "Channel", "ContentMetadata", "CustomerMetadata", "JobStatus",
          "LanguageCode", "Participants", "Categories", "ConversationCharacteristics", "Transcript")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def instant(ts):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", ts):
        raise ValueError(f"not RFC 3339 with an offset: {ts!r}")
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def read_csv(path, header):
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        got = next(r)
        if got != header:
            err(path, f"header {got} != {header}")
        return [(i + 2, row) for i, row in enumerate(r)]


def check_log(path, rows, ncols):
    """v1 validity; returns {call_id: [rows]} in file order."""
    calls = collections.OrderedDict()
    ended = set()
    last = {}
    for line, row in rows:
        where = f"{path}:{line}"
        if len(row) != ncols:
            err(where, f"{len(row)} columns, expected {ncols}")
            continue
        cid, ts, agent, ev, val = row[:5]
        try:
            t = instant(ts)
        except ValueError as e:
            err(where, str(e))
            continue
        if ev not in FACT_EVENTS | SPOKEN:
            err(where, f"unknown event {ev!r}")
        if cid in ended:
            err(where, f"row after call_ended of {cid}")
        if ev == "call_started":
            if cid in calls:
                err(where, f"second call_started for {cid}")
            if not agent:
                err(where, "call_started without agent_id")
            calls[cid] = []
        elif cid not in calls:
            err(where, f"row of a call never started: {cid}")
            continue
        elif agent:
            err(where, "agent_id set on a row other than call_started")
        if cid in last and t < last[cid]:
            err(where, "timestamp earlier than the call's previous row")
        last[cid] = t
        if ev == "call_ended":
            ended.add(cid)
        if ev in VALUE_RULES and not re.fullmatch(VALUE_RULES[ev], val):
            err(where, f"{ev}: bad value {val!r}")
        if ev in NO_VALUE and val:
            err(where, f"{ev}: value {val!r} where none is expected")
        calls[cid].append((line, row, t))
    for cid in calls:
        if cid not in ended:
            err(path, f"call {cid} has no call_ended")
    return calls


def check_half(name, counts):
    d = os.path.join(HERE, name)
    hdr = ["call_id", "timestamp", "agent_id", "event", "value", "text"]
    facts = check_log(f"{name}/facts.csv", read_csv(os.path.join(d, "facts.csv"), hdr), 6)
    expected = check_log(f"{name}/expected.csv", read_csv(os.path.join(d, "expected.csv"), hdr + ["source"]), 7)
    turns = collections.OrderedDict()
    for line, row in read_csv(os.path.join(d, "turns.csv"), ["call_id", "timestamp", "speaker", "text"]):
        where = f"{name}/turns.csv:{line}"
        if len(row) != 4:
            err(where, "not 4 columns")
            continue
        cid, ts, spk, text = row
        if spk.lower() not in ("agent", "customer"):
            err(where, f"speaker {spk!r}")
        if not text.strip():
            err(where, "empty text")
        try:
            t = instant(ts)
        except ValueError as e:
            err(where, str(e))
            continue
        lst = turns.setdefault(cid, [])
        if lst and t < lst[-1][2]:
            err(where, "turn earlier than the previous turn of its call")
        lst.append((line, row, t))

    for cid, rows in facts.items():
        for line, row, _ in rows:
            if row[3] not in FACT_EVENTS:
                err(f"{name}/facts.csv:{line}", f"{row[3]} is a spoken step, not a fact")
            if row[5]:
                err(f"{name}/facts.csv:{line}", "facts carry no text")
    if list(turns) != list(facts):
        err(name, f"calls of turns.csv {sorted(set(turns) ^ set(facts))} differ from facts.csv (or order)")
    if list(expected) != list(facts):
        err(name, "calls of expected.csv differ from facts.csv (or their order)")

    cl_dir = os.path.join(d, "contact-lens")
    cl_files = {f[:-5] for f in os.listdir(cl_dir) if f.endswith(".json")}
    for cid in set(turns) - cl_files:
        err(name, f"call {cid} has no contact-lens/{cid}.json")
    for cid in cl_files - set(turns):
        err(name, f"contact-lens/{cid}.json is no call of turns.csv")

    ev_count = collections.Counter()
    nostep = 0
    for cid in facts:
        if cid not in turns or cid not in expected:
            continue
        start = facts[cid][0][2]
        end = facts[cid][-1][2]
        tlist = turns[cid]
        for line, row, t in tlist:
            if not (start <= t <= end):
                err(f"{name}/turns.csv:{line}", "turn outside its call (before call_started or after call_ended)")
        # rebuild the expected order from facts + the transcript rows
        frows = [r for _, r, _ in facts[cid]]
        erows = expected[cid]
        got_facts = [r[1][:6] for r in erows if r[1][6] == "facts"]
        if got_facts != frows:
            err(f"{name}/expected.csv", f"{cid}: facts rows differ from facts.csv")
        # map each transcript row to its turn
        turn_of = []
        ti = 0
        for line, row, t in erows:
            src = row[6]
            if src == "facts":
                continue
            if src != "transcript":
                err(f"{name}/expected.csv:{line}", f"source {src!r}")
                continue
            ev = row[3]
            ev_count[ev] += 1
            while ti < len(tlist) and not (tlist[ti][1][1] == row[1] and tlist[ti][1][3] == row[5]):
                ti += 1
            if ti == len(tlist):
                err(f"{name}/expected.csv:{line}", f"{cid}: no turn (after the previous row's) has this timestamp and text")
                ti = 0
                continue
            spk = tlist[ti][1][2].lower()
            side = AGENT_EVENTS if spk == "agent" else CUSTOMER_EVENTS
            if ev not in side:
                err(f"{name}/expected.csv:{line}", f"{ev} recognised in a {spk} turn")
            turn_of.append(ti)
        nostep += sum(1 for i in range(len(tlist)) if i not in set(turn_of))
        # ordering rule
        keyed = [((t, 0, i), r + ["facts"]) for i, (_, r, t) in enumerate(facts[cid])]
        k = 0
        for line, row, t in erows:
            if row[6] == "transcript" and k < len(turn_of):
                keyed.append(((t, 1, turn_of[k], k), row))
                k += 1
        want = [r for _, r in sorted(keyed, key=lambda x: x[0])]
        if [r[1] for r in erows] != want:
            err(f"{name}/expected.csv", f"{cid}: rows not in the order the rule gives")
        check_cl(name, cid, os.path.join(cl_dir, cid + ".json"), tlist, start)
    counts[name] = dict(calls=len(facts), turns=sum(len(v) for v in turns.values()),
                        facts_rows=sum(len(v) for v in facts.values()),
                        expected_rows=sum(len(v) for v in expected.values()),
                        transcript_rows=sum(ev_count.values()), no_step_turns=nostep, events=ev_count,
                        features=features(turns, cl_dir))
    return expected


def features(turns, cl_dir):
    f = collections.Counter()
    for cid, tl in turns.items():
        texts = [r[1][3] for r in tl]
        if all(t == t.lower() or t.replace("[PII]", "") == t.replace("[PII]", "").lower() for t in texts):
            f["lower-case ASR calls"] += 1
        if any("[PII]" in t for t in texts):
            f["redacted calls"] += 1
        if any(r[1][1].endswith("Z") for r in tl):
            f["calls with Z turn timestamps"] += 1
        if any(r[1][2] not in ("agent", "customer") for r in tl):
            f["calls with speaker case varied"] += 1
        if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", cid):
            f["UUID contact ids"] += 1
    return f


def check_cl(name, cid, path, tlist, start):
    where = f"{name}/contact-lens/{cid}.json"
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        err(where, f"unreadable: {e}")
        return
    for k in CL_TOP:
        if k not in doc:
            err(where, f"no {k}")
    if doc.get("Channel") != "VOICE" or doc.get("JobStatus") != "COMPLETED":
        err(where, "Channel/JobStatus not VOICE/COMPLETED")
    if doc.get("CustomerMetadata", {}).get("ContactId") != cid:
        err(where, "CustomerMetadata.ContactId differs from the file name / call id")
    roles = {p["ParticipantId"]: p["ParticipantRole"] for p in doc.get("Participants", [])}
    if sorted(roles.values()) != ["AGENT", "CUSTOMER"]:
        err(where, f"Participants roles {sorted(roles.values())}")
    items = doc.get("Transcript", [])
    if len(items) != len(tlist):
        err(where, f"{len(items)} transcript items for {len(tlist)} turns")
    redacted = False
    prev = -1
    ids = set()
    for i, (it, (line, row, t)) in enumerate(zip(items, tlist)):
        w = f"{where} Transcript[{i}]"
        for k in ("BeginOffsetMillis", "EndOffsetMillis", "Content", "Id", "ParticipantId", "Sentiment"):
            if k not in it:
                err(w, f"no {k}")
        if roles.get(it.get("ParticipantId"), "").lower() != row[2].lower():
            err(w, f"speaker {roles.get(it.get('ParticipantId'))} != turns.csv:{line} {row[2]}")
        if it.get("Content") != row[3]:
            err(w, f"Content differs from turns.csv:{line}")
        off = round((t - start).total_seconds() * 1000)
        if it.get("BeginOffsetMillis") != off:
            err(w, f"BeginOffsetMillis {it.get('BeginOffsetMillis')} != {off} (turns.csv:{line} - call_started)")
        if not it.get("EndOffsetMillis", 0) > it.get("BeginOffsetMillis", 0):
            err(w, "EndOffsetMillis not after BeginOffsetMillis")
        if it.get("BeginOffsetMillis", 0) < prev:
            err(w, "offsets go backwards")
        prev = it.get("BeginOffsetMillis", 0)
        if it.get("Id") in ids:
            err(w, "duplicate Id")
        ids.add(it.get("Id"))
        if it.get("Sentiment") not in ("POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"):
            err(w, "Sentiment")
        n = it.get("Content", "").count("[PII]")
        red = it.get("Redaction", {}).get("RedactedTimestamps", [])
        if n != len(red):
            err(w, f"{n} [PII] in Content but {len(red)} RedactedTimestamps")
        redacted |= n > 0
    out = doc.get("ContentMetadata", {}).get("Output")
    if out != ("Redacted" if redacted else "Raw"):
        err(where, f"ContentMetadata.Output {out!r} for a {'redacted' if redacted else 'raw'} transcript")


def readme_table():
    """call id -> (half, verdict, score, [codes]) from README.md's table."""
    want = {}
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 5 or cells[1] not in HALVES:
                continue
            m = re.fullmatch(r"(pass|fail|incomplete) (\d+)(?: — (.*))?", cells[-1])
            if not m:
                err("README.md", f"intended audit not understood: {cells[-1]!r}")
                continue
            codes = sorted(c.strip() for c in m.group(3).split(",")) if m.group(3) else []
            want[cells[0].strip("`")] = (cells[1], m.group(1), int(m.group(2)), codes)
    return want


def audit(binary, name, which, want):
    path = os.path.join(HERE, name, which)
    res = subprocess.run([binary, "audit", path, "--format", "json"], capture_output=True, text=True)
    if res.returncode not in (0, 1):
        err(path, f"audit exited {res.returncode}: {res.stderr.strip()}")
        return
    rep = json.loads(res.stdout)
    if rep["rows"]["rejected"]:
        err(path, f"{rep['rows']['rejected']} rows rejected: {rep['rejected'][:3]}")
    if which != "expected.csv":
        return
    for c in rep["calls"]:
        got = (c["verdict"], c["score"], sorted(f["code"] for f in c["findings"]))
        w = want.get(c["call_id"])
        if w is None:
            if name in TABLED:
                err("README.md", f"{c['call_id']} missing from the table")
        elif w[0] != name or w[1:] != got:
            err(f"{name}/expected.csv", f"{c['call_id']}: audit gives {got}, README says {w}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--callflow", help="a callflow binary: audit facts.csv and expected.csv of each half")
    args = ap.parse_args()
    counts = {}
    halves = [h for h in HALVES if os.path.isdir(os.path.join(HERE, h))]
    for h in halves:
        check_half(h, counts)
    if args.callflow:
        want = readme_table()
        for h in halves:
            audit(args.callflow, h, "facts.csv", want)
            audit(args.callflow, h, "expected.csv", want)
        listed = {k for k, v in want.items() if v[0] in halves}
        have = set()
        for h in halves:
            with open(os.path.join(HERE, h, "facts.csv"), newline="") as f:
                have |= {r["call_id"] for r in csv.DictReader(f)}
        for k in listed - have:
            err("README.md", f"{k} is in the table but in no facts.csv")
    events = sorted(set().union(*(c["events"] for c in counts.values())))
    cols = halves
    print(f"{'':34}" + "".join(f"{h:>8}" for h in cols))
    for k in ("calls", "turns", "no_step_turns", "facts_rows", "transcript_rows", "expected_rows"):
        print(f"{k:34}" + "".join(f"{counts[h][k]:>8}" for h in cols))
    print("recognised events:")
    for e in events:
        print(f"  {e:32}" + "".join(f"{counts[h]['events'][e]:>8}" for h in cols))
    print("features:")
    feats = sorted(set().union(*(c["features"] for c in counts.values())))
    for e in feats:
        print(f"  {e:32}" + "".join(f"{counts[h]['features'][e]:>8}" for h in cols))
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("\nok: " + ", ".join(halves) + (" (audited with " + args.callflow + ")" if args.callflow else ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output cut short by the reader (| head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
