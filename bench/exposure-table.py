#!/usr/bin/env python3
"""Writes docs/exposure.md from a finished exposure sweep (see bench/exposure.sh).

For each group of the sweep (teacher, scheduled, professor) it reads every seed's last evaluation
record in metrics.jsonl and tabulates the mean and the sample standard deviation over the seeds,
then adds the final 1,000-character sample of each group's first seed from samples.txt. A last row
measures real text the same way: 2,000-character slices of the validation file (every 20,000th
character), their 4-gram repetition and their novelty against the training file.

    bench/exposure-table.py SWEEP_FOLDER[:SWEEP_FOLDER...] OUT.md "COMMAND" PTB_CHAR_FOLDER
"""
import json
import os
import statistics
import sys

COLUMNS = [
    ("val_bpc", "val bpc", 3),
    ("val_hidden_mmd", "hidden MMD²", 4),
    ("val_hidden_frechet", "hidden Fréchet²", 2),
    ("repetition", "repetition (4-grams)", 3),
    ("novelty", "novelty (4-grams)", 3),
]


def evals(run):
    """Every evaluation record of the run, by step."""
    with open(os.path.join(run, "metrics.jsonl"), encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if '"kind":"eval"' in line.replace(" ", "")]
    return {r["step"]: r for r in records}


# evaluation steps at which every run of these sweeps had been evaluated
MATCHED_STEPS = [1000, 1500, 2000]


def last_eval(run):
    records = []
    with open(os.path.join(run, "metrics.jsonl"), encoding="utf-8") as lines:
        for line in lines:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # a line torn by a kill
    evals = [r for r in records if r.get("kind") == "eval"]
    steps = [r for r in records if r.get("kind") == "train"]
    if not evals:
        sys.exit(f"exposure-table: {run} has no evaluation record")
    return evals[-1], steps


def gated_in(steps):
    """Professor Forcing: the share of its adversarial steps that took the generator's term (the log
    intervals' g_gate, weighted by their d_steps); None for the other modes."""
    phases = [(r["g_gate"], r.get("d_steps", 1)) for r in steps if "g_gate" in r]
    total = sum(n for _, n in phases)
    return sum(g * n for g, n in phases) / total if total else None


def free_running(run):
    """How the run's free runs (and its diagnostics) chose their inputs: sample or greedy."""
    with open(os.path.join(run, "config.json"), encoding="utf-8") as config:
        return json.load(config)["exposure"]["free-running"]


def last_sample(run):
    with open(os.path.join(run, "samples.txt"), encoding="utf-8") as text:
        parts = text.read().split("--- step ")
    return parts[-1].split("---\n", 1)[1].rstrip("\n") if len(parts) > 1 else ""


def ptb_text(path):
    """A ptb-char file as plain text, as `--format ptb-char` reads it."""
    with open(path, encoding="utf-8") as text:
        return "".join(" " if t == "_" else t for t in text.read().split(" ") if t)


def reference(folder, n=4, length=2000, every=20000):
    train = ptb_text(os.path.join(folder, "ptb.char.train.txt"))
    valid = ptb_text(os.path.join(folder, "ptb.char.valid.txt"))
    seen = {train[i:i + n] for i in range(len(train) - n + 1)}
    repetition, novelty = [], []
    for start in range(0, len(valid) - length, every):
        grams = [valid[start + i:start + i + n] for i in range(length - n + 1)]
        repetition.append(1 - len(set(grams)) / len(grams))
        novelty.append(sum(g not in seen for g in grams) / len(grams))
    return repetition, novelty


def kept_findings(out):
    """The hand-written "What the numbers say" section of an earlier OUT.md, to carry over (check it
    against the new numbers)."""
    if not os.path.exists(out):
        return ""
    with open(out, encoding="utf-8") as doc:
        text = doc.read()
    start, end = text.find("## What the numbers say"), text.find("## Samples")
    return text[start:end] if 0 <= start < end else ""


def spread(values, digits):
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


def main(folders, out, command, ptb):
    groups = {}
    for folder in folders.split(":"):
        with open(os.path.join(folder, "sweep.json"), encoding="utf-8") as plan:
            for member in json.load(plan)["runs"]:
                member["path"] = os.path.join(folder, member["path"])
                groups.setdefault(member["group"], []).append(member)
    rows, samples, matched = [], [], []
    for group, runs in groups.items():
        runs.sort(key=lambda m: m["seed"])
        results = [last_eval(m["path"]) for m in runs]
        cells = [spread([r[0][key] for r in results], digits) for key, _, digits in COLUMNS]
        steps = spread([r[0]["step"] for r in results], 0)
        shares = [gated_in(r[1]) for r in results]
        gate = "–" if None in shares else spread(shares, 2)
        per_seed = ", ".join(f"{r[0]['val_bpc']:.3f}" for r in results)
        free = free_running(runs[0]["path"])
        rows.append(f"| {group} | {free} | {len(runs)} | {' | '.join(cells)} | {steps} | {gate} | {per_seed} |")
        samples.append((group, runs[0]["seed"], last_sample(runs[0]["path"])))
        histories = [evals(m["path"]) for m in runs]
        cells = []
        for step in MATCHED_STEPS:
            at = [h[step] for h in histories if step in h]
            cells.append("–" if len(at) < len(runs) else
                         f"{statistics.fmean(r['val_bpc'] for r in at):.3f} / "
                         f"{statistics.fmean(r['val_hidden_frechet'] for r in at):.2f}")
        matched.append(f"| {group} | {' | '.join(cells)} |")
    repetition, novelty = reference(ptb)
    rows.append(f"| validation text ({len(repetition)} slices) | – | – | – | – | – | {spread(repetition, 3)} | "
                f"{spread(novelty, 3)} | – | – | – |")
    header = " | ".join(title for _, title, _ in COLUMNS)
    findings = kept_findings(out)
    with open(out, "w", encoding="utf-8") as doc:
        doc.write("# Teacher forcing, scheduled sampling and Professor Forcing on ptb_char\n\n")
        names = [f"`docs/sweeps/{os.path.basename(f.rstrip('/'))}.json`" for f in folders.split(":")]
        sweeps = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        doc.write("Written by `bench/exposure-table.py` from the sweeps the command below ran "
                  f"({sweeps}).\n\n```bash\n" + command + "\n```\n\n")
        doc.write("Mean ± sample standard deviation over the seeds, at each run's final evaluation: "
                  "val bpc on the whole validation file, teacher-forced; the hidden-state distances "
                  "between teacher-forced and free-running top-layer states over the first 4 "
                  "validation windows, the free runs chosen as the \"free runs\" column says (so the "
                  "distances compare only between rows with the same choice); repetition and novelty "
                  "of a 2,000-character sample at temperature 1. Every run had the same wall-clock "
                  "budget, so the slower modes took fewer steps.\n\n")
        doc.write(f"| exposure | free runs | seeds | {header} | steps | adversarial steps gated in | "
                  "val bpc per seed |\n")
        doc.write("|---|---|---:|" + "---:|" * (len(COLUMNS) + 3) + "\n")
        doc.write("\n".join(rows) + "\n\n")
        doc.write("The same step for step: mean over the seeds of val bpc / hidden Fréchet² at the "
                  "evaluations every run reached. The Fréchet distance grows as a model trains (its "
                  "states spread out), so a run that took fewer steps also reads lower at its end; "
                  "here the modes are compared at equal steps. Equal steps are not equal learning rates: "
                  "the cosine schedule spans each run's own time budget, so a slower run's rate is "
                  "lower at the same step.\n\n")
        doc.write("| exposure | " + " | ".join(f"step {s:,}" for s in MATCHED_STEPS) + " |\n")
        doc.write("|---|" + "---:|" * len(MATCHED_STEPS) + "\n")
        doc.write("\n".join(matched) + "\n\n")
        doc.write(findings)
        doc.write("## Samples\n\nThe final evaluation's sample of each mode's first seed (temperature 0.8, "
                  "1,000 characters after a newline).\n")
        for group, seed, text in samples:
            doc.write(f"\n### {group} (seed {seed})\n\n```text\n{text}\n```\n")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
