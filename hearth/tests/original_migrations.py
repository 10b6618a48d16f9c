"""Run the original migrations that squashed ones replace, for tests of their data steps.

A database created today applies the squashed migrations; a database that applied some of the
originals before the squash goes on with the originals, and that is where their data steps run.
These helpers use the graph Django uses for such a database: the originals, with every squashed
migration taken out and its dependants pointed at the last migration it replaces.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def originals_executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    loader = executor.loader
    loader.replace_migrations = False
    loader.build_graph()
    for key, migration in loader.replacements.items():
        loader.graph.remove_replacement_node(key, migration.replaces)
    return executor


def original_leaves() -> list[tuple[str, str]]:
    return originals_executor().loader.graph.leaf_nodes()


def migrate_originals(targets) -> MigrationExecutor:
    """Migrate to ``targets`` (original migration names) and return the executor (for its states)."""
    executor = originals_executor()
    executor.migrate(targets)
    return executor
