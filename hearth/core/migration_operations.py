"""Migration operations of our own (Django's documented extension point for migrations).

``CreateModels`` creates an app's models in one step. Django re-renders every model related to a
new model's related models after each ``CreateModel``; almost every model here points at the user,
so each one re-rendered nearly the whole project and a fresh ``migrate`` grew with the square of
the number of models. The models of one squashed migration are added to the state together and
rendered once, then their tables are created exactly as each ``CreateModel`` would.
"""

from django.db import migrations
from django.db.migrations.operations.base import Operation


class CreateModels(Operation):
    """A run of ``CreateModel`` operations of one app, applied with a single state render."""

    reduces_to_sql = True
    reversible = True
    category = getattr(migrations.CreateModel, "category", None)

    def __init__(self, operations: list[migrations.CreateModel]):
        if not operations or not all(type(op) is migrations.CreateModel for op in operations):
            raise ValueError("CreateModels takes a non-empty list of CreateModel operations.")
        self.operations = list(operations)
        super().__init__()

    def deconstruct(self):
        return ("hearth.core.migration_operations.CreateModels", [], {"operations": self.operations})

    def state_forwards(self, app_label, state):
        # Each CreateModel adds its model state; with the rendered apps set aside, none re-renders.
        apps = state.__dict__.pop("apps", None)
        try:
            for operation in self.operations:
                operation.state_forwards(app_label, state)
        finally:
            if apps is not None:
                state.__dict__["apps"] = apps
        # What the last CreateModel's own reload would have rendered, for all of them at once.
        state.reload_models([(app_label, op.name_lower) for op in self.operations], delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def references_model(self, name, app_label):
        return any(op.references_model(name, app_label) for op in self.operations)

    def describe(self):
        return "Create models " + ", ".join(op.name for op in self.operations)

    @property
    def migration_name_fragment(self):
        return "_".join(op.name_lower for op in self.operations)[:40]
