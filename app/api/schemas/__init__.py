"""The API's shapes, declared once per resource as pydantic models.

A request body (`Body`) names the fields a route accepts with their JSON types and the rules
JSON Schema can state; app.api.payload reads its shape check from it (400 for a wrong JSON
type, 422 for an unknown field), and crm/ checks what the values mean. A reply (`Reply`) is
validated from the rows and results a route gets and serialised as the response. The OpenAPI
document (app.api.openapi) takes its component schemas from both. Modules: types (the field
types and base models), one module per resource, errors (the refusals).
"""
