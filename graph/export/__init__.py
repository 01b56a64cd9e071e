"""Files for partners: the build in every RDF syntax (``rdf``, format names in ``formats``), its
VoID/DCAT description (``describe``), the alignments as SSSOM (``sssom``) and the saved-query
catalogue as RDF (``catalogue``)."""
