-- Which image sits in which gallery.
with gallery_media as (
    select * from {{ source('photoshelter', 'gallery_media') }}
),

final as (
    select distinct gallery_id, media_id
    from gallery_media
)

select * from final
