"""From documents to the stored build: what a build is made from (``sources``), what each document
contributes (``parts``), assembling them (``assemble``, with the one dataset factory in ``dataset``),
the OWL 2 RL closure (``reason``), writing the N-Quads file and the store (``save``), the build
directory, its lock and manifest (``store``) and keeping the build current (``current``).
Nothing here is imported on the cold query path but ``store``, ``sources`` and ``current``."""
