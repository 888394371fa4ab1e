-- One row per product and custom attribute that holds a value, as text (lists as JSON).
with products as (
    select id as product_id, columns('^attributes__')::varchar
    from {{ source('plytix', 'products') }}
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
