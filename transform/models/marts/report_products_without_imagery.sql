-- Sellable products with no approved, licensed image: why, per product.
select
    product_id,
    sku,
    label,
    season,
    launch_status,
    n_matched,
    case
        when n_matched = 0 then 'no image matched'
        when n_expired > 0 and n_matched = n_expired + n_not_approved then 'all approved images expired'
        else 'no approved image'
    end as reason
from {{ ref('product_imagery') }}
where product_level <> 1 and n_usable = 0
