"""Source of the GX suites, validation definitions and checkpoints stored as JSON in gx/.

Edit here, run `.venv/bin/python expectations/define_suites.py`, and commit the JSON it writes.
Suites state the contract (keys, ranges, allowed values, relationships, row-count sanity), never
incidental values of a sample. `$PARAMETER`s are filled in at validation time by chorus.validate.
Each suite validates the dataframe of the query of the same name in chorus.validate.QUERIES.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe

HERE = Path(__file__).resolve().parent
CONTRACT_COLUMNS = {
    "staging.stg_tweets": [
        "tweet_id",
        "user_id",
        "screen_name",
        "created_at",
        "text",
        "source",
        "lang",
        "is_retweet",
        "retweeted_tweet_id",
        "hashtags",
        "mentions",
        "urls",
    ],
    "marts.campaigns": [
        "campaign_id",
        "party",
        "party_confidence",
        "is_automated",
        "amplification_score",
        "n_tweets",
        "n_accounts",
        "first_seen",
        "last_seen",
        "canonical_text",
        "reasons",
    ],
    "marts.campaign_tweets": ["campaign_id", "tweet_id", "user_id", "created_at"],
    "marts.party_weekly": [
        "week_start",
        "party",
        "n_campaigns",
        "n_automated_campaigns",
        "n_automated_tweets",
        "n_party_tweets",
        "automated_share",
    ],
    "marts.party_daily": ["day", "party", "n_party_tweets", "n_automated_tweets", "n_organic_tweets"],
    "audit.ingest_files": [
        "path",
        "sha256",
        "format",
        "lines",
        "tweets",
        "notices",
        "rejects",
        "ingested_at",
    ],
    "audit.rejects": ["file", "line_no", "reason", "raw"],
}


def param(name: str) -> dict[str, str]:
    return {"$PARAMETER": name}


def suites() -> dict[str, list[gxe.Expectation]]:
    return {
        "schema": [
            gxe.ExpectColumnDistinctValuesToContainSet(
                column="qualified_column",
                value_set=[f"{t}.{c}" for t, cols in CONTRACT_COLUMNS.items() for c in cols],
            ),
            gxe.ExpectColumnValuesToBeInSet(column="timestamp_type", value_set=["TIMESTAMP"]),
        ],
        "stg_tweets": [
            gxe.ExpectColumnValuesToBeUnique(column="tweet_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="tweet_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="created_at"),
            gxe.ExpectColumnValuesToBeBetween(
                column="created_at", min_value=param("earliest_time"), max_value=param("latest_time")
            ),
            gxe.ExpectColumnValuesToBeInSet(column="is_retweet", value_set=[True, False]),
            gxe.ExpectTableRowCountToBeBetween(min_value=param("stg_tweets_min_rows")),
        ],
        "campaigns": [
            gxe.ExpectColumnValuesToBeUnique(column="campaign_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="campaign_id"),
            gxe.ExpectColumnValuesToBeBetween(column="amplification_score", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToNotBeNull(column="amplification_score"),
            gxe.ExpectColumnValuesToBeInSet(column="is_automated", value_set=[True, False]),
            gxe.ExpectColumnValuesToNotBeNull(column="is_automated"),
            gxe.ExpectColumnValuesToBeInSet(column="party", value_set=param("parties")),
            gxe.ExpectColumnValuesToBeBetween(column="party_confidence", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToBeBetween(column="n_tweets", min_value=1),
            gxe.ExpectColumnValuesToBeBetween(column="n_accounts", min_value=1),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="n_tweets", column_B="n_accounts", or_equal=True
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="last_seen", column_B="first_seen", or_equal=True
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="first_seen", min_value=param("earliest_time"), max_value=param("latest_time")
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="reasons"),
            gxe.ExpectTableRowCountToBeBetween(min_value=param("campaigns_min_rows")),
        ],
        "campaign_tweets": [
            gxe.ExpectColumnValuesToBeUnique(column="tweet_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="campaign_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="tweet_id"),
        ],
        "party_weekly": [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["week_start", "party_key"]),
            gxe.ExpectColumnValuesToNotBeNull(column="week_start"),
            gxe.ExpectColumnValuesToBeBetween(column="automated_share", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToBeInSet(column="party", value_set=param("parties")),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="n_campaigns", column_B="n_automated_campaigns", or_equal=True
            ),
        ],
        "party_daily": [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["day", "party_key"]),
            gxe.ExpectColumnValuesToNotBeNull(column="day"),
            gxe.ExpectColumnValuesToBeInSet(column="party", value_set=param("parties")),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="n_party_tweets", column_B="n_automated_tweets", or_equal=True
            ),
        ],
        "lake_files": [
            gxe.ExpectColumnValuesToBeUnique(column="sha256"),
            gxe.ExpectColumnValuesToNotBeNull(column="path"),
            gxe.ExpectColumnValuesToBeBetween(column="tweets", min_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="rejects", min_value=0),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="lines", column_B="rejects", or_equal=True),
        ],
        "rejects": [
            gxe.ExpectColumnValuesToNotBeNull(column="reason"),
            gxe.ExpectColumnValuesToNotBeNull(column="file"),
            gxe.ExpectColumnValuesToBeBetween(column="line_no", min_value=0),
            gxe.ExpectColumnValueLengthsToBeBetween(column="raw", max_value=4096),
        ],
        "consistency": [
            gxe.ExpectColumnValuesToBeBetween(column=name, min_value=0, max_value=0)
            for name in (
                "members_missing_from_stg_tweets",
                "campaigns_with_miscounted_members",
                "members_without_campaign",
                "party_weekly_mismatches",
                "rejects_not_in_file_counts",
            )
        ],
    }


def main() -> None:
    os.environ.setdefault("CHORUS_GX_HOME", str(Path(tempfile.gettempdir()) / "chorus-gx-define"))
    for folder in ("expectations", "validation_definitions", "checkpoints"):
        for stale in (HERE / "gx" / folder).glob("*.json"):
            stale.unlink()
    context = gx.get_context(mode="file", project_root_dir=str(HERE))
    source = context.data_sources.add_or_update_pandas(name="chorus")
    wanted = suites()
    for name, expectations in wanted.items():
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        assets = {a.name: a for a in source.assets}
        asset = assets.get(name) or source.add_dataframe_asset(name=name)
        batch = (
            asset.batch_definitions[0]
            if asset.batch_definitions
            else asset.add_batch_definition_whole_dataframe("whole")
        )
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        context.checkpoints.add(
            gx.Checkpoint(
                name=f"gate_{name}",
                validation_definitions=[definition],
                result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
            )
        )
    print(f"wrote {len(wanted)} suites under {HERE / 'gx'}")


if __name__ == "__main__":
    main()
