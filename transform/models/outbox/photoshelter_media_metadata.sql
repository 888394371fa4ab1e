-- target-photoshelter `media_metadata`: Plytix product data onto each matched image
-- (keywords under the managed prefixes, IPTC title = product name when the image shows one
-- product, pick-list fields where every matched product agrees and PhotoShelter has the
-- tag), only where it differs.
-- A style-level match writes the style's data, not the SKUs of its variants.
{%- set prefixes = var('managed_keyword_prefixes') %}
with facts as (
    select * from {{ ref('int_media_product_facts') }}
),

desired_keywords as (
    select media_id, {{ list_agg('keyword', 'keyword', distinct=true) }} as keywords
    from (
        select media_id, 'sku:' || sku as keyword from facts where match_level = 'sku'
        union all select media_id, 'style:' || style_code from facts
        union all select media_id, 'color:' || color from facts where match_level = 'sku'
        union all select media_id, 'size:' || size from facts where match_level = 'sku'
        union all select media_id, 'category:' || category_name from facts
        union all select media_id, 'season:' || season from facts
        union all select media_id, 'launch:' || launch_status from facts
    ) as k
    where keyword is not null
    group by media_id
),

current_keywords as (
    select media_id, {{ list_agg('keyword', 'keyword', distinct=true) }} as keywords
    from {{ ref('stg_photoshelter__media_keywords') }}
    where
        {%- for prefix in prefixes %}
        lower(keyword) like {{ sql_string(prefix | lower ~ '%') }}{{ " or" if not loop.last }}
        {%- endfor %}
    group by media_id
),

titles as (
    select media_id, {{ any_value_of('label') }} as title
    from facts
    group by media_id
    having count(distinct product_id) = 1 and bool_and(match_level = 'sku')
),

desired_fields as (
    select media_id, field_name, tag_name
    from {{ ref('int_media_fields_desired') }}
    {%- if var('create_missing_tags') | string | lower not in ('true', '1', 'yes') %}
    where is_known_tag
    {%- endif %}
),

current_fields as (
    select media_id, field_name, tag_name
    from {{ ref('stg_photoshelter__media_custom_metadata') }}
),

desired_field_objects as (
    select media_id, {{ json_object_agg('field_name', 'tag_name') }} as custom_metadata
    from desired_fields
    group by media_id
),

field_changes as (
    select desired_fields.media_id, bool_or(
        current_fields.tag_name is distinct from desired_fields.tag_name) as is_changed
    from desired_fields
    left join current_fields using (media_id, field_name)
    group by desired_fields.media_id
),

media_ids as (
    select distinct media_id from facts
),

compared as (
    select
        media_ids.media_id,
        coalesce(desired_keywords.keywords, {{ empty_text_list() }}) as keywords,
        titles.title,
        coalesce(desired_keywords.keywords, {{ empty_text_list() }})
            <> coalesce(current_keywords.keywords, {{ empty_text_list() }})
            or (titles.title is not null and titles.title is distinct from media.title)
            or coalesce(field_changes.is_changed, false) as is_changed
    from media_ids
    inner join {{ ref('stg_photoshelter__media') }} as media using (media_id)
    left join desired_keywords using (media_id)
    left join current_keywords using (media_id)
    left join titles using (media_id)
    left join field_changes using (media_id)
),

final as (
    select
        compared.media_id,
        case when compared.title is null then {{ json_build({}) }}
             else {{ json_build({'title': 'compared.title'}) }} end as iptc,
        {{ to_json_value('compared.keywords') }} as keywords,
        coalesce(desired_field_objects.custom_metadata, {{ json_build({}) }}) as custom_metadata
    from compared
    left join desired_field_objects using (media_id)
    where compared.is_changed
)

select * from final
