"""Where the base's data files are, found through importlib.resources so they resolve the same in a
checkout, an editable install and a wheel: the ontology, the shapes, the JSON-LD context and the
reference data.

>>> ONTOLOGY_FILE.name, SHAPES_FILE.name, CONTEXT_FILE.name, REFERENCE_DIR.name
('meakg.ttl', 'shapes.ttl', 'context.jsonld', 'reference')
"""

from importlib.resources import files
from pathlib import Path

HERE = Path(str(files(__package__)))
ONTOLOGY_FILE = HERE / "meakg.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
CONTEXT_FILE = HERE / "context.jsonld"
REFERENCE_DIR = HERE / "reference"
