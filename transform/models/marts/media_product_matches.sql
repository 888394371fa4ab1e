-- Every image linked to a product, with the rule and level that matched it.
with matched as (
    select * from {{ ref('int_media_products_matched') }}
),

final as (
    select
        matched.media_id,
        media.file_name,
        matched.product_id,
        products.sku,
        matched.match_rule,
        matched.match_level,
        matched.identifier,
        matched.is_multi_product
    from matched
    inner join {{ ref('stg_plytix__products') }} as products using (product_id)
    inner join {{ ref('stg_photoshelter__media') }} as media using (media_id)
)

select * from final
