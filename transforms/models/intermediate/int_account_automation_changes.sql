-- The members, at the last build and now, of the campaigns whose automated members (the
-- automated_members macro) differ in any way from the last build's (int_account_automated_members):
-- a campaign new or gone, grown or shrunk, automated or no longer, past group_max_campaign_accounts
-- either way. Only the pairs of accounts that were or are co-members of such a campaign may gain
-- or lose a co-campaign tie (int_account_tie_changes).
-- With no last build's members (a first build, a full refresh, Spark) this is empty: the ties are
-- then made whole.

with {{ campaign_changes(
    'int_account_automated_members', ['campaign_id', 'user_id'], automated_members()
) }},

final as (
    {{ rows_of_changed_campaigns(['campaign_id', 'user_id']) }}
)

select * from final
{% if kept_relation('int_account_automated_members') is none %}where false{% endif %}
