-- Per product and media attribute (thumbnail = hero, the gallery attribute = ordered
-- alternates, one attribute per channel), the images wanted and the images Plytix holds now,
-- as asset keys `<PhotoShelter id>:<fingerprint tag>` (foreign assets `plytix:<asset id>`).
-- The outbox model plytix_product_media sends the differences; marts.plan_guards measures them.
{%- set pairs = channel_pairs() %}
with products as (
    select * from {{ ref('stg_plytix__products') }}
),

ranked as (
    select * from {{ ref('int_product_images_ranked') }}
),

desired_items as (
    select product_id, 'thumbnail' as attribute_label, media_id, position
    from ranked where is_hero
    union all
    select product_id, {{ sql_string(var('gallery_attribute')) }}, media_id, position
    from ranked where not is_hero
    union all
    select product_id, attribute_label, media_id, position
    from {{ ref('int_product_channel_images') }}
),

desired as (
    select
        desired_items.product_id,
        desired_items.attribute_label,
        {{ list_agg("desired_items.media_id || ':' || left(" ~ sha256_hex('media.file_fingerprint') ~ ", 8)",
                    'desired_items.position') }} as asset_keys,
        -- the assets' `checksum` is the record field target-plytix reads (docs/contracts.md)
        {{ object_list_agg({'source_id': 'media.media_id', 'url': 'media.link_url',
                            'filename': 'media.file_name', 'checksum': 'media.file_fingerprint'},
                           'desired_items.position') }} as assets
    from desired_items
    inner join {{ ref('int_media_rights_evaluated') }} as media using (media_id)
    group by 1, 2
),

current_items as (
    select product_id, 'thumbnail' as attribute_label, thumbnail_asset_id as asset_id,
           0 as position
    from products where thumbnail_asset_id is not null
    union all
    select
        attribute_values.product_id,
        attribute_values.attribute_label,
        unnest({{ json_string_list('attribute_values.value_text') }}) as asset_id,
        generate_subscripts({{ json_string_list('attribute_values.value_text') }}, 1) as position
    from {{ ref('stg_plytix__product_attribute_values') }} as attribute_values
    where attribute_values.attribute_label in (
        {{ sql_string(var('gallery_attribute')) }}
        {%- for channel, attribute_label in pairs %}, {{ sql_string(attribute_label) }}{% endfor %}
    )
),

current as (
    select
        current_items.product_id,
        current_items.attribute_label,
        {{ list_agg("coalesce(assets.source_id || ':' || coalesce(assets.fingerprint_tag, ''), "
                    ~ "'plytix:' || current_items.asset_id)", 'current_items.position') }}
            as asset_keys,
        bool_or(assets.source_id is not null) as holds_synced_images
    from current_items
    left join {{ ref('stg_plytix__assets') }} as assets using (asset_id)
    group by 1, 2
),

compared as (
    select
        coalesce(desired.product_id, current.product_id) as product_id,
        coalesce(desired.attribute_label, current.attribute_label) as attribute_label,
        coalesce(desired.asset_keys, {{ empty_text_list() }}) as desired_asset_keys,
        coalesce(current.asset_keys, {{ empty_text_list() }}) as current_asset_keys,
        coalesce(desired.assets, {{ empty_object_list() }}) as assets,
        coalesce(current.holds_synced_images, false) as holds_synced_images
    from desired
    full outer join current
        on current.product_id = desired.product_id
       and current.attribute_label = desired.attribute_label
),

final as (
    select
        *,
        -- sent when it differs; an empty list only clears what the sync put there
        desired_asset_keys <> current_asset_keys
            and ({{ list_length('desired_asset_keys') }} > 0 or holds_synced_images) as is_written
    from compared
)

select * from final
