"""Files for partners: the build in every RDF syntax (``rdf``, format names, extensions and published files in
``formats``), its VoID/DCAT description (``describe``), the alignments as SSSOM (``sssom``), one entry point
choosing between them (``exports``) and the saved-query catalogue as RDF (``catalogue``)."""
