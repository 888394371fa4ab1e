-- Which image sits in which gallery now. The loader only upserts, so an image taken out of
-- a gallery keeps its landed row: only rows of the gallery's current membership read count.
with gallery_media as (
    select * from {{ source('photoshelter', 'gallery_media') }}
),

current_reads as (
    select distinct gallery_id, membership_version
    from {{ ref('stg_photoshelter__galleries') }}
),

final as (
    select distinct gallery_media.gallery_id, gallery_media.media_id
    from gallery_media
    inner join current_reads
        on current_reads.gallery_id = gallery_media.gallery_id
       and current_reads.membership_version = gallery_media.membership_version
)

select * from final
