"""Score a redactor on a labelled corpus: leaks, over-redaction, tag recall and precision.

    python -m benchmarks.evaluation.evaluate [--events N] [--seed S] [--corpus FILE.jsonl]
                                             [--json PATH] [--markdown] [--examples K]

What counts (the output is rendered as JSON, ``ensure_ascii=False``):

* a **leak**: a planted value still present in the output, compared case-insensitively
  in any of its forms: as written; for numbers its digits with the separators
  between them removed (``161175 19997`` -> ``16117519997``, a phone's 8 national
  digits); an IBAN or document number compacted; for names each word of 4 or more
  letters, for addresses the street's name, for e-mails the local part. A form
  that also occurs in the input outside the planted values is not judged.
* **over-redaction**: a look-alike that occurs fewer times, as a whole word, in the
  output than in the input outside the planted values (changed, masked or dropped).
* **tag recall**: a planted value counts as tagged when every category its context
  calls for is in ``pii_categories``; per category, each required (event,
  category) pair found.
* **tag precision**: tags in ``pii_categories`` that are neither required nor
  allowed for the event are false tags.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: python benchmarks/evaluation/evaluate.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "benchmarks.evaluation"

from .corpus import KINDS, Case, escaped, generate, load, render, validate  # noqa: E402
from .values import TOWNS  # noqa: E402

Redact = Callable[[dict[str, Any]], dict[str, Any]]
_SEPARATED_DIGITS = re.compile(r"(?<=\d)[\s\-\u2013./()]+(?=\d)")
_SEPARATED_ALNUM = re.compile(r"(?<=[0-9a-z])[\s\-\u2013]+(?=[0-9a-z])")
_GENERIC = {"iela", "ielā", "ielu", "dambis", "gatve", "prospekts", "mrs.", "mr."} | {
    w.casefold() for t in TOWNS for w in t[:2]}
NUMERIC = {"personal_code", "phone", "card", "iban", "date_of_birth", "document", "otp"}


def digits(text: str) -> str:
    return _SEPARATED_DIGITS.sub("", text)


def alnum(text: str) -> str:
    return _SEPARATED_ALNUM.sub("", text)


def forms(kind: str, value: str) -> list[tuple[str, str]]:
    """``(mode, form)`` pairs that reveal the value; mode is text, word, digits or alnum (all casefolded)."""
    v = escaped(value).casefold()
    out = [("word" if kind in ("ip", "otp", "username", "password") else "text", v)]
    only_digits = re.sub(r"\D", "", value)
    if kind == "phone":
        out.append(("digits", only_digits[-8:]))
    elif kind in ("personal_code", "card", "date_of_birth") and len(only_digits) >= 8:
        out.append(("digits", only_digits))
    elif kind in ("iban", "document"):
        out.append(("alnum", re.sub(r"[\s\-\u2013]", "", v)))
    elif kind == "email":
        local = v.split("@")[0].split("+")[0]
        if len(local) >= 4:
            out.append(("word", local))
    elif kind in ("name", "address"):
        for word in re.findall(r"[^\W\d_][\w'’]*", value):
            if len(word) >= 4 and word.casefold() not in _GENERIC and (kind == "name" or not word.isupper()):
                out.append(("word", escaped(word).casefold()))
    return list(dict.fromkeys(out))


class Text:
    """A rendering in the normal forms the checks need."""

    def __init__(self, rendered: str) -> None:
        self.raw = rendered
        self.text = rendered.casefold()
        self.digits = digits(self.text)
        self.alnum = alnum(self.text)

    def has(self, mode: str, form: str) -> bool:
        if mode == "word":
            return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", self.text) is not None
        return form in {"text": self.text, "digits": self.digits, "alnum": self.alnum}[mode]

    def where(self, mode: str, form: str, width: int = 70) -> str:
        text = {"digits": digits(self.raw), "alnum": alnum(self.raw)}.get(mode, self.raw)
        i = max(text.casefold().find(form), 0)
        return text[max(0, i - width): i + len(form) + width]


def count_word(text: str, value: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(escaped(value))}(?!\w)", text))


def score(cases: Iterable[Case], redact: Redact, examples: int = 10) -> dict[str, Any]:
    """Run ``redact`` on a copy of every case's event and count what went wrong."""
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    look_kind: dict[str, Counter[str]] = defaultdict(Counter)
    by_cat: dict[int, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    leak_examples: list[dict[str, Any]] = []
    over_examples: list[dict[str, Any]] = []
    false_tag_examples: list[dict[str, Any]] = []
    for case in cases:
        validate(case)
        totals["events"] += 1
        totals["events_with_personal_data"] += bool(case["planted"])
        try:
            out = redact(copy.deepcopy(case["event"]))
        except Exception as exc:  # a crash is scored as an empty output, and counted
            totals["errors"] += 1
            out = {"pii_error": type(exc).__name__}
        tags = set(out.get("pii_categories") or []) if isinstance(out, dict) else set()
        rendered_in = render(case["event"])
        rest = rendered_in
        for p in sorted(case["planted"], key=lambda p: -len(p["value"])):
            rest = rest.replace(escaped(p["value"]), "\x00")
        before, after = Text(rest), Text(render(out))
        case_leaked = False
        for p in case["planted"]:
            c = by_kind[p["kind"]]
            c["planted"] += 1
            hit = next(((m, f) for m, f in forms(p["kind"], p["value"])
                        if not before.has(m, f) and after.has(m, f)), None)
            if hit:
                c["leaked"] += 1
                case_leaked = True
                if len(leak_examples) < examples and not any(e["kind"] == p["kind"] for e in leak_examples[-3:]):
                    leak_examples.append({"id": case["id"], "kind": p["kind"], "value": p["value"], "form": hit[1],
                                          "output": after.where(*hit)})
            if set(p["categories"]) <= tags:
                c["tagged"] += 1
        totals["events_leaking"] += case_leaked
        rest_raw = rest
        out_raw = render(out)
        case_over = False
        for look in case["lookalikes"]:
            c = look_kind[look["kind"]]
            c["count"] += 1
            if count_word(out_raw, look["value"]) < count_word(rest_raw, look["value"]):
                c["changed"] += 1
                case_over = True
                if len(over_examples) < examples and not any(e["kind"] == look["kind"] for e in over_examples[-3:]):
                    over_examples.append({"id": case["id"], "kind": look["kind"], "value": look["value"],
                                          "output": _field_with(out, case["event"], look["value"])})
        totals["events_over_redacted"] += case_over
        required, allowed = set(case["categories"]), set(case["allowed"])
        for cat in required:
            by_cat[cat]["required"] += 1
            by_cat[cat]["found"] += cat in tags
        false = tags - required - allowed
        for cat in tags:
            by_cat[cat]["tagged"] += 1
            by_cat[cat]["false"] += cat in false
        totals["tags"] += len(tags)
        totals["false_tags"] += len(false)
        totals["events_false_tagged"] += bool(false)
        if false and len(false_tag_examples) < examples:
            false_tag_examples.append({"id": case["id"], "event": case["event"].get("event"), "expected": sorted(required),
                                       "allowed": sorted(allowed), "got": sorted(tags), "false": sorted(false)})
    planted = sum(c["planted"] for c in by_kind.values())
    looks = sum(c["count"] for c in look_kind.values())
    req = sum(c["required"] for c in by_cat.values())
    summary = {
        **totals,
        "planted": planted, "leaked": sum(c["leaked"] for c in by_kind.values()),
        "lookalikes": looks, "over_redacted": sum(c["changed"] for c in look_kind.values()),
        "tag_required": req, "tag_found": sum(c["found"] for c in by_cat.values()),
    }
    summary["leak_rate"] = _rate(summary["leaked"], planted)
    summary["over_redaction_rate"] = _rate(summary["over_redacted"], looks)
    summary["tag_recall"] = _rate(summary["tag_found"], req)
    summary["tag_precision"] = _rate(totals["tags"] - totals["false_tags"], totals["tags"])
    return {
        "summary": summary,
        "kinds": {k: {"planted": 0, "leaked": 0, "tagged": 0, **by_kind[k], "leak_rate": _rate(by_kind[k]["leaked"], by_kind[k]["planted"]),
                      "tag_recall": _rate(by_kind[k]["tagged"], by_kind[k]["planted"])}
                  for k in KINDS if k in by_kind},
        "lookalikes": {k: {"count": 0, "changed": 0, **c, "rate": _rate(c["changed"], c["count"])} for k, c in sorted(look_kind.items())},
        "categories": {str(k): {**c, "recall": _rate(c["found"], c["required"]) if c["required"] else None}
                       for k, c in sorted(by_cat.items())},
        "examples": {"leaks": leak_examples, "over_redactions": over_examples, "false_tags": false_tag_examples},
    }


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _field_with(out: Any, event: dict[str, Any], value: str) -> str:
    """The input field that held a look-alike and what the output has there."""
    for key, val in event.items():
        if isinstance(val, (str, int, float)) and value in str(val):
            got = out.get(key, "<dropped>") if isinstance(out, dict) else "<dropped>"
            return f"{key}: {str(got)[:240]}"
        if isinstance(val, (dict, list)) and escaped(value) in render(val):
            got = out.get(key, "<dropped>") if isinstance(out, dict) else "<dropped>"
            return f"{key}: {render(got)[:240]}"
    return render(out)[:240]


def _pct(r: float | None) -> str:
    return "–" if r is None else f"{100 * r:.1f} %"


def summary_line(s: dict[str, Any]) -> str:
    return (f"{s['events']} events ({s['events_with_personal_data']} with personal data): "
            f"{s['leaked']}/{s['planted']} planted values leaked ({_pct(s['leak_rate'])}); "
            f"{s['over_redacted']}/{s['lookalikes']} look-alikes changed ({_pct(s['over_redaction_rate'])}); "
            f"tag recall {_pct(s['tag_recall'])}, tag precision {_pct(s['tag_precision'])}"
            + (f"; {s['errors']} errors" if s.get("errors") else ""))


def markdown(result: dict[str, Any]) -> str:
    s = result["summary"]
    lines = [f"**{summary_line(s)}**", "",
             "| Kind | Planted | Leaked | Leak rate | Tagged as expected | Tag recall |", "|---|---:|---:|---:|---:|---:|"]
    for k, c in result["kinds"].items():
        lines.append(f"| {k} | {c['planted']} | {c.get('leaked', 0)} | {_pct(c['leak_rate'])} | "
                     f"{c.get('tagged', 0)} | {_pct(c['tag_recall'])} |")
    lines += ["", "| Look-alike | Count | Changed | Over-redaction rate |", "|---|---:|---:|---:|"]
    for k, c in result["lookalikes"].items():
        lines.append(f"| {k} | {c['count']} | {c.get('changed', 0)} | {_pct(c['rate'])} |")
    lines += ["", "| Category | Required | Found | Recall | Tagged | Not expected |", "|---:|---:|---:|---:|---:|---:|"]
    for k, c in result["categories"].items():
        lines.append(f"| {k} | {c.get('required', 0)} | {c.get('found', 0)} | {_pct(c['recall'])} | "
                     f"{c.get('tagged', 0)} | {c.get('false', 0)} |")
    lines += ["", f"Events: {s['events']}; leaking: {s['events_leaking']}; with a changed look-alike: "
              f"{s['events_over_redacted']}; with an unexpected tag: {s['events_false_tagged']}."]
    return "\n".join(lines) + "\n"


def pii_tagger_redactor() -> Redact:
    from pii_tagger import Hasher, Redactor

    return Redactor(hasher=Hasher({"eval": "evaluation-key-0123456789"})).redact


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.evaluation.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=2000, help="events to generate (default 2000)")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--corpus", help="score a labelled JSON-lines file instead of generating")
    ap.add_argument("--json", metavar="PATH", help="write the full result, examples included, as JSON")
    ap.add_argument("--markdown", action="store_true", help="print the Markdown tables")
    ap.add_argument("--examples", type=int, default=10, help="examples of each failure to keep (default 10)")
    args = ap.parse_args(argv)
    cases = load(args.corpus) if args.corpus else generate(args.events, args.seed)
    result = score(cases, pii_tagger_redactor(), examples=args.examples)
    result["corpus"] = {"file": args.corpus} if args.corpus else {"events": args.events, "seed": args.seed}
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(markdown(result) if args.markdown else summary_line(result["summary"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
