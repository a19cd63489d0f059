"""Report export kinds, one module per report (sac.py, measures.py, audits.py …), each calling
msp_cases.exports.registry.register(...). Loaded by ReportsConfig.ready, so the web and the worker both know
every kind."""

import importlib
import pkgutil


def load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
