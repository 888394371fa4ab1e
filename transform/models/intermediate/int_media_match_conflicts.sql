-- Images whose winning rule names several products where the rule allows only one: the
-- sync reports them and links them nowhere.
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
    where not (
        resolved.identifier_kind = 'style'
        and exists (select 1 from resolved as r
                    where r.media_id = resolved.media_id and r.rule_rank = resolved.rule_rank
                      and r.identifier_kind = 'sku')
    )
),

final as (
    select
        media_id,
        any_value(match_rule) as match_rule,
        list(distinct identifier order by identifier) as identifiers
    from winning
    where match_rule not in ('custom_field', 'trans_ref')
    group by media_id
    having count(distinct identifier_key) > 1
)

select * from final
