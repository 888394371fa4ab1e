-- Images whose winning rule names several products where the rule allows only one: the
-- sync reports them and links them nowhere.
with winning as (
    select * from {{ ref('int_media_identifiers_winning') }}
),

final as (
    select
        media_id,
        {{ any_value_of('match_rule') }} as match_rule,
        {{ list_agg('identifier', 'identifier', distinct=true) }} as identifiers
    from winning
    where match_rule not in ('custom_field', 'trans_ref')
    group by media_id
    having count(distinct identifier_key) > 1
)

select * from final
