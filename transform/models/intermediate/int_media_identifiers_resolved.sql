-- Each identifier resolved to Plytix products: a SKU names one product; a style code (or
-- a `style:` keyword) fans out to every sellable variant of that style; the identifier
-- field may also hold a Plytix product id. `product_id` is NULL when nothing matched.
with identifiers as (
    select * from {{ ref('int_media_identifiers_extracted') }}
),

products as (
    select * from {{ ref('stg_plytix__products') }}
),

by_sku as (
    select identifiers.*, products.product_id, 'sku' as match_level
    from identifiers
    inner join products on products.sku_key = identifiers.identifier_key
    where identifiers.identifier_kind in ('any', 'sku')
),

by_product_id as (
    select identifiers.*, products.product_id, 'sku' as match_level
    from identifiers
    inner join products on products.product_id = lower(identifiers.identifier)
    where identifiers.match_rule = 'custom_field'
),

by_style as (
    select identifiers.*, products.product_id, 'style' as match_level
    from identifiers
    inner join products
        on products.style_key = identifiers.identifier_key and products.product_level <> 1
    where identifiers.identifier_kind in ('any', 'style')
      and not exists (
          select 1 from products as exact
          where exact.sku_key = identifiers.identifier_key
            and identifiers.identifier_kind = 'any'
      )
),

resolved as (
    select * from by_sku
    union all select * from by_product_id
    union all select * from by_style
),

unresolved as (
    select identifiers.*, cast(null as varchar) as product_id, cast(null as varchar) as match_level
    from identifiers
    where not exists (
        select 1 from resolved
        where resolved.media_id = identifiers.media_id
          and resolved.match_rule = identifiers.match_rule
          and resolved.identifier = identifiers.identifier
    )
),

final as (
    select * from resolved
    union all select * from unresolved
)

select * from final
