-- The members of the automated campaigns whose co-members are tied (the automated_members macro),
-- kept so that the next build can tell whose co-campaign ties to count again
-- (int_account_automation_changes).

-- depends_on: {{ ref('int_account_automation_changes') }}

{{ automated_members() }}
