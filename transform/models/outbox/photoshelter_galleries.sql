-- target-photoshelter `galleries`: one creative hand-off gallery per product whose launch
-- status is "Ready for creative", `<SKU> <name>` under `<handoff>/<season>`, holding the
-- images already matched to it (rejected ones excepted); only where the gallery is missing
-- or lacks some of them.
with ready as (
    select *
    from {{ ref('stg_plytix__products') }}
    where launch_status = {{ sql_string(var('ready_for_creative')) }}
      and product_level <> 1
      and season is not null
),

matched as (
    select matched.product_id, matched.media_id
    from {{ ref('int_media_products_matched') }} as matched
    inner join {{ ref('int_media_rights_evaluated') }} as rights using (media_id)
    where rights.approval_status is distinct from 'Rejected'
),

desired as (
    select
        ready.sku || ' ' || ready.label as name,
        {{ sql_string(var('handoff_collection') ~ '/') }} || ready.season as parent,
        'Creative hand-off (created by pim-dam-sync)' as description,
        coalesce({{ list_agg('matched.media_id', 'matched.media_id', distinct=true) }}
                 filter (where matched.media_id is not null), {{ empty_text_list() }}) as media_ids
    from ready
    left join matched using (product_id)
    group by 1, 2, 3
),

existing as (
    select
        galleries.gallery_name,
        galleries.parent_path,
        coalesce({{ list_agg('gallery_media.media_id', 'gallery_media.media_id', distinct=true) }}
                 filter (where gallery_media.media_id is not null), {{ empty_text_list() }})
            as media_ids
    from {{ ref('stg_photoshelter__galleries') }} as galleries
    left join {{ ref('stg_photoshelter__gallery_media') }} as gallery_media using (gallery_id)
    group by 1, 2
),

final as (
    select desired.name, desired.parent, desired.description,
           {{ to_json_value('desired.media_ids') }} as media_ids
    from desired
    left join existing
        on trim(existing.gallery_name) = desired.name
       and existing.parent_path = desired.parent
    where existing.gallery_name is null
       or not {{ list_contains_all('existing.media_ids', 'desired.media_ids') }}
)

select * from final
