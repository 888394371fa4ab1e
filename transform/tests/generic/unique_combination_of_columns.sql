{#- The rows of `model` whose values in `combination_of_columns` are not unique together.
    The semantics of dbt_utils.unique_combination_of_columns (dbt_utils cannot be fetched
    where the project builds): `group by` puts NULLs in one group, so two rows that agree on
    every column, NULL parts included, fail; a `unique` test on a concatenation does not see
    them (`'a' || null` is NULL, and `unique` ignores NULLs). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- if combination_of_columns is string or not combination_of_columns -%}
    {{ exceptions.raise_compiler_error(
        "unique_combination_of_columns on " ~ model
        ~ ": combination_of_columns must be a list of column names, got "
        ~ combination_of_columns) }}
{%- endif -%}
{%- set columns = combination_of_columns | join(', ') -%}
select {{ columns }}, count(*) as n_rows
from {{ model }}
group by {{ columns }}
having count(*) > 1
{% endtest %}
