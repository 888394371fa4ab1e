-- One row per product and custom attribute that holds a value, as text (lists as JSON).
{{ product_attribute_values(source('plytix', 'products')) }}
