"""Compact derived data files shipped inside geohedge (``geohedge/_data/derived/``).

Some real data that geohedge needs is carried by no package on the index: the OECD ICIO
bilateral cubes 2011-2022 with their tariffs and elasticities, CEPII BACI country pairs
for 2023 with the April 2025 US tariff schedule, the UN General Assembly votes and the
published ideal points. geohedge ships compact files derived from them:

- each file is produced by a builder module in this package from ``../shared/data``
  (``python -m geohedge.data.derived --shared ../shared/data``), deterministically;
- a test rebuilds every file from ``../shared/data`` and compares it with the shipped one;
- ``manifest.json`` beside the files records, per file, the original source, release,
  where it was taken from (repository and commit), the sha256 of each input file and of
  the shipped file, its size, licence and the attribution the source asks for;
- ``geohedge data build`` checks each shipped file's sha256 against the manifest before
  loading anything (a mismatch stops the build with one line naming the file) and copies
  the manifest's records into the store's provenance.

Building needs ``h5py`` for the MATLAB v7.3 cubes (a build-time need only, in the
``build`` and ``test`` extras); reading the shipped files needs only pyarrow.
"""

from geohedge.data.derived.manifest import (
    MANIFEST_NAME,
    Manifest,
    ShippedFile,
    read_manifest,
    shipped_dir,
    verify_shipped,
)

__all__ = ["MANIFEST_NAME", "Manifest", "ShippedFile", "read_manifest", "shipped_dir", "verify_shipped"]
