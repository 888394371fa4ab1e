-- The seasonal-launch package of each sellable product: the family's required attributes,
-- a hero, enough alternates, and image rights valid through the launch window. Complete or
-- not, and why.
with products as (
    select * from {{ ref('stg_plytix__products') }}
    where product_level <> 1
),

imagery as (
    select * from {{ ref('product_imagery') }}
),

required as (
    select family_id, attribute_label
    from {{ ref('stg_plytix__family_attributes') }}
    where is_required
),

attribute_values as (
    select * from {{ ref('stg_plytix__product_attribute_values') }}
),

missing as (
    select
        products.product_id,
        list(required.attribute_label order by required.attribute_label) as missing_attributes
    from products
    inner join required on required.family_id = products.family_id
    left join attribute_values as own
        on own.product_id = products.product_id
       and own.attribute_label = required.attribute_label
    left join attribute_values as inherited
        on inherited.product_id = products.parent_id
       and inherited.attribute_label = required.attribute_label
    where own.value_text is null and inherited.value_text is null
    group by products.product_id
),

rights as (
    select
        ranked.product_id,
        min(ranked.license_expiration) as earliest_expiry
    from {{ ref('int_product_images_ranked') }} as ranked
    group by ranked.product_id
),

assessed as (
    select
        products.product_id,
        products.sku,
        products.label,
        coalesce(products.season, 'No season') as launch,
        products.launch_status,
        products.launch_date,
        coalesce(products.launch_date, current_date)
            + {{ var('launch_window_days') | int }} as launch_window_end,
        coalesce(missing.missing_attributes, []) as missing_attributes,
        imagery.hero_media_id is not null as has_hero,
        imagery.n_alternates,
        rights.earliest_expiry,
        rights.earliest_expiry is null
            or rights.earliest_expiry >= coalesce(products.launch_date, current_date)
                                         + {{ var('launch_window_days') | int }}
            as rights_valid_through_launch
    from products
    inner join imagery using (product_id)
    left join missing using (product_id)
    left join rights using (product_id)
),

final as (
    select
        *,
        list_transform(missing_attributes, a -> 'missing attribute: ' || a)
        || case when not has_hero then ['no hero image'] else [] end
        || case when n_alternates < {{ var('min_alternates') | int }}
                 then ['only ' || n_alternates || ' alternate(s), '
                       || {{ var('min_alternates') | int }} || ' needed'] else [] end
        || case when not rights_valid_through_launch
                 then ['image rights expire ' || strftime(earliest_expiry, '%Y-%m-%d')
                       || ', before the launch window ends '
                       || strftime(launch_window_end, '%Y-%m-%d')] else [] end
            as incomplete_reasons
    from assessed
)

select *, len(incomplete_reasons) = 0 as is_complete from final
