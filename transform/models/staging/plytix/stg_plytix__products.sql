-- One row per Plytix product: identity and the attributes the sync reads, normalised.
-- depends_on: {{ ref('preflight_settings') }}
with products as (
    select * from {{ source('plytix', 'products') }}
),

final as (
    select
        id as product_id,
        sku,
        {{ normalised_identifier('sku') }} as sku_key,
        label,
        status,
        cast(product_level as integer) as product_level,
        _parent_id as parent_id,
        product_family_id as family_id,
        {{ json_string_list('categories') }} as category_ids,
        thumbnail as thumbnail_asset_id,
        {{ normalised_identifier('"attributes__' ~ var('style_attribute') ~ '"') }} as style_key,
        "attributes__{{ var('style_attribute') }}" as style_code,
        "attributes__{{ var('color_attribute') }}" as color,
        "attributes__{{ var('size_attribute') }}" as size,
        "attributes__{{ var('season_attribute') }}" as season,
        "attributes__{{ var('launch_status_attribute') }}" as launch_status,
        {{ try_cast_date('"attributes__' ~ var('launch_date_attribute') ~ '"') }}
            as launch_date,
        modified
    from products
)

select * from final
