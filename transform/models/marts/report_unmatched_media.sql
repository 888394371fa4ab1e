-- Images that match no product by any rule (ambiguous images are reported separately).
with media as (
    select * from {{ ref('int_media_rights_evaluated') }}
),

found as (
    select media_id,
           {{ list_agg('identifier', 'identifier', distinct=true) }} as unknown_identifiers
    from {{ ref('int_media_identifiers_resolved') }}
    where product_id is null
    group by media_id
),

final as (
    select media.media_id, media.file_name, media.approval_status,
           coalesce(found.unknown_identifiers, {{ empty_text_list() }}) as unknown_identifiers
    from media
    left join found using (media_id)
    -- anti-joins, not `not in (select ...)`: Postgres runs that once per row when the
    -- subquery's hash does not fit work_mem
    where not exists (select 1 from {{ ref('int_media_products_matched') }} as matched
                      where matched.media_id = media.media_id)
      and not exists (select 1 from {{ ref('int_media_match_conflicts') }} as conflicts
                      where conflicts.media_id = media.media_id)
)

select * from final
