"""The yardsticks of issue 16: DuckDB alone over the same files, one format reader per format.

`python -m bench.baseline MODE FILES_JSON` runs one of them in a process of its own (the bench
times it from outside): `count` counts the tweets, `materialise` loads every column of every file
into tables, `detector` is a plain single-query detector: read the tweets, normalise their text,
group identical texts from 3+ accounts within a day; no near-duplicates, scores, audit, gate or
report. FILES_JSON maps a format (`v1`, `v2`, `io`) to its files (`files_by_format`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

import duckdb

# maximum_object_size=67108864 (64 MiB): a v2 page (100 tweets and their includes) is one line

# What a plain query reads of each format: (tweet id, account, time, text), and the tweets' count.
READERS = {
    "v1": (
        'select id_str as tweet_id, "user".id_str as user_id,'
        " strptime(created_at, '%a %b %d %H:%M:%S %z %Y') as created_at,"
        " coalesce(extended_tweet.full_text, full_text, text) as text"
        " from read_json($v1, format='newline_delimited', ignore_errors=true, maximum_object_size=67108864,"
        "  columns={id_str: 'varchar', \"user\": 'struct(id_str varchar)', created_at: 'varchar',"
        "           text: 'varchar', full_text: 'varchar', extended_tweet: 'struct(full_text varchar)'})"
        " where id_str is not null"
    ),
    # (the pages' lines as raw JSON, then the four fields: 5x faster here than read_json's typed
    # reading of the whole page, which the yardstick should not be slowed by)
    "v2": (
        "select t.id as tweet_id, t.author_id as user_id, t.created_at::timestamptz as created_at,"
        " t.text as text"
        " from (select unnest(json_transform(json->'data',"
        """   '[{"id": "VARCHAR", "author_id": "VARCHAR","""
        """     "created_at": "VARCHAR", "text": "VARCHAR"}]')) as t"""
        "  from read_ndjson_objects($v2, ignore_errors=true, maximum_object_size=67108864))"
    ),
    "io": (
        "select tweetid as tweet_id, userid as user_id, strptime(tweet_time, '%Y-%m-%d %H:%M') as created_at,"
        " tweet_text as text"
        " from read_csv($io, header=true, all_varchar=true, ignore_errors=true)"
    ),
}

DETECTOR = (
    "create table campaigns as "
    "select md5(trim(regexp_replace(regexp_replace(lower(text), 'https?://[^ ]+', '', 'g'),"
    "                               '[^a-z0-9#@ ]+', '', 'g'))) as message,"
    "       created_at::date as day, count(*) as n_tweets, count(distinct user_id) as n_accounts,"
    "       min(created_at) as first_seen, max(created_at) as last_seen "
    "from ({tweets}) as tweets group by all having count(distinct user_id) >= 3"
)

# Whole files, every column (the cost of loading them, with no choice of columns)
MATERIALISE = {
    "v1": "read_json($v1, format='newline_delimited', union_by_name=true, ignore_errors=true,"
    " maximum_object_size=67108864)",
    "v2": "read_json($v2, format='newline_delimited', union_by_name=true, ignore_errors=true,"
    " maximum_object_size=67108864)",
    "io": "read_csv($io, header=true, union_by_name=true, ignore_errors=true)",
}


def file_format(name: str) -> str:
    """The format of a generated archive file, from its name (`tools.synth.write_archive`)."""
    if ".twarc2." in name:
        return "v2"
    if name.endswith(("_io.csv", "_io.csv.gz")):
        return "io"
    if ".jsonl" in name:
        return "v1"
    raise ValueError(f"{name}: no baseline reader for this file (v1.1 JSON lines, v2 pages or IO CSV)")


def files_by_format(files: Iterable[str]) -> dict[str, list[str]]:
    """The files of each format present."""
    found: dict[str, list[str]] = {}
    for file in files:
        found.setdefault(file_format(file), []).append(file)
    return found


def tweets_query(formats: dict[str, list[str]]) -> str:
    """Every tweet of every format, as one union."""
    return " union all ".join(f"({READERS[kind]})" for kind in formats)


def run(mode: str, formats: dict[str, list[str]]) -> int:
    """Run one yardstick; return the number of tweets read (count) or rows made."""
    con = duckdb.connect()
    con.execute("set memory_limit = '4GB'")
    if mode == "count":
        found = con.execute(f"select count(*) from ({tweets_query(formats)})", formats).fetchone()  # noqa: S608
        return int(found[0]) if found else 0
    if mode == "materialise":
        rows = 0
        for kind in formats:
            con.execute(f"create table {kind} as select * from {MATERIALISE[kind]}", {kind: formats[kind]})  # noqa: S608
            found = con.execute(f"select count(*) from {kind}").fetchone()  # noqa: S608
            rows += int(found[0]) if found else 0
        return rows
    if mode == "detector":
        con.execute(DETECTOR.format(tweets=tweets_query(formats)), formats)
        found = con.execute("select count(*) from campaigns").fetchone()
        return int(found[0]) if found else 0
    raise ValueError(f"unknown mode {mode!r} (count, materialise, detector)")


if __name__ == "__main__":
    print(run(sys.argv[1], json.loads(sys.argv[2])))
