-- Images that name several products under one rule that allows one: never linked.
select
    conflicts.media_id,
    media.file_name,
    conflicts.match_rule,
    conflicts.identifiers
from {{ ref('int_media_match_conflicts') }} as conflicts
inner join {{ ref('stg_photoshelter__media') }} as media using (media_id)
