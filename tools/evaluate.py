"""Detection scored against the generator's ground truth: campaign recall, party accuracy,
tweet-level precision/recall/F1, how much of each organic look-alike gets flagged, and the margin
between the lowest-scoring true campaign and the highest-scoring look-alike; each on the archive
as generated and on its app-blind variant (no posting app in any format)."""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from chorus.config import Settings

FOUND_SHARE = 0.9
VARIANTS = {"with app": False, "app-blind": True}
# Kinds run by a group of accounts of their own (an operation's team, a farm): for these, how many
# of the accounts that take part in campaigns end up in automated ones.
TEAM_KINDS = ("sockpuppet", "headline_botnet", "rt_group", "link_blast", "reply_spam")
# Kinds whose only evidence is the posting app: one message, once, through established supporters.
# In an archive without the app nothing tells them from an organic crowd (by design, see README).
APP_ONLY_KINDS = ("burst", "small", "template", "rt_storm")
# Look-alikes that are coordination but not automation (elected members' talking points, a caucus
# retweet push): they must never be automated, and may be overt or coordinated, so they are left
# out of the "anything but organic" figure.
OVERT_KINDS = ("talking_points", "caucus_rt")


@dataclass
class CaseScore:
    """How one true campaign or look-alike came out."""

    id: str
    kind: str
    party: str | None
    tweets: int
    flagged_share: float
    found_party: str | None
    score: float  # the score of the campaign holding most of its tweets (0 when none does)
    not_organic_share: float = 0.0  # share of its tweets in campaigns whose verdict is not organic

    @property
    def found(self) -> bool:
        return self.flagged_share >= FOUND_SHARE

    @property
    def flagged_any(self) -> bool:
        """Flagged with any verdict but organic (automated, coordinated or overt)."""
        return self.not_organic_share >= FOUND_SHARE

    @property
    def party_right(self) -> bool:
        return self.found_party == self.party


@dataclass
class Evaluation:
    """Every figure of one archive's evaluation."""

    campaigns: list[CaseScore] = field(default_factory=list)
    lookalikes: list[CaseScore] = field(default_factory=list)
    precision: float = 0.0
    recall: float = 0.0
    team_accounts: dict[str, float] = field(default_factory=dict)
    f1_beyond_app: float = 0.0  # tweet F1 leaving out the app-only kinds' tweets

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def campaign_recall(self) -> float:
        return sum(c.found for c in self.campaigns) / max(1, len(self.campaigns))

    @property
    def campaign_recall_not_organic(self) -> float:
        return sum(c.flagged_any for c in self.campaigns) / max(1, len(self.campaigns))

    @property
    def lookalikes_not_organic(self) -> dict[str, float]:
        """The worst share of each look-alike kind given any verdict but organic (overt party
        messaging aside: acting together is what it does)."""
        worst: dict[str, float] = {}
        for case in self.lookalikes:
            if case.kind in OVERT_KINDS:
                continue
            worst[case.kind] = max(worst.get(case.kind, 0.0), case.not_organic_share)
        return worst

    @property
    def party_accuracy(self) -> float:
        return sum(c.party_right for c in self.campaigns) / max(1, len(self.campaigns))

    @property
    def lookalikes_flagged(self) -> dict[str, float]:
        """The worst flagged share of each look-alike kind."""
        worst: dict[str, float] = {}
        for case in self.lookalikes:
            worst[case.kind] = max(worst.get(case.kind, 0.0), case.flagged_share)
        return worst

    @property
    def lowest_true(self) -> CaseScore | None:
        return min(self.campaigns, key=lambda c: c.score, default=None)

    @property
    def highest_lookalike(self) -> CaseScore | None:
        return max(self.lookalikes, key=lambda c: c.score, default=None)

    @property
    def margin(self) -> float:
        """Lowest true campaign's score minus the highest look-alike's (wider is safer)."""
        low, high = self.lowest_true, self.highest_lookalike
        return (low.score if low else 1.0) - (high.score if high else 0.0)

    def summary(self) -> dict[str, Any]:
        low, high = self.lowest_true, self.highest_lookalike
        return {
            "campaign_recall": round(self.campaign_recall, 4),
            "campaign_recall_not_organic": round(self.campaign_recall_not_organic, 4),
            "party_accuracy": round(self.party_accuracy, 4),
            "tweet_precision": round(self.precision, 4),
            "tweet_recall": round(self.recall, 4),
            "tweet_f1": round(self.f1, 4),
            "tweet_f1_beyond_app_only_kinds": round(self.f1_beyond_app, 4),
            "lookalikes_flagged": {k: round(v, 4) for k, v in self.lookalikes_flagged.items()},
            "lookalikes_not_organic": {k: round(v, 4) for k, v in self.lookalikes_not_organic.items() if v},
            "margin": round(self.margin, 4),
            "team_accounts_automated": {k: round(v, 4) for k, v in self.team_accounts.items()},
            "lowest_true": f"{low.id} {low.score:.3f}" if low else None,
            "highest_lookalike": f"{high.id} {high.score:.3f}" if high else None,
            "missed": [f"{c.id} ({c.flagged_share:.0%})" for c in self.campaigns if not c.found],
            "wrong_party": [
                f"{c.id}: {c.found_party} not {c.party}"
                for c in self.campaigns
                if c.found and not c.party_right
            ],
        }


def case_score(
    case: dict[str, Any],
    deleted: set[str],
    flagged: dict[str, str | None],
    member_of: dict[str, tuple[str, float]],
    not_organic: set[str] | None = None,
) -> CaseScore:
    ids = [i for i in case["tweet_ids"] if i not in deleted]
    hits = [flagged[i] for i in ids if i in flagged]
    party = Counter(hits).most_common(1)[0][0] if hits else None
    holding = Counter(member_of[i] for i in ids if i in member_of)
    score = holding.most_common(1)[0][0][1] if holding else 0.0
    acted = sum(1 for i in ids if i in (not_organic or set())) / max(1, len(ids))
    return CaseScore(
        case["id"], case["kind"], case["party"], len(ids), len(hits) / max(1, len(ids)), party, score, acted
    )


def evaluate(warehouse: Path, truth: dict[str, Any]) -> Evaluation:
    """Score the published warehouse against a truth file written by `python -m tools synth`."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """select ct.tweet_id, c.campaign_id, c.amplification_score, c.is_automated, c.party
               from marts.campaign_tweets ct join marts.campaigns c using (campaign_id)"""
        ).fetchall()
        not_organic = {
            tweet
            for (tweet,) in con.execute(
                """select ct.tweet_id from marts.campaign_tweets ct join marts.campaigns c using (campaign_id)
                   where c.verdict <> 'organic'"""
            ).fetchall()
        }
        authors = dict(con.execute("select tweet_id, user_id from staging.stg_tweets").fetchall())
        in_campaigns = dict(
            con.execute(
                """select ct.user_id, bool_or(c.is_automated) from marts.campaign_tweets ct
                   join marts.campaigns c using (campaign_id) group by 1"""
            ).fetchall()
        )
    flagged = {tweet: party for tweet, _, _, automated, party in rows if automated}
    member_of = {tweet: (campaign, float(score)) for tweet, campaign, score, _, _ in rows}
    deleted = set(truth["deleted"])
    result = Evaluation()
    positives: set[str] = set()
    for case in truth["campaigns"]:
        positives.update(i for i in case["tweet_ids"] if i not in deleted)
        result.campaigns.append(case_score(case, deleted, flagged, member_of, not_organic))
    for case in truth["lookalikes"]:
        result.lookalikes.append(case_score(case, deleted, flagged, member_of, not_organic))
    for kind in TEAM_KINDS:
        accounts = {authors.get(i) for c in truth["campaigns"] if c["kind"] == kind for i in c["tweet_ids"]}
        taking_part = [a for a in accounts if a in in_campaigns]
        if taking_part:
            result.team_accounts[kind] = sum(in_campaigns[a] for a in taking_part) / len(taking_part)
    true_positive = len(positives & flagged.keys())
    result.precision = true_positive / max(1, len(flagged))
    result.recall = true_positive / max(1, len(positives))
    app_only = {i for c in truth["campaigns"] if c["kind"] in APP_ONLY_KINDS for i in c["tweet_ids"]}
    result.f1_beyond_app = f1(positives - app_only, flagged.keys() - app_only)
    return result


def f1(positives: set[str], flagged: set[str]) -> float:
    hits = len(positives & flagged)
    precision, recall = hits / max(1, len(flagged)), hits / max(1, len(positives))
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate_seeds(
    seeds: list[int],
    days: int = 10,
    formats: list[str] | None = None,
    work: Path | None = None,
    app_blind: bool = False,
) -> dict[int, Evaluation]:
    """Generate one archive per seed, run the whole pipeline on it, and score it."""
    from chorus.pipeline import run
    from tools.synth import make_world, write_archive

    root = work or Path(tempfile.mkdtemp(prefix="chorus-eval-"))
    results = {}
    variant = "blind" if app_blind else "app"
    for seed in seeds:
        data = root / f"seed-{seed}-{variant}"
        truth = write_archive(make_world(seed, days=days), data, seed, formats, app_blind=app_blind)
        settings = Settings.make(root / f"home-{seed}-{variant}")
        run([data / "archive"], settings, progress=False)
        results[seed] = evaluate(settings.warehouse, truth)
    return results


def by_kind(cases: list[CaseScore]) -> dict[str, list[CaseScore]]:
    kinds: dict[str, list[CaseScore]] = defaultdict(list)
    for case in cases:
        kinds[case.kind].append(case)
    return dict(sorted(kinds.items()))


def main(seeds: list[int], days: int, formats: list[str] | None) -> int:
    """Print every seed's figures per variant, the per-kind detail, and the worst over seeds."""
    worst: dict[str, dict[str, float]] = {}
    for variant, blind in VARIANTS.items():
        results = evaluate_seeds(seeds, days, formats, app_blind=blind)
        for seed, evaluation in results.items():
            print(f"[{variant}] seed {seed}: {json.dumps(evaluation.summary(), ensure_ascii=False)}")
            for kind, cases in by_kind(evaluation.campaigns).items():
                found = sum(c.found for c in cases)
                print(
                    f"  {kind:<16} found {found}/{len(cases)}, lowest score {min(c.score for c in cases):.3f}"
                )
            for kind, cases in by_kind(evaluation.lookalikes).items():
                flagged, highest = max(c.flagged_share for c in cases), max(c.score for c in cases)
                print(f"  {kind:<16} look-alike: flagged {flagged:.0%}, highest score {highest:.3f}")
        worst[variant] = {
            "campaign_recall": min(e.campaign_recall for e in results.values()),
            "campaign_recall_not_organic": min(e.campaign_recall_not_organic for e in results.values()),
            "party_accuracy": min(e.party_accuracy for e in results.values()),
            "tweet_f1": min(e.f1 for e in results.values()),
            "tweet_f1_beyond_app_only_kinds": min(e.f1_beyond_app for e in results.values()),
            "lookalike_flagged": max(max(e.lookalikes_flagged.values(), default=0) for e in results.values()),
            "lookalike_not_organic": max(
                max(e.lookalikes_not_organic.values(), default=0) for e in results.values()
            ),
            "margin": min(e.margin for e in results.values()),
        }
    for variant, figures in worst.items():
        print(f"worst over seeds [{variant}]:", json.dumps({k: round(v, 4) for k, v in figures.items()}))
    return 0
