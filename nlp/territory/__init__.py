"""Territory: the commune gazetteer (build and loading) and the tagger behind ``vigie_territory``.

- ``build_gazetteer``: builds ``nlp/data/communes`` from the Etalab package and the 2018 centroids;
- ``gazetteer``: loads it (cached per folder) and indexes names, former names and short forms;
- ``normalize``: folds names and texts to comparable word forms;
- ``tagger``: matches communes and watch places in a text and resolves homonyms.
"""
