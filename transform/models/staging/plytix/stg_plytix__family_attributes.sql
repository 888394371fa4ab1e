-- One row per product family and attribute it lists, with whether it is required.
with families as (
    select * from {{ source('plytix', 'product_families') }}
),

listed as (
    select
        id as family_id,
        name as family_name,
        unnest(cast(json(attributes) as json[])) as attribute
    from families
),

final as (
    select
        family_id,
        family_name,
        attribute ->> 'label' as attribute_label,
        coalesce(cast(attribute ->> 'required' as boolean), false) as is_required,
        attribute ->> 'level' as level
    from listed
)

select * from final
