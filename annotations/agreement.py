#!/usr/bin/env python3
"""Inter-annotator agreement between annotation passes A and B.

Reads annotations/passes/A/<doc_id>.json and annotations/passes/B/<doc_id>.json
(stdlib only) and prints Markdown tables:

* entities, per document and label, then per label over all documents:
  - strict F1: same label, start and end (B is the reference: P = matched/|A|,
    R = matched/|B|);
  - value F1: same label, spans overlap and the normalised values agree
    (DOSE: low, high, unit; N_PATIENTS: value, role; FOLLOW_UP: low, high;
    OUTCOME: measure, value; ADVERSE_EVENT: negated; term labels: the code).
    Pairs are matched one-to-one, greedily by largest overlap.
* records: a record's key is (citation, sorted disease codes); records agree when
  the key is found in both passes (multiset matching).  Reported as matched / |A|,
  matched / |B| and F1.

Usage: python3 annotations/agreement.py [PASSES_DIR]
"""
import json
import os
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
PASSES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "passes")
LABEL_ORDER = ["DISEASE", "CELL_TYPE", "CELL_SOURCE", "DONOR", "ROUTE", "DOSE",
               "N_PATIENTS", "FOLLOW_UP", "OUTCOME", "ADVERSE_EVENT"]
TERM_LABELS = {"DISEASE", "CELL_TYPE", "CELL_SOURCE", "DONOR", "ROUTE"}


def load(pass_name):
    folder = os.path.join(PASSES, pass_name)
    out = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                out[name[:-5]] = json.load(f)
    return out


def num_eq(x, y):
    if x is None or y is None:
        return x is None and y is None
    try:
        x, y = float(x), float(y)
    except (TypeError, ValueError):
        return x == y
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def get(v, key):
    return v.get(key) if isinstance(v, dict) else None


def value_eq(label, va, vb):
    if label in TERM_LABELS:
        return va == vb
    if label == "DOSE":
        return (num_eq(get(va, "low"), get(vb, "low")) and num_eq(get(va, "high"), get(vb, "high"))
                and get(va, "unit") == get(vb, "unit"))
    if label == "N_PATIENTS":
        return num_eq(get(va, "value"), get(vb, "value")) and get(va, "role") == get(vb, "role")
    if label == "FOLLOW_UP":
        return num_eq(get(va, "low"), get(vb, "low")) and num_eq(get(va, "high"), get(vb, "high"))
    if label == "OUTCOME":
        return get(va, "measure") == get(vb, "measure") and num_eq(get(va, "value"), get(vb, "value"))
    if label == "ADVERSE_EVENT":
        return bool(get(va, "negated")) == bool(get(vb, "negated"))
    return va == vb


def f1(matched, n_a, n_b):
    if n_a == 0 and n_b == 0:
        return None
    p = matched / n_a if n_a else 0.0
    r = matched / n_b if n_b else 0.0
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def strict_matches(ents_a, ents_b):
    cb = Counter((e["start"], e["end"]) for e in ents_b)
    ca = Counter((e["start"], e["end"]) for e in ents_a)
    return sum(min(n, cb[k]) for k, n in ca.items())


def value_matches(label, ents_a, ents_b):
    pairs = []
    for i, a in enumerate(ents_a):
        for j, b in enumerate(ents_b):
            ov = min(a["end"], b["end"]) - max(a["start"], b["start"])
            if ov > 0 and value_eq(label, a.get("value"), b.get("value")):
                pairs.append((-ov, i, j))
    pairs.sort()
    used_a, used_b = set(), set()
    for _, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def record_key(r):
    study = r.get("study") or {}
    return (study.get("citation"), tuple(sorted(r.get("disease") or [])))


def fmt(x):
    return "–" if x is None else "%.3f" % x


def main():
    pa, pb = load("A"), load("B")
    docs = sorted(set(pa) | set(pb))
    per_doc = []  # (doc, label, nA, nB, strict, value)
    totals = defaultdict(lambda: [0, 0, 0, 0])
    for doc in docs:
        ea = pa.get(doc, {}).get("entities", [])
        eb = pb.get(doc, {}).get("entities", [])
        labels = sorted({e["label"] for e in ea + eb},
                        key=lambda l: (LABEL_ORDER.index(l) if l in LABEL_ORDER else 99, l))
        for label in labels:
            la = [e for e in ea if e["label"] == label]
            lb = [e for e in eb if e["label"] == label]
            s = strict_matches(la, lb)
            v = value_matches(label, la, lb)
            per_doc.append((doc, label, len(la), len(lb), s, v))
            t = totals[label]
            t[0] += len(la); t[1] += len(lb); t[2] += s; t[3] += v

    print("## Entity agreement per document (B = reference)\n")
    print("| doc | label | A | B | strict match | strict F1 | value match | value F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for doc, label, na, nb, s, v in per_doc:
        print("| %s | %s | %d | %d | %d | %s | %d | %s |"
              % (doc[:3], label, na, nb, s, fmt(f1(s, na, nb)), v, fmt(f1(v, na, nb))))

    print("\n## Entity agreement per label, all documents (B = reference)\n")
    print("| label | A | B | strict F1 | value F1 |")
    print("|---|---:|---:|---:|---:|")
    all_t = [0, 0, 0, 0]
    for label in sorted(totals, key=lambda l: (LABEL_ORDER.index(l) if l in LABEL_ORDER else 99, l)):
        na, nb, s, v = totals[label]
        all_t = [x + y for x, y in zip(all_t, totals[label])]
        print("| %s | %d | %d | %s | %s |" % (label, na, nb, fmt(f1(s, na, nb)), fmt(f1(v, na, nb))))
    na, nb, s, v = all_t
    print("| **all (micro)** | %d | %d | %s | %s |" % (na, nb, fmt(f1(s, na, nb)), fmt(f1(v, na, nb))))

    print("\n## Record agreement, key = (citation, disease set)\n")
    print("| doc | A records | B records | matched | matched/A | matched/B | F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    ra_t = rb_t = m_t = 0
    for doc in docs:
        ka = Counter(record_key(r) for r in pa.get(doc, {}).get("records", []))
        kb = Counter(record_key(r) for r in pb.get(doc, {}).get("records", []))
        m = sum(min(n, kb[k]) for k, n in ka.items())
        a, b = sum(ka.values()), sum(kb.values())
        ra_t += a; rb_t += b; m_t += m
        print("| %s | %d | %d | %d | %s | %s | %s |"
              % (doc[:3], a, b, m, fmt(m / a) if a else "–", fmt(m / b) if b else "–", fmt(f1(m, a, b))))
    print("| **all** | %d | %d | %d | %s | %s | %s |"
          % (ra_t, rb_t, m_t, fmt(m_t / ra_t) if ra_t else "–", fmt(m_t / rb_t) if rb_t else "–",
             fmt(f1(m_t, ra_t, rb_t))))


if __name__ == "__main__":
    main()
