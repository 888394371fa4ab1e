{#- Schemas are named exactly as configured (`outbox`, `marts`, ...): tap-warehouse and the
    report read fixed names, whatever the target's default schema is. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
