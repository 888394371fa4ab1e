-- The identifiers of each image under its winning rule: the highest-priority rule that names
-- at least one known product. A `sku:` identifier is more specific than a `style:` one on
-- the same image, so a style identifier is dropped where the winning rule also names a SKU.
with resolved as (
    select * from {{ ref('int_media_identifiers_resolved') }}
    where product_id is not null
),

winning_rule as (
    select media_id, min(rule_rank) as rule_rank
    from resolved
    group by media_id
),

winning as (
    select resolved.*
    from resolved
    inner join winning_rule using (media_id, rule_rank)
),

final as (
    select *
    from winning
    where not (
        identifier_kind = 'style'
        and exists (select 1 from winning as w
                    where w.media_id = winning.media_id and w.identifier_kind = 'sku')
    )
)

select * from final
