"""Rewrite the released dataset the package carries: ``dataset/inograph.nq.gz`` and its manifest.

Run it from a checkout with the source texts beside it, after any change to the evidence or the
ontology (``tests/test_packaged.py`` fails until it is run)::

    python tools/package_dataset.py
"""

from __future__ import annotations

from pathlib import Path

from inograph.packaged import write_packaged
from inograph.resources import use_checkout


def main() -> None:
    checkout = Path(__file__).resolve().parent.parent
    use_checkout(checkout)
    manifest = write_packaged(checkout / "dataset")
    print(f"dataset/inograph.nq.gz: {manifest.quads} quads, {manifest.results} results")


if __name__ == "__main__":
    main()
