-- The tweets through which accounts are paired (the paired_members macro), kept so that the next
-- build can tell which campaigns' pairing changed (int_account_pairing_changes).

-- depends_on: {{ ref('int_account_pairing_changes') }}

{{ paired_members() }}
