-- One row per product family and attribute it lists. Plytix keeps no "required" flag on a
-- family (what a launch package needs is the setting package_required_attributes); an
-- attribute is an object with a label (or a bare label).
with families as (
    select * from {{ source('plytix', 'product_families') }}
),

listed as (
    select
        id as family_id,
        name as family_name,
        {{ json_array_elements('attributes') }} as attribute
    from families
),

final as (
    select
        family_id,
        family_name,
        coalesce(attribute ->> 'label', {{ json_scalar_text('attribute') }}) as attribute_label,
        attribute ->> 'level' as level
    from listed
)

select * from final
