-- The winning match of each image: the highest-priority rule that names at least one known
-- product. Under that rule, several SKUs are an explicit multi-product shot for custom_field
-- and trans_ref (listed on purpose) and ambiguous for the others (two `sku:` keywords, two
-- hand-off galleries...): ambiguous images are kept out here and reported.
with specific as (
    select * from {{ ref('int_media_identifiers_winning') }}
),

targets as (
    select
        media_id,
        {{ any_value_of('match_rule') }} as match_rule,
        count(distinct identifier_key) as n_identifiers
    from specific
    group by media_id
),

final as (
    select distinct
        specific.media_id,
        specific.product_id,
        specific.match_rule,
        specific.match_level,
        specific.identifier,
        targets.n_identifiers > 1 as is_multi_product
    from specific
    inner join targets using (media_id)
    where targets.n_identifiers = 1 or targets.match_rule in ('custom_field', 'trans_ref')
)

select * from final
