-- One row per Plytix product: its hero, ordered alternates, rights summary and imagery
-- status, from the approved images matched to it. What the report and the outbox read.
{%- set channels = channel_pairs() | map(attribute=0) | list %}
{%- set markets = csv_var('markets') | map('upper') | list %}
{%- set status = imagery_status_values() %}
with products as (
    select * from {{ ref('stg_plytix__products') }}
),

ranked as (
    select * from {{ ref('int_product_images_ranked') }}
),

matched_counts as (
    select
        product_id,
        count(distinct media_id) as n_matched,
        count(distinct media_id) filter (where not is_approved) as n_not_approved,
        count(distinct media_id) filter (where is_approved and is_expired) as n_expired,
        {{ list_agg('match_rule', 'match_rule', distinct=true) }} as match_rules
    from {{ ref('int_media_products_matched') }} as m
    inner join {{ ref('int_media_rights_evaluated') }} as r using (media_id)
    group by product_id
),

usable as (
    select
        product_id,
        count(*) as n_usable,
        {{ any_value_of('media_id') }} filter (where is_hero) as hero_media_id,
        {{ any_value_of('link_url') }} filter (where is_hero) as hero_link_url,
        {{ any_value_of('file_name') }} filter (where is_hero) as hero_file_name,
        bool_or(is_hero and is_marked_hero) as has_marked_hero,
        {{ object_list_agg({'media_id': 'media_id', 'link_url': 'link_url',
                            'file_name': 'file_name'}, 'position') }}
            filter (where not is_hero) as alternates,
        count(*) filter (where not is_hero) as n_alternates,
        min(license_expiration) as rights_expiry,
        bool_or(is_expiring_soon) as is_expiring_soon,
        string_agg(distinct usage_terms, '; ' order by usage_terms) as usage_terms,
        string_agg(distinct credit, ', ' order by credit) as credit,
        string_agg(distinct copyright, '; ' order by copyright) as copyright
    from ranked
    group by product_id
),

{#- the configured channels and markets that at least one usable image is licensed for (an
    image that lists none is licensed for all), in the order the settings give them -#}
licensed_scopes as (
    {%- set scopes = [] %}
    {%- for value in channels %}{% do scopes.append(('channel', value, 'licensed_channels')) %}{% endfor %}
    {%- for value in markets %}{% do scopes.append(('market', value, 'licensed_markets')) %}{% endfor %}
    {%- for scope, value, licensed in scopes %}
    select distinct product_id, {{ sql_string(scope) }} as scope, {{ sql_string(value) }} as name,
           {{ loop.index }} as position
    from ranked
    where {{ list_length(licensed) }} = 0 or {{ list_has(licensed, sql_string(value)) }}
    {{ "union all" if not loop.last }}
    {%- else %}
    select cast(null as varchar), cast(null as varchar), cast(null as varchar), 0 where false
    {%- endfor %}
),

allowed as (
    select
        product_id,
        {{ list_agg('name', 'position') }} filter (where scope = 'channel') as allowed_channels,
        {{ list_agg('name', 'position') }} filter (where scope = 'market') as allowed_markets
    from licensed_scopes
    group by product_id
),

final as (
    select
        products.product_id,
        products.sku,
        products.label,
        products.product_level,
        products.style_code,
        products.color,
        products.size,
        products.season,
        products.launch_status,
        products.launch_date,
        coalesce(matched_counts.n_matched, 0) as n_matched,
        coalesce(matched_counts.n_not_approved, 0) as n_not_approved,
        coalesce(matched_counts.n_expired, 0) as n_expired,
        coalesce(matched_counts.match_rules, {{ empty_text_list() }}) as match_rules,
        coalesce(usable.n_usable, 0) as n_usable,
        usable.hero_media_id,
        usable.hero_link_url,
        usable.hero_file_name,
        coalesce(usable.alternates, {{ empty_object_list() }}) as alternates,
        coalesce(usable.n_alternates, 0) as n_alternates,
        usable.rights_expiry,
        coalesce(usable.is_expiring_soon, false) as is_expiring_soon,
        usable.usage_terms,
        usable.credit,
        usable.copyright,
        coalesce(allowed.allowed_channels, {{ empty_text_list() }}) as allowed_channels,
        coalesce(allowed.allowed_markets, {{ empty_text_list() }}) as allowed_markets,
        usable.product_id is not null
            and {{ list_length('coalesce(allowed.allowed_channels, ' ~ empty_text_list() ~ ')') }}
                < {{ channels | length }} as is_channel_limited,
        case
            when coalesce(usable.n_usable, 0) = 0 then {{ sql_string(status['none']) }}
            when usable.hero_media_id is null or not usable.has_marked_hero
                then {{ sql_string(status['missing_hero']) }}
            when usable.is_expiring_soon then {{ sql_string(status['expiring']) }}
            else {{ sql_string(status['complete']) }}
        end as imagery_status
    from products
    left join matched_counts using (product_id)
    left join usable using (product_id)
    left join allowed using (product_id)
)

select * from final
