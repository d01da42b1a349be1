"""Detection scored against the generator's ground truth: campaign recall, party accuracy,
tweet-level precision/recall/F1, and how much of each organic look-alike gets flagged."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from chorus.config import Settings

FOUND_SHARE = 0.9


@dataclass
class CampaignScore:
    """How one true campaign came out."""

    id: str
    kind: str
    party: str | None
    tweets: int
    flagged_share: float
    found_party: str | None

    @property
    def found(self) -> bool:
        return self.flagged_share >= FOUND_SHARE

    @property
    def party_right(self) -> bool:
        return self.found_party == self.party


@dataclass
class Evaluation:
    """Every figure of one archive's evaluation."""

    campaigns: list[CampaignScore] = field(default_factory=list)
    lookalikes: dict[str, float] = field(default_factory=dict)
    precision: float = 0.0
    recall: float = 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def campaign_recall(self) -> float:
        return sum(c.found for c in self.campaigns) / max(1, len(self.campaigns))

    @property
    def party_accuracy(self) -> float:
        return sum(c.party_right for c in self.campaigns) / max(1, len(self.campaigns))

    def summary(self) -> dict[str, Any]:
        return {
            "campaign_recall": round(self.campaign_recall, 4),
            "party_accuracy": round(self.party_accuracy, 4),
            "tweet_precision": round(self.precision, 4),
            "tweet_recall": round(self.recall, 4),
            "tweet_f1": round(self.f1, 4),
            "lookalikes_flagged": {k: round(v, 4) for k, v in self.lookalikes.items()},
            "missed": [f"{c.id} ({c.flagged_share:.0%})" for c in self.campaigns if not c.found],
            "wrong_party": [
                f"{c.id}: {c.found_party} not {c.party}"
                for c in self.campaigns
                if c.found and not c.party_right
            ],
        }


def evaluate(warehouse: Path, truth: dict[str, Any]) -> Evaluation:
    """Score the published warehouse against a truth file written by `chorus synth`."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        flagged: dict[str, str | None] = dict(
            con.execute("""
            select ct.tweet_id, c.party from marts.campaign_tweets ct
            join marts.campaigns c using (campaign_id) where c.is_automated""").fetchall()
        )
    deleted = set(truth["deleted"])
    result = Evaluation()
    positives: set[str] = set()
    for case in truth["campaigns"]:
        ids = [i for i in case["tweet_ids"] if i not in deleted]
        positives.update(ids)
        hits = [flagged[i] for i in ids if i in flagged]
        party = Counter(hits).most_common(1)[0][0] if hits else None
        result.campaigns.append(
            CampaignScore(
                case["id"], case["kind"], case["party"], len(ids), len(hits) / max(1, len(ids)), party
            )
        )
    for case in truth["lookalikes"]:
        ids = [i for i in case["tweet_ids"] if i not in deleted]
        share = sum(1 for i in ids if i in flagged) / max(1, len(ids))
        result.lookalikes[case["kind"]] = max(result.lookalikes.get(case["kind"], 0.0), share)
    true_positive = len(positives & flagged.keys())
    result.precision = true_positive / max(1, len(flagged))
    result.recall = true_positive / max(1, len(positives))
    return result


def evaluate_seeds(
    seeds: list[int], days: int = 10, formats: list[str] | None = None, work: Path | None = None
) -> dict[int, Evaluation]:
    """Generate one archive per seed, run the whole pipeline on it, and score it."""
    from chorus.pipeline import run
    from chorus.synth import generate

    root = work or Path(tempfile.mkdtemp(prefix="chorus-eval-"))
    results = {}
    for seed in seeds:
        data = root / f"seed-{seed}"
        truth = generate(data, seed=seed, days=days, formats=formats)
        settings = Settings.make(root / f"home-{seed}")
        run([data / "archive"], settings, progress=False)
        results[seed] = evaluate(settings.warehouse, truth)
    return results


def main(seeds: list[int], days: int, formats: list[str] | None) -> int:
    results = evaluate_seeds(seeds, days, formats)
    for seed, evaluation in results.items():
        print(f"seed {seed}: {json.dumps(evaluation.summary(), ensure_ascii=False)}")
        kinds: dict[str, list[CampaignScore]] = {}
        for c in evaluation.campaigns:
            kinds.setdefault(c.kind, []).append(c)
        for kind, cases in sorted(kinds.items()):
            shares = ", ".join(f"{c.flagged_share:.0%}{'' if c.party_right else ' (party!)'}" for c in cases)
            print(f"  {kind:<10} {shares}")
    worst = {
        "campaign_recall": min(e.campaign_recall for e in results.values()),
        "party_accuracy": min(e.party_accuracy for e in results.values()),
        "tweet_f1": min(e.f1 for e in results.values()),
        "lookalike_flagged": max(max(e.lookalikes.values(), default=0) for e in results.values()),
    }
    print("worst over seeds:", json.dumps({k: round(v, 4) for k, v in worst.items()}))
    return 0
