-- One row per gallery and collection path it sits in (`Launches/SS26`). The loader only
-- upserts, so a deleted gallery keeps its landed row: only the latest read counts.
with galleries as (
    select * from {{ source('photoshelter', 'galleries') }}
    where read_at = (select max(read_at) from {{ source('photoshelter', 'galleries') }})
),

paths as (
    select
        id as gallery_id,
        name as gallery_name,
        membership_version,
        unnest(
            case when {{ list_length(json_string_list('paths')) }} = 0 then {{ null_text_list() }}
                 else {{ json_string_list('paths') }} end
        ) as parent_path
    from galleries
),

final as (
    select gallery_id, gallery_name, parent_path, membership_version
    from paths
)

select * from final
