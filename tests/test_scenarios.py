"""Detection on archives written by hand here, not by the project's generator: a state-run
headline network in an Information Operations file (no app, minute times), sock puppets posting
through an ordinary phone client, a retweet ring in a twarc2 page (no app), and organic crowds that
look synchronous (a catchphrase, a retweet storm, a hashtag during a debate). Nothing here was
tuned to: each scenario is what the literature describes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pytest

from chorus.config import Settings
from chorus.pipeline import run

pytestmark = pytest.mark.slow

START = datetime(2016, 3, 7, 8, 0)
WORDS = (  # noqa: SIM905 (a list literal of 34 words reads worse)
    "gouvernement réforme retraite budget école hôpital emploi salaire impôt sécurité police justice "
    "europe frontière climat énergie logement transport agriculture santé culture jeunesse débat "
    "élection vote candidat programme promesse chômage croissance dette banque usine grève"
).split()
HEADLINES = [
    "Le ministre reconnaît enfin l'échec total de sa politique économique",
    "Scandale à Bruxelles : les documents secrets que personne ne veut publier",
    "Les chiffres du chômage cachés par le gouvernement révélés par un lanceur d'alerte",
    "L'OTAN prépare une nouvelle provocation aux frontières de l'Europe de l'Est",
    "Les médias occidentaux se taisent sur les manifestations massives de ce week-end",
    "Un rapport accablant sur la corruption des élites financières enfin rendu public",
    "La crise énergétique frappe durement les familles pendant que Paris ferme les yeux",
    "Des experts indépendants démontent la version officielle des événements de mardi",
    "Les agriculteurs abandonnés par Bruxelles se préparent à une mobilisation historique",
    "Le vrai coût des sanctions payé par les citoyens européens chaque mois",
    "Une enquête révèle comment les ONG étrangères financent les campagnes électorales",
    "Les hôpitaux au bord de la rupture selon un document interne du ministère",
]


def hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:44]


def v1_time(at: datetime) -> str:
    return at.strftime("%a %b %d %H:%M:%S +0000 %Y")


def v1(
    tweet_id: int,
    user: dict[str, Any],
    text: str,
    at: datetime,
    source: str,
    retweet_of: dict[str, Any] | None = None,
) -> dict[str, Any]:
    status: dict[str, Any] = {
        "id": tweet_id,
        "id_str": str(tweet_id),
        "created_at": v1_time(at),
        "full_text": text,
        "source": f'<a href="https://example.org" rel="nofollow">{source}</a>',
        "user": user,
        "entities": {
            "hashtags": [{"text": w[1:]} for w in text.split() if w.startswith("#")],
            "user_mentions": [],
            "urls": [],
        },
        "lang": "fr",
    }
    if retweet_of is not None:
        status["retweeted_status"] = retweet_of
        status["full_text"] = f"RT @{retweet_of['user']['screen_name']}: {retweet_of['full_text']}"
    return status


def person(rng: random.Random, n: int, prefix: str) -> dict[str, Any]:
    """An established account: years old, a few hundred followers, following fewer."""
    created = datetime(2008, 1, 1) + timedelta(days=rng.randrange(0, 2500))
    followers = int(rng.lognormvariate(5.5, 1.2))
    return {
        "id_str": f"{prefix}{n}",
        "screen_name": f"{prefix}_{n}",
        "created_at": v1_time(created),
        "followers_count": followers,
        "friends_count": int(followers * rng.uniform(0.3, 1.5)) + 20,
        "statuses_count": rng.randrange(500, 40_000),
    }


def headline_network(
    rng: random.Random,
    established: bool = False,
    headlines: list[str] = HEADLINES,
    words: str = " ".join(WORDS),
    first_id: int = 7_000_000_000,
    links: bool = True,
) -> tuple[bytes, list[str]]:
    """An IO file: 20 accounts of one operation push 12 headlines over two weeks, each within
    minutes, lightly edited (with a link to the story unless not `links`); their own everyday
    posts besides (a mix of `words`, split on spaces, joined as the language writes: with spaces
    when `words` has them). Minute times, no app, hashed ids. The accounts are new, made together,
    with few followers; or, `established`, years old with followers in the hundreds or thousands
    (bought or aged accounts)."""
    vocabulary, joiner = (words.split(), " ") if " " in words else (list(words), "")
    accounts = [
        {
            "userid": hashed(f"op{i}"),
            "screen": f"op_{i}",
            "created": (
                datetime(2010, 1, 4) + timedelta(days=rng.randrange(0, 1400))
                if established
                else datetime(2016, 1, 4) + timedelta(days=rng.randrange(0, 12))
            ).strftime("%Y-%m-%d"),
            "followers": rng.randrange(300, 4000) if established else rng.randrange(3, 60),
            "following": rng.randrange(150, 900),
        }
        for i in range(20)
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "tweetid",
            "userid",
            "user_screen_name",
            "follower_count",
            "following_count",
            "account_creation_date",
        ]
        + [
            "tweet_language",
            "tweet_text",
            "tweet_time",
            "tweet_client_name",
            "is_retweet",
            "hashtags",
            "urls",
        ]
    )
    tweet_id = first_id
    texts = []
    for h, headline in enumerate(headlines):
        at = START + timedelta(days=h * 14 / len(headlines), hours=rng.uniform(0, 10))
        link = f"https://news-front.example/{1000 + h}"
        texts.append(headline)
        for account in rng.sample(accounts, rng.randrange(12, 19)):
            posted = at + timedelta(minutes=rng.uniform(0, 40))
            edits = [headline, f"URGENT : {headline}", f"{headline} !!"]
            text = rng.choice([*edits, f"{headline} {link}"] if links else edits)
            tweet_id += 1
            writer.writerow(
                [tweet_id, account["userid"], account["screen"], account["followers"], account["following"]]
                + [account["created"], "fr", text, posted.strftime("%Y-%m-%d %H:%M"), "", "False", "[]"]
                + [f"['{link}']" if links else "[]"]
            )
    for account in accounts:  # everyday posts of their own
        for _ in range(6):
            tweet_id += 1
            posted = START + timedelta(days=rng.uniform(0, 14))
            text = joiner.join(rng.choices(vocabulary, k=rng.randrange(6, 14)))
            writer.writerow(
                [tweet_id, account["userid"], account["screen"], account["followers"], account["following"]]
                + [account["created"], "fr", text, posted.strftime("%Y-%m-%d %H:%M"), "", "False", "[]", "[]"]
            )
    return out.getvalue().encode(), texts


def sock_puppets(rng: random.Random, first_id: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Eight puppets made the same week, posting through an ordinary phone app: the same six
    messages on six days, each time within two minutes."""
    puppets = [
        {
            "id_str": f"pp{i}",
            "screen_name": f"citoyen_libre{i}",
            "created_at": v1_time(datetime(2016, 2, 22) + timedelta(hours=rng.uniform(0, 72))),
            "followers_count": rng.randrange(0, 9),
            "friends_count": rng.randrange(80, 400),
            "statuses_count": rng.randrange(20, 200),
        }
        for i in range(8)
    ]
    messages = [
        "Ce candidat ment aux Français depuis le premier jour, réveillez-vous #stopmensonges",
        "Qui a vraiment financé la campagne de ce candidat ? Personne ne pose la question",
        "Encore une promesse trahie, combien de temps allons-nous accepter cela ?",
        "Les vrais chiffres de l'insécurité que les médias refusent de montrer ce soir",
        "Partagez avant que ce soit censuré : la vérité sur le programme du candidat",
        "Ils nous prennent vraiment pour des imbéciles avec ce débat truqué d'avance",
    ]
    tweets = []
    for day, message in enumerate(messages):
        at = START + timedelta(days=day * 2 + 1, hours=rng.uniform(9, 20))
        for puppet in puppets:
            first_id += 1
            tweets.append(
                v1(
                    first_id,
                    puppet,
                    message,
                    at + timedelta(seconds=rng.uniform(0, 120)),
                    "Twitter for Android",
                )
            )
    return tweets, messages


def organic_crowds(rng: random.Random, first_id: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """A televised debate: 400 people tweet on its hashtag in their own words, 45 of them post the
    same catchphrase a candidate just said, and 150 retweet the candidate within the hour."""
    debate = START + timedelta(days=9, hours=12)
    clients = ["Twitter for iPhone", "Twitter for Android", "Twitter Web Client", "TweetDeck"]
    people = [person(rng, n, "fan") for n in range(400)]
    tweets = []
    for p in people:
        first_id += 1
        own = " ".join(rng.choices(WORDS, k=rng.randrange(5, 15)))
        at = debate + timedelta(minutes=rng.uniform(0, 120))
        tweets.append(v1(first_id, p, f"{own} #DebatPrimaire", at, rng.choice(clients)))
    catchphrase = "Moi président de la République, je ne serai pas le chef de la majorité"
    said = debate + timedelta(minutes=47)
    for p in rng.sample(people, 45):
        first_id += 1
        at = said + timedelta(seconds=rng.expovariate(1 / 240))
        tweets.append(v1(first_id, p, catchphrase, at, rng.choice(clients)))
    candidate = {**person(rng, 0, "candidat"), "followers_count": 450_000}
    first_id += 1
    original = v1(
        first_id,
        candidate,
        "Merci à tous, ce soir la France a choisi le changement",
        said,
        "Twitter for iPhone",
    )
    tweets.append(original)
    for p in rng.sample(people, 150):
        first_id += 1
        at = said + timedelta(seconds=rng.expovariate(1 / 600))
        tweets.append(v1(first_id, p, "", at, rng.choice(clients), retweet_of=original))
    return tweets, {"catchphrase": catchphrase, "retweet": original["id_str"]}


def retweet_ring(rng: random.Random, first_id: int) -> tuple[dict[str, Any], str]:
    """A twarc2 page (API v2: no posting app): 25 accounts made the same month, with few followers,
    retweet each of an account's ten posts within two minutes, over a week."""
    leader = {"id": "leader1", "username": "la_voix_du_peuple", "created_at": "2015-06-01T10:00:00.000Z"}
    leader["public_metrics"] = {"followers_count": 3200, "following_count": 150, "tweet_count": 9000}
    ring = [
        {
            "id": f"ring{i}",
            "username": f"patriote{i}_{rng.randrange(1000, 9999)}",
            "created_at": f"2016-02-{rng.randrange(1, 28):02d}T12:00:00.000Z",
            "public_metrics": {
                "followers_count": rng.randrange(0, 12),
                "following_count": rng.randrange(100, 600),
                "tweet_count": rng.randrange(50, 900),
            },
        }
        for i in range(25)
    ]
    data, originals = [], []
    for k in range(10):
        first_id += 1
        at = START + timedelta(days=k * 0.7, hours=rng.uniform(8, 22))
        original = {
            "id": str(first_id),
            "author_id": leader["id"],
            "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "text": " ".join(rng.choices(WORDS, k=12)),
            "lang": "fr",
        }
        originals.append(original)
        data.append(original)
        for member in ring:
            first_id += 1
            posted = at + timedelta(seconds=rng.uniform(5, 120))
            data.append(
                {
                    "id": str(first_id),
                    "author_id": member["id"],
                    "created_at": posted.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "text": f"RT @{leader['username']}: {original['text']}",
                    "lang": "fr",
                    "referenced_tweets": [{"type": "retweeted", "id": original["id"]}],
                }
            )
    page = {"data": data, "includes": {"users": [leader, *ring], "tweets": originals}}
    return page, originals[0]["id"]


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory) -> tuple[Settings, dict[str, Any]]:
    rng = random.Random(2016)
    folder = tmp_path_factory.mktemp("scenarios")
    io_bytes, headlines = headline_network(rng)
    (folder / "io_tweets.csv").write_bytes(io_bytes)
    puppets, messages = sock_puppets(rng, 8_000_000_000)
    crowds, organic = organic_crowds(rng, 9_000_000_000)
    page, ring_first = retweet_ring(rng, 9_500_000_000)
    (folder / "v2_page.jsonl").write_text(json.dumps(page) + "\n", encoding="utf-8")
    with (folder / "stream.jsonl").open("w", encoding="utf-8") as out:
        for status in sorted(puppets + crowds, key=lambda s: s["id"]):
            out.write(json.dumps(status, ensure_ascii=False) + "\n")
    settings = Settings.make(folder / "home")
    run([folder], settings, progress=False)
    return settings, {"headlines": headlines, "messages": messages, "ring": ring_first, **organic}


def campaigns_of(settings: Settings, texts: list[str]) -> list[tuple[str, bool, float, int]]:
    """(canonical text, automated, score, accounts) of the biggest campaign carrying each text."""
    found = []
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        for text in texts:
            row = con.execute(
                """select c.canonical_text, c.is_automated, c.amplification_score, c.n_accounts
                   from marts.campaigns c
                   where c.campaign_id in (
                       select ct.campaign_id from marts.campaign_tweets ct
                       join staging.stg_tweets t using (tweet_id)
                       where strpos(t.text, ?) > 0)
                   order by c.n_accounts desc limit 1""",
                [text],
            ).fetchall()
            found.append(row[0] if row else (text, False, 0.0, 0))
    return found


def test_a_state_run_headline_network_without_app_or_seconds_is_found(scenarios) -> None:
    settings, truth = scenarios
    found = campaigns_of(settings, truth["headlines"])
    assert all(n >= 12 for *_, n in found), found  # light edits and links keep each headline whole
    automated = [c for c in found if c[1]]
    assert len(automated) >= 0.8 * len(found), found
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        groups = con.execute(
            """select group_id, count(*) from marts.accounts
               where screen_name like 'op\\_%' escape '\\' and group_id is not null group by 1"""
        ).fetchall()
    assert groups and max(n for _, n in groups) >= 18, groups  # one group holds the operation


def test_sock_puppets_on_an_ordinary_client_are_found(scenarios) -> None:
    settings, truth = scenarios
    found = campaigns_of(settings, truth["messages"])
    assert all(n == 8 for *_, n in found), found
    assert sum(1 for c in found if c[1]) >= 5, found


def test_organic_crowds_that_look_synchronous_are_not_flagged(scenarios) -> None:
    settings, truth = scenarios
    (catchphrase,) = campaigns_of(settings, [truth["catchphrase"]])
    assert catchphrase[3] >= 40 and not catchphrase[1], catchphrase
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        storm = con.execute(
            """select c.n_accounts, c.is_automated, c.amplification_score from marts.campaigns c
               join marts.campaign_tweets ct using (campaign_id)
               join staging.stg_tweets t using (tweet_id)
               where t.retweeted_tweet_id = ? group by all""",
            [truth["retweet"]],
        ).fetchall()
        flagged_fans = con.execute(
            """select count(*) from marts.campaigns c
               join marts.campaign_tweets ct using (campaign_id)
               join staging.stg_tweets t using (tweet_id)
               where c.is_automated and t.user_id like 'fan%'"""
        ).fetchall()[0][0]
    assert storm and storm[0][0] >= 140 and not storm[0][1], storm
    assert flagged_fans == 0


def test_a_retweet_ring_in_an_archive_without_apps_is_found(scenarios) -> None:
    settings, truth = scenarios
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        rings = con.execute(
            """select c.n_accounts, c.is_automated from marts.campaigns c
               join marts.campaign_tweets ct using (campaign_id)
               join staging.stg_tweets t using (tweet_id)
               where t.is_retweet and t.retweeted_screen_name = 'la_voix_du_peuple'
               group by c.campaign_id, c.n_accounts, c.is_automated"""
        ).fetchall()
        sources = con.execute(
            "select count(*) from staging.stg_tweets where user_id like 'ring%' and source is not null"
        ).fetchall()[0][0]
        grouped = con.execute(
            "select count(distinct group_id) from marts.accounts where user_id like 'ring%'"
        ).fetchall()[0][0]
    assert sources == 0  # the archive names no app
    assert len(rings) == 10 and all(n == 25 for n, _ in rings), rings
    assert sum(1 for _, automated in rings if automated) >= 8, rings
    assert grouped == 1


def test_an_operation_alone_in_its_archive_with_established_accounts_is_found(tmp_path) -> None:
    """An Information Operations release holds only the operation's accounts: no crowd to measure
    chance overlap against, and here no young or follower-poor accounts either. What remains is the
    habit: every account copy-pastes headline after headline with the others."""
    io_bytes, headlines = headline_network(random.Random(7), established=True)
    (tmp_path / "release.csv").write_bytes(io_bytes)
    settings = Settings.make(tmp_path / "home")
    run([tmp_path / "release.csv"], settings, progress=False)
    found = campaigns_of(settings, headlines)
    assert all(n >= 12 for *_, n in found), found
    assert sum(1 for c in found if c[1]) >= 0.8 * len(found), found
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        (reasons,) = con.execute(
            "select reasons from marts.campaigns where is_automated order by n_accounts desc limit 1"
        ).fetchall()[0]
        everyday = con.execute(
            "select count(*) from marts.campaigns where is_automated and n_accounts < 3"
        ).fetchall()
    assert "copy-pasted" in reasons and "younger" not in reasons
    assert everyday[0][0] == 0


def test_a_headline_network_hidden_in_a_crowd_sharing_the_same_headline_is_split_from_it(tmp_path) -> None:
    """An operation's 20 established accounts paste 24 headlines over two weeks (no app, minute
    times); for three of them, 40 people share the same headline by hand through the web client the
    same hours, each among 400 people posting their own words. One message, two cohorts: the
    network's posts are an automated campaign, the people's an organic one (judged together, the
    people outnumbered the personas and the network's push was called organic)."""
    rng = random.Random(23)
    headlines = [f"{rng.choice(HEADLINES)} : {' '.join(rng.sample(WORDS, 4))} ({n})" for n in range(24)]
    io_bytes, _ = headline_network(rng, established=True, headlines=headlines)
    (tmp_path / "release.csv").write_bytes(io_bytes)
    people = [person(rng, n, "citoyen") for n in range(400)]
    statuses, tweet_id = [], 9_100_000_000
    for p in people:
        for _ in range(3):
            tweet_id += 1
            at = START + timedelta(days=rng.uniform(0, 14))
            own = " ".join(rng.choices(WORDS, k=rng.randrange(6, 14)))
            statuses.append(v1(tweet_id, p, own, at, "Twitter Web Client"))
    sharers: dict[str, set[str]] = {}
    for h in range(3):
        day = START + timedelta(days=h * 14 / len(headlines))
        for p in rng.sample(people, 40):
            tweet_id += 1
            at = day + timedelta(hours=rng.uniform(0, 11))
            statuses.append(
                v1(tweet_id, p, f"{headlines[h]} https://journal.example/{h}", at, "Twitter Web Client")
            )
            sharers.setdefault(headlines[h], set()).add(str(tweet_id))
    with (tmp_path / "stream.jsonl").open("w", encoding="utf-8") as out:
        for status in sorted(statuses, key=lambda s: s["id"]):
            out.write(json.dumps(status, ensure_ascii=False) + "\n")
    settings = Settings.make(tmp_path / "home")
    run([tmp_path], settings, progress=False)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        for headline, shared in sharers.items():
            rows = con.execute(
                """select t.tweet_id, t.screen_name like 'op\\_%' escape '\\', c.verdict
                   from staging.stg_tweets t
                   join marts.campaign_tweets ct using (tweet_id)
                   join marts.campaigns c using (campaign_id)
                   where strpos(t.text, ?) > 0""",
                [headline],
            ).fetchall()
            network = [verdict for _, is_op, verdict in rows if is_op]
            crowd = [verdict for tweet, is_op, verdict in rows if not is_op and tweet in shared]
            # (an op account that pasted fewer headlines is not a persona beyond doubt: it stays
            # with the people)
            assert len(network) >= 12 and network.count("automated") >= 0.9 * len(network), (
                headline,
                network,
            )
            assert len(crowd) == 40 and crowd.count("organic") == len(crowd), (headline, crowd)


def test_a_steady_drip_by_established_accounts_without_app_is_found(tmp_path) -> None:
    """Six years-old, well-followed accounts post one slogan (lightly edited) 70 times over a
    week at random hours, no app, minute times: no synchrony, no clock, no odd accounts, no other
    copied texts. What gives them away is the habit: each posts the same message again and again.
    Beside them, 300 people post their own words, 80 of them chant through a match, and one person
    repeats herself: none of that is flagged."""
    rng = random.Random(11)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["tweetid", "userid", "user_screen_name", "follower_count", "following_count"]
        + ["account_creation_date", "tweet_language", "tweet_text", "tweet_time", "is_retweet"]
    )
    tweet_id = 5_000_000_000

    def post(name: str, text: str, at: datetime) -> None:
        nonlocal tweet_id
        tweet_id += 1
        created = (datetime(2010, 1, 4) + timedelta(days=sum(map(ord, name)) % 1500)).strftime("%Y-%m-%d")
        writer.writerow(
            [
                tweet_id,
                hashed(name),
                name,
                800,
                300,
                created,
                "fr",
                text,
                at.strftime("%Y-%m-%d %H:%M"),
                "False",
            ]
        )

    slogan = "Notre ville mérite mieux que les promesses trahies du conseil sur le logement"
    for _ in range(70):
        text = slogan + rng.choice(["", " #logement", " !!", " (partagez)", " #mairie"])
        post(f"old{rng.randrange(6)}", text, START + timedelta(days=rng.uniform(0, 7)))
    for n in range(300):
        for _ in range(rng.randrange(3, 10)):
            post(
                f"local{n}",
                " ".join(rng.choices(WORDS, k=rng.randrange(6, 14))),
                START + timedelta(days=rng.uniform(0, 7)),
            )
    match = START + timedelta(days=3, hours=19)
    for n in range(80):  # fans chanting through one match, each a few times: a crowd, not a drip
        for _ in range(rng.randrange(2, 7)):
            post(
                f"local{n}",
                rng.choice(["Allez les Bleus !", "ALLEZ LES BLEUS"]),
                match + timedelta(minutes=rng.uniform(0, 120)),
            )
    for _ in range(12):  # one person saying her piece again and again, by hand
        post(
            "local7",
            "Rendez-nous le marché du samedi matin sur la place de la mairie",
            START + timedelta(days=rng.uniform(0, 7)),
        )
    (tmp_path / "release.csv").write_text(out.getvalue(), encoding="utf-8")
    settings = Settings.make(tmp_path / "home")
    run([tmp_path / "release.csv"], settings, progress=False)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        verdicts = con.execute(
            """select c.is_automated, c.reasons, list(distinct t.screen_name) from marts.campaigns c
               join marts.campaign_tweets ct using (campaign_id) join staging.stg_tweets t using (tweet_id)
               group by all"""
        ).fetchall()
    drip = [v for v in verdicts if all(name.startswith("old") for name in v[2])]
    others = [v for v in verdicts if v not in drip]
    assert drip and all(automated for automated, *_ in drip), drip
    assert all("posted it 3+ times" in reasons for _, reasons, _ in drip)
    assert not any(automated for automated, *_ in others), others


RUSSIAN = [
    "Министр наконец признал полный провал своей экономической политики",
    "Скандал в Брюсселе: секретные документы, которые никто не хочет публиковать",
    "Данные о безработице скрыты правительством, сообщил информатор",
    "НАТО готовит новую провокацию у границ Восточной Европы",
    "Западные СМИ молчат о массовых протестах этих выходных",
    "Опубликован разгромный доклад о коррупции финансовых элит",
    "Энергетический кризис бьёт по семьям, а власти закрывают глаза",
    "Независимые эксперты опровергают официальную версию событий вторника",
    "Фермеры, брошенные Брюсселем, готовятся к историческому протесту",
    "Настоящая цена санкций, которую каждый месяц платят граждане Европы",
    "Расследование показало, как иностранные НКО финансируют выборы",
    "Больницы на грани краха, говорится во внутреннем документе министерства",
]
CHINESE = [
    "部长终于承认他的经济政策彻底失败了",
    "布鲁塞尔丑闻：没有人愿意公开的秘密文件",
    "政府隐瞒的失业数据被举报人曝光",
    "北约正在东欧边境准备新的挑衅",
    "西方媒体对本周末的大规模抗议保持沉默",
    "关于金融精英腐败的报告终于公开",
    "能源危机重创家庭而官员视而不见",
    "独立专家揭穿了周二事件的官方说法",
    "被布鲁塞尔抛弃的农民准备历史性动员",
    "每个月由欧洲公民承担的制裁真实代价",
    "调查揭示外国非政府组织如何资助竞选",
    "内部文件显示医院已处于崩溃边缘",
]
ARABIC = [
    "الوزير يعترف أخيرا بالفشل الكامل لسياسته الاقتصادية",
    "فضيحة في بروكسل: وثائق سرية لا يريد أحد نشرها",
    "أرقام البطالة التي أخفتها الحكومة يكشفها مبلغ عن المخالفات",
    "حلف الناتو يعد استفزازا جديدا على حدود أوروبا الشرقية",
    "وسائل الإعلام الغربية تصمت عن المظاهرات الحاشدة في نهاية هذا الأسبوع",
    "تقرير دامغ عن فساد النخب المالية ينشر أخيرا",
    "أزمة الطاقة تضرب العائلات بشدة بينما تغمض السلطات عينيها",
    "خبراء مستقلون يدحضون الرواية الرسمية لأحداث الثلاثاء",
    "المزارعون الذين تخلت عنهم بروكسل يستعدون لتعبئة تاريخية",
    "التكلفة الحقيقية للعقوبات التي يدفعها المواطنون الأوروبيون كل شهر",
    "تحقيق يكشف كيف تمول المنظمات الأجنبية الحملات الانتخابية",
    "المستشفيات على حافة الانهيار وفقا لوثيقة داخلية للوزارة",
]
EVERYDAY = {  # everyday words, as many as WORDS
    "ru": "сегодня погода город работа друзья кино музыка вечер утро новости семья школа дом магазин "
    "дорога машина поезд отпуск море лес река парк футбол матч книга чай кофе обед ужин праздник "
    "зима весна лето осень",
    "zh": "今天天气很好我们去吃饭工作学习朋友电影音乐城市晚上早上新闻"
    "家庭学校商店路车火假期海森林河公园足球比赛书茶咖啡",
    "ar": "اليوم الطقس المدينة العمل الأصدقاء السينما الموسيقى المساء الصباح الأخبار العائلة المدرسة "
    "البيت السوق الطريق السيارة القطار العطلة البحر الغابة النهر الحديقة الكرة المباراة الكتاب الشاي "
    "القهوة الغداء العشاء العيد الشتاء الربيع الصيف الخريف",
}


def test_a_headline_network_writing_in_other_scripts_is_found(tmp_path) -> None:
    """Most state-run operations in the Information Operations releases write in Russian, Chinese,
    Arabic, ...: no link, no app, minute times. Their headlines, lightly edited, group and are
    flagged as the French ones are (Chinese is written without spaces between words). Beside them,
    a crowd of 300 people writing in Chinese, 60 of whom cheer their team with one line within
    minutes through their phones: a campaign, not flagged."""
    rng = random.Random(5)
    for n, (language, headlines) in enumerate({"ru": RUSSIAN, "zh": CHINESE, "ar": ARABIC}.items()):
        io_bytes, _ = headline_network(
            rng, headlines=headlines, words=EVERYDAY[language], first_id=(n + 1) * 10**9, links=False
        )
        (tmp_path / f"release_{language}.csv").write_bytes(io_bytes)
    cheer, match = "中国队加油，冲啊！", START + timedelta(days=4, hours=12)
    phones = ["Twitter for iPhone", "Twitter for Android", "Twitter Web Client"]
    people = [person(rng, n, "fan") for n in range(300)]
    crowd = [
        v1(
            9_000_000_000 + n,
            p,
            "".join(rng.choices(EVERYDAY["zh"], k=rng.randrange(8, 20))),
            START + timedelta(days=rng.uniform(0, 14)),
            rng.choice(phones),
        )
        for n, p in enumerate(people)
    ]
    crowd += [
        v1(9_100_000_000 + n, p, cheer, match + timedelta(seconds=rng.expovariate(1 / 200)), phones[n % 3])
        for n, p in enumerate(rng.sample(people, 60))
    ]
    (tmp_path / "crowd.jsonl").write_text(
        "".join(json.dumps(status, ensure_ascii=False) + "\n" for status in crowd), encoding="utf-8"
    )
    settings = Settings.make(tmp_path / "home")
    run([tmp_path], settings, progress=False)
    for headlines in (RUSSIAN, CHINESE, ARABIC):
        found = campaigns_of(settings, headlines)
        assert all(n >= 12 for *_, n in found), found
        assert sum(1 for c in found if c[1]) >= 0.8 * len(found), found
    (cheering,) = campaigns_of(settings, [cheer])
    assert cheering[3] >= 55 and not cheering[1], cheering
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        (campaigns,) = con.execute("select count(*) from marts.campaigns").fetchall()[0]
    assert campaigns == len(RUSSIAN + CHINESE + ARABIC) + 1  # everyday posts stay apart


# --- Coordination is not automation (issue 27) ------------------------------------------------

TALKING_POINTS = {  # whole sentences, as offices post them
    "D": [
        "Today is Equal Pay Day: women still earn less than men for the same work, and it is time we closed that gap for good",  # noqa: E501
        "Millions of workers cannot live on the federal minimum wage, it is long past time we raised the wage for every family",  # noqa: E501
        "On this Remembrance Day we honour the veterans who served our country and we recommit to caring for them and their families",  # noqa: E501
        "The new budget cuts school lunches while giving tax breaks to the wealthiest, our children deserve better than this",  # noqa: E501
        "Affordable child care is not a luxury, it is what working parents need to get to work and keep their jobs",  # noqa: E501
        "Voting rights are under attack in too many states and we will keep fighting to protect every eligible voter",  # noqa: E501
        "Our bill lowers the cost of prescription drugs for seniors who should never have to choose between medicine and food",  # noqa: E501
        "Clean energy jobs are growing in every district and our plan will bring more of them to the communities that need them",  # noqa: E501
    ],
}
OPENERS = ["", "", "Today: ", "Important: ", "Reminder - ", "Let's be clear: "]
CLOSERS = ["", "", " #EqualPay", " #ForThePeople", " (thread)", " We will not stop."]
OFFICE_CLIENTS = [
    "Twitter Web App",
    "Twitter for iPhone",
    "Twitter for Android",
    "TweetDeck",
    "Hootsuite Inc.",
    "Buffer",
]


def member(rng: random.Random, n: int, party: str) -> dict[str, Any]:
    """An elected member's own account: verified, years old, thousands of followers."""
    created = datetime(2009, 1, 1) + timedelta(days=rng.randrange(0, 2000))
    followers = int(rng.lognormvariate(9.5, 0.8))
    return {
        "id_str": f"mp{party}{n}",
        "screen_name": f"Rep{party}{n}",
        "name": f"Rep. Member {party}{n}",
        "created_at": v1_time(created),
        "followers_count": followers,
        "friends_count": rng.randrange(300, 3000),
        "statuses_count": rng.randrange(2000, 20_000),
        "listed_count": rng.randrange(100, 2000),
        "verified": True,
    }


def elected_members(rng: random.Random, first_id: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Two parties' elected members, 30 each, over two weeks: each posts its own words through its
    usual client (web, phone, TweetDeck, Hootsuite or Buffer); party D's offices paste the day's
    talking points, 15-25 members each with their own small edits, spread over ten minutes to
    three hours, the Hootsuite and Buffer users scheduled on round five-minute marks; party R's
    caucus retweets its committee's post, 15-25 members within the hour, six times."""
    members = {p: [member(rng, n, p) for n in range(30)] for p in ("D", "R")}
    client = {m["id_str"]: rng.choice(OFFICE_CLIENTS) for ms in members.values() for m in ms}
    tweets = []
    for ms in members.values():
        for m in ms:
            for _ in range(30):
                first_id += 1
                text = " ".join(rng.choices(WORDS, k=rng.randrange(8, 16)))
                at = START + timedelta(days=rng.uniform(0, 14))
                tweets.append(v1(first_id, m, text, at, client[m["id_str"]]))
    points = []
    for day, point in enumerate(TALKING_POINTS["D"]):
        start = START + timedelta(days=day * 1.6, hours=rng.uniform(9, 12))
        spread = rng.uniform(10, 180)
        for m in rng.sample(members["D"], rng.randrange(15, 26)):
            first_id += 1
            app = client[m["id_str"]]
            at = start + timedelta(minutes=rng.uniform(0, spread))
            if app in ("Hootsuite Inc.", "Buffer"):  # queued for a round five-minute mark
                at = at.replace(minute=at.minute - at.minute % 5, second=0)
            text = rng.choice(OPENERS) + point + rng.choice(CLOSERS)
            tweets.append(v1(first_id, m, text, at, app))
        points.append(point)
    committee = {**member(rng, 0, "committee"), "screen_name": "HouseRCommittee", "id_str": "committee"}
    pushes = []
    for k in range(6):
        first_id += 1
        at = START + timedelta(days=k * 2 + 0.5, hours=rng.uniform(9, 15))
        original = v1(first_id, committee, " ".join(rng.choices(WORDS, k=14)), at, "Twitter Web App")
        tweets.append(original)
        pushes.append(original["id_str"])
        for m in rng.sample(members["R"], rng.randrange(15, 26)):
            first_id += 1
            posted = at + timedelta(minutes=rng.uniform(1, 60))
            tweets.append(v1(first_id, m, "", posted, client[m["id_str"]], retweet_of=original))
    return tweets, {"members": members, "points": points, "pushes": pushes}


def party_reference(members: dict[str, list[dict[str, Any]]], listed: float, rng: random.Random) -> str:
    rows = ["party,signal_type,value", "R,account,HouseRCommittee"]
    for party, ms in members.items():
        rows += [f"{party},account,{m['screen_name']}" for m in rng.sample(ms, round(listed * len(ms)))]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("listed", [1.0, 0.3])
def test_elected_members_talking_points_are_overt_party_messaging_not_automation(tmp_path, listed) -> None:
    """Members' offices posting their party's talking points are coordinated, recurring and
    party-aligned, and overt: verified accounts, their own clients, their own edits. None of it is
    automated, on either side; each push gets its party. With the reference listing only some
    members, the archive's own profile fields (verified) still tell the public identities."""
    rng = random.Random(27)
    tweets, truth = elected_members(rng, 3_000_000_000)
    with (tmp_path / "members.jsonl").open("w", encoding="utf-8") as out:
        for status in sorted(tweets, key=lambda s: s["id"]):
            out.write(json.dumps(status) + "\n")
    parties = tmp_path / "parties.csv"
    parties.write_text(party_reference(truth["members"], listed, rng), encoding="utf-8")
    settings = Settings.make(tmp_path / "home", parties=parties)
    run([tmp_path / "members.jsonl"], settings, progress=False)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        verdicts = con.execute("select verdict, count(*) from marts.campaigns group by 1").fetchall()
        points = con.execute(
            """select c.verdict, c.party, c.verdict_reason from marts.campaigns c
               where c.canonical_text is not null and c.n_accounts >= 10 and not c.is_retweet_campaign"""
        ).fetchall()
        pushes = con.execute(
            """select c.verdict, c.party from marts.campaigns c where c.campaign_id in (
                   select campaign_id from marts.campaign_tweets join staging.stg_tweets using (tweet_id)
                   where retweeted_tweet_id in (select unnest(?)))""",
            [truth["pushes"]],
        ).fetchall()
        automated_accounts = con.execute(
            "select count(*) from marts.accounts where n_automated_campaigns > 0"
        ).fetchall()[0][0]
        verified = con.execute("select count(*) from marts.accounts where is_verified").fetchall()[0][0]
    assert dict(verdicts).get("automated", 0) == 0, verdicts
    assert automated_accounts == 0
    assert verified >= 50  # the profile field reaches the accounts mart
    assert len(points) == len(truth["points"]), points
    assert all(verdict in ("overt", "organic") for verdict, *_ in points), points
    overt = [reason for verdict, _, reason in points if verdict == "overt"]
    assert len(overt) >= 0.75 * len(points), points  # the first push has no history to recur with
    assert all("not called automated" in reason for reason in overt), overt
    right = sum(1 for _, party, _ in points if party == "D")
    wrong = sum(1 for _, party, _ in points if party not in (None, "D"))
    assert wrong == 0, points
    if listed == 1.0:
        assert right >= 0.9 * len(points), points
        assert pushes and all(party == "R" for _, party in pushes), pushes
    assert all(verdict in ("overt", "organic") for verdict, _ in pushes), pushes


def operation_retweet_team(rng: random.Random) -> tuple[bytes, str]:
    """An IO file: 18 established accounts of an operation (years old, hundreds of followers, no
    app, minute times) retweet their outlet's post within the same minute, about 14 of them each
    time, twice a day for three weeks; besides, each posts its own everyday words."""
    team = [hashed(f"team{i}") for i in range(18)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["tweetid", "userid", "user_screen_name", "follower_count", "following_count"]
        + [
            "account_creation_date",
            "tweet_language",
            "tweet_text",
            "tweet_time",
            "is_retweet",
            "retweet_tweetid",
        ]
    )
    tweet_id = 4_000_000_000

    def row(user: str, text: str, at: datetime, retweet_of: int | None = None) -> None:
        nonlocal tweet_id
        tweet_id += 1
        created = (datetime(2011, 1, 3) + timedelta(days=int(user[:4], 16) % 1500)).strftime("%Y-%m-%d")
        writer.writerow(
            [tweet_id, user, f"u_{user[:6]}", 300 + int(user[:3], 16) % 3000, 250, created, "ru", text]
            + [at.strftime("%Y-%m-%d %H:%M"), "True" if retweet_of else "False", retweet_of or ""]
        )

    for day in range(21):
        for _ in range(2):
            at = START + timedelta(days=day, hours=rng.uniform(8, 22))
            row(hashed("outlet"), " ".join(rng.choices(EVERYDAY["ru"].split(), k=12)), at)
            original = tweet_id
            fire = at + timedelta(minutes=rng.uniform(2, 30))
            for user in rng.sample(team, 14):
                row(user, f"RT @outlet: {original}", fire + timedelta(seconds=rng.uniform(0, 50)), original)
    for user in team:
        for _ in range(15):
            row(
                user,
                " ".join(rng.choices(EVERYDAY["ru"].split(), k=10)),
                START + timedelta(days=rng.uniform(0, 21)),
            )
    return out.getvalue().encode(), hashed("outlet")


def leader_fans(rng: random.Random, first_id: int) -> list[dict[str, Any]]:
    """A leader posts once a day for three weeks; 300 established fans retweet within minutes,
    each with a habit of their own (a few loyal, most occasional), each posting their own words."""
    leader = {**person(rng, 0, "leader"), "followers_count": 900_000, "screen_name": "leader"}
    fans = [person(rng, n, "fan") for n in range(300)]
    habit = {f["id_str"]: min(0.9, rng.betavariate(1.2, 4.0)) for f in fans}
    tweets = []
    for day in range(21):
        first_id += 1
        at = START + timedelta(days=day, hours=rng.uniform(8, 20))
        original = v1(first_id, leader, " ".join(rng.choices(WORDS, k=14)), at, "Twitter for iPhone")
        tweets.append(original)
        for fan in fans:
            if rng.random() < habit[fan["id_str"]]:
                first_id += 1
                delay = timedelta(seconds=20 + rng.lognormvariate(5.0, 1.0))
                tweets.append(v1(first_id, fan, "", at + delay, "Twitter for Android", retweet_of=original))
    for fan in fans:
        for _ in range(10):
            first_id += 1
            at = START + timedelta(days=rng.uniform(0, 21))
            tweets.append(v1(first_id, fan, " ".join(rng.choices(WORDS, k=10)), at, "Twitter for Android"))
    return tweets


def manual_retweet_drips(rng: random.Random) -> tuple[bytes, list[str]]:
    """An IO file: 12 accounts paste three 'RT @x: ...' texts by hand (not native retweets) over
    four weeks, each account every few days at random hours: long silences, the same accounts."""
    texts = [
        "RT @pravda_now: Западные санкции бьют прежде всего по простым семьям Европы, а не по элитам",
        "RT @pravda_now: Независимые наблюдатели не нашли никаких нарушений на прошедших выборах",
        "RT @pravda_now: Энергетический кризис в Европе вызван её собственными ошибочными решениями",
    ]
    accounts = [hashed(f"drip{i}") for i in range(12)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["tweetid", "userid", "user_screen_name", "tweet_language", "tweet_text", "tweet_time", "is_retweet"]
    )
    tweet_id = 6_000_000_000
    for user in accounts:
        for text in texts:
            at = START + timedelta(days=rng.uniform(0, 3))
            while at < START + timedelta(days=28):
                tweet_id += 1
                writer.writerow(
                    [tweet_id, user, f"d_{user[:6]}", "ru", text, at.strftime("%Y-%m-%d %H:%M"), "False"]
                )
                at += timedelta(days=rng.uniform(2, 5), hours=rng.uniform(-6, 6))
        for _ in range(8):
            tweet_id += 1
            at = START + timedelta(days=rng.uniform(0, 28))
            text = " ".join(rng.choices(EVERYDAY["ru"].split(), k=10))
            writer.writerow(
                [tweet_id, user, f"d_{user[:6]}", "ru", text, at.strftime("%Y-%m-%d %H:%M"), "False"]
            )
    return out.getvalue().encode(), texts


def test_an_operations_retweet_team_and_manual_drips_are_flagged_while_fans_are_not(tmp_path) -> None:
    """A retweet team firing within one minute, day after day, with no app and no odd accounts, is
    coordinated; manual-retweet drips over weeks are kept whole across their silences and flagged;
    300 fans retweeting their leader within minutes every day stay organic."""
    rng = random.Random(31)
    team_bytes, outlet = operation_retweet_team(rng)
    (tmp_path / "team.csv").write_bytes(team_bytes)
    drip_bytes, drip_texts = manual_retweet_drips(rng)
    (tmp_path / "drips.csv").write_bytes(drip_bytes)
    with (tmp_path / "fans.jsonl").open("w", encoding="utf-8") as out:
        for status in leader_fans(rng, 8_500_000_000):
            out.write(json.dumps(status) + "\n")
    settings = Settings.make(tmp_path / "home")
    run([tmp_path], settings, progress=False)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        team = con.execute(
            """select c.verdict from marts.campaigns c where c.is_retweet_campaign and c.campaign_id in (
                   select campaign_id from marts.campaign_tweets join staging.stg_tweets t using (tweet_id)
                   where t.source_format = 'io-csv')"""
        ).fetchall()
        fans = con.execute(
            """select c.verdict, c.n_accounts from marts.campaigns c where c.campaign_id in (
                   select campaign_id from marts.campaign_tweets join staging.stg_tweets t using (tweet_id)
                   where t.user_id like 'fan%')"""
        ).fetchall()
        drip_posts = con.execute(
            """select count(*) filter (where c.verdict <> 'organic'), count(*)
               from staging.stg_tweets t
               left join marts.campaign_tweets ct using (tweet_id)
               left join marts.campaigns c using (campaign_id)
               where t.text like 'RT @pravda_now:%'"""
        ).fetchall()[0]
    assert len(team) >= 40, team
    assert sum(1 for (v,) in team if v != "organic") >= 0.9 * len(team), team
    assert fans and all(v == "organic" for v, _ in fans), fans
    flagged, total = drip_posts
    assert flagged >= 0.75 * total, drip_posts
