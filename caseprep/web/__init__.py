"""Web layer: one blueprint package per feature (views.py, forms.py), thin over the services."""
