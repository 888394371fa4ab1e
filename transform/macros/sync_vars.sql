{#- Helpers that turn the comma-separated settings into SQL. -#}

{% macro csv_var(name) -%}
    {%- set items = [] -%}
    {%- for item in (var(name) | string).split(',') if item | trim -%}
        {%- do items.append(item | trim) -%}
    {%- endfor -%}
    {{ return(items) }}
{%- endmacro %}

{% macro pairs_var(name) -%}
    {#- [(left, right)] from a `left:right,left:right` var (custom_fields). -#}
    {%- set pairs = [] -%}
    {%- for item in csv_var(name) -%}
        {%- set parts = item.split(':', 1) -%}
        {%- do pairs.append((parts[0] | trim, parts[1] | trim)) -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}

{% macro channel_pairs() -%}
    {#- [(channel, attribute_label)] from the `channels` var, `channel:attribute` pairs. -#}
    {%- set pairs = [] -%}
    {%- for item in csv_var('channels') -%}
        {%- set parts = item.split(':') -%}
        {%- do pairs.append((parts[0] | trim | lower, parts[1] | trim)) -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}

{% macro rule_rank(rule_column) -%}
    {#- Position of a matching rule in the `match_rules` priority (absent rules: NULL). -#}
    case {{ rule_column }}
    {%- for rule in csv_var('match_rules') %}
        when {{ sql_string(rule) }} then {{ loop.index }}
    {%- endfor %}
    end
{%- endmacro %}

{% macro file_name_group(column, group) -%}
    {#- One named group of the file-name pattern (NULL when absent or not matched). -#}
    {#- Compiled only when models run (after preflight_settings checked it), not at parse. -#}
    {%- set pattern = var('file_name_pattern') -%}
    {%- set index = modules.re.compile(pattern).groupindex.get(group) if execute else none -%}
    {%- if index is none -%}
        cast(null as varchar)
    {%- else -%}
        nullif({{ regexp_group(column, pattern, index) }}, '')
    {%- endif -%}
{%- endmacro %}

{% macro normalised_identifier(expression) -%}
    {#- Trim, upper-case, and one '-' for any run of separators: ` hd_1001 blk` -> `HD-1001-BLK`. -#}
    nullif(upper(regexp_replace(trim({{ expression }}), '[\s_./]+', '-', 'g')), '')
{%- endmacro %}

{% macro json_string_list(expression) -%}
    {#- A JSON array (text) of strings or of {"id": ...} objects -> varchar[] (NULL -> []). -#}
    {{ return(adapter.dispatch('json_string_list')(expression)) }}
{%- endmacro %}

{% macro default__json_string_list(expression) -%}
    coalesce(list_transform(cast(json({{ expression }}) as json[]),
                            e -> coalesce(e ->> 'id', e ->> '$')), [])
{%- endmacro %}

{% macro sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro rights_attributes() -%}
    {#- {role: Plytix attribute label} of the rights summary written per product. -#}
    {{ return({'expiry': var('rights_expiry_attribute'),
               'usage_terms': var('rights_usage_terms_attribute'),
               'credit': var('rights_credit_attribute'),
               'channels': var('rights_channels_attribute'),
               'markets': var('rights_markets_attribute'),
               'status': var('imagery_status_attribute')}) }}
{%- endmacro %}

{% macro imagery_status_values() -%}
    {#- {state: option of the imagery status dropdown}. -#}
    {{ return({'complete': var('imagery_status_complete'),
               'missing_hero': var('imagery_status_missing_hero'),
               'none': var('imagery_status_none'),
               'expiring': var('imagery_status_expiring')}) }}
{%- endmacro %}

{% macro package_rules() -%}
    {#- [(scope, attribute label)] from package_required_attributes, `Scope=a,b;Scope=c`:
        a scope is a Plytix family name, a category name or path, or `*` (every product). -#}
    {%- set rules = [] -%}
    {%- for group in (var('package_required_attributes') | string).split(';') if group | trim -%}
        {%- set parts = group.split('=', 1) -%}
        {%- for label in (parts[1] if parts | length > 1 else '').split(',') if label | trim -%}
            {%- do rules.append((parts[0] | trim, label | trim)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(rules) }}
{%- endmacro %}
