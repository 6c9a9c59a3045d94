"""Keep the cyclic garbage collector off the kernel's long-lived objects.

A lesson's kernel holds a few hundred thousand objects made by its imports (pandas,
matplotlib, ipywidgets, IPython itself): modules, classes and functions that live as
long as the kernel. Each full collection scans all of them, about 0.12 s, and a lesson
used to pay two or three. :func:`settle_imports`, called at the end of this package's
heavy imports, moves the objects that exist then into the permanent generation
(:func:`gc.freeze`), so later collections scan only what the lesson made since.
Refcounting still frees every object; only a reference cycle among objects frozen
here, broken later, would stay in memory.
"""

import gc


def settle_imports() -> None:
    gc.freeze()
