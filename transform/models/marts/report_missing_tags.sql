-- Plytix values with no PhotoShelter pick-list tag: left out of the metadata writes until
-- someone adds the tag (or turns on create_missing_tags).
select
    field_name,
    tag_name,
    count(*) as images,
    {{ list_agg('media_id', 'media_id') }} as media_ids
from {{ ref('int_media_fields_desired') }}
where not is_known_tag
group by field_name, tag_name
