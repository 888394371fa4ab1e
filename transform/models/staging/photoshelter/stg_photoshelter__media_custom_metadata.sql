-- One row per image and organisation pick-list field it has a tag for.
with media as (
    select
        id as media_id,
        {{ json_array_elements('custom_metadata_raw') }} as entry
    from {{ source('photoshelter', 'media') }}
),

final as (
    select
        media_id,
        entry ->> 'field_id' as field_id,
        entry ->> 'field_name' as field_name,
        entry ->> 'tag_id' as tag_id,
        entry ->> 'tag_name' as tag_name
    from media
    where entry ->> 'tag_name' is not null
)

select * from final
