{#- The landing-accounts gate: a plan is built only from rows this environment landed from one
    Plytix account and one PhotoShelter organisation. Each tap lands a `source_account` row per
    run (environment, API host, account); a warehouse copied from another environment, or one
    that received a second account's rows, would otherwise plan writes of foreign products and
    images into this environment's accounts. Failing here skips every model (preflight_settings
    and so all staging wait for it), so no outbox is built. Plain SQL, read with run_query,
    so it runs on DuckDB and Postgres alike. -#}
{{ config(materialized='table') }}
{%- set sides = [
    ('Plytix', 'account', source('plytix_landing_account', 'source_account')),
    ('PhotoShelter', 'organisation', source('photoshelter_landing_account', 'source_account')),
] %}
{%- if execute %}
    {%- set current = env_var('MELTANO_ENVIRONMENT', '') %}
    {%- set problems = [] %}
    {%- set environments = [] %}
    {%- for side, kind, relation in sides %}
        {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema,
                                             identifier=relation.identifier) %}
        {%- set accounts = [] %}
        {%- set named = [] %}
        {%- if found is not none %}
            {%- set answer = run_query('select distinct environment, api_host, account from '
                                       ~ relation ~ ' order by environment, api_host, account') %}
            {%- for row in answer.rows %}
                {%- if row[0] not in environments %}{% do environments.append(row[0]) %}{% endif %}
                {#- one account, whichever host it was read through (an emulator's port) -#}
                {%- if row[2] not in accounts %}
                    {%- do accounts.append(row[2]) %}{% do named.append(row[2] ~ ' at ' ~ row[1]) %}
                {%- endif %}
            {%- endfor %}
        {%- endif %}
        {%- if accounts | length == 0 %}
            {%- do problems.append(relation.schema ~ '.source_account records no ' ~ side ~ ' '
                ~ kind ~ ' (landed before accounts were recorded, or the tap\'s stream '
                ~ 'source_account is not selected)') %}
        {%- elif accounts | length > 1 %}
            {%- do problems.append('rows from ' ~ accounts | length ~ ' ' ~ side ~ ' ' ~ kind
                ~ 's (' ~ named | join(', ') ~ '); a warehouse holds one ' ~ kind ~ ' a side') %}
        {%- endif %}
    {%- endfor %}
    {%- set shown = [] %}
    {%- for name in environments %}{% do shown.append("'" ~ (name or '(none)') ~ "'") %}{% endfor %}
    {%- if environments | length > 1 %}
        {%- do problems.append('rows landed in ' ~ environments | length ~ ' environments ('
                               ~ shown | join(', ') ~ ')') %}
    {%- elif current and environments and environments[0] != current %}
        {%- do problems.append('rows landed in environment ' ~ shown[0] ~ ', not \''
                               ~ current ~ '\'') %}
    {%- endif %}
    {%- if problems %}
        {%- set warehouse = target.path if target.type == 'duckdb'
                            else 'database ' ~ target.dbname %}
        {%- set environment = current or '<environment>' %}
        {{ exceptions.raise_compiler_error(
            'landing accounts: the warehouse ' ~ warehouse ~ ' holds ' ~ problems | join('; ')
            ~ '. Plan only from a warehouse that one environment\'s accounts landed in: start a'
            ~ ' fresh warehouse for environment \'' ~ environment ~ '\' (move that file away;'
            ~ ' on Postgres, a new database) and extract again (`meltano --environment '
            ~ environment ~ ' run extract`).') }}
    {%- endif %}
{%- endif %}

{%- for side, kind, relation in sides %}
select
    {{ sql_string(side) }} as side,
    environment,
    api_host,
    account,
    account_from,
    landed_at
from {{ relation }}
{{ 'union all' if not loop.last }}
{%- endfor %}
