-- The winning match of each image: the highest-priority rule that names at least one known
-- product. Under that rule, several SKUs are an explicit multi-product shot for custom_field
-- and trans_ref (listed on purpose) and ambiguous for the others (two `sku:` keywords, two
-- hand-off galleries...): ambiguous images are kept out here and reported.
with winning as (
    select * from {{ ref('int_media_identifiers_winning') }}
),

winning_rules as (
    select
        media_id,
        {{ any_value_of('match_rule') }} as match_rule,
        count(distinct identifier_key) as n_identifiers
    from winning
    group by media_id
),

final as (
    select distinct
        winning.media_id,
        winning.product_id,
        winning.match_rule,
        winning.match_level,
        winning.identifier,
        winning_rules.n_identifiers > 1 as is_multi_product
    from winning
    inner join winning_rules using (media_id)
    where winning_rules.n_identifiers = 1
       or winning_rules.match_rule in ('custom_field', 'trans_ref')
)

select * from final
