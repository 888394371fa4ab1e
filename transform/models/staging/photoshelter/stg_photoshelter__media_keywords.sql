-- One row per image keyword, split at the first ':' into prefix and value (`sku:HD-1` ->
-- `sku`, `HD-1`); plain keywords have no prefix.
with media as (
    select media_id, unnest(keywords) as keyword
    from {{ ref('stg_photoshelter__media') }}
),

final as (
    select distinct
        media_id,
        trim(keyword) as keyword,
        case when strpos(keyword, ':') > 0
            then lower(trim(split_part(keyword, ':', 1))) end as prefix,
        case when strpos(keyword, ':') > 0
            then trim(substr(keyword, strpos(keyword, ':') + 1)) end as value
    from media
    where trim(keyword) <> ''
)

select * from final
