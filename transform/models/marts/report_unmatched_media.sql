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
    where media.media_id not in (select media_id from {{ ref('int_media_products_matched') }})
      and media.media_id not in (select media_id from {{ ref('int_media_match_conflicts') }})
)

select * from final
