-- One row per PhotoShelter image: the fields the sync reads, typed and normalised.
-- depends_on: {{ ref('preflight_settings') }}
with media as (
    select * from {{ source('photoshelter', 'media') }}
),

final as (
    select
        id as media_id,
        file_name,
        cast(file_size as bigint) as file_size,
        cast(width as integer) as width,
        cast(height as integer) as height,
        modified_at,
        {{ try_cast_date('license_expiration') }} as license_expiration,
        nullif(trim(iptc__title), '') as title,
        nullif(trim(iptc__trans_ref), '') as trans_ref,
        nullif(trim(iptc__rights), '') as usage_terms,
        nullif(trim(iptc__credit), '') as credit,
        nullif(trim(iptc__copyright), '') as copyright,
        {{ json_string_list('keywords') }} as keywords,
        link_url,
        {{ file_name_group('file_name', 'sku') }} as file_name_sku,
        lower({{ file_name_group('file_name', 'view') }}) as file_name_view,
        {{ try_cast_integer(file_name_group('file_name', 'seq')) }} as file_name_seq,
        -- `<bytes>-<width>-<height>`: changes when the file itself is replaced (not when its
        -- metadata is edited); no hash of the content, which PhotoShelter does not give
        concat_ws('-', file_size, width, height) as file_fingerprint
    from media
)

select * from final
