-- Per product and configured channel, the usable images licensed for that channel today
-- (an image with no `channel:` keyword is unrestricted), in hero-then-alternates order.
{%- set pairs = channel_pairs() %}
with ranked as (
    select * from {{ ref('int_product_images_ranked') }}
),

channels as (
    {%- for channel, attribute_label in pairs %}
    select {{ sql_string(channel) }} as channel, {{ sql_string(attribute_label) }} as attribute_label
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select
        ranked.product_id,
        channels.channel,
        channels.attribute_label,
        ranked.media_id,
        ranked.position
    from ranked
    cross join channels
    where {{ list_length('ranked.licensed_channels') }} = 0
       or {{ list_has('ranked.licensed_channels', 'channels.channel') }}
)

select * from final
