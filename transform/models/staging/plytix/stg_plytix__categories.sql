-- Product categories with their path as text (`Apparel/Tops`) and leaf name (`Tops`).
with categories as (
    select * from {{ source('plytix', 'product_categories') }}
),

final as (
    select
        id as category_id,
        name as category_name,
        array_to_string({{ json_string_list('path') }}, '/') as category_path
    from categories
)

select * from final
