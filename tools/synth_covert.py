"""Generator: coordination that leaves no app fingerprint, and the organic crowds that look like it.

The automated kinds post through ordinary clients (spoofed) or whatever app the archive may drop:
sock puppets (young accounts created together, the same text within minutes, again on other days),
a headline botnet (a team pushing many headlines a day, each post with a tag prefix and a link of
its own, spread over an hour or two), retweet groups (the same ~20 accounts retweeting a post
within one minute, day after day), a link blast (one URL, a dozen short comments) and reply spam
(the same message behind different leading @mentions).

The look-alikes are organic and synchronous: a goal celebrated at once, breaking news shared for
hours through the web client, a party leader's tweets retweeted within minutes by hundreds of
established fans (each fan with their own habit, so the crowd differs every time), midnight
greetings. None of them may be flagged.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tools.synth import (
    EMOJI,
    GENERIC_APPS,
    MANUAL_CLIENTS,
    NEWS_DOMAINS,
    Account,
    Tweet,
    World,
    manual_client,
    party_signals,
    record,
    sentence,
    some,
)

SPOOFED = [(name, url) for name, url, _ in MANUAL_CLIENTS[:3]]
TEAM_TAGS = ["#INFO", "[URGENT]", "BREAKING:", "#Actu", "►"]
HEADLINE_SUBJECTS = [
    "Le gouvernement",
    "L'opposition",
    "Bruxelles",
    "Le ministre",
    "La police",
    "Les syndicats",
]
HEADLINE_EVENTS = [
    "annonce une réforme surprise des retraites",
    "reconnaît enfin l'échec de sa politique",
    "cache un rapport explosif sur la dette",
    "prépare une hausse massive des impôts",
    "dément les chiffres du chômage",
    "perd le contrôle de la situation",
    "recule face à la colère de la rue",
    "promet des milliards aux banques",
]
SHORT_COMMENTS = [
    "À lire 👇",
    "Incroyable",
    "Partagez !",
    "Tout est dit",
    "Scandaleux",
    "Enfin la vérité",
    "Regardez ça",
    "Hallucinant",
    "À voir absolument",
    "Bravo",
    "Ouvrez les yeux",
    "Voilà",
]
GOAL_CRIES = ["BUUUUT !!!", "But de la France !!!", "BUT BUT BUT", "Quel but !!!", "Allez les bleus but !!"]
GREETINGS = ["Bonne année à tous !", "Bonne année 2012 !", "Joyeux Noël à tous", "Bonne année et bonne santé"]


def farm(world: World, n: int, rng: random.Random, party: str | None) -> list[Account]:
    """Sock puppets: accounts created within one fortnight, few followers, following many."""
    born = world.start - timedelta(days=rng.randint(20, 120))
    accounts = []
    for i in range(n):
        account = world._new_account(i, fresh=True)
        account.created_at = born + timedelta(hours=rng.uniform(0, 14 * 24))
        account.followers = rng.randint(0, 25)
        account.following = rng.randint(150, 1500)
        account.client = rng.choice(SPOOFED)
        account.party = party
        account.default_image = rng.random() < 0.6  # many never set a profile up
        accounts.append(account)
    return accounts


def team(world: World, n: int, rng: random.Random, party: str | None, clustered: bool) -> list[Account]:
    """An operation's team: created together (or aged to look established), posting as phones do."""
    if clustered:
        return farm(world, n, rng, party)
    accounts = [world._new_account(i) for i in range(n)]
    for account in accounts:
        account.client = rng.choice(SPOOFED)
        account.party = party
    return accounts


def gen_sockpuppets(world: World, party: str, rng: random.Random) -> None:
    """100+ young accounts post one text within two minutes; the same accounts do it again on
    two other days with other texts."""
    puppets = farm(world, rng.randint(100, 160), rng, party)
    for _ in range(3):
        sig = party_signals(world, party, rng)
        text = sentence(rng)
        start = world.at(rng.randrange(world.days), rng.uniform(8, 22))
        members = rng.sample(puppets, int(len(puppets) * rng.uniform(0.85, 1.0)))
        tweets = [
            world.add(
                start + timedelta(seconds=rng.uniform(0, 120)),
                a,
                text,
                a.client,
                hashtags=list(sig["hashtags"]),
            )
            for a in members
        ]
        record(world, "sockpuppet", party, tweets, "spoofed client")


def headline(rng: random.Random) -> str:
    return f"{rng.choice(HEADLINE_SUBJECTS)} {rng.choice(HEADLINE_EVENTS)}"


def gen_headline_botnet(world: World, party: str, rng: random.Random) -> None:
    """A team of 40-90 accounts pushing several headlines a day, every day: a tag prefix, the
    headline, a link of its own per post; each headline spread over one to two hours."""
    members = team(world, rng.randint(40, 90), rng, party, clustered=rng.random() < 0.5)
    tag = rng.choice(TEAM_TAGS)
    domain = rng.choice(["actu-verite.example", "info-libre.example", "le-vrai-journal.example"])
    app = rng.choice([*SPOOFED, GENERIC_APPS[0]])
    sig = party_signals(world, party, rng)
    for day in range(world.days):
        for _ in range(rng.randint(1, 3)):
            text = f"{tag} {headline(rng)}"
            start = world.at(day, rng.uniform(6, 20))
            span = rng.uniform(50, 120) * 60
            posting = rng.sample(members, int(len(members) * rng.uniform(0.85, 1.0)))
            tweets = [
                world.add(
                    start + timedelta(seconds=rng.uniform(0, span)),
                    a,
                    text,
                    app,
                    hashtags=list(sig["hashtags"])[: rng.randint(0, 1)],
                    link=f"https://{domain}/a/{rng.randint(10**6, 10**7)}?u={a.screen_name}",
                )
                for a in posting
            ]
            record(world, "headline_botnet", party, tweets, app[0])


def gen_rt_group(world: World, party: str, rng: random.Random) -> None:
    """The same 15-25 accounts retweet a post within one minute, once or twice a day, every day."""
    members = team(world, rng.randint(15, 25), rng, party, clustered=rng.random() < 0.5)
    hubs = world.party_accounts[party]
    sig = party_signals(world, party, rng)
    for day in range(world.days):
        for _ in range(rng.randint(1, 2)):
            author = rng.choice(hubs)
            start = world.at(day, rng.uniform(7, 22))
            original = world.add(start, author, sentence(rng), author.client, hashtags=list(sig["hashtags"]))
            fire = start + timedelta(minutes=rng.uniform(1, 30))
            tweets = [
                world.retweet(fire + timedelta(seconds=rng.uniform(0, 55)), a, original, a.client)
                for a in rng.sample(members, int(len(members) * rng.uniform(0.8, 1.0)))
            ]
            record(world, "rt_group", party, tweets, "spoofed client")


def gen_link_blast(world: World, party: str, rng: random.Random) -> None:
    """One URL pushed by a sock farm with a dozen short comments, within minutes; twice."""
    puppets = farm(world, rng.randint(40, 90), rng, party)
    for _ in range(2):
        site = rng.choice(world.parties[party].domains or NEWS_DOMAINS)
        url = f"https://{site}/dossier/{rng.randint(1000, 9999)}"
        comments = rng.sample(SHORT_COMMENTS, 12)
        start = world.at(rng.randrange(world.days), rng.uniform(8, 22))
        tweets = [
            world.add(
                start + timedelta(seconds=rng.uniform(0, 300)), a, rng.choice(comments), a.client, link=url
            )
            for a in puppets
        ]
        record(world, "link_blast", party, tweets, "spoofed client")


def gen_reply_spam(world: World, party: str, rng: random.Random) -> None:
    """A handful of accounts reply the same message to many accounts, on a steady clock."""
    spammers = farm(world, rng.randint(2, 5), rng, party)
    text = sentence(rng)
    sig = party_signals(world, party, rng)
    t = world.at(rng.randrange(max(1, world.days - 1)), rng.uniform(6, 12))
    period = rng.uniform(60, 240)
    tweets = []
    for i in range(rng.randint(40, 90)):
        t += timedelta(seconds=period + rng.uniform(-5, 5))
        target = rng.choice(world.accounts).screen_name
        tweets.append(
            world.add(
                t,
                spammers[i % len(spammers)],
                f"@{target} {text}",
                spammers[0].client,
                hashtags=list(sig["hashtags"]),
            )
        )
    record(world, "reply_spam", party, tweets, "spoofed client")


COVERT_KINDS = {
    "sockpuppet": gen_sockpuppets,
    "headline_botnet": gen_headline_botnet,
    "rt_group": gen_rt_group,
    "link_blast": gen_link_blast,
    "reply_spam": gen_reply_spam,
}


def gen_covert_lookalikes(world: World, rng: random.Random) -> None:
    """Organic crowds that act at once: a goal, breaking news via the web client, a leader's
    tweets retweeted by fans, midnight greetings."""
    established = [a for a in world.accounts if a.followers >= 20] or world.accounts
    # a goal: hundreds of people shout within a minute or two, from their phones
    start = world.at(rng.randrange(world.days), rng.uniform(20.5, 22.5))
    tweets = []
    for a in some(rng, established, rng.randint(150, 300)):
        cry = rng.choice(GOAL_CRIES) + (" " + rng.choice(EMOJI) if rng.random() < 0.4 else "")
        tweets.append(
            world.add(start + timedelta(seconds=rng.expovariate(1 / 40)), a, cry, manual_client(a, rng))
        )
    record(world, "goal", None, tweets, "manual", automated=False)
    # breaking news shared for hours through the web intent (it shows as the web client)
    news = f"{headline(rng)} via @{rng.choice(NEWS_DOMAINS).split('.')[0]}"
    link = f"https://www.{rng.choice(NEWS_DOMAINS)}/breaking/{rng.randint(10**5, 10**6)}"
    start = world.at(rng.randrange(world.days), rng.uniform(7, 12))
    web = ("Twitter Web Client", "http://twitter.com")
    tweets = [
        world.add(start + timedelta(minutes=rng.expovariate(1 / 90)), a, news, web, link=link)
        for a in some(rng, established, rng.randint(60, 200))
    ]
    record(world, "breaking_web", None, tweets, "Twitter Web Client", automated=False)
    gen_leader_fans(world, rng, established)
    # midnight greetings
    midnight = world.at(rng.randrange(max(1, world.days)), 0)
    tweets = [
        world.add(
            midnight + timedelta(seconds=rng.expovariate(1 / 50)),
            a,
            rng.choice(GREETINGS),
            manual_client(a, rng),
        )
        for a in some(rng, established, rng.randint(100, 250))
    ]
    record(world, "midnight", None, tweets, "manual", automated=False)


def gen_leader_fans(world: World, rng: random.Random, established: list[Account]) -> None:
    """A party leader tweets once a day; established fans retweet within minutes, each with their
    own habit (a few loyal, most occasional), so every crowd is a different draw."""
    party = rng.choice(list(world.parties))
    leader = world.party_accounts[party][0]
    fans = some(rng, established, rng.randint(300, 600))
    habit = {a.user_id: min(0.9, rng.betavariate(1.2, 4.0)) for a in fans}
    for day in range(world.days):
        posted: datetime = world.at(day, rng.uniform(8, 20))
        original = world.add(posted, leader, sentence(rng), leader.client)
        tweets: list[Tweet] = [
            world.retweet(
                posted + timedelta(seconds=20 + rng.lognormvariate(5.0, 1.0)),
                a,
                original,
                manual_client(a, rng),
            )
            for a in fans
            if rng.random() < habit[a.user_id]
        ]
        record(world, "leader_rt", None, tweets, "manual", automated=False)
