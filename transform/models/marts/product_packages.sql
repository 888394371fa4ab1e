-- The seasonal-launch package of each sellable product: the attributes it must hold, a
-- hero, enough alternates, and image rights valid through the launch window. Complete or
-- not, why, and which source decided the attributes part (`decided_by`): Plytix families
-- carry no "required" flag, so the required attributes come from the setting
-- package_required_attributes (per family, per category, or `*` for all) or, when the
-- setting launch_completeness_attribute names a Plytix completeness attribute, from it.
{%- set completeness = var('launch_completeness_attribute') | trim %}
{%- set threshold = var('launch_completeness_threshold') | float %}
with products as (
    select * from {{ ref('stg_plytix__products') }}
    where product_level <> 1
),

imagery as (
    select * from {{ ref('product_imagery') }}
),

families as (
    select id as family_id, name as family_name from {{ source('plytix', 'product_families') }}
),

categories as (
    select * from {{ ref('stg_plytix__categories') }}
),

required_setting (scope, attribute_label) as (
    {%- set rules = package_rules() %}
    {%- if rules %}
    values
    {%- for scope, label in rules %}
        ({{ sql_string(scope) }}, {{ sql_string(label) }}){{ "," if not loop.last }}
    {%- endfor %}
    {%- else %}
    select null::varchar, null::varchar where false
    {%- endif %}
),

product_scopes as (
    -- every name a rule may be keyed by: `*`, the family, each category (name and path)
    select product_id, '*' as scope from products
    union all
    select products.product_id, families.family_name
    from products inner join families using (family_id)
    union all
    select products.product_id, unnest(array[categories.category_name, categories.category_path])
    from products
    cross join unnest(products.category_ids) as c(category_id)
    inner join categories on categories.category_id = c.category_id
),

required as (
    select distinct product_scopes.product_id, required_setting.attribute_label
    from product_scopes
    inner join required_setting using (scope)
),

attribute_values as (
    select * from {{ ref('stg_plytix__product_attribute_values') }}
),

missing as (
    select
        required.product_id,
        {{ list_agg('required.attribute_label', 'required.attribute_label') }}
            as missing_attributes
    from required
    inner join products using (product_id)
    left join attribute_values as own
        on own.product_id = products.product_id
       and own.attribute_label = required.attribute_label
    left join attribute_values as inherited
        on inherited.product_id = products.parent_id
       and inherited.attribute_label = required.attribute_label
    where own.value_text is null and inherited.value_text is null
    group by required.product_id
),

completeness as (
    {%- if completeness %}
    select
        products.product_id,
        {{ try_cast_double('coalesce(own.value_text, inherited.value_text)') }} as completeness
    from products
    left join attribute_values as own
        on own.product_id = products.product_id
       and own.attribute_label = {{ sql_string(completeness) }}
    left join attribute_values as inherited
        on inherited.product_id = products.parent_id
       and inherited.attribute_label = {{ sql_string(completeness) }}
    {%- else %}
    select cast(null as varchar) as product_id, cast(null as double precision) as completeness
    where false
    {%- endif %}
),

rights as (
    select
        ranked.product_id,
        min(ranked.license_expiration) as earliest_expiry
    from {{ ref('int_product_images_ranked') }} as ranked
    group by ranked.product_id
),

assessed as (
    select
        products.product_id,
        products.sku,
        products.label,
        coalesce(products.season, 'No season') as launch,
        products.launch_status,
        products.launch_date,
        coalesce(products.launch_date, current_date)
            + {{ var('launch_window_days') | int }} as launch_window_end,
        {%- if completeness %}
        'Plytix completeness attribute ' || {{ sql_string(completeness) }}
            || ' (setting launch_completeness_attribute)' as decided_by,
        completeness.completeness,
        {{ empty_text_list() }} as missing_attributes,
        {%- else %}
        'setting package_required_attributes' as decided_by,
        cast(null as double precision) as completeness,
        coalesce(missing.missing_attributes, {{ empty_text_list() }}) as missing_attributes,
        {%- endif %}
        imagery.hero_media_id is not null as has_hero,
        imagery.n_alternates,
        rights.earliest_expiry,
        rights.earliest_expiry is null
            or rights.earliest_expiry >= coalesce(products.launch_date, current_date)
                                         + {{ var('launch_window_days') | int }}
            as rights_valid_through_launch
    from products
    inner join imagery using (product_id)
    left join missing using (product_id)
    left join completeness using (product_id)
    left join rights using (product_id)
),

final as (
    select
        *,
        {{ prefixed_list('missing_attributes', "'missing attribute: '") }}
        {%- if completeness %}
        || case when coalesce(completeness, 0) < {{ threshold }}
                 then array['Plytix completeness '
                       || coalesce(cast(cast(round(completeness) as integer) as varchar) || ' %',
                                   'not set')
                       || ', ' || {{ threshold | int }} || ' % needed (attribute '
                       || {{ sql_string(completeness) }} || ')']
                 else {{ empty_text_list() }} end
        {%- endif %}
        {%- if var('package_requires_hero') | string | lower == 'true' %}
        || case when not has_hero then array['no hero image'] else {{ empty_text_list() }} end
        {%- endif %}
        || case when n_alternates < {{ var('min_alternates') | int }}
                 then array['only ' || n_alternates || ' alternate(s), '
                             || {{ var('min_alternates') | int }} || ' needed']
                 else {{ empty_text_list() }} end
        || case when not rights_valid_through_launch
                 then array['image rights expire ' || {{ iso_date('earliest_expiry') }}
                             || ', before the launch window ends '
                             || {{ iso_date('launch_window_end') }}]
                 else {{ empty_text_list() }} end
            as incomplete_reasons
    from assessed
)

select *, {{ list_length('incomplete_reasons') }} = 0 as is_complete from final
