-- The gate every model waits for: the settings that name things must fit the landed accounts.
-- A wrong setting must stop the plan before any outbox is built, with one line naming the
-- setting and what is wrong (macro preflight_check), not as a raw SQL error later or, worse,
-- as a plan that quietly unpublishes a catalogue (an approval value that never matches
-- empties every image slot). The checks run in Jinja when the model runs, on any adapter.
-- depends_on: {{ ref('landing_accounts') }}
{%- if execute %}
{{- preflight_check() }}
{%- endif %}
select 'ok' as status, 13 as settings_checked
