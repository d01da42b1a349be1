"""Deterministic generator of realistic tweet archives with known campaigns.

It writes Twitter API v1.1 JSON lines (one gzip file per day, REST `full_text` or streaming
`text` + `extended_tweet`), with organic traffic, automated campaigns of several kinds, organic
look-alikes that must not be flagged, stream notices, and a ground-truth file (`truth.json`).
The party world (accounts, hashtags, domains, apps) comes from a party reference CSV, so the
same generator serves any reference.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import html
import io
import json
import random
import string
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypedDict

from chorus.config import DEFAULT_PARTIES

TWEPOCH_MS = 1288834974657
V1_TIME = "%a %b %d %H:%M:%S +0000 %Y"

MANUAL_CLIENTS = [
    ("Twitter for iPhone", "http://twitter.com/download/iphone", 30),
    ("Twitter for Android", "http://twitter.com/download/android", 25),
    ("Twitter Web Client", "http://twitter.com", 25),
    ("TweetDeck", "http://www.tweetdeck.com", 8),
    ("Twitter for iPad", "http://twitter.com/#!/download/ipad", 5),
    ("Twitter for BlackBerry®", "http://blackberry.com/twitter", 4),
    ("Echofon", "http://www.echofon.com/", 3),
]
# Real third-party clients people type in, which the app catalogue does not list: Chorus must not
# take them for automation just because they are unknown.
THIRD_PARTY_CLIENTS = [
    ("Janetter", "http://janetter.net/"),
    ("Tweetbot for Mac", "http://tapbots.com/tweetbot/mac"),
    ("Hootsuite", "http://www.hootsuite.com"),
    ("Plume\u00a0for\u00a0Android", "http://levelupstudio.com"),
    ("YoruFukurou", "https://sites.google.com/site/yorufukurou/"),
]
SHARE_BUTTONS = [
    ("Tweet Button", "http://twitter.com/tweetbutton"),
    ("WordPress.com", "http://wordpress.com"),
]
GENERIC_APPS = [
    ("twittbot.net", "http://twittbot.net/"),
    ("dlvr.it", "http://dlvr.it"),
    ("Buffer", "http://bufferapp.com"),
    ("IFTTT", "http://ifttt.com"),
    ("RoundTeam", "http://roundteam.co"),
]
SPAM_APPS = [("PromoBlast", "http://promoblast.example"), ("AutoTweetPro", "http://atp.example")]
NEWS_DOMAINS = ["lemonde.fr", "liberation.fr", "lefigaro.fr", "francetvinfo.fr", "20minutes.fr"]
SPAM_DOMAINS = ["bit-promo.example", "gagnez-vite.example", "super-deal.example"]

SUBJECTS = [
    "le candidat",
    "notre équipe",
    "la gauche",
    "la droite",
    "le gouvernement",
    "ce projet",
    "la jeunesse",
    "le pays",
    "notre mouvement",
    "l'opposition",
    "la majorité",
    "le peuple",
    "chaque citoyen",
    "la république",
    "notre programme",
    "cette élection",
    "le débat",
]
VERBS = [
    "doit rassembler",
    "va défendre",
    "propose de protéger",
    "veut réformer",
    "saura relancer",
    "refuse d'abandonner",
    "s'engage pour",
    "promet de soutenir",
    "va changer",
    "défend",
    "veut reconstruire",
    "mobilise pour",
    "prépare",
    "appelle à protéger",
    "réinvente",
]
OBJECTS = [
    "l'école publique",
    "les retraites",
    "l'emploi des jeunes",
    "la France",
    "les services publics",
    "le pouvoir d'achat",
    "l'industrie",
    "les territoires",
    "la justice fiscale",
    "l'hôpital",
    "la transition écologique",
    "la sécurité",
    "l'Europe",
    "les salaires",
    "le logement",
    "la laïcité",
    "les agriculteurs",
    "la culture",
    "la recherche",
    "les classes moyennes",
]
TAILS = [
    "dès maintenant",
    "ensemble",
    "sans attendre",
    "pour de vrai",
    "en 2012",
    "partout",
    "avec vous",
    "ce soir",
    "demain",
    "et c'est urgent",
    "face à la crise",
    "pour tous",
]
ORGANIC_WORDS = [
    "je",
    "tu",
    "il",
    "nous",
    "vous",
    "ils",
    "ce",
    "soir",
    "demain",
    "hier",
    "vraiment",
    "trop",
    "bien",
    "pas",
    "mal",
    "débat",
    "télé",
    "candidat",
    "vote",
    "programme",
    "idée",
    "question",
    "réponse",
    "politique",
    "journal",
    "émission",
    "france",
    "paris",
    "travail",
    "école",
    "retraite",
    "crise",
    "euro",
    "économie",
    "chômage",
    "jeunes",
    "salaire",
    "impôts",
    "promesse",
    "sondage",
    "meeting",
    "discours",
    "ministre",
    "président",
    "élection",
    "primaire",
    "gauche",
    "droite",
    "centre",
    "écologie",
    "nucléaire",
    "banque",
    "dette",
    "ville",
    "région",
    "campagne",
    "militants",
    "bureau",
    "résultat",
    "franchement",
    "bon",
    "mauvais",
    "drôle",
    "nul",
    "génial",
    "bof",
    "incroyable",
    "attendre",
    "voir",
    "lire",
    "penser",
]
OPENERS = ["Oui ! ", "Bravo : ", "Je soutiens : ", "A partager : ", "Exactement. ", "RT si d'accord : "]
FILLERS = ["vraiment", "enfin", "aujourd'hui", "clairement", "tous ensemble", "maintenant"]
EMOJI = ["👍", "🔥", "👏", "💪", "🇫🇷", "✊", "❤️"]
COMMON_PHRASES = ["Merci !", "Bonne nuit à tous", "Bravo !", "Excellent débat", "Bonjour à tous"]
PUNCHLINES = [
    "Moi président de la république je ne serai pas le chef de la majorité",
    "Vous n'avez pas le monopole du coeur",
    "Ce débat est un naufrage total",
    "La phrase de la soirée c'est celle sur la dette",
]
HEADLINES = [
    "Primaire socialiste : les résultats du premier tour",
    "Le débat télévisé a réuni six millions de téléspectateurs",
    "Dette : la France sous la pression des agences de notation",
    "Sondage : le second tour s'annonce serré",
]
SPAM_TEXTS = [
    "Gagnez un iPad gratuit maintenant, cliquez ici",
    "Perdez 10 kilos en 2 semaines grâce à cette astuce",
    "Deviens riche depuis chez toi, méthode secrète",
]


@dataclass
class Account:
    """A Twitter account of the synthetic world."""

    user_id: str
    screen_name: str
    name: str
    created_at: datetime
    followers: int
    client: tuple[str, str]
    party: str | None = None
    following: int = 100
    verified: bool = False
    listed: int = 0
    default_image: bool = False


@dataclass
class Tweet:
    """One status, as the generator knows it (before v1.1 serialisation)."""

    id: int
    created_at: datetime
    account: Account
    text: str
    source: tuple[str, str]
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)
    retweet_of: Tweet | None = None
    label: str = "organic"


@dataclass
class Party:
    """What the reference table says of one party."""

    name: str
    accounts: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def load_parties(path: Path) -> dict[str, Party]:
    """Read a party reference CSV (`party,signal_type,value`) into a world."""
    parties: dict[str, Party] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            party = parties.setdefault(row["party"], Party(row["party"]))
            bucket = {
                "account": party.accounts,
                "hashtag": party.hashtags,
                "domain": party.domains,
                "source": party.sources,
            }[row["signal_type"]]
            bucket.append(row["value"])
    return parties


class World:
    """Accounts, apps, clock and id counter of one synthetic collection."""

    def __init__(self, seed: int, start: date, days: int, n_accounts: int, parties: dict[str, Party]):
        self.rng = random.Random(seed)
        self.start = datetime(start.year, start.month, start.day, tzinfo=UTC)
        self.days = days
        self.parties = parties
        self.tweets: list[Tweet] = []
        self.truth_campaigns: list[dict[str, object]] = []
        self.truth_lookalikes: list[dict[str, object]] = []
        self._seq = 0
        self._tco: set[str] = set()
        self.accounts = [self._new_account(i) for i in range(n_accounts)]
        names = list(parties)
        for account in self.accounts:  # about half the accounts lean towards a party
            if self.rng.random() < 0.5:
                account.party = self.rng.choice(names)
        self.party_accounts = {
            p: [self._official_account(p, sn) for sn in parties[p].accounts] for p in names
        }

    def _new_account(self, i: int, fresh: bool = False) -> Account:
        rng = self.rng
        first = rng.choice(
            [
                "jean",
                "marie",
                "luc",
                "sophie",
                "paul",
                "claire",
                "nico",
                "lea",
                "thomas",
                "julie",
                "marc",
                "anne",
                "hugo",
                "chloe",
                "max",
                "ines",
            ]
        )
        handle = f"{first}{rng.choice(['_', '', '.', ''])}{rng.randint(1, 9999)}"
        handle = handle.replace(".", "_")[:15]
        created = self.start - timedelta(days=rng.randint(2, 30) if fresh else rng.randint(60, 1500))
        clients = [(n, u) for n, u, _ in MANUAL_CLIENTS]
        weights = [w for _, _, w in MANUAL_CLIENTS]
        return Account(
            user_id=str(rng.randint(10**7, 10**9) if not fresh else rng.randint(4 * 10**8, 5 * 10**8)),
            screen_name=handle,
            name=first.capitalize() + " " + rng.choice(["D.", "Martin", "Bernard", "Petit", "Roux"]),
            created_at=created,
            followers=rng.randint(0, 5) if fresh else int(rng.lognormvariate(4.5, 1.3)),
            client=rng.choice(THIRD_PARTY_CLIENTS)
            if rng.random() < 0.12
            else rng.choices(clients, weights)[0],
            default_image=rng.random() < (0.5 if fresh else 0.03),  # a few people never set one
        )

    def _official_account(self, party: str, screen_name: str) -> Account:
        acc = self._new_account(0)
        acc.screen_name = screen_name
        acc.name = screen_name
        acc.party = party
        acc.followers = self.rng.randint(20000, 500000)
        acc.client = ("TweetDeck", "http://www.tweetdeck.com")
        acc.verified = True
        acc.listed = self.rng.randint(200, 5000)
        return acc

    def tweet_id(self, when: datetime) -> int:
        self._seq = (self._seq + 1) % 4096
        ms = int(when.timestamp() * 1000)
        return ((ms - TWEPOCH_MS) << 22) | (self.rng.randint(0, 1023) << 12) | self._seq

    def tco(self) -> str:
        while True:
            code = "".join(self.rng.choices(string.ascii_letters + string.digits, k=10))
            if code not in self._tco:
                self._tco.add(code)
                return "https://t.co/" + code

    def at(self, day: int, hour: float) -> datetime:
        return self.start + timedelta(days=day, hours=hour)

    def random_time(self) -> datetime:
        """A time with a diurnal rhythm (few tweets at night)."""
        day = self.rng.randrange(self.days)
        hour = min(23.99, max(0.0, self.rng.gauss(15, 4.5)))
        return self.at(day, hour) + timedelta(seconds=self.rng.randint(0, 59))

    def add(
        self,
        when: datetime,
        account: Account,
        text: str,
        source: tuple[str, str],
        label: str = "organic",
        hashtags: list[str] | None = None,
        mentions: list[str] | None = None,
        link: str | None = None,
        retweet_of: Tweet | None = None,
    ) -> Tweet:
        tags = hashtags or []
        ments = mentions or []
        body = text
        for m in ments:
            if f"@{m}" not in body:
                body = f"@{m} {body}" if self.rng.random() < 0.3 else f"{body} @{m}"
        for t in tags:
            body += f" #{t}"
        urls: list[tuple[str, str]] = []
        if link:
            short = self.tco()
            urls.append((short, link))
            body += f" {short}"
        tweet = Tweet(self.tweet_id(when), when, account, body, source, tags, ments, urls, retweet_of, label)
        self.tweets.append(tweet)
        return tweet

    def retweet(
        self,
        when: datetime,
        account: Account,
        original: Tweet,
        source: tuple[str, str],
        label: str = "organic",
    ) -> Tweet:
        text = f"RT @{original.account.screen_name}: {original.text}"
        tweet = Tweet(
            self.tweet_id(when),
            when,
            account,
            text,
            source,
            list(original.hashtags),
            [original.account.screen_name, *original.mentions],
            list(original.urls),
            original,
            label,
        )
        self.tweets.append(tweet)
        return tweet


def sentence(rng: random.Random) -> str:
    """A fresh campaign-style sentence; the grammar gives thousands of distinct messages."""
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if rng.random() < 0.4:
        text += f", {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return text[0].upper() + text[1:] + rng.choice([".", " !", "", " :"])


def organic_text(rng: random.Random) -> str:
    words = rng.choices(ORGANIC_WORDS, k=rng.randint(4, 18))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(["", ".", " !", " ?", " :)", " ..."])


class Signals(TypedDict):
    """What a campaign of a party carries: hashtags, a link domain, an account it mentions."""

    hashtags: list[str]
    domain: str | None
    mention: str | None


def party_signals(
    world: World, party: str, rng: random.Random, app: tuple[str, str] | None = None
) -> Signals:
    """Hashtag, link domain and mention a campaign of this party might carry.

    A message pushed through a generic app always carries a party hashtag, so that every
    campaign is attributable from its own tweets.
    """
    p = world.parties[party]
    own_app = app is not None and app[0] in p.sources
    return {
        "hashtags": [rng.choice(p.hashtags)] if p.hashtags and (not own_app or rng.random() < 0.75) else [],
        "domain": rng.choice(p.domains) if p.domains else None,
        "mention": rng.choice(p.accounts) if p.accounts and rng.random() < 0.5 else None,
    }


def campaign_app(world: World, party: str | None, rng: random.Random) -> tuple[str, str]:
    """The party's own app (as in the reference) most of the time, else a generic automation app."""
    if party and world.parties[party].sources and rng.random() < 0.7:
        name = rng.choice(world.parties[party].sources)
        return name, f"http://{name.lower().replace(' ', '-')}.example/app"
    return rng.choice(GENERIC_APPS)


def some(rng: random.Random, population: list[Account], k: int) -> list[Account]:
    """k accounts drawn without replacement (all of them, in a world smaller than k)."""
    return rng.sample(population, min(k, len(population)))


def pick_accounts(world: World, party: str | None, n: int, rng: random.Random) -> list[Account]:
    """Supporters of a party (real accounts that also tweet organically)."""
    pool = [a for a in world.accounts if a.party == party] if party else world.accounts
    if len(pool) < n:
        pool = world.accounts
    return rng.sample(pool, min(n, len(pool)))


def maybe_attack(world: World, party: str, rng: random.Random) -> list[str]:
    """Sometimes a campaign message attacks (mentions) a rival party's account."""
    rivals = [p for p in world.parties if p != party and world.parties[p].accounts]
    if rivals and rng.random() < 0.35:
        return [rng.choice(world.parties[rng.choice(rivals)].accounts)]
    return []


def record(
    world: World, kind: str, party: str | None, tweets: list[Tweet], app: str, automated: bool = True
) -> None:
    cid = f"{kind}-{len(world.truth_campaigns) + len(world.truth_lookalikes) + 1}"
    for t in tweets:
        t.label = cid
    entry: dict[str, object] = {
        "id": cid,
        "kind": kind,
        "party": party,
        "app": app,
        "automated": automated,
        "tweet_ids": [str(t.id) for t in tweets],
        "accounts": len({t.account.user_id for t in tweets}),
    }
    (world.truth_campaigns if automated else world.truth_lookalikes).append(entry)


def via(app: tuple[str, str], account: Account, rng: random.Random, manual_rate: float) -> tuple[str, str]:
    """The campaign app, or (some supporters type it themselves) the account's own client."""
    return account.client if rng.random() < manual_rate else app


def manual_rate(rng: random.Random) -> float:
    """Share of a campaign's supporters who post it by hand rather than let the app do it."""
    return rng.choice([0.0, 0.0, 0.1, 0.2, 0.3])


def gen_burst(world: World, party: str, rng: random.Random, small: bool = False) -> None:
    """Hundreds of accounts post one sentence within minutes through a campaign app."""
    n = rng.randint(15, 30) if small else rng.randint(60, 400)
    accounts = pick_accounts(world, party, n, rng)
    app = campaign_app(world, party, rng)
    sig = party_signals(world, party, rng, app)
    text = sentence(rng)
    mentions = maybe_attack(world, party, rng) + ([str(sig["mention"])] if sig["mention"] else [])
    link = f"http://{sig['domain']}/{rng.randint(100, 999)}" if sig["domain"] and rng.random() < 0.6 else None
    start = world.at(rng.randrange(world.days), rng.uniform(8, 22.5))
    span = rng.uniform(60, 45 * 60)
    by_hand = manual_rate(rng)
    tweets = [
        world.add(
            start + timedelta(seconds=rng.uniform(0, span)),
            a,
            text,
            via(app, a, rng, by_hand),
            hashtags=list(sig["hashtags"]),
            mentions=mentions,
            link=link,
        )
        for a in accounts
    ]
    record(world, "small" if small else "burst", party, tweets, app[0])


def gen_pool(world: World, party: str, rng: random.Random) -> None:
    """Twitpop-style: a pool of messages pushed through overlapping subscribers over days."""
    subscribers = pick_accounts(world, party, rng.randint(40, 200), rng)
    app = campaign_app(world, party, rng)
    by_hand = manual_rate(rng)
    for _ in range(rng.randint(3, 7)):
        sig = party_signals(world, party, rng, app)
        text = sentence(rng)
        members = rng.sample(subscribers, int(len(subscribers) * rng.uniform(0.5, 0.9)))
        start = world.at(rng.randrange(world.days), rng.uniform(7, 22))
        span = rng.uniform(30, 600)
        tweets = [
            world.add(
                start + timedelta(seconds=rng.uniform(0, span)),
                a,
                text,
                via(app, a, rng, by_hand),
                hashtags=list(sig["hashtags"]),
            )
            for a in members
        ]
        record(world, "pool", party, tweets, app[0])


def vary(text: str, rng: random.Random) -> str:
    """A templated near-duplicate: an opener, an inserted or swapped word, case, emoji, counter."""
    words = text.split()
    ops = rng.sample(["opener", "insert", "swap", "case", "emoji", "counter"], k=rng.randint(1, 3))
    if "insert" in ops and len(words) > 3:
        words.insert(rng.randint(1, len(words) - 1), rng.choice(FILLERS))
    if "swap" in ops and len(words) > 4:
        i = rng.randint(1, len(words) - 2)
        words[i], words[i + 1] = words[i + 1], words[i]
    out = " ".join(words)
    if "case" in ops:
        out = out.upper() if rng.random() < 0.5 else out.lower()
    if "opener" in ops:
        out = rng.choice(OPENERS) + out
    if "emoji" in ops:
        out += " " + rng.choice(EMOJI) * rng.randint(1, 3)
    if "counter" in ops:
        out += f" ({rng.randint(2, 99)})"
    return out


def gen_template(world: World, party: str, rng: random.Random) -> None:
    """Near-duplicate variants of one template through an app, within an hour."""
    accounts = pick_accounts(world, party, rng.randint(40, 250), rng)
    app = campaign_app(world, party, rng)
    sig = party_signals(world, party, rng, app)
    base = sentence(rng)
    start = world.at(rng.randrange(world.days), rng.uniform(8, 22))
    span = rng.uniform(5 * 60, 60 * 60)
    by_hand = manual_rate(rng)
    tweets = [
        world.add(
            start + timedelta(seconds=rng.uniform(0, span)),
            a,
            vary(base, rng),
            via(app, a, rng, by_hand),
            hashtags=list(sig["hashtags"]),
        )
        for a in accounts
    ]
    record(world, "template", party, tweets, app[0])


def gen_drip(world: World, party: str | None, rng: random.Random) -> None:
    """One identical post every few minutes for hours, from a handful of accounts."""
    accounts = pick_accounts(world, party, rng.randint(1, 4), rng)
    app = rng.choice(GENERIC_APPS)
    text = sentence(rng) if party else rng.choice(SPAM_TEXTS)
    sig: Signals = (
        party_signals(world, party, rng, app)
        if party
        else {"hashtags": [], "domain": rng.choice(SPAM_DOMAINS), "mention": None}
    )
    period = rng.uniform(90, 300)
    count = rng.randint(30, 120)
    t = world.at(rng.randrange(max(1, world.days - 1)), rng.uniform(0, 12))
    tweets = []
    for i in range(count):
        t += timedelta(seconds=period + rng.uniform(-8, 8))
        tweets.append(
            world.add(
                t,
                accounts[i % len(accounts)],
                text,
                app,
                hashtags=list(sig["hashtags"]),
                link=f"http://{sig['domain']}/p/{rng.randint(1, 99)}" if sig["domain"] else None,
            )
        )
    record(world, "drip", party, tweets, app[0])


def gen_rt_storm(world: World, party: str, rng: random.Random) -> None:
    """Dozens of accounts retweet one party post within a minute or two through an app."""
    author = rng.choice(world.party_accounts[party])
    sig = party_signals(world, party, rng)
    start = world.at(rng.randrange(world.days), rng.uniform(8, 22))
    original = world.add(start, author, sentence(rng), author.client, hashtags=list(sig["hashtags"]))
    app = campaign_app(world, party, rng)
    retweeters = pick_accounts(world, party, rng.randint(25, 150), rng)
    delay = timedelta(seconds=rng.uniform(30, 600))
    span = rng.uniform(30, 120)
    tweets = [
        world.retweet(start + delay + timedelta(seconds=rng.uniform(0, span)), a, original, app)
        for a in retweeters
    ]
    record(world, "rt_storm", party, tweets, app[0])


def gen_spam(world: World, rng: random.Random) -> None:
    """Fresh, follower-less accounts push one promo with a link: automated, no party."""
    accounts = [world._new_account(0, fresh=True) for _ in range(rng.randint(20, 60))]
    app = rng.choice(SPAM_APPS)
    text = rng.choice(SPAM_TEXTS)
    start = world.at(rng.randrange(world.days), rng.uniform(0, 23))
    span = rng.uniform(5 * 60, 40 * 60)
    domain = rng.choice(SPAM_DOMAINS)
    tweets = [
        world.add(
            start + timedelta(seconds=rng.uniform(0, span)),
            a,
            text,
            app,
            link=f"http://{domain}/?r={rng.randint(1, 10**6)}",
        )
        for a in accounts
    ]
    record(world, "spam", None, tweets, app[0])


def manual_client(account: Account, rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.85:
        return account.client
    return rng.choice([(n, u) for n, u, _ in MANUAL_CLIENTS])


def gen_lookalikes(world: World, rng: random.Random) -> None:
    """Organic repetition that must not be flagged as automated."""
    # a common short phrase repeated over days
    phrase = rng.choice(COMMON_PHRASES)
    tweets = [
        world.add(world.random_time(), a, phrase, manual_client(a, rng))
        for a in some(rng, world.accounts, rng.randint(40, 150))
    ]
    record(world, "common_phrase", None, tweets, "manual", automated=False)
    # a headline shared through share buttons over hours
    headline = rng.choice(HEADLINES)
    domain = rng.choice(NEWS_DOMAINS)
    start = world.at(rng.randrange(world.days), rng.uniform(7, 12))
    outlet = domain.split(".")[0]
    tweets = []
    for a in some(rng, world.accounts, rng.randint(30, 150)):
        roll = rng.random()
        # share buttons mostly; some people type it, some community managers schedule it
        button = (
            rng.choice(SHARE_BUTTONS)
            if roll < 0.7
            else rng.choice(GENERIC_APPS[:3])
            if roll < 0.8
            else manual_client(a, rng)
        )
        tweets.append(
            world.add(
                start + timedelta(hours=rng.expovariate(1 / 3)),
                a,
                f"{headline} via @{outlet}",
                button,
                link=f"http://www.{domain}/article/{rng.randint(10**5, 10**6)}",
            )
        )
    record(world, "headline_share", None, tweets, "Tweet Button", automated=False)
    # a live-event punchline typed from phones within minutes, with small variations
    line = rng.choice(PUNCHLINES)
    start = world.at(rng.randrange(world.days), rng.uniform(20.5, 22.5))
    tweets = []
    for a in some(rng, world.accounts, rng.randint(40, 200)):
        text = line
        roll = rng.random()
        if roll < 0.3:
            text = text.lower()
        elif roll < 0.45:
            text = text + " " + rng.choice(["mdr", "lol", "!!!", "😂", "énorme", "#debat"])
        elif roll < 0.6:
            text = '"' + text + '"'
        elif roll < 0.7:
            text = text.replace("e", "é", 1)
        tweets.append(
            world.add(
                start + timedelta(seconds=rng.uniform(0, rng.uniform(120, 600))),
                a,
                text,
                manual_client(a, rng),
            )
        )
    record(world, "punchline", None, tweets, "manual", automated=False)
    # an organic retweet cascade over hours
    party = rng.choice(list(world.parties))
    author = rng.choice(world.party_accounts[party])
    start = world.at(rng.randrange(world.days), rng.uniform(8, 14))
    original = world.add(start, author, sentence(rng), author.client)
    tweets = [
        world.retweet(
            start + timedelta(minutes=5 + rng.expovariate(1 / 150)), a, original, manual_client(a, rng)
        )
        for a in some(rng, world.accounts, rng.randint(50, 250))
    ]
    record(world, "rt_cascade", None, tweets, "manual", automated=False)
    # one enthusiast repeating the same call to vote by hand, at irregular times over a day
    fan = rng.choice(world.accounts)
    call = rng.choice(
        [
            "Votez et faites voter dimanche !",
            "Tous au meeting ce soir, on compte sur vous",
            "Allez on ne lâche rien, partagez partagez partagez",
        ]
    )
    when = world.at(rng.randrange(world.days), rng.uniform(7, 9))
    tweets = []
    for _ in range(rng.randint(10, 16)):
        when += timedelta(minutes=rng.expovariate(1 / 45) + 1)
        tweets.append(world.add(when, fan, call, manual_client(fan, rng)))
    record(world, "human_repeat", None, tweets, "manual", automated=False)


def gen_organic(world: World, rng: random.Random, n: int) -> None:
    """Ordinary traffic: varied text, hashtags, mentions, links, retweets of earlier posts."""
    recent: list[Tweet] = []
    names = list(world.parties)
    for _ in range(n):
        a = rng.choice(world.accounts)
        when = world.random_time()
        if recent and rng.random() < 0.15:
            world.retweet(
                when + timedelta(minutes=rng.randint(1, 600)), a, rng.choice(recent), manual_client(a, rng)
            )
            continue
        party = a.party or rng.choice(names)
        p = world.parties[party]
        tags = [rng.choice(p.hashtags)] if p.hashtags and rng.random() < 0.2 else []
        ments = [rng.choice(p.accounts)] if p.accounts and rng.random() < 0.1 else []
        link = (
            f"http://www.{rng.choice(NEWS_DOMAINS)}/a/{rng.randint(1, 10**6)}" if rng.random() < 0.1 else None
        )
        t = world.add(
            when, a, organic_text(rng), manual_client(a, rng), hashtags=tags, mentions=ments, link=link
        )
        if len(recent) < 500 or rng.random() < 0.05:
            recent.append(t)


def user_json(a: Account) -> dict[str, object]:
    return {
        "id": int(a.user_id),
        "id_str": a.user_id,
        "name": a.name,
        "screen_name": a.screen_name,
        "created_at": a.created_at.strftime(V1_TIME),
        "followers_count": a.followers,
        "friends_count": a.following,
        "statuses_count": 1000,
        "listed_count": a.listed,
        "default_profile_image": a.default_image,
        "lang": "fr",
        "verified": a.verified,
        "protected": False,
        "location": "",
        "description": "",
    }


def entities(t: Tweet) -> dict[str, object]:
    def span(token: str) -> list[int]:
        i = t.text.find(token)
        return [i, i + len(token)] if i >= 0 else [0, 0]

    return {
        "hashtags": [{"text": h, "indices": span("#" + h)} for h in t.hashtags],
        "user_mentions": [
            {
                "screen_name": m,
                "name": m,
                "id_str": str(zlib.crc32(m.encode()) % 10**9),
                "indices": span("@" + m),
            }
            for m in t.mentions
        ],
        "urls": [
            {"url": s, "expanded_url": e, "display_url": e.split("//", 1)[-1][:26], "indices": span(s)}
            for s, e in t.urls
        ],
        "symbols": [],
    }


def status_json(t: Tweet, streaming: bool) -> dict[str, object]:
    """The v1.1 object of a tweet: REST `full_text`, or streaming `text` (+ `extended_tweet`)."""
    escaped = html.escape(t.text, quote=False)
    obj: dict[str, object] = {
        "created_at": t.created_at.strftime(V1_TIME),
        "id": t.id,
        "id_str": str(t.id),
        "source": f'<a href="{t.source[1]}" rel="nofollow">{t.source[0]}</a>' if t.source[0] else "",
        "user": user_json(t.account),
        "lang": "fr",
        "retweet_count": 0,
        "favorite_count": 0,
        "is_quote_status": False,
        "in_reply_to_status_id_str": None,
    }
    if streaming:
        obj["timestamp_ms"] = str(int(t.created_at.timestamp() * 1000))
        if len(t.text) > 140:
            obj["text"] = html.escape(t.text[:139], quote=False) + "…"
            obj["truncated"] = True
            obj["extended_tweet"] = {"full_text": escaped, "entities": entities(t)}
            obj["entities"] = {"hashtags": [], "user_mentions": [], "urls": [], "symbols": []}
        else:
            obj["text"] = escaped
            obj["truncated"] = False
            obj["entities"] = entities(t)
    else:
        obj["full_text"] = escaped
        obj["display_text_range"] = [0, len(t.text)]
        obj["entities"] = entities(t)
    if t.retweet_of is not None:
        obj["retweeted_status"] = status_json(t.retweet_of, streaming)
    return obj


def make_world(
    seed: int = 7,
    start: date = date(2011, 10, 10),
    days: int = 10,
    accounts: int = 1500,
    organic_per_day: int = 700,
    campaigns_per_week: int = 10,
    parties: Path = DEFAULT_PARTIES,
) -> World:
    """Organic traffic, campaigns of every kind and organic look-alikes, deterministically."""
    world = World(seed, start, days, accounts, load_parties(parties))
    rng = world.rng
    names = list(world.parties)
    gen_organic(world, rng, organic_per_day * days)
    from tools.synth_covert import COVERT_KINDS, gen_covert_lookalikes

    kinds = ["burst", "pool", "template", "drip", "rt_storm", "small", "spam", *COVERT_KINDS]
    n_campaigns = max(len(kinds), round(campaigns_per_week * days / 7))
    for i in range(n_campaigns):
        kind = kinds[i] if i < len(kinds) else rng.choice(kinds[:7])
        party = names[i % len(names)]
        if kind in COVERT_KINDS:
            COVERT_KINDS[kind](world, party, rng)
        elif kind == "burst":
            gen_burst(world, party, rng)
        elif kind == "small":
            gen_burst(world, party, rng, small=True)
        elif kind == "pool":
            gen_pool(world, party, rng)
        elif kind == "template":
            gen_template(world, party, rng)
        elif kind == "drip":
            gen_drip(world, party if rng.random() < 0.7 else None, rng)
        elif kind == "rt_storm":
            gen_rt_storm(world, party, rng)
        else:
            gen_spam(world, rng)
    for _ in range(max(1, days // 7)):
        gen_lookalikes(world, rng)
    gen_covert_lookalikes(world, rng)
    from tools.synth_overt import gen_party_messaging

    gen_party_messaging(world, rng)
    return world


def generate(
    out: Path,
    seed: int = 7,
    start: date = date(2011, 10, 10),
    days: int = 10,
    accounts: int = 1500,
    organic_per_day: int = 700,
    campaigns_per_week: int = 10,
    parties: Path = DEFAULT_PARTIES,
    formats: list[str] | None = None,
) -> dict[str, object]:
    """Write `out/archive/` (one file per day, in `formats`) and `out/truth.json`; return the truth."""
    world = make_world(seed, start, days, accounts, organic_per_day, campaigns_per_week, parties)
    return write_archive(world, out, seed, formats)


FORMATS = ("v1", "v2", "twarc-csv", "io", "array")
MIXED = ["v1", "v2", "twarc-csv", "v1", "array"]


def v2_tweet(t: Tweet) -> dict[str, object]:
    """A tweet as API v2 returns it (`data[]` item)."""
    tweet: dict[str, object] = {
        "id": str(t.id),
        "text": t.text,
        "created_at": t.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "author_id": t.account.user_id,
        "source": t.source[0],
        "lang": "fr",
        "conversation_id": str(t.id),
        "entities": {
            "hashtags": [{"tag": h} for h in t.hashtags],
            "mentions": [{"username": m} for m in t.mentions],
            "urls": [{"url": s, "expanded_url": e} for s, e in t.urls],
        },
        "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0},
    }
    if t.retweet_of is not None:
        tweet["referenced_tweets"] = [{"type": "retweeted", "id": str(t.retweet_of.id)}]
    return tweet


def v2_user(a: Account) -> dict[str, object]:
    return {
        "id": a.user_id,
        "username": a.screen_name,
        "name": a.name,
        "created_at": a.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "verified": a.verified,
        "profile_image_url": (
            "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
            if a.default_image
            else f"https://pbs.twimg.com/profile_images/{a.user_id}/photo_normal.jpg"
        ),
        "public_metrics": {
            "followers_count": a.followers,
            "following_count": a.following,
            "tweet_count": 1000,
            "listed_count": a.listed,
        },
    }


def write_v2_pages(tweets: list[Tweet]) -> bytes:
    """twarc2 output: one search response page (up to 100 tweets) per line."""
    lines = []
    for start in range(0, len(tweets), 100):
        page = tweets[start : start + 100]
        users = {t.account.user_id: t.account for t in page}
        originals = {t.retweet_of.id: t.retweet_of for t in page if t.retweet_of is not None}
        users.update({o.account.user_id: o.account for o in originals.values()})
        lines.append(
            json.dumps(
                {
                    "data": [v2_tweet(t) for t in page],
                    "includes": {
                        "users": [v2_user(a) for a in users.values()],
                        "tweets": [v2_tweet(o) for o in originals.values()],
                    },
                    "meta": {"result_count": len(page)},
                    "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.14.0"},
                },
                ensure_ascii=False,
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_bytes(columns: list[str], rows: list[list[object]]) -> bytes:
    """A CSV file's bytes: the header, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_twarc_csv(tweets: list[Tweet]) -> bytes:
    """twarc-csv output: dotted column names, entity lists JSON-encoded."""
    columns = [
        "id",
        "conversation_id",
        "referenced_tweets.replied_to.id",
        "referenced_tweets.retweeted.id",
        "referenced_tweets.quoted.id",
        "author_id",
        "retweeted_user_id",
        "retweeted_username",
        "created_at",
        "text",
        "lang",
        "source",
        "entities.hashtags",
        "entities.mentions",
        "entities.urls",
        "author.id",
        "author.created_at",
        "author.username",
        "author.name",
        "author.public_metrics.followers_count",
        "__twarc.retrieved_at",
    ]
    rows = []
    for t in tweets:
        v2 = v2_tweet(t)
        rt = t.retweet_of
        rows.append(
            [
                t.id,
                t.id,
                "",
                rt.id if rt else "",
                "",
                t.account.user_id,
                rt.account.user_id if rt else "",
                rt.account.screen_name if rt else "",
                v2["created_at"],
                t.text,
                "fr",
                t.source[0],
                json.dumps(v2["entities"]["hashtags"]),  # type: ignore[index]
                json.dumps(v2["entities"]["mentions"]),  # type: ignore[index]
                json.dumps(v2["entities"]["urls"]),  # type: ignore[index]
                t.account.user_id,
                v2_user(t.account)["created_at"],
                t.account.screen_name,
                t.account.name,
                t.account.followers,
                "2021-06-01T00:00:00+00:00",
            ]
        )
    return csv_bytes(columns, rows)


def hashed(user_id: str) -> str:
    """Information Operations archives hash the ids of small accounts."""
    return hashlib.sha256(user_id.encode()).hexdigest()[:44]


# The columns of an Information Operations disclosure CSV, in their order
IO_COLUMNS = [
    "tweetid",
    "userid",
    "user_display_name",
    "user_screen_name",
    "user_reported_location",
    "user_profile_description",
    "user_profile_url",
    "follower_count",
    "following_count",
    "account_creation_date",
    "account_language",
    "tweet_language",
    "tweet_text",
    "tweet_time",
    "tweet_client_name",
    "in_reply_to_userid",
    "in_reply_to_tweetid",
    "quoted_tweet_tweetid",
    "is_retweet",
    "retweet_userid",
    "retweet_tweetid",
    "latitude",
    "longitude",
    "quote_count",
    "reply_count",
    "like_count",
    "retweet_count",
    "hashtags",
    "urls",
    "user_mentions",
    "poll_choices",
]


def write_io_csv(tweets: list[Tweet]) -> bytes:
    """An Information Operations disclosure: minute-resolution times, Python-list columns."""
    columns = IO_COLUMNS
    rows = []
    for t in tweets:
        rt = t.retweet_of
        rows.append(
            [
                t.id,
                hashed(t.account.user_id),
                t.account.name,
                t.account.screen_name,
                "",
                "",
                "",
                t.account.followers,
                t.account.following,
                t.account.created_at.strftime("%Y-%m-%d"),
                "fr",
                "fr",
                t.text,
                t.created_at.strftime("%Y-%m-%d %H:%M"),
                t.source[0],
                "",
                "",
                "",
                "True" if rt else "False",
                hashed(rt.account.user_id) if rt else "",
                rt.id if rt else "",
                "absent",
                "absent",
                0,
                0,
                0,
                0,
                "[" + ", ".join(f"'{h}'" for h in t.hashtags) + "]" if t.hashtags else "",
                "[" + ", ".join(f"'{e}'" for _, e in t.urls) + "]" if t.urls else "",
                "[" + ", ".join(m for m in t.mentions) + "]" if t.mentions else "",
                "",
            ]
        )
    return csv_bytes(columns, rows)


def write_v1_lines(
    tweets: list[Tweet], rng: random.Random, deleted: list[str], malformed: list[int]
) -> bytes:
    """API v1.1 JSON lines (REST `full_text` or streaming), with limit and delete notices."""
    streaming = rng.random() < 0.5
    lines: list[str] = []
    for t in tweets:
        lines.append(json.dumps(status_json(t, streaming), ensure_ascii=False))
        if streaming and rng.random() < 0.001:  # a capture cut mid-line, resent whole
            lines.insert(-1, lines[-1][: len(lines[-1]) // 2])
            malformed.append(len(lines) - 1)
        stamp = str(int(t.created_at.timestamp() * 1000))
        if streaming and rng.random() < 0.002:
            lines.append(json.dumps({"limit": {"track": rng.randint(1, 500), "timestamp_ms": stamp}}))
        if t.label == "organic" and t.retweet_of is None and rng.random() < 0.003:
            deleted.append(str(t.id))
            status = {
                "id": t.id,
                "id_str": str(t.id),
                "user_id": int(t.account.user_id),
                "user_id_str": t.account.user_id,
            }
            lines.append(json.dumps({"delete": {"status": status, "timestamp_ms": stamp}}))
    return ("\n".join(lines) + "\n").encode("utf-8")


def pack(path: Path, data: bytes, how: str) -> None:
    """Write bytes plain, gzip'd, bz2'd or as the one member of a zip (deterministically)."""
    if how == "gz":
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(data)
    elif how == "bz2":
        path.write_bytes(bz2.compress(data))
    elif how == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            info = zipfile.ZipInfo(path.stem, date_time=(2011, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    else:
        path.write_bytes(data)


def write_archive(
    world: World, out: Path, seed: int, formats: list[str] | None = None, app_blind: bool = False
) -> dict[str, object]:
    """Serialise the world's tweets day by day, each day in one of `formats` (default v1.1).

    `app_blind` leaves the posting app out of every format, as in archives collected after the
    API withdrew it or in research copies of Information Operations releases.
    """
    if app_blind:
        for tweet in world.tweets:
            tweet.source = ("", "")
    rng = random.Random(seed + 1)
    archive = out / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    by_day: dict[date, list[Tweet]] = defaultdict(list)
    for t in world.tweets:
        by_day[t.created_at.date()].append(t)
    deleted: list[str] = []
    malformed: list[int] = []
    chosen = formats or ["v1"]
    for index, day in enumerate(sorted(by_day)):
        tweets = sorted(by_day[day], key=lambda t: t.id)
        kind = chosen[index % len(chosen)]
        stem = f"tweets-{day.isoformat()}"
        if kind == "v1":
            pack(archive / f"{stem}.jsonl.gz", write_v1_lines(tweets, rng, deleted, malformed), "gz")
        elif kind == "v2":
            pack(archive / f"{stem}.twarc2.jsonl.bz2", write_v2_pages(tweets), "bz2")
        elif kind == "twarc-csv":
            pack(archive / f"{stem}.csv.zip", write_twarc_csv(tweets), "zip")
        elif kind == "io":
            pack(archive / f"{stem}_io.csv", write_io_csv(tweets), "plain")
        elif kind == "array":
            statuses = [status_json(t, streaming=False) for t in tweets]
            pack(archive / f"{stem}.json", json.dumps(statuses, ensure_ascii=False).encode(), "plain")
        else:
            raise ValueError(f"unknown format {kind!r} (one of {', '.join(FORMATS)})")
    truth: dict[str, object] = {
        "seed": seed,
        "start": world.start.date().isoformat(),
        "days": world.days,
        "formats": chosen,
        "app_blind": app_blind,
        "tweets": len(world.tweets),
        "campaigns": world.truth_campaigns,
        "lookalikes": world.truth_lookalikes,
        "deleted": deleted,
        "malformed_lines": len(malformed),
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth
