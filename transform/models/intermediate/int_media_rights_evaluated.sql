-- Per image: approval, rights (expiry, terms, credit, copyright), channels and markets it
-- is licensed for (none listed = unrestricted), and its role (hero mark, sequence).
with media as (
    select * from {{ ref('stg_photoshelter__media') }}
),

keywords as (
    select * from {{ ref('stg_photoshelter__media_keywords') }}
),

approval as (
    select media_id, tag_name
    from {{ ref('stg_photoshelter__media_custom_metadata') }}
    where field_name = {{ sql_string(var('approval_field')) }}
),

limits as (
    select
        media_id,
        {{ list_agg('lower(value)', 'lower(value)', distinct=true) }} filter (where prefix = 'channel') as channels,
        {{ list_agg('upper(value)', 'upper(value)', distinct=true) }} filter (where prefix = 'market') as markets,
        bool_or(prefix = 'view' and lower(value) = 'hero') as has_hero_keyword
    from keywords
    group by media_id
),

final as (
    select
        media.media_id,
        media.file_name,
        media.link_url,
        media.file_fingerprint,
        approval.tag_name as approval_status,
        coalesce(approval.tag_name = {{ sql_string(var('approval_value')) }}, false) as is_approved,
        media.license_expiration,
        coalesce(media.license_expiration < current_date, false) as is_expired,
        coalesce(media.license_expiration < current_date + {{ var('expiring_soon_days') | int }},
                 false) as is_expiring_soon,
        media.usage_terms,
        media.credit,
        media.copyright,
        coalesce(limits.channels, {{ empty_text_list() }}) as licensed_channels,
        coalesce(limits.markets, {{ empty_text_list() }}) as licensed_markets,
        coalesce(limits.has_hero_keyword, false)
            or coalesce(media.file_name_view = 'hero', false) as is_marked_hero,
        media.file_name_seq as sequence
    from media
    left join approval using (media_id)
    left join limits using (media_id)
)

select * from final
