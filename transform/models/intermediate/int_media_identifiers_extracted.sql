-- Every product identifier an image carries, with the rule that found it:
-- custom_field (the identifier pick-list field), trans_ref (IPTC, several allowed),
-- keyword (`sku:` / `style:`), file_name (the pattern's `sku` group) and gallery
-- (membership in a creative hand-off gallery `<handoff>/<season>/<SKU> <name>`).
with media as (
    select * from {{ ref('stg_photoshelter__media') }}
),

custom_field as (
    select media_id, 'custom_field' as match_rule, tag_name as identifier, 'any' as identifier_kind
    from {{ ref('stg_photoshelter__media_custom_metadata') }}
    where field_name = {{ sql_string(var('identifier_field')) }}
),

trans_ref as (
    select media_id, 'trans_ref' as match_rule,
           unnest(regexp_split_to_array(trans_ref, '[,;]')) as identifier, 'any' as identifier_kind
    from media
    where trans_ref is not null
),

keyword as (
    select media_id, 'keyword' as match_rule, value as identifier, prefix as identifier_kind
    from {{ ref('stg_photoshelter__media_keywords') }}
    where prefix in ('sku', 'style') and value <> ''
),

file_name as (
    select media_id, 'file_name' as match_rule, file_name_sku as identifier, 'any' as identifier_kind
    from media
    where file_name_sku is not null
),

gallery as (
    select
        gallery_media.media_id,
        'gallery' as match_rule,
        split_part(trim(galleries.gallery_name), ' ', 1) as identifier,
        'sku' as identifier_kind
    from {{ ref('stg_photoshelter__gallery_media') }} as gallery_media
    inner join {{ ref('stg_photoshelter__galleries') }} as galleries
        on galleries.gallery_id = gallery_media.gallery_id
    where galleries.parent_path like {{ sql_string(var('handoff_collection') ~ '/%') }}
),

all_identifiers as (
    select * from custom_field
    union all select * from trans_ref
    union all select * from keyword
    union all select * from file_name
    union all select * from gallery
),

final as (
    select distinct
        media_id,
        match_rule,
        {{ rule_rank('match_rule') }} as rule_rank,
        trim(identifier) as identifier,
        {{ normalised_identifier('identifier') }} as identifier_key,
        identifier_kind
    from all_identifiers
    where {{ rule_rank('match_rule') }} is not null
      and {{ normalised_identifier('identifier') }} is not null
)

select * from final
