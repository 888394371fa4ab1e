-- One row per matched (image, product) with the Plytix facts written back onto the image.
with matched as (
    select * from {{ ref('int_media_products_matched') }}
),

products as (
    select * from {{ ref('stg_plytix__products') }}
),

product_category as (
    select products.product_id, min(categories.category_name) as category_name
    from products, unnest(products.category_ids) as c(category_id)
    inner join {{ ref('stg_plytix__categories') }} as categories
        on categories.category_id = c.category_id
    group by products.product_id
),

final as (
    select
        matched.media_id,
        matched.product_id,
        matched.match_level,
        products.sku,
        products.label,
        products.style_code,
        products.color,
        products.size,
        products.season,
        products.launch_status,
        product_category.category_name
    from matched
    inner join products using (product_id)
    left join product_category using (product_id)
)

select * from final
