{#- The settings gate's checks (model preflight_settings), in Jinja so that they run the same
    on every adapter: each returns one-line problems, each naming the setting. -#}

{% macro setting_name(name) -%}
    {#- How a message names a setting: `meltano config set dbt-duckdb <name> ...` changes it
        (dbt-postgres inherits the settings of dbt-duckdb). -#}
    {{ return('setting ' ~ name ~ ' of dbt-duckdb') }}
{%- endmacro %}

{% macro py_repr(value) -%}
    {#- A value as Python writes it in a message ('Status'). -#}
    {{ return('%r' | format(value | string)) }}
{%- endmacro %}

{% macro split_trimmed(value, separator) -%}
    {%- set items = [] -%}
    {%- for item in (value | string).split(separator) if item | trim -%}
        {%- do items.append(item | trim) -%}
    {%- endfor -%}
    {{ return(items) }}
{%- endmacro %}

{% macro preflight_rules_problems(value) -%}
    {%- set allowed = ['custom_field', 'trans_ref', 'keyword', 'file_name', 'gallery'] -%}
    {%- set rules = split_trimmed(value, ',') -%}
    {%- set unknown = rules | reject('in', allowed) | list -%}
    {%- if unknown -%}
        {{ return([setting_name('match_rules') ~ ': unknown rule(s) ' ~ unknown | join(', ')
                   ~ '; allowed: ' ~ allowed | join(', ')]) }}
    {%- elif not rules -%}
        {{ return([setting_name('match_rules') ~ ': empty; allowed: ' ~ allowed | join(', ')]) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}

{% macro preflight_field_problems(field, value, fields) -%}
    {#- approval_field is a PhotoShelter field and approval_value one of its tags; `fields`:
        {field name: [tag names]} (identifier_field may be absent: custom_field then matches
        nothing). -#}
    {%- set problems = [] -%}
    {%- set names = fields.keys() | sort(case_sensitive=true) -%}
    {%- if field not in fields -%}
        {%- set near = [] -%}
        {%- for name in names if name | lower == field | lower -%}
            {%- do near.append(name) -%}
        {%- endfor -%}
        {%- set hint = (' (did you mean ' ~ py_repr(near[0]) ~ '? names are case-sensitive)')
                       if near else '' -%}
        {%- do problems.append(setting_name('approval_field') ~ ': PhotoShelter has no custom field '
                               ~ py_repr(field) ~ hint ~ '; fields: ' ~ names | join(', ')) -%}
    {%- elif value not in fields[field] -%}
        {%- do problems.append(setting_name('approval_value') ~ ': ' ~ py_repr(value)
                               ~ ' is not a tag of PhotoShelter field ' ~ py_repr(field)
                               ~ ' (tags, case-sensitive: ' ~ fields[field] | join(', ') ~ ')') -%}
    {%- endif -%}
    {{ return(problems) }}
{%- endmacro %}

{% macro preflight_attribute_problems(columns) -%}
    {#- The Plytix attributes the models read, as `attributes__<label>` columns of the landed
        products (`columns`: lower-case names); then package_required_attributes
        (`Scope=attribute,...;...`) and the completeness attribute. -#}
    {%- set problems = [] -%}
    {%- for name in ['style_attribute', 'color_attribute', 'size_attribute', 'season_attribute',
                     'launch_status_attribute', 'launch_date_attribute'] -%}
        {%- set label = var(name) | string -%}
        {%- if ('attributes__' ~ label) | lower not in columns -%}
            {%- do problems.append(setting_name(name) ~ ': Plytix attribute ' ~ py_repr(label)
                                   ~ ' is not in the landed products (create it in Plytix, or '
                                   ~ "set the setting to the account's own label)") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set name = 'package_required_attributes' -%}
    {%- for group in split_trimmed(var(name), ';') -%}
        {%- set parts = group.split('=', 1) -%}
        {%- set scope = parts[0] | trim -%}
        {%- set wanted = split_trimmed(parts[1], ',') if parts | length > 1 else [] -%}
        {%- if parts | length < 2 or not scope or not wanted -%}
            {%- do problems.append(setting_name(name) ~ ': ' ~ py_repr(group)
                                   ~ ' is not `Scope=attribute,attribute` (scope: a Plytix '
                                   ~ 'family, a category, or * for every product)') -%}
        {%- else -%}
            {%- set unknown = [] -%}
            {%- for label in wanted if ('attributes__' ~ label) | lower not in columns -%}
                {%- do unknown.append(label) -%}
            {%- endfor -%}
            {%- if unknown -%}
                {%- do problems.append(setting_name(name) ~ ': Plytix attribute(s) '
                                       ~ unknown | join(', ') ~ ' (required for '
                                       ~ py_repr(scope) ~ ') not in the landed products') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set completeness = var('launch_completeness_attribute') | string | trim -%}
    {%- if completeness and ('attributes__' ~ completeness) | lower not in columns -%}
        {%- do problems.append(setting_name('launch_completeness_attribute')
                               ~ ': Plytix attribute ' ~ py_repr(completeness)
                               ~ ' is not in the landed products') -%}
    {%- endif -%}
    {{ return(problems) }}
{%- endmacro %}

{% macro preflight_landed_fields() -%}
    {#- {field name: [tag names]} of the landed PhotoShelter custom fields (tags as JSON, text
        in DuckDB, jsonb in Postgres: read as text on both). -#}
    {%- set fields = {} -%}
    {%- set found = run_query('select name, cast(tags as varchar) as tags from '
                              ~ source('photoshelter', 'metadata_fields') ~ ' order by name') -%}
    {%- for row in found.rows -%}
        {%- do fields.update({row[0]: fromjson(row[1] or '[]') | map(attribute='name') | list}) -%}
    {%- endfor -%}
    {{ return(fields) }}
{%- endmacro %}

{% macro preflight_check() -%}
    {#- Raise one line listing every problem ` | `-separated, each naming its setting; the
        order: match_rules, file_name_pattern, approval field and value, Plytix attributes. -#}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(source('plytix', 'products')) -%}
        {%- do columns.append(column.name | lower) -%}
    {%- endfor -%}
    {%- set before = preflight_rules_problems(var('match_rules')) -%}
    {%- set after = preflight_field_problems(var('approval_field') | string,
                                             var('approval_value') | string,
                                             preflight_landed_fields())
                    + preflight_attribute_problems(columns) -%}
    {%- set pattern = var('file_name_pattern') | string -%}
    {#- a pattern Python cannot compile ends the check here, with the others found so far -#}
    {%- set not_compiled = setting_name('file_name_pattern')
                           ~ ': does not compile (not a regular expression Python can read: '
                           ~ py_repr(pattern) ~ ')' -%}
    {%- set compiled = try_or_compiler_error((before + [not_compiled] + after) | join(' | '),
                                             modules.re.compile, pattern) -%}
    {%- set pattern_problems = [] -%}
    {%- if 'sku' not in compiled.groupindex -%}
        {%- do pattern_problems.append(setting_name('file_name_pattern')
                                       ~ ': has no named group `sku` (write it as (?P<sku>...); '
                                       ~ '`view` and `seq` are optional)') -%}
    {%- endif -%}
    {%- set problems = before + pattern_problems + after -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(problems | join(' | ')) }}
    {%- endif -%}
{%- endmacro %}
