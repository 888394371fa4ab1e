-- An image may be the hero of several variants of one style (a style shot), never of two
-- products of different styles: that would publish one product's photo as another's.
select ranked.media_id,
       {{ list_agg('products.sku', 'products.sku', distinct=true) }} as skus
from {{ ref('int_product_images_ranked') }} as ranked
inner join {{ ref('stg_plytix__products') }} as products using (product_id)
where ranked.is_hero
group by ranked.media_id
having count(distinct coalesce(products.style_key, products.sku_key)) > 1
