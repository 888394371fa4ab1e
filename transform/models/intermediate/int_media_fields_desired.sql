-- The pick-list value each matched image should carry per PhotoShelter custom field, where
-- every product it shows agrees, and whether PhotoShelter has that tag (a missing tag is
-- reported, not written, unless create_missing_tags is on).
{%- set field_attributes = pairs_var('custom_fields') %}
with facts as (
    select * from {{ ref('int_media_product_facts') }}
),

attribute_values as (
    select * from {{ ref('stg_plytix__product_attribute_values') }}
),

field_values as (
    {%- for field_name, attribute_label in field_attributes %}
    select facts.media_id, {{ sql_string(field_name) }} as field_name,
           {% if attribute_label == 'category' -%}
           facts.category_name
           {%- else -%}
           attribute_values.value_text
           {%- endif %} as tag_name
    from facts
    {%- if attribute_label != 'category' %}
    left join attribute_values
        on attribute_values.product_id = facts.product_id
       and attribute_values.attribute_label = {{ sql_string(attribute_label) }}
    {%- endif %}
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

agreed as (
    select media_id, field_name, {{ any_value_of('tag_name') }} as tag_name
    from field_values
    group by media_id, field_name
    having count(distinct tag_name) = 1 and count(tag_name) = count(*)
),

known_tags as (
    select distinct lower(trim(field_name)) as field_key, lower(trim(tag_name)) as tag_key
    from {{ ref('stg_photoshelter__metadata_tags') }}
),

final as (
    select
        agreed.media_id,
        agreed.field_name,
        agreed.tag_name,
        known_tags.tag_key is not null as is_known_tag
    from agreed
    left join known_tags
        on known_tags.field_key = lower(trim(agreed.field_name))
       and known_tags.tag_key = lower(trim(agreed.tag_name))
)

select * from final
