-- Plytix assets; those the sync created carry their PhotoShelter id and file fingerprint in
-- their name, so the sync's own state survives in Plytix itself.
with assets as (
    select * from {{ source('plytix', 'assets') }}
),

final as (
    select
        id as asset_id,
        filename,
        nullif({{ regexp_group('filename', '^(.+?)__.', 1) }}, '') as source_id,
        -- target-plytix names assets `<source_id>__<8 hex of sha256(checksum)>__<file>`, the
        -- record's `checksum` being the image's file_fingerprint (stg_photoshelter__media)
        nullif({{ regexp_group('filename', '^.+?__([0-9a-f]{8})__.', 1) }}, '') as fingerprint_tag,
        url,
        file_size,
        modified
    from assets
)

select * from final
