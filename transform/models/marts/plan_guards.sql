-- What the plan would destroy, measured against what is there now: one row per guard, read
-- by `sync-report` (the step between plan and apply), which stops the run before apply when
-- a measure passes its threshold (settings of sync-report). An image is compared by its
-- PhotoShelter id (a re-shot file of the same image is an update, not a replacement). Only
-- what the sync put there counts: taking over a slot filled by hand on the first sync is
-- not a loss the guards are for (an approval typo that empties every synced slot is).
{%- set status_label = rights_attributes()['status'] %}
with compared as (
    select product_id, attribute_label, is_written, current_asset_keys, desired_asset_keys
    from {{ ref('int_product_media_compared') }}
),

-- the synced images (asset keys `<PhotoShelter id>:<fingerprint tag>`, not
-- `plytix:<asset id>`) each slot holds now, and whether the plan keeps each one there
current_images as (
    select distinct
        compared.product_id, compared.attribute_label, compared.is_written,
        split_part(item.asset_key, ':', 1) as image
    from compared
    cross join unnest(compared.current_asset_keys) as item(asset_key)
    where item.asset_key not like 'plytix:%'
),

desired_images as (
    select distinct
        compared.product_id, compared.attribute_label, split_part(item.asset_key, ':', 1) as image
    from compared
    cross join unnest(compared.desired_asset_keys) as item(asset_key)
),

held as (
    select current_images.*, desired_images.image is not null as is_kept
    from current_images
    left join desired_images using (product_id, attribute_label, image)
),

filled_slots as (
    select product_id, attribute_label, bool_or(is_written) as is_written,
           bool_or(is_kept) as keeps_some
    from held
    group by product_id, attribute_label
),

slots as (
    select
        count(*) as filled_now,
        count(*) filter (where is_written and not keeps_some) as emptied_or_replaced,
        (select count(distinct image) from held where is_written and not is_kept)
            as unlinked_images
    from filled_slots
),

statuses as (
    select
        count(*) as products_with_status,
        count(*) filter (where imagery.imagery_status is distinct from current.value_text)
            as status_changes
    from {{ ref('stg_plytix__product_attribute_values') }} as current
    inner join {{ ref('product_imagery') }} as imagery using (product_id)
    where current.attribute_label = {{ sql_string(status_label) }}
),

final as (
    select 'slots_emptied_or_replaced' as guard, emptied_or_replaced as changed,
           filled_now as base,
           'image slots (product x media attribute) holding synced images now that the plan '
           || 'empties or fills with other images only' as measure
    from slots
    union all
    select 'images_unlinked', unlinked_images, null,
           'synced images the plan takes out of product media attributes (distinct)'
    from slots
    union all
    select 'imagery_status_changes', status_changes, products_with_status,
           'products whose imagery status the plan changes'
    from statuses
)

select * from final
