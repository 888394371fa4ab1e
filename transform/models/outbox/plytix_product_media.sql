-- target-plytix `product_media`: per product and media attribute (thumbnail = hero, the
-- gallery attribute = ordered alternates, one attribute per channel = the images licensed
-- there today), the desired assets, only where they differ from what Plytix holds now.
-- Images compare by PhotoShelter id and file fingerprint (size, width, height), so a
-- replaced file is sent again.
-- An empty list clears an attribute, but only one that holds images the sync put there:
-- images uploaded to Plytix by hand are left alone where PhotoShelter has nothing to offer.
with products as (
    select * from {{ ref('stg_plytix__products') }}
),

compared as (
    select * from {{ ref('int_product_media_compared') }}
),

final as (
    select
        products.sku,
        compared.attribute_label,
        {{ to_json_value('compared.assets') }} as assets
    from compared
    inner join products using (product_id)
    where compared.is_written
)

select * from final
