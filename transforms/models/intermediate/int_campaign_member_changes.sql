-- The accounts, at the last build and now, of the campaigns whose accounts (the campaign_members
-- macro) differ in any way from the last build's (int_campaign_members): a campaign new or gone,
-- grown or shrunk. Only the pairs of accounts that were or are both in such a campaign may share
-- more or fewer campaigns (int_account_pair_consistency_changes), and only such a campaign's size
-- changed (int_campaign_tightness_changes).
-- With no last build's members (a first build, a full refresh, Spark) this is empty: what follows
-- is then made whole.

with {{ campaign_changes('int_campaign_members', ['campaign_id', 'user_id'], campaign_members()) }},

final as (
    {{ rows_of_changed_campaigns(['campaign_id', 'user_id']) }}
)

select * from final
{% if kept_relation('int_campaign_members') is none %}where false{% endif %}
