-- target-plytix `products`: the rights attributes of each product with matched imagery
-- (earliest expiry, usage terms, credit, allowed channels and markets, imagery status),
-- only for products where one of them differs from what Plytix holds now.
{%- set labels = rights_attributes() %}
{%- set list_labels = [labels['channels'], labels['markets']] %}
with imagery as (
    select * from {{ ref('product_imagery') }}
),

current_values as (
    select * from {{ ref('stg_plytix__product_attribute_values') }}
    where attribute_label in (
        {%- for key, label in labels.items() %}{{ sql_string(label) }}{{ ", " if not loop.last }}{% endfor -%}
    )
),

in_scope as (
    select imagery.*
    from imagery
    where n_matched > 0
       or product_id in (
           select product_id from current_values
           where attribute_label = {{ sql_string(labels['status']) }}
       )
),

desired as (
    {%- set expressions = {
        'expiry': to_json_value(iso_date('rights_expiry')),
        'usage_terms': to_json_value('usage_terms'),
        'credit': to_json_value('credit'),
        'channels': to_json_value('nullif(allowed_channels, ' ~ empty_text_list() ~ ')'),
        'markets': to_json_value('nullif(allowed_markets, ' ~ empty_text_list() ~ ')'),
        'status': to_json_value('imagery_status'),
    } %}
    {#- multi-selects compare as sets: the order Plytix keeps them in is not ours -#}
    {%- set comparable = {
        'channels': to_json_value('nullif(' ~ list_sorted('allowed_channels') ~ ', '
                                  ~ empty_text_list() ~ ')'),
        'markets': to_json_value('nullif(' ~ list_sorted('allowed_markets') ~ ', '
                                 ~ empty_text_list() ~ ')'),
    } %}
    {%- for key, expression in expressions.items() %}
    select product_id, sku, {{ sql_string(labels[key]) }} as label,
           cast({{ expression }} as varchar) as desired_json,
           cast({{ comparable.get(key, expression) }} as varchar) as comparable_json
    from in_scope
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

current as (
    select
        product_id,
        attribute_label as label,
        case
            when attribute_label in ({{ sql_string(list_labels[0]) }}, {{ sql_string(list_labels[1]) }})
                then cast({{ to_json_value('nullif(' ~ list_sorted(json_string_list('value_text'))
                                           ~ ', ' ~ empty_text_list() ~ ')') }} as varchar)
            when attribute_label = {{ sql_string(labels['expiry']) }}
                then cast({{ to_json_value('left(value_text, 10)') }} as varchar)
            else cast({{ to_json_value('value_text') }} as varchar)
        end as current_json
    from current_values
),

compared as (
    select
        desired.product_id,
        desired.sku,
        desired.label,
        desired.desired_json,
        desired.comparable_json is distinct from current.current_json as is_changed
    from desired
    left join current using (product_id, label)
),

final as (
    select
        sku,
        {{ json_object_agg('label', parse_json('desired_json')) }} as attributes
    from compared
    group by sku
    having bool_or(is_changed)
)

select * from final
