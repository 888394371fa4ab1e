-- One row per PhotoShelter pick-list field and tag: the tag names a write may use.
with fields as (
    select * from {{ source('photoshelter', 'metadata_fields') }}
),

tags as (
    select
        fields.id as field_id,
        fields.name as field_name,
        {{ json_array_elements('fields.tags') }} as tag
    from fields
),

final as (
    select field_id, field_name, tag ->> 'id' as tag_id, tag ->> 'name' as tag_name
    from tags
)

select * from final
