-- Identifiers found in PhotoShelter that name no Plytix product (SKU, style or id).
select
    unresolved.media_id,
    media.file_name,
    unresolved.match_rule,
    unresolved.identifier
from {{ ref('int_media_identifiers_resolved') }} as unresolved
inner join {{ ref('stg_photoshelter__media') }} as media using (media_id)
where unresolved.product_id is null
