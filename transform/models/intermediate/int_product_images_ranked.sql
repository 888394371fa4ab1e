-- The usable images of each product (approved, rights not expired), ranked: position 0 is
-- the hero (an image marked hero, else the lowest sequence; a multi-product shot is hero
-- only when marked), then the alternates by sequence, then file name.
with matched as (
    select * from {{ ref('int_media_products_matched') }}
),

rights as (
    select * from {{ ref('int_media_rights_evaluated') }}
),

usable as (
    select matched.product_id, matched.match_rule, matched.match_level, matched.is_multi_product,
           rights.*
    from matched
    inner join rights using (media_id)
    where rights.is_approved and not rights.is_expired
),

hero as (
    select product_id, media_id
    from (
        select *, row_number() over (
            partition by product_id
            order by is_marked_hero desc nulls last, sequence nulls last, file_name, media_id
        ) as hero_rank
        from usable
        where is_marked_hero or not is_multi_product
    ) as eligible
    where hero_rank = 1
),

final as (
    select
        usable.*,
        hero.media_id is not null as is_hero,
        row_number() over (
            partition by usable.product_id
            order by hero.media_id is not null desc, usable.sequence nulls last,
                     usable.file_name, usable.media_id
        ) - 1 as position
    from usable
    left join hero
        on hero.product_id = usable.product_id and hero.media_id = usable.media_id
)

select * from final
