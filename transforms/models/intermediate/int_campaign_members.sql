-- The accounts of every campaign, kept so that the next build can tell which campaigns' accounts
-- changed (int_campaign_member_changes): the pairs that share them, and their sizes, are what
-- tight accounts read (int_account_pair_consistency, int_campaign_tight_accounts).

-- depends_on: {{ ref('int_campaign_member_changes') }}

{{ campaign_members() }}
