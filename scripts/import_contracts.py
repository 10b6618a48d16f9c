"""import-linter contracts about the product code only: the layers and no-cycles rules with every
test module (``hearth.tests`` and each app's ``tests`` package) taken out of the graph first.

Tests build whole worlds (a consent, a session, a chat) and so import across every layer; the
rules are about what the running product depends on. See docs/decisions.md (30)."""

import grimp
from importlinter import ContractCheck
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.layers import LayersContract


def _without_tests(graph: grimp.ImportGraph) -> grimp.ImportGraph:
    for module in sorted(graph.modules):
        parts = module.split(".")
        if "tests" in parts or "conftest" in parts:
            graph.remove_module(module)
    return graph


class ProductLayersContract(LayersContract):
    type_name = "product_layers"

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        return super().check(_without_tests(graph), verbose)


class ProductAcyclicContract(AcyclicSiblingsContract):
    type_name = "product_acyclic"

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        return super().check(_without_tests(graph), verbose)
