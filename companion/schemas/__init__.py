"""Marshmallow schemas: dump schemas and separate load schemas, so no field is mass-assigned."""
