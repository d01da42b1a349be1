"""What R researchers hold: twitteR's `twListToDF`, rtweet's `write_as_csv` (0.7 columns) and 1.x
columns, academictwitteR's `bind_tweets`, and any table through a column map - each as the
package writes it and as a spreadsheet leaves it (Windows-1252 text, CRLF, ids in scientific
notation, day-first dates to the minute). Fixtures are written here from the packages' documented
columns; the same tweets as v1.1 JSON are the yardstick."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chorus.config import Settings
from chorus.ingest import ingest
from chorus.ingest.rtables import AmbiguousDates, Dates, decide_order, parse_column_map
from chorus.pipeline import run
from tests.conftest import chorus_cli, write_jsonl
from tests.test_hostile_runs import one_line_error

START = datetime(2016, 11, 23, 18, 0)
TWITTER_R = [
    "",
    "text",
    "favorited",
    "favoriteCount",
    "replyToSN",
    "created",
    "truncated",
    "replyToSID",
    "id",
    "replyToUID",
    "statusSource",
    "screenName",
    "retweetCount",
    "isRetweet",
    "retweeted",
]
RTWEET = [
    "user_id", "status_id", "created_at", "screen_name", "text", "source", "display_text_width",
    "reply_to_status_id", "reply_to_user_id", "reply_to_screen_name", "is_quote", "is_retweet",
    "favorite_count", "retweet_count", "hashtags", "symbols", "urls_url", "urls_t.co",
    "urls_expanded_url", "media_url", "mentions_user_id", "mentions_screen_name", "lang",
    "quoted_status_id", "retweet_status_id", "retweet_text", "retweet_created_at", "retweet_source",
    "retweet_user_id", "retweet_screen_name", "name", "location", "description", "protected",
    "followers_count", "friends_count", "listed_count", "statuses_count", "favourites_count",
    "account_created_at", "verified", "profile_image_url",
]  # fmt: skip
ACADEMIC = [
    "tweet_id", "user_username", "text", "author_id", "conversation_id", "created_at", "lang",
    "in_reply_to_user_id", "possibly_sensitive", "sourcetweet_type", "sourcetweet_id",
    "sourcetweet_text", "sourcetweet_lang", "sourcetweet_author_id", "retweet_count", "like_count",
    "quote_count", "user_created_at", "user_name", "user_verified", "user_protected", "user_location",
    "user_description", "user_followers_count", "user_following_count", "user_tweet_count",
    "user_list_count",
]  # fmt: skip


def tweets(seed: int = 8) -> list[dict[str, Any]]:
    """Two days of an election night: 60 accounts' own words (some with an ellipsis and accents),
    a line 15 of them paste within minutes, and a post 20 of them retweet within the hour."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    tweet_id = 801_496_123_456_789_000

    def add(user: int, text: str, at: datetime, retweet: dict[str, Any] | None = None) -> dict[str, Any]:
        nonlocal tweet_id
        tweet_id += rng.randrange(1_000, 900_000)
        status = {"id": tweet_id, "user": user, "text": text, "at": at.replace(microsecond=0), "rt": retweet}
        out.append(status)
        return status

    words = [f"{rng.choice(['élection', 'État', 'vote', 'ville'])}{n}" for n in range(3000)]
    for user in range(60):
        for _ in range(5):
            text = " ".join(rng.choices(words, k=rng.randrange(5, 11))) + rng.choice(["", "…", " !"])
            add(user, text, START + timedelta(hours=rng.uniform(0, 40)))
    line = "Les résultats définitifs tombent ce soir… restez mobilisés jusqu'au bout"
    for user in rng.sample(range(60), 15):
        add(user, line, START + timedelta(hours=3, minutes=rng.uniform(0, 6)))
    for hour in (1, 9, 17):  # one account repeating itself: three posts, not one
        add(7, "On lâche rien, tout le monde aux urnes demain matin !", START + timedelta(hours=hour))
    original = add(60, "Merci à toutes et à tous, la victoire est à nous ce soir", START + timedelta(hours=5))
    for user in rng.sample(range(60), 20):
        add(user, "", START + timedelta(hours=5, minutes=rng.uniform(1, 50)), retweet=original)
    return out


def rt_text(status: dict[str, Any]) -> str:
    return f"RT @user{status['rt']['user']}: {status['rt']['text']}" if status["rt"] else status["text"]


def as_v1(statuses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def v1(s: dict[str, Any]) -> dict[str, Any]:
        status = {
            "id_str": str(s["id"]),
            "created_at": s["at"].strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "full_text": s["text"],
            "user": {"id_str": str(1000 + s["user"]), "screen_name": f"user{s['user']}"},
            "source": '<a href="http://twitter.com" rel="nofollow">Twitter Web Client</a>',
        }
        if s["rt"]:
            status["retweeted_status"] = v1(s["rt"])
        return status

    return [v1(s) for s in statuses]


def csv_text(header: list[str], rows: list[list[Any]], crlf: bool = False) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n" if crlf else "\n", quoting=csv.QUOTE_NONNUMERIC).writerows(
        [header, *rows]
    )
    return out.getvalue()


def sci(tweet_id: int) -> str:
    """An id as Excel shows it once saved: six significant digits."""
    return f"{tweet_id:.5E}".replace("E+", "E+")


WEB_CLIENT = '<a href="http://twitter.com" rel="nofollow">Twitter Web Client</a>'


def twitter_r(statuses: list[dict[str, Any]], mangled: bool) -> str:
    rows = []
    for n, s in enumerate(statuses, start=1):
        at = s["at"].strftime("%d-%m-%Y %H:%M") if mangled else s["at"].strftime("%Y-%m-%d %H:%M:%S")
        rows.append(
            [
                str(n), rt_text(s), "FALSE", 0, "NA", at, "FALSE", "NA",
                sci(s["id"]) if mangled else str(s["id"]), "NA", WEB_CLIENT,
                f"user{s['user']}", 0, "TRUE" if s["rt"] else "FALSE", "FALSE",
            ]
        )  # fmt: skip
    return csv_text(TWITTER_R, rows, crlf=mangled)


def rtweet(statuses: list[dict[str, Any]], mangled: bool) -> str:
    rows = []
    for s in statuses:
        rt = s["rt"]
        at = s["at"].strftime("%d/%m/%Y %H:%M") if mangled else s["at"].strftime("%Y-%m-%d %H:%M:%S")
        status_id = sci(s["id"]) if mangled else f"x{s['id']}"
        row = dict.fromkeys(RTWEET, "NA")
        row |= {
            "user_id": f"x{1000 + s['user']}", "status_id": status_id, "created_at": at,
            "screen_name": f"user{s['user']}", "text": rt_text(s), "source": "Twitter Web Client",
            "is_retweet": "TRUE" if rt else "FALSE", "is_quote": "FALSE", "lang": "fr",
            "hashtags": "élection soirée" if "élection" in s["text"] else "NA",
            "retweet_status_id": f"x{rt['id']}" if rt else "NA", "retweet_text": rt["text"] if rt else "NA",
            "retweet_screen_name": f"user{rt['user']}" if rt else "NA", "name": f"Utilisateur {s['user']}",
            "followers_count": "120", "friends_count": "80", "verified": "FALSE", "protected": "FALSE",
            "account_created_at": "2012-03-01 10:00:00",
        }  # fmt: skip
        rows.append([row[c] for c in RTWEET])
    return csv_text(RTWEET, rows, crlf=mangled)


def academic(statuses: list[dict[str, Any]], mangled: bool = False) -> str:
    rows = []
    for s in statuses:
        rt = s["rt"]
        row = dict.fromkeys(ACADEMIC, "NA")
        at = s["at"].strftime("%m/%d/%Y %H:%M") if mangled else s["at"].strftime("%Y-%m-%dT%H:%M:%S.000Z")
        row |= {
            "tweet_id": sci(s["id"]) if mangled else str(s["id"]), "user_username": f"user{s['user']}",
            "text": rt_text(s), "author_id": str(1000 + s["user"]), "created_at": at,
            "lang": "fr", "sourcetweet_type": "retweeted" if rt else "NA",
            "sourcetweet_id": str(rt["id"]) if rt else "NA", "user_verified": "FALSE",
            "user_followers_count": "120",
        }  # fmt: skip
        rows.append([row[c] for c in ACADEMIC])
    return csv_text(ACADEMIC, rows, crlf=mangled)


RTWEET1 = ["created_at", "id", "id_str", "full_text", "truncated", "source", "lang", "user_id", "screen_name"]


def rtweet1(statuses: list[dict[str, Any]]) -> str:
    """rtweet 1.x's tweets with the author's id and handle joined (as `users_data()` gives them)."""
    rows = [
        [s["at"].strftime("%Y-%m-%d %H:%M:%S"), str(s["id"]), str(s["id"]), rt_text(s), "FALSE",
         WEB_CLIENT, "fr", str(1000 + s["user"]), f"user{s['user']}"]
        for s in statuses
    ]  # fmt: skip
    return csv_text(RTWEET1, rows)


def campaign_sizes(settings: Settings) -> list[tuple[int, int]]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return sorted(con.execute("select n_accounts, n_tweets from marts.campaigns").fetchall())


def lake(settings: Settings, sql: str) -> list[tuple[Any, ...]]:
    tweets = str(settings.tweets_dir / "*" / "*.parquet")
    notices = str(settings.lake.path / "_audit" / "notices" / "*.parquet")
    con = duckdb.connect()
    con.execute(f"create view t as select * from read_parquet('{tweets}')")
    con.execute(f"create view n as select * from read_parquet('{notices}', union_by_name = true)")
    return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def yardstick(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, int]]:
    folder = tmp_path_factory.mktemp("v1")
    write_jsonl(folder / "tweets.jsonl", as_v1(tweets()))
    settings = Settings.make(folder / "home")
    run([folder / "tweets.jsonl"], settings, progress=False)
    return campaign_sizes(settings)


CASES = {
    "twitter-r": lambda s: twitter_r(s, mangled=False).encode("utf-8"),
    "twitter-r, spreadsheet": lambda s: twitter_r(s, mangled=True).encode("cp1252"),
    "rtweet": lambda s: rtweet(s, mangled=False).encode("utf-8"),
    "rtweet, spreadsheet": lambda s: rtweet(s, mangled=True).encode("cp1252"),
    "academictwitteR": lambda s: academic(s).encode("utf-8"),
    "academictwitteR, spreadsheet": lambda s: academic(s, mangled=True).encode("cp1252"),
    "rtweet 1.x": lambda s: rtweet1(s).encode("utf-8"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_r_exports_load_whole_and_find_the_campaigns_a_json_archive_finds(
    tmp_path: Path, yardstick: list[tuple[int, int]], case: str
) -> None:
    statuses = tweets()
    (tmp_path / "export.csv").write_bytes(CASES[case](statuses))
    settings = Settings.make(tmp_path / "home")
    summary = run([tmp_path / "export.csv"], settings, progress=False)
    assert summary.ingest.total("tweet") == len(statuses), summary.ingest.files  # none merged, none lost
    ((distinct,),) = lake(settings, "select count(distinct tweet_id) from t")
    assert distinct == len(statuses)  # rounded ids never merge two tweets
    ((replaced, days),) = lake(
        settings,
        "select count(*) filter (where text like '%\ufffd%'), list(distinct created_at::date) from t",
    )
    assert replaced == 0  # Windows-1252 read as such: no replacement characters
    assert sorted(days) == sorted({s["at"].date() for s in statuses})  # day-first dates read as such
    ((ellipses,),) = lake(settings, "select count(*) from t where text like '%…%'")
    assert ellipses >= 15
    assert campaign_sizes(settings) == yardstick, case
    notices = dict(lake(settings, "select kind, detail from n where line_no = 0"))
    if "spreadsheet" in case:
        assert notices["encoding"].startswith("windows-1252"), notices
        assert notices["mangled_ids"].startswith(f"{len(statuses)} of {len(statuses)}"), notices
        assert notices["date_order"] == ("month-first" if "academic" in case else "day-first"), notices
        assert "to the minute" in notices["time_precision"], notices


def test_a_table_is_read_by_a_column_map_given_or_beside_it(tmp_path: Path) -> None:
    rows = [
        [
            str(7000 + i),
            f"handle{i % 7}",
            (START + timedelta(minutes=i)).isoformat(sep=" "),
            f"texte numéro {i}",
        ]
        for i in range(30)
    ]
    table = tmp_path / "posts.csv"
    table.write_text(csv_text(["post_id", "handle", "posted", "body"], rows), encoding="utf-8")
    unmapped = ingest([table], Settings.make(tmp_path / "plain"), progress=False)
    assert (
        unmapped.total("tweet") == 0 and unmapped.total("rejects") == 31
    )  # unknown header: every line refused
    columns = parse_column_map("id=post_id,user=handle,time=posted,text=body")
    mapped = ingest([table], Settings.make(tmp_path / "mapped"), progress=False, columns=columns)
    assert mapped.total("tweet") == 30, mapped.files
    (tmp_path / "posts.csv.columns.yml").write_text("id: post_id\nuser: handle\ntime: posted\ntext: body\n")
    beside = ingest([tmp_path], Settings.make(tmp_path / "beside"), progress=False)
    assert beside.total("tweet") == 30
    assert [r.note for r in beside.files if r.path.endswith(".columns.yml")] == [
        "a column map, read with the table it names"
    ]
    line = one_line_error(
        chorus_cli("ingest", "--home", str(tmp_path / "cli"), "--columns", "id=a,when=b", str(table))
    )
    assert "--columns" in line


def test_the_date_order_is_decided_per_file_or_the_file_refused(tmp_path: Path) -> None:
    assert decide_order(["23-11-2016 18:40", "05-11-2016 10:00"]) == "day-first"
    assert decide_order(["11/23/2016 18:40", "11/05/2016 10:00"]) == "month-first"
    assert decide_order(["2016-11-23 18:40:00"]) is None
    with pytest.raises(AmbiguousDates):
        decide_order(["05-11-2016 18:40", "06-11-2016 10:00"])
    assert Dates("month-first").parse("11/23/2016 18:40") == (datetime(2016, 11, 23, 18, 40), "minute")
    assert Dates(None).parse("2016-11-23 18:40:12") == (datetime(2016, 11, 23, 18, 40, 12), "second")
    statuses = [s for s in tweets() if s["at"].day == 23][:40]
    text = twitter_r(statuses, mangled=True).replace("23-11-2016", "05-11-2016")
    (tmp_path / "ambiguous.csv").write_text(text, encoding="utf-8")
    summary = ingest([tmp_path / "ambiguous.csv"], Settings.make(tmp_path / "home"), progress=False)
    assert summary.total("tweet") == 0 and summary.total("rejects") == len(statuses)


def test_academictwitter_data_and_users_files_are_joined_by_author(tmp_path: Path) -> None:
    """academictwitteR's raw output: tweets in data_<n>.json, their authors in users_<n>.json."""
    statuses = tweets()[:50]
    data = [
        {
            "id": str(s["id"]),
            "author_id": str(1000 + s["user"]),
            "created_at": s["at"].strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "text": s["text"],
        }
        for s in statuses
    ]
    users = {
        "users": [{"id": str(1000 + u), "username": f"user{u}", "verified": u % 2 == 0} for u in range(61)]
    }
    (tmp_path / "data_1480000000000000000.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "users_1480000000000000000.json").write_text(json.dumps(users), encoding="utf-8")
    settings = Settings.make(tmp_path / "home")
    summary = ingest([tmp_path], settings, progress=False)
    assert summary.total("tweet") == len(statuses) and summary.total("rejects") == 0
    assert [r.note for r in summary.files if r.path.endswith("users_1480000000000000000.json")] == [
        "academictwitteR's users file, read with its data file"
    ]
    rows = lake(settings, "select count(*), count(screen_name), count(user_verified) from t")
    assert rows == [(len(statuses), len(statuses), len(statuses))]
