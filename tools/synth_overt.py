"""Overt party messaging, which is coordination and not automation (domain notes, "Coordination
is not automation"): elected members' own accounts - verified, years old, well followed, each
posting through its usual client (web, phones, TweetDeck, Hootsuite, Buffer) and its own words -
paste the day's talking points with their own edits, over ten minutes to three hours, the
scheduler users queued on round five-minute marks; a caucus retweets its party's account within
the hour. Recorded as look-alikes of kinds `talking_points` and `caucus_rt`: never automated."""

from __future__ import annotations

import random
from datetime import timedelta

from tools.synth import Account, World, organic_text, record, sentence

OVERT_KINDS = ("talking_points", "caucus_rt")
OFFICE_CLIENTS = [
    ("Twitter Web Client", "http://twitter.com"),
    ("Twitter for iPhone", "http://twitter.com/download/iphone"),
    ("Twitter for Android", "http://twitter.com/download/android"),
    ("TweetDeck", "http://www.tweetdeck.com"),
    ("Hootsuite", "http://www.hootsuite.com"),
    ("Buffer", "http://bufferapp.com"),
]
SCHEDULERS = ("Hootsuite", "Buffer")
OPENERS = ["", "", "", "Aujourd'hui : ", "Important : ", "Rappel - ", "Soyons clairs : "]
CLOSERS = ["", "", "", " Nous ne lâcherons rien.", " (fil)", " À suivre.", " Mobilisés !"]


def members(world: World, party: str, n: int, rng: random.Random) -> list[Account]:
    """A party's elected members: verified, years old, thousands of followers, their own client."""
    out = []
    for i in range(n):
        account = world._new_account(i)
        account.created_at = world.start - timedelta(days=rng.randint(800, 3500))
        account.followers = int(rng.lognormvariate(8.5, 0.9))
        account.following = rng.randint(300, 3000)
        account.verified = True
        account.listed = rng.randint(50, 1500)
        account.client = rng.choice(OFFICE_CLIENTS)
        account.party = party
        out.append(account)
    return out


def gen_party_messaging(world: World, rng: random.Random) -> None:
    """Each party's members post their own words every day; some parties paste talking points,
    others retweet their party's account: the overt messaging of elected officials."""
    for n, party in enumerate(world.parties):
        elected = members(world, party, rng.randint(20, 35), rng)
        for account in elected:  # their own words, most of what they post
            for _ in range(rng.randint(2, 4) * world.days):
                world.add(world.random_time(), account, organic_text(rng), account.client)
        if n % 2 == 0:
            for _ in range(max(2, world.days // 3)):
                point = sentence(rng)
                start = world.at(rng.randrange(world.days), rng.uniform(8, 12))
                spread = rng.uniform(10, 180) * 60
                tweets = []
                for account in rng.sample(elected, int(len(elected) * rng.uniform(0.5, 0.9))):
                    at = start + timedelta(seconds=rng.uniform(0, spread))
                    if account.client[0] in SCHEDULERS:  # queued for a round five-minute mark
                        at = at.replace(minute=at.minute - at.minute % 5, second=0, microsecond=0)
                    text = rng.choice(OPENERS) + point + rng.choice(CLOSERS)
                    tweets.append(world.add(at, account, text, account.client))
                record(world, "talking_points", party, tweets, "manual", automated=False)
        else:
            official = world.party_accounts[party][0] if world.party_accounts[party] else elected[0]
            for _ in range(max(2, world.days // 3)):
                start = world.at(rng.randrange(world.days), rng.uniform(8, 18))
                original = world.add(start, official, sentence(rng), official.client)
                tweets = [
                    world.retweet(
                        start + timedelta(minutes=rng.uniform(1, 60)), account, original, account.client
                    )
                    for account in rng.sample(elected, int(len(elected) * rng.uniform(0.5, 0.9)))
                ]
                record(world, "caucus_rt", party, tweets, "manual", automated=False)
