-- An ambiguous image (several products under a one-product rule) is reported, never
-- linked in Plytix nor tagged in PhotoShelter.
with linked as (
    select {{ json_array_elements('assets') }} ->> 'source_id' as media_id
    from {{ ref('plytix_product_media') }}
    union all
    select media_id from {{ ref('photoshelter_media_metadata') }}
    union all
    select {{ json_scalar_text(json_array_elements('media_ids')) }}
    from {{ ref('photoshelter_galleries') }}
)

select linked.media_id
from linked
inner join {{ ref('int_media_match_conflicts') }} using (media_id)
