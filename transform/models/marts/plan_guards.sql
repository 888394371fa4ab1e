-- What the plan would destroy, measured against what is there now: one row per guard, read
-- by `sync-report` (the step between plan and apply), which stops the run before apply when
-- a measure passes its threshold (settings of sync-report). An image is compared by its
-- PhotoShelter id (a re-shot file of the same image is an update, not a replacement). Only
-- what the sync put there counts: taking over a slot filled by hand on the first sync is
-- not a loss the guards are for (an approval typo that empties every synced slot is).
{%- set status_label = rights_attributes()['status'] %}
with compared as (
    select
        *,
        list_transform(list_filter(current_media_ids, x -> x not like 'plytix:%'),
                       x -> split_part(x, ':', 1)) as current_images,
        list_transform(desired_media_ids, x -> split_part(x, ':', 1)) as desired_images
    from {{ ref('int_product_media_compared') }}
),

slots as (
    select
        count(*) filter (where len(current_images) > 0) as filled_now,
        count(*) filter (where is_written and len(current_images) > 0
                         and len(list_intersect(current_images, desired_images)) = 0)
            as emptied_or_replaced,
        (select count(distinct image) from (
            select unnest(list_filter(current_images,
                                      x -> not list_contains(desired_images, x))) as image
            from compared where is_written)) as unlinked_images
    from compared
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
