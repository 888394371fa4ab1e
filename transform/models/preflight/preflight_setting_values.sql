-- The settings the preflight gate checks, as dbt renders them (one row): the Python model
-- reads them from here, because a property file's config does not render nested vars.
select
{%- for name in ['match_rules', 'file_name_pattern', 'approval_field', 'approval_value',
                 'identifier_field', 'style_attribute', 'color_attribute', 'size_attribute',
                 'season_attribute', 'launch_status_attribute', 'launch_date_attribute',
                 'package_required_attributes', 'launch_completeness_attribute'] %}
    {{ sql_string(var(name)) }} as {{ name }}{{ "," if not loop.last }}
{%- endfor %}
