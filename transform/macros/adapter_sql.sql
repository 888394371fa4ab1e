{#- The few expressions whose SQL differs between DuckDB (dev, `make demo`) and Postgres
    (environment `postgres`): each macro dispatches on the adapter, `default__` is the DuckDB
    form the models always had, `postgres__` the same meaning in Postgres. -#}

{% macro list_length(expression) -%}
    {{ return(adapter.dispatch('list_length')(expression)) }}
{%- endmacro %}
{% macro default__list_length(expression) -%} len({{ expression }}) {%- endmacro %}
{% macro postgres__list_length(expression) -%} cardinality({{ expression }}) {%- endmacro %}

{% macro null_text_list() -%}
    {#- A one-element list holding NULL (unnest keeps the row). -#}
    {{ return(adapter.dispatch('null_text_list')()) }}
{%- endmacro %}
{% macro default__null_text_list() -%} [null] {%- endmacro %}
{% macro postgres__null_text_list() -%} array[null]::text[] {%- endmacro %}

{% macro try_cast_date(expression) -%}
    {#- The first 10 characters as a date, NULL when they are not one. -#}
    {{ return(adapter.dispatch('try_cast_date')(expression)) }}
{%- endmacro %}
{% macro default__try_cast_date(expression) -%}
    try_cast(left(cast({{ expression }} as varchar), 10) as date)
{%- endmacro %}
{% macro postgres__try_cast_date(expression) -%}
    case when left(cast({{ expression }} as varchar), 10) ~ '^\d{4}-\d{2}-\d{2}$'
         then cast(left(cast({{ expression }} as varchar), 10) as date) end
{%- endmacro %}

{% macro try_cast_integer(expression) -%}
    {{ return(adapter.dispatch('try_cast_integer')(expression)) }}
{%- endmacro %}
{% macro default__try_cast_integer(expression) -%}
    try_cast({{ expression }} as integer)
{%- endmacro %}
{% macro postgres__try_cast_integer(expression) -%}
    case when ({{ expression }}) ~ '^\s*[+-]?\d{1,9}\s*$' then cast({{ expression }} as integer) end
{%- endmacro %}

{% macro regexp_group(expression, pattern, index) -%}
    {#- Group `index` of the first match of `pattern` ('' in DuckDB, NULL in Postgres when
        nothing matches: callers wrap it in nullif(..., '')). -#}
    {{ return(adapter.dispatch('regexp_group')(expression, pattern, index)) }}
{%- endmacro %}
{% macro default__regexp_group(expression, pattern, index) -%}
    regexp_extract({{ expression }}, {{ sql_string(pattern) }}, {{ index }})
{%- endmacro %}
{% macro postgres__regexp_group(expression, pattern, index) -%}
    {#- Postgres regexes have no named groups: (?P<name>...) becomes a plain group, which
        keeps every group's number. -#}
    {%- set plain = modules.re.sub('\\(\\?P<[A-Za-z_][A-Za-z0-9_]*>', '(', pattern) -%}
    (regexp_match({{ expression }}, {{ sql_string(plain) }}))[{{ index }}]
{%- endmacro %}

{% macro json_array_elements(expression) -%}
    {#- One row per element of a JSON array held as text (a set-returning expression). -#}
    {{ return(adapter.dispatch('json_array_elements')(expression)) }}
{%- endmacro %}
{% macro default__json_array_elements(expression) -%}
    unnest(cast(json({{ expression }}) as json[]))
{%- endmacro %}
{% macro postgres__json_array_elements(expression) -%}
    jsonb_array_elements(cast({{ expression }} as jsonb))
{%- endmacro %}

{% macro json_scalar_text(expression) -%}
    {#- A JSON value as text: a string without its quotes, anything else as JSON. -#}
    {{ return(adapter.dispatch('json_scalar_text')(expression)) }}
{%- endmacro %}
{% macro default__json_scalar_text(expression) -%} {{ expression }} ->> '$' {%- endmacro %}
{% macro postgres__json_scalar_text(expression) -%} {{ expression }} #>> '{}' {%- endmacro %}

{% macro postgres__json_string_list(expression) -%}
    coalesce(array(select coalesce(e ->> 'id', e #>> '{}')
                   from jsonb_array_elements(cast({{ expression }} as jsonb)) as e),
             array[]::text[])
{%- endmacro %}

{% macro product_attribute_values(products) -%}
    {#- Every `attributes__<label>` column of the landed products as (label, text) rows. -#}
    {{ return(adapter.dispatch('product_attribute_values')(products)) }}
{%- endmacro %}
{% macro default__product_attribute_values(products) -%}
with products as (
    select id as product_id, columns('^attributes__')::varchar
    from {{ products }}
),

unpivoted as (
    unpivot products
    on columns('^attributes__')
    into name attribute_column value value_text
),

final as (
    select
        product_id,
        substr(attribute_column, length('attributes__') + 1) as attribute_label,
        value_text
    from unpivoted
    where value_text is not null and value_text not in ('', '[]', 'null')
)

select * from final
{%- endmacro %}
{% macro postgres__product_attribute_values(products) -%}
    select
        products.id as product_id,
        substr(attribute.key, length('attributes__') + 1) as attribute_label,
        attribute.value as value_text
    from {{ products }} as products
    cross join lateral jsonb_each_text(to_jsonb(products)) as attribute
    where attribute.key like 'attributes\_\_%'
      and attribute.value is not null and attribute.value not in ('', '[]', 'null')
{%- endmacro %}

{% macro any_value_of(expression) -%}
    {#- One value of the group (they are equal where it is used); Postgres 15 has no any_value. -#}
    {{ return(adapter.dispatch('any_value_of')(expression)) }}
{%- endmacro %}
{% macro default__any_value_of(expression) -%} any_value({{ expression }}) {%- endmacro %}
{% macro postgres__any_value_of(expression) -%} min({{ expression }}) {%- endmacro %}

{% macro list_agg(expression, order_by, distinct=false) -%}
    {#- The group's values as an ordered list (DuckDB list, Postgres array). -#}
    {{ return(adapter.dispatch('list_agg')(expression, order_by, distinct)) }}
{%- endmacro %}
{% macro default__list_agg(expression, order_by, distinct) -%}
    list({{ 'distinct ' if distinct }}{{ expression }} order by {{ order_by }})
{%- endmacro %}
{% macro postgres__list_agg(expression, order_by, distinct) -%}
    array_agg({{ 'distinct ' if distinct }}{{ expression }} order by {{ order_by }})
{%- endmacro %}

{% macro empty_text_list() -%}
    {{ return(adapter.dispatch('empty_text_list')()) }}
{%- endmacro %}
{% macro default__empty_text_list() -%} [] {%- endmacro %}
{% macro postgres__empty_text_list() -%} array[]::text[] {%- endmacro %}

{% macro list_has(list_expression, value) -%}
    {{ return(adapter.dispatch('list_has')(list_expression, value)) }}
{%- endmacro %}
{% macro default__list_has(list_expression, value) -%}
    list_contains({{ list_expression }}, {{ value }})
{%- endmacro %}
{% macro postgres__list_has(list_expression, value) -%}
    ({{ value }} = any({{ list_expression }}))
{%- endmacro %}

{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex')(expression)) }}
{%- endmacro %}
{% macro default__sha256_hex(expression) -%} sha256({{ expression }}) {%- endmacro %}
{% macro postgres__sha256_hex(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro object_list_agg(fields, order_by) -%}
    {#- The group's rows as an ordered list of objects {name: expression} (DuckDB: a list of
        structs; Postgres: a jsonb array); both become the same JSON in the outbox. -#}
    {{ return(adapter.dispatch('object_list_agg')(fields, order_by)) }}
{%- endmacro %}
{% macro default__object_list_agg(fields, order_by) -%}
    list({ {%- for name, expression in fields.items() %}{{ sql_string(name) }}: {{ expression }}{{ ", " if not loop.last }}{% endfor -%} }
         order by {{ order_by }})
{%- endmacro %}
{% macro postgres__object_list_agg(fields, order_by) -%}
    jsonb_agg(jsonb_build_object({%- for name, expression in fields.items() %}{{ sql_string(name) }}, {{ expression }}{{ ", " if not loop.last }}{% endfor -%})
              order by {{ order_by }})
{%- endmacro %}

{% macro empty_object_list() -%}
    {{ return(adapter.dispatch('empty_object_list')()) }}
{%- endmacro %}
{% macro default__empty_object_list() -%} [] {%- endmacro %}
{% macro postgres__empty_object_list() -%} '[]'::jsonb {%- endmacro %}

{% macro to_json_value(expression) -%}
    {#- A value (text, list, object list) as JSON: DuckDB `json`, Postgres `jsonb`. -#}
    {{ return(adapter.dispatch('to_json_value')(expression)) }}
{%- endmacro %}
{% macro default__to_json_value(expression) -%} to_json({{ expression }}) {%- endmacro %}
{% macro postgres__to_json_value(expression) -%} to_jsonb({{ expression }}) {%- endmacro %}

{% macro parse_json(expression) -%}
    {#- JSON held as text, as JSON. -#}
    {{ return(adapter.dispatch('parse_json')(expression)) }}
{%- endmacro %}
{% macro default__parse_json(expression) -%} json({{ expression }}) {%- endmacro %}
{% macro postgres__parse_json(expression) -%} cast({{ expression }} as jsonb) {%- endmacro %}

{% macro json_build(fields) -%}
    {#- A JSON object {name: expression} (`{}` when `fields` is empty). -#}
    {{ return(adapter.dispatch('json_build')(fields)) }}
{%- endmacro %}
{% macro default__json_build(fields) -%}
    json_object({%- for name, expression in fields.items() %}{{ sql_string(name) }}, {{ expression }}{{ ", " if not loop.last }}{% endfor -%})
{%- endmacro %}
{% macro postgres__json_build(fields) -%}
    jsonb_build_object({%- for name, expression in fields.items() %}{{ sql_string(name) }}, {{ expression }}{{ ", " if not loop.last }}{% endfor -%})
{%- endmacro %}

{% macro json_object_agg(key, value) -%}
    {#- The group's rows as one JSON object {key: value}. -#}
    {{ return(adapter.dispatch('json_object_agg')(key, value)) }}
{%- endmacro %}
{% macro default__json_object_agg(key, value) -%} json_group_object({{ key }}, {{ value }}) {%- endmacro %}
{% macro postgres__json_object_agg(key, value) -%} jsonb_object_agg({{ key }}, {{ value }}) {%- endmacro %}

{% macro list_contains_all(haystack, needles) -%}
    {#- Every element of `needles` is in `haystack` (true when `needles` is empty). -#}
    {{ return(adapter.dispatch('list_contains_all')(haystack, needles)) }}
{%- endmacro %}
{% macro default__list_contains_all(haystack, needles) -%}
    list_has_all({{ haystack }}, {{ needles }})
{%- endmacro %}
{% macro postgres__list_contains_all(haystack, needles) -%}
    ({{ haystack }} @> {{ needles }})
{%- endmacro %}

{% macro list_sorted(expression) -%}
    {#- A text list in byte order (DuckDB's order; Postgres: collation "C"). -#}
    {{ return(adapter.dispatch('list_sorted')(expression)) }}
{%- endmacro %}
{% macro default__list_sorted(expression) -%} list_sort({{ expression }}) {%- endmacro %}
{% macro postgres__list_sorted(expression) -%}
    array(select element from unnest({{ expression }}) as element
          order by element collate "C")
{%- endmacro %}

{% macro prefixed_list(expression, prefix) -%}
    {#- Each element of a text list, after the SQL text `prefix`, in the list's order. -#}
    {{ return(adapter.dispatch('prefixed_list')(expression, prefix)) }}
{%- endmacro %}
{% macro default__prefixed_list(expression, prefix) -%}
    list_transform({{ expression }}, element -> {{ prefix }} || element)
{%- endmacro %}
{% macro postgres__prefixed_list(expression, prefix) -%}
    array(select {{ prefix }} || item.element
          from unnest({{ expression }}) with ordinality as item(element, n) order by item.n)
{%- endmacro %}

{% macro iso_date(expression) -%}
    {#- A date as `YYYY-MM-DD` text, whatever the session's date style. -#}
    {{ return(adapter.dispatch('iso_date')(expression)) }}
{%- endmacro %}
{% macro default__iso_date(expression) -%} strftime({{ expression }}, '%Y-%m-%d') {%- endmacro %}
{% macro postgres__iso_date(expression) -%} to_char({{ expression }}, 'YYYY-MM-DD') {%- endmacro %}

{% macro try_cast_double(expression) -%}
    {#- Text as a number, NULL when it is not one. -#}
    {{ return(adapter.dispatch('try_cast_double')(expression)) }}
{%- endmacro %}
{% macro default__try_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}
{% macro postgres__try_cast_double(expression) -%}
    case when ({{ expression }}) ~ '^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$'
         then cast({{ expression }} as double precision) end
{%- endmacro %}
