"""From documents to the stored build: what a build is made from (``sources``), assembling the
dataset (``assemble``, with the one dataset factory in ``dataset``), the OWL 2 RL closure
(``reason``), the build directory (``store``) and keeping the build current (``current``).
Nothing here is imported on the cold query path but ``store``, ``sources`` and ``current``."""
