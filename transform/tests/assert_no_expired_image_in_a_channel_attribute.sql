-- No image whose rights expired, that is not approved, or that is not licensed for the
-- channel, may be written into that channel's image attribute.
{%- set pairs = channel_pairs() %}
with written as (
    select
        outbox.sku,
        outbox.attribute_label,
        {{ json_array_elements('outbox.assets') }} ->> 'source_id' as media_id
    from {{ ref('plytix_product_media') }} as outbox
),

channels as (
    {%- for channel, attribute_label in pairs %}
    select {{ sql_string(channel) }} as channel, {{ sql_string(attribute_label) }} as attribute_label
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select written.*, rights.license_expiration, rights.approval_status, rights.licensed_channels
from written
inner join channels using (attribute_label)
inner join {{ ref('int_media_rights_evaluated') }} as rights using (media_id)
where rights.is_expired
   or not rights.is_approved
   or ({{ list_length('rights.licensed_channels') }} > 0
       and not {{ list_has('rights.licensed_channels', 'channels.channel') }})
