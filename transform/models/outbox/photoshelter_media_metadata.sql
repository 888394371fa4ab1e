-- target-photoshelter `media_metadata`: Plytix product data onto each matched image
-- (keywords under the managed prefixes, IPTC title = product name when the image shows one
-- product, pick-list fields where every matched product agrees), only where it differs.
-- A style-level match writes the style's data, not the SKUs of its variants.
{%- set sources = var('custom_field_sources') %}
{%- set prefixes = var('managed_keyword_prefixes') %}
with matched as (
    select * from {{ ref('int_media_products_matched') }}
),

products as (
    select * from {{ ref('stg_plytix__products') }}
),

product_category as (
    select products.product_id, min(categories.category_name) as category_name
    from products, unnest(products.category_ids) as c(category_id)
    inner join {{ ref('stg_plytix__categories') }} as categories
        on categories.category_id = c.category_id
    group by products.product_id
),

attribute_values as (
    select * from {{ ref('stg_plytix__product_attribute_values') }}
),

facts as (
    select
        matched.media_id,
        matched.product_id,
        matched.match_level,
        products.sku,
        products.label,
        products.style_code,
        products.color,
        products.size,
        products.season,
        products.launch_status,
        product_category.category_name
    from matched
    inner join products using (product_id)
    left join product_category using (product_id)
),

desired_keywords as (
    select media_id, list(distinct keyword order by keyword) as keywords
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
    select media_id, list(distinct keyword order by keyword) as keywords
    from {{ ref('stg_photoshelter__media_keywords') }}
    where
        {%- for prefix in prefixes %}
        lower(keyword) like {{ sql_string(prefix | lower ~ '%') }}{{ " or" if not loop.last }}
        {%- endfor %}
    group by media_id
),

titles as (
    select media_id, any_value(label) as title
    from facts
    group by media_id
    having count(distinct product_id) = 1 and bool_and(match_level = 'sku')
),

field_values as (
    {%- for field_name, attribute_label in sources.items() %}
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

desired_fields as (
    select media_id, field_name, any_value(tag_name) as tag_name
    from field_values
    group by media_id, field_name
    having count(distinct tag_name) = 1 and count(tag_name) = count(*)
),

current_fields as (
    select media_id, field_name, tag_name
    from {{ ref('stg_photoshelter__media_custom_metadata') }}
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
        coalesce(desired_keywords.keywords, []) as keywords,
        titles.title,
        coalesce(desired_keywords.keywords, []) <> coalesce(current_keywords.keywords, [])
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
        case when compared.title is null then json_object()
             else json_object('title', compared.title) end as iptc,
        to_json(compared.keywords) as keywords,
        coalesce((select json_group_object(field_name, tag_name)
                  from desired_fields where desired_fields.media_id = compared.media_id),
                 json_object()) as custom_metadata
    from compared
    where compared.is_changed
)

select * from final
