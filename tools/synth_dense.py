"""Generator: a dense operation's release, as an Information Operations CSV (no app, minute times).

Releases of state-run operations are dense by nature: a few hundred accounts, each in hundreds or
thousands of campaigns over months. This writes one: teams of accounts (activity skewed, a core
posting most), each team copy-pasting many headlines a day (a tag, the headline, a link of each
post's own, spread over minutes to hours), retweeting its amplifiers' posts within minutes, dripping
a few slogans over weeks, and posting texts of its own between. Rows are written as they are made,
so any size fits in memory. The model is the benchmark's, not a detector's truth: `make bench`
uses it to measure cost where every model that pairs campaigns through accounts is at its worst.
"""

from __future__ import annotations

import csv
import gzip
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tools.synth import IO_COLUMNS, TWEPOCH_MS, hashed

TEAMS = (("right", "en", 0.45), ("left", "en", 0.3), ("ru", "ru", 0.25))
TAGS = ["BREAKING:", "#news", "WATCH:", "#politics", "►", "JUST IN:"]
LINK_LETTERS = "abcdefghijkmnpqrstuvwxyz0123456789"
Drips = dict[str, list[tuple[str, list["Member"]]]]
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "gi", "be", "fu", "ha", "jo"]


@dataclass
class Member:
    """One account of the operation."""

    user_id: str
    screen_name: str
    team: str
    language: str
    weight: float  # share of the team's posting this account does (Pareto-skewed)
    created: str


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def headline(rng: random.Random) -> str:
    """A headline of its own words: two headlines never read as near-duplicates."""
    return " ".join(word(rng) for _ in range(rng.randint(8, 14))).capitalize()


class Release:
    """The writer: accounts, a clock of tweet ids, and the CSV sink."""

    def __init__(self, sink: Any, rng: random.Random, accounts: int, start: datetime) -> None:
        self.sink = sink
        self.rng = rng
        self.start = start
        self.rows = 0
        self.sequence = 0
        self.teams: dict[str, list[Member]] = {}
        for name, language, share in TEAMS:
            size = max(10, round(accounts * share))
            self.teams[name] = [
                Member(
                    user_id=str(10**9 + len(self.teams) * 100_000 + i),
                    screen_name=f"{name}_{word(rng)}{i}",
                    team=name,
                    language=language,
                    weight=rng.paretovariate(1.2),
                    created=(start - timedelta(days=rng.randint(30, 900))).strftime("%Y-%m-%d"),
                )
                for i in range(size)
            ]

    def tweet_id(self, when: datetime) -> str:
        """A snowflake id of `when`, unique: the low 22 bits count every post (minute times put
        thousands of posts in one millisecond)."""
        self.sequence = (self.sequence + 1) % (1 << 22)
        ms = int(when.timestamp() * 1000) - TWEPOCH_MS
        return str((ms << 22) | self.sequence)

    def post(self, who: Member, when: datetime, text: str, retweet: tuple[Member, str] | None = None) -> str:
        tweet_id = self.tweet_id(when)
        urls = [w for w in text.split() if w.startswith("https://")]
        tags = [w for w in text.split() if w.startswith("#")]
        self.sink.writerow(
            [
                tweet_id,
                hashed(who.user_id),
                who.screen_name,
                who.screen_name,
                "",
                "",
                "",
                self.rng.randint(50, 5000),
                self.rng.randint(50, 3000),
                who.created,
                who.language,
                who.language,
                text,
                when.strftime("%Y-%m-%d %H:%M"),
                "",
                "",
                "",
                "",
                "True" if retweet else "False",
                hashed(retweet[0].user_id) if retweet else "",
                retweet[1] if retweet else "",
                "absent",
                "absent",
                0,
                0,
                0,
                0,
                "[" + ", ".join(f"'{t[1:]}'" for t in tags) + "]" if tags else "",
                "[" + ", ".join(f"'{u}'" for u in urls) + "]" if urls else "",
                "",
                "",
            ]
        )
        self.rows += 1
        return tweet_id

    def crew(self, team: str, n: int) -> list[Member]:
        """`n` distinct accounts of a team, the busiest most likely."""
        members = self.teams[team]
        n = min(n, len(members))
        chosen: dict[str, Member] = {}
        while len(chosen) < n:
            member = self.rng.choices(members, weights=[m.weight for m in members])[0]
            chosen[member.user_id] = member
        return list(chosen.values())

    def link(self) -> str:
        return "https://t.co/" + "".join(self.rng.choice(LINK_LETTERS) for _ in range(10))


def day_of(release: Release, day: int, per_day: int, drips: Drips) -> None:
    """One day of the operation: about `per_day` tweets (45% headlines, 35% retweets, 20% own)."""
    rng = release.rng
    midnight = release.start + timedelta(days=day)
    budget = per_day
    while budget > 0:
        team = rng.choices([t for t, _, _ in TEAMS], weights=[s for _, _, s in TEAMS])[0]
        at = midnight + timedelta(minutes=rng.randint(0, 1439))
        kind = rng.random()
        if kind < 0.45:  # a headline pushed by a crew, each post with its own link
            text = headline(rng)
            tag = rng.choice(TAGS)
            spread = rng.choice([5, 30, 120])
            crew = release.crew(team, int(rng.paretovariate(1.5) * 6) + 3)
            for member in crew:
                when = at + timedelta(minutes=rng.randint(0, spread))
                release.post(member, when, f"{tag} {text} {release.link()}")
            budget -= len(crew)
        elif kind < 0.80:  # an amplifier's post retweeted within minutes
            author = release.crew(team, 1)[0]
            text = f"{headline(rng)} #{word(rng)}"
            original = release.post(author, at, text)
            crew = release.crew(team, int(rng.paretovariate(1.5) * 5) + 3)
            for member in crew:
                if member is author:
                    continue
                when = at + timedelta(minutes=rng.randint(0, 15))
                release.post(member, when, f"RT @{author.screen_name}: {text}"[:280], (author, original))
            budget -= len(crew) + 1
        elif kind < 0.82:  # a slogan dripped over weeks by the same few accounts
            slogans = drips.setdefault(team, [])
            if not slogans or rng.random() < 0.1:
                slogans.append((f"{headline(rng)} #{word(rng)}", release.crew(team, rng.randint(4, 12))))
            text, crew = rng.choice(slogans[-5:])
            for member in rng.sample(crew, k=max(1, len(crew) // 3)):
                release.post(member, at + timedelta(minutes=rng.randint(0, 600)), text)
                budget -= 1
        else:  # a text of the account's own
            release.post(release.crew(team, 1)[0], at, headline(rng))
            budget -= 1


def generate_dense(out: Path, tweets: int, accounts: int = 650, days: int = 120, seed: int = 7) -> int:
    """Write a dense release of about `tweets` tweets to `out` (gzip'd CSV); return its row count."""
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", newline="") as stream:
        sink = csv.writer(stream)
        sink.writerow(IO_COLUMNS)
        release = Release(sink, rng, accounts, datetime(2017, 6, 1))
        drips: Drips = {}
        per_day = max(1, tweets // days)
        for day in range(days):
            day_of(release, day, per_day, drips)
    return release.rows
