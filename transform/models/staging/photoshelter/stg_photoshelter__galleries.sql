-- One row per gallery and collection path it sits in (`Launches/SS26`).
with galleries as (
    select * from {{ source('photoshelter', 'galleries') }}
),

paths as (
    select
        id as gallery_id,
        name as gallery_name,
        unnest(
            case when len({{ json_string_list('paths') }}) = 0 then [null]
                 else {{ json_string_list('paths') }} end
        ) as parent_path
    from galleries
),

final as (
    select gallery_id, gallery_name, parent_path
    from paths
)

select * from final
